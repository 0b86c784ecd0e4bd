"""Delivery (rows and pluggable channels) and the notification centre (bell, list, read marks)."""

import logging

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safeloop.accounts.models import Notification, Role
from safeloop.accounts.notifications import notify
from tests.conftest import make_user

sent: list[tuple[str, str, str]] = []


def recording_channel(user, title, url):
    sent.append((user.username, title, url))


def broken_channel(user, title, url):
    raise ConnectionError("SMS gateway down")


@pytest.fixture(autouse=True)
def clear_sent():
    sent.clear()


def _notify(users, title="YH-1：隐患已交办", url="/hazards/1/", **kw):
    return notify(users=users, kind="assign", title=title, url=url, **kw)


def test_notify_writes_one_row_per_active_user_once(city_user, ziyang_user):
    ziyang_user.is_active = False
    ziyang_user.save()
    assert _notify([city_user, city_user, ziyang_user]) == 1
    assert list(Notification.objects.values_list("user", "kind", "url")) == [(city_user.pk, "assign", "/hazards/1/")]


def test_default_channel_logs_one_line_per_message_and_sends_nothing(city_user, ziyang_user, caplog, settings):
    settings.SAFELOOP_NOTIFY_CHANNELS = []
    with caplog.at_level(logging.INFO, logger="safeloop.notify"):
        _notify([city_user, ziyang_user])
    lines = [r for r in caplog.records if r.name == "safeloop.notify"]
    assert len(lines) == 2
    assert city_user.username in lines[0].getMessage()


def test_configured_channels_receive_each_message(city_user, settings):
    settings.SAFELOOP_NOTIFY_CHANNELS = [f"{__name__}.recording_channel"]
    _notify([city_user])
    assert sent == [(city_user.username, "YH-1：隐患已交办", "/hazards/1/")]


def test_a_failing_channel_is_logged_and_the_others_still_run(city_user, settings, caplog):
    settings.SAFELOOP_NOTIFY_CHANNELS = [
        f"{__name__}.broken_channel",
        "no.such.channel",
        f"{__name__}.recording_channel",
    ]
    with caplog.at_level(logging.ERROR, logger="safeloop.notify"):
        assert _notify([city_user]) == 1
    assert Notification.objects.filter(user=city_user).count() == 1  # the in-app row is always written
    assert len(sent) == 1
    messages = " ".join(r.getMessage() for r in caplog.records)
    assert "broken_channel" in messages and "no.such.channel" in messages


def test_a_keyed_message_reaches_each_user_once(city_user, ziyang_user, settings):
    settings.SAFELOOP_NOTIFY_CHANNELS = [f"{__name__}.recording_channel"]
    assert _notify([city_user], key="digest:2026-11-30") == 1
    assert _notify([city_user, ziyang_user], key="digest:2026-11-30") == 1
    assert Notification.objects.filter(key="digest:2026-11-30").count() == 2
    assert [name for name, _, _ in sent] == [city_user.username, ziyang_user.username]


# ---------------------------------------------------------------- the bell


def test_the_bell_shows_the_unread_count_on_every_page(login, city_user):
    _notify([city_user])
    _notify([city_user])
    for route in ("workbench:home", "hazards:ledger", "registry:enterprise_list", "notifications:list"):
        html = login(city_user).get(reverse(route)).content.decode()
        assert 'class="bell has-unread"' in html
        assert '<span class="bell-count">2</span>' in html


def test_the_bell_counts_with_one_query(login, city_user):
    _notify([city_user])
    client = login(city_user)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("registry:enterprise_list"))
    counted = [q["sql"] for q in queries.captured_queries if "accounts_notification" in q["sql"]]
    assert len(counted) == 1


def test_the_bell_caps_its_number(login, city_user):
    Notification.objects.bulk_create([Notification(user=city_user, kind="x", title=f"第{i}条") for i in range(120)])
    html = login(city_user).get(reverse("workbench:home")).content.decode()
    assert '<span class="bell-count">99+</span>' in html


