"""/api/v1/: every app's router, one auth, one error shape."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from ninja import NinjaAPI

from safeloop.accidents.api import router as accidents_router
from safeloop.accidents.selectors import AccidentFilters
from safeloop.accounts.api import BearerAuth
from safeloop.accounts.api import router as accounts_router
from safeloop.api.changes import ChangeFilters
from safeloop.api.changes import router as changes_router
from safeloop.board.api import router as board_router
from safeloop.briefings.api import router as briefings_router
from safeloop.campaigns.api import router as campaigns_router
from safeloop.checklists.api import router as checklists_router
from safeloop.checklists.selectors import ChecklistFilters
from safeloop.core.api import Paging, StrictJsonParser, install_error_handlers, labels_of
from safeloop.duties.api import router as duties_router
from safeloop.enforcement.api import router as enforcement_router  # 打非治违 (issue 17)
from safeloop.experts.api import router as experts_router
from safeloop.flood.api import router as flood_router
from safeloop.hazards.api import router as hazards_router
from safeloop.hazards.selectors import LedgerFilters
from safeloop.inspections.api import router as inspections_router
from safeloop.inspections.selectors import InspectionFilters, PlanFilters
from safeloop.registry.api import router as registry_router
from safeloop.registry.selectors import EnterpriseFilters, RegionFilters
from safeloop.reporting.api import router as reporting_router
from safeloop.standards.api import router as standards_router
from safeloop.targets.api import router as targets_router

DESCRIPTION = _(
    """省级平台、移动端和第三方系统使用的 JSON 接口，与网页使用同一套业务规则和数据权限。

**认证**：`POST /api/v1/auth/token`，请求体 `{"username": "…", "password": "…"}`，返回令牌；之后每个请求带请求头
`Authorization: Bearer <令牌>`。令牌有有效期，可吊销；连续输错密码会锁定账户一段时间。

**数据范围**：每个账号只能看到、修改其管辖范围内的数据；范围之外的对象一律返回 404（与不存在相同）。

**列表**：`page`、`page_size`（最大 500）分页，返回 `{"count", "results", "next"}`。

**错误**：`{"error": {"code", "message", "fields"}}`，`message` 和 `fields` 为中文说明，`fields` 指出每个有误的字段。
状态码：400 输入有误，401 未登录或令牌失效，403 角色无权操作，404 不存在或不在管辖范围，409 状态冲突（版本过期、流程状态不符、重复），
413 文件过大，415 文件类型不支持，429 请求过多。

**格式**：日期 `2026-05-01`，时间带时区 `2026-05-01T08:30:00+08:00`；金额为十进制字符串，单位见字段说明
（一般为元，直接经济损失为万元，地区生产总值为亿元）。写操作要么全部生效，要么不做任何修改。

**隐患办理**：`POST /api/v1/hazards/{id}/actions/{action}`，请求体带当前 `version`，各动作的字段见下方接口说明。"""
)

api = NinjaAPI(
    title="SafeLoop 安全生产闭环治理平台 API",
    version="1",
    description=DESCRIPTION,
    auth=BearerAuth(),
    urls_namespace="api",
    parser=StrictJsonParser(),
)
# Request bodies are validated by the services (Chinese messages naming each field); what pydantic
# still checks is query parameters and the version, named here by the filter schemas' titles.
FILTERS = (
    Paging,
    EnterpriseFilters,
    RegionFilters,
    AccidentFilters,
    LedgerFilters,
    ChecklistFilters,
    InspectionFilters,
    PlanFilters,
    ChangeFilters,
)
CREDENTIALS = {"username": gettext_noop("用户名"), "password": gettext_noop("密码")}  # noqa: S105 - names, not secrets
install_error_handlers(api, labels_of(*FILTERS, **CREDENTIALS))
api.add_router("/auth", accounts_router)
api.add_router("/", registry_router)
api.add_router("/", hazards_router)
api.add_router("/", accidents_router)
api.add_router("/", targets_router)
api.add_router("/", checklists_router)
api.add_router("/", experts_router)
api.add_router("/", reporting_router)
api.add_router("/", inspections_router)
api.add_router("/", campaigns_router)
api.add_router("/", enforcement_router)  # 打非治违 (issue 17)
api.add_router("/", briefings_router)
api.add_router("/", standards_router)
api.add_router("/", flood_router)
api.add_router("/", duties_router)
api.add_router("/", board_router)  # issue 19: 挂图作战
api.add_router("/", changes_router)  # issue 20: the change feed
