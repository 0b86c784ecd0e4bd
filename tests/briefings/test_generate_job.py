"""Generating a draft as a background job (core.jobs): a city's briefing starts a job whose page
shows its progress and ends with a link to the draft, the same draft the request made before;
a county's still runs in the request; the job and the draft are 404 to anyone else."""

from __future__ import annotations

import pytest
from django.urls import reverse

from safeloop.briefings import sections
from safeloop.briefings.jobs import GENERATE
from safeloop.briefings.models import Briefing
from safeloop.briefings.services import briefing_generate
from safeloop.core.models import Job, JobState
from tests.briefings.conftest import YEAR

pytestmark = pytest.mark.django_db
ANNUAL = {"kind": "annual", "year": str(YEAR)}


@pytest.fixture
def worker(settings, django_capture_on_commit_callbacks):
    """`worker(post)`: the job runs once the request has committed, as the worker would."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

    def run(post):
        with django_capture_on_commit_callbacks(execute=True):
            return post()

    return run


def _contents(briefing: Briefing) -> list[tuple]:
    return [
        (p.order, p.key, p.heading, p.text, p.figures, p.table, bytes(p.chart or b""), p.chart_title)
        for p in briefing.paragraphs.order_by("order")
    ]


def test_a_city_draft_is_a_job_whose_page_links_to_the_same_draft_the_request_made(demo_city, city_user, login, worker):
    client = login(city_user)
    response = worker(lambda: client.post(reverse("briefings:list"), ANNUAL))
    job = Job.objects.get(kind=GENERATE, owner=city_user)
    assert response.status_code == 302 and response.url == reverse("core:job", args=[job.pk])
    assert job.state == JobState.DONE and job.total == sections.count("annual") == job.done  # a step per section
    page = client.get(response.url).content.decode()
    draft = Briefing.objects.get(created_by=city_user)
    assert f'href="{reverse("briefings:detail", args=[draft.pk])}"' in page and "查看通报草稿" in page
    assert f'href="{reverse("briefings:list")}"' in page  # back to 工作通报
    assert "益阳市" in job.title and job.params["region"] == "430900"
    in_request = briefing_generate(actor=city_user, data=ANNUAL)
    assert _contents(draft) == _contents(in_request) and draft.title == in_request.title
    assert client.get(job.result_url).status_code == 200


def test_the_job_page_shows_progress_while_it_runs(demo_city, city_user, login):
    client = login(city_user)
    client.post(reverse("briefings:list"), ANNUAL)  # no worker here: it waits in the queue
    job = Job.objects.get(kind=GENERATE, owner=city_user)
    assert job.state == JobState.QUEUED and not Briefing.objects.exists()
    Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING, total=8, done=3)
    page = client.get(reverse("core:job", args=[job.pk])).content.decode()
    assert "已处理 3 / 8 段" in page and "hx-trigger" in page and "查看通报草稿" not in page


def test_the_job_and_its_draft_are_404_to_another_county(demo_city, city_user, heshan_user, login, worker):
    worker(lambda: login(city_user).post(reverse("briefings:list"), ANNUAL))
    job = Job.objects.get(kind=GENERATE)
    outsider = login(heshan_user)
    assert outsider.get(reverse("core:job", args=[job.pk])).status_code == 404
    assert outsider.get(job.result_url).status_code == 404


def test_a_county_draft_is_made_in_the_request(demo_city, ziyang_user, login):
    response = login(ziyang_user).post(reverse("briefings:list"), ANNUAL)
    draft = Briefing.objects.get(created_by=ziyang_user)
    assert response.status_code == 302 and response.url == reverse("briefings:detail", args=[draft.pk])
    job = Job.objects.get(kind=GENERATE, owner=ziyang_user)  # run_now: the same record of it
    assert job.state == JobState.DONE and job.result_url == response.url


def test_bad_input_is_refused_in_the_page_and_starts_nothing(demo_city, city_user, login, worker):
    response = worker(lambda: login(city_user).post(reverse("briefings:list"), {"kind": "monthly", "year": str(YEAR)}))
    assert response.status_code == 400 and "月份" in response.content.decode()
    assert not Job.objects.exists() and not Briefing.objects.exists()


def test_a_job_run_after_its_owner_lost_the_area_makes_nothing(
    demo_city, city_user, login, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    from safeloop.core.jobs import run_job

    with django_capture_on_commit_callbacks(execute=True):  # enqueued in the database queue
        login(city_user).post(reverse("briefings:list"), ANNUAL)
    job = Job.objects.get(kind=GENERATE)
    type(city_user).objects.filter(pk=city_user.pk).update(region_id="430902")
    assert DBTaskResult.objects.filter(task_path=run_job.module_path).count() == 1
    run_job.call(str(job.pk))
    job.refresh_from_db()
    assert job.state == JobState.FAILED and "本辖区" in job.error and not Briefing.objects.exists()


def test_regenerating_a_city_draft_is_a_job_too_and_a_stale_version_starts_nothing(demo_city, city_user, login, worker):
    from safeloop.briefings.jobs import REGENERATE
    from safeloop.briefings.models import Paragraph

    draft = briefing_generate(actor=city_user, data=ANNUAL)
    first = draft.paragraphs.order_by("order").first()
    Paragraph.objects.filter(pk=first.pk).update(text="手工改过的段落")
    client = login(city_user)
    act = reverse("briefings:act", args=[draft.pk, "regenerate"])
    refused = worker(lambda: client.post(act, {"version": draft.version + 1}))
    assert refused.url == reverse("briefings:detail", args=[draft.pk]) and not Job.objects.exists()
    response = worker(lambda: client.post(act, {"version": draft.version}))
    job = Job.objects.get(kind=REGENERATE)
    assert response.url == reverse("core:job", args=[job.pk]) and job.state == JobState.DONE
    assert job.result_url == reverse("briefings:detail", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.version == 2 and draft.paragraphs.order_by("order").first().text == first.generated