def test_no_bell_without_unread(login, city_user):
    html = login(city_user).get(reverse("workbench:home")).content.decode()
    assert 'class="bell"' in html and "bell-count" not in html


def test_signed_out_pages_have_no_bell(client, reference):
    assert "bell" not in client.get(reverse("accounts:login")).content.decode()


# ---------------------------------------------------------------- the list


def test_list_is_newest_first_and_filters_unread(login, city_user):
    for i in range(3):
        _notify([city_user], title=f"通知{i}")
    Notification.objects.filter(title="通知1").update(read_at="2026-11-30T10:00:00+08:00")
    client = login(city_user)
    titles = [n.title for n in client.get(reverse("notifications:list")).context["page"].object_list]
    assert titles == ["通知2", "通知1", "通知0"]
    unread = client.get(reverse("notifications:list"), {"unread": "1"}).context["page"].object_list
    assert [n.title for n in unread] == ["通知2", "通知0"]


def test_list_is_paged_with_the_shared_pager(login, city_user):
    Notification.objects.bulk_create([Notification(user=city_user, kind="x", title=f"第{i}条") for i in range(45)])
    response = login(city_user).get(reverse("notifications:list"), {"unread": "1"})
    html = response.content.decode()
    assert 'class="pager"' in html and "?unread=1&page=2" in html
    assert response.context["page"].paginator.count == 45


def test_opening_a_notification_marks_it_read_and_goes_to_its_object(login, city_user):
    _notify([city_user], url="/hazards/7/")
    notification = Notification.objects.get()
    response = login(city_user).get(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302 and response["Location"] == "/hazards/7/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_opening_never_leaves_the_site(login, city_user):
    _notify([city_user], url="//evil.example/")
    notification = Notification.objects.get()
    response = login(city_user).get(reverse("notifications:open", args=[notification.pk]))
    assert response["Location"] == reverse("notifications:list")


def test_mark_all_read_is_a_post(login, city_user):
    _notify([city_user])
    _notify([city_user])
    client = login(city_user)
    assert client.get(reverse("notifications:read_all")).status_code == 405
    assert client.post(reverse("notifications:read_all")).status_code == 302
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_mark_all_read_needs_the_csrf_token(city_user):
    _notify([city_user])
    client = Client(enforce_csrf_checks=True)
    client.force_login(city_user)
    assert client.post(reverse("notifications:read_all")).status_code == 403
    assert Notification.objects.filter(read_at__isnull=True).exists()


def test_notifications_list_page_shows_rows_in_chinese(login, city_user):
    _notify([city_user], title="YH-9：隐患已逾期并升级督办")
    html = login(city_user).get(reverse("notifications:list")).content.decode()
    assert "YH-9：隐患已逾期并升级督办" in html
    assert "全部标为已读" in html and "未读" in html
    assert "assign" not in html  # the kind is a code, never shown


# ---------------------------------------------------------------- outsiders


@pytest.fixture
def other(reference):
    return make_user(Role.COUNTY, region_id="430903")


def test_nobody_sees_or_opens_another_users_notifications(login, city_user, other):
    _notify([other], title="别人的通知")
    theirs = Notification.objects.get()
    client = login(city_user)
    assert "别人的通知" not in client.get(reverse("notifications:list")).content.decode()
    assert client.get(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("notifications:open", args=[theirs.pk + 1000])).status_code == 404
    client.post(reverse("notifications:read_all"))
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_signed_out_visitors_are_sent_to_login(client, reference):
    for route, args in (("notifications:list", []), ("notifications:open", [1])):
        response = client.get(reverse(route, args=args))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_channel_that_cannot_load_is_reported_by_the_system_check(settings):
    from safeloop.accounts.checks import notify_channels_load

    settings.SAFELOOP_NOTIFY_CHANNELS = ["safeloop.accounts.notifications.log_channel", "sms.gateway.send"]
    problems = notify_channels_load()
    assert [p.id for p in problems] == ["safeloop.W001"]
    assert "sms.gateway.send" in problems[0].msg
