"""The default event kinds. They are data: the office may rename them or add its own,
but the keys stay (the API and the demo use them). A migration keeps its own copy of
the list; brygga.events.defaults is the one the code uses."""

from django.db import migrations

KINDS = [
    ("frukostmote", "Frukostmöte"),
    ("lunchmote", "Lunchmöte"),
    ("dialogmote", "Dialogmöte"),
    ("politikerlunch", "Politikerlunch"),
    ("upphandlingsmote", "Upphandlingsmöte"),
    ("workshop", "Workshop"),
    ("natverkstraff", "Nätverksträff"),
    ("dukat-bord", "Dukat bord"),
]


def add_defaults(apps, schema_editor):
    EventKind = apps.get_model("events", "EventKind")
    for position, (key, label) in enumerate(KINDS):
        EventKind.objects.get_or_create(key=key, defaults={"label": label, "position": position})


class Migration(migrations.Migration):
    dependencies = [("events", "0001_initial")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
