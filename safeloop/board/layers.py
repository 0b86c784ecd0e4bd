"""The board's own layers, registered in `core.maplayers` like any app's (BoardConfig.ready): the
registry's enterprises (四色图), open major hazards, 挂牌督办, campaign progress and inspection
coverage. Other apps (flood, enforcement) register theirs from their own `ready()`.

Wide areas are aggregated in the database so a province of 200,000 enterprises stays a few
thousand features: at a city or province the enterprises are one point per township and risk
level (the count as its size), at a county or township each enterprise is a point.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safeloop.board import selectors as sel
from safeloop.campaigns.models import Status as CampaignStatus
from safeloop.campaigns.models import Task, TaskStatus
from safeloop.core.maplayers import MapLayer, point, register_layer
from safeloop.core.regions import subtree_prefix
from safeloop.core.scope import region_q, visible
from safeloop.hazards.models import DEADLINE_STATUSES, OPEN_STATUSES, Level, Listing, Status
from safeloop.inspections.models import Inspection
from safeloop.inspections.models import Status as InspectionStatus
from safeloop.registry.models import RiskLevel

POINTS_AT = ("county", "township")  # levels drawn one point per record
MAX_POINTS = 4000  # beyond this the hazards of a wide area are aggregated per township


def _wide(region: str) -> bool:
    return sel.level_of(region) not in POINTS_AT


def _days_overdue(status: str, deadline, today) -> int:
    return max((today - deadline).days, 0) if deadline and status in DEADLINE_STATUSES else 0


# ---------------------------------------------------------------- 四色图


def enterprise_features(user, region: str) -> list[dict[str, Any]]:
    if _wide(region):
        return sel.cached(user, "layer-enterprises", region, lambda: _enterprise_cells(user, region))
    rows = (
        sel.enterprises_in(user, region)
        .exclude(lat__isnull=True)
        .order_by("pk")
        .values("pk", "name", "lat", "lng", "risk_level", "region_id")
    )
    labels = dict(RiskLevel.choices)
    features = [
        point(
            round(float(r["lng"]), 5),
            round(float(r["lat"]), 5),
            name=r["name"],
            risk_level=r["risk_level"] or "none",
            risk=str(labels.get(r["risk_level"], _("未评定"))),
            url=reverse("registry:enterprise_detail", args=[r["pk"]]),
        )
        for r in rows
    ]
    return _ordered([f for f in features if f])


def _enterprise_cells(user, region: str) -> list[dict[str, Any]]:
    """One feature per township (per county at a province) at its centre: its enterprises by risk level
    (`counts`), `risk_level` the highest level present (the board draws one circle per level,
    sized by its count, red on top)."""
    listing = reverse("registry:enterprise_list")
    features = []
    for t in sel.cells(user, region):
        if t["lng"] is None or not t["enterprises"]:
            continue
        counts = {level: t["risk"].get(level, 0) for level in sel.RISK_ORDER}
        present = [level for level in sel.RISK_ORDER if counts[level]]
        features.append(
            point(
                t["lng"],
                t["lat"],
                name=t["name"],
                risk_level=present[-1] if present else "none",
                count=t["enterprises"],
                counts=counts,
                url=f"{listing}?region={t['code']}",
            )
        )
    return features


def _ordered(features: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Blue first, red last: drawn bottom to top, the red points stay visible."""
    rank = {level: i for i, level in enumerate(sel.RISK_ORDER)}
    return sorted(features, key=lambda f: rank.get(f["properties"]["risk_level"], -1))


# ---------------------------------------------------------------- 重大隐患


def major_hazard_features(user, region: str) -> list[dict[str, Any]]:
    def compute():
        today = timezone.localdate()
        qs = sel.hazards_in(user, region).filter(level=Level.MAJOR, status__in=OPEN_STATUSES)
        if sel.level_of(region) == "province":
            return _county_cells(user, region)
        if _wide(region) and qs.count() > MAX_POINTS:
            return _hazard_cells(user, region, qs, today)
        labels = dict(Status.choices)
        rows = qs.order_by("deadline", "pk").values(
            "pk", "code", "status", "deadline", "enterprise__name", "enterprise__lat", "enterprise__lng"
        )
        features = [
            point(
                _r(r["enterprise__lng"]),
                _r(r["enterprise__lat"]),
                name=r["enterprise__name"],
                code=r["code"],
                status=str(labels.get(r["status"], r["status"])),
                deadline=r["deadline"].isoformat() if r["deadline"] else "",
                days_overdue=_days_overdue(r["status"], r["deadline"], today),
                overdue="yes" if _days_overdue(r["status"], r["deadline"], today) else "no",
                url=reverse("hazards:detail", args=[r["pk"]]),
            )
            for r in rows
        ]
        return [f for f in features if f]

    return sel.cached(user, "layer-major", region, compute)


