"""The board's payload per scope and region, kept on disk (`SAFELOOP_BOARD_STORE`) so that a
fresh process, or a leader opening the board after the command centre's screen, is answered at
once: a payload younger than `FRESH` is served as it is; an older one (up to `KEEP`) is served
and recomputed behind the answer (one recomputation per key at a time); none is computed while
the request waits. The page shows when its figures were computed ("更新于").
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import close_old_connections, connection

FRESH = 120  # seconds: as fresh as the in-process cache was
KEEP = 6 * 3600  # seconds: older figures are computed again while the user waits
VERSION = "1"  # the payload's shape; a change makes every stored payload unused

_running: set[str] = set()
_lock = threading.Lock()


def _path(key: str) -> Path:
    digest = hashlib.sha256(f"{VERSION}:{key}".encode()).hexdigest()[:32]
    return Path(settings.SAFELOOP_BOARD_STORE) / f"{digest}.json"


def _write(path: Path, body: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "wb") as fh:
        fh.write(body)
    os.replace(tmp, path)  # readers see the old file or the new one, never half of one


def payload(key: str, compute: Callable[[], bytes]) -> bytes:
    path = _path(key)
    try:
        age = time.time() - path.stat().st_mtime
        body = path.read_bytes()
    except OSError:
        age, body = None, b""
    if age is not None and age < FRESH:
        return body
    if age is not None and age < KEEP:
        _refresh_behind(key, path, compute)
        return body
    body = compute()
    _write(path, body)
    return body


def _refresh_behind(key: str, path: Path, compute: Callable[[], bytes]) -> None:
    with _lock:
        if key in _running:
            return
        _running.add(key)

    def run(own_thread: bool) -> None:
        try:
            if own_thread:
                close_old_connections()
            _write(path, compute())
        finally:
            if own_thread:
                connection.close()  # this thread's own connection
            with _lock:
                _running.discard(key)

    if getattr(settings, "SAFELOOP_BOARD_REFRESH_INLINE", False):  # tests: no thread
        run(own_thread=False)
        return
    threading.Thread(target=run, args=(True,), name="board-refresh", daemon=True).start()


def kept(name: str, compute: Callable[[], bytes]) -> bytes:
    """A file that never goes stale (its name carries its version: a simplified outline)."""
    path = Path(settings.SAFELOOP_BOARD_STORE) / name
    try:
        return path.read_bytes()
    except OSError:
        body = compute()
        _write(path, body)
        return body
