import pytest

from safeloop.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from safeloop.core.models import AuditEntry
from safeloop.registry.models import Enterprise
from safeloop.registry.services import enterprise_create, enterprise_update
from tests.conftest import HESHAN_TOWN, ZIYANG_TOWN, credit_code


def valid_data(**overrides):
    data = {
        "name": "资阳新建机械有限公司",
        "credit_code": credit_code(),
        "region": ZIYANG_TOWN,
        "category": "machinery",
        "employees": "120",
        "risk_level": "黄",
    }
    data.update(overrides)
    return data


def test_county_user_registers_an_enterprise_in_its_county(ziyang_user):
    enterprise = enterprise_create(actor=ziyang_user, data=valid_data())
    assert enterprise.region_id == ZIYANG_TOWN
    assert enterprise.risk_level == "yellow"
    assert enterprise.name_initials == "zyxjjxyxgs"
    assert AuditEntry.objects.filter(action="enterprise.create", target_id=str(enterprise.pk)).exists()


def test_invalid_credit_code_is_rejected_naming_the_field(ziyang_user):
    with pytest.raises(ValidationFailed) as exc:
        enterprise_create(actor=ziyang_user, data=valid_data(credit_code="91430902000000001X"))
    assert exc.value.fields == {"credit_code": "统一社会信用代码校验位错误"}
    assert not Enterprise.objects.exists()


def test_duplicate_credit_code_is_a_conflict_naming_the_field(ziyang_user, ziyang_enterprise):
    with pytest.raises(Conflict) as exc:
        enterprise_create(actor=ziyang_user, data=valid_data(credit_code=ziyang_enterprise.credit_code.lower()))
    assert "已被登记" in exc.value.fields["credit_code"]
    assert Enterprise.objects.count() == 1


def test_missing_required_fields_are_each_named(ziyang_user):
    with pytest.raises(ValidationFailed) as exc:
        enterprise_create(actor=ziyang_user, data={"name": ""})
    assert set(exc.value.fields) == {"name", "credit_code", "region", "category"}
    assert exc.value.fields["region"] == "所在乡镇为必填项"


def test_county_user_cannot_register_in_another_county(ziyang_user):
    with pytest.raises(ValidationFailed) as exc:
        enterprise_create(actor=ziyang_user, data=valid_data(region=HESHAN_TOWN))
    assert "不在您的管辖范围内" in exc.value.fields["region"]


def test_department_cannot_register_a_category_it_does_not_supervise(transport_user):
    with pytest.raises(ValidationFailed) as exc:
        enterprise_create(actor=transport_user, data=valid_data(category="hazchem"))
    assert "不属于本部门监管范围" in exc.value.fields["category"]


def test_enterprise_and_expert_roles_cannot_register(enterprise_user, expert_user):
    for user in (enterprise_user, expert_user):
        with pytest.raises(Forbidden):
            enterprise_create(actor=user, data=valid_data())


def test_bad_numbers_and_choices_are_explained(ziyang_user):
    with pytest.raises(ValidationFailed) as exc:
        enterprise_create(
            actor=ziyang_user, data=valid_data(employees="很多", lat="95", risk_level="紫", industry_code="99")
        )
    assert exc.value.fields == {
        "employees": "从业人数应为整数",
        "lat": "纬度应在3至54之间",
        "risk_level": "风险等级“紫”无效，可选：红（重大风险）、橙（较大风险）、黄（一般风险）、蓝（低风险）",
        "industry_code": "国民经济行业代码“99”无效（GB/T 4754-2017，2至4位数字）",
    }


def test_update_with_a_stale_version_is_refused_and_changes_nothing(ziyang_user, ziyang_enterprise):
    enterprise_update(actor=ziyang_user, enterprise=ziyang_enterprise, data={"address": "一号"}, version=1)
    with pytest.raises(Conflict):
        enterprise_update(actor=ziyang_user, enterprise=ziyang_enterprise, data={"address": "二号"}, version=1)
    ziyang_enterprise.refresh_from_db()
    assert (ziyang_enterprise.address, ziyang_enterprise.version) == ("一号", 2)


def test_update_records_old_and_new_values(ziyang_user, ziyang_enterprise):
    enterprise_update(actor=ziyang_user, enterprise=ziyang_enterprise, data={"employees": "42"})
    entry = AuditEntry.objects.get(action="enterprise.update")
    assert entry.changes == {"employees": ["", "42"]}


def test_unchanged_update_does_not_bump_the_version(ziyang_user, ziyang_enterprise):
    enterprise_update(actor=ziyang_user, enterprise=ziyang_enterprise, data={"name": ziyang_enterprise.name})
    ziyang_enterprise.refresh_from_db()
    assert ziyang_enterprise.version == 1


def test_enterprise_user_edits_contacts_but_not_risk_level(enterprise_user, ziyang_enterprise):
    enterprise_update(actor=enterprise_user, enterprise=ziyang_enterprise, data={"principal_phone": "13800001111"})
    with pytest.raises(Forbidden) as exc:
        enterprise_update(actor=enterprise_user, enterprise=ziyang_enterprise, data={"risk_level": "blue"})
    assert exc.value.fields == {"risk_level": "无权修改"}


def test_outsider_cannot_update(heshan_user, ziyang_enterprise):
    with pytest.raises(NotFound):
        enterprise_update(actor=heshan_user, enterprise=ziyang_enterprise, data={"address": "x"})
