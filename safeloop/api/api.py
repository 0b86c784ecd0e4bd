"""/api/v1/: every app's router, one auth, one error shape."""

from ninja import NinjaAPI

from safeloop.accidents.api import router as accidents_router
from safeloop.accidents.validation import API_LABELS as ACCIDENT_LABELS
from safeloop.accounts.api import BearerAuth
from safeloop.accounts.api import router as accounts_router
from safeloop.core.api import install_error_handlers
from safeloop.hazards.api import router as hazards_router
from safeloop.registry.api import router as registry_router
from safeloop.registry.validation import LABELS
from safeloop.targets.api import router as targets_router

api = NinjaAPI(
    title="SafeLoop 安全生产闭环治理平台 API",
    version="1",
    description="省级平台与移动端使用的 JSON 接口。认证：POST /api/v1/auth/token 取得令牌，"
    '之后在请求头 Authorization: Bearer <token> 中携带。错误格式：{"error": {"code", "message", "fields"}}。',
    auth=BearerAuth(),
    urls_namespace="api",
)
install_error_handlers(api, lambda name: LABELS.get(name) or ACCIDENT_LABELS.get(name, name))
api.add_router("/auth", accounts_router)
api.add_router("/", registry_router)
api.add_router("/", hazards_router)
api.add_router("/", accidents_router)
api.add_router("/", targets_router)
