"""Map layers of the board (挂图作战): each app that owns map data registers a layer here in its
`AppConfig.ready()`; the board (a higher layer) lists and serves them as
`GET /board/layers/{key}?region=`. A lower app never imports the board, and the board needs no
change when an app adds a layer (ADR 0005's provider pattern, as `core.scope.provide_enterprises`).

A layer's `features(user, region)` returns GeoJSON Point features of the rows the user may see
(`core.scope.visible` inside; out-of-scope rows simply are not there) within the region code
given (a city, county or township; already checked to be in the user's area by the caller).
Properties are plain JSON values: at least `name`, and `url` where a page shows the row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

Features = Callable[[Any, str], list[dict[str, Any]]]


@dataclass(frozen=True)
class MapLayer:
    key: str  # the URL segment: letters, digits and hyphens
    title: Any  # a lazy Chinese label for the layer switch
    features: Features
    order: int = 100  # position in the layer switch
    legend: tuple[tuple[str, Any], ...] = field(default=())  # (style value, lazy label) pairs
    style_property: str = ""  # the feature property the legend's values refer to
    # (property, lazy label) pairs: what the layer's tooltip and list show of each feature, in
    # order (`name` and `url` are always there and need not be listed)
    fields: tuple[tuple[str, Any], ...] = field(default=())


_LAYERS: dict[str, MapLayer] = {}


def register_layer(layer: MapLayer) -> None:
    """Register (or replace, on a repeated `ready()`) a layer under its key."""
    _LAYERS[layer.key] = layer


def layers() -> list[MapLayer]:
    return sorted(_LAYERS.values(), key=lambda layer: (layer.order, layer.key))


def get_layer(key: str) -> MapLayer | None:
    return _LAYERS.get(key)


def point(lng: float | Decimal | None, lat: float | Decimal | None, **properties: Any) -> dict[str, Any] | None:
    """A GeoJSON Point feature, or None for a row without coordinates (the caller drops it)."""
    if lng is None or lat is None:
        return None
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [float(lng), float(lat)]},
        "properties": properties,
    }
