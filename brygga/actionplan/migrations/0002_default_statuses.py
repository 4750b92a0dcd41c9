"""The default statuses. They are data: the office may rename them or add its own,
but the keys stay (the API and the demo data use them). A migration keeps its own
copy of the set; services.structure.DEFAULT_STATUSES is the one the code uses."""

from django.db import migrations

DEFAULTS = [
    # key, label, progress, position, description
    ("ongoing", "Pågående", 50, 10, "Arbetet pågår."),
    ("planned", "Planerad", 0, 20, "Beslutad men inte påbörjad."),
    ("investigating", "Utredning", 10, 30, "Förslaget utreds innan vi bestämmer oss."),
    ("done", "Avklarad", 100, 40, "Genomförd."),
    ("cancelled", "Avbruten", 0, 50, "Genomförs inte."),
]


def add_defaults(apps, schema_editor):
    ActivityStatus = apps.get_model("actionplan", "ActivityStatus")
    for key, label, progress, position, description in DEFAULTS:
        ActivityStatus.objects.get_or_create(
            key=key,
            defaults={
                "label": label,
                "progress": progress,
                "position": position,
                "description": description,
            },
        )


def remove_unused_defaults(apps, schema_editor):
    ActivityStatus = apps.get_model("actionplan", "ActivityStatus")
    ActivityStatus.objects.filter(key__in=[d[0] for d in DEFAULTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("actionplan", "0001_initial")]

    operations = [migrations.RunPython(add_defaults, remove_unused_defaults)]
