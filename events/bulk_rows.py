"""Multi-row INSERTs and UPDATEs for the bulk writers (the importer, the occurrence table), in
the form each database handles fastest.

Why not ``bulk_create``: Django prepares every field of every object, which was three
quarters of a first import's database time at 10,000 rows. The callers pass values already
adapted for the database, as tuples.

Why two forms: a 500-row ``VALUES`` list of an Event carries 20,000 placeholders. SQLite takes
that in its stride. On PostgreSQL Django binds parameters on the client: every value is
quoted into the statement's text in Python (arrays element by element), which PostgreSQL
then parses back; at 10,000 events with 500-character descriptions that was a third of a
first import. There the rows go through ``COPY … FROM STDIN`` instead, PostgreSQL's own
bulk-load protocol, whose rows psycopg formats in C; new primary keys are drawn from the
table's sequence first (one query), since ``COPY`` returns nothing.

Updates likewise: Django's ``bulk_update`` builds a ``CASE WHEN id = … THEN …`` per field per
row, which for 100 changed events of 25 columns cost more than parsing them. ``update_rows``
joins the table to the new values instead, copied into a temporary table on PostgreSQL; on
SQLite one prepared ``UPDATE`` runs for every row (``executemany``), which it does in-process.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence

from django.db import connection, models

BATCH = 500
_AS_IS = frozenset(("CharField", "TextField", "BooleanField", "PositiveIntegerField", "ForeignKey", "SlugField"))


def column_adapter(field: models.Field) -> Callable[[object], object] | None:
    """How a value of ``field`` becomes database-ready (``get_db_prep_save``), or None when it
    is ready as it is; datetimes are adapted once per distinct value (an import's rows share
    ``created``, ``updated`` and mostly LAST-MODIFIED, and on SQLite each adaptation is a time
    zone conversion and a string)."""
    kind = field.get_internal_type()
    if kind in _AS_IS:
        return None
    if kind != "DateTimeField":
        return lambda value: field.get_db_prep_save(value, connection)
    adapt = connection.ops.adapt_datetimefield_value
    seen: dict[object, object] = {}

    def convert(value: object) -> object:
        if value is None:
            return None
        try:
            return seen[value]
        except KeyError:
            seen[value] = adapted = adapt(value)
            return adapted

    return convert


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
    if connection.vendor == "postgresql":
        return _copy_rows(model, fields, rows, returning=returning)
    ops = connection.ops
    model_fields = [model._meta.get_field(name) for name in fields]
    table = ops.quote_name(model._meta.db_table)
    columns = ", ".join(ops.quote_name(f.column) for f in model_fields)
    tail = f" RETURNING {ops.quote_name(model._meta.pk.column)}" if returning else ""
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    ids: list[int] = []
    with connection.cursor() as cursor:
        for position in range(0, len(rows), batch):
            chunk = rows[position : position + batch]
            # Only quoted model identifiers and placeholders are formatted in; values are parameters.
            sql = f"INSERT INTO {table} ({columns}) VALUES {', '.join([one] * len(chunk))}{tail}"  # noqa: S608
            cursor.execute(sql, [value for row in chunk for value in row])
            if returning:
                ids.extend(row[0] for row in cursor.fetchall())
    return ids


def _copy_rows(
    model: type[models.Model], fields: Sequence[str], rows: Sequence[Sequence[object]], *, returning: bool
) -> list[int]:
    """``COPY`` the rows in (PostgreSQL); with ``returning``, primary keys are drawn from the
    table's sequence and copied in with them (the sequence is not transactional, so concurrent
    writers never draw the same key)."""
    ops = connection.ops
    meta = model._meta
    columns = [ops.quote_name(meta.get_field(name).column) for name in fields]
    ids: list[int] = []
    with connection.cursor() as cursor:
        if returning:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, meta.pk.column, len(rows)],
            )
            ids = [row[0] for row in cursor.fetchall()]
            columns.insert(0, ops.quote_name(meta.pk.column))
        keyed = ((pk, *row) for pk, row in zip(ids, rows, strict=True)) if returning else rows
        _copy_into(cursor, ops.quote_name(meta.db_table), columns, keyed)
    return ids


def _copy_into(cursor, table: str, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """``COPY table (columns) FROM STDIN`` of ``rows`` (quoted names; PostgreSQL)."""

    def copy_in(sql: str, params: object, many: bool, context: dict) -> None:
        # Django's cursor has no COPY; psycopg's own cursor does, inside Django's transaction.
        # Errors come out as Django's (IntegrityError, DataError…), as execute() gives them.
        with connection.wrap_database_errors, cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)

    # Through the connection's execute wrappers, so query counters and instrumentation see it.
    cursor._execute_with_wrappers(f"COPY {table} ({', '.join(columns)}) FROM STDIN", None, False, executor=copy_in)


def update_rows(model: type[models.Model], fields: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """UPDATE ``fields`` (attribute names) of existing rows: each row is (primary key,
    database-ready values in ``fields`` order)."""
    if not rows:
        return
    ops = connection.ops
    meta = model._meta
    table = ops.quote_name(meta.db_table)
    pk = ops.quote_name(meta.pk.column)
    columns = [ops.quote_name(meta.get_field(name).column) for name in fields]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A temporary table of the same column types (no constraints), dropped at once.
            scratch = ops.quote_name(f"praxis_update_{uuid.uuid4().hex}")
            # Only quoted model identifiers are formatted in; values go through COPY.
            select = f"SELECT {pk}, {', '.join(columns)} FROM {table}"  # noqa: S608
            cursor.execute(f"CREATE TEMPORARY TABLE {scratch} AS {select} WITH NO DATA")
            # Never analysed, the table is planned from its actual size: many rows join by hash.
            _copy_into(cursor, scratch, [pk, *columns], rows)
            assignments = ", ".join(f"{column} = new.{column}" for column in columns)
            cursor.execute(f"UPDATE {table} SET {assignments} FROM {scratch} AS new WHERE {table}.{pk} = new.{pk}")  # noqa: S608
            cursor.execute(f"DROP TABLE {scratch}")
            return
        # SQLite: one prepared statement run for every row (executemany), no SQL text per row.
        assignments = ", ".join(f"{column} = %s" for column in columns)
        cursor.executemany(
            f"UPDATE {table} SET {assignments} WHERE {pk} = %s",  # noqa: S608 - quoted identifiers only
            [(*row[1:], row[0]) for row in rows],
        )
