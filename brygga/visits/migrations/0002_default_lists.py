"""The default visit kinds and feedback topics. They are data: the office may rename
them or add its own, but the keys stay (the import and the API use them). A migration
keeps its own copy of the lists; brygga.visits.defaults is the one the code uses."""

from django.db import migrations

KINDS = [
    ("besok", "Besök"),
    ("lunch", "Lunch"),
    ("telefon", "Telefon"),
    ("digitalt", "Digitalt"),
    ("massa", "Mässa"),
    ("natverkstraff", "Nätverksträff"),
]
TOPICS = [
    ("upphandling", "Upphandling"),
    ("tillstand", "Tillstånd och handläggning"),
    ("bemotande", "Bemötande"),
    ("information", "Information"),
    ("infrastruktur", "Infrastruktur och vägar"),
    ("kompetens", "Kompetensförsörjning"),
    ("lokaler", "Lokaler och mark"),
    ("skyltning", "Skyltning"),
    ("parkering", "Parkering"),
    ("bredband", "Bredband"),
    ("skola", "Skola–näringsliv"),
    ("ovrigt", "Övrigt"),
]


def add_defaults(apps, schema_editor):
    VisitKind = apps.get_model("visits", "VisitKind")
    Topic = apps.get_model("visits", "Topic")
    for position, (key, label) in enumerate(KINDS):
        VisitKind.objects.get_or_create(key=key, defaults={"label": label, "position": position})
    for position, (key, label) in enumerate(TOPICS):
        Topic.objects.get_or_create(key=key, defaults={"label": label, "position": position})


class Migration(migrations.Migration):
    dependencies = [("visits", "0001_initial")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
