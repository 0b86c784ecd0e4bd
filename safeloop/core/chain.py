"""Hash chains for append-only histories (tamper evidence).

Each entry's hash covers its canonical content and the previous entry's hash, so editing,
deleting, inserting or reordering any entry breaks every hash after it; the owner keeps the
head hash, so removing or appending at the end is caught as well.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

GENESIS = "0" * 64


def canonical(content: dict[str, Any]) -> bytes:
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str).encode()


def entry_hash(prev_hash: str, content: dict[str, Any]) -> str:
    return hashlib.sha256(prev_hash.encode() + canonical(content)).hexdigest()


def plain(payload: dict[str, Any]) -> dict[str, Any]:
    """The payload as JSON types (dates, decimals → strings): what is stored is what is hashed."""
    return json.loads(json.dumps(payload, ensure_ascii=False, default=str))
