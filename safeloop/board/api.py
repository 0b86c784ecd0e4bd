"""GET /board/layers/{layer}?region=: a layer's features as a GeoJSON FeatureCollection."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Router

from safeloop.board import selectors as sel
from safeloop.core.maplayers import get_layer

router = Router(tags=["挂图作战"])


@router.get(
    "/board/layers/{layer}",
    url_name="board_layer",
    summary="图层要素（GeoJSON FeatureCollection，properties 为图层显示的字段）",
)
def board_layer(request: HttpRequest, layer: str, region: str = "") -> dict[str, Any]:
    if not sel.can_open_board(request.user):
        raise PermissionDenied(gettext("挂图作战面向有管辖区域的账号（各级政府、行业部门）"))
    found = get_layer(layer)
    if found is None:
        raise sel.Http404(layer)
    area = sel.board_region(request.user, region or None)
    return {
        "type": "FeatureCollection",
        "layer": found.key,
        "region": area.code,
        "fields": [[name, str(label)] for name, label in found.fields],
        "features": found.features(request.user, area.code),
    }
