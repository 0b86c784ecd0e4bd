"""数据推送's pages: the system administrator's alone (404 for every other role), bad input named
field by field with nothing changed, every action in the security and audit logs."""

from __future__ import annotations

import re

import pytest

from safeloop.core.models import AuditEntry, SecurityEvent, SecurityKind
from safeloop.webhooks.models import AllowedTarget, Delivery, Subscription
from safeloop.webhooks.services import subscription_create, target_allow
from tests.conftest import make_enterprise

URL = "https://city.example.gov.cn/hooks/safeloop"


@pytest.fixture
def allowed(sysadmin_user):
    return target_allow(actor=sysadmin_user, data={"prefix": "https://city.example.gov.cn/hooks/", "note": "市平台"})


@pytest.fixture
def sub(allowed, sysadmin_user, ziyang_user):
    return subscription_create(actor=sysadmin_user, data={"name": "市平台", "url": URL, "owner": ziyang_user.username})[
        0
    ]


def test_the_administrator_allows_a_target_and_subscribes_and_sees_the_secret_once(login, sysadmin_user, ziyang_user):
    client = login(sysadmin_user)
    assert client.get("/system/webhooks/").status_code == 200
    response = client.post("/system/webhooks/targets/", {"prefix": "https://city.example.gov.cn/hooks/"})
    assert response.status_code == 302 and AllowedTarget.objects.count() == 1
    data = {"name": "市平台", "url": URL, "types": "hazard, enterprise", "owner": ziyang_user.username}
    response = client.post("/system/webhooks/new", data)
    assert response.status_code == 200
    sub = Subscription.objects.get()
    assert sub.types == ["enterprise", "hazard"] and sub.owner == ziyang_user
    assert sub.secret in response.content.decode()
    page = client.get(f"/system/webhooks/{sub.pk}/").content.decode()
    assert "市平台" in page and sub.secret not in page  # shown once
    assert sub.secret not in client.get("/system/webhooks/").content.decode()
    kinds = SecurityEvent.objects.filter(action=SecurityKind.ADMIN_CHANGE).count()
    assert kinds == 2 and AuditEntry.objects.filter(action__startswith="webhooks.").count() == 2


def test_types_are_named_as_the_pages_name_them_and_shown_so(login, allowed, sysadmin_user, ziyang_user):
    client = login(sysadmin_user)
    data = {"name": "市平台", "url": URL, "types": "隐患、企业，hazard", "owner": ziyang_user.username}
    assert client.post("/system/webhooks/new", data).status_code == 200
    sub = Subscription.objects.get()
    assert sub.types == ["enterprise", "hazard"]
    for page in (client.get("/system/webhooks/"), client.get(f"/system/webhooks/{sub.pk}/")):
        text = page.content.decode()
        assert "企业、隐患" in text and not re.search(r">[^<]*\b(enterprise|hazard)\b[^<]*<", text)  # visible


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"url": "https://evil.example.cn/hooks/safeloop"}, "url", "白名单"),
        ({"url": "https://city.example.gov.cn.evil.cn/hooks/"}, "url", "白名单"),
        ({"url": "https://city.example.gov.cn/hooksx"}, "url", "白名单"),
        ({"url": "http://city.example.gov.cn/hooks/safeloop"}, "url", "白名单"),  # another scheme
        ({"url": "https://city.example.gov.cn:8443/hooks/safeloop"}, "url", "白名单"),  # another port
        ({"url": "https://u:p@city.example.gov.cn/hooks/safeloop"}, "url", "白名单"),
        ({"types": "hazard,nonsense"}, "types", "对象类型“nonsense”不存在"),
        ({"owner": "nobody-here"}, "owner", "数据范围账号“nobody-here”不存在"),
        ({"name": ""}, "name", "名称为必填项"),
    ],
)
def test_bad_input_is_refused_naming_the_field(login, allowed, sysadmin_user, ziyang_user, data, field, words):
    post = {"name": "市平台", "url": URL, "owner": ziyang_user.username, **data}
    response = login(sysadmin_user).post("/system/webhooks/new", post)
    assert response.status_code == 400
    page = response.content.decode()
    assert words in page and f'id="f-sub-{field}-error"' in page
    assert not Subscription.objects.exists()


def test_a_bad_prefix_is_refused(login, sysadmin_user):
    client = login(sysadmin_user)
    for prefix in ("ftp://city.example.gov.cn/", "city.example.gov.cn", "https://a:b@c.example/"):
        response = client.post("/system/webhooks/targets/", {"prefix": prefix})
        assert response.status_code == 400 and "允许的地址前缀须为" in response.content.decode()
    assert not AllowedTarget.objects.exists()


def test_the_log_offers_a_replay_and_the_replay_is_recorded(login, sub, sysadmin_user, ziyang_user):
    from safeloop.webhooks.delivery import _store

    delivery = _store(sub, [{"position": 1, "type": "hazard", "id": 1, "op": "created", "at": None, "data": {}}], 1)
    Delivery.objects.filter(pk=delivery.pk).update(status="failed", attempts=12, last_error="无法连接对方地址")
    client = login(sysadmin_user)
    page = client.get(f"/system/webhooks/{sub.pk}/").content.decode()
    assert "重新投递" in page and "无法连接对方地址" in page
    response = client.post(f"/system/webhooks/deliveries/{delivery.pk}/replay")
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("pending", 0)
    event = SecurityEvent.objects.filter(action=SecurityKind.ADMIN_CHANGE).order_by("-seq").first()
    assert event.payload["change"] == "重新投递"


@pytest.mark.parametrize("role", ["city_user", "ziyang_user", "transport_user", "enterprise_user", "expert_user"])
def test_every_other_role_gets_404_everywhere(request, login, sub, role):
    user = request.getfixturevalue(role)
    delivery = Delivery.objects.create(subscription=sub, first=1, last=1, count=1, body="{}")
    client = login(user)
    target = AllowedTarget.objects.get()
    gets = ["/system/webhooks/", f"/system/webhooks/{sub.pk}/"]
    posts = {
        "/system/webhooks/targets/": {"prefix": "https://evil.example/"},
        f"/system/webhooks/targets/{target.pk}/remove": {},
        "/system/webhooks/new": {"name": "x", "url": URL, "owner": user.username},
        f"/system/webhooks/{sub.pk}/active": {"active": "0"},
        f"/system/webhooks/deliveries/{delivery.pk}/replay": {},
    }
    for url in gets:
        assert client.get(url).status_code == 404, url
    for url, data in posts.items():
        assert client.post(url, data).status_code == 404, url
    assert AllowedTarget.objects.count() == 1 and Subscription.objects.count() == 1
    assert Subscription.objects.get().active and Delivery.objects.get().status == "pending"


def test_signed_out_visitors_are_sent_to_sign_in(client, sub):
    response = client.get("/system/webhooks/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_unknown_objects_are_404_for_the_administrator(login, sysadmin_user, reference):
    client = login(sysadmin_user)
    assert client.get("/system/webhooks/999/").status_code == 404
    assert client.post("/system/webhooks/999/active", {"active": "1"}).status_code == 404
    assert client.post("/system/webhooks/targets/999/remove").status_code == 404
    assert client.post("/system/webhooks/deliveries/00000000-0000-0000-0000-000000000000/replay").status_code == 404


def test_a_county_subscription_starts_from_now(sysadmin_user, ziyang_user, allowed):
    make_enterprise()
    sub = subscription_create(actor=sysadmin_user, data={"name": "x", "url": URL, "owner": ziyang_user.username})[0]
    from safeloop.core.changes import feed_top

    assert sub.cursor == feed_top() > 0
