"""Every write outside the triage table: submitting a report (public page, QR page, API), the
reward mechanism of an enterprise, and the city's policy. Triage actions live in `workflow`."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from functools import partial
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from safeloop.accounts.models import User
from safeloop.core.audit import audit_record
from safeloop.core.chain import chain_append, plain
from safeloop.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from safeloop.core.evidence import evidence_store
from safeloop.core.inputs import Inputs
from safeloop.core.roles import Role
from safeloop.core.services import locked_row, model_update
from safeloop.core.throttle import Limits, Throttle
from safeloop.core.workdays import add_workdays
from safeloop.hazards.services import evidence_uploads
from safeloop.registry.models import Enterprise, Region, RegionLevel
from safeloop.registry.selectors import enterprise_by_public_code
from safeloop.reporting.fields import (
    MAX_PHOTOS,
    MECHANISM,
    MECHANISM_FIELDS,
    POLICY_FIELDS,
    SUBMIT,
    SUBMIT_FIELDS,
    Who,
)
from safeloop.reporting.models import (
    Channel,
    HandlerKind,
    MechanismDocument,
    Report,
    ReporterIdentity,
    ReportEvent,
    ReportingPolicy,
    ReportPhoto,
    ReportStatus,
    RewardMechanism,
)
from safeloop.reporting.notifications import notify_handlers
from safeloop.reporting.public import may_escalate
from safeloop.reporting.selectors import mechanism_enterprise, mechanism_of, policy_for, report_by_code

# ---------------------------------------------------------------- throttles (core.throttle, the one mechanism)


def report_limits() -> Limits:
    return Limits(
        window=timedelta(minutes=settings.SAFELOOP_REPORT_WINDOW_MINUTES),
        per_address=settings.SAFELOOP_REPORT_MAX_PER_ADDRESS,
    )


def lookup_limits() -> Limits:
    return Limits(
        window=timedelta(minutes=settings.SAFELOOP_REPORT_WINDOW_MINUTES),
        per_address=settings.SAFELOOP_REPORT_LOOKUPS_PER_ADDRESS,
    )


PUBLIC_REPORTS = Throttle(
    "public_report",
    report_limits,
    messages={"address_locked": gettext_noop("您所在的网络提交报告过于频繁，请{wait}后再试；紧急情况请拨打12350")},
)
REPORT_LOOKUPS = Throttle(
    "report_lookup",
    lookup_limits,
    messages={"address_locked": gettext_noop("查询过于频繁，请{wait}后再试")},
)


# ---------------------------------------------------------------- text checks

MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!]|javascript:", re.IGNORECASE)
LINK = re.compile(r"https?://|www\.", re.IGNORECASE)
MEANINGFUL = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")
CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
MIN_MEANINGFUL = 6  # characters: "有隐患" alone cannot be checked by anyone
DUPLICATE_SIMILARITY = 0.6  # Jaccard of character bigrams (platform parameter, docs/reporting.md)


def _refuse_markup(inp: Inputs, name: str, label: str, text: str) -> None:
    if text and MARKUP.search(text):
        inp.error(name, _("%(label)s不能包含网页代码（如 <script>），请只写文字") % {"label": label})


def suspected_spam(text: str) -> bool:
    """Links, a character repeated over and over, or almost nothing to check: kept and shown to
    the handler with a mark, never refused (a clumsy report is still a report)."""
    meaningful = MEANINGFUL.findall(text)
    if len(meaningful) < MIN_MEANINGFUL or LINK.search(text):
        return True
    return len(set(meaningful)) <= max(2, len(meaningful) // 10)


def bigrams(text: str) -> set[str]:
    grams: set[str] = set()
    for run in CJK_RUN.findall(text):
        grams |= {run[i : i + 2] for i in range(len(run) - 1)}
    grams |= {w.lower() for w in re.findall(r"[A-Za-z0-9]{2,}", text)}
    return grams


def similarity(a: str, b: str) -> float:
    x, y = bigrams(a), bigrams(b)
    return len(x & y) / len(x | y) if x and y else 0.0


def duplicate_of(*, enterprise: Enterprise | None, region_id: str, text: str) -> Report | None:
    """The earliest report on the same enterprise (or, without one, the same township) within
    SAFELOOP_REPORT_DUPLICATE_DAYS whose text is similar: the new one is marked as its possible
    duplicate (the handler decides; the reward goes to the first valid reporter only)."""
    since = timezone.now() - timedelta(days=settings.SAFELOOP_REPORT_DUPLICATE_DAYS)
    earlier = Report.objects.filter(created_at__gte=since).exclude(status=ReportStatus.REJECTED)
    earlier = (
        earlier.filter(enterprise=enterprise)
        if enterprise
        else earlier.filter(enterprise__isnull=True, region_id=region_id)
    )
    for report in earlier.order_by("created_at", "pk").only("pk", "description", "duplicate_of")[:200]:
        if similarity(text, report.description) >= DUPLICATE_SIMILARITY:
            return report
    return None


# ---------------------------------------------------------------- routing


def route(report: Report, today: Any) -> dict[str, Any]:
    """Internal reports go to the enterprise's designated handler (when its mechanism names one),
    public ones to the township, or to the department an enterprise is assigned to. The first
    response is due within the city's policy's working days (no policy: no deadline shown)."""
    reason = ""
    report.department = None
    if report.channel == Channel.INTERNAL:
        mechanism = mechanism_of(report.enterprise) if report.enterprise else None
        if mechanism is not None and mechanism.established and mechanism.handler_id:
            report.handler_kind = HandlerKind.ENTERPRISE
        else:
            report.handler_kind, reason = HandlerKind.TOWNSHIP, "no_enterprise_handler"
    elif report.enterprise is not None and report.enterprise.supervising_department_override_id:
        report.handler_kind = HandlerKind.DEPARTMENT
        report.department_id = report.enterprise.supervising_department_override_id
    else:
        report.handler_kind = HandlerKind.TOWNSHIP
    report.respond_by = response_deadline(report, today)
    return {"handler_kind": report.handler_kind, "department": report.department_id, "reason": reason}


def response_deadline(report: Report, today: Any) -> Any:
    policy = policy_for(report.region_id)
    if policy is None:
        return None
    internal = report.handler_kind == HandlerKind.ENTERPRISE
    days = policy.internal_response_days if internal else policy.public_response_days
    return add_workdays(today, days).date


# ---------------------------------------------------------------- submitting


def report_submit(*, data: dict[str, Any], address: str | None, account: Any = None) -> Report:
    """A report from anyone (no sign-in): throttled per address, checked, stored with its photos
    and first event, routed. All or nothing: a refused photo stores no report."""
    code = str(data.get("enterprise_code") or "").strip()
    PUBLIC_REPORTS.admit(key=code or "city", address=address)
    inp = Inputs(data)
    values = inp.read_values([s for s in SUBMIT_FIELDS if s.name != "photos"])
    enterprise = _enterprise(inp, code)
    region = _region(inp, enterprise)
    if values.get("reporter") == Who.EMPLOYEE and enterprise is None:
        inp.error("reporter", _("内部报告须扫描本企业的二维码提交；不是通过企业码进入的，请选择“群众（举报）”"))
    for name in ("description", "location", "enterprise_name", "name"):
        _refuse_markup(inp, name, str(SUBMIT[name].label), values.get(name) or "")
    photos = evidence_uploads(inp, SUBMIT["photos"])
    if len(photos) > MAX_PHOTOS:
        inp.error("photos", _("照片最多 %(n)s 张") % {"n": MAX_PHOTOS})
    inp.check()
    assert region is not None
    description = values["description"]
    location = values.get("location", "")
    if values.get("enterprise_name") and enterprise is None:
        location = _("单位或场所：%(name)s；%(where)s") % {"name": values["enterprise_name"], "where": location}
    report = Report(
        channel=Channel.INTERNAL if values["reporter"] == Who.EMPLOYEE else Channel.PUBLIC,
        enterprise=enterprise,
        region=region,
        category=enterprise.category if enterprise else None,
        kind=values["kind"],
        description=description,
        location=location[:200],
        lat=values.get("lat"),
        lng=values.get("lng"),
        suspected_spam=suspected_spam(description),
    )
    report.duplicate_of = duplicate_of(enterprise=enterprise, region_id=region.code, text=description)
    with transaction.atomic():
        routing = route(report, timezone.localdate())
        report.save()
        stored = [_store_photo(report, photo) for photo in photos]
        if values.get("name") or values.get("phone") or account is not None:
            ReporterIdentity.objects.create(
                report=report,
                name=values.get("name", ""),
                phone=values.get("phone", ""),
                named_to_enterprise=bool(values.get("named_to_enterprise")),
                account=account if getattr(account, "pk", None) else None,
            )
        payload = {
            "channel": report.channel,
            "kind": report.kind,
            "enterprise": report.enterprise_id,
            "region": report.region_id,
            "respond_by": report.respond_by,
            "duplicate_of": report.duplicate_of.reference if report.duplicate_of else "",
            "suspected_spam": report.suspected_spam,
            "anonymous": not (values.get("name") or values.get("phone")),
            **routing,
        }
        chain_append(
            events=ReportEvent,
            owner=report,
            action="submit",
            actor=None,
            actor_role="reporter",
            at=timezone.now(),
            from_status="",
            payload=plain(payload),
            attachments=[s.sha256 for s in stored],
        )
        transaction.on_commit(partial(notify_handlers, report.pk))
    return report


def _enterprise(inp: Inputs, code: str) -> Enterprise | None:
    if not code:
        return None
    found = enterprise_by_public_code(code)
    if found is None:
        inp.error("enterprise_code", _("企业码无效：请重新扫描企业张贴的二维码"))
        return None
    return Enterprise.objects.select_related("category", "region").get(pk=found.pk)


def _region(inp: Inputs, enterprise: Enterprise | None) -> Region | None:
    if enterprise is not None:
        return enterprise.region
    spec = SUBMIT["township"].but(required=True)
    missing = _("请选择隐患所在的乡镇（街道）")
    return inp.record(spec, Region.objects.filter(level=RegionLevel.TOWNSHIP), missing=missing)


def _store_photo(report: Report, upload: File) -> ReportPhoto:
    stored = evidence_store(upload=upload, folder=f"reports/{report.code}")
    return ReportPhoto.objects.create(
        report=report,
        **stored.file_fields(),
    )


def progress_lookup(*, code: str, address: str | None) -> Report | None:
    """The public lookup by tracking code, throttled per address (no walking through codes)."""
    REPORT_LOOKUPS.admit(key="lookup", address=address)
    return report_by_code(code)


def report_escalate(*, code: str, address: str | None) -> Report:
    """The reporter (by tracking code, throttled) takes an internal report the enterprise left
    unanswered past its deadline, or rejected, to the township: it is received there anew."""
    found = progress_lookup(code=code, address=address)
    if found is None:
        raise NotFound(_("没有找到该查询码对应的报告"))
    with transaction.atomic():
        report = Report.objects.select_for_update(of=("self",)).select_related("enterprise").get(pk=found.pk)
        if not may_escalate(report, timezone.localdate()):
            raise Conflict(_("只有企业逾期未处理或不予认定的内部报告，才能转报属地乡镇（街道）"), code="wrong_state")
        before = report.status
        report.handler_kind, report.department = HandlerKind.TOWNSHIP, None
        report.status, report.closed_at, report.first_response_at = ReportStatus.RECEIVED, None, None
        report.respond_by = response_deadline(report, timezone.localdate())
        report.version += 1
        report.save()
        payload = {"handler_kind": report.handler_kind, "respond_by": report.respond_by, "previous": before}
        chain_append(
            events=ReportEvent,
            owner=report,
            action="escalate",
            actor=None,
            actor_role="reporter",
            at=timezone.now(),
            from_status=before,
            payload=plain(payload),
        )
        transaction.on_commit(partial(notify_handlers, report.pk))
    return report


# ---------------------------------------------------------------- the reward mechanism


def may_edit_mechanism(user: Any, enterprise: Enterprise) -> bool:
    """The enterprise records its own; regulators of its area may record what they checked."""
    if user.role == Role.ENTERPRISE:
        return bool(user.enterprise_id == enterprise.pk)
    return bool(user.is_regulator) and user.role != Role.SYSADMIN


def mechanism_put(*, actor: Any, enterprise_id: Any, data: dict[str, Any]) -> RewardMechanism:
    """Create or replace the mechanism record (PUT: `version` required once it exists)."""
    enterprise = mechanism_enterprise(actor, enterprise_id)
    if enterprise is None:
        raise NotFound()
    if not may_edit_mechanism(actor, enterprise):
        raise Forbidden(_("奖励机制由企业本身或其属地、行业监管部门填报"))
    inp = Inputs(data)
    values = inp.read_all([s for s in MECHANISM_FIELDS if s.name != "handler"])
    values["handler"] = _handler(inp, enterprise)
    values["established"] = bool(values.get("established"))
    if values["established"] and not values.get("established_on"):
        inp.error("established_on", _("已建立奖励机制的，请填写建立日期"))
    low, high = values.get("reward_min"), values.get("reward_max")
    if low is not None and high is not None and low > high:
        inp.error("reward_max", _("最高奖励不能低于最低奖励"))
    inp.check()
    with transaction.atomic():
        existing = RewardMechanism.objects.select_for_update().filter(enterprise=enterprise).first()
        if existing is None:
            mechanism = RewardMechanism.objects.create(enterprise=enterprise, updated_by=actor, **values)
            audit_record(actor=actor, action="reward_mechanism.create", target=mechanism, changes={})
            return mechanism
        version = data.get("version")
        locked_row(
            model=RewardMechanism,
            pk=existing.pk,
            version=_int_or_none(version, inp),
            user=actor,
            queryset=RewardMechanism.objects.select_for_update(),
        )
        values["updated_by"] = actor
        model_update(instance=existing, data=values, actor=actor, action="reward_mechanism.update")
        return existing


def _int_or_none(raw: Any, inp: Inputs) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise ValidationFailed(_("请提供当前版本号 version"), fields={"version": _("version 为必填的整数")}) from None


def _handler(inp: Inputs, enterprise: Enterprise) -> Any:
    if not inp.data.get("handler"):
        return None
    accounts = User.objects.filter(role=Role.ENTERPRISE, enterprise=enterprise, is_active=True)
    return inp.record(MECHANISM["handler"], accounts, missing=_("指定处理人须是本企业的有效账号"))


def mechanism_document_add(*, actor: Any, enterprise_id: Any, upload: File) -> MechanismDocument:
    enterprise = mechanism_enterprise(actor, enterprise_id)
    if enterprise is None:
        raise NotFound()
    if not may_edit_mechanism(actor, enterprise):
        raise Forbidden(_("奖励机制由企业本身或其属地、行业监管部门填报"))
    with transaction.atomic():
        mechanism, _created = RewardMechanism.objects.get_or_create(enterprise=enterprise)
        stored = evidence_store(upload=upload, folder=f"mechanisms/{enterprise.public_code}")
        return MechanismDocument.objects.create(
            mechanism=mechanism,
            **stored.file_fields(),
            uploaded_by=actor,
        )


def may_set_policy(user: Any) -> bool:
    """The city (or a county, for its own area) sets its deadlines and reward standard."""
    return bool(user.is_authenticated and user.is_active and user.role in (Role.CITY, Role.COUNTY) and user.region_id)


def policy_put(*, actor: Any, data: dict[str, Any]) -> ReportingPolicy:
    """The policy of the actor's own region (version required once it exists)."""
    if not may_set_policy(actor):
        raise Forbidden(_("报告处理期限和奖励标准由市、县两级安委办设定"))
    inp = Inputs(data)
    values = inp.read_all(POLICY_FIELDS)
    inp.check()
    with transaction.atomic():
        existing = ReportingPolicy.objects.select_for_update().filter(region_id=actor.region_id).first()
        if existing is None:
            policy = ReportingPolicy.objects.create(region_id=actor.region_id, **values)
            audit_record(actor=actor, action="reporting_policy.create", target=policy, changes={})
            return policy
        if _int_or_none(data.get("version"), inp) != existing.version:
            message = _("该标准已被他人修改（当前版本 %(v)s），请刷新后重试") % {"v": existing.version}
            raise Conflict(message, code="stale_version")
        model_update(instance=existing, data=values, actor=actor, action="reporting_policy.update")
        return existing


def suggested_reward(report: Report) -> tuple[Decimal | None, str]:
    """The amount and the standard it comes from: the enterprise's own standard for an internal
    report it handles, the city's (ReportingPolicy) for a public one, an internal one the township
    handles (the enterprise had none, or the reporter took it outside) or when the enterprise set none."""
    if report.channel == Channel.INTERNAL and report.handler_kind == HandlerKind.ENTERPRISE and report.enterprise_id:
        mechanism = mechanism_of(report.enterprise)  # type: ignore[arg-type]
        if mechanism is not None and mechanism.reward_min is not None:
            return mechanism.reward_min, _("企业奖励标准：%(text)s") % {"text": mechanism.reward_standard[:200]}
    policy = policy_for(report.region_id)
    if policy is None:
        return None, ""
    major = report.hazard is not None and report.hazard.level == "major"
    amount = policy.reward_major if major else policy.reward_general
    return amount, _("市奖励标准：%(source)s") % {"source": policy.source[:200]}
