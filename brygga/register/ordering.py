"""Swedish name order (å, ä, ö after z) on both databases, matching the name indexes."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models.expressions import OrderBy, RawSQL
from django.db.models.functions import Collate

PG_COLLATION = "sv-x-icu"
# Swedish order on SQLite without a Python collation: fold ASCII case and move
# å, ä, ö (and their Danish/Norwegian/German kin) behind z, as '{', '|', '}' are.
# Migration 0002 indexes exactly this expression; keep the two identical.
SQLITE_NAME_KEY = (
    "replace(replace(replace(replace(replace(replace(replace(replace(replace(replace("
    'lower("register_company"."name"),'
    "'å','{'),'Å','{'),'ä','|'),'Ä','|'),'ö','}'),'Ö','}'),'æ','|'),'ø','}'),'é','e'),'ü','y')"
)


def name_order() -> list[Any]:
    """ORDER BY terms for Swedish name order, matching the name index."""
    if connection.vendor == "postgresql":
        return [Collate("name", PG_COLLATION), "id"]
    return [OrderBy(RawSQL(SQLITE_NAME_KEY, ())), "id"]  # noqa: S611  (a constant)
