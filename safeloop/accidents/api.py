from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status

from safeloop.accidents.models import Accident, Denominator, Disaster, EmergencyResponse
from safeloop.accidents.selectors import (
    AccidentFilters,
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
from safeloop.accidents.validation import RESPONSE_CLOCK
from safeloop.core.api import DEFAULT_PAGE_SIZE, paginate
from safeloop.core.scope import region_in_scope
from safeloop.registry.models import Region

router = Router(tags=["事故、灾害、应急响应与统计分母"])


class AccidentQuery(Schema):
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE
    region: str = ""
    year: str = ""
    sector: str = ""
    grade: str = ""
    q: str = ""
    all: str = ""


class AccidentIn(Schema):
    title: str
    occurred_at: datetime
    region: str | None = None
    enterprise: int | None = None
    sector: str
    production_safety: bool = True
    description: str = ""
    deaths: int = 0
    missing: int = 0
    serious_injuries: int = 0
    injuries: int = 0
    direct_loss: Decimal = Decimal(0)
    factor_person: str = ""
    factor_vehicle: str = ""
    factor_road: str = ""
    factor_enterprise: str = ""


class AccidentPatch(Schema):
    version: int | None = None
    note: str | None = None
    title: str | None = None
    occurred_at: datetime | None = None
    region: str | None = None
    enterprise: int | None = None  # null clears it
    sector: str | None = None
    production_safety: bool | None = None
    description: str | None = None
    deaths: int | None = None
    missing: int | None = None
    serious_injuries: int | None = None
    injuries: int | None = None
    direct_loss: Decimal | None = None
    factor_person: str | None = None
    factor_vehicle: str | None = None
    factor_road: str | None = None
    factor_enterprise: str | None = None


class AccidentOut(Schema):
    id: int
    title: str
    occurred_at: datetime
    region: str
    region_name: str
    enterprise: int | None
    sector: str
    production_safety: bool
    deaths: int
    missing: int
    serious_injuries: int
    injuries: int
    direct_loss: str
    grade: str
    factor_person: str
    factor_vehicle: str
    factor_road: str
    factor_enterprise: str
    version: int


def _accident(a: Accident) -> dict:
    return {
        "id": a.pk,
        "title": a.title,
        "occurred_at": timezone.localtime(a.occurred_at).isoformat(),
        "region": a.region_id,
        "region_name": a.region.name,
        "enterprise": a.enterprise_id,
        "sector": a.sector,
        "production_safety": a.production_safety,
        "deaths": a.deaths,
        "missing": a.missing,
        "serious_injuries": a.serious_injuries,
        "injuries": a.injuries,
        "direct_loss": str(a.direct_loss),
        "grade": a.grade,
        "factor_person": a.factor_person,
        "factor_vehicle": a.factor_vehicle,
        "factor_road": a.factor_road,
        "factor_enterprise": a.factor_enterprise,
        "version": a.version,
    }


@router.get("/accidents", summary="生产安全事故列表（按管辖范围）")
def accidents(request: HttpRequest, query: Query[AccidentQuery]):
    filters = AccidentFilters(**query.dict(exclude={"page", "page_size"}))
    qs = accident_list(request.user, filters)
    return paginate(request, qs, lambda rows: [_accident(a) for a in rows], query.page, query.page_size)


@router.post("/accidents", response={201: AccidentOut}, summary="登记事故（快报）；等级按国务院令第493号自动计算")
def accident_post(request: HttpRequest, payload: AccidentIn):
    accident = accident_create(actor=request.user, data=payload.dict())
    return Status(201, _accident(accident_get(request.user, accident.pk)))


@router.get("/accidents/{int:accident_id}", response=AccidentOut, summary="事故详情")
def accident_detail(request: HttpRequest, accident_id: int):
    return _accident(accident_get(request.user, accident_id))


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
    return _accident(accident_get(request.user, accident_id))


class DenominatorIn(Schema):
    gdp: Decimal | None = None
    population: int | None = None
    industrial_employees: int | None = None
    motor_vehicles: int | None = None
    source: str = ""


class DenominatorOut(Schema):
    region: str
    year: int
    gdp: str | None
    population: int | None
    industrial_employees: int | None
    motor_vehicles: int | None
    source: str


def _denominator(d: Denominator) -> dict:
    return {
        "region": d.region_id,
        "year": d.year,
        "gdp": None if d.gdp is None else str(d.gdp),
        "population": d.population,
        "industrial_employees": d.industrial_employees,
        "motor_vehicles": d.motor_vehicles,
        "source": d.source,
    }


@router.get("/denominators/{region}/{int:year}", response=DenominatorOut, summary="统计分母（GDP 亿元、常住人口等）")
def denominator_detail(request: HttpRequest, region: str, year: int):
    return _denominator(denominator_get(request.user, region, year))


@router.put("/denominators/{region}/{int:year}", response=DenominatorOut, summary="录入或替换统计分母；留空即无数据")
def denominator_put(request: HttpRequest, region: str, year: int, payload: DenominatorIn):
    found = Region.objects.filter(code=region).first()
    if found is None or not region_in_scope(request.user, region):
        raise Http404
    row = denominator_set(actor=request.user, region=found, year=year, data=payload.dict())
    return _denominator(row)


class RecordQuery(Schema):
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE
    region: str = ""
    year: str = ""


class DisasterIn(Schema):
    title: str
    kind: str
    occurred_on: date
    region: str
    affected: int = 0
    deaths: int = 0
    missing: int = 0
    direct_loss: Decimal = Decimal(0)


class DisasterPatch(Schema):
    version: int | None = None
    title: str | None = None
    kind: str | None = None
    occurred_on: date | None = None
    region: str | None = None
    affected: int | None = None
    deaths: int | None = None
    missing: int | None = None
    direct_loss: Decimal | None = None


class DisasterOut(Schema):
    id: int
    title: str
    kind: str
    occurred_on: date
    region: str
    region_name: str
    affected: int
    deaths: int
    missing: int
    direct_loss: str
    version: int


def _disaster(d: Disaster) -> dict:
    names = ("title", "kind", "occurred_on", "affected", "deaths", "missing", "version")
    row = {name: getattr(d, name) for name in names}
    return row | {"id": d.pk, "region": d.region_id, "region_name": d.region.name, "direct_loss": str(d.direct_loss)}


@router.get("/disasters", summary="自然灾害列表（按管辖范围）")
def disasters(request: HttpRequest, query: Query[RecordQuery]):
    qs = disaster_list(request.user, query.region, query.year)
    return paginate(request, qs, lambda rows: [_disaster(d) for d in rows], query.page, query.page_size)


@router.post("/disasters", response={201: DisasterOut}, summary="登记自然灾害")
def disaster_post(request: HttpRequest, payload: DisasterIn):
    disaster = disaster_create(actor=request.user, data=payload.dict())
    return Status(201, _disaster(disaster_get(request.user, disaster.pk)))


@router.get("/disasters/{int:disaster_id}", response=DisasterOut, summary="自然灾害详情")
def disaster_detail(request: HttpRequest, disaster_id: int):
    return _disaster(disaster_get(request.user, disaster_id))


@router.patch("/disasters/{int:disaster_id}", response=DisasterOut, summary="修改自然灾害；version 过期则 409")
def disaster_patch(request: HttpRequest, disaster_id: int, payload: DisasterPatch):
    disaster = disaster_get(request.user, disaster_id)
    data = _without_nulls(payload.dict(exclude_unset=True))
    version = data.pop("version", None)
    disaster_update(actor=request.user, disaster=disaster, data=data, version=version)
    return _disaster(disaster_get(request.user, disaster_id))


class ResponseIn(Schema):
    title: str
    region: str
    disaster: int | None = None
    reported_at: datetime
    response_started_at: datetime | None = None
    relief_needed: bool = True
    relief_arrived_at: datetime | None = None
    relief_distributed_at: datetime | None = None


class ResponsePatch(Schema):
    """A time sent as null clears it (not yet happened); `reported_at` cannot be cleared."""

    version: int | None = None
    title: str | None = None
    region: str | None = None
    disaster: int | None = None
    reported_at: datetime | None = None
    response_started_at: datetime | None = None
    relief_needed: bool | None = None
    relief_arrived_at: datetime | None = None
    relief_distributed_at: datetime | None = None


class ResponseOut(Schema):
    id: int
    title: str
    region: str
    region_name: str
    disaster: int | None
    reported_at: datetime
    response_started_at: datetime | None
    relief_needed: bool
    relief_arrived_at: datetime | None
    relief_distributed_at: datetime | None
    version: int


def _moment(value: datetime | None) -> str | None:
    return None if value is None else timezone.localtime(value).isoformat()


def _response(r: EmergencyResponse) -> dict:
    row = {name: _moment(getattr(r, name)) for name in RESPONSE_CLOCK}
    row.update(id=r.pk, title=r.title, region=r.region_id, region_name=r.region.name, disaster=r.disaster_id)
    return row | {"relief_needed": r.relief_needed, "version": r.version}


@router.get("/responses", summary="应急响应列表（按管辖范围）")
def responses(request: HttpRequest, query: Query[RecordQuery]):
    qs = response_list(request.user, query.region, query.year)
    return paginate(request, qs, lambda rows: [_response(r) for r in rows], query.page, query.page_size)


@router.post("/responses", response={201: ResponseOut}, summary="登记应急响应；接报 ≤ 启动响应 ≤ 物资送达 ≤ 发放到户")
def response_post(request: HttpRequest, payload: ResponseIn):
    response = response_create(actor=request.user, data=payload.dict())
    return Status(201, _response(response_get(request.user, response.pk)))


@router.get("/responses/{int:response_id}", response=ResponseOut, summary="应急响应详情")
def response_detail(request: HttpRequest, response_id: int):
    return _response(response_get(request.user, response_id))


@router.patch("/responses/{int:response_id}", response=ResponseOut, summary="修改应急响应；version 过期则 409")
def response_patch(request: HttpRequest, response_id: int, payload: ResponsePatch):
    response = response_get(request.user, response_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version", None)
    response_update(actor=request.user, response=response, data=data, version=version)
    return _response(response_get(request.user, response_id))


def _without_nulls(data: dict) -> dict:
    """PATCH of a disaster: null means "unchanged" (no field of a disaster can be cleared)."""
    return {name: value for name, value in data.items() if value is not None}
