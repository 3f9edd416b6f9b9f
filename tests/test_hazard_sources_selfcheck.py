"""The hazard-polygon fixtures (tests/hazard_sources.py) hold what they promise."""

from __future__ import annotations

import itertools
import re

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import MultiPolygon, Polygon, box

from tests import hazard_sources as hz

N = 3000
SEED = 7


@pytest.fixture(scope="module")
def units():
    return hz.hazard_units()


@pytest.fixture(scope="module")
def frame():
    return hz.hazard_polygons(N, SEED)


@pytest.fixture(scope="module")
def traits(frame):
    return hz.hazard_traits(frame)


@pytest.fixture(scope="module")
def reference(frame, units):
    return hz.independent_overlay(frame, units)


def units_with_area(geoms, units):
    """For each geometry, how many units it shares positive area with."""
    unit_geoms = units.geometry.values
    return np.array(
        [int((shapely.area(shapely.intersection(g, unit_geoms)) > 0).sum()) for g in geoms]
    )


# --------------------------------------------------------------------------- units


def test_units_columns(units):
    assert list(units.columns) == ["code", "name", "geometry"]
    assert len(units) == 6
    assert units["code"].is_unique and units["name"].is_unique
    assert units.crs.equals("EPSG:4326")
    assert units.geometry.is_valid.all()
    assert (units.geometry.geom_type == "Polygon").all()


def test_units_are_a_clean_coverage(units):
    geoms = units.geometry.values
    assert shapely.coverage_is_valid(geoms)
    whole = box(*hz.BOX)
    union = shapely.union_all(geoms)
    assert union.geom_type == "Polygon" and not union.interiors
    assert shapely.symmetric_difference(union, whole).area < 1e-12
    assert shapely.area(geoms).sum() == pytest.approx(whole.area, rel=1e-12)
    neighbours = 0
    for a, b in itertools.combinations(geoms, 2):
        assert shapely.intersection(a, b).area == 0
        shared = shapely.intersection(a.boundary, b.boundary)
        if shared.length > 0:
            neighbours += 1
            # A shared edge is a whole edge of both units: same two vertices.
            edges_a = {frozenset(e) for e in itertools.pairwise(a.exterior.coords)}
            edges_b = {frozenset(e) for e in itertools.pairwise(b.exterior.coords)}
            assert edges_a & edges_b
    assert neighbours == 7  # 2 x 3 cells: 4 west-east neighbours and 3 south-north


# ------------------------------------------------------------------------- traits


def test_trait_counts(traits):
    expected = {
        "null": 300,
        "empty": 3,
        "self_intersecting": 150,
        "shifted_copy": 300,
        "shifted_original": 300,
        "multipart": 30,
        "crossing": 60,
        "outside": 5,
        "partly_outside": 3,
        "ordinary": 2149,
    }
    assert hz.trait_counts(N) == expected
    assert {k: len(v) for k, v in traits.items()} == expected
    own = [t for t in hz.TRAITS if t != "shifted_original"]
    rows = [i for t in own for i in traits[t]]
    assert sorted(rows) == list(range(N))  # each row has exactly one trait
    assert set(traits["shifted_original"]) <= set(traits["ordinary"])
    assert len(set(traits["shifted_original"])) == 300


def test_trait_counts_too_small():
    with pytest.raises(ValueError, match="too small"):
        hz.trait_counts(15)


def test_columns(frame):
    assert list(frame.columns) == ["hazard_id", "status", "hazard_type", "land_status", "geometry"]
    assert len(frame) == N
    assert frame.crs.equals("EPSG:4326")
    assert frame["hazard_id"].is_unique
    for hid, status in zip(frame["hazard_id"], frame["status"], strict=True):
        assert re.fullmatch(r"(SHA|CHA)-\d{6}", hid) and hid[:3] == status
    assert set(frame["status"]) == {"SHA", "CHA"}
    assert set(frame["hazard_type"]) == set(hz.HAZARD_TYPES)
    assert set(frame["land_status"]) == {"open", "closed"}


def test_null_empty_invalid(frame, traits):
    geoms = frame.geometry.values
    missing = shapely.is_missing(geoms)
    assert np.flatnonzero(missing).tolist() == traits["null"]
    empty = ~missing & shapely.is_empty(geoms)
    assert np.flatnonzero(empty).tolist() == traits["empty"]
    invalid = ~missing & ~shapely.is_valid(geoms)
    assert np.flatnonzero(invalid).tolist() == traits["self_intersecting"]
    for g in geoms[traits["self_intersecting"]]:
        assert g.geom_type == "Polygon"
        assert "Self-intersection" in shapely.is_valid_reason(g)
    # Most are bow-ties (two lobes); a few fold over themselves (one polygon, a hole).
    fixed = shapely.make_valid(geoms[traits["self_intersecting"]])
    lobes = [g.geom_type == "MultiPolygon" and len(g.geoms) == 2 for g in fixed]
    folded = [g.geom_type == "Polygon" and len(g.interiors) == 1 for g in fixed]
    assert (sum(lobes), sum(folded)) == (142, 8)


