from __future__ import annotations

from django.http import HttpRequest
from ninja import ModelSchema, Query, Router, Status

from safeloop.core.api import (
    EXPORT_RESPONSES,
    OutSchema,
    Paging,
    api_names,
    export_response,
    input_schema,
    page_of,
    paginate,
)
from safeloop.registry.fields import API_NAMES, ENTERPRISE_FIELDS
from safeloop.registry.models import Category, Department, Enterprise, Region
from safeloop.registry.selectors import (
    EnterpriseFilters,
    RegionFilters,
    enterprise_get,
    enterprise_list,
    enterprise_queryset,
    region_list,
    with_supervising_departments,
)
from safeloop.registry.services import enterprise_create, enterprise_update

router = Router(tags=["基础档案"])


class RegionOut(ModelSchema):
    class Meta:
        model = Region
        fields = ["code", "name", "level", "parent", "statutory"]


class CategoryOut(ModelSchema):
    class Meta:
        model = Category
        fields = ["code", "name", "parent", "key_sector"]


class DepartmentOut(ModelSchema):
    class Meta:
        model = Department
        fields = ["id", "name", "kind", "region", "categories"]


@router.get("/regions", response=page_of(RegionOut), summary="行政区划（按上级代码）")
def regions(request: HttpRequest, filters: Query[RegionFilters], paging: Query[Paging]):
    return paginate(request, region_list(filters), paging)


@router.get("/categories", response=page_of(CategoryOut), summary="监管行业")
def categories(request: HttpRequest, paging: Query[Paging]):
    return paginate(request, Category.objects.all(), paging)


@router.get("/departments", response=page_of(DepartmentOut), summary="部门及其监管行业")
def departments(request: HttpRequest, paging: Query[Paging]):
    return paginate(request, Department.objects.prefetch_related("categories"), paging)


EnterpriseIn = input_schema("EnterpriseIn", ENTERPRISE_FIELDS, aliases=API_NAMES)
EnterprisePatch = input_schema(
    "EnterprisePatch", ENTERPRISE_FIELDS, partial=True, aliases=API_NAMES, extra={"version": (int | None, None)}
)


class EnterpriseOut(ModelSchema, OutSchema):
    """The enterprise as stored, with the names of its references and the supervising department
    (derived from category and region unless overridden, see `DepartmentResolver`)."""

    region_name: str
    category_name: str
    supervising_department: int | None
    supervising_department_name: str | None
    supervising_department_overridden: bool

    class Meta:
        model = Enterprise
        exclude = ["name_initials", "supervising_department_override", "created_at"]

    @staticmethod
    def resolve_region_name(obj: Enterprise) -> str:
        return obj.region.name

    @staticmethod
    def resolve_category_name(obj: Enterprise) -> str:
        return obj.category.name

    @staticmethod
    def resolve_supervising_department(obj: Enterprise) -> int | None:
        return obj.supervising_department.pk if obj.supervising_department else None

    @staticmethod
    def resolve_supervising_department_name(obj: Enterprise) -> str | None:
        return obj.supervising_department.name if obj.supervising_department else None

    @staticmethod
    def resolve_supervising_department_overridden(obj: Enterprise) -> bool:
        return obj.supervising_department_override_id is not None


def _one(user, enterprise_id: int) -> Enterprise:
    return with_supervising_departments([enterprise_get(user, enterprise_id)])[0]


@router.get("/enterprises", response=page_of(EnterpriseOut), summary="企业列表（按管辖范围）")
def enterprises(request: HttpRequest, filters: Query[EnterpriseFilters], paging: Query[Paging]):
    qs = enterprise_list(request.user, filters).select_related("region", "category", "supervising_department_override")
    return paginate(request, qs, paging, with_supervising_departments)


@router.post("/enterprises", response={201: EnterpriseOut}, summary="登记企业")
def enterprise_post(request: HttpRequest, payload: EnterpriseIn):
    with api_names(API_NAMES):
        enterprise = enterprise_create(actor=request.user, data=payload.dict())
    return Status(201, _one(request.user, enterprise.pk))


@router.get(
    "/enterprises/export",
    summary="企业全量导出（首次同步；按管辖范围，不分页）",
    description="`format`：`jsonl`（默认，每行一个 JSON 对象）或 `csv`。字段同变更订阅的 `data`。",
    openapi_extra=EXPORT_RESPONSES,
)
def enterprise_export(request: HttpRequest, format: str = "jsonl"):  # noqa: A002 (the parameter's name in the API)
    return export_response("enterprise", enterprise_queryset(request.user), format)


@router.get("/enterprises/{int:enterprise_id}", response=EnterpriseOut, summary="企业详情")
def enterprise_detail(request: HttpRequest, enterprise_id: int):
    return _one(request.user, enterprise_id)


@router.patch("/enterprises/{int:enterprise_id}", response=EnterpriseOut, summary="修改企业（可带 version 防止覆盖）")
def enterprise_patch(request: HttpRequest, enterprise_id: int, payload: EnterprisePatch):
    enterprise = enterprise_get(request.user, enterprise_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version", None)
    with api_names(API_NAMES):
        enterprise_update(actor=request.user, enterprise=enterprise, data=data, version=version)
    return _one(request.user, enterprise_id)
