"""Official documents of the loop: 隐患整改通知书, 责令限期整改指令书, 整改复查意见书.

A document is issued by an event: the assign event issues the order (a regulator finding with
an order number) or else the notice (a regulator assigning a hazard the enterprise found; an
enterprise assigning its own hazard issues nothing to itself); the accept event of an ordered
hazard issues the review. It is rendered from that event's payload (deadline, responsible
unit and person; opinion; numbers; date), so a later extension or reopening never rewrites
an issued document, then stored and sealed (`core.seals`) in the action's transaction, with a
QR code to its public verification page. Downloads serve the sealed bytes. Documents issued
before sealing existed (imported ledgers, the demo city) are sealed on first download,
rendered from the same event history.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safeloop.accounts.models import User
from safeloop.core.docx import DOCX_CONTENT_TYPE, Code, OfficialDocument, chinese_date
from safeloop.core.errors import NotFound
from safeloop.core.models import SealedRecord
from safeloop.core.qr import qr_png
from safeloop.core.seals import latest_seal, new_token, record_seal, verification_url
from safeloop.hazards.clauses import clause_shown
from safeloop.hazards.issuers import IssuingBody, issuing_body_of
from safeloop.hazards.models import Hazard, HazardEvent, Source

NOTICE, ORDER, REVIEW = "notice", "order", "review"
TITLES = {
    NOTICE: gettext_lazy("隐患整改通知书"),
    ORDER: gettext_lazy("责令限期整改指令书"),
    REVIEW: gettext_lazy("整改复查意见书"),
}
SELF_FOUND = (Source.SELF_CHECK, Source.INTERNAL_REPORT)
HAZARD_HEADERS = ["序号", "隐患编号", "隐患描述", "等级", "判定依据"]
HAZARD_WIDTHS = (14, 32, 64, 15, 31)  # mm of the 156 mm type area: 序号, 等级 and a clause never wrap
REVIEW_HEADERS = ["序号", "隐患编号", "隐患描述", "复查意见"]
REVIEW_WIDTHS = (14, 32, 56, 54)


@dataclass(frozen=True)
class Facts:
    """What an issued document states, as recorded when it was issued."""

    hazard: Hazard
    event: HazardEvent  # the event that issued the document
    assign: HazardEvent  # the assign event: the order's number, deadline and responsibilities
    body: IssuingBody

    @property
    def issued_on(self) -> date:
        return timezone.localdate(self.event.at)

    @property
    def order_no(self) -> str:
        return self.assign.payload.get("order_no") or self.hazard.order_no

    @property
    def deadline(self) -> str:
        recorded = self.assign.payload.get("deadline")
        day = date.fromisoformat(recorded) if recorded else self.hazard.original_deadline or self.hazard.deadline
        return chinese_date(day) if day else "—"

    def assigned(self, name: str) -> str:
        return self.assign.payload.get(name) or getattr(self.hazard, name) or "—"

    @property
    def officers(self) -> list[str]:
        """The acting user's name; imported and generated history names no person."""
        return [self.event.actor_name] if self.event.actor_id else []

    @property
    def review_government(self) -> str:
        """The 行政复议机关 of a local department: its own people's government (行政复议法 2023 第二十四条)."""
        return self.body.name.replace("应急管理局", "人民政府")


# ---------------------------------------------------------------- which event issues what


def kinds_issued_by(hazard: Hazard, event: HazardEvent) -> list[str]:
    if event.action == "assign" and event.payload.get("on_spot"):
        return []  # removed on the spot (即查即改): its document is the 现场处理措施决定书, not a notice
    if event.action == "assign":
        if event.payload.get("order_no") or hazard.order_no:
            return [ORDER]
        return [] if _assigned_by_enterprise(hazard, event) else [NOTICE]
    if event.action == "accept" and event.payload.get("review_no"):
        return [REVIEW]
    return []


def _assigned_by_enterprise(hazard: Hazard, assign: HazardEvent) -> bool:
    if hazard.assigned_by_role:  # recorded by the workflow
        return hazard.assigned_by_role == "enterprise"
    if assign.actor_role != "import":  # generated history records the party as the role
        return assign.actor_role == "enterprise"
    return hazard.source in SELF_FOUND  # an imported ledger does not say who assigned


ISSUING_ACTIONS = ("assign", "accept", "reopen")


def issuing_events(hazard: Hazard) -> dict[str, HazardEvent]:
    """The event behind each document the hazard has now (a reopening withdraws the review)."""
    return _current(hazard, hazard.events.filter(action__in=ISSUING_ACTIONS).order_by("seq"))


