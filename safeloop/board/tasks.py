"""Filling the board's store (`board.store`) before anyone asks: the province board at --scale 40
takes seconds to compute, so its first open must not be where that happens.

`board_warm` (a daily job of `core.schedule`, every `WARM_HOURS`; `manage.py board_warm` for
cron) enqueues one `board_refresh` per scope and region the board is opened at, at a priority
below every user's job, so an export started meanwhile is not kept waiting behind the whole
warm-up. `board_refresh` is also what a request asks for when it served a stale payload.
A scope is what `selectors.scope_key` shares between users (same role and area: same rows);
it is computed as one active user of that scope, with that user's scope when it runs.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django_tasks import task

from safeloop.accounts.models import User
from safeloop.board import selectors as sel
from safeloop.board import store
from safeloop.core.regions import subtree_prefix
from safeloop.core.roles import Role
from safeloop.core.schedule import Tally, each
from safeloop.core.scope import region_in_scope
from safeloop.registry.boundaries import outline_version, region_outline
from safeloop.registry.models import Region

logger = logging.getLogger("safeloop.board")
WARM_HOURS = 4  # < store.KEEP: every scope always has figures to serve at once
REFRESH_PRIORITY = -10  # behind every user's job in the worker


def payload_key(user: User, code: str) -> str:
    return f"{sel.scope_key(user)}:{code}"


def payload_body(user: User, region: Region) -> bytes:
    return json.dumps(sel.payload(user, region), cls=DjangoJSONEncoder, ensure_ascii=False).encode()


def outline_code(code: str) -> str:
    """The outline a region's board draws: a province's or city's counties; a county's own (its
    townships' boards draw it too)."""
    return code if sel.level_of(code) in ("province", "city") else code[:6]


def outline_body(code: str) -> bytes:
    """Simplified once per version (a province's 137 files: about a second), kept on disk for
    every later process."""
    return store.kept(
        f"outline-{code}-{outline_version()}.json",
        lambda: json.dumps(region_outline(code), ensure_ascii=False, separators=(",", ":")).encode(),
    )


def scope_users() -> list[User]:
    """One active user for each scope that may open the board."""
    found: dict[str, User] = {}
    users = User.objects.filter(is_active=True).exclude(role__in=(Role.ENTERPRISE, Role.EXPERT)).order_by("pk")
    for user in users:
        if sel.can_open_board(user):
            found.setdefault(sel.scope_key(user), user)
    return list(found.values())


def regions_opened(user: User) -> list[str]:
    """The regions a user's board is opened at: its area, then what it drills to — below a
    province or city its cities and counties, below a county its townships."""
    area = sel.default_region(user)
    level = sel.level_of(area)
    if level == "township":
        return [area]
    below = Region.objects.exclude(pk=area)
    if level == "county":
        below = below.filter(parent_id=area)
    else:
        below = below.filter(code__startswith=subtree_prefix(area), level__in=("city", "county"))
    return [area, *below.order_by("code").values_list("code", flat=True)]


def warm_targets() -> list[tuple[User, str]]:
    return [(user, code) for user in scope_users() for code in regions_opened(user)]


def refresh(user: User, code: str, *, older_than: float = 0) -> bool:
    """Compute and store the payload unless the stored one is younger than `older_than` seconds."""
    key = payload_key(user, code)
    stored = store.age(key)
    if stored is not None and stored < older_than:
        return False
    outline_body(outline_code(code))  # simplified once per version
    store.put(key, payload_body(user, Region.objects.get(pk=code)))
    return True


@task(priority=REFRESH_PRIORITY)
def board_refresh(user_id: int, region: str) -> bool:
    """One scope's payload for one region; skipped when another refresh stored it just now."""
    user = User.objects.filter(pk=user_id).first()
    if user is None or not sel.can_open_board(user) or not region_in_scope(user, region):
        return False
    return refresh(user, region, older_than=store.FRESH)


def warm_now(tally: Tally | None = None) -> Tally:
    """Every target computed here and now (`manage.py board_warm`)."""
    return each(warm_targets(), lambda target: refresh(*target), job="board_warm", tally=tally)


@task()
def board_warm() -> dict[str, Any]:
    """Enqueue a refresh of every scope and region (scheduled every `WARM_HOURS`)."""
    tally = each(warm_targets(), lambda t: board_refresh.enqueue(t[0].pk, t[1]), job="board_warm")
    return {"enqueued": tally.done, "failed": tally.failed, "failures": tally.failures}