def test_shapes(frame, traits):
    geoms = frame.geometry.values
    for t in ("ordinary", "shifted_copy", "crossing", "outside", "partly_outside"):
        assert (shapely.get_type_id(geoms[traits[t]]) == 3).all(), t
    multi = geoms[traits["multipart"]]
    assert all(isinstance(g, MultiPolygon) and len(g.geoms) == 2 for g in multi)
    assert shapely.is_valid(multi).all()
    # Irregular: not boxes, and with varied numbers of vertices.
    ordinary = geoms[traits["ordinary"]]
    assert (shapely.area(ordinary) < 0.99 * shapely.area(shapely.envelope(ordinary))).all()
    assert len(np.unique(shapely.get_num_coordinates(ordinary))) > 20


def test_sizes(frame, traits):
    fixed = hz.repair(frame.geometry).values
    km2 = hz.geodesic_km2(fixed)
    sized = [i for t in ("ordinary", "crossing", "outside", "partly_outside", "multipart")
             for i in traits[t]]  # fmt: skip
    assert km2[sized].min() >= hz.MIN_KM2 * 0.999
    assert km2[sized].max() <= hz.MAX_KM2 * 1.001
    # Log-uniform: about as many below the geometric middle (0.32 km²) as above it.
    below = (km2[traits["ordinary"]] < np.sqrt(hz.MIN_KM2 * hz.MAX_KM2)).mean()
    assert 0.45 < below < 0.55
    # Copies keep their original's size.
    copies, originals = km2[traits["shifted_copy"]], km2[traits["shifted_original"]]
    np.testing.assert_allclose(copies, originals, rtol=1e-3)


def test_placement(frame, traits, units):
    geoms = hz.repair(frame.geometry).values
    union = shapely.union_all(units.geometry.values)
    met = np.full(N, -1)
    have = ~shapely.is_missing(geoms)
    met[have] = units_with_area(geoms[have], units)
    crossing = np.flatnonzero(met >= 2).tolist()
    assert crossing == traits["crossing"]
    assert np.flatnonzero(met == 0).tolist() == traits["outside"]
    for i in traits["outside"]:
        assert shapely.disjoint(geoms[i], union)
    for i in traits["partly_outside"]:
        assert met[i] == 1
        assert shapely.difference(geoms[i], union).area > 0
    inside = [i for t in ("ordinary", "self_intersecting", "shifted_copy", "multipart", "crossing")
              for i in traits[t]]  # fmt: skip
    assert shapely.within(geoms[inside], union).all()
    assert (met[inside] >= 1).all()


def test_copies_overlap_their_originals(frame, traits):
    geoms = frame.geometry.values
    copies = geoms[traits["shifted_copy"]]
    originals = geoms[traits["shifted_original"]]
    common = shapely.area(shapely.intersection(copies, originals))
    assert (common >= 0.25 * shapely.area(originals)).all()
    assert not shapely.equals(copies, originals).any()
    for column in ("status", "hazard_type", "land_status"):
        a = frame[column].to_numpy()
        assert (a[traits["shifted_copy"]] == a[traits["shifted_original"]]).all()


def test_deterministic(frame, traits):
    again = hz.hazard_polygons(N, SEED)
    assert hz.hazard_traits(again) == traits
    assert again.drop(columns="geometry").equals(frame.drop(columns="geometry"))
    wkb = shapely.to_wkb
    assert list(wkb(again.geometry.values)) == list(wkb(frame.geometry.values))
    other = hz.hazard_polygons(N, SEED + 1)
    assert hz.hazard_traits(other) != traits


def test_other_units_and_sizes():
    """A 4 x 3 grid (as the benchmark passes), 500 polygons."""
    xs, ys = np.linspace(22.0, 30.0, 5), np.linspace(45.0, 50.0, 4)
    cells = [box(xs[j], ys[i], xs[j + 1], ys[i + 1]) for i in range(3) for j in range(4)]
    grid = gpd.GeoDataFrame({"code": [f"G{i:02d}" for i in range(12)]}, geometry=cells, crs=4326)
    frame = hz.hazard_polygons(500, 1, units=grid)
    traits = hz.hazard_traits(frame)
    assert {k: len(v) for k, v in traits.items()} == hz.trait_counts(500)
    geoms = hz.repair(frame.geometry).values
    met = units_with_area(geoms[traits["crossing"]], grid)
    assert (met >= 2).all()


