"""One form behaviour for every page: render inputs from the resource's `FieldSpec`s, post the
raw values to the service, and on a refusal show the form again with what the user typed and
each message once, next to its field.

Forms hold no rules of their own: the service (through `core.inputs`) is the only validator.

    form = FormState(ENTERPRISE_FIELDS, data=request.POST, options={"region": region_choices(user)})
    try:
        enterprise_create(actor=request.user, data=form.data)
    except ServiceError as exc:
        form.fail(exc)            # the template shows form.errors beside the fields
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

from django.db.models import Model
from django.http import Http404, HttpRequest, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from safeloop.core.errors import ServiceError, refusal_shown
from safeloop.core.fields import FieldSpec, Kind
from safeloop.core.inputs import Inputs

INPUT_TYPES = {
    Kind.DATE: "date",
    Kind.MOMENT: "datetime-local",
    Kind.PHONE: "tel",
    Kind.FILE: "file",
    Kind.PASSWORD: "password",
}
INPUT_MODES = {Kind.INTEGER: "numeric", Kind.DECIMAL: "decimal", Kind.MONEY: "decimal", Kind.PHONE: "tel"}
YES_NO = [("1", "是"), ("0", "否")]
T = TypeVar("T")


@dataclass
class BoundField:
    spec: FieldSpec
    value: Any  # what the input shows: the text the user typed, or the record's value as text
    error: str
    options: Sequence[Any]  # (value, label) pairs, or (group label, pairs) for grouped selects
    prefix: str = ""

    @property
    def id(self) -> str:
        """`id_<name>` as Django's forms had it (pages and their tests address inputs so); with a
        prefix (several forms on one page), `f-<prefix>-<name>`."""
        return f"f-{self.prefix}-{self.spec.name}" if self.prefix else f"id_{self.spec.name}"

    @property
    def widget(self) -> str:
        """textarea, select, checkboxes or input."""
        kind = self.spec.kind
        if kind == Kind.TEXTAREA:
            return "textarea"
        if kind == Kind.IDS:
            return "checkboxes"
        if kind in (Kind.CHOICE, Kind.BOOLEAN) or (kind == Kind.REF and self.options):
            return "select"
        return "input"

    @property
    def input_type(self) -> str:
        return INPUT_TYPES.get(self.spec.kind, "text")

    @property
    def input_mode(self) -> str:
        return INPUT_MODES.get(self.spec.kind, "")

    @property
    def groups(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """The options as (group label, pairs); ungrouped options come under the label ''."""
        out: list[tuple[str, list[tuple[str, str]]]] = []
        for value, label in self.options:
            if isinstance(label, (list, tuple)):
                out.append((str(value), [(str(v), str(text)) for v, text in label]))
            elif out and out[-1][0] == "":
                out[-1][1].append((str(value), str(label)))
            else:
                out.append(("", [(str(value), str(label))]))
        return out

    @property
    def chosen(self) -> set[str]:
        """The selected option values (a select has one; checkboxes may have several)."""
        if isinstance(self.value, (list, tuple)):
            return {str(v) for v in self.value}
        return {str(self.value)} if self.value not in (None, "") else set()


@dataclass
class FormState:
    specs: Sequence[FieldSpec]
    data: Mapping[str, Any] = field(default_factory=dict)  # posted values, or the record's as text
    errors: dict[str, str] = field(default_factory=dict)
    options: Mapping[str, Sequence[Any]] = field(default_factory=dict)
    prefix: str = ""
    message: str = ""  # the refusal's general message, when no field carries it
    status: int = 200  # the refusal's HTTP status (400, 409…), for the page that shows it

    @classmethod
    def posted(cls, specs: Sequence[FieldSpec], post: Any, **kwargs: Any) -> FormState:
        """From a QueryDict: lists stay lists for multi-valued fields (attachments)."""
        data = {spec.name: post.getlist(spec.name) if spec.kind == Kind.IDS else post.get(spec.name) for spec in specs}
        data = {name: value for name, value in data.items() if value is not None}
        return cls(specs, data=data, **kwargs)

    @classmethod
    def of(cls, specs: Sequence[FieldSpec], record: Model | Mapping[str, Any], **kwargs: Any) -> FormState:
        """An edit form showing a record's current values."""
        get = record.get if isinstance(record, Mapping) else lambda name: getattr(record, name, None)
        return cls(specs, data={spec.name: as_input(spec, get(spec.name)) for spec in specs}, **kwargs)

    @classmethod
    def of_page(
        cls, specs: Sequence[FieldSpec], post: Any, record: Model | Mapping[str, Any], **kwargs: Any
    ) -> FormState:
        """A form page's form: what the user posted (`posted(request)`), else the record's values
        (for a new record, an unsaved instance: the model's defaults)."""
        return cls.posted(specs, post, **kwargs) if post is not None else cls.of(specs, record, **kwargs)

    def __iter__(self) -> Iterator[BoundField]:
        return (self.bound(spec) for spec in self.specs)

    def __getitem__(self, name: str) -> BoundField:
        for spec in self.specs:
            if spec.name == name:
                return self.bound(spec)
        raise KeyError(name)  # templates then try the attribute (form.errors, form.message)

    def pick(self, names: Iterable[str]) -> list[BoundField]:
        """The named fields, in the order of the specs (a group of the form, e.g. a <details>)."""
        wanted = set(names)
        return [self.bound(spec) for spec in self.specs if spec.name in wanted]

    def omit(self, names: Iterable[str]) -> list[BoundField]:
        unwanted = set(names)
        return [self.bound(spec) for spec in self.specs if spec.name not in unwanted]

    def bound(self, spec: FieldSpec) -> BoundField:
        options = self.options.get(spec.name) or _static_options(spec)
        value = "" if spec.kind == Kind.PASSWORD else self.data.get(spec.name, "")  # never sent back to the page
        return BoundField(spec, value, self.errors.get(spec.name, ""), options, self.prefix)

    def fail(self, exc: ServiceError) -> None:
        """Keep the refusal: field messages go beside their fields, the rest above the form."""
        refusal_shown(exc)
        self.status = exc.status
        names = {spec.name for spec in self.specs}
        self.errors = dict(exc.fields)
        unplaced = [message for name, message in exc.fields.items() if name not in names]
        placed = len(unplaced) < len(exc.fields)
        self.message = "；".join(unplaced) if unplaced else ("" if placed else exc.message)

    @property
    def has_errors(self) -> bool:
        return bool(self.errors or self.message)


