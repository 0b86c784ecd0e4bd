"""The change feed (`GET /api/v1/changes`, issue 20): every created, updated and deleted object
of the models that joined it, in commit order, each client seeing only what its role sees.

Joining is one line per model in its app's `AppConfig.ready()` (as `core.maplayers`):

    register_feed(FeedType("hazard", Hazard))

and one call in each service write path, inside the writing transaction, after the row is saved:
`changed(obj)` (created or updated), `deleted(obj)` before the row goes, `changed_many(objs)`
for bulk inserts, `changed_each(objs)` for rows a queryset `update()` changed (re-read them).
`core.chain.chain_append` calls it for every event of a registered chained model (so every
workflow action); `core.services` for every `model_update`/`save_changed` of an unchained one.
`tests/feed/consistency.py` finds a write path that forgot it (SAFELOOP_FEED_CHECK, docs/api.md).

The guarantee (docs/api.md, ADR "change feed"): each change row takes its number from the
`changes` counter row (`core.chain.ledger_advance`), whose row lock the writing transaction
holds until it commits. A transaction that wants a number waits for the one holding it, and
PostgreSQL releases a transaction's locks only after its commit is visible to new snapshots;
SQLite has one writer at a time. So numbers are handed out in commit order and a reader that
sees number N also sees every number below N that will ever exist (rolled-back numbers are
given back, so there are no permanent holes either, but the reader never depends on that):
reading `position > cursor` in order and saving the last position read never misses and
never repeats a change, whatever the writers' concurrency or the length of their
transactions. The `ledger` row is locked first so that the two counters are always taken in
the same order (no deadlock with a transaction that appends a chained event afterwards).

The scope: each row stores the scope keys (`ScopePaths`: region code, enterprise, category,
department override) the object had after the change and after its previous change; a row is
shown to a user whose role sees either, and as a removal (`op` "deleted", no data) when the
user saw the object before and no longer does.

A higher app hears of new changes with `on_changes(fn)` (webhooks): `fn()` is called once per
transaction that wrote changes, after it commits (never inside the request's transaction, and
not at all when it rolls back); what it does must be quick (enqueue a task).
"""

from __future__ import annotations

import builtins
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import BooleanField, Case, Model, Q, QuerySet, Value, When
from django.utils import timezone

from safeloop.core.chain import LEDGER, ledger_advance, plain
from safeloop.core.inserts import bulk_insert
from safeloop.core.regions import subtree_prefix
from safeloop.core.roles import AREA_ROLES, Role

logger = logging.getLogger("safeloop.changes")
COUNTER = "changes"
CREATED, UPDATED, DELETED = "created", "updated", "deleted"
NOT_IN_DATA = frozenset({"chain_head", "password"})  # moved by the chain after the save; never served


@dataclass(frozen=True)
class FeedType:
    """A model in the feed under the name `type` (what `types=` and each result's `type` say).
    `data(obj)` is what a client receives (default: every concrete field but `NOT_IN_DATA`,
    foreign keys as ids, as JSON types); `exclude` drops more fields (internal or confidential
    ones). `keys(obj)` replaces the model's `ScopePaths` keys where the model's reads narrow the
    scope further (reporting: an enterprise sees only its internal reports); `hidden_from` names
    the roles that never see the type (whatever the keys say)."""

    type: str
    model: builtins.type[Model]
    data: Callable[[Any], dict[str, Any]] | None = None
    exclude: frozenset[str] = field(default_factory=frozenset)
    keys: Callable[[Any], dict[str, Any]] | None = None
    hidden_from: frozenset[str] = field(default_factory=frozenset)

    def keys_of(self, obj: Any) -> dict[str, Any]:
        return self.keys(obj) if self.keys is not None else scope_keys(obj)

    def snapshot(self, obj: Any) -> dict[str, Any]:
        if self.data is not None:
            return plain(self.data(obj))
        skip = NOT_IN_DATA | self.exclude
        return plain({f.name: getattr(obj, f.attname) for f in obj._meta.concrete_fields if f.name not in skip})


_TYPES: dict[str, FeedType] = {}
_BY_MODEL: dict[str, FeedType] = {}


def register_feed(feed: FeedType) -> None:
    _TYPES[feed.type] = feed
    _BY_MODEL[feed.model._meta.label] = feed


_ON_CHANGES: list[Callable[[], None]] = []


def on_changes(fn: Callable[[], None]) -> None:
    """`fn()` runs after each commit that wrote changes (see the module's docstring)."""
    if fn not in _ON_CHANGES:
        _ON_CHANGES.append(fn)


def _committed() -> None:
    for fn in _ON_CHANGES:
        try:
            fn()
        except Exception:  # noqa: BLE001 - the change is committed; a listener's failure must not undo it
            logger.exception("a listener of the change feed failed")


