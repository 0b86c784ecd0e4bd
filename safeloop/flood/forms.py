"""The flood forms: the field lists of `flood.fields` with their drop-down options."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from safeloop.core.forms import FormState
from safeloop.core.scope import visible
from safeloop.flood.fields import (
    ALERT_FIELDS,
    DEPOT_FIELDS,
    DROUGHT_FIELDS,
    END_FIELDS,
    EVACUATION_FIELDS,
    LOG_FIELDS,
    PATROL_FIELDS,
    RELIEF_FIELDS,
    RISK_POINT_FIELDS,
    SHIFT_FIELDS,
    STOCK_FIELDS,
    TEAM_FIELDS,
    TIMES_FIELDS,
    ZERO_FIELDS,
)
from safeloop.flood.models import Depot, RiskPoint
from safeloop.registry.selectors import regions_for_user


def townships(user: Any) -> list[tuple[str, str]]:
    return [(r.code, r.name) for r in regions_for_user(user) if r.level == "township"]


def units(user: Any) -> list[tuple[str, str]]:
    return [
        (r.code, r.name if r.level != "county" else _("{name}（县级）").format(name=r.name))
        for r in regions_for_user(user)
    ]


def commands(user: Any) -> list[tuple[str, str]]:
    """Where a warning or response is issued: the user's city, or a county of its area."""
    own = [(user.region.code, user.region.name)] if user.region_id and user.region.level == "city" else []
    return own + [(r.code, r.name) for r in regions_for_user(user) if r.level == "county"]


def point_form(user: Any, post: Any, point: RiskPoint | None = None) -> FormState:
    return FormState.of_page(RISK_POINT_FIELDS, post, point or RiskPoint(), options={"region": townships(user)})


def patrol_form(user: Any, post: Any, point_id: str = "") -> FormState:
    points = visible(user, RiskPoint.objects.select_related("region")).order_by("region_id", "name")
    options = {"risk_point": [(str(p.pk), f"{p.region.name} · {p.name}") for p in points]}
    initial = {"risk_point": point_id, "patrolled_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")}
    return FormState.of_page(PATROL_FIELDS, post, initial, options=options)


def zero_form(user: Any, post: Any) -> FormState:
    initial = {"region": user.region_id or "", "nil": "1", "on_date": timezone.localdate().isoformat()}
    return FormState.of_page(ZERO_FIELDS, post, initial, options={"region": townships(user)}, prefix="zero")


def shift_form(user: Any, post: Any) -> FormState:
    return FormState.of_page(
        SHIFT_FIELDS,
        post,
        {"on_date": timezone.localdate().isoformat()},
        options={"region": units(user)},
        prefix="shift",
    )


def log_form(user: Any, post: Any) -> FormState:
    return FormState.of_page(
        LOG_FIELDS, post, {"on_date": timezone.localdate().isoformat()}, options={"region": units(user)}, prefix="log"
    )


def alert_form(user: Any, post: Any) -> FormState:
    return FormState.of_page(ALERT_FIELDS, post, {}, options={"region": commands(user)})


def end_form(post: Any) -> FormState:
    return FormState.of_page(END_FIELDS, post, {}, prefix="end")


def times_form(post: Any, alert: Any) -> FormState:
    return FormState.of_page(TIMES_FIELDS, post, alert, prefix="times")


def evacuation_form(user: Any, post: Any) -> FormState:
    return FormState.of_page(EVACUATION_FIELDS, post, {}, options={"region": townships(user)}, prefix="evac")


def relief_form(user: Any, post: Any) -> FormState:
    return FormState.of_page(RELIEF_FIELDS, post, {}, options={"region": townships(user)}, prefix="relief")


def drought_form(user: Any, post: Any) -> FormState:
    return FormState.of_page(
        DROUGHT_FIELDS, post, {"on_date": timezone.localdate().isoformat()}, options={"region": townships(user)}
    )


def depot_form(user: Any, post: Any) -> FormState:
    return FormState.of_page(DEPOT_FIELDS, post, {}, options={"region": townships(user)}, prefix="depot")


def stock_form(user: Any, post: Any) -> FormState:
    depots = visible(user, Depot.objects.select_related("region")).order_by("region_id", "name")
    options = {"depot": [(str(d.pk), f"{d.region.name} · {d.name}") for d in depots]}
    return FormState.of_page(STOCK_FIELDS, post, {}, options=options, prefix="stock")


def team_form(user: Any, post: Any) -> FormState:
    return FormState.of_page(TEAM_FIELDS, post, {}, options={"region": townships(user)}, prefix="team")
