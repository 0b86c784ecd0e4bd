"""/api/v1/: every app's router, one auth, one error shape."""

from django.utils.translation import gettext_noop
from ninja import NinjaAPI

from safeloop.accidents.api import router as accidents_router
from safeloop.accidents.selectors import AccidentFilters
from safeloop.accounts.api import router as accounts_router
from safeloop.core.api import BearerAuth, Paging, install_error_handlers, labels_of
from safeloop.hazards.api import router as hazards_router
from safeloop.hazards.selectors import LedgerFilters
from safeloop.registry.api import router as registry_router
from safeloop.registry.selectors import EnterpriseFilters, RegionFilters
from safeloop.targets.api import router as targets_router

api = NinjaAPI(
    title="SafeLoop 安全生产闭环治理平台 API",
    version="1",
    description="省级平台与移动端使用的 JSON 接口。认证：POST /api/v1/auth/token 取得令牌，"
    '之后在请求头 Authorization: Bearer <token> 中携带。错误格式：{"error": {"code", "message", "fields"}}。',
    auth=BearerAuth(),
    urls_namespace="api",
)
# Request bodies are validated by the services (Chinese messages naming each field); what pydantic
# still checks is query parameters and the version, named here by the filter schemas' titles.
FILTERS = (Paging, EnterpriseFilters, RegionFilters, AccidentFilters, LedgerFilters)
CREDENTIALS = {"username": gettext_noop("用户名"), "password": gettext_noop("密码")}  # noqa: S105 - names, not secrets
install_error_handlers(api, labels_of(*FILTERS, **CREDENTIALS))
api.add_router("/auth", accounts_router)
api.add_router("/", registry_router)
api.add_router("/", hazards_router)
api.add_router("/", accidents_router)
api.add_router("/", targets_router)