def _tell_on_commit() -> None:
    """Once per transaction: a callback already waiting (in a savepoint not rolled back) is enough."""
    if _ON_CHANGES and not any(entry[1] is _committed for entry in connection.run_on_commit):
        transaction.on_commit(_committed)


def feed_types() -> list[str]:
    return sorted(_TYPES)


def feed_label(name: str) -> str:
    """What a user reads for a type (its model's name: 隐患); the type's own name if unknown."""
    feed = _TYPES.get(name)
    return str(feed.model._meta.verbose_name) if feed is not None else name


def feed_type_named(text: str) -> str | None:
    """The type a user named, by its API name (hazard) or what the pages call it (隐患)."""
    if text in _TYPES:
        return text
    return next((name for name in _TYPES if feed_label(name) == text), None)


def feed_named(name: str) -> FeedType:
    return _TYPES[name]


def feed_of(model: type[Model]) -> FeedType | None:
    return _BY_MODEL.get(model._meta.label)


# ---------------------------------------------------------------- writing


def changed(obj: Any, *, created: bool | None = None) -> None:
    """Record that `obj` was created or updated (inside the writing transaction, after the save).
    A model that has not joined the feed is ignored (so core can call this for any model)."""
    feed = feed_of(type(obj))
    if feed is not None:
        op = (CREATED if created else UPDATED) if created is not None else None
        _write(feed, [(obj, op, feed.snapshot(obj))])


def deleted(obj: Any) -> None:
    """Record that `obj` is being deleted (call before the delete, inside its transaction)."""
    feed = feed_of(type(obj))
    if feed is not None:
        _write(feed, [(obj, DELETED, None)])


def changed_each(objs: Sequence[Any]) -> None:
    """Record several objects (all of one model) created or updated by one write (a queryset
    `update()`, re-read): one counter step for all."""
    if not objs:
        return
    feed = feed_of(type(objs[0]))
    if feed is not None:
        _write(feed, [(obj, None, feed.snapshot(obj)) for obj in objs])


def changed_many(objs: Sequence[Any]) -> None:
    """Record bulk-inserted objects (all of one model) as created: one counter step for all."""
    if not objs:
        return
    feed = feed_of(type(objs[0]))
    if feed is not None:
        _write(feed, [(obj, CREATED, feed.snapshot(obj)) for obj in objs], known=False)


def _write(feed: FeedType, items: list[tuple[Any, str | None, dict | None]], known: bool = True) -> None:
    if not connection.in_atomic_block:
        with transaction.atomic():
            return _write(feed, items, known)
    ledger_advance(0, name=LEDGER)  # lock order: ledger, then changes (see the module's docstring)
    first = ledger_advance(len(items), name=COUNTER)
    previous = _previous_keys(feed, [obj.pk for obj, _op, _data in items]) if known else {}
    now = timezone.now()
    rows = []
    for offset, (obj, op, data) in enumerate(items):
        keys = feed.keys_of(obj)
        before = previous.get(obj.pk)
        if op is None:
            op = UPDATED if before is not None else CREATED
        rows.append(
            _change_model()(
                position=first + offset,
                type=feed.type,
                object_id=obj.pk,
                op=op,
                at=now,
                data=data,
                **keys,
                **{f"before_{k}": v for k, v in (before or keys).items()},
                before_known=before is not None,
            )
        )
    bulk_insert(_change_model(), rows)  # executemany: a bulk import's change rows in a few statements
    _tell_on_commit()


def _change_model() -> Any:
    from safeloop.core.models import Change

    return Change


def _previous_keys(feed: FeedType, pks: list[Any]) -> dict[Any, dict[str, Any]]:
    """The scope keys each object had after its last change (none for an object new to the feed)."""
    found: dict[Any, dict[str, Any]] = {}
    Change = _change_model()
    for pk in pks:  # one indexed look-up each ((type, object_id, position) index)
        row = (
            Change.objects.filter(type=feed.type, object_id=pk)
            .order_by("-position")
            .values("region", "enterprise", "category", "department")
            .first()
        )
        if row is not None:
            found[pk] = row
    return found


def scope_keys(obj: Any) -> dict[str, Any]:
    """The values of the model's `ScopePaths` on this object: what `core.scope` filters on."""
    paths = type(obj).scope
    return {
        "region": _follow(obj, paths.region) or "",
        "enterprise": obj.pk if paths.enterprise == "pk" else _follow(obj, paths.enterprise),
        "category": _follow(obj, paths.category) or "",
        "department": _follow(obj, paths.department_override),
    }


