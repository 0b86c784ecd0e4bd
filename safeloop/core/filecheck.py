"""Stored files against the SHA-256 their records hold, re-hashed incrementally.

Apps register what they store (`register_files(source)`, a callable yielding (label, storage
name, SHA-256)); core registers the sealed documents, hazards the evidence. A file is read again
only when its size or modification time differ from the last check (`FileCheck`), so a daily
`verify_ledger` costs a stat per file; `full=True` (`verify_ledger --full`) reads every file,
for someone who could also reset a file's modification time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

from safeloop.core.models import FileCheck

FileSource = Callable[[], Iterable[tuple[str, str, str]]]
_sources: list[FileSource] = []
_CHUNK = 64 * 1024
_BATCH = 500


def register_files(source: FileSource) -> None:
    if source not in _sources:
        _sources.append(source)


@dataclass
class Stat:
    size: int
    mtime: float


def file_findings(*, full: bool = False) -> Iterator:
    """A finding for every registered file that is missing or no longer has its recorded hash."""
    from safeloop.core.ledger import Finding

    hasher = _Hasher(full=full)
    for source in _sources:
        for label, name, expected in source():
            actual = hasher.sha256(name)
            if actual is None:
                yield Finding("files", _("%(label)s：文件 %(name)s 缺失") % {"label": label, "name": name})
            elif actual != expected:
                message = _("%(label)s：文件与登记的SHA-256不符，文件被修改或替换") % {"label": label}
                yield Finding("files", message)
    hasher.save()


class _Hasher:
    """Each storage name hashed at most once per run (content-addressed names are shared)."""

    def __init__(self, *, full: bool) -> None:
        self.full = full
        self.known = {c.name: c for c in FileCheck.objects.all()}
        self.seen: dict[str, str | None] = {}
        self.fresh: list[FileCheck] = []
        self.read = 0  # files actually read this run

    def sha256(self, name: str) -> str | None:
        if name not in self.seen:
            self.seen[name] = self._current(name)
        return self.seen[name]

    def _current(self, name: str) -> str | None:
        stat = _stat(name)
        if stat is None:
            return None
        known = self.known.get(name)
        if not self.full and known and known.size == stat.size and known.mtime == stat.mtime:
            return known.sha256
        digest = stored_sha256(name)
        if digest is not None:
            self.read += 1
            self.fresh.append(FileCheck(name=name, sha256=digest, size=stat.size, mtime=stat.mtime))
        return digest

    def save(self) -> None:
        now = timezone.now()
        for check in self.fresh:
            check.checked_at = now
        FileCheck.objects.bulk_create(
            self.fresh,
            batch_size=_BATCH,
            update_conflicts=True,
            unique_fields=["name"],
            update_fields=["sha256", "size", "mtime", "checked_at"],
        )


def _stat(name: str) -> Stat | None:
    try:
        return Stat(default_storage.size(name), default_storage.get_modified_time(name).timestamp())
    except (FileNotFoundError, OSError, NotImplementedError):
        return None


def stored_sha256(name: str) -> str | None:
    """The SHA-256 of a stored file, read in chunks; None when it is missing."""
    try:
        with default_storage.open(name) as stream:
            digest = hashlib.sha256()
            for chunk in iter(lambda: stream.read(_CHUNK), b""):
                digest.update(chunk)
            return digest.hexdigest()
    except FileNotFoundError:
        return None