def _current(hazard: Hazard, events: Iterable[HazardEvent]) -> dict[str, HazardEvent]:
    found: dict[str, HazardEvent] = {}
    for event in events:
        if event.action == "reopen":
            found.pop(REVIEW, None)
        for kind in kinds_issued_by(hazard, event):
            found[kind] = event
    return found


def available_documents(hazard: Hazard) -> list[tuple[str, str]]:
    issued = issuing_events(hazard)
    return [(kind, str(TITLES[kind])) for kind in TITLES if kind in issued]


@dataclass(frozen=True)
class Issued:
    """One document a hazard has now, as it states itself (for lists of many hazards' documents)."""

    hazard: Hazard
    kind: str
    title: str
    number: str
    issuer: str
    issued_on: date
    seal: SealedRecord | None  # its sealed record; None until its first download (older history)


def documents_issued(hazards: QuerySet[Hazard]) -> list[Issued]:
    """The current documents of these hazards (e.g. one enterprise's), newest first: three queries
    however many hazards (the hazards, their issuing events, their sealed records) plus one per
    issuing body."""
    hazards_list = list(hazards.select_related("enterprise"))
    events: dict[int, list[HazardEvent]] = {}
    issuing = HazardEvent.objects.filter(hazard__in=hazards.values("pk"), action__in=ISSUING_ACTIONS)
    for event in issuing.order_by("seq"):
        events.setdefault(event.hazard_id, []).append(event)
    bodies: dict[str, IssuingBody] = {}
    issued = [
        _issued(hazard, kind, event, events[hazard.pk], bodies)
        for hazard in hazards_list
        for kind, event in _current(hazard, events.get(hazard.pk, [])).items()
    ]
    return _with_seals(sorted(issued, key=lambda doc: (doc.issued_on, doc.hazard.pk), reverse=True))


def _issued(hazard: Hazard, kind: str, event: HazardEvent, events: list[HazardEvent], bodies: dict) -> Issued:
    assign = event if event.action == "assign" else next((e for e in reversed(events) if e.action == "assign"), event)
    region = hazard.enterprise.region_id
    body = bodies.get(region) or bodies.setdefault(region, issuing_body_of(region))
    facts = Facts(hazard, event, assign, body)
    return Issued(hazard, kind, str(TITLES[kind]), _number(facts, kind), body.name, facts.issued_on, None)


def _with_seals(issued: list[Issued]) -> list[Issued]:
    """Each document with its sealed record: the latest of its kind, if it bears the document's
    number (the same test `document_sealed` makes before sealing anew)."""
    ids = {str(doc.hazard.pk) for doc in issued}
    records = SealedRecord.objects.filter(target_type=Hazard._meta.label_lower, target_id__in=ids)
    latest = {(r.target_id, r.kind): r for r in records.order_by("seq")}
    return [replace(doc, seal=_own_seal(doc, latest.get((str(doc.hazard.pk), seal_kind(doc.kind))))) for doc in issued]


def _own_seal(doc: Issued, record: SealedRecord | None) -> SealedRecord | None:
    return record if record is not None and record.number == doc.number else None


# ---------------------------------------------------------------- issuing and serving


def issue_documents(*, hazard: Hazard, event: HazardEvent, actor: User) -> list[SealedRecord]:
    """Render, store and seal what `event` issues; the workflow calls this in the action's
    transaction, right after appending the event."""
    return [_seal(hazard, kind, event, actor) for kind in kinds_issued_by(hazard, event)]


def document_sealed(*, hazard: Hazard, kind: str, actor: User) -> SealedRecord:
    """The sealed record of the hazard's current document of `kind`, sealing it now (from its
    event history) if it was issued before documents were sealed. The hazard row is locked,
    so two first downloads seal once."""
    with transaction.atomic():
        locked = Hazard.objects.select_for_update(of=("self",)).select_related("enterprise").get(pk=hazard.pk)
        event = issuing_events(locked).get(kind)
        if event is None:
            raise NotFound(_("该隐患没有这份文书"))
        record = latest_seal(target=locked, kind=seal_kind(kind))
        if record is not None and record.number == _number(_facts(locked, event), kind):
            return record
        return _seal(locked, kind, event, actor)


def seal_kind(kind: str) -> str:
    return f"hazards.{kind}"


def _seal(hazard: Hazard, kind: str, event: HazardEvent, actor: User) -> SealedRecord:
    facts = _facts(hazard, event)
    token = new_token()
    doc = RENDER[kind](facts, Code(qr_png(verification_url(token)), _("扫码核验文书真伪")))
    return record_seal(
        kind=seal_kind(kind),
        title=str(TITLES[kind]),
        number=_number(facts, kind),
        issuer=facts.body.name,
        issued_on=facts.issued_on,
        content=doc.to_bytes(),
        content_type=DOCX_CONTENT_TYPE,
        target=hazard,
        actor=actor,
        token=token,
    )


