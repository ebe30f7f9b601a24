"""Multi-row INSERTs for the bulk writers (the importer, the occurrence table), in the form each
database handles fastest.

Why not ``bulk_create``: Django prepares every field of every object, which was three
quarters of a first import's database time at 10,000 rows. The callers pass values already
adapted for the database, as tuples.

Why two forms: a 500-row ``VALUES`` list of an Event carries 20,000 placeholders. SQLite takes
that in its stride; psycopg splits and quotes such a statement placeholder by placeholder on
every call (it is too long for its statement cache) and PostgreSQL then plans it: three
quarters of a 10,000-event first import on PostgreSQL. There one array per column goes through
``UNNEST``, the form Django's own ``bulk_create`` uses on PostgreSQL since 5.2: one parameter
per column, whatever the number of rows.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection, models

BATCH = 500


def insert_rows(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    returning: bool = False,
    batch: int = BATCH,
) -> list[int]:
    """INSERT ``rows`` (tuples of database-ready values for ``fields``, by attribute name) into
    ``model``'s table; with ``returning``, the new primary keys in the order of ``rows``."""
    if not rows:
        return []
    ops = connection.ops
    model_fields = [model._meta.get_field(name) for name in fields]
    table = ops.quote_name(model._meta.db_table)
    columns = ", ".join(ops.quote_name(f.column) for f in model_fields)
    tail = f" RETURNING {ops.quote_name(model._meta.pk.column)}" if returning else ""
    unnest = connection.vendor == "postgresql"
    if unnest:
        # The array types without their length (varchar[] for varchar(255)), as Django does.
        arrays = ", ".join(f"(%s)::{f.db_type(connection).split('(')[0]}[]" for f in model_fields)
    else:
        one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    ids: list[int] = []
    with connection.cursor() as cursor:
        for position in range(0, len(rows), batch):
            chunk = rows[position : position + batch]
            # Only quoted model identifiers, types and placeholders are formatted in; values are parameters.
            if unnest:
                sql = f"INSERT INTO {table} ({columns}) SELECT * FROM UNNEST({arrays}){tail}"  # noqa: S608
                params: list[object] = [list(column) for column in zip(*chunk, strict=True)]
            else:
                sql = f"INSERT INTO {table} ({columns}) VALUES {', '.join([one] * len(chunk))}{tail}"  # noqa: S608
                params = [value for row in chunk for value in row]
            cursor.execute(sql, params)
            if returning:
                ids.extend(row[0] for row in cursor.fetchall())
    return ids
