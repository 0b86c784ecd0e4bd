"""Prepare a local installation's data directory: the one write that settings used to do on import.

`config.settings` only reads the environment and files (docs/adr/0010). In local mode it reads
the secret key from `$SAFELOOP_DATA_DIR/secret_key`, which this module creates once, before Django
reads its settings (and, beside it, the keys of the hash chains and of backups, which must
live outside the database): `manage.py` calls `ensure_local_setup()` first thing, and `scripts/test.sh` and
`scripts/gates.sh` run `python -m config.local_setup`. In production nothing is written here:
`SECRET_KEY` comes from the environment and `collectstatic` creates the static directory.

Standard library only: this runs before Django is configured.
"""

from __future__ import annotations

import base64
import contextlib
import os
import secrets
import tempfile
from collections.abc import Mapping
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def is_production(environ: Mapping[str, str] = os.environ) -> bool:
    return environ.get("SAFELOOP_ENV", "local") == "production"


def data_dir(environ: Mapping[str, str] = os.environ) -> Path:
    return Path(environ.get("SAFELOOP_DATA_DIR") or BASE_DIR / "var").resolve()


def secret_key_path(environ: Mapping[str, str] = os.environ) -> Path:
    return data_dir(environ) / "secret_key"


def ledger_keys_path(environ: Mapping[str, str] = os.environ) -> Path:
    """The keys of the hash chains (HMAC), `id:secret` one a line, the first the current one."""
    return data_dir(environ) / "ledger_keys"


def backup_key_path(environ: Mapping[str, str] = os.environ) -> Path:
    """The key backups are encrypted with (a Fernet key)."""
    return data_dir(environ) / "backup_key"


def ensure_local_setup(environ: Mapping[str, str] = os.environ) -> None:
    """Create the data and static directories and the secret key file; idempotent."""
    if is_production(environ):
        return
    (data_dir(environ) / "static").mkdir(parents=True, exist_ok=True)
    if not environ.get("SECRET_KEY"):
        _write_once(secret_key_path(environ), secrets.token_urlsafe(50))
    if not environ.get("SAFELOOP_LEDGER_KEYS"):
        _write_once(ledger_keys_path(environ), f"local1:{secrets.token_urlsafe(32)}\n")
    if not environ.get("SAFELOOP_BACKUP_KEY"):
        # a Fernet key: 32 random bytes, URL-safe base64 (what Fernet.generate_key() returns)
        _write_once(backup_key_path(environ), base64.urlsafe_b64encode(os.urandom(32)).decode())


def _write_once(path: Path, content: str) -> None:
    if path.exists():
        return
    # Written whole under a private name, then linked into place: a reader never sees a half
    # written key, the file is 0o600 from its first byte, and of two processes starting at once
    # the first link wins and the other keeps that key.
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w") as stream:
            stream.write(content)
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)
    finally:
        os.unlink(tmp)


if __name__ == "__main__":
    ensure_local_setup()