def test_traits_need_the_original_frame():
    with pytest.raises(KeyError):
        hz.hazard_traits(gpd.GeoDataFrame(geometry=[box(0, 0, 1, 1)]))


# -------------------------------------------------------------- reference overlay


def test_reference_balances(frame, units, reference):
    fixed = hz.repair(frame.geometry)
    total = hz.geodesic_km2(fixed.values).sum()
    assert list(reference.columns) == ["code", "polygons", "sum_km2", "union_km2", "overlap_km2"]
    assert reference["code"].tolist() == [*units["code"], ""]
    assert reference["sum_km2"].sum() == pytest.approx(total, rel=1e-6)
    # The outside row measured on its own: the polygons' parts outside the units' union.
    union = shapely.union_all(units.geometry.values)
    geoms = fixed.values[~shapely.is_missing(fixed.values)]
    outside_km2 = hz.geodesic_km2(shapely.difference(geoms, union)).sum()
    inside_km2 = reference["sum_km2"].iloc[:-1].sum()
    assert inside_km2 + outside_km2 == pytest.approx(total, rel=1e-6)
    assert reference["sum_km2"].iloc[-1] == pytest.approx(outside_km2, rel=1e-4)


def test_reference_counts(frame, traits, units, reference):
    outside = reference.iloc[-1]
    assert outside["code"] == "" and outside["polygons"] == 5 + 3
    assert outside["overlap_km2"] == pytest.approx(0, abs=1e-3)
    per_unit = reference.iloc[:-1]
    placed = N - 300 - 3 - 5  # neither null, empty nor wholly outside
    # A crossing polygon counts in each unit it reaches; every other in one.
    assert per_unit["polygons"].sum() > placed
    assert per_unit["polygons"].sum() <= placed + 5 * len(traits["crossing"])
    areas = hz.geodesic_km2(units.geometry.values)
    assert (per_unit["union_km2"].to_numpy() <= areas).all()
    assert (per_unit["union_km2"] <= per_unit["sum_km2"] * (1 + 1e-9)).all()
    # The shifted copies alone overlap a few hundred km²: overlap is far from zero.
    assert (per_unit["overlap_km2"] > 0.05 * per_unit["sum_km2"]).all()


def test_reference_on_a_known_layout():
    """Two identical squares and a bow-tie in one unit, one square across two, one outside."""
    units = gpd.GeoDataFrame(
        {"code": ["A", "B"]}, geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)], crs=4326
    )
    square = box(0.2, 0.2, 0.4, 0.4)
    bowtie = Polygon([(0.5, 0.5), (0.7, 0.7), (0.7, 0.5), (0.5, 0.7)])
    across = box(0.9, 0.1, 1.1, 0.3)
    away = box(5, 5, 5.1, 5.1)
    polygons = gpd.GeoSeries([square, None, square, Polygon(), bowtie, across, away], crs=4326)
    got = hz.independent_overlay(polygons, units).set_index("code")

    def km2(g):
        return abs(hz.GEOD.geometry_area_perimeter(shapely.orient_polygons(g))[0]) / 1e6

    # The bow-tie's two lobes, meeting at (0.6, 0.6).
    lobes = km2(Polygon([(0.5, 0.5), (0.6, 0.6), (0.5, 0.7)]))
    lobes += km2(Polygon([(0.6, 0.6), (0.7, 0.7), (0.7, 0.5)]))
    left, right = km2(box(0.9, 0.1, 1.0, 0.3)), km2(box(1.0, 0.1, 1.1, 0.3))
    assert got.loc["A", "polygons"] == 4  # both squares, the bow-tie and the crossing one
    assert got.loc["A", "sum_km2"] == pytest.approx(2 * km2(square) + lobes + left, rel=1e-9)
    assert got.loc["A", "union_km2"] == pytest.approx(km2(square) + lobes + left, rel=1e-9)
    assert got.loc["A", "overlap_km2"] == pytest.approx(km2(square), rel=1e-6)
    assert got.loc["B", "polygons"] == 1
    assert got.loc["B", "sum_km2"] == pytest.approx(right, rel=1e-9)
    assert got.loc["", "polygons"] == 1
    assert got.loc["", "union_km2"] == pytest.approx(km2(away), rel=1e-9)
    # By subtraction: it also holds the 377 m² by which the crossing square's two pieces,
    # cut on the straight line x = 1 and measured on geodesics, fall short of the whole.
    whole = km2(across)
    assert left + right == pytest.approx(whole - 377.466e-6, rel=1e-9)
    assert got.loc["", "sum_km2"] == pytest.approx(km2(away) + whole - left - right, rel=1e-9)
