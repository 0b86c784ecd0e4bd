"""即查即改: a general hazard found and fixed on the spot, recorded in one act.

RULES.md §2.2 (16号令 第三条): a 一般事故隐患 is one that can be removed at once on discovery;
§2.4 (原15号令 第十四条): a hazard that can be removed on the spot is ordered removed at once. A
major hazard needs 停产停业 and time, so it never qualifies: the record is always general.

Who records: a regulator at the enterprise (its inspection finding) or the enterprise itself
(its own self-check): the parties that confirm, assign and accept such a hazard in the table.
Experts assist but are not an inspecting subject (RULES.md §0.5), and accept nothing.

The record runs the table's own rows — report, confirm, assign, start, submit_rectification,
accept and, where the recorder may (`close` offered to it), close — in one transaction, each an
event of the chain; no status is set by hand, so `verify_ledger` holds. It stops at `accepted`
for a recorder the table does not let close (a township's finding is closed by the county), and
a closed record has its 回头看 scheduled like any other: an on-the-spot fix is the kind that
slips back (the 消防通道 cleared today is blocked next month).

Acceptor ≠ fixer: the recorder witnessed the fix and accepts it; the fixer is a person named in
the record (who must not be the recorder), so the submission's fixer is that name, not the
recorder's account (the table's `submit_rectification` lets the recorder enter it because the
hazard is marked `on_spot`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safeloop.accounts.models import Role, User
from safeloop.core.errors import Forbidden
from safeloop.core.inputs import Inputs
from safeloop.hazards.fields import ON_SPOT, ON_SPOT_FIELDS
from safeloop.hazards.models import EvidenceKind, Hazard, Level, Source
from safeloop.hazards.notifications import hazard_notify
from safeloop.hazards.permissions import can_fix_on_spot
from safeloop.hazards.services import enterprise_of_report, evidence_attach, evidence_uploads, hazard_create
from safeloop.hazards.workflow import HAZARD_FLOW, available_actions

# The acts of the record are told once, when it is complete (notifications' `fix_on_spot`).
QUIET_FLOW = replace(HAZARD_FLOW, notify=None)
SOURCE_BY_ROLE = {Role.ENTERPRISE: Source.SELF_CHECK, Role.TOWNSHIP: Source.TOWNSHIP_PATROL}


def on_spot_fields(actor: User) -> tuple:
    """An enterprise's own account records for its enterprise and names none."""
    if actor.role == Role.ENTERPRISE:
        return tuple(spec for spec in ON_SPOT_FIELDS if spec.name != "enterprise")
    return ON_SPOT_FIELDS


def hazard_fix_on_spot(*, actor: User, data: dict[str, Any]) -> Hazard:
    """Record a hazard found and fixed on the spot, through the table, in one transaction."""
    if not can_fix_on_spot(actor):
        raise Forbidden(_("即查即改由监管部门、属地或企业（自查）记录"))
    inp = Inputs(data)
    record = _record(actor, inp)
    with transaction.atomic():
        hazard = _run(actor, record)
        transaction.on_commit(lambda: _tell(hazard, actor))
    return hazard


def _record(actor: User, inp: Inputs) -> dict[str, Any]:
    """Every field read and every file checked (each message said) before anything is stored."""
    values = inp.read_values([ON_SPOT[name] for name in ("description", "location", "nature")])
    values["enterprise"] = enterprise_of_report(actor, inp)
    fixer = inp.read(ON_SPOT["fixer"])
    if fixer and fixer in {str(actor), actor.username}:
        inp.error("fixer", _("整改人不能是记录人本人：验收须由整改人以外的人进行"))
    record = {"values": values, "fixer": fixer, "note": inp.read(ON_SPOT["note"])}
    record["before"] = evidence_uploads(inp, ON_SPOT["before"])
    record["after"] = evidence_uploads(inp, ON_SPOT["after"])
    inp.check()
    return record


def _run(actor: User, record: dict[str, Any]) -> Hazard:
    today = timezone.localdate()
    values = record["values"] | {
        "level": Level.GENERAL,
        "source": SOURCE_BY_ROLE.get(actor.role, Source.REGULATOR),
        "found_on": today,
        "finder_name": str(actor),
        "on_spot": True,
    }
    hazard = hazard_create(actor=actor, values=values, photos=record["before"], payload={"on_spot": True})[0]
    where = hazard.location or hazard.enterprise.name
    hazard = _act(hazard, actor, "confirm", level=Level.GENERAL)
    hazard = _act(hazard, actor, "assign", responsible_unit=where, responsible_person=record["fixer"], deadline=today)
    hazard = _act(hazard, actor, "start")
    after = [_after_photo(hazard, actor, upload) for upload in record["after"]]
    note = record["note"] or _("即查即改，当场整改完毕")
    hazard = _act(hazard, actor, "submit_rectification", note=note, fixer=record["fixer"], attachments=after)
    hazard = _act(hazard, actor, "accept", opinion=_("现场核实，已当场整改到位"))
    if any(t.action == "close" for t in available_actions(actor, hazard)):
        hazard = _act(hazard, actor, "close")
    return hazard


def _act(hazard: Hazard, actor: User, action: str, **data: Any) -> Hazard:
    return QUIET_FLOW.act(pk=hazard.pk, actor=actor, action=action, version=hazard.version, data=data)


def _after_photo(hazard: Hazard, actor: User, upload: File) -> int:
    return evidence_attach(hazard=hazard, actor=actor, upload=upload, kind=EvidenceKind.RECTIFICATION).pk


def _tell(hazard: Hazard, actor: User) -> None:
    title = f"{hazard.code}：{_('即查即改：隐患已当场整改并验收')}（{hazard.get_status_display()}）"
    hazard_notify(hazard=hazard, action="fix_on_spot", title=title, actor_id=actor.pk)
