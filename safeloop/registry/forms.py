"""Forms render and coerce; the service validates. Service errors land on the named field."""

from __future__ import annotations

from django import forms

from safeloop.accounts.models import User
from safeloop.core.errors import ServiceError
from safeloop.registry.models import Department, RiskLevel, Scale
from safeloop.registry.selectors import category_tree, regions_for_user
from safeloop.registry.validation import ALL_FIELDS, LABELS, editable_fields


class EnterpriseForm(forms.Form):
    name = forms.CharField(label=LABELS["name"], max_length=200)
    credit_code = forms.CharField(label=LABELS["credit_code"], max_length=40)
    region = forms.ChoiceField(label=LABELS["region"])
    category = forms.ChoiceField(label=LABELS["category"])
    industry_code = forms.CharField(label=LABELS["industry_code"], required=False, max_length=8)
    address = forms.CharField(label=LABELS["address"], required=False, max_length=200)
    lng = forms.CharField(label=LABELS["lng"], required=False, widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    lat = forms.CharField(label=LABELS["lat"], required=False, widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    employees = forms.CharField(
        label=LABELS["employees"], required=False, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    scale = forms.ChoiceField(label=LABELS["scale"], required=False, choices=[("", "—")] + Scale.choices)
    risk_level = forms.ChoiceField(label=LABELS["risk_level"], required=False, choices=[("", "—")] + RiskLevel.choices)
    key_sector = forms.BooleanField(label=LABELS["key_sector"], required=False)
    supervising_department_override = forms.ChoiceField(label="指定监管部门", required=False)
    principal_name = forms.CharField(label=LABELS["principal_name"], required=False, max_length=40)
    principal_phone = forms.CharField(
        label=LABELS["principal_phone"], required=False, max_length=20, widget=forms.TextInput(attrs={"type": "tel"})
    )
    safety_contact_name = forms.CharField(label=LABELS["safety_contact_name"], required=False, max_length=40)
    safety_contact_phone = forms.CharField(
        label=LABELS["safety_contact_phone"],
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel"}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = _region_choices(user)
        self.fields["category"].choices = [("", "请选择")] + [
            (c.code, f"{c.parent.name} / {c.name}" if c.parent else c.name) for c in category_tree()
        ]
        self.fields["supervising_department_override"].choices = [("", "按行业和属地自动确定")] + [
            (str(d.pk), d.name) for d in Department.objects.order_by("region_id", "kind")
        ]
        allowed = editable_fields(user)
        for name in ALL_FIELDS:
            if name not in allowed:
                del self.fields[name]

    def service_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}

    def add_service_error(self, exc: ServiceError) -> None:
        placed = False
        for field, message in exc.fields.items():
            if field in self.fields:
                self.add_error(field, message)
                placed = True
        if not placed:
            self.add_error(None, exc.message)


def _region_choices(user: User) -> list:
    groups: dict[str, list] = {}
    counties = {}
    for region in regions_for_user(user):
        if region.level == "county":
            counties[region.code] = region.name
        else:
            groups.setdefault(region.code[:6], []).append((region.code, region.name))
    return [("", "请选择")] + [(counties.get(code, code), items) for code, items in groups.items()]


class ImportForm(forms.Form):
    file = forms.FileField(label="Excel 文件（.xlsx）")
