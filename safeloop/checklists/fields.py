"""The fields of answering one checklist item, named once: the item form, the API's request
schema and the reader are derived from these."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from safeloop.checklists.models import Item, Result
from safeloop.core.fields import FieldSpec, Kind, by_name, choices_of

ANSWER_FIELDS = (
    FieldSpec(name="result", label=_("结论"), kind=Kind.CHOICE, required=True, choices=choices_of(Result)),
    FieldSpec(
        name="note",
        label=str(Item._meta.get_field("note").verbose_name),
        kind=Kind.TEXTAREA,
        max_length=2000,
        help=_("不符合时写明部位和现状，将作为隐患描述的一部分"),
    ),
)
ANSWER = by_name(ANSWER_FIELDS)
PHOTOS = FieldSpec(
    name="photos",
    label=_("现场照片"),
    kind=Kind.FILE,
    accept="image/*",
    help=_("可直接拍照；不符合项的照片随隐患一并上报"),
)
