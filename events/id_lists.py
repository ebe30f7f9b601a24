"""Filtering by thousands of ids with one parameter.

``pk__in=ids`` makes Django resolve, and the database parse, one placeholder per id; a first
import asks about 11,000 rows at once, which cost more than the rows' expansion. ``InIds``
sends the ids as one value: an array (``= ANY``) on PostgreSQL, a JSON list (``json_each``)
on SQLite; both keep the column's index.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from django.db.models import BooleanField, Expression, F, Func


class InIds(Func):
    """``InIds("series_id", ids)``: a filter condition, true where the column holds one of ``ids``."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, column: str | Expression, ids: Iterable[int]) -> None:
        super().__init__(F(column) if isinstance(column, str) else column)
        self.ids = [int(pk) for pk in ids]

    def as_sql(self, compiler, connection, **extra_context):
        column, params = compiler.compile(self.source_expressions[0])
        if connection.vendor == "postgresql":
            return f"{column} = ANY(%s::bigint[])", [*params, self.ids]
        # The column is compiled SQL (a quoted name); the ids are a parameter.
        return f"{column} IN (SELECT value FROM json_each(%s))", [*params, json.dumps(self.ids)]  # noqa: S608
