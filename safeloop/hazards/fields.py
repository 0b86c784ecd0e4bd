"""The fields of reporting a hazard (排查) and of the 台账 Excel layout, each named once.
The report page, the API's `HazardIn`, the ledger columns and the validators are derived from
these. (The fields of each workflow action are declared in the workflow table.)"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from safeloop.core.fields import Kind, by_name, model_spec
from safeloop.hazards.models import Hazard


def _hazard(name: str, kind: Kind | None = None, **options):
    return model_spec(Hazard, name, kind, **options)


REPORT_FIELDS = (
    _hazard("enterprise"),  # an enterprise's own account reports for its enterprise and sends none
    _hazard("source"),
    _hazard("description"),
    _hazard("location"),
    _hazard("nature"),
    _hazard("level"),
    _hazard("clause", help=_("重大隐患必填，如 GM10-11-03")),
    _hazard("found_on", required=False, not_future=True, help=_("不填则为今天")),
    _hazard("finder_name", help=_("不填则为上报人")),
)
REPORT = by_name(REPORT_FIELDS)

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
