"""Prepare a local installation's data directory: the one write that settings used to do on import.

`config.settings` only reads the environment and files (docs/adr/0010). In local mode it reads
the secret key from `$SAFELOOP_DATA_DIR/secret_key`, which this module creates once, before Django
reads its settings: `manage.py` calls `ensure_local_setup()` first thing, and `scripts/test.sh` and
`scripts/gates.sh` run `python -m config.local_setup`. In production nothing is written here:
`SECRET_KEY` comes from the environment and `collectstatic` creates the static directory.

Standard library only: this runs before Django is configured.
"""

from __future__ import annotations

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


def ensure_local_setup(environ: Mapping[str, str] = os.environ) -> None:
    """Create the data and static directories and the secret key file; idempotent."""
    if is_production(environ):
        return
    (data_dir(environ) / "static").mkdir(parents=True, exist_ok=True)
    if not environ.get("SECRET_KEY"):
        _write_secret_key(secret_key_path(environ))


def _write_secret_key(path: Path) -> None:
    if path.exists():
        return
    # Written whole under a private name, then linked into place: a reader never sees a half
    # written key, the file is 0o600 from its first byte, and of two processes starting at once
    # the first link wins and the other keeps that key.
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".secret_key.")
    try:
        with os.fdopen(fd, "w") as stream:
            stream.write(secrets.token_urlsafe(50))
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)
    finally:
        os.unlink(tmp)


if __name__ == "__main__":
    ensure_local_setup()
