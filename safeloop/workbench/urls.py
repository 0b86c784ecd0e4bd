from django.urls import path

from safeloop.workbench import codes, dossier_views, offline, poster, views

app_name = "workbench"
urlpatterns = [
    path("", views.home, name="home"),
    # 一企一档: the page itself is the registry's `enterprise_detail` (registry.pages)
    path("enterprises/<int:pk>/tabs/<slug:tab>/", dossier_views.dossier_tab, name="dossier_tab"),
    path("enterprises/<int:pk>/poster/", poster.poster, name="poster"),
    path("enterprises/<int:pk>/poster/qr.png", poster.poster_code, {"kind": "png"}, name="poster_png"),
    path("enterprises/<int:pk>/poster/qr.svg", poster.poster_code, {"kind": "svg"}, name="poster_svg"),
    # 一企一码: the one printable address of an enterprise
    path("e/<slug:code>/", codes.enterprise_code, name="enterprise_code"),
    # offline: the installable shell and the queue's server side (docs/offline.md)
    path("manifest.webmanifest", offline.manifest, name="manifest"),
    path("sw.js", offline.service_worker, name="service_worker"),
    path("offline/", offline.queue_page, name="offline_queue"),
    path("offline/unavailable/", offline.unavailable, name="offline_unavailable"),
    path("offline/session.json", offline.session_info, name="offline_session"),
    path("offline/receipts/<str:key>", offline.receipt, name="offline_receipt"),
    path("offline/hazards/<int:pk>/state.json", offline.hazard_state, name="offline_hazard_state"),
]
