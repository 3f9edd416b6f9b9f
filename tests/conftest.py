"""Shared fixtures: geometry cases (empty, holed, multi-part, antimeridian)."""

from __future__ import annotations

import pytest
from shapely.geometry import MultiPolygon, Polygon, box


@pytest.fixture
def geometries():
    """Named geometry cases every area or drawing function must handle."""
    outer = box(10, 10, 12, 12)
    hole = box(10.5, 10.5, 11.5, 11.5)
    return {
        "empty": Polygon(),
        "square": outer,
        "holed": Polygon(outer.exterior.coords, [hole.exterior.coords]),
        "hole": hole,
        "multi": MultiPolygon([box(0, 0, 1, 1), box(2, 0, 3, 1)]),
        "part": box(0, 0, 1, 1),
        # 179°E to 181°E: a polygon across the antimeridian, written with x > 180.
        "antimeridian": box(179, -1, 181, 1),
        "antimeridian_twin": box(-1, -1, 1, 1),
    }
