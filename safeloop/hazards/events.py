"""Appending to and verifying the hazard event chain."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from safeloop.core.chain import GENESIS, entry_hash
from safeloop.hazards.models import Hazard, HazardEvent


def event_content(hazard_code: str, event: HazardEvent) -> dict[str, Any]:
    """Everything an event asserts; the hash covers exactly this."""
    return {
        "hazard": hazard_code,
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


def event_append(
    *,
    hazard: Hazard,
    action: str,
    actor: Any,
    at: datetime,
    from_status: str,
    payload: dict,
    attachments: list[str] | None = None,
    actor_role: str | None = None,
) -> HazardEvent:
    """Append one event and move the hazard's chain head. Call inside the action's transaction,
    with the hazard row locked, after the hazard itself has been saved."""
    seq = hazard.events.count() + 1
    event = HazardEvent(
        hazard=hazard,
        seq=seq,
        action=action,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=_actor_name(actor),
        actor_role=actor_role or getattr(actor, "role", "system"),
        at=at,
        from_status=from_status,
        to_status=hazard.status,
        payload=payload,
        attachments=sorted(attachments or []),
        prev_hash=hazard.chain_head or GENESIS,
    )
    event.hash = entry_hash(event.prev_hash, event_content(hazard.code, event))
    event.save()
    Hazard.objects.filter(pk=hazard.pk).update(chain_head=event.hash)
    hazard.chain_head = event.hash
    return event


def _actor_name(actor: Any) -> str:
    if actor is None:
        return "系统"
    return str(actor)


@dataclass
class ChainProblem:
    hazard_code: str
    seq: int | None
    problem: str

    def __str__(self) -> str:
        where = f"事件 #{self.seq}" if self.seq is not None else "隐患记录"
        return f"{self.hazard_code} {where}：{self.problem}"


def verify_hazard(hazard: Hazard, events: list[HazardEvent]) -> Iterator[ChainProblem]:
    prev = GENESIS
    for expected_seq, event in enumerate(events, start=1):
        if event.seq != expected_seq:
            yield ChainProblem(hazard.code, event.seq, f"序号不连续（应为 #{expected_seq}），事件被删除、插入或重排")
            return
        if event.prev_hash != prev:
            yield ChainProblem(hazard.code, event.seq, "前序哈希不符，事件被删除、插入或重排")
            return
        if entry_hash(event.prev_hash, event_content(hazard.code, event)) != event.hash:
            yield ChainProblem(hazard.code, event.seq, "内容与哈希不符，事件被修改")
            return
        prev = event.hash
    if (hazard.chain_head or GENESIS) != prev:
        yield ChainProblem(hazard.code, None, "链末端哈希不符，末尾事件被删除或追加")
    elif events and events[-1].to_status != hazard.status:
        yield ChainProblem(hazard.code, None, f"当前状态“{hazard.status}”与最后事件不符，状态被绕过流程修改")


def verify_all(batch: int = 2000) -> Iterator[ChainProblem]:
    """Walk every chain, hazard by hazard in id order, a batch of hazards at a time."""
    last_id = 0
    while True:
        hazards = list(Hazard.objects.filter(pk__gt=last_id).order_by("pk")[:batch])
        if not hazards:
            return
        by_hazard: dict[int, list[HazardEvent]] = {h.pk: [] for h in hazards}
        for event in HazardEvent.objects.filter(hazard_id__in=by_hazard).order_by("hazard_id", "seq"):
            by_hazard[event.hazard_id].append(event)
        for hazard in hazards:
            yield from verify_hazard(hazard, by_hazard[hazard.pk])
        last_id = hazards[-1].pk
