from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from safeloop.accounts.models import Role
from safeloop.registry.models import Region
from safeloop.reporting.models import ReportingPolicy
from safeloop.reporting.services import mechanism_put
from tests.conftest import make_user


@pytest.fixture
def policy(reference):
    return ReportingPolicy.objects.create(
        region=Region.objects.get(code="430900"),
        internal_response_days=3,
        public_response_days=5,
        reward_general="200",
        reward_major="3000",
        source="测试用：市安委办设定",
    )


@pytest.fixture
def handler_user(ziyang_enterprise):
    return make_user(Role.ENTERPRISE, enterprise=ziyang_enterprise)


@pytest.fixture
def mechanism(ziyang_enterprise, handler_user, enterprise_user):
    return mechanism_put(
        actor=enterprise_user,
        enterprise_id=ziyang_enterprise.pk,
        data={
            "established": True,
            "established_on": "2025-05-01",
            "reward_standard": "一般隐患奖励100至500元",
            "reward_min": "100",
            "reward_max": "500",
            "contact_name": "张三",
            "handler": str(handler_user.pk),
        },
    )


def photo(name: str = "p.jpg", size=(40, 30)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 10, 10)).save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def submission(enterprise=None, **fields) -> dict:
    data = {
        "reporter": "citizen",
        "kind": "equipment",
        "description": "仓库东侧消防通道被货物堵塞，灭火器压力不足",
        "location": "仓库东侧",
    }
    if enterprise is not None:
        data["enterprise_code"] = enterprise.public_code
    return data | fields
