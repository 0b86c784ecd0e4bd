"""Shared pieces of the JSON API: the error shape, pagination, the request schemas built from a
resource's field list, the base of the response schemas built from its model, and one typed route
per workflow action."""

from __future__ import annotations

import inspect
import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from functools import cache
from typing import Annotated, Any, ClassVar

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Router, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser
from pydantic import ConfigDict, WithJsonSchema, create_model, field_validator
from pydantic.fields import FieldInfo

from safeloop.core.errors import NotFound, ServiceError, Throttled, ValidationFailed
from safeloop.core.fields import FieldSpec, Kind
from safeloop.core.filters import Filters
from safeloop.core.inputs import MAX_ID
from safeloop.core.security_log import record_refusal

_SURROGATE = re.compile("[\ud800-\udfff\x00]")  # lone surrogates, and NUL (which PostgreSQL refuses)
MAX_PAGE_SIZE = 500
MAX_PAGE = 100_000  # 50 million rows at the largest page size: beyond any list here
DEFAULT_PAGE_SIZE = 50

# Marked for translation here, translated when a message is built.
PYDANTIC_MESSAGES = {
    "missing": gettext_noop("为必填项"),
    "int_parsing": gettext_noop("应为整数"),
    "int_type": gettext_noop("应为整数"),
    "float_parsing": gettext_noop("应为数字"),
    "decimal_parsing": gettext_noop("应为数字"),
    "bool_parsing": gettext_noop("应为 true 或 false"),
    "bool_type": gettext_noop("应为 true 或 false"),
    "string_type": gettext_noop("应为文本"),
    "date_from_datetime_parsing": gettext_noop("应为日期（YYYY-MM-DD）"),
    "date_parsing": gettext_noop("应为日期（YYYY-MM-DD）"),
    "datetime_parsing": gettext_noop("应为带时区的时间（ISO 8601）"),
    "json_invalid": gettext_noop("不是有效的 JSON"),
    "model_attributes_type": gettext_noop("格式不正确"),
    "dict_type": gettext_noop("应为 JSON 对象"),
}


def error_body(code: str, message: str, fields: dict[str, str] | None = None) -> dict:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def install_error_handlers(api: NinjaAPI, labels: Callable[[str], str]) -> None:
    @api.exception_handler(ServiceError)
    def service_error(request, exc: ServiceError):
        if exc.status in (403, 404):
            record_refusal(request, exc.status, exc)
        response = api.create_response(request, exc.as_dict(), status=exc.status)
        if isinstance(exc, Throttled):
            response["Retry-After"] = str(exc.retry_after)
        return response

    @api.exception_handler(Http404)
    def not_found(request, exc):
        record_refusal(request, 404, exc)
        return api.create_response(request, error_body("not_found", _("对象不存在或不在您的管辖范围内")), status=404)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return api.create_response(
            request, error_body("unauthorized", _("未登录或令牌无效、已过期、已吊销")), status=401
        )

    @api.exception_handler(NinjaValidationError)
    def invalid(request, exc: NinjaValidationError):
        fields = _validation_fields(exc.errors, labels)
        first = next(iter(fields.values()), _("请求格式不正确"))
        message = _("提交的信息有误：{first}").format(first=first)
        return api.create_response(request, error_body("invalid_input", message, fields), status=400)

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        cause = exc.__cause__  # ninja wraps what the body parser raised (StrictJsonParser)
        if isinstance(cause, ServiceError):
            return api.create_response(request, cause.as_dict(), status=cause.status)
        return api.create_response(request, error_body("error", str(exc)), status=exc.status_code)


