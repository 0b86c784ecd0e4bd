"""The table's rules: signatures (专家+企业双签字), who signs for the enterprise, who accepts a
rectification, and the conditions rows are offered under."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from safeloop.accounts.models import Role, User
from safeloop.accounts.selectors import has_active_account, has_other_account, signing_capacity
from safeloop.core.scope import area_q
from safeloop.core.transitions import Context, Rule, Turn
from safeloop.hazards.listing import lister_level, may_decide, open_listing
from safeloop.hazards.models import (
    Acceptor,
    Hazard,
    Level,
    Listing,
)
from safeloop.hazards.signers import expert_refusal, expert_signable_q
from safeloop.hazards.workflow.parties import ENTERPRISE, EXPERT, REGULATOR, S, is_self_managed
from safeloop.registry.models import Enterprise
from safeloop.registry.selectors import supervising_department

# ---------------------------------------------------------------- signatures (专家+企业双签字)


def signing_stage(hazard: Hazard) -> str:
    return "confirmation" if hazard.status == S.REPORTED else "acceptance"


def signing_party(parties: frozenset[str]) -> str | None:
    if EXPERT in parties:
        return EXPERT
    return ENTERPRISE if ENTERPRISE in parties else None


def signatures(hazard: Hazard, stage: str) -> set[str]:
    """Parties whose `sign` for this stage counts: acceptance signatures are reset by a reject
    or a new submission, so each acceptance round needs both again."""
    signed: set[str] = set()
    for event in hazard.events.order_by("seq").only("action", "payload"):
        if event.action == "sign" and event.payload.get("stage") == stage:
            signed.add(event.payload["party"])
        elif stage == "acceptance" and event.action in ("reject", "submit_rectification"):
            signed.clear()
    return signed


def _require_both_signatures(ctx: Context, stage: str) -> None:
    if ctx.obj.level != Level.MAJOR:
        return
    missing = {EXPERT, ENTERPRISE} - signatures(ctx.obj, stage)
    if missing:
        names = "、".join(
            str(name)
            for party, name in ((EXPERT, _("专家")), (ENTERPRISE, _("企业主要负责人或其授权签字人")))
            if party in missing
        )
        ctx.inp.error("signatures", gettext("重大隐患需专家和企业主要负责人双签字，尚缺：%(names)s") % {"names": names})


# ---------------------------------------------------------------- the table's rules


def _signing_counts(turn: Turn) -> bool:
    hazard = turn.obj
    return hazard.level == Level.MAJOR or (hazard.status == S.REPORTED and not is_self_managed(hazard))


def _not_signed_yet(turn: Turn) -> bool:
    party = signing_party(turn.parties)
    return party is None or party not in signatures(turn.obj, signing_stage(turn.obj))


def _decides_extension(turn: Turn) -> bool:
    return turn.obj.assigned_by_role != REGULATOR or REGULATOR in turn.parties


def _extension_deciders_q(actor: User, parties: frozenset[str]) -> Q:
    return Q() if REGULATOR in parties else ~Q(assigned_by_role=REGULATOR)


def _look_back_due(turn: Turn) -> bool:
    return turn.obj.look_back_due is None or turn.today >= turn.obj.look_back_due


def _listing_body_decides(turn: Turn) -> bool:
    listing = open_listing(turn.obj)
    return listing is None or may_decide(turn.actor, listing)


def _listing_bodies_q(actor: User, parties: frozenset[str]) -> Q:
    """Hazards not listed, or listed by a body whose area includes the actor's listing area."""
    listed = Listing.objects.filter(delisted_on__isnull=True)
    if lister_level(actor) is None or actor.region_id is None:
        return ~Q(pk__in=listed.values("hazard_id"))
    ours = listed.filter(area_q("region", actor.region_id))
    return ~Q(pk__in=listed.values("hazard_id")) | Q(pk__in=ours.values("hazard_id"))


