"""Private files: encrypted on disk, in settings.PRIVATE_MEDIA_ROOT, without a URL.

Files of this storage are served only by views that check access first (e.g. a FileResponse of
`field.open()`); `url()` raises. A FileField uses it with `storage=private_storage`.
"""

import os
import tempfile
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import FileSystemStorage, storages
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property

from core.crypto import decrypt_bytes, encrypt_bytes, is_current, rotate_token

WRITE_MODES = frozenset("wax+")


@deconstructible
class EncryptedFileSystemStorage(FileSystemStorage):
    """A FileSystemStorage that writes Fernet tokens of the content and reads the content back.

    Names are made valid and unique as usual. A whole file is encrypted at once (Fernet does
    not stream), which suits uploads within MAX_UPLOAD_BODY_BYTES. `path()` names the
    encrypted file on disk; read the content through `open()`."""

    def __init__(
        self,
        location: str | os.PathLike | None = None,
        file_permissions_mode: int | None = 0o600,
        directory_permissions_mode: int | None = 0o700,
        **kwargs: Any,
    ) -> None:
        # Readable by the portal's own user only.
        super().__init__(
            location=location,
            file_permissions_mode=file_permissions_mode,
            directory_permissions_mode=directory_permissions_mode,
            **kwargs,
        )

    @cached_property
    def base_location(self) -> str:
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    @property
    def base_url(self) -> None:
        return None  # so url() raises: these files are streamed by views that check access

    def _clear_cached_properties(self, setting: str, **kwargs: Any) -> None:
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "PRIVATE_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def _save(self, name: str, content: File) -> str:
        data = b"".join(
            chunk.encode() if isinstance(chunk, str) else chunk for chunk in content.chunks()
        )
        return super()._save(name, ContentFile(encrypt_bytes(data)))

    def _open(self, name: str, mode: str = "rb") -> File:
        if WRITE_MODES & set(mode):
            raise ValueError("Encrypted files are written through save() only, not open().")
        data = self._read_plain(name)
        return ContentFile(data if "b" in mode else data.decode(), name=name)

    def _read_plain(self, name: str) -> bytes:
        with open(self.path(name), "rb") as stored:
            return decrypt_bytes(stored.read())

    def size(self, name: str) -> int:
        return len(self._read_plain(name))  # of the content, not of its token

    def rotate(self, name: str) -> bool:
        """Re-encrypt one file under the current key; False if it already was. The file is
        replaced at once (a reader sees the old token or the new one, never half a file)."""
        full_path = self.path(name)
        with open(full_path, "rb") as stored:
            token = stored.read()
        if is_current(token):
            return False
        rotated = rotate_token(token)
        mode = os.stat(full_path).st_mode & 0o777
        descriptor, temporary = tempfile.mkstemp(dir=os.path.dirname(full_path), prefix=".rotate-")
        try:
            with os.fdopen(descriptor, "wb") as replacement:
                replacement.write(rotated)
                replacement.flush()
                os.fsync(replacement.fileno())
            os.chmod(temporary, mode)
            os.replace(temporary, full_path)
            self._ensure_location_group_id(full_path)
        except BaseException:
            if os.path.exists(temporary):
                os.remove(temporary)
            raise
        return True


def private_storage() -> EncryptedFileSystemStorage:
    """The storage configured as STORAGES["private"]; a callable, so migrations name it rather
    than a copy of its settings: `models.FileField(storage=private_storage)`."""
    return storages["private"]
