"""Errors raised by services, one class per API status. Messages are Chinese, for people."""

from __future__ import annotations

from django.utils.translation import gettext as _


class ServiceError(Exception):
    status = 400
    code = "invalid_input"

    def __init__(self, message: str, *, fields: dict[str, str] | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}
        if code:
            self.code = code

    def as_dict(self) -> dict:
        return {"error": {"code": self.code, "message": self.message, "fields": self.fields}}


class ValidationFailed(ServiceError):
    """Bad input: `fields` names each offending field with a Chinese reason."""

    @classmethod
    def from_fields(cls, fields: dict[str, str]) -> ValidationFailed:
        first = next(iter(fields.values()))
        return cls(_("提交的信息有误：{first}").format(first=first), fields=fields)


class Forbidden(ServiceError):
    status = 403
    code = "forbidden"


class NotFound(ServiceError):
    status = 404
    code = "not_found"

    def __init__(self, message: str = "", **kwargs):
        super().__init__(message or _("对象不存在或不在您的管辖范围内"), **kwargs)


class Conflict(ServiceError):
    status = 409
    code = "conflict"


class TooLarge(ServiceError):
    status = 413
    code = "file_too_large"


class UnsupportedType(ServiceError):
    status = 415
    code = "unsupported_file_type"


class Unauthorized(ServiceError):
    status = 401
    code = "unauthorized"


class Throttled(ServiceError):
    """Too many attempts: try again after `retry_after` seconds (the API sends `Retry-After`)."""

    status = 429
    code = "throttled"

    def __init__(self, message: str, *, retry_after: int = 1, **kwargs):
        super().__init__(message, **kwargs)
        self.retry_after = max(1, int(retry_after))


class Locked(Throttled):
    """Locked for a while (an account against the addresses that failed on it, or an address)."""

    code = "account_locked"
