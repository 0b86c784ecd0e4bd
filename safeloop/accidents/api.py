from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status

from safeloop.accidents.models import Accident, Denominator
from safeloop.accidents.selectors import AccidentFilters, accident_get, accident_list, denominator_get
from safeloop.accidents.services import accident_create, accident_update, denominator_set
from safeloop.core.api import DEFAULT_PAGE_SIZE, paginate
from safeloop.core.scope import region_in_scope
from safeloop.registry.models import Region

router = Router(tags=["事故与统计分母"])


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
