"""Fewer indexes on the company table: each one costs every bulk import.

- ``status``: nine in ten companies are active, so the index rarely helps.
- ``name``: lists sort by the Swedish-order index of 0002 instead.
- SQLite's B-tree on ``search_text`` (0002): the FTS5 trigram index of 0003 serves
  the name search now.
"""

from typing import Any

from django.db import migrations


def drop_search_text_index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP INDEX IF EXISTS register_company_search_text_idx")


def create_search_text_index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS register_company_search_text_idx "
            "ON register_company (search_text)"
        )


class Migration(migrations.Migration):
    dependencies = [("register", "0003_search_fts")]

    operations = [
        migrations.RemoveIndex(model_name="company", name="register_company_status_idx"),
        migrations.RemoveIndex(model_name="company", name="register_company_name_idx"),
        migrations.RunPython(drop_search_text_index, create_search_text_index, elidable=False),
    ]
