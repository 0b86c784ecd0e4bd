"""Enterprise Excel layout, export and all-or-nothing import.

The export writes exactly the columns the import reads, so an exported file re-imports
with no change. Rows are matched on 统一社会信用代码: a new code registers an enterprise,
a known one (inside the importer's scope) updates it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safeloop.accounts.models import User
from safeloop.core.audit import audit_bulk, audit_import
from safeloop.core.bulk import Export, Import, by_id_chunks
from safeloop.core.changes import changed_each, changed_many
from safeloop.core.codes import normalise_credit_code
from safeloop.core.errors import Forbidden, ValidationFailed
from safeloop.core.inserts import bulk_insert
from safeloop.core.jobs import Progress
from safeloop.core.scope import visible
from safeloop.core.services import diff_apply
from safeloop.core.text import clean_text, name_key
from safeloop.core.xlsx import MAX_REPORTED_ERRORS, Column, ImportFailed, ImportReport, read_rows
from safeloop.registry.fields import FIELDS
from safeloop.registry.models import RISK_FEATURES, Category, Enterprise, Region, RiskLevel
from safeloop.registry.permissions import can_register_enterprises
from safeloop.registry.selectors import EnterpriseFilters, enterprise_list
from safeloop.registry.services import enterprise_values, with_initials
from safeloop.registry.validation import OVERRIDE, EnterpriseCleaner, override_refusal

COLUMNS = [
    Column.of(FIELDS["name"], width=36),
    Column.of(FIELDS["credit_code"], width=22),
    Column.of(FIELDS["region"].but(label=_("乡镇代码")), lambda e: e.region_id, 12),
    Column(_("乡镇名称"), "region_name", lambda e: e.region.name, 14),  # a check on the code, not a field
    Column.of(FIELDS["category"], width=16),
    Column.of(FIELDS["industry_code"], width=10),
    Column.of(FIELDS["address"], width=36),
    Column.of(FIELDS["lng"], width=12),
    Column.of(FIELDS["lat"], width=12),
    Column.of(FIELDS["employees"], width=10),
    Column.of(FIELDS["scale"], width=8),
    Column.of(FIELDS["risk_level"], width=14),
    Column.of(FIELDS["key_sector"], width=8),
    *(Column.of(FIELDS[name], width=10) for name in RISK_FEATURES),
    Column.of(FIELDS["supervising_department_override"], width=22),
    Column.of(FIELDS["principal_name"], width=10),
    Column.of(FIELDS["principal_phone"], width=14),
    Column.of(FIELDS["safety_contact_name"], width=12),
    Column.of(FIELDS["safety_contact_phone"], width=14),
]
CHUNK = 500


def export_queryset(qs) -> Iterator[Enterprise]:
    """Stream in chunks so a province-sized export never holds every row in memory."""
    return by_id_chunks(qs.select_related("region", "category", "supervising_department_override"))


def region_word(code: str) -> str:
    """A region filter as the title row of an export says it: its name (else the code as typed)."""
    return Region.objects.filter(code=code).values_list("name", flat=True).first() or code


def category_word(code: str) -> str:
    return Category.objects.filter(code=code).values_list("name", flat=True).first() or code


def enterprise_words(user: User, f: EnterpriseFilters) -> list[str]:
    """The enterprise list's filters in words, for the export's title row."""
    words = [region_word(f.region)] if f.region else []
    words += [category_word(f.category)] if f.category else []
    words += [str(dict(RiskLevel.choices).get(f.risk_level, f.risk_level))] if f.risk_level else []
    if f.key_sector in ("1", "0"):
        words.append(_("重点监管") if f.key_sector == "1" else _("非重点监管"))
    return words + ([_("搜索“{q}”").format(q=f.q)] if f.q else [])


ENTERPRISE_EXPORT = Export(
    kind="registry.enterprise_export",
    title=gettext_lazy("企业档案"),
    columns=COLUMNS,
    filters=EnterpriseFilters,
    select=enterprise_list,
    rows=export_queryset,
    words=enterprise_words,
    back="registry:enterprise_list",
)


def enterprise_import(*, actor: User, data: bytes, progress: Progress | None = None) -> ImportReport:
    """All rows or none. The rows are checked first, outside the write transaction, so a
    background job's progress can be written as it goes (on SQLite the import's transaction
    holds the one write lock); the transaction then re-checks what others may have changed
    meanwhile (a code registered, an enterprise edited) and writes everything or nothing."""
    if not can_register_enterprises(actor):
        raise Forbidden(_("您的角色不能导入企业"))
    sheet = read_rows(data, COLUMNS)
    rows = list(sheet)
    if not rows:
        message = _("文件中没有数据行")
        raise ValidationFailed(message, fields={"file": message})
    run = _EnterpriseImport(actor, rows, sheet.letters, progress)
    report = run.check()
    if report.ok:
        with transaction.atomic():
            run.save(data)
            if not report.ok:
                raise ImportFailed(report)
    if not report.ok:
        raise ImportFailed(report)
    return report


ENTERPRISE_IMPORT = Import(
    kind="registry.enterprise_import",
    title=gettext_lazy("企业档案导入"),
    run=enterprise_import,
    back="registry:enterprise_list",
    back_label=gettext_lazy("企业档案"),
)
CHANGED_MEANWHILE = gettext_lazy("该企业在导入过程中已被他人修改，请重新导入")


class _EnterpriseImport:
    def __init__(
        self, actor: User, rows: list[tuple[int, dict[str, Any]]], letters: dict[str, str], progress: Progress | None
    ):
        self.actor = actor
        self.rows = rows
        self.progress = progress
        self.cleaner = EnterpriseCleaner(actor, memo=True)
        self.report = ImportReport(letters=letters)
        self.new: list[dict[str, Any]] = []  # the new enterprises' values
        self.changed: dict[int, tuple[Enterprise, dict]] = {}
        self.seen: dict[str, int] = {}  # credit code -> its row
        self.versions: dict[int, int] = {}  # the version of each known enterprise as checked

    def check(self) -> ImportReport:
        codes = {normalise_credit_code(str(raw.get("credit_code", ""))) for _, raw in self.rows}
        existing = self._existing(codes)
        mine = self._mine(existing)
        if self.progress is not None:
            self.progress.total(len(self.rows))
        for number, raw in self.rows:
            self._row(number, raw, existing, mine)
            if self.progress is not None:
                self.progress.advance()
            if len(self.report.errors) >= MAX_REPORTED_ERRORS:
                break
        return self.report

    def _existing(self, codes: set[str]) -> set[str]:
        """The codes already registered, by anyone."""
        found: set[str] = set()
        ordered = sorted(codes)
        for start in range(0, len(ordered), CHUNK):
            part = ordered[start : start + CHUNK]
            found.update(Enterprise.objects.filter(credit_code__in=part).values_list("credit_code", flat=True))
        return found

    def _mine(self, existing: set[str]) -> dict[str, Enterprise]:
        """The known enterprises this importer may update."""
        ordered, found = sorted(existing), {}
        for start in range(0, len(ordered), CHUNK):
            qs = Enterprise.objects.filter(credit_code__in=ordered[start : start + CHUNK])
            qs = qs.select_related("region", "category", OVERRIDE)
            found.update((e.credit_code, e) for e in visible(self.actor, qs))
        self.versions = {e.pk: e.version for e in found.values()}
        return found

    def _row(self, number: int, raw: dict[str, Any], existing: set[str], mine: dict) -> None:
        region_name = clean_text(raw.pop("region_name", ""))
        try:
            values = self.cleaner.clean(raw)
        except ValidationFailed as exc:
            self.report.add(number, COLUMNS, exc.fields)
            return
        code = values["credit_code"]
        if code in self.seen:
            self._error(number, "credit_code", _("与第{row}行的统一社会信用代码重复").format(row=self.seen[code]))
            return
        self.seen[code] = number
        if region_name and name_key(region_name) != name_key(values["region"].name):
            message = _("乡镇名称“{typed}”与乡镇代码对应的“{name}”不一致")
            self._error(number, "region_name", message.format(typed=region_name, name=values["region"].name))
            return
        if code in existing and code not in mine:
            self._error(number, "credit_code", _("该统一社会信用代码已由其他单位登记，不在您的管辖范围内"))
            return
        current_id = mine[code].supervising_department_override_id if code in mine else None
        region = values.get("region") or mine[code].region
        refusal = override_refusal(self.actor, current_id=current_id, department=values.get(OVERRIDE), region=region)
        if refusal is not None:
            self.report.add(number, COLUMNS, refusal.fields)
        elif code in mine:
            self._update(mine[code], values)
        else:
            self.new.append(enterprise_values(values))

    def _update(self, enterprise: Enterprise, values: dict[str, Any]) -> None:
        if values.get("name") == enterprise.name:  # the initials follow the name: as they are
            values = values | {"name_initials": enterprise.name_initials}
        changes = diff_apply(enterprise, with_initials(values) if "name_initials" not in values else values)
        if changes:
            enterprise.version += 1
            enterprise.updated_at = timezone.now()
            self.changed[enterprise.pk] = (enterprise, changes)
        else:
            self.report.unchanged += 1

    def _error(self, number: int, field_name: str, message: str) -> None:
        self.report.add(number, COLUMNS, {field_name: message})

    def save(self, data: bytes) -> None:
        """Within the transaction: the known enterprises locked and still as checked, the new
        codes still free; then every row written, and one audit entry for the file."""
        self._recheck()
        if not self.report.ok:
            return
        bulk_insert(Enterprise, self.new)
        updated = [e for e, _ in self.changed.values()]
        fields = sorted({f for _, changes in self.changed.values() for f in changes} | {"version", "updated_at"})
        if updated:
            Enterprise.objects.bulk_update(updated, fields, batch_size=CHUNK)
        self._feed(updated)
        audit_bulk(actor=self.actor, action="enterprise.import.update", targets=list(self.changed.values()))
        self.report.created, self.report.updated = len(self.new), len(updated)
        counts = {"rows": len(self.rows), "created": self.report.created, "updated": self.report.updated}
        counts["unchanged"] = self.report.unchanged
        audit_import(actor=self.actor, action="enterprise.import", model=Enterprise, data=data, counts=counts)

    def _feed(self, updated: list[Enterprise]) -> None:
        """The change feed (core.changes): the new enterprises as created, the known ones as updated."""
        codes = [values["credit_code"] for values in self.new]
        for start in range(0, len(codes), CHUNK):
            changed_many(list(Enterprise.objects.filter(credit_code__in=codes[start : start + CHUNK]).order_by("pk")))
        for start in range(0, len(updated), CHUNK):
            changed_each(updated[start : start + CHUNK])

    def _recheck(self) -> None:
        ids = sorted(self.versions)
        for start in range(0, len(ids), CHUNK):
            locked = Enterprise.objects.select_for_update().filter(pk__in=ids[start : start + CHUNK])
            for pk, code, version in locked.values_list("pk", "credit_code", "version"):
                if version != self.versions[pk] and code in self.seen:
                    self._error(self.seen[code], "credit_code", str(CHANGED_MEANWHILE))
        taken = self._existing({values["credit_code"] for values in self.new})
        for code in sorted(taken, key=self.seen.__getitem__):
            self._error(self.seen[code], "credit_code", _("统一社会信用代码{code}已被登记，不能重复").format(code=code))
