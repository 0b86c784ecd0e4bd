"""Reading raw input (form, JSON, Excel cell) into typed values, collecting Chinese errors.

inp = Inputs(data)
reason = inp.text("reason", "理由", required=True)
due = inp.date("deadline", "整改期限")
inp.check()   # raises ValidationFailed naming every bad field
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from safeloop.core.errors import ValidationFailed
from safeloop.core.text import clean_text


class Inputs:
    def __init__(self, data: dict[str, Any] | None):
        self.data = data or {}
        self.errors: dict[str, str] = {}

    def error(self, name: str, message: str) -> None:
        self.errors.setdefault(name, message)

    def check(self) -> None:
        if self.errors:
            raise ValidationFailed.from_fields(self.errors)

    def _raw(self, name: str, label: str, required: bool) -> str | None:
        value = self.data.get(name)
        text = "" if value is None else clean_text(value)
        if not text:
            if required:
                self.error(name, f"{label}为必填项")
            return None
        return text

    def text(self, name: str, label: str, *, required: bool = False, max_length: int = 2000) -> str:
        text = self._raw(name, label, required) or ""
        if len(text) > max_length:
            self.error(name, f"{label}不能超过{max_length}个字")
        return text

    def date(self, name: str, label: str, *, required: bool = False) -> date | None:
        value = self.data.get(name)
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        text = self._raw(name, label, required)
        if text is None:
            return None
        try:
            return date.fromisoformat(text.replace("/", "-")[:10])
        except ValueError:
            self.error(name, f"{label}应为日期，格式如 2026-12-31")
            return None

    def decimal(
        self, name: str, label: str, *, required: bool = False, minimum: Decimal | None = None, max_digits: int = 12
    ) -> Decimal | None:
        """A finite number, at most `max_digits` digits before the point (money: under 1 万亿), cents kept."""
        text = self._raw(name, label, required)
        if text is None:
            return None
        try:
            value = Decimal(text.replace(",", ""))
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite():
            self.error(name, f"{label}应为数字")
            return None
        if minimum is not None and value < minimum:
            self.error(name, f"{label}不能小于{minimum}")
        if abs(value) >= Decimal(10) ** max_digits:
            self.error(name, f"{label}数值过大")
            return None
        return value.quantize(Decimal("0.01"))

    def integer(
        self, name: str, label: str, *, required: bool = False, minimum: int = 0, maximum: int = 10**9
    ) -> int | None:
        text = self._raw(name, label, required)
        if text is None:
            return None
        if not text.lstrip("-").isdigit() or not minimum <= int(text) <= maximum:
            self.error(name, f"{label}应为{minimum}至{maximum}之间的整数")
            return None
        return int(text)

    def choice(self, name: str, label: str, choices: Any, *, required: bool = False, default: str = "") -> str:
        text = self._raw(name, label, required)
        if text is None:
            return default
        for value, title in choices.choices:
            if text in (value, str(title)):
                return value
        allowed = "、".join(f"{title}（{value}）" for value, title in choices.choices)
        self.error(name, f"{label}“{text}”无效，可选：{allowed}")
        return default

    def boolean(self, name: str, label: str, *, required: bool = False) -> bool | None:
        value = self.data.get(name)
        if isinstance(value, bool):
            return value
        text = (self._raw(name, label, required) or "").lower()
        if text in {"true", "1", "yes", "on", "是", "同意", "approve"}:
            return True
        if text in {"false", "0", "no", "off", "否", "不同意", "reject"}:
            return False
        if text:
            self.error(name, f"{label}应为“是”或“否”")
        return None

    def ids(self, name: str, label: str) -> list[int]:
        value = self.data.get(name) or []
        if isinstance(value, (str, int)):
            value = [v for v in str(value).split(",") if v.strip()]
        try:
            return [int(v) for v in value]
        except (TypeError, ValueError):
            self.error(name, f"{label}应为附件编号列表")
            return []
