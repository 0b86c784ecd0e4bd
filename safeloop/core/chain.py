"""Keyed hash chains for append-only histories (tamper evidence), docs/adr/0012.

Each entry's hash is an HMAC-SHA256, under a key kept outside the database
(`SAFELOOP_LEDGER_KEYS`), of its canonical content and the previous entry's hash: editing,
deleting, inserting or reordering any entry breaks every hash after it, and someone who can
write to the database but has no key cannot compute the hashes again. Each event names its key
(`key_id`), so keys rotate: new events take the first key, older ones verify with theirs.
Events hashed before the chains were keyed have `key_id` '' (plain SHA-256); each such chain was
closed by a keyed `migrated` event, so a chain may not end in an unkeyed event.

Every event also takes the next number of one ledger-wide sequence (`ledger_advance`, a counter
row advanced in the appending transaction), so a deleted owner or a cut tail leaves a hole that
`core.ledger` finds, and the daily root it publishes outside the database pins the end.

A history is a concrete `core.models.ChainedEvent`; `chain_append` adds to it (inside the
owner's transaction, with the owner row locked and saved), `chain_verify_all` walks every
chain; an app registers what its events must replay (`register_replay`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections import namedtuple
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, connections, models
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from safeloop.core.models import ChainedEvent

GENESIS = "0" * 64
SYSTEM = "系统"  # the actor name of an act nobody did (escalations); stored and hashed, so never translated
LEDGER = "ledger"  # the counter of the global sequence (and the cursor of a future change feed)
LEGACY = ""  # the key id of an event hashed before the chains were keyed

# What verify_ledger reports, each kind on its own (the first words of its summary line).
FINDINGS = {
    "chain": gettext_lazy("事件被修改、删除、插入或重排"),
    "key": gettext_lazy("事件没有有效的密钥签名（无密钥重算）"),
    "head": gettext_lazy("事件链末端被截断或追加"),
    "sequence": gettext_lazy("全局序号出现缺口（事件或整条隐患被删除）"),
    "replay": gettext_lazy("当前字段与事件回放不符（绕过流程修改）"),
    "files": gettext_lazy("证据或存证文件缺失、被替换"),
    "roots": gettext_lazy("与已公示的每日根不符（恢复旧备份或改写历史）"),
    "guard": gettext_lazy("数据库追加保护（触发器）缺失"),
}


# Built once: json.dumps with options builds an encoder per call (a third of its cost for small payloads).
_CANONICAL = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str).encode
_PLAIN = json.JSONEncoder(ensure_ascii=False, default=str).encode


def canonical(content: dict[str, Any]) -> bytes:
    return _CANONICAL(content).encode()


def entry_hash(prev_hash: str, content: dict[str, Any]) -> str:
    """The unkeyed hash (events before keying; sealed records)."""
    return hashlib.sha256(prev_hash.encode() + canonical(content)).hexdigest()


# ---------------------------------------------------------------- keys


class UnknownKey(Exception):
    """An event names a key this installation does not have."""


def chain_keys() -> dict[str, bytes]:
    return settings.SAFELOOP_LEDGER_KEYS


def current_key_id() -> str:
    """The key new events are hashed with: the first of SAFELOOP_LEDGER_KEYS."""
    keys = chain_keys()
    if not keys:
        raise ImproperlyConfigured("SAFELOOP_LEDGER_KEYS is empty: the hash chains need a key (docs/deploy.md)")
    return next(iter(keys))


def keyed_hash(key_id: str, prev_hash: str, content: dict[str, Any], keys: dict[str, bytes] | None = None) -> str:
    """HMAC-SHA256 of the previous hash and the canonical content, under key `key_id`
    (LEGACY: the plain SHA-256 of events hashed before keying); `keys`: `chain_keys()`, read
    once by a caller hashing many events."""
    if key_id == LEGACY:
        return entry_hash(prev_hash, content)
    secret = (chain_keys() if keys is None else keys).get(key_id)
    if secret is None:
        raise UnknownKey(key_id)
    return hmac.digest(secret, prev_hash.encode() + canonical(content), "sha256").hex()


def keyed_mac(data: bytes, key_id: str | None = None) -> tuple[str, str]:
    """(key id, HMAC-SHA256 of `data`) under the current key, or under `key_id`."""
    kid = key_id or current_key_id()
    secret = chain_keys().get(kid)
    if secret is None:
        raise UnknownKey(kid)
    return kid, hmac.new(secret, data, hashlib.sha256).hexdigest()


# ---------------------------------------------------------------- the global sequence


def ledger_advance(count: int = 1, *, name: str = LEDGER) -> int:
    """Take the next `count` numbers of the counter `name`; returns the first. Inside the
    transaction that writes the rows numbered, which holds the counter's row lock until it
    ends: a rollback gives the numbers back, and numbers are handed out in commit order."""
    if not connection.in_atomic_block:
        raise RuntimeError("ledger_advance must run inside the transaction that appends the events")
    table = "core_ledgercounter"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The foreign keys' deferred checks lock the rows they name (FOR KEY SHARE) at COMMIT,
            # that is while this transaction holds the counter: a writer holding such a row
            # (an enterprise being edited) and waiting for the counter would deadlock with it.
            # Checked now, before the counter is taken, and at once from here on.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            f"INSERT INTO {table} (name, last) VALUES (%s, %s) ON CONFLICT (name) "  # noqa: S608 (constant table)
            f"DO UPDATE SET last = {table}.last + excluded.last RETURNING last",
            [name, count],
        )
        last = cursor.fetchone()[0]
    return int(last) - count + 1


# ---------------------------------------------------------------- appending


def plain(payload: dict[str, Any]) -> dict[str, Any]:
    """The payload as JSON types (dates, decimals → strings): what is stored is what is hashed."""
    return json.loads(_PLAIN(payload))


def chain_content(event: Any, *, owner: str, key: str) -> dict[str, Any]:
    """Everything an event asserts; the hash covers exactly this. `owner` names the owner's
    kind ("hazard") and `key` is the owner's number. A keyed event also asserts its place in
    the global sequence and its key id (so neither can be moved without the key)."""
    content = {
        owner: key,
        "seq": event.seq,
        "action": event.action,
        "actor": event.actor_id,
        "actor_name": event.actor_name,
        "actor_role": event.actor_role,
        "at": event.at.astimezone(UTC).isoformat(),  # the database may hand it back in another zone
        "from": event.from_status,
        "to": event.to_status,
        "payload": event.payload,
        "attachments": event.attachments,
    }
    if event.key_id != LEGACY:
        content |= {"position": event.position, "key_id": event.key_id}
    return content


def chain_append(
    *,
    events: type[ChainedEvent],
    owner: Any,
    action: str,
    actor: Any,
    at: datetime,
    from_status: str,
    payload: dict,
    attachments: list[str] | None = None,
    actor_role: str | None = None,
) -> ChainedEvent:
    """Append one event and move the owner's chain head. Call inside the owner's transaction,
    with the owner row locked, after the owner itself has been saved (the event records its status)."""
    last_seq, prev_hash = _last_link(events, owner)
    event = events(
        **{events.chain_owner: owner},
        seq=last_seq + 1,
        action=action,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=str(actor) if actor is not None else SYSTEM,
        actor_role=str(actor_role or getattr(actor, "role", "system")),
        at=at,
        from_status=from_status,
        to_status=getattr(owner, "status", ""),
        payload=payload,
        attachments=sorted(attachments or []),
        prev_hash=prev_hash,
        key_id=current_key_id(),
        position=ledger_advance(),
    )
    event.hash = keyed_hash(event.key_id, event.prev_hash, _content(events, owner, event))
    event.save(force_insert=True)
    if hasattr(owner, "chain_head"):
        type(owner)._default_manager.filter(pk=owner.pk).update(chain_head=event.hash)
        owner.chain_head = event.hash
    from safeloop.core.changes import changed  # noqa: PLC0415 (changes builds on this module)

    changed(owner)  # the change feed, if the owner's model joined it (created: new to the feed, e.g. not bulk-made)
    return event


def _last_link(events: type[ChainedEvent], owner: Any) -> tuple[int, str]:
    """The owner's last event (its seq and hash), from the events themselves, not from the head
    the owner row keeps (which a database writer could move)."""
    last = events._default_manager.filter(**{events.chain_owner: owner}).order_by("-seq")
    return last.values_list("seq", "hash").first() or (0, GENESIS)


def _content(events: type[ChainedEvent], owner: Any, event: Any) -> dict[str, Any]:
    return chain_content(event, owner=events.chain_owner, key=getattr(owner, events.chain_key))


# ---------------------------------------------------------------- what an owner's fields must replay

Replay = Callable[[Any, list[Any]], Iterable[str]]
_replays: dict[str, tuple[Replay, tuple[str, ...]]] = {}


def register_replay(events: type[ChainedEvent], replay: Replay, fields: Iterable[str] = ()) -> None:
    """`replay(owner, chain)` yields a message for each field of the owner that its events do
    not account for; an app registers it in `AppConfig.ready()` (hazards: level, deadline, …),
    with the owner's `fields` it reads (the walk reads only those columns: `owner` is a row of
    them, by name, and each event a row of `EVENT_FIELDS`)."""
    _replays[events._meta.label] = (replay, tuple(fields))


# ---------------------------------------------------------------- verifying


@dataclass
class ChainProblem:
    owner: str  # the owner's number
    seq: int | None
    problem: str
    kind: str = ""  # what the owner is, e.g. 隐患
    finding: str = "chain"  # one of FINDINGS

    def __str__(self) -> str:
        where = _("事件 #%(seq)s") % {"seq": self.seq} if self.seq is not None else f"{self.kind}{_('记录')}"
        return f"{self.owner} {where}：{self.problem}"


def chain_verify(
    events: type[ChainedEvent], owner: Any, chain: list[Any], kind: str, keys: dict[str, bytes] | None = None
) -> Iterator[ChainProblem]:
    """The problems of one owner's chain (`chain` in seq order): the first break, then the end.
    `owner` and the events are rows by name (model instances would do too); `kind` names the owner."""
    key = getattr(owner, events.chain_key)
    prev, keyed = GENESIS, False
    for expected_seq, event in enumerate(chain, start=1):
        problem = _link_problem(events, owner, event, expected_seq, prev, keys)
        if problem is None and keyed and event.key_id == LEGACY:
            problem = "key", _("已签名的事件之后出现无密钥事件，事件链被无密钥重算")
        if problem:
            yield ChainProblem(key, event.seq, problem[1], kind, problem[0])
            return
        prev, keyed = event.hash, keyed or event.key_id != LEGACY
    if chain and not keyed:
        yield ChainProblem(key, chain[-1].seq, _("末尾事件没有密钥签名，事件链被无密钥重算"), kind, "key")
    elif hasattr(owner, "chain_head") and (owner.chain_head or GENESIS) != prev:
        yield ChainProblem(key, None, _("链末端哈希不符，末尾事件被删除或追加"), kind, "head")
    else:
        yield from _owner_problems(events, owner, chain, key, kind)


def _owner_problems(events: type[ChainedEvent], owner: Any, chain: list[Any], key: str, kind: str):
    if chain and hasattr(owner, "status") and chain[-1].to_status != owner.status:
        message = _("当前状态“%(status)s”与最后事件不符，状态被绕过流程修改") % {"status": owner.status}
        yield ChainProblem(key, None, message, kind, "replay")
    replay, _fields = _replays.get(events._meta.label, (None, ()))
    for message in replay(owner, chain) if replay else ():
        yield ChainProblem(key, None, message, kind, "replay")


def _link_problem(
    events: type[ChainedEvent], owner: Any, event: Any, expected_seq: int, prev: str, keys: dict[str, bytes] | None
) -> tuple[str, str] | None:
    if event.seq != expected_seq:
        return "chain", _("序号不连续（应为 #%(seq)s），事件被删除、插入或重排") % {"seq": expected_seq}
    if event.prev_hash != prev:
        return "chain", _("前序哈希不符，事件被删除、插入或重排")
    try:
        digest = keyed_hash(event.key_id, event.prev_hash, _content(events, owner, event), keys)
    except UnknownKey:
        return "key", _("密钥编号“%(kid)s”未知，事件不是用本系统的密钥签名的") % {"kid": event.key_id}
    if not hmac.compare_digest(digest, event.hash):
        return "chain", _("内容与哈希不符，事件被修改")
    return None


# What the walk reads of each event: everything `chain_content` hashes, and the links.
EVENT_FIELDS = (
    "seq",
    "action",
    "actor_id",
    "actor_name",
    "actor_role",
    "at",
    "from_status",
    "to_status",
    "payload",
    "attachments",
    "prev_hash",
    "hash",
    "key_id",
)


def chain_verify_all(events: type[ChainedEvent], batch: int = 2000) -> Iterator[ChainProblem]:
    """Walk every chain of this history, owner by owner in id order, streamed: the owners and the
    events are each read by one query in chunks of rows (only the columns checked, no model
    instances) and merged by owner id, so memory stays the same whatever the ledger's size.
    Run it inside one transaction (`core.ledger.ledger_verify` does) for one consistent snapshot."""
    owner_model: Any = events._meta.get_field(events.chain_owner).related_model
    fk = f"{events.chain_owner}_id"
    owners = owner_model._default_manager.order_by("pk").values_list(*_owner_fields(events, owner_model), named=True)
    chained = events._default_manager.order_by(fk, "seq").values_list(fk, *_event_fields(events))
    kind, keys = str(owner_model._meta.verbose_name), chain_keys()
    for owner, chain in _chains(owners.iterator(chunk_size=batch), _event_rows(chained, batch), fk):
        yield from chain_verify(events, owner, chain, kind, keys)


def _owner_fields(events: type[ChainedEvent], owner_model: Any) -> list[str]:
    present = {f.name for f in owner_model._meta.concrete_fields}
    replayed = _replays.get(events._meta.label, (None, ()))[1]
    wanted = ["pk", events.chain_key, *(name for name in ("status", "chain_head") if name in present), *replayed]
    return list(dict.fromkeys(wanted))


def _event_fields(events: type[ChainedEvent]) -> tuple[str, ...]:
    keyed = any(f.name == "position" for f in events._meta.concrete_fields)
    return (*EVENT_FIELDS, "position") if keyed else EVENT_FIELDS


def _event_rows(rows: Any, chunk: int) -> Iterator[Any]:
    """The rows of a values_list of events, by name, read through the DB-API cursor of the
    queryset's database in chunks (server-side on PostgreSQL): only the JSON columns are decoded
    and naive moments put in the connection's zone, as Django's converters do — which, value by
    value, took half of the walk's time."""
    names = rows._fields
    Row = namedtuple("Row", [name.replace(".", "_") for name in names])  # type: ignore[misc]
    model_fields = {f.attname: f for f in rows.model._meta.concrete_fields}
    decoded = [i for i, name in enumerate(names) if isinstance(model_fields.get(name), models.JSONField)]
    moments = [i for i, name in enumerate(names) if isinstance(model_fields.get(name), models.DateTimeField)]
    connection = connections[rows.db]
    sql, params = rows.query.sql_with_params()
    loads, make_aware = json.loads, timezone.make_aware
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(chunk):
            for raw in batch:
                row = list(raw)
                for i in decoded:
                    if isinstance(row[i], str):
                        row[i] = [] if row[i] == "[]" else {} if row[i] == "{}" else loads(row[i])
                for i in moments:
                    if isinstance(row[i], str):
                        row[i] = parse_datetime(row[i])
                    if row[i] is not None and row[i].tzinfo is None:
                        row[i] = make_aware(row[i], connection.timezone)
                yield Row._make(row)


def _chains(owners: Iterator[Any], events: Iterator[Any], fk: str) -> Iterator[tuple[Any, list[Any]]]:
    """(owner, its events in seq order) for each owner, from the two streams in owner order (an
    event whose owner is not there is skipped, as the owner-first walk never read it)."""
    pending = next(events, None)
    for owner in owners:
        chain = []
        while pending is not None and getattr(pending, fk) <= owner.pk:
            if getattr(pending, fk) == owner.pk:
                chain.append(pending)
            pending = next(events, None)
        yield owner, chain
