"""Great-circle distances (haversine on the IUGG mean Earth radius), for every app that measures
how far apart two coordinates are: expert matching's arc costs, a flood patrol's distance from
its township. Coordinates are degrees (WGS-84 or GCJ-02 alike: the offset between them is far
below what these checks resolve)."""

from __future__ import annotations

import numpy as np

EARTH_RADIUS_M = 6_371_008.8  # mean Earth radius (IUGG)


def haversine_m(lat1: np.ndarray, lng1: np.ndarray, lat2: np.ndarray, lng2: np.ndarray) -> np.ndarray:
    """Great-circle distances in whole metres (broadcasting)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(lng2) - np.radians(lng1)
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return np.rint(2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.minimum(a, 1.0)))).astype(np.int64)


def distance_m(lat1: float, lng1: float, lat2: float, lng2: float) -> int:
    """The distance between two points in whole metres."""
    return int(haversine_m(np.array(float(lat1)), np.array(float(lng1)), np.array(float(lat2)), np.array(float(lng2))))