def _county_cells(user, region: str) -> list[dict[str, Any]]:
    """A province's open major hazards per county, from the counts the board's table already
    has (`selectors.hazard_counts`, cached): no second pass over the hazards."""
    counts = sel.hazard_counts(user, region, 6)
    ledger = reverse("hazards:ledger")
    features = []
    for c in sel.cells(user, region):
        h = counts.get(c["code"], {})
        if h.get("open_major") and c["lng"] is not None:
            features.append(
                point(
                    c["lng"],
                    c["lat"],
                    name=c["name"],
                    count=h["open_major"],
                    days_overdue=0,
                    overdue="yes" if h["overdue_major"] else "no",
                    late=h["overdue_major"],
                    url=f"{ledger}?region={c['code']}&level=major&list=problems",
                )
            )
    return features


def _hazard_cells(user, region: str, qs, today) -> list[dict[str, Any]]:
    rows = (
        qs.annotate(unit=Substr("enterprise__region_id", 1, 9))
        .values("unit")
        .annotate(n=Count("pk"), late=Count("pk", filter=Q(status__in=DEADLINE_STATUSES, deadline__lt=today)))
        .order_by()
    )
    by_code = {t["code"]: t for t in sel.cells(user, region)}
    ledger = reverse("hazards:ledger")
    features = []
    for r in rows:
        t = by_code.get(r["unit"])
        if t and t["lng"] is not None:
            features.append(
                point(
                    t["lng"],
                    t["lat"],
                    name=t["name"],
                    count=r["n"],
                    days_overdue=0,
                    overdue="yes" if r["late"] else "no",
                    late=r["late"],
                    url=f"{ledger}?region={t['code']}&level=major&list=problems",
                )
            )
    return features


def _r(value) -> float | None:
    return None if value is None else round(float(value), 5)


# ---------------------------------------------------------------- 挂牌督办


def listing_features(user, region: str) -> list[dict[str, Any]]:
    today = timezone.localdate()
    qs = (
        visible(user, Listing.objects.filter(delisted_on__isnull=True))
        .filter(region_q("hazard__enterprise__region", subtree_prefix(region)))
        .order_by("deadline", "pk")
        .values(
            "level",
            "body",
            "listed_on",
            "deadline",
            "hazard_id",
            "hazard__code",
            "hazard__status",
            "hazard__enterprise__name",
            "hazard__enterprise__lat",
            "hazard__enterprise__lng",
        )
    )
    levels, statuses = dict(Listing._meta.get_field("level").choices), dict(Status.choices)
    features = [
        point(
            _r(r["hazard__enterprise__lng"]),
            _r(r["hazard__enterprise__lat"]),
            name=r["hazard__enterprise__name"],
            code=r["hazard__code"],
            listing=str(levels.get(r["level"], r["level"])),
            body=r["body"],
            listed_on=r["listed_on"].isoformat(),
            deadline=r["deadline"].isoformat(),
            status=str(statuses.get(r["hazard__status"], r["hazard__status"])),
            days_overdue=max((today - r["deadline"]).days, 0) if r["hazard__status"] in OPEN_STATUSES else 0,
            url=reverse("hazards:detail", args=[r["hazard_id"]]),
        )
        for r in qs
    ]
    return [f for f in features if f]


# ---------------------------------------------------------------- 专项行动进度


def campaign_features(user, region: str) -> list[dict[str, Any]]:
    """Per county (per township within a county): the tasks of running campaigns and how many are done."""
    length = 9 if not _wide(region) else 6
    qs = visible(user, Task.objects.filter(campaign__status=CampaignStatus.LAUNCHED)).filter(
        region_q("enterprise__region", subtree_prefix(region))
    )
    rows = (
        qs.exclude(status=TaskStatus.CANCELLED)
        .annotate(unit=Substr("enterprise__region_id", 1, length))
        .values("unit")
        .annotate(
            tasks=Count("pk"),
            done=Count("pk", filter=Q(status=TaskStatus.DONE)),
            campaigns=Count("campaign", distinct=True),
        )
        .order_by()
    )
    centres = sel.centres(user, region, length)
    names = _names([r["unit"] for r in rows])
    features = []
    for r in rows:
        at = centres.get(r["unit"])
        if at:
            features.append(
                point(
                    *at,
                    name=names.get(r["unit"], r["unit"]),
                    campaigns=r["campaigns"],
                    tasks=r["tasks"],
                    done=r["done"],
                    progress=round(100 * r["done"] / r["tasks"], 1) if r["tasks"] else 0,
                    band=_band(r["done"], r["tasks"]),
                    url=f"{reverse('campaigns:list')}?status=launched",
                )
            )
    return features


