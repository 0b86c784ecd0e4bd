"""Forms render and coerce; the services validate (Chinese reasons land on the named field)."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from safeloop.accidents.models import DisasterKind
from safeloop.accidents.reference import sector_choices
from safeloop.accidents.validation import LABELS
from safeloop.accounts.models import User
from safeloop.core.errors import ServiceError
from safeloop.registry.forms import EnterpriseForm
from safeloop.registry.selectors import regions_for_user

MOMENT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DAY = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ROAD_FACTORS = ("factor_person", "factor_vehicle", "factor_road", "factor_enterprise")


def _count(name: str, required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=LABELS[name], required=required, initial="0", widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )


def _text_area(name: str) -> forms.CharField:
    return forms.CharField(label=LABELS[name], required=False, widget=forms.Textarea(attrs={"rows": 2}))


def region_choices(user: User) -> list:
    """Counties (the accident place when no township applies) with their townships beneath."""
    groups: dict[str, list] = {}
    names: dict[str, str] = {}
    for region in regions_for_user(user):
        county = region.code[:6]
        if region.level == "county":
            names[county] = region.name
            groups.setdefault(county, []).insert(0, (region.code, f"{region.name}（县级）"))
        else:
            groups.setdefault(county, []).append((region.code, region.name))
    return [("", "请选择")] + [(names.get(code, code), items) for code, items in groups.items()]


class ServiceForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def add_service_error(self, exc: ServiceError) -> None:
        EnterpriseForm.add_service_error(self, exc)
        if exc.status == 409 and exc.fields:  # a refusal (e.g. the 续报 window) is said in full too
            self.add_error(None, exc.message)

    def service_data(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class AccidentForm(ServiceForm):
    title = forms.CharField(label=LABELS["title"], max_length=200)
    occurred_at = forms.CharField(label=LABELS["occurred_at"], widget=MOMENT)
    region = forms.ChoiceField(label=LABELS["region"])
    enterprise = forms.CharField(required=False, widget=forms.HiddenInput)  # chosen by search, see template
    sector = forms.ChoiceField(label=LABELS["sector"])
    production_safety = forms.BooleanField(label=LABELS["production_safety"], required=False, initial=True)
    deaths = _count("deaths")
    missing = _count("missing")
    serious_injuries = _count("serious_injuries")
    injuries = _count("injuries")
    direct_loss = forms.CharField(
        label="直接经济损失（万元）", required=False, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    description = _text_area("description")
    factor_person = _text_area("factor_person")
    factor_vehicle = _text_area("factor_vehicle")
    factor_road = _text_area("factor_road")
    factor_enterprise = _text_area("factor_enterprise")
    note = forms.CharField(label="伤亡变化说明（续报）", required=False, max_length=500)

    def __init__(self, *args, user: User, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices(user)
        self.fields["sector"].choices = [("", "请选择")] + sector_choices()
        if not editing:
            del self.fields["note"]

    def service_data(self) -> dict:
        data = super().service_data()
        for name in ("deaths", "missing", "serious_injuries", "injuries", "direct_loss"):
            data[name] = data[name] or "0"
        return data

    def main_fields(self):
        return [f for f in self.visible_fields() if f.name not in ROAD_FACTORS]

    def road_fields(self):
        return [f for f in self.visible_fields() if f.name in ROAD_FACTORS]


class CasualtyReportForm(ServiceForm):
    """续报: the figures as they are now; the service keeps the earlier report."""

    deaths = _count("deaths", required=True)
    missing = _count("missing", required=True)
    serious_injuries = _count("serious_injuries", required=True)
    injuries = _count("injuries", required=True)
    direct_loss = forms.CharField(label="直接经济损失（万元）", widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    note = forms.CharField(label="续报说明", required=False, max_length=500)


class DisasterForm(ServiceForm):
    title = forms.CharField(label="灾害名称", max_length=200)
    kind = forms.ChoiceField(label=LABELS["kind"], choices=[("", "请选择")] + DisasterKind.choices)
    occurred_on = forms.CharField(label=LABELS["occurred_on"], widget=DAY)
    region = forms.ChoiceField(label="受灾地")
    affected = _count("affected")
    deaths = _count("deaths")
    missing = _count("missing")
    direct_loss = forms.CharField(
        label="直接经济损失（万元）", required=False, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices(user)


class ResponseForm(ServiceForm):
    title = forms.CharField(label="事件", max_length=200)
    region = forms.ChoiceField(label="区划")
    disaster = forms.ChoiceField(label=LABELS["disaster"], required=False)
    reported_at = forms.CharField(label=LABELS["reported_at"], widget=MOMENT)
    response_started_at = forms.CharField(label=LABELS["response_started_at"], required=False, widget=MOMENT)
    relief_needed = forms.BooleanField(label=LABELS["relief_needed"], required=False, initial=True)
    relief_arrived_at = forms.CharField(label=LABELS["relief_arrived_at"], required=False, widget=MOMENT)
    relief_distributed_at = forms.CharField(label=LABELS["relief_distributed_at"], required=False, widget=MOMENT)

    def __init__(self, *args, user: User, disasters=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices(user)
        self.fields["disaster"].choices = [("", "无")] + [
            (str(d.pk), f"{d.occurred_on:%Y-%m-%d} {d.title}") for d in disasters
        ]


def local_moment(value) -> str:
    return "" if value is None else timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")
