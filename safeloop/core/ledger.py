"""The ledger as a whole: every chained history, the global sequence, the daily roots published
outside the database, the append-only guards and the stored files (docs/adr/0012).

`ledger_verify()` yields every `Finding`, each of one kind (`core.chain.FINDINGS`):

- each history's chains (`core.chain.chain_verify_all`, with the fields the app replays);
- the global sequence: positions 1…N over all histories with no hole, N the counter's value;
- the published roots: each line of the roots file is the Merkle root of the events it covers,
  recomputed from the database, and no line covers events the database no longer has;
- the triggers that make the event tables refuse UPDATE and DELETE;
- every registered file against its recorded SHA-256 (`core.filecheck`, incremental).

`ledger_publish()` appends the root of the events appended since the last line to the roots
file (`SAFELOOP_LEDGER_ROOTS_FILE`), daily (the `ledger_publish_root` task) and before a backup.
"""

from __future__ import annotations

import fcntl
import hashlib
import heapq
import json
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safeloop.core.chain import FINDINGS, GENESIS, LEDGER, UnknownKey, canonical, chain_verify_all, keyed_mac
from safeloop.core.models import ChainedEvent, LedgerCounter, SealedRecord

_CHUNK = 5000


@dataclass(frozen=True)
class Finding:
    finding: str  # one of core.chain.FINDINGS
    text: str

    def __str__(self) -> str:
        return self.text


def chained_histories() -> list[type[ChainedEvent]]:
    """Every concrete history whose table exists (a test's throwaway history only while it does)."""
    tables = set(connection.introspection.table_names())
    return [
        model
        for model in apps.get_models()
        if issubclass(model, ChainedEvent) and getattr(model, "in_ledger", True) and model._meta.db_table in tables
    ]


def ledger_top() -> int:
    """The last number the global sequence handed out (0 before the first event)."""
    return LedgerCounter.objects.filter(name=LEDGER).values_list("last", flat=True).first() or 0


# ---------------------------------------------------------------- the events in global order


def positions(histories: Iterable[type[ChainedEvent]], first: int = 1, last: int | None = None) -> Iterator[tuple]:
    """(position, hash) of every event of every history in [first, last], in global order."""
    streams = []
    for events in histories:
        rows = events._default_manager.filter(position__gte=first)
        if last is not None:
            rows = rows.filter(position__lte=last)
        streams.append(rows.order_by("position").values_list("position", "hash").iterator(chunk_size=_CHUNK))
    return heapq.merge(*streams)


def merkle_root(hashes: Iterable[str]) -> str:
    """The Merkle root of the events' hashes, in order (leaf 0x00‖h, node 0x01‖left‖right; an
    odd node moves up unchanged). No events: GENESIS."""
    level = [hashlib.sha256(b"\x00" + bytes.fromhex(h)).digest() for h in hashes]
    if not level:
        return GENESIS
    while len(level) > 1:
        pairs = range(0, len(level) - 1, 2)
        paired = [hashlib.sha256(b"\x01" + level[i] + level[i + 1]).digest() for i in pairs]
        level = paired + ([level[-1]] if len(level) % 2 else [])
    return level[0].hex()


def sequence_findings(histories: list[type[ChainedEvent]]) -> Iterator[Finding]:
    """Holes and doubles in the global sequence, and a counter that disagrees with the events."""
    expected = 1
    for position, _hash in positions(histories):
        if position > expected:
            yield Finding("sequence", _gap(expected, position - 1))
        elif position < expected:
            yield Finding("sequence", _("全局序号 #%(n)s 出现两次，事件被复制或插入") % {"n": position})
        expected = max(expected, position + 1)
    top, seen = ledger_top(), expected - 1
    if top > seen:
        yield Finding("sequence", _gap(seen + 1, top) + _("（末尾事件被删除）"))
    elif top < seen:
        yield Finding(
            "sequence",
            _("全局序号计数器（#%(top)s）小于最后事件的序号（#%(seen)s），计数器被改动") % {"top": top, "seen": seen},
        )


def _gap(first: int, last: int) -> str:
    span = f"#{first}" if first == last else f"#{first}–#{last}"
    return _("全局序号 %(span)s 缺失（共 %(n)s 个事件），事件或整条记录被删除") % {"span": span, "n": last - first + 1}


# ---------------------------------------------------------------- the daily roots, outside the database


def roots_file() -> Path:
    return Path(settings.SAFELOOP_LEDGER_ROOTS_FILE)


def published_roots() -> list[dict[str, Any]]:
    """The lines of the roots file, oldest first (an unreadable line is a dict with `bad`)."""
    try:
        text = roots_file().read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    return [_parse(line) for line in text.splitlines() if line.strip()]


def _parse(line: str) -> dict[str, Any]:
    try:
        entry = json.loads(line)
    except ValueError:
        return {"bad": line}
    return entry | {"_line": line} if isinstance(entry, dict) else {"bad": line}


