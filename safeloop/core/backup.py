"""Encrypted backups that are restored and verified (docs/deploy.md, docs/adr/0012).

`backup_create()` publishes the day's ledger root, then writes one file: a gzip tar archive of
`manifest.json` (when, which database, the ledger's top, the root just published), the database
(SQLite: the online backup API, a consistent copy while the site runs; PostgreSQL: `pg_dump -Fc`),
every stored file (evidence, sealed documents) and the roots file, encrypted with the Fernet key
`SAFELOOP_BACKUP_KEY` in chunks that carry their number and a last-chunk mark (so a truncated or
reordered backup is refused, not restored in part).

`backup_restore()` decrypts, checks the manifest against this database's kind, puts the database
back (SQLite: the online backup API into the live file; PostgreSQL: `pg_restore --clean`) and
the files; the roots file only where it is missing (the live one is the outside record an old
backup is detected against). Then `verify_ledger` says whether the ledger and every file hash hold.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import sqlite3
import struct
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import connection
from django.utils import timezone

from safeloop.core.ledger import ledger_publish, ledger_top, published_roots, roots_file

MAGIC = b"SAFELOOP-BACKUP-1\n"
CHUNK = 1024 * 1024  # plaintext bytes per encrypted chunk
_HEADER = struct.Struct(">QB")  # chunk number, last-chunk flag
_LENGTH = struct.Struct(">I")
DATABASE_SQLITE, DATABASE_PG = "database.sqlite3", "database.pgdump"


class BackupError(Exception):
    """The backup cannot be made or restored (message in English: read by an operator)."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest: dict[str, Any]


# ---------------------------------------------------------------- encryption in numbered chunks


def _fernet() -> Fernet:
    key = settings.SAFELOOP_BACKUP_KEY
    if not key:
        raise BackupError("SAFELOOP_BACKUP_KEY is not set")
    try:
        return Fernet(key)
    except ValueError as exc:
        raise BackupError("SAFELOOP_BACKUP_KEY is not a Fernet key (32 url-safe base64-encoded bytes)") from exc


def encrypt_stream(source: IO[bytes], target: IO[bytes]) -> None:
    fernet, number = _fernet(), 0
    target.write(MAGIC)
    chunk = source.read(CHUNK)
    while True:
        following = source.read(CHUNK)
        token = fernet.encrypt(_HEADER.pack(number, 0 if following else 1) + chunk)
        target.write(_LENGTH.pack(len(token)) + token)
        if not following:
            return
        chunk, number = following, number + 1


def decrypt_stream(source: IO[bytes], target: IO[bytes]) -> None:
    fernet = _fernet()
    if source.read(len(MAGIC)) != MAGIC:
        raise BackupError("not a SafeLoop backup")
    for last, chunk in _chunks(fernet, source):
        target.write(chunk)
        if last:
            return
    raise BackupError("the backup is truncated (its last chunk is missing)")


def _chunks(fernet: Fernet, source: IO[bytes]) -> Iterator[tuple[bool, bytes]]:
    expected = 0
    while header := source.read(_LENGTH.size):
        token = source.read(_LENGTH.unpack(header)[0])
        try:
            plain = fernet.decrypt(token)
        except InvalidToken as exc:
            raise BackupError("the backup does not decrypt with SAFELOOP_BACKUP_KEY, or was altered") from exc
        number, last = _HEADER.unpack(plain[: _HEADER.size])
        if number != expected:
            raise BackupError("the backup's chunks are out of order")
        yield bool(last), plain[_HEADER.size :]
        expected += 1


# ---------------------------------------------------------------- making a backup


