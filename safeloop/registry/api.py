from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status

from safeloop.core.api import DEFAULT_PAGE_SIZE, paginate
from safeloop.registry.models import Category, Department, Enterprise, Region
from safeloop.registry.selectors import (
    DepartmentResolver,
    EnterpriseFilters,
    enterprise_get,
    enterprise_list,
)
from safeloop.registry.services import enterprise_create, enterprise_update

router = Router(tags=["基础档案"])


class Page(Schema):
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE


class RegionQuery(Page):
    parent: str | None = None
    level: str | None = None


@router.get("/regions", summary="行政区划（按上级代码）")
def regions(request: HttpRequest, query: Query[RegionQuery]):
    qs = Region.objects.all()
    qs = qs.filter(parent_id=query.parent) if query.parent else qs.filter(parent__isnull=True)
    if query.level:
        qs = qs.filter(level=query.level)
    return paginate(request, qs, lambda rows: [_region(r) for r in rows], query.page, query.page_size)


def _region(r: Region) -> dict:
    return {"code": r.code, "name": r.name, "level": r.level, "parent": r.parent_id, "statutory": r.statutory}


@router.get("/categories", summary="监管行业")
def categories(request: HttpRequest, query: Query[Page]):
    return paginate(
        request, Category.objects.all(), lambda rows: [_category(c) for c in rows], query.page, query.page_size
    )


def _category(c: Category) -> dict:
    return {"code": c.code, "name": c.name, "parent": c.parent_id, "key_sector": c.key_sector}


@router.get("/departments", summary="部门及其监管行业")
def departments(request: HttpRequest, query: Query[Page]):
    qs = Department.objects.prefetch_related("categories")
    return paginate(request, qs, lambda rows: [_department(d) for d in rows], query.page, query.page_size)


def _department(d: Department) -> dict:
    return {
        "id": d.pk,
        "name": d.name,
        "kind": d.kind,
        "region": d.region_id,
        "categories": [c.code for c in d.categories.all()],
    }


class EnterpriseQuery(Page):
    q: str = ""
    region: str = ""
    category: str = ""
    risk_level: str = ""
    key_sector: str = ""


class EnterpriseIn(Schema):
    name: str
    credit_code: str
    region: str
    category: str
    industry_code: str = ""
    address: str = ""
    lat: Decimal | None = None
    lng: Decimal | None = None
    employees: int | None = None
    scale: str = ""
    risk_level: str = ""
    key_sector: bool | None = None
    supervising_department: int | None = None
    principal_name: str = ""
    principal_phone: str = ""
    safety_contact_name: str = ""
    safety_contact_phone: str = ""


class EnterprisePatch(Schema):
    version: int | None = None
    name: str | None = None
    credit_code: str | None = None
    region: str | None = None
    category: str | None = None
    industry_code: str | None = None
    address: str | None = None
    lat: Decimal | None = None
    lng: Decimal | None = None
    employees: int | None = None
    scale: str | None = None
    risk_level: str | None = None
    key_sector: bool | None = None
    supervising_department: int | None = None
    principal_name: str | None = None
    principal_phone: str | None = None
    safety_contact_name: str | None = None
    safety_contact_phone: str | None = None


class EnterpriseOut(Schema):
    id: int
    name: str
    credit_code: str
    region: str
    region_name: str
    category: str
    category_name: str
    industry_code: str
    address: str
    lat: Decimal | None
    lng: Decimal | None
    employees: int | None
    scale: str
    risk_level: str
    key_sector: bool
    supervising_department: int | None
    supervising_department_name: str | None
    supervising_department_overridden: bool
    principal_name: str
    principal_phone: str
    safety_contact_name: str
    safety_contact_phone: str
    version: int
    updated_at: datetime


def _enterprise(e: Enterprise, resolver: DepartmentResolver) -> dict:
    dept = resolver.resolve(e)
    data = {
        name: getattr(e, name)
        for name in (
            "name",
            "credit_code",
            "industry_code",
            "address",
            "lat",
            "lng",
            "employees",
            "scale",
            "risk_level",
            "key_sector",
            "principal_name",
            "principal_phone",
            "safety_contact_name",
            "safety_contact_phone",
            "version",
        )
    }
    data.update(
        id=e.pk,
        region=e.region_id,
        region_name=e.region.name,
        category=e.category_id,
        category_name=e.category.name,
        supervising_department=dept.pk if dept else None,
        supervising_department_name=dept.name if dept else None,
        supervising_department_overridden=bool(e.supervising_department_override_id),
        updated_at=timezone.localtime(e.updated_at).isoformat(),
    )
    return data


def _enterprises(rows: list[Enterprise]) -> list[dict]:
    resolver = DepartmentResolver(rows)
    return [_enterprise(e, resolver) for e in rows]


def _one(user, enterprise_id: int) -> dict:
    enterprise = enterprise_get(user, enterprise_id)
    return _enterprise(enterprise, DepartmentResolver([enterprise]))


def _service_data(payload: Schema, *, partial: bool) -> dict:
    data = payload.dict(exclude_unset=partial)
    data.pop("version", None)
    if "supervising_department" in data:
        data["supervising_department_override"] = data.pop("supervising_department") or ""
    return {
        k: ("" if v is None and k != "key_sector" else v)
        for k, v in data.items()
        if not (k == "key_sector" and v is None)
    }


@router.get("/enterprises", summary="企业列表（按管辖范围）")
def enterprises(request: HttpRequest, query: Query[EnterpriseQuery]):
    filters = EnterpriseFilters(**query.dict(exclude={"page", "page_size"}))
    qs = enterprise_list(request.user, filters).select_related("region", "category", "supervising_department_override")
    return paginate(request, qs, _enterprises, query.page, query.page_size)


@router.post("/enterprises", response={201: EnterpriseOut}, summary="登记企业")
def enterprise_post(request: HttpRequest, payload: EnterpriseIn):
    enterprise = enterprise_create(actor=request.user, data=_service_data(payload, partial=False))
    return Status(201, _one(request.user, enterprise.pk))


@router.get("/enterprises/{int:enterprise_id}", response=EnterpriseOut, summary="企业详情")
def enterprise_detail(request: HttpRequest, enterprise_id: int):
    return _one(request.user, enterprise_id)


@router.patch("/enterprises/{int:enterprise_id}", response=EnterpriseOut, summary="修改企业（可带 version 防止覆盖）")
def enterprise_patch(request: HttpRequest, enterprise_id: int, payload: EnterprisePatch):
    enterprise = enterprise_get(request.user, enterprise_id)
    enterprise_update(
        actor=request.user,
        enterprise=enterprise,
        data=_service_data(payload, partial=True),
        version=payload.version,
    )
    return _one(request.user, enterprise_id)