def _validation_fields(errors: list[dict], labels: Callable[[str], str]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for err in errors:
        loc = [str(part) for part in err.get("loc", []) if part not in ("body", "payload", "query", "path")]
        name = next((part for part in reversed(loc) if not part.isdigit()), "body")  # a list's item: the list
        reason = PYDANTIC_MESSAGES.get(err.get("type", ""), gettext_noop("格式不正确"))
        fields[name] = f"{labels(name)}{_(reason)}"
    return fields


class StrictJsonParser(Parser):
    """Request bodies as strict JSON (RFC 8259): NaN and Infinity are not JSON, and a lone
    surrogate (\\ud800) or a NUL (\\u0000) is no character a database stores; each is a 400 naming the body,
    before a handler sees the data. Query strings are parsed as ninja does."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        try:
            data = json.loads(request.body.decode("utf-8"), parse_constant=_not_json)
        except (ValueError, RecursionError) as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
            raise _bad_body(_("请求内容不是有效的 JSON（UTF-8 编码；不接受 NaN、Infinity）")) from exc
        if _has_lone_surrogate(data):
            raise _bad_body(_("请求内容含有无效字符（空字符或孤立的 UTF-16 代理码位）"))
        return data


def _not_json(constant: str) -> Any:
    raise ValueError(f"{constant} is not JSON")


def _bad_body(reason: str) -> ValidationFailed:
    return ValidationFailed(_("提交的信息有误：{first}").format(first=reason), fields={"body": reason})


def _has_lone_surrogate(data: Any) -> bool:
    pending = [data]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                return True
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


class Paging(Filters):
    """`page` and `page_size` of every list, a `Query[Paging]` beside the list's filters. Read by
    `core.inputs` like every filter: a page beyond MAX_PAGE (?page=10**18, whose offset no
    database takes) is a 400 naming 页码; a page size above the maximum is clamped."""

    typed: ClassVar[dict[str, FieldSpec]] = {
        "page": FieldSpec("page", "", Kind.INTEGER, minimum=1, maximum=MAX_PAGE),
        "page_size": FieldSpec("page_size", "", Kind.INTEGER, minimum=1, maximum=MAX_ID, integer_range=(1, MAX_ID)),
    }
    page: int = Field(1, title=gettext_noop("页码"), ge=1, le=MAX_PAGE)
    page_size: int = Field(DEFAULT_PAGE_SIZE, title=gettext_noop("每页条数"), ge=1)


def paginate(
    request: HttpRequest, qs: QuerySet, paging: Paging, prepare: Callable[[list[Any]], list[Any]] = list
) -> dict:
    """The list envelope of `page_of(...)`; `prepare` gets the whole page, so it can batch what rows
    share (the supervising departments of a page of enterprises) before the schema reads them."""
    page = min(max(paging.page, 1), MAX_PAGE)
    page_size = min(max(paging.page_size, 1), MAX_PAGE_SIZE)
    count = qs.count()
    start = (page - 1) * page_size
    results = prepare(list(qs[start : start + page_size]))
    return {"count": count, "results": results, "next": _next_url(request, page, page_size, count)}


def _next_url(request: HttpRequest, page: int, page_size: int, count: int) -> str | None:
    if page * page_size >= count:
        return None
    params = request.GET.copy()
    params["page"] = str(page + 1)
    params["page_size"] = str(page_size)
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


def input_schema(
    name: str,
    specs: Sequence[FieldSpec],
    *,
    partial: bool = False,
    extra: dict[str, Any] | None = None,
    aliases: Mapping[str, str] | None = None,
) -> type[Schema]:
    """The request body of a resource, built from its field list.

    The types are for the OpenAPI document only: every value reaches the service as sent, and
    `core.inputs` validates it, so a bad value gets the same Chinese message as on the page.
    `extra` adds fields that are not the resource's own (`version`), as pydantic (type, default)
    pairs. `aliases` gives a field the name the API contract uses where it differs from the
    model's (`supervising_department` for `supervising_department_override`); `.dict()` still
    gives the model's name, and `api_names` says the contract's name in errors.
    """
    aliases = aliases or {}
    required = [] if partial else [aliases.get(spec.name, spec.name) for spec in specs if spec.required]
    required += [name for name, (_, default) in (extra or {}).items() if _required(default)]
    extra_schema: dict[str, Any] | None = {"required": required} if required else None
    config = ConfigDict(json_schema_extra=extra_schema)
    base = type(f"{name}Base", (Schema,), {"model_config": config})
    fields: dict[str, Any] = {
        spec.name: (Annotated[Any, WithJsonSchema(spec.json_schema())], Field(None, alias=aliases.get(spec.name)))
        for spec in specs
    }
    return create_model(name, __base__=base, **fields, **(extra or {}))


def _required(default: Any) -> bool:
    return default is ... or (isinstance(default, FieldInfo) and default.is_required())


@contextmanager
def api_names(aliases: Mapping[str, str]) -> Iterator[None]:
    """Refusals name the fields as the API does (see `input_schema`'s `aliases`)."""
    try:
        yield
    except ServiceError as exc:
        exc.fields = {aliases.get(name, name): message for name, message in exc.fields.items()}
        raise


class OutSchema(Schema):
    """Base of the response schemas (usually a `ModelSchema` too): times in Asia/Shanghai (+08:00)."""

    @field_validator("*", mode="after", check_fields=False)
    @classmethod
    def _local_time(cls, value: Any) -> Any:
        if isinstance(value, datetime) and timezone.is_aware(value):
            return timezone.localtime(value)
        return value


def labels_of(*schemas: type[Schema], **more: str) -> Callable[[str], str]:
    """The Chinese name of each query parameter, for what pydantic still checks (page=abc): the
    `title` of the schemas' fields (marked with gettext_noop, translated here) and `more`."""
    found = {"body": gettext_noop("请求内容"), "version": gettext_noop("版本")}
    for schema in schemas:
        found |= {name: field.title for name, field in schema.model_fields.items() if field.title}
    found |= more
    return lambda name: _(found.get(name, gettext_noop("该项")))


@cache
def page_of(item: type[Schema]) -> type[Schema]:
    """The list envelope `{"count", "results", "next"}` of `item`, for `response=` of list endpoints."""
    return create_model(
        f"{item.__name__}Page",
        __base__=Schema,
        count=(int, ...),
        results=(list[item], ...),  # type: ignore[valid-type]
        next=(str | None, None),
    )


def action_schema(prefix: str, transition: Any) -> type[Schema]:
    """The request body of one workflow action: `version` and the fields its table row declares."""
    name = f"{prefix}{transition.action.title().replace('_', '')}In"
    version = Field(
        ..., title="版本号", description="对象的当前版本号（每次办理后加一）；已被他人处理时返回 409 stale_version"
    )
    return input_schema(name, transition.fields, extra={"version": (int, version)})


def action_routes(
    router: Router,
    *,
    path: str,
    key: str,
    transitions: Sequence[Any],
    act: Callable[[HttpRequest, Any, str, dict[str, Any]], Any],
    response: Any,
    prefix: str,
) -> None:
    """`POST {path}/{action}` for each row of a transition table, each with its own body schema
    (so the OpenAPI documents every action's fields), and a fallback that answers an unknown
    action name with the JSON 404. `key` names the path's object id; `act(request, id, action,
    body)` applies the action and returns the response."""
    for t in transitions:
        route = _action_view(key, t.action, action_schema(prefix, t), act)
        summary = f"{t.label}（{t.action}）"
        description = f"{t.who_label}。{t.needs}"
        router.post(
            f"{path}/{t.action}",
            response=response,
            summary=summary,
            description=description,
            operation_id=f"{prefix[0].lower()}{prefix[1:]}_{t.action}",
        )(route)
    router.post(f"{path}/{{action}}", include_in_schema=False)(_unknown_action(key))


def _action_view(key: str, action: str, schema: type[Schema], act: Callable) -> Callable:
    def view(request: HttpRequest, **params: Any) -> Any:
        body = params["payload"].dict(exclude_unset=True)
        return act(request, params[key], action, body)

    view.__signature__ = _signature(key, payload=schema)  # type: ignore[attr-defined]
    return view


def _unknown_action(key: str) -> Callable:
    def view(request: HttpRequest, **params: Any) -> Any:
        raise NotFound(gettext("没有名为“%(action)s”的操作") % {"action": params["action"]})

    view.__signature__ = _signature(key, action=str)  # type: ignore[attr-defined]
    return view


def _signature(key: str, **params: Any) -> inspect.Signature:
    """What django-ninja reads to bind the path id and the body of a generated view."""
    names = {key: int, **params}
    return inspect.Signature(
        [inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=HttpRequest)]
        + [inspect.Parameter(n, inspect.Parameter.KEYWORD_ONLY, annotation=a) for n, a in names.items()]
    )


EXPORT_RESPONSES = {
    "responses": {
        200: {
            "description": "全部可见记录，每行一条（JSON Lines 或 CSV，首行为字段名）；响应头 `X-Changes-Cursor`："
            "导出开始前的变更游标，之后以 `GET /changes?since=` 该值继续同步即不遗漏",
            "content": {
                "application/x-ndjson": {"schema": {"type": "string"}},
                "text/csv": {"schema": {"type": "string"}},
            },
        }
    }
}


def export_response(feed_type: str, rows: QuerySet, fmt: str) -> Any:
    """The streamed bulk export of `rows` (already scoped) as the change feed's `data`."""
    from django.http import StreamingHttpResponse

    from safeloop.core.changes import EXPORT_FORMATS, export_lines, feed_named, feed_top

    if fmt not in EXPORT_FORMATS:
        reason = gettext("格式应为 jsonl 或 csv")
        raise ValidationFailed.from_fields({"format": reason})
    cursor = feed_top()  # before the first row is read: the feed from here misses nothing the export did not hold
    response = StreamingHttpResponse(export_lines(feed_named(feed_type), rows, fmt), content_type=EXPORT_FORMATS[fmt])
    response["X-Changes-Cursor"] = str(cursor)
    response["Content-Disposition"] = f'attachment; filename="{feed_type}s.{fmt}"'
    return response
