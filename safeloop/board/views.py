"""挂图作战: the board page (desktop and phone), the big screen (大屏), its data and outlines."""

from __future__ import annotations

import gzip
import json
from functools import lru_cache

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from safeloop.board import selectors as sel
from safeloop.board import store, tasks
from safeloop.registry.boundaries import outline_version
from safeloop.registry.models import Region

REFRESH_SECONDS = 60  # the big screen's refresh


def _region(request: HttpRequest) -> Region:
    if not sel.can_open_board(request.user):
        raise PermissionDenied(gettext("挂图作战面向有管辖区域的账号（各级政府、行业部门）"))
    return sel.board_region(request.user, request.GET.get("region"))


def outline_url(region: Region) -> str:
    """The outline's immutable URL (`tasks.outline_code`), so the browser keeps it for good."""
    return reverse("board:outline", args=[tasks.outline_code(region.code), outline_version()])


def _labels() -> dict[str, str]:
    """The words the board's script shows (translated here, like every UI text)."""
    return {
        "no_data": gettext("暂无数据"),
        "zone": gettext("功能区，无独立边界，位置为其企业分布中心"),
        "zones": gettext("未单独绘制边界的功能区（以菱形标出）："),
        "county": gettext("县（市、区）"),
        "township": gettext("乡镇（街道）"),
        "enterprises": gettext("企业数"),
        "red_orange": gettext("红/橙"),
        "open_major": gettext("未销号重大隐患"),
        "overdue_rate": gettext("隐患逾期率"),
        "death_rate": gettext("十万从业人员死亡率"),
        "total": gettext("合计"),
        "overdue_days": gettext("逾期 {n} 天"),
        "deadline": gettext("期限"),
        "no_deadline": gettext("未定期限"),
        "updated": gettext("更新于"),
        "zero_goal": gettext("清零"),
        "none_open": gettext("没有未销号的重大隐患"),
        "load_failed": gettext("地图暂时无法加载，请查看下方列表。"),
        "loading": gettext("加载中…"),
        "drill": gettext("点击区域查看下级"),
        "units_county": gettext("各县（市、区）"),
        "units_township": gettext("各乡镇（街道）"),
        "overdue_major": gettext("其中逾期"),
        "workers": gettext("从业人员"),
        "year": gettext("年"),
    }


def _refresh(request: HttpRequest) -> int:
    """The big screen's refresh in seconds: 60, or `?every=N` (10–600) for a command centre
    that wants it sooner or later."""
    every = request.GET.get("every", "")
    return min(max(int(every), 10), 600) if every.isdigit() else REFRESH_SECONDS


def _context(request: HttpRequest, region: Region, mode: str) -> dict:
    return {
        "region": region,
        "mode": mode,
        "config": {
            "mode": mode,
            "region": region.code,
            "outline": outline_url(region),
            "data": f"{reverse('board:data')}?region={region.code}",
            "layer": reverse("board:layer", args=["__layer__"]),
            "page": reverse("board:screen" if mode == "screen" else "board:page"),
            "ledger": reverse("hazards:ledger"),
            "hazard": reverse("hazards:detail", args=[0]),
            "refresh": _refresh(request) if mode == "screen" else 0,
            "labels": _labels(),
        },
    }


@login_required
@require_GET
def board_page(request: HttpRequest) -> HttpResponse:
    region = _region(request)
    return render(request, "board/board.html", _context(request, region, "page"))


@login_required
@require_GET
def board_screen(request: HttpRequest) -> HttpResponse:
    region = _region(request)
    return render(request, "board/screen.html", _context(request, region, "screen"))


def _json(request: HttpRequest, body: bytes, cache_control: str, etag: str | None = None) -> HttpResponse:
    if etag and request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified()
    else:
        accepts = "gzip" in request.headers.get("Accept-Encoding", "")
        response = HttpResponse(gzip.compress(body, 5) if accepts else body, content_type="application/json")
        if accepts:
            response["Content-Encoding"] = "gzip"
    response["Vary"] = "Accept-Encoding"
    response["Cache-Control"] = cache_control
    if etag:
        response["ETag"] = etag
    return response


@login_required
@require_GET
def board_data(request: HttpRequest) -> HttpResponse:
    region = _region(request)
    user = request.user
    body = store.payload(
        tasks.payload_key(user, region.code),
        lambda: tasks.payload_body(user, region),
        lambda: tasks.board_refresh.enqueue(user.pk, region.code),
    )
    return _json(request, body, "private, no-cache")


@lru_cache(maxsize=32)
def _outline_body(code: str) -> bytes:
    return tasks.outline_body(code)


@login_required
@require_GET
def board_outline(request: HttpRequest, code: str, version: str) -> HttpResponse:
    """A region's simplified county outlines (public geography, the same for every user)."""
    if version != outline_version() or not Region.objects.filter(pk=code).exists():
        raise Http404(code)
    etag = f'"{code}-{version}"'
    response = _json(request, _outline_body(code), "private, max-age=31536000, immutable", etag)
    response.same_for_everyone = True  # type: ignore[attr-defined] - kept by core.middleware: no user data
    return response


@login_required
@require_GET
def board_layer(request: HttpRequest, layer: str) -> HttpResponse:
    """A layer for the board's own page (the session's twin of `GET /api/v1/board/layers/{layer}`)."""
    region = _region(request)
    body = json.dumps(sel.layer_collection(request.user, layer, region.code), ensure_ascii=False).encode()
    return _json(request, body, "private, no-cache")
