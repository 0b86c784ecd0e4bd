"""The admin writes through AuditedAdmin: each add, change and delete leaves an audit entry."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django import forms
from django.contrib.admin import site
from django.urls import reverse

from safeloop.accounts.models import Role, User
from safeloop.core.admin_audit import AuditedAdmin
from safeloop.core.models import AuditEntry, CalendarDay
from safeloop.registry.models import Department
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, sysadmin_user):
    client.force_login(sysadmin_user)
    return client


def posted_values(response) -> dict[str, Any]:
    """The admin form's current values as a browser would post them back."""
    form = response.context["adminform"].form
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        if field.disabled:
            continue
        widget, value = getattr(field.widget, "widget", field.widget), form[name].value()
        data.update(_post_field(name, widget, value))
        if field.show_hidden_initial:  # fields with a callable default, e.g. date_joined
            data.update(_post_field(f"initial-{name}", widget, value))
    return data


def _post_field(name: str, widget: forms.Widget, value: Any) -> dict[str, Any]:
    if isinstance(widget, forms.MultiWidget):
        parts = widget.decompress(value)
        return {f"{name}_{i}": "" if part is None else str(part) for i, part in enumerate(parts)}
    if isinstance(widget, forms.CheckboxInput):
        return {name: "on"} if value else {}
    if isinstance(value, list | tuple):
        return {name: [str(item) for item in value]}
    return {name: "" if value is None else str(value)}


def only_entry(**lookup) -> AuditEntry:
    entries = list(AuditEntry.objects.filter(**lookup))
    assert len(entries) == 1, entries
    return entries[0]


def test_department_categories_edited_in_admin_are_audited_old_and_new(admin_client, sysadmin_user):
    department = Department.objects.get(region_id="430900", kind="transport")
    old = sorted(department.categories.values_list("pk", flat=True))
    url = reverse("admin:registry_department_change", args=[department.pk])
    data = posted_values(admin_client.get(url))
    data["categories"] = [*old[1:], "hazchem"]

    response = admin_client.post(url, {**data, "_save": "保存"})

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert sorted(department.categories.values_list("pk", flat=True)) == sorted(data["categories"])
    entry = only_entry(action="admin.change", target_type="registry.department", target_id=str(department.pk))
    assert entry.actor == sysadmin_user
    assert entry.changes == {"categories": [old, sorted(data["categories"])]}


def test_user_role_change_is_audited_without_the_password(admin_client, reference):
    user = make_user(Role.COUNTY, region_id="430902")
    url = reverse("admin:accounts_user_change", args=[user.pk])
    data = posted_values(admin_client.get(url))
    data.update(role=Role.CITY, region="430900")

    response = admin_client.post(url, {**data, "_save": "保存"})

    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = only_entry(action="admin.change", target_type="accounts.user", target_id=str(user.pk))
    assert entry.changes == {"role": ["county", "city"], "region": ["430902", "430900"]}
    assert user.password not in json.dumps(entry.changes)


def test_unchanged_save_writes_no_entry(admin_client):
    department = Department.objects.get(region_id="430900", kind="transport")
    url = reverse("admin:registry_department_change", args=[department.pk])

    response = admin_client.post(url, {**posted_values(admin_client.get(url)), "_save": "保存"})

    assert response.status_code == 302
    assert not AuditEntry.objects.filter(target_type="registry.department").exists()


def test_user_added_in_admin_is_audited_without_the_password(admin_client):
    data = {
        "username": "new_official",
        "usable_password": "true",
        "password1": "Xq7#kd-2026",
        "password2": "Xq7#kd-2026",
    }

    response = admin_client.post(reverse("admin:accounts_user_add"), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(username="new_official")
    entry = only_entry(action="admin.add", target_type="accounts.user", target_id=str(user.pk))
    assert entry.changes["username"] == ["", "new_official"]
    assert not [name for name in entry.changes if "password" in name]
    assert user.password not in json.dumps(entry.changes)


def test_password_change_in_admin_is_audited_without_any_hash(admin_client, reference):
    user = make_user(Role.COUNTY, region_id="430902")
    old_hash = user.password
    data = {"usable_password": "true", "password1": "Nw8$pz-2026", "password2": "Nw8$pz-2026", "set-password": "1"}

    response = admin_client.post(reverse("admin:auth_user_password_change", args=[user.pk]), data)

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password != old_hash
    entry = only_entry(action="admin.password", target_id=str(user.pk))
    # Set by the administrator: an initial password, replaced at the next sign-in.
    assert entry.changes == {"usable_password": ["True", "True"], "must_change_password": ["False", "True"]}
    assert user.must_change_password
    assert old_hash not in json.dumps(entry.changes)
    assert user.password not in json.dumps(entry.changes)


def test_calendar_day_added_in_admin_is_audited(admin_client):
    data = {"date": "2027-02-06", "is_workday": "on", "note": "2027年春节调休", "source": "国办发明电〔2026〕1号"}

    response = admin_client.post(reverse("admin:core_calendarday_add"), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    day = CalendarDay.objects.get(date=date(2027, 2, 6))
    entry = only_entry(action="admin.add", target_type="core.calendarday", target_id=str(day.pk))
    assert entry.changes["date"] == ["", "2027-02-06"]
    assert entry.changes["is_workday"] == ["", "True"]
    assert entry.changes["note"] == ["", "2027年春节调休"]


def test_calendar_day_deleted_in_admin_is_audited_with_its_values(admin_client, sysadmin_user):
    day = CalendarDay.objects.create(date=date(2027, 10, 9), is_workday=True, note="国庆调休")
    day_pk = day.pk

    response = admin_client.post(reverse("admin:core_calendarday_delete", args=[day_pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not CalendarDay.objects.filter(pk=day_pk).exists()
    entry = only_entry(action="admin.delete", target_type="core.calendarday", target_id=str(day_pk))
    assert entry.actor == sysadmin_user
    assert entry.changes["date"] == ["2027-10-09", ""]
    assert entry.changes["is_workday"] == ["True", ""]


def test_delete_selected_action_audits_each_object(admin_client):
    days = [CalendarDay.objects.create(date=date(2027, 1, d), is_workday=False) for d in (1, 2)]
    data = {"action": "delete_selected", "_selected_action": [str(d.pk) for d in days], "post": "yes"}

    response = admin_client.post(reverse("admin:core_calendarday_changelist"), data)

    assert response.status_code == 302
    assert not CalendarDay.objects.filter(pk__in=[d.pk for d in days]).exists()
    deleted = AuditEntry.objects.filter(action="admin.delete", target_type="core.calendarday")
    assert sorted(deleted.values_list("target_id", flat=True)) == sorted(str(d.pk) for d in days)


def test_region_code_cannot_be_edited_in_admin(admin_client):
    response = admin_client.get(reverse("admin:registry_region_change", args=["430902"]))

    assert "code" not in response.context["adminform"].form.fields


def test_audit_log_is_read_only_in_admin(admin_client):
    assert admin_client.get(reverse("admin:core_auditentry_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:core_auditentry_add")).status_code == 403


def test_every_model_the_admin_can_write_goes_through_audited_admin(rf, sysadmin_user):
    request = rf.get("/admin/")
    request.user = sysadmin_user
    writable = [
        model._meta.label
        for model, model_admin in site._registry.items()
        if not isinstance(model_admin, AuditedAdmin) and _can_write(model_admin, request)
    ]
    assert writable == []


def _can_write(model_admin, request) -> bool:
    return any(
        (
            model_admin.has_add_permission(request),
            model_admin.has_change_permission(request),
            model_admin.has_delete_permission(request),
        )
    )
