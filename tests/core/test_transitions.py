"""The workflow-table piece on a throwaway workflow (errands: 跑腿任务), to show that a second
workflow needs only its table: its rows, its parties, a history model and a ladder."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection, models
from django.test.utils import CaptureQueriesContext

from safeloop.accounts.models import Role
from safeloop.core.api import action_schema
from safeloop.core.chain import chain_append, chain_verify_all
from safeloop.core.diagram import lifecycle_markdown
from safeloop.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from safeloop.core.fields import FieldSpec, Kind
from safeloop.core.ladder import Ladder, Rung
from safeloop.core.models import ChainedEvent
from safeloop.core.scope import ScopePaths
from safeloop.core.transitions import Context, Rule, Transition, Who, Workflow
from tests.conftest import make_user


class Errand(models.Model):
    scope = ScopePaths(enterprise=None, region="region", category=None, department_override=None)

    code = models.CharField(max_length=20)
    title = models.CharField("事项", max_length=100)
    region = models.ForeignKey("registry.Region", on_delete=models.PROTECT)
    status = models.CharField(max_length=24, default="open")
    note = models.CharField(max_length=200, blank=True)
    done_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    deadline = models.DateField(null=True)
    escalation = models.PositiveSmallIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    chain_head = models.CharField(max_length=64, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "core"
        verbose_name = "跑腿任务"

    def __str__(self) -> str:
        return self.code


class ErrandEvent(ChainedEvent):
    chain_owner = "errand"

    errand = models.ForeignKey(Errand, on_delete=models.PROTECT, related_name="events")

    class Meta:
        app_label = "core"


# ---------------------------------------------------------------- the whole workflow: its table

NOTE = FieldSpec(name="note", label="办理情况", kind=Kind.TEXTAREA, required=True, max_length=200)


def run_finish(ctx: Context) -> dict:
    note = ctx.inp.read(NOTE)
    ctx.inp.check()
    ctx.obj.note, ctx.obj.done_by = note, ctx.actor
    return {"note": note}


def run_check(ctx: Context) -> dict:
    return {}


NOT_THE_RUNNER = Rule(test=lambda turn: turn.obj.done_by_id != turn.actor.pk, refusal="检查须由办理人以外的人员进行")
HAS_NOTE = Rule(test=lambda turn: bool(turn.obj.note), refusal="尚无办理情况")

ERRANDS = Workflow(
    model=Errand,
    events=ErrandEvent,
    role_parties=lambda actor: frozenset({"runner", "boss"}) if actor.role == Role.CITY else frozenset({"runner"}),
    parties_of=lambda actor, errand: frozenset({"runner", "boss"} if actor.role == Role.CITY else {"runner"}),
    transitions=(
        Transition(
            action="finish",
            label="办结",
            sources=("open",),
            targets=("done",),
            who=Who(always=frozenset({"runner"})),
            who_label="办理人",
            needs="办理情况",
            fields=(NOTE,),
            run=run_finish,
            todo=lambda today: models.Q(),
        ),
        Transition(
            action="check",
            label="检查",
            sources=("done",),
            targets=("checked",),
            who=Who(always=frozenset({"boss"})),
            who_label="负责人",
            needs="办理人以外的负责人检查",
            offered=(HAS_NOTE,),
            guards=(NOT_THE_RUNNER,),
            run=run_check,
        ),
    ),
)


@pytest.fixture(scope="module")
def errand_tables(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with connection.schema_editor() as editor:
            editor.create_model(Errand)
            editor.create_model(ErrandEvent)
        yield
        with connection.schema_editor() as editor:
            editor.delete_model(ErrandEvent)
            editor.delete_model(Errand)


@pytest.fixture
def errand(errand_tables, reference):
    return Errand.objects.create(code="PT-1", title="送达通知", region_id="430902")


@pytest.fixture
def runner(reference):
    return make_user(Role.COUNTY, region_id="430902")


@pytest.fixture
def chief(reference):
    return make_user(Role.CITY, region_id="430900")


def act(user, errand, action, **data):
    errand.refresh_from_db()
    return ERRANDS.act(pk=errand.pk, actor=user, action=action, version=errand.version, data=data)


def offered(user, errand):
    errand.refresh_from_db()
    return [t.action for t in ERRANDS.available(user, errand)]


# ---------------------------------------------------------------- what the piece does with it


def test_an_action_runs_saves_a_new_version_and_appends_a_chained_event(errand, runner):
    done = act(runner, errand, "finish", note="已送达")
    assert (done.status, done.version, done.note, done.done_by) == ("done", 2, "已送达", runner)
    event = ErrandEvent.objects.get(errand=errand)
    assert (event.action, event.from_status, event.to_status, event.payload) == (
        "finish",
        "open",
        "done",
        {"note": "已送达"},
    )
    assert list(chain_verify_all(ErrandEvent)) == []


def test_a_missing_field_is_a_400_naming_it_in_its_label(errand, runner):
    with pytest.raises(ValidationFailed) as exc:
        act(runner, errand, "finish")
    assert exc.value.fields == {"note": "办理情况为必填项"}


def test_the_table_refuses_state_party_guard_and_version(errand, runner, chief):
    with pytest.raises(Conflict) as exc:
        act(chief, errand, "check")
    assert exc.value.code == "wrong_state"
    act(runner, errand, "finish", note="已送达")
    with pytest.raises(Forbidden) as exc:
        act(runner, errand, "check")
    assert "负责人" in exc.value.message
    with pytest.raises(Conflict) as exc:
        ERRANDS.act(pk=errand.pk, actor=chief, action="check", version=1)
    assert exc.value.code == "stale_version"
    with pytest.raises(NotFound):
        act(chief, errand, "fly")


def test_a_guard_hides_the_button_and_refuses_with_its_words(errand, chief):
    act(chief, errand, "finish", note="自己办的")  # the chief is a runner too
    assert offered(chief, errand) == []
    with pytest.raises(Forbidden) as exc:
        act(chief, errand, "check")
    assert exc.value.message == "检查须由办理人以外的人员进行"


def test_an_offered_rule_hides_the_button_and_is_a_state_conflict(errand, runner, chief):
    act(runner, errand, "finish", note="已送达")
    assert offered(chief, errand) == ["check"]
    Errand.objects.filter(pk=errand.pk).update(note="")
    assert offered(chief, errand) == []
    with pytest.raises(Conflict) as exc:
        act(chief, errand, "check")
    assert (exc.value.code, exc.value.message) == ("wrong_state", "尚无办理情况")


def test_buttons_are_exactly_what_the_entry_point_lets_through(errand, runner, chief):
    for user in (runner, chief):
        for t in ERRANDS.transitions:
            errand.refresh_from_db()
            allowed = ERRANDS.refusal(t, ERRANDS.turn(user, errand)) is None
            assert allowed == (t.action in offered(user, errand))


def test_an_action_saves_only_the_fields_it_changed(errand, runner):
    with CaptureQueriesContext(connection) as queries:
        act(runner, errand, "finish", note="已送达")
    updates = [q["sql"] for q in queries if q["sql"].startswith('UPDATE "core_errand"')]
    assert updates and all("title" not in sql and "code" not in sql for sql in updates)
    assert any('"note"' in sql and '"status"' in sql and '"version"' in sql for sql in updates)


def test_nothing_is_half_applied_when_the_event_fails(errand, runner, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("safeloop.core.transitions.chain_append", broken)
    with pytest.raises(RuntimeError):
        act(runner, errand, "finish", note="已送达")
    errand.refresh_from_db()
    assert (errand.status, errand.version) == ("open", 1)


def test_to_do_lists_come_from_the_table(errand, runner, chief):
    waiting = Errand.objects.filter(ERRANDS.todo_q(runner, date(2026, 11, 2)))
    assert list(waiting) == [errand]


def test_the_docs_and_the_api_schema_come_from_the_table():
    text = lifecycle_markdown(ERRANDS.transitions, header="# 跑腿任务", start=("open", "派发"))
    assert "open --> done: 办结 finish" in text and "checked --> [*]" in text
    assert "| `finish` | 办结 | open | done | 办理人 | `note` 办理情况* | 办理情况 |" in text
    schema = action_schema("Errand", ERRANDS.transition("finish")).model_json_schema()
    assert set(schema["properties"]) == {"note", "version"} and set(schema["required"]) == {"note", "version"}


# ---------------------------------------------------------------- the same ladder for it


def _record(errand: Errand, rung: Rung, overdue: int) -> None:
    payload = {"level": rung.level, "overdue": overdue}
    chain_append(
        events=ErrandEvent,
        owner=errand,
        action="escalate",
        actor=None,
        at=errand.updated_at,
        from_status="open",
        payload=payload,
    )


reminded: list[int] = []
ERRAND_LADDER = Ladder(
    rows=lambda: Errand.objects.filter(status="open", deadline__isnull=False),
    columns=("code", "title"),
    rungs=lambda: (Rung(level=1, after=1), Rung(level=2, after=3, applies=lambda e: e.title.startswith("急"))),
    remind_before=lambda: 2,
    record=_record,
    remind=lambda errand, left: reminded.append(left),
)


def test_the_ladder_reminds_and_escalates_once_per_level(errand):
    Errand.objects.filter(pk=errand.pk).update(deadline=date(2026, 11, 6))  # a Friday
    reminded.clear()
    assert ERRAND_LADDER.run(today=date(2026, 11, 4)).reminded == 1 and reminded == [2]
    assert ERRAND_LADDER.run(today=date(2026, 11, 9)).escalated == 1  # Monday: one working day over
    assert ERRAND_LADDER.run(today=date(2026, 11, 9)).escalated == 0
    report = ERRAND_LADDER.run(today=date(2026, 11, 12))  # four over, but level 2 is for urgent ones only
    errand.refresh_from_db()
    assert (report.checked, report.escalated, errand.escalation) == (1, 0, 1)
    Errand.objects.filter(pk=errand.pk).update(title="急件")
    assert ERRAND_LADDER.run(today=date(2026, 11, 12)).escalated == 1
    assert list(ErrandEvent.objects.values_list("payload", flat=True)) == [
        {"level": 1, "overdue": 1},
        {"level": 2, "overdue": 4},
    ]
    assert list(chain_verify_all(ErrandEvent)) == []
