"""The refusal header and the dry run (safeloop/core/middleware.py)."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from safeloop.core.errors import Conflict, ValidationFailed, refusal_shown
from safeloop.core.middleware import DryRunMiddleware, RefusalMiddleware
from safeloop.core.models import CalendarDay


def test_a_refusal_a_page_shows_is_named_in_the_response():
    def view(request):
        refusal_shown(Conflict("已被他人修改", code="stale_version"))
        refusal_shown(ValidationFailed.from_fields({"name": "名称为必填项"}))
        return HttpResponse("表单")

    response = RefusalMiddleware(view)(RequestFactory().post("/"))
    assert response["SafeLoop-Refusal"] == "409 stale_version, 400 invalid_input"


def test_a_page_without_refusal_has_no_header_and_refusals_do_not_leak_to_the_next_request():
    assert "SafeLoop-Refusal" not in RefusalMiddleware(lambda r: HttpResponse())(RequestFactory().get("/"))
    refusal_shown(Conflict("请求之外"))  # outside a request: nobody listens, nothing breaks


@pytest.mark.django_db
def test_a_dry_run_post_does_everything_and_keeps_nothing():
    def view(request):
        CalendarDay.objects.create(date="2030-01-01", is_workday=False, note="试运行")
        return HttpResponse("已保存")

    middleware = DryRunMiddleware(view)
    response = middleware(RequestFactory().post("/", headers={"SafeLoop-Dry-Run": "1"}))
    assert response.content.decode() == "已保存" and response["SafeLoop-Dry-Run"] == "rolled-back"
    assert not CalendarDay.objects.exists()
    middleware(RequestFactory().post("/"))
    assert CalendarDay.objects.count() == 1
