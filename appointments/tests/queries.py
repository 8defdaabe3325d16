"""Counting a request's queries as the benchmark does (bench/probes.py): the statements sent,
less BEGIN, COMMIT and savepoints, which tests that commit see and tests inside a transaction
do not."""

import re
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection
from django.test.utils import CaptureQueriesContext

TRANSACTION_CONTROL = re.compile(
    r"^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE SAVEPOINT)\b", re.IGNORECASE
)


@contextmanager
def counted_queries() -> Iterator[list[str]]:
    """The queries sent inside the block (filled in when it ends)."""
    queries: list[str] = []
    with CaptureQueriesContext(connection) as captured:
        yield queries
    queries.extend(q["sql"] for q in captured if not TRANSACTION_CONTROL.match(q["sql"]))


def listed(queries: list[str]) -> str:
    return "\n".join(sql[:140] for sql in queries)
