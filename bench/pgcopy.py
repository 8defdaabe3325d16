"""Rows into PostgreSQL with COPY, named by the project's models so the schema stays the truth.

COPY skips the ORM but not the database: every check constraint, unique index and exclusion
constraint still applies to each row, so invalid generated data fails the load. Foreign keys
are checked row by row too, unless a large load asks to check them afterwards, all at once
(`deferred_foreign_keys`): much faster, and just as strict.
"""

from collections.abc import Iterable, Mapping
from itertools import chain

from django.db import connection, models

from bench.progress import Progress

PROGRESS_EVERY = 5000
# The binary COPY format needs each column's type: the names psycopg knows for those the
# models declare.
_COPY_TYPES = {
    "timestamp with time zone": "timestamptz",
    "integer": "int4",
    "smallint": "int2",
    "bigint": "int8",
    "boolean": "bool",
    "double precision": "float8",
}


def _copy_type(field: models.Field) -> str:
    declared = (field.db_type(connection) or "").split("(")[0].strip()  # varchar(16) -> varchar
    return _COPY_TYPES.get(declared, declared)


def copy_rows(
    model: type[models.Model],
    rows: Iterable[Mapping[str, object]],
    *,
    total: int,
    label: str = "",
    deferred_foreign_keys: bool = False,
) -> int:
    """COPY rows ({column: value}, the same columns in each) into the model's table, in
    PostgreSQL's binary format (psycopg encodes the values, far faster than Python text);
    returns how many were sent. Call inside a transaction when `deferred_foreign_keys`."""
    iterator = iter(rows)
    first = next(iterator, None)
    if first is None:
        return 0
    columns = list(first)
    fields = {field.column: field for field in model._meta.concrete_fields}
    unknown = [column for column in columns if column not in fields]
    if unknown:
        raise ValueError(f"{model.__name__} has no column {', '.join(unknown)}")
    quote = connection.ops.quote_name
    table = model._meta.db_table
    column_list = ", ".join(quote(column) for column in columns)
    statement = f"COPY {quote(table)} ({column_list}) FROM STDIN (FORMAT BINARY)"
    sent = 0
    with connection.cursor() as cursor:
        if deferred_foreign_keys:
            # The row-by-row foreign key triggers are off for this transaction only; the same
            # references are checked below, in one join per key.
            cursor.execute("SET LOCAL session_replication_role = replica")
        with Progress(label or table, total) as bar, cursor.cursor.copy(statement) as copy:
            copy.set_types([_copy_type(fields[column]) for column in columns])
            for row in chain([first], iterator):
                copy.write_row([row[column] for column in columns])
                sent += 1
                if sent % PROGRESS_EVERY == 0:
                    bar.advance(PROGRESS_EVERY)
            bar.advance(sent % PROGRESS_EVERY)
        if deferred_foreign_keys:
            cursor.execute("SET LOCAL session_replication_role = origin")
            check_foreign_keys(model, columns)
    return sent


def check_foreign_keys(model: type[models.Model], columns: Iterable[str]) -> None:
    """Every reference held in these columns points at a row, or the load fails."""
    quote = connection.ops.quote_name
    table = model._meta.db_table
    for field in model._meta.concrete_fields:
        if not field.is_relation or field.column not in columns:
            continue
        target_table = field.related_model._meta.db_table
        target_column = quote(field.target_field.column)
        column = quote(field.column)
        statement = (
            f"SELECT count(*) FROM {quote(table)} AS row"
            f" LEFT JOIN {quote(target_table)} AS target ON target.{target_column} = row.{column}"
            f" WHERE row.{column} IS NOT NULL AND target.{target_column} IS NULL"
        )
        with connection.cursor() as cursor:
            cursor.execute(statement)
            (dangling,) = cursor.fetchone()
        if dangling:
            raise ValueError(f"{table}.{field.column}: {dangling} rows point nowhere")
