"""Excel of the expert pool (export and import) and of a matching run's result (export)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from pydantic import Field

from safeloop.accounts.models import User
from safeloop.core.bulk import Export, Import
from safeloop.core.errors import ValidationFailed
from safeloop.core.filters import Filters
from safeloop.core.jobs import Progress
from safeloop.core.xlsx import Column, ImportFailed, ImportReport, read_rows
from safeloop.experts.fields import EXPERT
from safeloop.experts.models import Expert, MatchingRow
from safeloop.experts.selectors import expert_list, may_plan, may_see_pool, run_detail, run_rows
from safeloop.experts.services import clean_expert_row, experts_import, import_lookups, require_planner


class PoolFilters(Filters):
    category: str = Field("", title=gettext_noop("专业"))
    county: str = Field("", title=gettext_noop("所在县市区"))
    active: str = Field("", title=gettext_noop("状态"), description=gettext_noop("1：在库；0：已出库"))
    q: str = Field("", title=gettext_noop("搜索"), description=gettext_noop("姓名或工作单位中的文字"))


def pool_select(user: User, f: PoolFilters) -> QuerySet[Expert, Any]:
    active = {"1": True, "0": False}.get(f.active)
    return expert_list(user, category=f.category, active=active, county=f.county, q=f.q).prefetch_related(
        "certificates"
    )


def specialties_text(e: Expert) -> str:
    return "、".join(f"{s.category.name}（{s.get_level_display()}）" for s in e.specialties.all())


def _certificate(e: Expert) -> Any:
    certs = sorted(e.certificates.all(), key=lambda c: c.expires_on)
    return certs[-1] if certs else None


EXPERT_COLUMNS = [
    Column.of(EXPERT["name"], width=10),
    Column.of(EXPERT["employer"], width=28),
    Column.of(EXPERT["title"], width=12),
    Column.of(EXPERT["phone"], width=14),
    Column.of(EXPERT["county"], lambda e: e.county.name if e.county_id else "", 12),
    Column.of(EXPERT["specialties"], specialties_text, 36),
    Column.of(EXPERT["capacity"], width=10),
    Column.of(EXPERT["home_lat"], lambda e: float(e.home_lat), 10),
    Column.of(EXPERT["home_lng"], lambda e: float(e.home_lng), 10),
    Column.of(EXPERT["certificate"], lambda e: (c := _certificate(e)) and c.name or "", 18),
    Column.of(EXPERT["certificate_expires_on"], lambda e: (c := _certificate(e)) and c.expires_on, 14),
    Column.of(EXPERT["active"], width=8),
]
POOL_ONLY = gettext_lazy("专家库由安委办、应急管理部门和行业部门查看")

EXPERT_EXPORT = Export(
    kind="experts.pool_export",
    title=gettext_lazy("专家库"),
    columns=EXPERT_COLUMNS,
    filters=PoolFilters,
    select=pool_select,
    allowed=may_see_pool,
    refusal=POOL_ONLY,
    back="experts:pool",
)


def pool_import(*, actor: User, data: bytes, progress: Progress | None = None) -> ImportReport:
    """All rows or none, every error by row and column; an expert is matched by name and phone
    (else by name and employer): a match is updated, any other row adds an expert."""
    require_planner(actor)
    sheet = read_rows(data, EXPERT_COLUMNS)
    report, rows = ImportReport(letters=sheet.letters), []
    lookups = import_lookups()
    for number, raw in sheet:
        try:
            rows.append(clean_expert_row(raw, lookups))
        except ValidationFailed as exc:
            report.add(number, EXPERT_COLUMNS, exc.fields)
    if report.errors:
        raise ImportFailed(report)
    report.created, report.updated, report.unchanged = experts_import(actor=actor, rows=rows)
    return report


EXPERT_IMPORT = Import(
    kind="experts.pool_import",
    title=gettext_lazy("专家库导入"),
    run=pool_import,
    back="experts:pool",
    back_label=gettext_lazy("专家库"),
)


# ---------------------------------------------------------------- a matching run's result


class RunFilters(Filters):
    run: str = Field("", title=gettext_noop("匹配批次"))


def run_select(user: User, f: RunFilters) -> QuerySet[MatchingRow, Any]:
    if not f.run.isdigit():
        return MatchingRow.objects.none()
    return run_rows(user, run_detail(user, int(f.run)))


def _km(row: MatchingRow) -> Any:
    return round(row.metres / 1000, 1) if row.metres is not None else ""


RUN_COLUMNS = [
    Column(_("企业"), "enterprise", lambda r: r.enterprise.name, 30),
    Column(_("统一社会信用代码"), "credit_code", lambda r: r.enterprise.credit_code, 20),
    Column(_("所在地"), "region", lambda r: r.enterprise.region.name, 12),
    Column(_("专家"), "expert", lambda r: r.expert.name if r.expert_id else "", 10),
    Column(_("专家工作单位"), "employer", lambda r: r.expert.employer if r.expert_id else "", 24),
    Column(_("匹配专业"), "specialty", lambda r: r.specialty, 16),
    Column(_("距离（公里）"), "distance_km", _km, 10),
    Column(_("说明"), "explanation", lambda r: r.explanation or r.reason, 40),
    Column(_("人工调整"), "manual", lambda r: "是" if r.manual else "", 8),
]

RUN_EXPORT = Export(
    kind="experts.matching_export",
    title=gettext_lazy("专家匹配结果"),
    columns=RUN_COLUMNS,
    filters=RunFilters,
    select=run_select,
    allowed=may_plan,
    refusal=gettext_lazy("专家匹配由市、县两级安委办/应急管理部门和行业部门使用"),
    back="experts:matching",
)
EXPORTS = (EXPERT_EXPORT, RUN_EXPORT)
