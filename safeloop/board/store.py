"""The board's payload per scope and region, kept on disk (`SAFELOOP_BOARD_STORE`) so that a
fresh process, or a leader opening the board after the command centre's screen, is answered at
once. `board.tasks.board_warm` fills it for every scope and region the board is opened at (at
start and every 4 hours, in the task worker). A payload younger than `FRESH` is served as it is;
an older one (up to `KEEP`) is served and its recomputation is handed to the task worker (asked
at most once per key in `FRESH`); none, or one older than `KEEP`, is computed while the request
waits. The page shows when its figures were computed ("更新于").
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError

logger = logging.getLogger("safeloop.board")
FRESH = 120  # seconds: as fresh as the in-process cache was
KEEP = 6 * 3600  # seconds: older figures are computed again while the user waits
VERSION = "1"  # the payload's shape; a change makes every stored payload unused


def _path(key: str) -> Path:
    digest = hashlib.sha256(f"{VERSION}:{key}".encode()).hexdigest()[:32]
    return Path(settings.SAFELOOP_BOARD_STORE) / f"{digest}.json"


def _write(path: Path, body: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "wb") as fh:
        fh.write(body)
    os.replace(tmp, path)  # readers see the old file or the new one, never half of one


def age(key: str) -> float | None:
    """Seconds since the key's payload was stored; None if none is."""
    try:
        return time.time() - _path(key).stat().st_mtime
    except OSError:
        return None


def put(key: str, body: bytes) -> None:
    _write(_path(key), body)


def payload(key: str, compute: Callable[[], bytes], refresh: Callable[[], object]) -> bytes:
    """The stored payload (see the module), `compute()` when there is none to serve; `refresh()`
    hands a recomputation to the worker."""
    path = _path(key)
    try:
        old = time.time() - path.stat().st_mtime
        body = path.read_bytes()
    except OSError:
        old, body = None, b""
    if old is not None and old < FRESH:
        return body
    if old is not None and old < KEEP:
        _ask(key, refresh)
        return body
    body = compute()
    _write(path, body)
    return body


def _ask(key: str, refresh: Callable[[], object]) -> None:
    if not cache.add(f"board:refresh:{key}", True, FRESH):
        return  # asked already
    try:
        refresh()
    except DatabaseError:  # the queue not writable now (SQLite busy): served stale, asked next time
        cache.delete(f"board:refresh:{key}")
        logger.warning("board refresh of %s not enqueued", key, exc_info=True)


def kept(name: str, compute: Callable[[], bytes]) -> bytes:
    """A file that never goes stale (its name carries its version: a simplified outline)."""
    path = Path(settings.SAFELOOP_BOARD_STORE) / name
    try:
        return path.read_bytes()
    except OSError:
        body = compute()
        _write(path, body)
        return body
