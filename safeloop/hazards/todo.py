"""The to-do rule: who is *expected* to act on a hazard, beside the table of who *may*.

The workflow table (`workflow/`) lets every regulator whose scope includes a hazard take the
regulators' steps, so a to-do list read from the table alone would put every hazard of the city
on the city's list. This module narrows each of the table's to-do terms (`HAZARD_FLOW.todo_terms`:
per row with a `todo` predicate and per party of the user) to the hazards on which the user is
expected to take that step. It never widens them, and it decides nothing about what is allowed:
the buttons, the API's `actions` and `hazard_act` still ask the table alone.

Who is expected, from where the hazard stands:

1. **The enterprise's own steps.** Where the table lets the enterprise take a step on a hazard
   (签字, 提交治理方案, 开始整改, 提交整改, and the whole loop of the general hazards it found
   itself), the enterprise is expected to take it. A regulator is expected there only for an
   enterprise with no active account, whose steps it records on the enterprise's behalf.
   Experts are expected for every step the table gives them (their signatures).
2. **The owner.** Every other step is expected of the hazard's owner:
   - the department that took it up — one of its users reported or assigned it (三管三必须:
     the department that found or handed out a hazard follows it to the end);
   - otherwise the 属地: the enterprise's township (the steps a township may take) and its
     county (all regulators' steps, including 销号 and 回头看, which the table keeps for
     county-level supervisors). A city user's own finding is the county's work too.
   - a rectification that was routed, when submitted, to the township or a department (an
     enterprise with no second account to accept it): that acceptor.
3. **Escalation to the city.** A city user is expected only on hazards listed (挂牌督办) at the
   city's level and on hazards whose escalation reached
   `SAFELOOP_TODO_CITY_ESCALATION` (default 挂牌督办, `Escalation.LISTED`; RULES.md §2.4: a
   listed hazard is followed by the level that listed it), alongside the owner. 督办, the first
   rung, stays with the county that owns the hazard.

Steps are the table's rows with a `todo` predicate, in the table's order; a hazard awaiting
several of a user's steps is listed once, under the first (`awaiting`, the step's rank). The
owner's term is written once for all the steps (`Todo`), not once per step.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import reduce
from operator import or_

from django.conf import settings
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Value, When
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from safeloop.accounts.models import Role, User
from safeloop.core.transitions import Transition
from safeloop.hazards.models import Acceptor, Escalation, HazardEvent, Listing, ListingLevel
from safeloop.hazards.workflow import ENTERPRISE, HAZARD_FLOW, REGULATOR, SUPERVISOR, THE_ACCEPTOR

# The events by which an office takes a hazard up: it reported it, or it handed it out.
TAKING_ACTIONS = ("report", "assign")
# A step's name as a to-do group; a row added to the table without one here reads 待<its label>.
STEP_LABELS = {
    "sign": _("待签字"),
    "confirm": _("待确认"),
    "assign": _("待交办"),
    "submit_plan": _("待提交方案"),
    "start": _("待开始整改"),
    "decide_extension": _("待审批延期"),
    "submit_rectification": _("待提交整改"),
    "accept": _("待验收"),
    "close": _("待销号"),
    "look_back": _("待回头看"),
}


@dataclass(frozen=True)
class Step:
    action: str
    label: str | Promise  # the to-do group's name


STEPS: tuple[Step, ...] = tuple(
    Step(t.action, STEP_LABELS.get(t.action) or format_lazy("待{}", t.label)) for t in HAZARD_FLOW.transitions if t.todo
)
RANKS = {step.action: rank for rank, step in enumerate(STEPS)}


def city_escalation() -> int:
    return getattr(settings, "SAFELOOP_TODO_CITY_ESCALATION", Escalation.LISTED)


def _taken(**by: object) -> Q:
    return Q(Exists(HazardEvent.objects.filter(hazard_id=OuterRef("pk"), action__in=TAKING_ACTIONS, **by)))


def _listed_by_the_city(user: User) -> Q:
    """Hazards under an open 挂牌督办 of this city's level: the listing body follows them."""
    open_listings = Listing.objects.filter(delisted_on__isnull=True, level=ListingLevel.CITY, region_id=user.region_id)
    return Q(pk__in=open_listings.values("hazard_id"))


def owner_q(user: User) -> Q | None:
    """The hazards this regulator owns (or, for the city, that were escalated or listed to it);
    None: none."""
    if user.role == Role.CITY:
        listed = _listed_by_the_city(user) if user.region_id else Q(pk__in=[])
        return Q(escalation__gte=city_escalation()) | listed
    if user.role in (Role.COUNTY, Role.TOWNSHIP):
        return ~_taken(actor_role=Role.DEPARTMENT)
    if user.role == Role.DEPARTMENT and user.department_id:
        return _taken(actor_role=Role.DEPARTMENT, actor__department_id=user.department_id)
    return None


