"""Errors raised by services, one class per API status. Messages are Chinese, for people."""

from __future__ import annotations

from contextvars import ContextVar, Token

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


# The refusals a page shows its user during the current request (core.middleware.RefusalMiddleware
# names them in the response): a button that answers 403 or 409 is a page offering what the user
# may not do, and a role walk must be able to see it even when the page says it in an error box.
_shown: ContextVar[list[ServiceError] | None] = ContextVar("safeloop_refusals_shown", default=None)


def refusal_shown(exc: ServiceError) -> None:
    """A page shows this refusal to its user (a form's message, a hazard's error box)."""
    shown = _shown.get()
    if shown is not None:
        shown.append(exc)


def refusals_watch() -> Token:
    return _shown.set([])


def refusals_end(token: Token) -> list[ServiceError]:
    shown = _shown.get() or []
    _shown.reset(token)
    return shown
