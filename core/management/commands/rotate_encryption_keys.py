"""Re-encrypt everything encrypted at rest under the current (first) key of FIELD_ENCRYPTION_KEYS:
every EncryptedJSONField value of every model, and every file of every FileField whose storage
is an EncryptedFileSystemStorage. Afterwards the older keys can be dropped from the setting."""

from collections import Counter
from collections.abc import Iterator
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import models, router, transaction

from core.crypto import (
    DecryptionError,
    EncryptedJSONField,
    is_current,
    rotate_token,
    stored_value_replace,
    stored_values,
)
from core.storage import EncryptedFileSystemStorage

BAR_WIDTH = 20
# Unreadable rows are named up to this many per field, then only counted: a wrong key set would
# otherwise print every row.
NAMED_FAILURES = 20


def encrypted_fields() -> Iterator[tuple[type[models.Model], models.Field]]:
    """Every encrypted field of every installed model, found by type rather than listed."""
    for model in apps.get_models():
        if model._meta.proxy:
            continue  # its concrete model holds the rows
        # Local fields only: a multi-table child's inherited fields live in its parent's table.
        for field in model._meta.local_concrete_fields:
            if isinstance(field, EncryptedJSONField) or (
                isinstance(field, models.FileField)
                and isinstance(field.storage, EncryptedFileSystemStorage)
            ):
                yield model, field


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted value and private file under the first key of "
        "FIELD_ENCRYPTION_KEYS. Safe to stop and run again: each batch is committed on its own "
        "and what is already under the current key is left alone."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch-size", type=int, default=200, help="Rows read and written per transaction."
        )

    def handle(self, *args: Any, batch_size: int, **options: Any) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        self.counts: Counter[str] = Counter()
        self.failures: Counter[str] = Counter()
        for model, field in encrypted_fields():
            if isinstance(field, EncryptedJSONField):
                self.rotate_values(model, field, batch_size)
            else:
                self.rotate_files(model, field, batch_size)
        counts = self.counts
        self.stdout.write(
            f"Values: {counts['rotated']} re-encrypted under the current key, "
            f"{counts['current']} already were, {counts['changed']} changed while this ran "
            f"(written under the current key). Files: {counts['file rotated']} re-encrypted, "
            f"{counts['file current']} already were, {counts['file missing']} missing."
        )
        unreadable = counts["unreadable"] + counts["file unreadable"]
        if unreadable:
            raise CommandError(
                f"{unreadable} value(s) or file(s) listed above are opened by no configured key: "
                "add the key they were written with to FIELD_ENCRYPTION_KEYS and run again."
            )

    def rotate_values(self, model: type[models.Model], field: models.Field, size: int) -> None:
        label = f"{model._meta.label}.{field.name}"
        using = router.db_for_write(model)
        total = self.rows_to_do(model, field, using)
        done = 0
        self.progress(label, done, total)
        for batch in stored_values(model, field, batch_size=size, using=using):
            with transaction.atomic(using=using):
                for pk, token in batch:
                    self.counts[self.rotate_value(label, model, field, pk, token, using)] += 1
            done += len(batch)
            self.progress(label, done, total)

    def rotate_value(
        self,
        label: str,
        model: type[models.Model],
        field: models.Field,
        pk: Any,
        token: str,
        using: str,
    ) -> str:
        if is_current(token):
            return "current"
        try:
            rotated = rotate_token(token)
        except DecryptionError:
            self.failure(label, f"{label} of {pk}: no configured key opens it.")
            return "unreadable"
        written = stored_value_replace(model, field, pk=pk, old=token, new=rotated, using=using)
        return "rotated" if written else "changed"

    def rotate_files(self, model: type[models.Model], field: models.Field, size: int) -> None:
        label = f"{model._meta.label}.{field.name}"
        using = router.db_for_write(model)
        storage: EncryptedFileSystemStorage = field.storage
        total = self.rows_to_do(model, field, using)
        done = 0
        self.progress(label, done, total)
        for batch in stored_values(model, field, batch_size=size, using=using):
            for pk, name in batch:
                if name:  # an empty FileField has no file
                    self.counts[f"file {self.rotate_file(label, storage, pk, name)}"] += 1
            done += len(batch)
            self.progress(label, done, total)

    def rotate_file(
        self, label: str, storage: EncryptedFileSystemStorage, pk: Any, name: str
    ) -> str:
        try:
            return "rotated" if storage.rotate(name) else "current"
        except FileNotFoundError:
            self.failure(label, f"{label} of {pk}: the file {name} is missing.")
            return "missing"
        except DecryptionError:
            self.failure(label, f"{label} of {pk}: no configured key opens the file {name}.")
            return "unreadable"

    def failure(self, label: str, message: str) -> None:
        self.failures[label] += 1
        if self.failures[label] <= NAMED_FAILURES:
            self.stderr.write(message)
        elif self.failures[label] == NAMED_FAILURES + 1:
            self.stderr.write(f"{label}: more failures, counted but not named.")

    @staticmethod
    def rows_to_do(model: type[models.Model], field: models.Field, using: str) -> int:
        manager = model._base_manager.db_manager(using)
        return manager.filter(**{f"{field.attname}__isnull": False}).count()

    def progress(self, label: str, done: int, total: int) -> None:
        # Rows written while this runs may carry `done` past the first count.
        total = max(total, done)
        filled = BAR_WIDTH * done // total if total else BAR_WIDTH
        bar = "#" * filled + "." * (BAR_WIDTH - filled)
        self.stderr.write(f"{label}: [{bar}] {done}/{total}", style_func=str)
