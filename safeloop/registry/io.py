"""Enterprise Excel layout, export and all-or-nothing import.

The export writes exactly the columns the import reads, so an exported file re-imports
with no change. Rows are matched on 统一社会信用代码: a new code registers an enterprise,
a known one (inside the importer's scope) updates it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from safeloop.accounts.models import User
from safeloop.core.audit import audit_bulk
from safeloop.core.codes import normalise_credit_code
from safeloop.core.errors import Forbidden, TooLarge, ValidationFailed
from safeloop.core.scope import visible
from safeloop.core.text import clean_text, pinyin_initials
from safeloop.core.xlsx import (
    MAX_REPORTED_ERRORS,
    Column,
    ImportFailed,
    ImportReport,
    RowError,
    column_letter,
    read_rows,
)
from safeloop.registry.models import Enterprise, RiskLevel, Scale
from safeloop.registry.permissions import can_register_enterprises
from safeloop.registry.services import apply_changes
from safeloop.registry.validation import EnterpriseCleaner


def _label(choices: Any, value: str) -> str:
    return str(dict(choices.choices).get(value, "")) if value else ""


def _number(value: Any) -> float | None:
    return float(value) if value is not None else None


COLUMNS = [
    Column("企业名称", "name", lambda e: e.name, 36, required=True),
    Column("统一社会信用代码", "credit_code", lambda e: e.credit_code, 22, required=True),
    Column("乡镇代码", "region", lambda e: e.region_id, 12, required=True),
    Column("乡镇名称", "region_name", lambda e: e.region.name, 14),
    Column("监管行业", "category", lambda e: e.category.name, 16, required=True),
    Column("国民经济行业代码", "industry_code", lambda e: e.industry_code, 10),
    Column("地址", "address", lambda e: e.address, 36),
    Column("经度", "lng", lambda e: _number(e.lng), 12),
    Column("纬度", "lat", lambda e: _number(e.lat), 12),
    Column("从业人数", "employees", lambda e: e.employees, 10),
    Column("企业规模", "scale", lambda e: _label(Scale, e.scale), 8),
    Column("风险等级", "risk_level", lambda e: _label(RiskLevel, e.risk_level), 14),
    Column("重点监管", "key_sector", lambda e: "是" if e.key_sector else "否", 8),
    Column(
        "指定监管部门",
        "supervising_department_override",
        lambda e: e.supervising_department_override.name if e.supervising_department_override else "",
        22,
    ),
    Column("主要负责人", "principal_name", lambda e: e.principal_name, 10),
    Column("负责人电话", "principal_phone", lambda e: e.principal_phone, 14),
    Column("安全管理联系人", "safety_contact_name", lambda e: e.safety_contact_name, 12),
    Column("联系人电话", "safety_contact_phone", lambda e: e.safety_contact_phone, 14),
]
CHUNK = 500


def export_queryset(qs) -> Iterator[Enterprise]:
    """Stream in chunks so a province-sized export never holds every row in memory."""
    related = qs.select_related("region", "category", "supervising_department_override")
    return related.iterator(chunk_size=2000)


def enterprise_import(*, actor: User, data: bytes) -> ImportReport:
    if not can_register_enterprises(actor):
        raise Forbidden("您的角色不能导入企业")
    if len(data) > settings.SAFELOOP_IMPORT_MAX_BYTES:
        raise TooLarge(f"文件超过{settings.SAFELOOP_IMPORT_MAX_BYTES // (1024 * 1024)}MB，请分批导入")
    rows = list(read_rows(data, COLUMNS))
    if not rows:
        raise ValidationFailed("文件中没有数据行", fields={"file": "没有数据行"})
    with transaction.atomic():
        report = _EnterpriseImport(actor, rows).run()
        if not report.ok:
            raise ImportFailed(report)
    return report


class _EnterpriseImport:
    def __init__(self, actor: User, rows: list[tuple[int, dict[str, Any]]]):
        self.actor = actor
        self.rows = rows
        self.cleaner = EnterpriseCleaner(actor)
        self.report = ImportReport()
        self.new: list[Enterprise] = []
        self.changed: dict[int, tuple[Enterprise, dict]] = {}

    def run(self) -> ImportReport:
        codes = {normalise_credit_code(str(raw.get("credit_code", ""))) for _, raw in self.rows}
        existing = self._existing(codes)
        mine = self._mine(existing)
        seen: dict[str, int] = {}
        for number, raw in self.rows:
            self._row(number, raw, existing, mine, seen)
            if len(self.report.errors) >= MAX_REPORTED_ERRORS:
                break
        if self.report.ok:
            self._save()
        return self.report

    def _existing(self, codes: set[str]) -> dict[str, Enterprise]:
        found: dict[str, Enterprise] = {}
        ordered = sorted(codes)
        for start in range(0, len(ordered), CHUNK):
            for e in Enterprise.objects.filter(credit_code__in=ordered[start : start + CHUNK]).only(
                "pk", "credit_code"
            ):
                found[e.credit_code] = e
        return found

    def _mine(self, existing: dict[str, Enterprise]) -> dict[str, Enterprise]:
        """The known enterprises this importer may update, locked against concurrent edits."""
        ids = [e.pk for e in existing.values()]
        found: dict[str, Enterprise] = {}
        for start in range(0, len(ids), CHUNK):
            qs = Enterprise.objects.filter(pk__in=ids[start : start + CHUNK]).select_for_update()
            found.update((e.credit_code, e) for e in visible(self.actor, qs))
        return found

    def _row(self, number: int, raw: dict[str, Any], existing: dict, mine: dict, seen: dict[str, int]) -> None:
        region_name = clean_text(raw.pop("region_name", ""))
        try:
            values = self.cleaner.clean(raw)
        except ValidationFailed as exc:
            self._errors(number, exc.fields)
            return
        code = values["credit_code"]
        if code in seen:
            self._error(number, "credit_code", f"与第{seen[code]}行的统一社会信用代码重复")
            return
        seen[code] = number
        if region_name and region_name != values["region"].name:
            self._error(
                number, "region_name", f"乡镇名称“{region_name}”与乡镇代码对应的“{values['region'].name}”不一致"
            )
            return
        if code in mine:
            self._update(mine[code], values)
        elif code in existing:
            self._error(number, "credit_code", "该统一社会信用代码已由其他单位登记，不在您的管辖范围内")
        else:
            values.setdefault("key_sector", values["category"].key_sector)
            self.new.append(Enterprise(**values, name_initials=pinyin_initials(values["name"])))

    def _update(self, enterprise: Enterprise, values: dict[str, Any]) -> None:
        changes = apply_changes(enterprise, values)
        if changes:
            enterprise.version += 1
            enterprise.updated_at = timezone.now()
            self.changed[enterprise.pk] = (enterprise, changes)
        else:
            self.report.unchanged += 1

    def _errors(self, number: int, fields: dict[str, str]) -> None:
        for field_name, message in fields.items():
            self._error(number, field_name, message)

    def _error(self, number: int, field_name: str, message: str) -> None:
        letter, header = column_letter(COLUMNS, field_name)
        self.report.errors.append(RowError(number, letter, header, message))

    def _save(self) -> None:
        created = Enterprise.objects.bulk_create(self.new, batch_size=CHUNK)
        updated = [e for e, _ in self.changed.values()]
        fields = sorted({f for _, changes in self.changed.values() for f in changes} | {"version", "updated_at"})
        if updated:
            Enterprise.objects.bulk_update(updated, fields, batch_size=CHUNK)
        audit_bulk(actor=self.actor, action="enterprise.import.create", targets=[(e, {}) for e in created])
        audit_bulk(actor=self.actor, action="enterprise.import.update", targets=list(self.changed.values()))
        self.report.created, self.report.updated = len(created), len(updated)