def _no_account() -> Q:
    """Enterprises without an active account; the accounts are few, so one list serves every row."""
    active = User.objects.filter(role=Role.ENTERPRISE, is_active=True, enterprise_id__isnull=False)
    return ~Q(enterprise_id__in=active.values("enterprise_id"))


def _left_to_regulators(t: Transition) -> Q:
    """Where the table lets the enterprise take this step, a regulator is expected to only for an
    enterprise with no active account."""
    theirs = t.who.q(ENTERPRISE)
    if theirs is None:
        return Q()
    return _no_account() if not theirs else ~theirs | _no_account()


# A rectification routed at submission to the township or a department (an enterprise with no
# second account): that acceptor is expected, whoever owns the hazard (the row's THE_ACCEPTOR
# rule already narrows the term to the acceptor the user is).
ROUTED_ACCEPTANCE = Q(acceptor__in=(Acceptor.TOWNSHIP, Acceptor.DEPARTMENT))


def expected_parts(user: User, t: Transition, party: str) -> tuple[Q | None, Q | None]:
    """Where this user, acting as `party`, is expected to take the step `t`, in two parts: where
    the user owns the hazard (to be joined to `owner_q` once for all steps) and whoever owns it;
    None: nowhere."""
    if party not in (REGULATOR, SUPERVISOR):
        return None, Q()
    if owner_q(user) is None:
        return None, (ROUTED_ACCEPTANCE if THE_ACCEPTOR in t.guards else None)
    left = _left_to_regulators(t)
    if THE_ACCEPTOR not in t.guards:
        return left, None
    # routed to the regulators (no account of the enterprise may accept): the owner is expected
    return (left | Q(acceptor=Acceptor.REGULATOR) if left else Q()), ROUTED_ACCEPTANCE


@dataclass(frozen=True)
class Awaiting:
    """One step awaiting the user: `owner_q(user) & owned | anyway` (a part None: nothing)."""

    rank: int
    owned: Q | None
    anyway: Q | None


def _either(terms: list[Q]) -> Q | None:
    return reduce(or_, terms) if terms else None


@dataclass(frozen=True)
class Todo:
    """The steps awaiting a user, in the table's order, with the owner's term stated once: the
    owner's term is a correlated EXISTS, and repeated in every step it made PostgreSQL's cost
    estimate (and so its JIT compilation) grow with the number of steps (docs/performance.md)."""

    owner: Q | None
    steps: tuple[Awaiting, ...]

    def where(self) -> Q | None:
        """The hazards waiting for this user."""
        owned = _either([s.owned for s in self.steps if s.owned is not None])
        anyway = [s.anyway for s in self.steps if s.anyway is not None]
        mine = owned & self.owner if owned is not None and self.owner is not None else None
        return _either([mine, *anyway] if mine is not None else anyway)

    def awaiting(self) -> Case:
        """The rank of the first step awaiting the user, as an annotation (null: none)."""
        anyway = self._rank([(s.rank, s.anyway) for s in self.steps])
        if self.owner is None:
            return anyway
        both = [(s.rank, _either([q for q in (s.owned, s.anyway) if q is not None])) for s in self.steps]
        return Case(When(self.owner, then=self._rank(both)), default=anyway, output_field=IntegerField())

    @staticmethod
    def _rank(steps: list[tuple[int, Q | None]]) -> Case:
        whens = [When(q, then=Value(rank)) for rank, q in steps if q is not None]
        return Case(*whens, default=Value(None), output_field=IntegerField())


def todo_of(user: User, today: date) -> Todo:
    """The steps awaiting this user: the table's terms narrowed to the expected."""
    owned: dict[int, list[Q]] = defaultdict(list)
    anyway: dict[int, list[Q]] = defaultdict(list)
    for term in HAZARD_FLOW.todo_terms(user, today):
        mine, theirs = expected_parts(user, term.transition, term.party)
        rank = RANKS[term.transition.action]
        if mine is not None:
            owned[rank].append(term.q & mine)
        if theirs is not None:
            anyway[rank].append(term.q & theirs)
    ranks = sorted(owned.keys() | anyway.keys())
    steps = tuple(Awaiting(rank, _either(owned[rank]), _either(anyway[rank])) for rank in ranks)
    return Todo(owner_q(user), steps)


def todo_note(user: User) -> str | None:
    """What a user should know about whose work is on its list, when it is less than it sees."""
    if user.role != Role.CITY:
        return None
    level = city_escalation()
    name = Escalation(level).label if level in Escalation.values else str(level)
    message = gettext("市级待办只列升级至“%(level)s”及以上的隐患，其余由县区和行业部门办理；全部隐患见隐患台账。")
    return message % {"level": name}


def step_of(rank: int | None) -> Step | None:
    return STEPS[rank] if rank is not None else None