SIGNING_COUNTS = Rule(test=_signing_counts, refusal=_("只有重大隐患（或拟确认为重大隐患的）需要专家和企业双签字"))
NOT_SIGNED_YET = Rule(test=_not_signed_yet, refusal=_("本环节您一方已签字"), code="duplicate")
EXTENSION_PENDING = Rule(
    test=lambda turn: bool(turn.obj.extension_request),
    refusal=_("没有待审批的延期申请"),
    q=lambda actor, parties: Q(extension_request__isnull=False),
)
NO_EXTENSION_PENDING = Rule(
    test=lambda turn: not turn.obj.extension_request, refusal=_("已有待审批的延期申请，请等待审批结果")
)
ASSIGNER_DECIDES = Rule(test=_decides_extension, refusal=_("延期申请由交办部门审批"), q=_extension_deciders_q)
NOT_THE_FIXER = Rule(
    test=lambda turn: turn.obj.rectified_by_id != turn.actor.pk,
    refusal=_("验收须由整改人以外的人员进行"),
    q=lambda actor, parties: ~Q(rectified_by=actor),
)


def _acceptance_signed(turn: Turn) -> bool:
    hazard = turn.obj
    return hazard.level != Level.MAJOR or not ({EXPERT, ENTERPRISE} - signatures(hazard, "acceptance"))


# 验收 of a major hazard is offered once both acceptance signatures are in (the level is settled
# by then, unlike at 确认, where the form may still make the hazard major).
ACCEPTANCE_SIGNED = Rule(
    test=_acceptance_signed,
    refusal=_("重大隐患须待专家和企业主要负责人完成验收签字后才能验收"),
    code="signatures_missing",
)
# 开始整改 of a major hazard is offered once its 治理方案 is in (16号令 第十五条: the plan comes first).
PLAN_SUBMITTED = Rule(
    test=lambda turn: turn.obj.level != Level.MAJOR or turn.obj.plan_submitted_at is not None,
    refusal=_("重大隐患须先提交治理方案，才能开始整改"),
    code="plan_missing",
    q=lambda actor, parties: ~Q(level=Level.MAJOR) | Q(plan_submitted_at__isnull=False),
)
LOOK_BACK_DUE = Rule(test=_look_back_due, refusal=_("回头看尚未到期，请在回头看日期之后进行"))
MAJOR_ONLY = Rule(test=lambda turn: turn.obj.level == Level.MAJOR, refusal=_("只有重大隐患可以挂牌督办"))
NOT_LISTED = Rule(test=lambda turn: open_listing(turn.obj) is None, refusal=_("该隐患已挂牌督办，如需改变级别请先摘牌"))
LISTED = Rule(test=lambda turn: open_listing(turn.obj) is not None, refusal=_("该隐患未挂牌督办"))
LISTS_AT_ITS_LEVEL = Rule(
    test=lambda turn: lister_level(turn.actor) is not None,
    refusal=_("挂牌督办由县级、市级（省级）安委会账号按本级进行"),
)
LISTING_BODY_DECIDES = Rule(
    test=_listing_body_decides,
    refusal=_("挂牌督办的隐患由挂牌督办单位或其上级摘牌、销号"),
    q=_listing_bodies_q,
)


# ---------------------------------------------------------------- who signs for the enterprise, who accepts


def _signs_for_the_enterprise(turn: Turn) -> bool:
    """An enterprise's signature is its principal's, or that of the delegate the principal has
    named on record (accounts.SigningDelegation); an expert's is the expert's own."""
    return ENTERPRISE not in turn.parties or signing_capacity(turn.actor, turn.today) is not None


def _enterprise_signers_q(actor: User, parties: frozenset[str]) -> Q:
    return Q() if ENTERPRISE not in parties or signing_capacity(actor) is not None else Q(pk__in=[])


def _expert_refusal(turn: Turn) -> str | None:
    return expert_refusal(turn.actor, turn.obj, turn.today) if EXPERT in turn.parties else None


def _expert_signers_q(actor: User, parties: frozenset[str]) -> Q:
    return expert_signable_q(actor, timezone.localdate()) if EXPERT in parties else Q()


# An expert signs only within their specialties, with a valid certificate and no recorded
# conflict with the enterprise: the experts app answers (hazards.signers).
EXPERT_SIGNER = Rule(
    test=lambda turn: _expert_refusal(turn) is None,
    refusal=_("专家只能在本人专业范围内、证书有效且无回避关系时签字"),
    q=_expert_signers_q,
    explain=_expert_refusal,
)

