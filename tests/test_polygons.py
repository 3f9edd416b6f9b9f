"""Polygon geometry written once per page, compactly encoded, decoded exactly."""

from __future__ import annotations

import re

import numpy as np
import pytest
import shapely

from geo import units
from maps.base import new_map
from maps.choropleth import polygon_layer
from maps.polygons import (
    GeometryStore,
    PathStyle,
    PolygonLayer,
    decimals_for,
    decode_geometry,
    display_geometries,
    encode_geometries,
)
from maps.views import render


@pytest.fixture(scope="module")
def ukraine():
    frame = units("admin1", [f"UA-{n}" for n in ("05", "09", "14", "23", "30", "32", "43", "65")])
    return frame.assign(tooltip_html=frame["name"], popup_html=frame["code"])


def test_encoding_round_trips_real_units_with_holes_and_parts(ukraine):
    # Kyiv oblast (UA-32) has a hole, Kyiv city; several units have more than one part.
    geoms = display_geometries(ukraine, tolerance=0.005)
    assert any(len(p.interiors) for g in geoms for p in getattr(g, "geoms", [g]))
    assert any(g.geom_type == "MultiPolygon" for g in geoms)
    places = decimals_for(0.005)
    for geom, text in zip(geoms, encode_geometries(geoms, places), strict=True):
        back = decode_geometry(text)
        # A one-part MultiPolygon comes back as a Polygon: same rings, same coordinates.
        assert back.equals(geom)
        assert np.allclose(
            shapely.get_coordinates(shapely.normalize(back)),
            shapely.get_coordinates(shapely.normalize(geom)),
            rtol=0,
            atol=1e-9,
        )


def test_encoding_is_much_smaller_than_geojson(ukraine):
    geoms = display_geometries(ukraine, tolerance=0.005)
    encoded = sum(map(len, encode_geometries(geoms, 4)))
    geojson = sum(map(len, shapely.to_geojson(geoms)))
    assert encoded < geojson / 3


def test_empty_and_non_polygonal_geometries_are_null():
    texts = encode_geometries([shapely.Polygon(), shapely.Point(1, 2), shapely.box(0, 0, 1, 1)], 2)
    assert texts[:2] == ["null", "null"]
    assert decode_geometry(texts[2]).equals(shapely.box(0, 0, 1, 1))


def test_negative_and_large_coordinates_round_trip():
    ring = [(-179.99999, -89.5), (179.99999, -89.5), (179.99999, 89.5), (-179.99999, 89.5)]
    geom = shapely.Polygon(ring)
    assert decode_geometry(encode_geometries([geom], 5)[0]).equals_exact(geom, 1e-9)


def test_layers_drawing_the_same_units_share_one_copy(ukraine):
    fmap = new_map(tuple(ukraine.total_bounds), title="t")
    for year in ("2019", "2020", "2021"):
        polygon_layer(ukraine, name=year, css_class="mm-choropleth").add_to(fmap)
    polygon_layer(ukraine, name="outline", css_class="mm-x", interactive=False).add_to(fmap)
    html = render(fmap)
    store = GeometryStore.of(fmap.get_root())
    assert len(store) == len(ukraine)
    # Each geometry's encoded rings appear once in the page.
    first = encode_geometries(display_geometries(ukraine, tolerance=0.01), 3)[0]
    assert html.count(first) == 1
    assert len(re.findall(r"var polygon_layer_\d+ = ", html)) == 4


def test_values_must_match_geometries(ukraine):
    with pytest.raises(ValueError, match="fills: 2 values for 8 geometries"):
        PolygonLayer(list(ukraine.geometry), name="x", style=PathStyle("x", ["#fff", "#000"]))


def test_decimals_fit_the_tolerance():
    assert [decimals_for(t) for t in (None, 0.001, 0.01, 0.05, 0.5)] == [5, 4, 3, 3, 2]
    geoms = display_geometries(units("admin1", ["UA-30"]), tolerance=0.05)
    xy = shapely.get_coordinates(geoms)
    assert np.allclose(xy, np.round(xy, 3))
