"""The SQLite trigram full-text index for the name search (``search_index``).

PostgreSQL already has its GIN trigram index (0002); SQLite gets an FTS5 table
with the trigram tokenizer over ``register_company.search_text``, kept in step by
triggers, and filled from the rows already there.
"""

from typing import Any

from django.db import migrations

from brygga.register.search_index import search_index_install, search_index_uninstall


def forwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "sqlite":
        with schema_editor.connection.cursor() as cursor:
            search_index_install(cursor)


def backwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "sqlite":
        with schema_editor.connection.cursor() as cursor:
            search_index_uninstall(cursor)


class Migration(migrations.Migration):
    dependencies = [("register", "0002_search_indexes")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