def ledger_publish(*, now: datetime | None = None) -> dict[str, Any] | None:
    """Append the root of the events appended since the last published line; None when there
    are none. The file is locked while it is read and appended, and synced to disk."""
    path = roots_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+", encoding="utf-8") as stream:
        fcntl.flock(stream, fcntl.LOCK_EX)
        stream.seek(0)
        lines = [line for line in stream.read().splitlines() if line.strip()]
        entry = _next_root(lines, now or timezone.now())
        if entry is None:
            return None
        stream.write(json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n")
        stream.flush()
        os.fsync(stream.fileno())
    return entry


def _next_root(lines: list[str], now: datetime) -> dict[str, Any] | None:
    previous = _parse(lines[-1]) if lines else {}
    first, top = int(previous.get("last", 0)) + 1, ledger_top()
    if top < first:
        return None
    hashes = [h for _p, h in positions(chained_histories(), first, top)]
    entry = {
        "day": timezone.localdate(now).isoformat(),
        "published_at": timezone.localtime(now).isoformat(timespec="seconds"),
        "first": first,
        "last": top,
        "count": len(hashes),
        "root": merkle_root(hashes),
        "prev": hashlib.sha256(lines[-1].encode()).hexdigest() if lines else GENESIS,
    }
    entry["key_id"], entry["mac"] = keyed_mac(canonical(entry))
    return entry


def roots_findings(histories: list[type[ChainedEvent]]) -> Iterator[Finding]:
    """Each published line against the database: a line beyond the ledger's end means an old
    backup was restored (or the tail cut); a root that differs means history was rewritten."""
    top, prev = max((p for p, _h in _last_positions(histories)), default=0), GENESIS
    for entry in published_roots():
        line = entry.pop("_line", None)
        problem = _line_problem(entry, prev)
        if problem:
            yield Finding("roots", problem)
        elif entry["last"] > top:
            yield Finding("roots", _beyond(entry, top))
        elif _root_of(histories, entry) != entry["root"]:
            yield Finding("roots", _rewritten(entry))
        prev = hashlib.sha256(line.encode()).hexdigest() if line else prev


def _last_positions(histories: list[type[ChainedEvent]]) -> Iterator[tuple[int, str]]:
    for events in histories:
        last = events._default_manager.order_by("-position").values_list("position", "hash").first()
        if last:
            yield last


def _line_problem(entry: dict[str, Any], prev: str) -> str:
    if "bad" in entry or not {"first", "last", "root", "mac", "key_id", "prev"} <= set(entry):
        return _("公示根文件有一行无法识别，文件被改动")
    body = {k: v for k, v in entry.items() if k not in ("mac", "key_id")}
    try:
        mac = keyed_mac(canonical(body), entry["key_id"])[1]
    except UnknownKey:
        return _("%(day)s 的公示根使用了未知的密钥编号") % {"day": entry.get("day", "?")}
    if mac != entry["mac"]:
        return _("%(day)s 的公示根签名不符，公示文件被改动") % {"day": entry.get("day", "?")}
    if entry["prev"] != prev:
        return _("%(day)s 的公示根之前的行被删除或改动") % {"day": entry.get("day", "?")}
    return ""


def _root_of(histories: list[type[ChainedEvent]], entry: dict[str, Any]) -> str:
    return merkle_root(h for _p, h in positions(histories, entry["first"], entry["last"]))


def _beyond(entry: dict[str, Any], top: int) -> str:
    return _("%(day)s 已公示至全局序号 #%(last)s，账本只到 #%(top)s：恢复了旧备份或删除了末尾事件") % {
        "day": entry["day"],
        "last": entry["last"],
        "top": top,
    }


def _rewritten(entry: dict[str, Any]) -> str:
    return _("%(day)s 公示的根与账本 #%(first)s–#%(last)s 重算的根不符：这段历史被改写") % {
        "day": entry["day"],
        "first": entry["first"],
        "last": entry["last"],
    }


# ---------------------------------------------------------------- append-only guards


def guarded_tables(histories: list[type[ChainedEvent]]) -> list[str]:
    return [events._meta.db_table for events in histories] + [SealedRecord._meta.db_table]


def guard_findings(tables: list[str]) -> Iterator[Finding]:
    """Each table must keep its triggers refusing UPDATE and DELETE (core.db.refuse_changes_sql)."""
    present = _triggers()
    for table in tables:
        missing = [op for op in ("update", "delete") if f"{table}_no_{op}" not in present]
        if missing:
            yield Finding("guard", _("表 %(table)s 缺少拒绝修改/删除的触发器，追加保护被移除") % {"table": table})


def _triggers() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        return {row[0] for row in cursor.fetchall()}


# ---------------------------------------------------------------- everything


def ledger_verify(*, full_files: bool = False) -> Iterator[Finding]:
    """Every finding, kind by kind (see the module's docstring)."""
    from safeloop.core.filecheck import file_findings
    from safeloop.core.seals import verify_seals

    histories = chained_histories()
    with _snapshot():
        for events in histories:
            for problem in chain_verify_all(events):
                yield Finding(problem.finding, str(problem))
        for seal_problem in verify_seals(files=False):
            yield Finding(seal_problem.finding, str(seal_problem))
        yield from sequence_findings(histories)
        yield from roots_findings(histories)
        yield from guard_findings(guarded_tables(histories))
    yield from file_findings(full=full_files)  # records what it re-hashed: outside the read-only snapshot


@contextmanager
def _snapshot() -> Iterator[None]:
    """One read-only transaction around the database checks: each sees the same committed ledger
    (PostgreSQL: REPEATABLE READ; an SQLite read transaction is a snapshot already), and the
    chunked reads stream through plain server-side cursors, not WITH HOLD ones that PostgreSQL
    materialises whole before the first row. Inside a caller's transaction: that one."""
    if connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def finding_label(finding: str) -> str:
    return str(FINDINGS.get(finding, finding))


# ---------------------------------------------------------------- what the system administrator's page shows


@dataclass(frozen=True)
class LedgerStatus:
    top: int  # the global sequence's last number
    key_id: str  # the key new events are signed with (its id; never the secret)
    roots: list[dict[str, Any]]  # the latest published roots, newest first


def ledger_status(*, shown: int = 30) -> LedgerStatus:
    from safeloop.core.chain import current_key_id

    roots = [entry for entry in published_roots() if "bad" not in entry][-shown:]
    for entry in roots:
        entry["published"] = str(entry.get("published_at", ""))[:16].replace("T", " ")
    return LedgerStatus(top=ledger_top(), key_id=current_key_id(), roots=list(reversed(roots)))
