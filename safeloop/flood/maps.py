"""The board's flood layers (core.maplayers): the risk points, and what is overdue under the
active warnings and responses (risk points whose patrol is overdue, 险情 not cleared)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from safeloop.core.maplayers import MapLayer, point, register_layer
from safeloop.core.regions import subtree_prefix
from safeloop.core.scope import region_q, visible
from safeloop.flood.models import PointLevel, RiskPoint
from safeloop.flood.selectors import danger_list, overdue_patrols


def risk_point_features(user: Any, region: str) -> list[dict[str, Any]]:
    qs = visible(user, RiskPoint.objects.filter(region_q("region", subtree_prefix(region))))
    rows = qs.values_list("pk", "name", "kind", "level", "lng", "lat")
    features = (
        point(lng, lat, name=name, kind=kind, level=level, url=reverse("flood:point_detail", args=[pk]))
        for pk, name, kind, level, lng, lat in rows
    )
    return [f for f in features if f]


def overdue_features(user: Any, region: str) -> list[dict[str, Any]]:
    prefix = subtree_prefix(region)
    out = []
    for o in overdue_patrols(user):
        if o.point.region_id.startswith(prefix):
            url = reverse("flood:point_detail", args=[o.point.pk])
            out.append(point(o.point.lng, o.point.lat, name=o.point.name, state="overdue_patrol", url=url))
    for d in danger_list(user, open_only=True).filter(region_q("region", prefix)):
        url = reverse("flood:danger_detail", args=[d.pk])
        out.append(
            point(d.risk_point.lng, d.risk_point.lat, name=f"{d.code} {d.risk_point.name}", state="danger", url=url)
        )
    return [f for f in out if f]


def register_layers() -> None:
    register_layer(
        MapLayer(
            key="flood-risk-points",
            title=_("防汛风险点"),
            features=risk_point_features,
            order=40,
            legend=tuple((value, label) for value, label in PointLevel.choices),
            style_property="level",
        )
    )
    register_layer(
        MapLayer(
            key="flood-overdue",
            title=_("防汛预警下逾期巡查和未解除险情"),
            features=overdue_features,
            order=41,
            legend=(("overdue_patrol", _("巡查逾期")), ("danger", _("险情未解除"))),
            style_property="state",
        )
    )