def _band(part: int, whole: int) -> str:
    share = part / whole if whole else 0
    return "high" if share >= 0.8 else "mid" if share >= 0.5 else "low"


def _names(codes: list[str]) -> dict[str, str]:
    from safeloop.registry.models import Region

    return dict(Region.objects.filter(code__in=codes).values_list("code", "name"))


# ---------------------------------------------------------------- 执法检查覆盖


def inspection_features(user, region: str) -> list[dict[str, Any]]:
    """Per township: the share of its enterprises with an inspection closed this year."""

    def compute():
        year = timezone.localdate().year
        rows = (
            visible(user, Inspection.objects.filter(status=InspectionStatus.CLOSED, closed_at__year=year))
            .filter(region_q("enterprise__region", subtree_prefix(region)))
            .values("enterprise__region_id")
            .annotate(n=Count("enterprise", distinct=True))
            .order_by()
        )
        inspected = {r["enterprise__region_id"]: r["n"] for r in rows}
        features = []
        for t in sel.townships(user, region):
            if t["lng"] is None or not t["enterprises"]:
                continue
            n = inspected.get(t["code"], 0)
            features.append(
                point(
                    t["lng"],
                    t["lat"],
                    name=t["name"],
                    enterprises=t["enterprises"],
                    inspected=n,
                    coverage=round(100 * n / t["enterprises"], 1),
                    band=_band(n, t["enterprises"]) if n else "none",
                    url=f"{reverse('inspections:list')}?region={t['code']}",
                )
            )
        return features

    return sel.cached(user, "layer-inspections", region, compute)


BANDS = (("high", _("≥80%")), ("mid", _("50%–80%")), ("low", _("<50%")))

LAYERS = (
    MapLayer(
        key="enterprises",
        title=_("企业风险四色图"),
        features=enterprise_features,
        order=10,
        legend=(
            (RiskLevel.RED, _("重大风险（红）")),
            (RiskLevel.ORANGE, _("较大风险（橙）")),
            (RiskLevel.YELLOW, _("一般风险（黄）")),
            (RiskLevel.BLUE, _("低风险（蓝）")),
        ),
        style_property="risk_level",
        fields=(("risk", _("风险等级")), ("count", _("企业数")), ("counts", _("各等级企业数"))),
    ),
    MapLayer(
        key="major-hazards",
        title=_("重大隐患"),
        features=major_hazard_features,
        order=20,
        legend=(("yes", _("已逾期")), ("no", _("整改期内"))),
        style_property="overdue",
        fields=(
            ("code", _("隐患编号")),
            ("status", _("状态")),
            ("deadline", _("整改期限")),
            ("days_overdue", _("逾期天数")),
            ("count", _("重大隐患数")),
            ("late", _("其中逾期")),
        ),
    ),
    MapLayer(
        key="listings",
        title=_("挂牌督办"),
        features=listing_features,
        order=30,
        fields=(
            ("code", _("隐患编号")),
            ("listing", _("督办级别")),
            ("body", _("挂牌督办单位")),
            ("deadline", _("督办整改期限")),
            ("status", _("状态")),
            ("days_overdue", _("逾期天数")),
        ),
    ),
    MapLayer(
        key="campaigns",
        title=_("专项行动进度"),
        features=campaign_features,
        order=40,
        legend=BANDS,
        style_property="band",
        fields=(
            ("campaigns", _("进行中的行动")),
            ("tasks", _("任务数")),
            ("done", _("已完成")),
            ("progress", _("完成率（%）")),
        ),
    ),
    MapLayer(
        key="inspections",
        title=_("执法检查覆盖"),
        features=inspection_features,
        order=50,
        legend=(*BANDS, ("none", _("本年未检查"))),
        style_property="band",
        fields=(("enterprises", _("企业数")), ("inspected", _("本年已检查")), ("coverage", _("覆盖率（%）"))),
    ),
)
INITIAL = ("enterprises", "major-hazards")  # drawn at first; the rest load when switched on


def register() -> None:
    for layer in LAYERS:
        register_layer(layer)
