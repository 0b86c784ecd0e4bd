import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from safeloop.accounts.models import Position, Role
from safeloop.experts.services import expert_assign
from safeloop.hazards.models import Hazard
from safeloop.hazards.services import attachment_add, hazard_report
from safeloop.hazards.workflow import hazard_act
from tests.conftest import make_user


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def photo(name: str = "after.jpg") -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 60)).save(buf, "JPEG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


@pytest.fixture
def boss(ziyang_enterprise):
    """The enterprise's principal (企业主要负责人) account."""
    return make_user(
        Role.ENTERPRISE, enterprise=ziyang_enterprise, display_name="企业负责人", position=Position.PRINCIPAL
    )


@pytest.fixture
def worker(ziyang_enterprise):
    """Another enterprise account: the one who fixes (so the boss can accept)."""
    return make_user(Role.ENTERPRISE, enterprise=ziyang_enterprise, display_name="整改人")


@pytest.fixture
def expert(ziyang_enterprise):
    user = make_user(Role.EXPERT, display_name="危化专家")
    expert_assign(expert=user, enterprise_ids=[ziyang_enterprise.pk])
    return user


# 五落实 of a major hazard's plan, as the tests submit it.
PLAN = {
    "measures": "加装报警",
    "funds": "3万",
    "responsible_person": "李",
    "deadline": "2026-11-20",
    "contingency_plan": "停用",
}


class Loop:
    """Drive a hazard through actions, always with its current version."""

    def __init__(self, hazard: Hazard):
        self.hazard = hazard

    def act(self, actor, action, **data):
        self.hazard.refresh_from_db()
        self.hazard = hazard_act(
            hazard_id=self.hazard.pk, actor=actor, action=action, version=self.hazard.version, data=data
        )
        return self.hazard

    def confirm_major(self, regulator, expert, principal):
        """Both confirmation signatures, then the regulator's confirmation."""
        self.act(expert, "sign", stage="confirmation")
        self.act(principal, "sign", stage="confirmation")
        return self.act(regulator, "confirm")

    def upload(self, actor) -> int:
        return attachment_add(actor=actor, hazard_id=self.hazard.pk, upload=photo()).pk


@pytest.fixture
def general_self_found(boss):
    return Loop(
        hazard_report(actor=boss, data={"source": "self_check", "description": "配电箱未接地", "location": "二号车间"})
    )


@pytest.fixture
def major_regulator_found(ziyang_user, ziyang_enterprise):
    return Loop(
        hazard_report(
            actor=ziyang_user,
            data={
                "enterprise": ziyang_enterprise.pk,
                "source": "regulator",
                "level": "major",
                "clause": "化工121-12",
                "description": "可燃气体泄漏区域未设置检测报警装置",
            },
        )
    )
