"""Database functions that the portal needs on SQLite and PostgreSQL alike."""

import unicodedata

from django.db.backends.signals import connection_created
from django.db.models import CharField, Func


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