def _follow(obj: Any, path: str | None) -> Any:
    """The id at the end of a lookup path (`enterprise__region` → the enterprise's region code)."""
    if not path or obj is None:
        return None
    *through, last = path.split("__")
    for part in through:
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return getattr(obj, f"{last}_id", None) if hasattr(obj, f"{last}_id") else getattr(obj, last, None)


# ---------------------------------------------------------------- reading


def keys_q(user: Any, prefix: str = "") -> Q | None:
    """`core.scope`'s role → area rule, applied to the stored keys (`prefix` "before_" for the
    keys before the change). None: the user sees nothing."""
    from safeloop.core.scope import _enterprise_rules, department_area, prefix_q

    if not (user.is_authenticated and user.is_active):
        return None
    if user.role == Role.SYSADMIN:
        return Q()
    if user.role in AREA_ROLES and user.region_id:
        code = subtree_prefix(user.region_id)
        return Q(**{f"{prefix}region": code}) if len(code) >= 9 else prefix_q(f"{prefix}region", code)
    if user.role == Role.DEPARTMENT and user.department_id:
        area = department_area(user.department_id)
        if area is None:
            return None
        own = Q(**{f"{prefix}category__in": list(area.categories), f"{prefix}department__isnull": True})
        mine = Q(**{f"{prefix}department": user.department_id})
        return prefix_q(f"{prefix}region", subtree_prefix(area.region)) & (own | mine)
    if user.role == Role.ENTERPRISE and user.enterprise_id:
        return Q(**{f"{prefix}enterprise": user.enterprise_id})
    rule = _enterprise_rules.get(user.role)
    if rule is not None:
        return Q(**{f"{prefix}enterprise__in": rule(user)})  # a subquery, as core.scope applies it
    return None


def feed_page(user: Any, *, since: int, types: Iterable[str] = (), page_size: int = 500) -> tuple[list[dict], int]:
    """The changes after `since` the user may see, in commit order, and the cursor to ask next."""
    after, before = keys_q(user), keys_q(user, "before_")
    if after is None:
        return [], since
    Change = _change_model()
    rows: QuerySet = Change.objects.filter(position__gt=since)
    wanted = list(types)
    if wanted:
        rows = rows.filter(type__in=wanted)
    hidden = [name for name, feed in _TYPES.items() if user.role in feed.hidden_from]
    if hidden:
        rows = rows.exclude(type__in=hidden)
    if after:  # not everything: the rows the user sees after or saw before the change
        earlier = before & Q(before_known=True) if before is not None else Q(pk__in=[])
        rows = rows.filter(after | earlier).annotate(
            sees=Case(When(after, then=Value(True)), default=Value(False), output_field=BooleanField())
        )
    else:
        rows = rows.annotate(sees=Value(True, output_field=BooleanField()))
    page = list(
        rows.order_by("position").values("position", "type", "object_id", "op", "at", "data", "sees")[:page_size]
    )
    results = [_result(row) for row in page]
    return results, (page[-1]["position"] if page else since)


def _result(row: dict[str, Any]) -> dict[str, Any]:
    removal = not row["sees"]
    return {
        "position": row["position"],
        "type": row["type"],
        "id": row["object_id"],
        "op": DELETED if removal else row["op"],
        "at": timezone.localtime(row["at"]),
        "data": None if removal or row["op"] == DELETED else row["data"],
    }


# ---------------------------------------------------------------- bulk export (a first load)

EXPORT_FORMATS = {"jsonl": "application/x-ndjson; charset=utf-8", "csv": "text/csv; charset=utf-8"}
EXPORT_CHUNK = 2000


def feed_top() -> int:
    """The last change number committed now: every change up to it is visible (commit order)."""
    from django.db.models import Max

    return _change_model().objects.aggregate(top=Max("position"))["top"] or 0


def export_lines(feed: FeedType, rows: QuerySet, fmt: str) -> Iterable[str]:
    """Every row of `rows` (already scoped) as the feed's `data`, one JSON Lines or CSV line each,
    read in primary-key order a chunk at a time (keyset, no window, memory flat)."""
    import csv
    import io
    import json

    last, header = None, None
    while True:
        chunk = rows.order_by("pk")
        if last is not None:
            chunk = chunk.filter(pk__gt=last)
        batch = list(chunk[:EXPORT_CHUNK])
        if not batch:
            return
        last = batch[-1].pk
        out = io.StringIO()
        writer = csv.writer(out) if fmt == "csv" else None
        for obj in batch:
            data = feed.snapshot(obj)
            if writer is None:
                out.write(json.dumps(data, ensure_ascii=False) + "\n")
                continue
            if header is None:
                header = list(data)
                writer.writerow(header)
            writer.writerow([_csv_cell(data.get(name)) for name in header])
        yield out.getvalue()


def _csv_cell(value: Any) -> Any:
    import json

    if value is None:
        return ""
    return json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list | bool) else value
