"""Database functions that the portal needs on SQLite and PostgreSQL alike."""

import unicodedata
from collections.abc import Sequence

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.signals import connection_created
from django.db.models import CharField, Func, Model
from django.db.models.sql import InsertQuery


def strip_accents(text: str) -> str:
    """ "María" -> "Maria": the letters without their combining marks."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


class Unaccent(Func):
    """PostgreSQL's `unaccent` (the extension, created by a core migration); on SQLite the same
    name is a Python function registered on each new connection."""

    function = "unaccent"
    output_field = CharField()


def _sqlite_unaccent(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "unaccent",
            1,
            lambda value: None if value is None else strip_accents(value),
            deterministic=True,
        )


def register_database_functions() -> None:
    connection_created.connect(_sqlite_unaccent, dispatch_uid="core.db.sqlite_unaccent")


def insert_together(*groups: Sequence[Model], using: str = DEFAULT_DB_ALIAS) -> None:
    """Insert new rows of several models at once, each group the rows of one model: on
    PostgreSQL in one statement (every group but the last a data-modifying WITH clause), so
    that the rows an event writes (a booking, its audit event, its messages) cost one round
    trip; elsewhere one insert per group, in one transaction. Either way all rows are written
    or none is.

    Rows must have their primary keys (BaseModel makes them) and may point at rows of another
    group: foreign keys are checked at the commit (Django declares them deferred). As with
    `bulk_create`, no save() runs and no signal is sent."""
    groups = [list(rows) for rows in groups if rows]
    for rows in groups:
        model = type(rows[0])
        if any(type(row) is not model or row.pk is None for row in rows):
            raise ValueError("Each group holds new rows of one model, primary keys set.")
    connection = connections[using]
    if connection.vendor != "postgresql" or len(groups) < 2:
        with transaction.atomic(using=using, savepoint=False):
            for rows in groups:
                type(rows[0])._default_manager.db_manager(using).bulk_create(rows)
        return
    statements: list[str] = []
    params: list = []
    for rows in groups:
        model = type(rows[0])
        for row in rows:  # what bulk_create checks: no unsaved row behind a foreign key
            row._prepare_related_fields_for_save(operation_name="insert_together")
        query = InsertQuery(model)
        query.insert_values([f for f in model._meta.concrete_fields if not f.generated], rows)
        [(sql, sql_params)] = query.get_compiler(using=using).as_sql()
        statements.append(sql)
        params.extend(sql_params)
    *first, last = statements
    clauses = ", ".join(f"insert_{number} AS ({sql})" for number, sql in enumerate(first))
    with connection.cursor() as cursor:
        cursor.execute(f"WITH {clauses} {last}", params)
    for rows in groups:
        for row in rows:
            row._state.adding = False
            row._state.db = using
