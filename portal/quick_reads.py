"""Small indexed reads on the busiest pages, in SQL written here rather than built by the ORM.

Building and compiling an ORM query costs a page 0.3-0.6 ms of CPU, several times what the
database takes to answer an indexed look-up of one row; a claim page asked three such questions
(the insurer panel's card and latest check, the latest automated review) and a list page two (which
reviews ask the member for more). Under load that was about a sixth of the portal's CPU
(py-spy, bench/RESULTS.md, 2026-12-06). Each statement here is plain SQL that SQLite and
PostgreSQL both read. Values go in as parameters, prepared by the model's field as the ORM would
(a UUID is 32 hex digits in SQLite and a uuid in PostgreSQL), and names come from the models'
metadata, quoted by the database's own rules: a renamed field or table changes the SQL with it.
Only reads; every write stays with the ORM.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection, models


def table(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def column(model: type[models.Model], field: str) -> str:
    name = model._meta.get_field(field).column  # type: ignore[union-attr]
    assert name, f"{model.__name__}.{field} has no column"
    return connection.ops.quote_name(name)


def value(model: type[models.Model], field: str, raw: Any) -> Any:
    """``raw`` as the database stores it in ``model.field`` (what a filter on it would send)."""
    return model._meta.get_field(field).get_db_prep_value(raw, connection)  # type: ignore[union-attr]


def first_row(sql: str, params: Sequence[Any]) -> tuple[Any, ...] | None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def first_column(sql: str, params: Sequence[Any]) -> list[Any]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]
