"""The workflow as a table: each row says from which states an action leads where, who may take
it, what it asks for (its fields) and under which conditions; one entry point applies it.

A workflow declares only its table; everything else comes from here:

    APPROVE = FieldSpec(name="opinion", label=_("审批意见"), kind=Kind.TEXTAREA, required=True)

    def run_approve(ctx: Context) -> dict:
        opinion = ctx.inp.read(APPROVE)
        ctx.inp.check()
        ctx.obj.approved_on = ctx.today
        return {"opinion": opinion}            # the event's payload

    FLOW = Workflow(
        model=Request, events=RequestEvent, role_parties=..., parties_of=...,
        transitions=(
            Transition(action="approve", label=_("批准"), sources=("submitted",), targets=("approved",),
                       who=Who(always=frozenset({"head"})), who_label=_("负责人"), needs=_("审批意见"),
                       fields=(APPROVE,), run=run_approve),
        ),
    )
    FLOW.act(pk=1, actor=user, action="approve", version=3, data={"opinion": "同意"})

What decides, in the order the entry point asks (and `available` asks the same, so a button is
shown exactly when the entry point would let the action through to its own requirements):

1. the status is one of the row's `sources`, and every `offered` rule holds (state beyond the
   status: "a request is pending") — else 409 `wrong_state`;
2. the actor's parties for this object meet `who`, and every `guard` holds (about this actor:
   "not the person who did the work") — else 403;
3. the records a list field may name are the row's `picks` (evidence for a submission: the
   form's options, and the only ids let through; any other is a 400 naming the field);
4. the row's `run` reads its `fields` (400 naming the field for what the user can fix by filling
   one in), sets attributes on the object and returns the event's payload.

Then only the fields the action changed are saved (with `version` and `updated_at`), the event is
appended to the hash chain, and the side effects run after commit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial, reduce
from operator import or_
from typing import Any

from django.db import transaction
from django.db.models import Model, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django_stubs_ext import StrOrPromise

from safeloop.core.chain import chain_append
from safeloop.core.errors import Conflict, Forbidden, NotFound, ServiceError, ValidationFailed
from safeloop.core.fields import FieldSpec
from safeloop.core.inputs import Inputs
from safeloop.core.models import ChainedEvent
from safeloop.core.services import locked_row, save_changed, snapshot


@dataclass(frozen=True, kw_only=True)
class Subset:
    """A kind of object, as a test on one and as a filter on many (for to-do lists)."""

    test: Callable[[Any], bool]
    q: Q


@dataclass(frozen=True, kw_only=True)
class Who:
    """The parties that may act: `always`, and `also` on the objects of the subset `when`."""

    always: frozenset[str]
    also: frozenset[str] = frozenset()
    when: Subset | None = None

    def __call__(self, obj: Any) -> frozenset[str]:
        extended = self.when is not None and self.when.test(obj)
        return self.always | self.also if extended else self.always

    def q(self, party: str) -> Q | None:
        """The objects on which `party` may act, as a filter; None: on none."""
        if party in self.always:
            return Q()
        return self.when.q if party in self.also and self.when is not None else None


@dataclass(frozen=True)
class Turn:
    """Who is about to act on what: what the rules see."""

    obj: Any
    actor: Any
    parties: frozenset[str]
    today: date


@dataclass(frozen=True, kw_only=True)
class Rule:
    """A condition of a row, with the refusal its user reads when it does not hold. `q`, where
    given, is the same condition as a filter for an actor (to-do lists leave out what it refuses)."""

    test: Callable[[Turn], bool]
    refusal: StrOrPromise
    code: str = "wrong_state"  # for `offered` rules: the 409's code
    q: Callable[[Any, frozenset[str]], Q] | None = None
    explain: Callable[[Turn], StrOrPromise | None] | None = None  # a refusal naming this turn's reason


@dataclass(frozen=True, kw_only=True)
class Pick:
    """The records a list field of a row (`Kind.IDS`) may name on one object now: the form's
    options, and the only ids the entry point lets through, so no hand-check in `run` can drift
    from what the form offered. `run` finds them in `ctx.picked[field]`."""

    field: str  # the name of one of the row's fields
    among: Callable[[Any], QuerySet]  # the object → the records that may be named
    refusal: StrOrPromise  # beside the field, when a named record is not among them
    missing: StrOrPromise = ""  # beside a required field when nothing is named (default: "… 为必填项")
    label: Callable[[Any], str] = str  # how the form shows one record


@dataclass
class Context:
    """What an action's `run` works with. It sets attributes on `obj`, may choose among the row's
    targets, name evidence hashes for the event, and queue steps that need the event."""

    obj: Any
    actor: Any
    parties: frozenset[str]
    inp: Inputs
    now: datetime
    today: date
    target: str | None = None
    evidence: list[str] = field(default_factory=list)  # hashes recorded in the event
    then: list[Callable[[ChainedEvent], object]] = field(default_factory=list)  # same transaction, after the event
    picked: dict[str, list[Any]] = field(default_factory=dict)  # the records each `Pick` let through


@dataclass(frozen=True, kw_only=True)
class Transition:
    action: str
    label: StrOrPromise
    sources: tuple[str, ...]
    targets: tuple[str, ...] = ()  # the first is the default; () keeps the status
    who: Who
    who_label: StrOrPromise  # who may act, in words (the 403 message, the docs)
    needs: StrOrPromise  # what the action asks for, in words a user understands (page, docs, API)
    run: Callable[[Context], dict[str, Any]]
    fields: tuple[FieldSpec, ...] = ()  # its inputs: form, API schema, reader
    offered: tuple[Rule, ...] = ()  # state beyond the status; failing: 409
    guards: tuple[Rule, ...] = ()  # about the actor; failing: 403
    picks: tuple[Pick, ...] = ()  # the records its list fields may name
    todo: Callable[[date], Q] | None = None  # waiting for this action puts an object on a to-do list


@dataclass(frozen=True)
class TodoTerm:
    """What waits for one party of an actor to take one row's action, as a filter."""

    transition: Transition
    party: str
    q: Q


