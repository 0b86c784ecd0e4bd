"""Expert matching: an exact min-cost flow (OR-Tools SimpleMinCostFlow, ADR 0024).

source → enterprise (capacity 1) → expert (capacity 1, cost = distance in whole metres) → sink
(capacity = the expert's capacity). An arc exists only where one of the expert's specialties
covers the enterprise's category and no conflict of interest is recorded. `SolveMaxFlowWithMinCost`
matches as many enterprises as possible and, among those matchings, the one of least total
distance: exact, no heuristic, every arc kept (no k-nearest pruning).

Pure: it takes plain tuples and returns plain results, so the bench and the tests run it
without a database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from django.utils.translation import gettext as _
from ortools.graph.python import min_cost_flow

from safeloop.core.geo import haversine_m


@dataclass(frozen=True)
class Need:
    id: int
    category: str
    lat: float
    lng: float


@dataclass(frozen=True)
class Supply:
    id: int
    covers: frozenset[str]  # the categories the expert's specialties cover
    lat: float
    lng: float
    capacity: int
    conflicts: frozenset[int] = frozenset()  # enterprise ids


@dataclass(frozen=True)
class Assignment:
    expert: int
    enterprise: int
    metres: int
    category: str


@dataclass
class Matching:
    assignments: list[Assignment] = field(default_factory=list)
    unmatched: list[tuple[int, str]] = field(default_factory=list)  # (enterprise, reason code)
    cost: int = 0  # total metres


NO_SPECIALTY, CONFLICTED, FULL = "no_specialty", "only_conflicted", "capacity_used"


def reasons() -> dict[str, str]:
    return {
        NO_SPECIALTY: _("专家库中没有该行业的专家"),
        CONFLICTED: _("该行业的专家均与该企业存在回避关系"),
        FULL: _("该行业专家的可服务名额已用完"),
    }


def candidate_arcs(needs: Sequence[Need], supplies: Sequence[Supply]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(need index, supply index, metres) of every allowed pair, built per category with numpy."""
    by_category: dict[str, list[int]] = {}
    for j, s in enumerate(supplies):
        if s.capacity > 0:
            for code in s.covers:
                by_category.setdefault(code, []).append(j)
    needs_of: dict[str, list[int]] = {}
    for i, n in enumerate(needs):
        needs_of.setdefault(n.category, []).append(i)
    s_lat = np.array([s.lat for s in supplies], dtype=float)
    s_lng = np.array([s.lng for s in supplies], dtype=float)
    parts_i, parts_j, parts_d = [], [], []
    for code, rows in needs_of.items():
        cols = by_category.get(code)
        if not cols:
            continue
        ri, cj = np.array(rows), np.array(cols)
        lat = np.array([needs[i].lat for i in rows])[:, None]
        lng = np.array([needs[i].lng for i in rows])[:, None]
        d = haversine_m(lat, lng, s_lat[cj][None, :], s_lng[cj][None, :])
        ii, jj = np.meshgrid(ri, cj, indexing="ij")
        parts_i.append(ii.ravel())
        parts_j.append(jj.ravel())
        parts_d.append(d.ravel())
    if not parts_i:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    arc_i, arc_j, arc_d = np.concatenate(parts_i), np.concatenate(parts_j), np.concatenate(parts_d)
    index = {nd.id: i for i, nd in enumerate(needs)}
    m = len(supplies)
    conflicted = [index[e] * m + j for j, s in enumerate(supplies) for e in s.conflicts if e in index]
    if conflicted:
        keep = ~np.isin(arc_i * m + arc_j, np.array(conflicted, dtype=np.int64))
        arc_i, arc_j, arc_d = arc_i[keep], arc_j[keep], arc_d[keep]
    return arc_i, arc_j, arc_d


def match(needs: Sequence[Need], supplies: Sequence[Supply]) -> Matching:
    n, m = len(needs), len(supplies)
    if n == 0:
        return Matching()
    arc_i, arc_j, arc_d = candidate_arcs(needs, supplies)
    flow = min_cost_flow.SimpleMinCostFlow()
    source, sink = n + m, n + m + 1
    # nodes: needs 0..n-1, supplies n..n+m-1
    tails = np.concatenate([np.full(n, source), arc_i, n + np.arange(m)]).astype(np.int32)
    heads = np.concatenate([np.arange(n), n + arc_j, np.full(m, sink)]).astype(np.int32)
    caps = np.concatenate([np.ones(n), np.ones(len(arc_i)), [s.capacity for s in supplies]]).astype(np.int64)
    costs = np.concatenate([np.zeros(n), arc_d, np.zeros(m)]).astype(np.int64)
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    # The most that could flow; solve_max_flow_with_min_cost sends as much of it as the arcs allow.
    flow.set_node_supply(source, n)
    flow.set_node_supply(sink, -n)
    status = flow.solve_max_flow_with_min_cost()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed: {status}")
    result = Matching(cost=int(flow.optimal_cost()))
    first_arc = n
    flows = flow.flows(np.arange(first_arc, first_arc + len(arc_i), dtype=np.int32)) if len(arc_i) else np.zeros(0)
    matched: set[int] = set()
    for k in np.nonzero(flows)[0]:
        i, j = int(arc_i[k]), int(arc_j[k])
        matched.add(i)
        result.assignments.append(Assignment(supplies[j].id, needs[i].id, int(arc_d[k]), needs[i].category))
    result.unmatched = [(needs[i].id, _why(needs[i], supplies)) for i in range(n) if i not in matched]
    return result


def _why(need: Need, supplies: Sequence[Supply]) -> str:
    covering = [s for s in supplies if need.category in s.covers and s.capacity > 0]
    if not covering:
        return NO_SPECIALTY
    if all(need.id in s.conflicts for s in covering):
        return CONFLICTED
    return FULL
