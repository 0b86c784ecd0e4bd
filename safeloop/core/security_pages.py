"""The security log for the system administrator: filters, a paged list and the Excel export
(`core.bulk.Export`, so a large export runs as a background job like every other list)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django.views.decorators.http import require_GET
from ninja import Field

from safeloop.core.bulk import Export, export_response
from safeloop.core.filters import Filters
from safeloop.core.http import query_without_page
from safeloop.core.inputs import Inputs
from safeloop.core.models import SecurityEvent, SecurityKind, SecurityResult
from safeloop.core.roles import Role
from safeloop.core.xlsx import Column, plain

PAGE_SIZE = 50

# The detail's keys as the page and the workbook name them; anything else is shown as recorded.
DETAIL_LABELS = {
    "username": gettext_lazy("用户名"),
    "account": gettext_lazy("账号"),
    "change": gettext_lazy("变更"),
    "fields": gettext_lazy("字段"),
    "object": gettext_lazy("对象"),
    "id": gettext_lazy("编号"),
    "title": gettext_lazy("名称"),
    "filters": gettext_lazy("筛选条件"),
    "rows": gettext_lazy("行数"),
    "file": gettext_lazy("文件"),
    "number": gettext_lazy("文书编号"),
    "status": gettext_lazy("状态码"),
    "method": gettext_lazy("操作"),
    "path": gettext_lazy("页面"),
    "reason": gettext_lazy("原因"),
    "token": gettext_lazy("令牌"),
    "count": gettext_lazy("条数"),
    "through": gettext_lazy("清理至序号"),
    "before": gettext_lazy("早于"),
    "days": gettext_lazy("保留天数"),
    "last_hash": gettext_lazy("末条哈希"),
}


# A request's method in words (the log keeps the method itself).
METHOD_WORDS = {
    "GET": gettext_lazy("查看"),
    "HEAD": gettext_lazy("查看"),
    "POST": gettext_lazy("提交"),
    "PUT": gettext_lazy("修改"),
    "PATCH": gettext_lazy("修改"),
    "DELETE": gettext_lazy("删除"),
}


def can_read_security_log(user: Any) -> bool:
    return bool(user.is_authenticated and user.role == Role.SYSADMIN)


class SecurityFilters(Filters):
    kind: str = Field("", title=gettext_noop("类型"))
    user: str = Field("", title=gettext_noop("用户"), description=gettext_noop("用户名或姓名中的文字"))
    result: str = Field("", title=gettext_noop("结果"))
    address: str = Field("", title=gettext_noop("地址"), description=gettext_noop("IP 地址（前缀）"))
    date_from: str = Field("", title=gettext_noop("日期起"))
    date_to: str = Field("", title=gettext_noop("日期止"))

    def dates(self) -> tuple[date | None, date | None]:
        """The date range; what is not a date filters nothing (the page keeps what was typed)."""
        inp = Inputs(self.model_dump())
        return inp.date("date_from", _("日期起")), inp.date("date_to", _("日期止"))


def security_events(user: Any, f: SecurityFilters) -> QuerySet[SecurityEvent]:
    """The events the filters name, newest first; nothing for anyone but a system administrator."""
    if not can_read_security_log(user):
        return SecurityEvent.objects.none()
    qs = SecurityEvent.objects.all()
    if f.kind in SecurityKind.values:
        qs = qs.filter(action=f.kind)
    if f.result in SecurityResult.values:
        qs = qs.filter(to_status=f.result)
    if f.user:
        qs = qs.filter(Q(actor_name__icontains=f.user) | Q(actor__username__icontains=f.user))
    if f.address:
        qs = qs.filter(address__startswith=f.address)
    return _in_dates(qs, *f.dates()).order_by("-seq")


def _in_dates(qs: QuerySet[SecurityEvent], start: date | None, end: date | None) -> QuerySet[SecurityEvent]:
    zone = timezone.get_current_timezone()
    if start is not None:
        qs = qs.filter(at__gte=datetime.combine(start, time.min, tzinfo=zone))
    if end is not None:
        qs = qs.filter(at__lt=datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone))
    return qs


def security_words(user: Any, f: SecurityFilters) -> list[str]:
    """The filters in words, for the workbook's title row and the job's name."""
    kinds, results = dict(SecurityKind.choices), dict(SecurityResult.choices)
    start, end = f.dates()
    words = [str(kinds.get(f.kind, "")), str(results.get(f.result, "")), f.user, f.address]
    if start or end:
        words.append(f"{start or ''}～{end or ''}")
    return [word for word in words if word]


def describe(event: SecurityEvent) -> str:
    """The detail in words: 用户名：city_admin；页面：/hazards/5/."""
    parts = []
    for key, value in event.payload.items():
        shown = "、".join(f"{k}={v}" for k, v in value.items() if v) if isinstance(value, dict) else value
        if isinstance(shown, list):
            shown = "、".join(str(item) for item in shown)
        if key == "method":
            shown = METHOD_WORDS.get(str(shown), shown)
        if shown not in ("", None):
            parts.append(f"{DETAIL_LABELS.get(key, key)}：{shown}")
    return "；".join(parts)


COLUMNS = [
    Column(_("序号"), "seq", lambda e: e.seq, width=8),
    Column(_("时间"), "at", lambda e: plain(e.at), width=18),
    Column(_("类型"), "action", lambda e: e.get_kind_display(), width=14),
    Column(_("操作人"), "actor_name", lambda e: e.actor_name, width=16),
    Column(_("地址"), "address", lambda e: e.address, width=16),
    Column(_("结果"), "to_status", lambda e: e.get_result_display(), width=8),
    Column(_("详情"), "payload", describe, width=60),
    Column(_("哈希"), "hash", lambda e: e.hash, width=20),
]

SECURITY_LOG_EXPORT = Export(
    kind="core.security_log_export",
    title=_("安全日志"),
    columns=COLUMNS,
    filters=SecurityFilters,
    select=security_events,
    words=security_words,
    allowed=can_read_security_log,
    refusal=_("安全日志仅限系统管理员查看"),
    back="core:security_log",
)


@login_required
@require_GET
def security_log_page(request: HttpRequest) -> HttpResponse:
    if not can_read_security_log(request.user):
        raise PermissionDenied(_("安全日志仅限系统管理员查看"))
    filters = SecurityFilters.from_params(request.GET)
    page = Paginator(security_events(request.user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(event, describe(event)) for event in page.object_list]
    context = {"page": page, "rows": rows, "filters": filters, "query": query_without_page(request)}
    context.update(kinds=SecurityKind.choices, results=SecurityResult.choices)
    return render(request, "core/security_log.html", context)


@login_required
@require_GET
def security_log_export(request: HttpRequest) -> HttpResponseBase:
    return export_response(request, SECURITY_LOG_EXPORT)
