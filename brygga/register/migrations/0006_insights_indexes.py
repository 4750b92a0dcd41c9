"""Indexes for the visit coverage and suggestions (issue 4), at no net cost to imports.

- ``register_company_town_size_idx`` (postal_town, size_class, employees, id)
  replaces the index on postal_town: filters by town use its first column, and the
  suggestions read a (town, size class) group's largest employers from it, in
  order, instead of sorting the group. Employees descending with unknown numbers
  last: PostgreSQL says so explicitly, SQLite does so by itself (NULL is the
  smallest value) and has no NULLS LAST in an index.
- ``register_sni_primary_idx``: a partial index on the primary SNI 2007 code (with
  the code in the index on PostgreSQL), read for every visited company. The
  company foreign key loses its own index in exchange: the unique (company,
  system, code) index serves lookups by company.
"""

from typing import Any

import django.db.models.deletion
from django.db import migrations, models

TOWN_SIZE_INDEX = {
    "postgresql": "CREATE INDEX IF NOT EXISTS register_company_town_size_idx ON register_company "
    "(postal_town, size_class, employees DESC NULLS LAST, id)",
    "sqlite": "CREATE INDEX IF NOT EXISTS register_company_town_size_idx ON register_company "
    "(postal_town, size_class, employees DESC, id)",
}


def create_town_size_index(apps: Any, schema_editor: Any) -> None:
    statement = TOWN_SIZE_INDEX.get(schema_editor.connection.vendor)
    if statement:
        schema_editor.execute(statement)


def drop_town_size_index(apps: Any, schema_editor: Any) -> None:
    schema_editor.execute("DROP INDEX IF EXISTS register_company_town_size_idx")


class Migration(migrations.Migration):
    dependencies = [("register", "0005_search_words")]

    operations = [
        migrations.RemoveIndex(model_name="company", name="register_company_town_idx"),
        migrations.RunPython(create_town_size_index, drop_town_size_index, elidable=False),
        migrations.AlterField(
            model_name="snicode",
            name="company",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="sni_codes",
                to="register.company",
            ),
        ),
        migrations.AddIndex(
            model_name="snicode",
            index=models.Index(
                condition=models.Q(("position", 0), ("system", "sni2007")),
                fields=["company"],
                include=("code",),
                name="register_sni_primary_idx",
            ),
        ),
    ]
