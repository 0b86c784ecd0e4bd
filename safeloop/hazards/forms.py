"""The fields the report form shows; the service validates. (Each workflow action declares its
fields as FieldSpecs in its row of `workflow.TRANSITIONS`.)"""

from __future__ import annotations

from dataclasses import dataclass

from safeloop.hazards.models import Level, Nature, Source


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str = "text"  # text, textarea, date, number, select, yesno, attachments
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()


def _choices(enum) -> tuple[tuple[str, str], ...]:
    return tuple((value, str(label)) for value, label in enum.choices)


REPORT_FIELDS: tuple[Field, ...] = (
    Field("description", "隐患描述", "textarea", True),
    Field("location", "部位"),
    Field("nature", "类别", "select", choices=_choices(Nature)),
    Field("level", "隐患等级", "select", True, _choices(Level)),
    Field("clause", "判定依据（重大隐患必填，如 GM10-11-03）"),
    Field("found_on", "发现日期", "date"),
    Field("finder_name", "发现人"),
)
SOURCE_CHOICES = _choices(Source)