def _facts(hazard: Hazard, event: HazardEvent) -> Facts:
    assign = event if event.action == "assign" else hazard.events.filter(action="assign").order_by("-seq").first()
    return Facts(hazard, event, assign or event, issuing_body_of(hazard.enterprise.region_id))


def _number(facts: Facts, kind: str) -> str:
    if kind == REVIEW:
        return facts.event.payload.get("review_no") or facts.hazard.review_no
    return facts.order_no if kind == ORDER else facts.hazard.code


# ---------------------------------------------------------------- the three layouts


def _hazard_table(doc: OfficialDocument, hazard: Hazard) -> None:
    row = ["1", hazard.code, hazard.description, hazard.get_level_display(), clause_shown(hazard)]
    doc.table(HAZARD_HEADERS, [row], widths_mm=HAZARD_WIDTHS)


def _responsibilities(doc: OfficialDocument, facts: Facts) -> None:
    unit, person = facts.assigned("responsible_unit"), facts.assigned("responsible_person")
    doc.paragraph(_("整改责任单位：%(unit)s；整改责任人：%(person)s。") % {"unit": unit, "person": person})


def notice(facts: Facts, code: Code | None = None) -> OfficialDocument:
    h = facts.hazard
    doc = OfficialDocument(str(TITLES[NOTICE]), h.code)
    doc.paragraph(f"{h.enterprise.name}：", indent=False)
    doc.paragraph(
        _(
            "经%(source)s（%(found)s），发现你单位（统一社会信用代码：%(code)s）存在下列事故隐患。请按照"
            "“责任、措施、资金、时限、预案”五落实的要求，于%(deadline)s前整改完毕，并提交整改情况和证明材料。"
        )
        % {
            "source": h.get_source_display(),
            "found": chinese_date(h.found_on),
            "code": h.enterprise.credit_code,
            "deadline": facts.deadline,
        }
    )
    _hazard_table(doc, h)
    _responsibilities(doc, facts)
    doc.signature(facts.body.name, facts.issued_on, code=code)
    doc.receipt_line(_("被通知单位负责人（签名）"))
    return doc


def order(facts: Facts, code: Code | None = None) -> OfficialDocument:
    h = facts.hazard
    doc = OfficialDocument(str(TITLES[ORDER]), facts.order_no)
    doc.paragraph(f"{h.enterprise.name}：", indent=False)
    doc.paragraph(_("经%(found)s检查，你单位存在下列问题：") % {"found": chinese_date(h.found_on)})
    _hazard_table(doc, h)
    doc.paragraph(
        _(
            "依据《中华人民共和国安全生产法》第六十五条的规定，现责令你单位于%(deadline)s前整改完毕，达到有关法律法规"
            "规章和标准规定的要求。整改期间，你单位应当采取措施，确保安全生产。"
        )
        % {"deadline": facts.deadline}
    )
    _responsibilities(doc, facts)
    doc.paragraph(
        _(
            "如不服本指令，可以依法在六十日内向%(government)s申请行政复议，或者在六个月内依法向人民法院提起行政诉讼，"
            "但本指令不停止执行。"
        )
        % {"government": facts.review_government}
    )
    doc.officers(_("执法人员"), facts.officers)
    doc.signature(facts.body.name, facts.issued_on, code=code)
    doc.receipt_line(_("被检查单位负责人（签名）"))
    return doc


def review(facts: Facts, code: Code | None = None) -> OfficialDocument:
    h = facts.hazard
    doc = OfficialDocument(str(TITLES[REVIEW]), _number(facts, REVIEW))
    doc.paragraph(f"{h.enterprise.name}：", indent=False)
    doc.paragraph(
        _(
            "本机关于%(ordered)s作出《责令限期整改指令书》（%(order_no)s），于%(reviewed)s对你单位的整改情况"
            "进行了复查，复查意见如下："
        )
        % {
            "ordered": chinese_date(timezone.localdate(facts.assign.at)),
            "order_no": facts.order_no,
            "reviewed": chinese_date(facts.issued_on),
        }
    )
    opinion = facts.event.payload.get("opinion") or "—"
    doc.table(REVIEW_HEADERS, [["1", h.code, h.description, opinion]], widths_mm=REVIEW_WIDTHS)
    doc.officers(_("执法人员"), facts.officers)
    doc.signature(facts.body.name, facts.issued_on, code=code)
    doc.receipt_line(_("被复查单位负责人（签名）"))
    return doc


RENDER: dict[str, Callable[[Facts, Code | None], OfficialDocument]] = {NOTICE: notice, ORDER: order, REVIEW: review}