ENTERPRISE_SIGNER = Rule(
    test=_signs_for_the_enterprise,
    refusal=_("企业签字须由本企业主要负责人或其授权的签字人本人进行"),
    q=_enterprise_signers_q,
)


def _acceptor_kinds(actor: User, parties: frozenset[str]) -> set[str]:
    """The recorded acceptors this actor is (the department acceptor is one department)."""
    kinds = {""}  # none recorded (history imported or from before it was recorded): `who` decides
    if ENTERPRISE in parties:
        kinds.add(Acceptor.ENTERPRISE)
    if REGULATOR in parties:
        kinds.add(Acceptor.REGULATOR)
    if REGULATOR in parties and actor.role == Role.TOWNSHIP:
        kinds.add(Acceptor.TOWNSHIP)
    return kinds


def _is_the_acceptor(turn: Turn) -> bool:
    h = turn.obj
    if h.acceptor == Acceptor.DEPARTMENT:
        return turn.actor.role == Role.DEPARTMENT and turn.actor.department_id == h.acceptor_department_id
    return h.acceptor in _acceptor_kinds(turn.actor, turn.parties)


def _acceptor_q(actor: User, parties: frozenset[str]) -> Q:
    q = Q(acceptor__in=_acceptor_kinds(actor, parties))
    if actor.role == Role.DEPARTMENT and actor.department_id:
        q |= Q(acceptor=Acceptor.DEPARTMENT, acceptor_department_id=actor.department_id)
    return q


THE_ACCEPTOR = Rule(
    test=_is_the_acceptor,
    refusal=_("验收应由提交整改时确定的验收方进行（见本隐患的“验收方”）"),
    q=_acceptor_q,
)
FALLBACKS = (Acceptor.TOWNSHIP, Acceptor.DEPARTMENT)


def self_accept_fallback() -> tuple[str, ...]:
    """Who accepts the self-found hazard of an enterprise with no second account: the township
    (属地) or the supervising department first, per SAFELOOP_SELF_ACCEPT_FALLBACK, then the other."""
    first = getattr(settings, "SAFELOOP_SELF_ACCEPT_FALLBACK", Acceptor.TOWNSHIP)
    if first not in FALLBACKS:
        raise ImproperlyConfigured(f"SAFELOOP_SELF_ACCEPT_FALLBACK={first!r} must be township or department")
    return (first, *(kind for kind in FALLBACKS if kind != first))


def expected_acceptor(hazard: Hazard, fixer: User) -> tuple[str, str, int | None]:
    """Who is to accept this rectification, decided as it is submitted: (kind, the body's name,
    its department). The enterprise accepts its own self-found hazard when another of its accounts
    can (never the fixer); else the township or the supervising department, whichever has an
    account; a hazard a regulator assigned, or any other, goes to the regulators."""
    if not is_self_managed(hazard) or hazard.assigned_by_role == REGULATOR:
        return Acceptor.REGULATOR, str(Acceptor.REGULATOR.label), None
    if has_other_account(hazard.enterprise_id, besides=fixer.pk):
        return Acceptor.ENTERPRISE, hazard.enterprise.name, None
    for kind in self_accept_fallback():
        found = _fallback_acceptor(kind, hazard.enterprise)
        if found is not None:
            return found
    return Acceptor.REGULATOR, str(Acceptor.REGULATOR.label), None


def on_spot_acceptor(ctx: Context) -> tuple[str, str, int | None]:
    """即查即改: the recorder, who witnessed the fix, accepts it in the same act."""
    if ENTERPRISE in ctx.parties:
        return Acceptor.ENTERPRISE, ctx.obj.enterprise.name, None
    return Acceptor.REGULATOR, str(Acceptor.REGULATOR.label), None


def _fallback_acceptor(kind: str, enterprise: Enterprise) -> tuple[str, str, int | None] | None:
    if kind == Acceptor.TOWNSHIP:
        staffed = has_active_account(role=Role.TOWNSHIP, region_ids=[enterprise.region_id])
        return (Acceptor.TOWNSHIP, enterprise.region.name, None) if staffed else None
    department = supervising_department(enterprise)
    if department is None or not has_active_account(role=Role.DEPARTMENT, department_id=department.pk):
        return None
    return Acceptor.DEPARTMENT, department.name, department.pk
