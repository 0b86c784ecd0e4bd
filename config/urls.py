from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from safeloop.api.api import api

admin.site.site_header = "SafeLoop 系统管理"
admin.site.site_title = "SafeLoop"

urlpatterns = [
    # Admin sign-in goes through the same lockout-protected login as every other page.
    path("admin/login/", RedirectView.as_view(url="/accounts/login/?next=/admin/", query_string=False)),
    path("admin/", admin.site.urls),
    path("accounts/", include("safeloop.accounts.urls")),
    path("notifications/", include("safeloop.accounts.notification_urls")),
    path("api/v1/", api.urls),
    path("enterprises/", include("safeloop.registry.urls")),
    path("hazards/", include("safeloop.hazards.urls")),
    path("public/", include("safeloop.hazards.public_urls")),
    path("accidents/", include("safeloop.accidents.urls")),
    path("flood/", include("safeloop.flood.urls")),
    path("targets/", include("safeloop.targets.urls")),
    path("checklists/", include("safeloop.checklists.urls")),
    path("campaigns/", include("safeloop.campaigns.urls")),
    path("briefings/", include("safeloop.briefings.urls")),
    path("experts/", include("safeloop.experts.urls")),
    path("inspections/", include("safeloop.inspections.urls")),
    path("enforcement/", include("safeloop.enforcement.urls")),  # 打非治违 (issue 17)
    path("duties/", include("safeloop.duties.urls")),
    path("board/", include("safeloop.board.urls")),
    path("system/webhooks/", include("safeloop.webhooks.urls")),  # issue 20 item 3: 数据推送  # issue 19: 挂图作战
    path("standards/stats/", include("safeloop.checklists.stats_urls")),
    path("standards/", include("safeloop.standards.urls")),
    path("", include("safeloop.reporting.urls")),
    path("", include("safeloop.core.urls")),
    path("", include("safeloop.workbench.urls")),
]

handler400 = "safeloop.core.errorpages.bad_request"
handler403 = "safeloop.core.errorpages.permission_denied"
handler404 = "safeloop.core.errorpages.page_not_found"
handler500 = "safeloop.core.errorpages.server_error"
