"""Hash chains for append-only histories (tamper evidence).

Each entry's hash covers its canonical content and the previous entry's hash, so editing,
deleting, inserting or reordering any entry breaks every hash after it; the owner keeps the
head hash, so removing or appending at the end is caught as well.

A history is a concrete `core.models.ChainedEvent`; `chain_append` adds to it (inside the
owner's transaction, with the owner row locked and saved), `chain_verify_all` walks every chain.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from safeloop.core.models import ChainedEvent

GENESIS = "0" * 64
SYSTEM = "系统"  # the actor name of an act nobody did (escalations); stored and hashed, so never translated


def canonical(content: dict[str, Any]) -> bytes:
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str).encode()


def entry_hash(prev_hash: str, content: dict[str, Any]) -> str:
    return hashlib.sha256(prev_hash.encode() + canonical(content)).hexdigest()


def plain(payload: dict[str, Any]) -> dict[str, Any]:
    """The payload as JSON types (dates, decimals → strings): what is stored is what is hashed."""
    return json.loads(json.dumps(payload, ensure_ascii=False, default=str))


def chain_content(event: Any, *, owner: str, key: str) -> dict[str, Any]:
    """Everything an event asserts; the hash covers exactly this. `owner` names the owner's
    kind ("hazard") and `key` is the owner's number."""
    return {
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
    event = events(
        **{events.chain_owner: owner},
        seq=events._default_manager.filter(**{events.chain_owner: owner}).count() + 1,
        action=action,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=str(actor) if actor is not None else SYSTEM,
        actor_role=str(actor_role or getattr(actor, "role", "system")),
        at=at,
        from_status=from_status,
        to_status=owner.status,
        payload=payload,
        attachments=sorted(attachments or []),
        prev_hash=owner.chain_head or GENESIS,
    )
    event.hash = entry_hash(event.prev_hash, _content(events, owner, event))
    event.save()
    type(owner)._default_manager.filter(pk=owner.pk).update(chain_head=event.hash)
    owner.chain_head = event.hash
    return event


def _content(events: type[ChainedEvent], owner: Any, event: Any) -> dict[str, Any]:
    return chain_content(event, owner=events.chain_owner, key=getattr(owner, events.chain_key))


@dataclass
class ChainProblem:
    owner: str  # the owner's number
    seq: int | None
    problem: str
    kind: str = ""  # what the owner is, e.g. 隐患

    def __str__(self) -> str:
        where = _("事件 #%(seq)s") % {"seq": self.seq} if self.seq is not None else f"{self.kind}{_('记录')}"
        return f"{self.owner} {where}：{self.problem}"


def chain_verify(events: type[ChainedEvent], owner: Any, chain: list[Any]) -> Iterator[ChainProblem]:
    """The problems of one owner's chain (`chain` in seq order): the first break, then the head."""
    key, kind = getattr(owner, events.chain_key), str(type(owner)._meta.verbose_name)
    prev = GENESIS
    for expected_seq, event in enumerate(chain, start=1):
        problem = _link_problem(events, owner, event, expected_seq, prev)
        if problem:
            yield ChainProblem(key, event.seq, problem, kind)
            return
        prev = event.hash
    if (owner.chain_head or GENESIS) != prev:
        yield ChainProblem(key, None, _("链末端哈希不符，末尾事件被删除或追加"), kind)
    elif chain and chain[-1].to_status != owner.status:
        message = _("当前状态“%(status)s”与最后事件不符，状态被绕过流程修改") % {"status": owner.status}
        yield ChainProblem(key, None, message, kind)


def _link_problem(events: type[ChainedEvent], owner: Any, event: Any, expected_seq: int, prev: str) -> str:
    if event.seq != expected_seq:
        return _("序号不连续（应为 #%(seq)s），事件被删除、插入或重排") % {"seq": expected_seq}
    if event.prev_hash != prev:
        return _("前序哈希不符，事件被删除、插入或重排")
    if entry_hash(event.prev_hash, _content(events, owner, event)) != event.hash:
        return _("内容与哈希不符，事件被修改")
    return ""


def chain_verify_all(events: type[ChainedEvent], batch: int = 2000) -> Iterator[ChainProblem]:
    """Walk every chain of this history, owner by owner in id order, a batch of owners at a time."""
    owner_model: Any = events._meta.get_field(events.chain_owner).related_model
    owners = owner_model._default_manager
    fk = f"{events.chain_owner}_id"
    last_id = 0
    while True:
        page = list(owners.filter(pk__gt=last_id).order_by("pk")[:batch])
        if not page:
            return
        chains: dict[int, list[Any]] = {owner.pk: [] for owner in page}
        for event in events._default_manager.filter(**{f"{fk}__in": chains}).order_by(fk, "seq"):
            chains[getattr(event, fk)].append(event)
        for owner in page:
            yield from chain_verify(events, owner, chains[owner.pk])
        last_id = page[-1].pk