def posted(request: HttpRequest) -> QueryDict | None:
    """The posted values of a form page, None for a GET (the form then shows the record)."""
    return request.POST if request.method == "POST" else None


def submitted(form: FormState, save: Callable[..., T], **kwargs: Any) -> T | None:
    """Hand what the user typed to the service (`save(data=..., **kwargs)`); a refusal stays on
    the form, with the messages beside their fields, and gives None."""
    try:
        return save(data=form.data, **kwargs)
    except ServiceError as exc:
        if exc.status == 404:
            raise Http404 from exc
        form.fail(exc)
        return None


def edited_version(request: HttpRequest, record: Model) -> Any:
    """The version the edit form carries: after a refusal the one it was opened with (a stale
    edit stays stale), else the record's."""
    return request.POST.get("version") if request.method == "POST" else getattr(record, "version", "")


def posted_version(post: Mapping[str, Any]) -> int | None:
    """The record version an edit form was rendered with (its hidden `version` input)."""
    return Inputs(post).integer("version", _("版本"), minimum=1)


def _static_options(spec: FieldSpec) -> Sequence[Any]:
    if spec.kind == Kind.BOOLEAN:
        return YES_NO
    return spec.choices


def as_input(spec: FieldSpec, value: Any) -> Any:
    """A stored value as an input shows it."""
    if value is None:
        return ""
    if isinstance(value, Model):
        return str(value.pk)
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral_value() else str(value)
    return value


def with_files(form: FormState, request: HttpRequest, *names: str) -> FormState:
    """The chosen files go to the service beside the typed values (a file input is never shown
    again: after a refusal the user chooses the files anew, the typed values stay)."""
    if request.method == "POST":
        form.data = {**form.data, **{name: request.FILES.getlist(name) for name in names}}
    return form
