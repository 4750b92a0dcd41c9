"""The word list behind misspelt-search correction, with a trigram index on PostgreSQL.

Filled from the companies already in the register; kept up to date by
``brygga.register.services.search_words`` afterwards.
"""

import re
from typing import Any

from django.db import migrations, models

WORD_SPLIT = re.compile(r"[\s\x1f]+")


def create_index_and_fill(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS register_searchword_trgm "
            "ON register_searchword USING gin (word gin_trgm_ops)"
        )
        schema_editor.execute(
            "INSERT INTO register_searchword (word) "
            "SELECT DISTINCT w FROM register_company, "
            "regexp_split_to_table(register_company.search_text, E'[[:space:]\\x1f]+') AS w "
            "WHERE char_length(w) BETWEEN 3 AND 100 ON CONFLICT DO NOTHING"
        )
        return
    Company = apps.get_model("register", "Company")
    SearchWord = apps.get_model("register", "SearchWord")
    words: set[str] = set()
    for text in Company.objects.values_list("search_text", flat=True).iterator(chunk_size=5000):
        words.update(w for w in WORD_SPLIT.split(text) if 3 <= len(w) <= 100)
    SearchWord.objects.bulk_create(
        [SearchWord(word=w) for w in sorted(words)], batch_size=5000, ignore_conflicts=True
    )


def drop_index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS register_searchword_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("register", "0004_lean_company_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                (
                    "word",
                    models.CharField(
                        max_length=100, primary_key=True, serialize=False, verbose_name="ord"
                    ),
                ),
            ],
            options={
                "verbose_name": "sökord",
                "verbose_name_plural": "sökord",
            },
        ),
        migrations.RunPython(create_index_and_fill, drop_index, elidable=False),
    ]
