"""The fields of reporting a hazard (排查), of 即查即改 and of the 台账 Excel layout, each named
once. The report and 即查即改 pages, the API's request schemas, the ledger columns and the
validators are derived from these. (The fields of each workflow action are declared in the
workflow table; `FIXER` is shared with its 提交整改 row.)"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from safeloop.core.fields import FieldSpec, Kind, by_name, choices_of, model_spec
from safeloop.hazards.models import EvidenceKind, Hazard


def _hazard(name: str, kind: Kind | None = None, **options):
    return model_spec(Hazard, name, kind, **options)


REPORT_FIELDS = (
    _hazard("enterprise"),  # an enterprise's own account reports for its enterprise and sends none
    _hazard("source"),
    _hazard("description"),
    _hazard("location"),
    _hazard("nature"),
    _hazard("level"),
    _hazard("clause", Kind.TEXT, max_length=200, help=_("重大隐患必填，判定标准条款编号，如 GM10-11-03")),
    _hazard("found_on", required=False, not_future=True, help=_("不填则为今天")),
    _hazard("finder_name", help=_("不填则为上报人")),
)
REPORT = by_name(REPORT_FIELDS)

# Photos go with the report (phone camera); they are 隐患照片: the hazard as found.
PHOTOS = FieldSpec(
    name="photos",
    label=_("隐患照片"),
    kind=Kind.FILE,
    accept="image/*",
    help=_("可直接拍照，可选多张；照片随上报一并保存"),
)
EVIDENCE_KIND = FieldSpec(
    name="kind",
    label=_("证据类别"),
    kind=Kind.CHOICE,
    choices=choices_of(EvidenceKind),
    help=_("开始整改前只能是隐患照片；之后由上传人选择，不填为整改照片及证明"),
)
FIXER = model_spec(Hazard, "fixer_name", help=_("实际完成整改的人；不填为提交人本人")).but(name="fixer")

# 即查即改: one form, one recorded act (on_spot.hazard_fix_on_spot).
ON_SPOT_FIELDS = (
    REPORT["enterprise"],
    REPORT["description"],
    REPORT["location"],
    REPORT["nature"],
    PHOTOS.but(name="before", label=_("整改前照片"), required=True, help=_("隐患当时的样子，可直接拍照，可选多张")),
    PHOTOS.but(name="after", label=_("整改后照片"), required=True, help=_("当场整改完成后拍摄，可选多张")),
    FIXER.but(required=True, help=_("当场动手整改的人（企业人员）；不能是记录人本人")),
    FieldSpec(name="note", label=_("备注"), kind=Kind.TEXTAREA, max_length=2000, help=_("整改措施等，可不填")),
)
ON_SPOT = by_name(ON_SPOT_FIELDS)

# The standard 台账 columns (headers as officials know them: 编号, 资金, 期限), read back by the import.
LEDGER_FIELDS = (
    _hazard("code", label=_("编号"), max_length=60),  # on import: the old system's number, kept in the history
    REPORT["description"],
    REPORT["level"].but(required=True),
    REPORT["clause"],
    REPORT["source"],
    REPORT["found_on"].but(required=True),
    REPORT["finder_name"],
    _hazard("responsible_unit"),
    _hazard("responsible_person"),
    _hazard("measures"),
    _hazard("funds", Kind.MONEY, label=_("资金")),
    _hazard("deadline", label=_("期限")),
    _hazard("rectified_on", not_future=True),
    _hazard("accepted_by_name"),
    _hazard("accepted_on", not_future=True),
    _hazard("closed_on", not_future=True),
    _hazard("status", required=True),
)
LEDGER = by_name(LEDGER_FIELDS)
