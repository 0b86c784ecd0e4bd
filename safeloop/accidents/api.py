from __future__ import annotations

from django.http import HttpRequest
from ninja import ModelSchema, Query, Router, Status

from safeloop.accidents.fields import (
    ACCIDENT_EDIT_FIELDS,
    ACCIDENT_FIELDS,
    DENOMINATOR_FIELDS,
    DENOMINATOR_FIGURES,
    DISASTER_FIELDS,
    RESPONSE_FIELDS,
)
from safeloop.accidents.models import Accident, Denominator, Disaster, EmergencyResponse
from safeloop.accidents.selectors import (
    AccidentFilters,
    RecordFilters,
    accident_get,
    accident_list,
    denominator_get,
    disaster_get,
    disaster_list,
    response_get,
    response_list,
)
from safeloop.accidents.services import (
    accident_create,
    accident_update,
    denominator_set,
    disaster_create,
    disaster_update,
    response_create,
    response_update,
)
from safeloop.core.api import OutSchema, Paging, input_schema, page_of, paginate
from safeloop.core.errors import NotFound
from safeloop.core.fields import only
from safeloop.registry.models import Region

router = Router(tags=["事故、灾害、应急响应与统计分母"])
VERSION = {"version": (int | None, None)}


class _InRegion(OutSchema):
    """A record with the name of its region beside the code."""

    region_name: str

    @staticmethod
    def resolve_region_name(obj) -> str:
        return obj.region.name


AccidentIn = input_schema("AccidentIn", ACCIDENT_FIELDS)
AccidentPatch = input_schema("AccidentPatch", ACCIDENT_EDIT_FIELDS, partial=True, extra=VERSION)


class AccidentOut(ModelSchema, _InRegion):
    """An accident; `grade` follows from the figures (国务院令第493号), `direct_loss` is in 万元."""

    grade: str

    class Meta:
        model = Accident
        exclude = ["description", "category", "created_at", "updated_at"]


@router.get("/accidents", response=page_of(AccidentOut), summary="生产安全事故列表（按管辖范围）")
def accidents(request: HttpRequest, filters: Query[AccidentFilters], paging: Query[Paging]):
    return paginate(request, accident_list(request.user, filters), paging)


@router.post("/accidents", response={201: AccidentOut}, summary="登记事故（快报）；等级按国务院令第493号自动计算")
def accident_post(request: HttpRequest, payload: AccidentIn):
    accident = accident_create(actor=request.user, data=payload.dict())
    return Status(201, accident_get(request.user, accident.pk))


@router.get("/accidents/{int:accident_id}", response=AccidentOut, summary="事故详情")
def accident_detail(request: HttpRequest, accident_id: int):
    return accident_get(request.user, accident_id)


@router.patch(
    "/accidents/{int:accident_id}",
    response=AccidentOut,
    summary="修改事故；伤亡变化记为续报（30日内，道路交通和火灾7日内），等级随之变化",
)
def accident_patch(request: HttpRequest, accident_id: int, payload: AccidentPatch):
    accident = accident_get(request.user, accident_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version", None)
    accident_update(actor=request.user, accident=accident, data=data, version=version)
    return accident_get(request.user, accident_id)


DenominatorIn = input_schema("DenominatorIn", only(DENOMINATOR_FIELDS, DENOMINATOR_FIGURES))


class DenominatorOut(ModelSchema):
    """A blank figure is "no data" (null), never 0; `gdp` is in 亿元."""

    class Meta:
        model = Denominator
        fields = ["region", "year", *DENOMINATOR_FIGURES]


@router.get("/denominators/{region}/{int:year}", response=DenominatorOut, summary="统计分母（GDP 亿元、常住人口等）")
def denominator_detail(request: HttpRequest, region: str, year: int):
    return denominator_get(request.user, region, year)


@router.put("/denominators/{region}/{int:year}", response=DenominatorOut, summary="录入或替换统计分母；留空即无数据")
def denominator_put(request: HttpRequest, region: str, year: int, payload: DenominatorIn):
    found = Region.objects.filter(code=region).first()
    if found is None:
        raise NotFound()
    return denominator_set(actor=request.user, region=found, year=year, data=payload.dict())


DisasterIn = input_schema("DisasterIn", DISASTER_FIELDS)
DisasterPatch = input_schema("DisasterPatch", DISASTER_FIELDS, partial=True, extra=VERSION)


class DisasterOut(ModelSchema, _InRegion):
    class Meta:
        model = Disaster
        exclude = ["created_at"]


@router.get("/disasters", response=page_of(DisasterOut), summary="自然灾害列表（按管辖范围）")
def disasters(request: HttpRequest, filters: Query[RecordFilters], paging: Query[Paging]):
    return paginate(request, disaster_list(request.user, filters), paging)


@router.post("/disasters", response={201: DisasterOut}, summary="登记自然灾害")
def disaster_post(request: HttpRequest, payload: DisasterIn):
    disaster = disaster_create(actor=request.user, data=payload.dict())
    return Status(201, disaster_get(request.user, disaster.pk))


@router.get("/disasters/{int:disaster_id}", response=DisasterOut, summary="自然灾害详情")
def disaster_detail(request: HttpRequest, disaster_id: int):
    return disaster_get(request.user, disaster_id)


@router.patch("/disasters/{int:disaster_id}", response=DisasterOut, summary="修改自然灾害；version 过期则 409")
def disaster_patch(request: HttpRequest, disaster_id: int, payload: DisasterPatch):
    disaster = disaster_get(request.user, disaster_id)
    data = _without_nulls(payload.dict(exclude_unset=True))
    version = data.pop("version", None)
    disaster_update(actor=request.user, disaster=disaster, data=data, version=version)
    return disaster_get(request.user, disaster_id)


ResponseIn = input_schema("ResponseIn", RESPONSE_FIELDS)
ResponsePatch = input_schema("ResponsePatch", RESPONSE_FIELDS, partial=True, extra=VERSION)


class ResponseOut(ModelSchema, _InRegion):
    """A time sent as null on PATCH clears it (not yet happened); `reported_at` cannot be cleared."""

    class Meta:
        model = EmergencyResponse
        exclude = ["created_at"]


@router.get("/responses", response=page_of(ResponseOut), summary="应急响应列表（按管辖范围）")
def responses(request: HttpRequest, filters: Query[RecordFilters], paging: Query[Paging]):
    return paginate(request, response_list(request.user, filters), paging)


@router.post("/responses", response={201: ResponseOut}, summary="登记应急响应；接报 ≤ 启动响应 ≤ 物资送达 ≤ 发放到户")
def response_post(request: HttpRequest, payload: ResponseIn):
    response = response_create(actor=request.user, data=payload.dict())
    return Status(201, response_get(request.user, response.pk))


@router.get("/responses/{int:response_id}", response=ResponseOut, summary="应急响应详情")
def response_detail(request: HttpRequest, response_id: int):
    return response_get(request.user, response_id)


@router.patch("/responses/{int:response_id}", response=ResponseOut, summary="修改应急响应；version 过期则 409")
def response_patch(request: HttpRequest, response_id: int, payload: ResponsePatch):
    response = response_get(request.user, response_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version", None)
    response_update(actor=request.user, response=response, data=data, version=version)
    return response_get(request.user, response_id)


def _without_nulls(data: dict) -> dict:
    """PATCH of a disaster: null means "unchanged" (no field of a disaster can be cleared)."""
    return {name: value for name, value in data.items() if value is not None}