@dataclass(kw_only=True)
class Workflow:
    model: type[Model]
    events: type[ChainedEvent]
    transitions: tuple[Transition, ...]
    role_parties: Callable[[Any], frozenset[str]]  # an actor's parties by role alone (to-do lists)
    parties_of: Callable[[Any, Any], frozenset[str]]  # an actor's parties for one visible object
    related: tuple[str, ...] = ()  # select_related when locking: what the actions read
    notify: Callable[[int, int], None] | None = None  # (object id, event id), after commit

    # ------------------------------------------------------------ reading the table

    def transition(self, action: str) -> Transition | None:
        return next((t for t in self.transitions if t.action == action), None)

    @property
    def labels(self) -> dict[str, StrOrPromise]:
        return {t.action: t.label for t in self.transitions}

    def turn(self, actor: Any, obj: Any, today: date | None = None) -> Turn:
        return Turn(obj, actor, self.parties_of(actor, obj), today or timezone.localdate())

    def refusal(self, t: Transition, turn: Turn) -> ServiceError | None:
        """Why the table does not let this turn take the action; None: it does."""
        if turn.obj.status not in t.sources:
            return Conflict(self._wrong_state(turn.obj, t), code="wrong_state")
        for rule in t.offered:
            if not rule.test(turn):
                return Conflict(str(rule.refusal), code=rule.code)
        if not turn.parties & t.who(turn.obj):
            return Forbidden(_("“%(action)s”应由%(who)s进行") % {"action": t.label, "who": t.who_label})
        failed = next((rule for rule in t.guards if not rule.test(turn)), None)
        if failed is None:
            return None
        return Forbidden(str((failed.explain(turn) if failed.explain else None) or failed.refusal))

    def options(self, t: Transition, obj: Any) -> dict[str, list[tuple[str, str]]]:
        """The choices of the row's list fields on this object (the form's checkboxes)."""
        return {p.field: [(str(r.pk), p.label(r)) for r in p.among(obj)] for p in t.picks}

    def available(self, actor: Any, obj: Any) -> list[Transition]:
        """The actions this actor may take on this object now: the buttons, the API's `actions`."""
        turn = self.turn(actor, obj)  # the status test first: it is free, the rules may query
        return [t for t in self.transitions if obj.status in t.sources and self.refusal(t, turn) is None]

    def todo_q(self, actor: Any, today: date) -> Q | None:
        """Objects waiting for something this actor's parties may do, derived from the table."""
        terms = [term.q for term in self.todo_terms(actor, today)]
        return reduce(or_, terms) if terms else None

    def todo_terms(self, actor: Any, today: date) -> list[TodoTerm]:
        """Per row with a `todo` and per party of the actor that may take it: the objects waiting
        for that party to take the row's action (an app narrows these to whom it expects)."""
        parties = self.role_parties(actor)
        return [term for t in self.transitions if t.todo for term in self._todo_terms(t, actor, parties, today)]

    def _todo_terms(self, t: Transition, actor: Any, parties: frozenset[str], today: date) -> list[TodoTerm]:
        rules = [rule.q(actor, parties) for rule in (*t.offered, *t.guards) if rule.q]
        todo = t.todo or (lambda today: Q())
        base = reduce(lambda a, b: a & b, rules, Q(status__in=t.sources) & todo(today))
        found = ((party, t.who.q(party)) for party in sorted(parties))
        return [TodoTerm(t, party, base & who) for party, who in found if who is not None]

    # ------------------------------------------------------------ the one entry point

    def act(self, *, pk: Any, actor: Any, action: str, version: Any, data: dict | None = None) -> Any:
        t = self.transition(action)
        if t is None:
            raise NotFound(_("没有名为“%(action)s”的操作") % {"action": action})
        version = _version(version)
        with transaction.atomic():
            obj = locked_row(model=self.model, pk=pk, version=version, user=actor, queryset=self._lockable())
            turn = self.turn(actor, obj)
            refused = self.refusal(t, turn)
            if refused is not None:
                raise refused
            return self._apply(t, turn, data)

    def _lockable(self) -> QuerySet:
        return self.model._default_manager.select_for_update(of=("self",)).select_related(*self.related)

    def _apply(self, t: Transition, turn: Turn, data: dict | None) -> Any:
        obj, now = turn.obj, timezone.now()
        ctx = Context(turn.obj, turn.actor, turn.parties, Inputs(data), now, timezone.localdate(now))
        before = snapshot(obj)
        ctx.picked = {p.field: _picked(t, p, ctx) for p in t.picks}
        payload = t.run(ctx)
        ctx.inp.check()  # a refusal the row's pick found stands even if `run` did not check
        obj.status = _target(t, ctx, before["status"])
        save_changed(obj, before, touch=True)
        event = chain_append(
            events=self.events,
            owner=obj,
            action=t.action,
            actor=turn.actor,
            at=now,
            from_status=before["status"],
            payload=payload,
            attachments=ctx.evidence,
        )
        for step in ctx.then:
            step(event)
        if self.notify is not None:
            transaction.on_commit(partial(self.notify, obj.pk, event.pk))
        return obj

    def _wrong_state(self, obj: Any, t: Transition) -> str:
        shown = getattr(obj, "get_status_display", lambda: obj.status)()
        return _("%(kind)s当前状态为“%(status)s”，不能执行“%(action)s”") % {
            "kind": self.model._meta.verbose_name,
            "status": shown,
            "action": t.label,
        }


def _picked(t: Transition, pick: Pick, ctx: Context) -> list[Any]:
    spec = next(spec for spec in t.fields if spec.name == pick.field)
    ids = ctx.inp.read(spec.but(required=False))
    if spec.required and not ids:
        ctx.inp.error(spec.name, str(pick.missing) or _("%(label)s为必填项") % {"label": spec.label})
        return []
    found = list(pick.among(ctx.obj).filter(pk__in=ids))
    if len(found) != len(set(ids)):
        ctx.inp.error(spec.name, str(pick.refusal))
    return found


def _target(t: Transition, ctx: Context, status: str) -> str:
    if ctx.target is not None:
        assert ctx.target in t.targets, f"{t.action} may not lead to {ctx.target}"
        return ctx.target
    return t.targets[0] if t.targets else status


def _version(raw: Any) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise ValidationFailed(_("请提供当前版本号 version"), fields={"version": _("version 为必填的整数")}) from None