def backup_create(*, target_dir: Path | None = None) -> BackupResult:
    """Write an encrypted backup into `target_dir` (SAFELOOP_BACKUP_DIR); returns its path."""
    published = published_roots()
    root = ledger_publish() or (published[-1] if published else None)
    directory = Path(target_dir or settings.SAFELOOP_BACKUP_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    path = directory / f"safeloop-{stamp}.backup"
    with tempfile.TemporaryDirectory() as work:
        archive = Path(work) / "backup.tar"
        manifest = _archive(archive, Path(work), root)
        with open(archive, "rb") as source, open(path, "wb") as target:
            encrypt_stream(source, target)
    os.chmod(path, 0o600)
    return BackupResult(path, manifest)


def _archive(archive: Path, work: Path, root: dict[str, Any] | None) -> dict[str, Any]:
    database = _dump_database(work)
    manifest = {
        "created_at": timezone.now().isoformat(),
        "vendor": connection.vendor,
        "database": database.name,
        "ledger_top": ledger_top(),
        "root": {k: v for k, v in (root or {}).items() if not k.startswith("_")},
    }
    with tarfile.open(archive, "w:gz", compresslevel=3) as tar:
        _add_bytes(tar, "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1).encode())
        tar.add(database, arcname=database.name)
        if Path(settings.MEDIA_ROOT).is_dir():
            tar.add(settings.MEDIA_ROOT, arcname="media")
        if roots_file().exists():
            tar.add(roots_file(), arcname="ledger_roots.jsonl")
    return manifest


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime = len(data), int(timezone.now().timestamp())
    tar.addfile(info, io.BytesIO(data))


def _dump_database(work: Path) -> Path:
    if connection.vendor == "sqlite":
        target = work / DATABASE_SQLITE
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)  # consistent while others write (online backup API)
        copy.close()
        return target
    if connection.vendor == "postgresql":
        target = work / DATABASE_PG
        _run(["pg_dump", "--format=custom", "--no-owner", f"--file={target}", *_pg_args()])
        return target
    raise BackupError(f"no backup for {connection.vendor}")


# ---------------------------------------------------------------- restoring


def backup_restore(path: Path) -> dict[str, Any]:
    """Put the database and the files back as they were in the backup; returns its manifest."""
    with tempfile.TemporaryDirectory() as work:
        archive = Path(work) / "backup.tar"
        with open(path, "rb") as source, open(archive, "wb") as target:
            decrypt_stream(source, target)
        with tarfile.open(archive) as tar:
            tar.extractall(Path(work) / "x", filter="data")
        unpacked = Path(work) / "x"
        manifest = json.loads((unpacked / "manifest.json").read_text())
        if manifest["vendor"] != connection.vendor:
            raise BackupError(f"the backup is of a {manifest['vendor']} database, this one is {connection.vendor}")
        _restore_database(unpacked / manifest["database"])
        _restore_files(unpacked)
    return manifest


def _restore_database(dump: Path) -> None:
    connection.close()
    if connection.vendor == "sqlite":
        with sqlite3.connect(dump) as source, sqlite3.connect(connection.settings_dict["NAME"]) as live:
            source.backup(live)
        source.close()
        live.close()
        return
    _run(
        ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", *_pg_args("--dbname"), str(dump)]
    )


def _restore_files(unpacked: Path) -> None:
    media = unpacked / "media"
    if media.is_dir():
        shutil.copytree(media, settings.MEDIA_ROOT, dirs_exist_ok=True)
    roots = unpacked / "ledger_roots.jsonl"
    if roots.exists() and not roots_file().exists():
        roots_file().parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(roots, roots_file())


# ---------------------------------------------------------------- PostgreSQL's tools


def _pg_args(name_flag: str = "--dbname") -> list[str]:
    db = connection.settings_dict
    args = [f"{name_flag}={db['NAME']}"]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            args.append(f"{flag}={db[key]}")
    return args


def _run(command: list[str]) -> None:
    """Run pg_dump / pg_restore with the connection's password; their major version must not
    be older than the server's (pg_dump refuses a newer server)."""
    tool = shutil.which(command[0])
    if tool is None:
        raise BackupError(f"{command[0]} is not installed (apt-get install postgresql-client)")
    env = os.environ | (
        {"PGPASSWORD": connection.settings_dict["PASSWORD"]} if connection.settings_dict.get("PASSWORD") else {}
    )
    result = subprocess.run([tool, *command[1:]], env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[:2000]}")


def pg_tools_match() -> tuple[bool, str]:
    """Whether pg_dump's major version is at least the server's (for the test and the docs)."""
    tool = shutil.which("pg_dump")
    if tool is None or connection.vendor != "postgresql":
        return False, "no pg_dump or not PostgreSQL"
    version = subprocess.run([tool, "--version"], capture_output=True, text=True, check=False).stdout  # noqa: S603
    found = re.search(r"\)\s+(\d+)", version)
    client = int(found.group(1)) if found else 0
    server = connection.cursor().connection.info.server_version // 10000
    return client >= server, f"pg_dump {client}, server {server}"


@dataclass(frozen=True)
class BackupFile:
    made_at: datetime  # when the file was last written
    size: int


def backup_files(*, shown: int = 10) -> list[BackupFile]:
    """The latest backups in SAFELOOP_BACKUP_DIR, newest first (for the system page)."""
    directory = Path(settings.SAFELOOP_BACKUP_DIR)
    files = sorted(directory.glob("safeloop-*.backup"), reverse=True)[:shown] if directory.is_dir() else []
    return [BackupFile(_made_at(path), path.stat().st_size) for path in files]


def _made_at(path: Path) -> datetime:
    return datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
