"""Hazard polygons (SHA, CHA) to area totals per unit: split, summed, unioned, every bad one named."""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely
from pyproj import Geod

import layers
from geo.boundary_sets import embedded
from geo.overlay import overlay_units
from layers import kinds
from layers.hazards import AREA_BASIS

GEOD = Geod(ellps="WGS84")
BOWTIE = shapely.Polygon([(37.0, 48.0), (37.2, 48.2), (37.2, 48.0), (37.0, 48.2)])
POLYGONS = {
    "SHA-0": ("SHA", shapely.box(36.0, 49.5, 36.3, 49.7)),  # in Kharkiv
    "CHA-1": ("CHA", shapely.box(36.1, 49.55, 36.2, 49.65)),  # inside SHA-0: an overlap
    "SHA-2": ("SHA", None),  # no polygon
    "CHA-3": ("CHA", BOWTIE),  # self-intersecting: repaired
    "SHA-4": ("SHA", shapely.box(31.0, 44.0, 31.1, 44.1)),  # in the Black Sea
    "SHA-5": ("SHA", shapely.box(35.9, 48.9, 36.3, 49.1)),  # across Kharkiv and Dnipropetrovsk
}


def _geodesic(geom) -> float:
    return abs(GEOD.geometry_area_perimeter(geom)[0]) / 1e6


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hazards")
    frame = gpd.GeoDataFrame(
        {"record_id": list(POLYGONS), "hazard_class": [c for c, _ in POLYGONS.values()],
         "hazard_type": "ap_mines", "source": "Survey 2024"},
        geometry=[g for _, g in POLYGONS.values()], crs=4326,
    )  # fmt: skip
    frame.to_file(folder / "hazards.gpkg", engine="pyogrio")
    return layers.prepare(layers.read(folder / "hazards.gpkg", "hazards"))


def test_every_polygon_is_accepted_or_refused_with_its_own_reason(prepared):
    assert prepared.rows_read == len(prepared.records) + prepared.rejected == 6
    reasons = dict(zip(prepared.rejects["record_id"], prepared.rejects["reason"], strict=True))
    assert reasons["SHA-2"] == "the record has no polygon (its geometry is missing)"
    assert reasons["SHA-4"].startswith("the polygon lies outside every unit of Natural Earth")
    assert set(reasons) == {"SHA-2", "SHA-4"}
    repaired = [n for n in prepared.notes if "repaired with shapely.make_valid" in n]
    expected = _geodesic(shapely.make_valid(BOWTIE))
    assert repaired == [f"1 polygon(s) repaired with shapely.make_valid (polygonal parts kept): "
                        f"{expected:,.3f} km² after repair (e.g. CHA-3)"]  # fmt: skip


def test_areas_are_measured_and_split_across_the_units_they_cover(prepared):
    by_id = prepared.records.set_index("record_id")
    assert set(by_id["area_basis"]) == {AREA_BASIS}
    across = by_id.loc["SHA-5"]
    assert across["units"] == "UA-12;UA-63"
    assert across["area_km2"] == pytest.approx(_geodesic(POLYGONS["SHA-5"][1]), rel=1e-9)
    # An independent overlay: geopandas intersection, pyproj geodesic areas.
    units = embedded("admin1").frame
    units = units[units["code"].isin(["UA-12", "UA-63", "UA-14"])][["code", "geometry"]]
    kept = gpd.GeoDataFrame(
        {"record_id": ["SHA-0", "CHA-1", "CHA-3", "SHA-5"]},
        geometry=[POLYGONS["SHA-0"][1], POLYGONS["CHA-1"][1], shapely.make_valid(BOWTIE),
                  POLYGONS["SHA-5"][1]], crs=4326,
    )  # fmt: skip
    pieces = gpd.overlay(kept, gpd.GeoDataFrame(units, crs=4326), how="intersection")
    pieces["km2"] = [_geodesic(g) for g in pieces.geometry]
    reference_sum = pieces.groupby("code")["km2"].sum()
    reference_union = pieces.groupby("code").geometry.apply(
        lambda s: _geodesic(shapely.union_all(s.to_numpy()))
    )
    table = kinds.get("hazards").summarise(prepared.records, "admin1").table.set_index("unit")
    for code in ("UA-12", "UA-14", "UA-63"):
        assert table.loc[code, "sum_km2"] == pytest.approx(reference_sum[code], rel=1e-3)
        assert table.loc[code, "union_km2"] == pytest.approx(reference_union[code], rel=1e-3)
    # CHA-1 lies inside SHA-0: counted twice in the sum, once in the union.
    kharkiv = table.loc["UA-63"]
    assert kharkiv["overlap_km2"] == pytest.approx(_geodesic(POLYGONS["CHA-1"][1]), rel=1e-3)
    assert kharkiv["cha_km2"] == pytest.approx(_geodesic(POLYGONS["CHA-1"][1]), rel=1e-6)
    country = kinds.get("hazards").summarise(prepared.records, "admin0").table
    assert country["unit"].tolist() == ["UKR"]
    assert country["union_km2"].iloc[0] == pytest.approx(sum(reference_union), rel=1e-3)


def test_overlay_counts_each_kind_of_bad_geometry():
    units = gpd.GeoDataFrame({"code": ["A"]}, geometry=[shapely.box(0, 0, 1, 1)], crs=4326)
    polygons = [None, shapely.Polygon(), shapely.LineString([(0, 0), (1, 1)]),
                shapely.Polygon([(0.1, 0.1), (0.3, 0.3), (0.3, 0.1), (0.1, 0.3)]),
                shapely.box(5, 5, 6, 6), shapely.box(0.9, 0.5, 1.1, 0.6)]  # fmt: skip
    result = overlay_units(polygons, units)
    assert result.counts() == {"null": 1, "empty": 1, "invalid": 1, "not polygonal": 1,
                               "outside": 1, "partly outside": 1}  # fmt: skip
    partly = result.problems.set_index("polygon").loc[5, "area_km2"]
    assert partly == pytest.approx(_geodesic(shapely.box(1.0, 0.5, 1.1, 0.6)), rel=1e-3)


def test_a_contamination_area_minemap_measured_is_labelled_measured(tmp_path):
    frame = gpd.GeoDataFrame(
        {"record_id": ["measured", "reported"], "place": "Kharkiv", "country": "UKR",
         "hazard_type": "mines", "status": "estimate", "source": "Survey", "value": ["", "12"],
         "value_unit": ["", "km2"]},
        geometry=[shapely.box(36.0, 49.5, 36.1, 49.6), shapely.box(36.2, 49.5, 36.3, 49.6)],
        crs=4326,
    )  # fmt: skip
    frame.to_file(tmp_path / "c.gpkg", engine="pyogrio")
    p = layers.prepare(layers.read(tmp_path / "c.gpkg", "contamination"))
    basis = dict(zip(p.records["record_id"], p.records["area_basis"], strict=True))
    assert basis == {"measured": "measured (geodesic area of the polygon, WGS84)",
                     "reported": "reported"}  # fmt: skip
    # Side by side in the summary, with the difference.
    row = kinds.get("contamination").summarise(p.records, "admin1").table.iloc[0]
    measured = _geodesic(shapely.box(36.0, 49.5, 36.1, 49.6))
    assert row["measured_km2"] == pytest.approx(measured, rel=1e-6)
    assert row["reported_km2"] == 12.0
    assert row["reported_less_measured_km2"] == pytest.approx(12.0 - measured, rel=1e-6)


def test_land_release_sums_by_status(tmp_path):
    boxes = [shapely.box(36.0 + i * 0.1, 49.5, 36.05 + i * 0.1, 49.55) for i in range(4)]
    frame = gpd.GeoDataFrame(
        {"record_id": ["a", "b", "c", "d"], "hazard_class": ["SHA", "SHA", "CHA", "CHA"],
         "status": ["", "cancelled", "reduced", "cleared"], "source": "Operator report"},
        geometry=boxes, crs=4326,
    )  # fmt: skip
    frame.to_file(tmp_path / "h.gpkg", engine="pyogrio")
    p = layers.prepare(layers.read(tmp_path / "h.gpkg", "hazards"))
    row = kinds.get("hazards").summarise(p.records, "admin1").table.set_index("unit").loc["UA-63"]
    for status, box in zip(["open", "cancelled", "reduced", "cleared"], boxes, strict=True):
        assert row[f"{status}_km2"] == pytest.approx(_geodesic(box), rel=1e-6)
    assert row["sum_km2"] == pytest.approx(sum(_geodesic(b) for b in boxes), rel=1e-6)


def test_a_survey_of_thousands_of_polygons_matches_an_independent_overlay():
    from tests import hazard_sources as hs

    units, polygons = hs.hazard_units(), hs.hazard_polygons()
    result = overlay_units(polygons.geometry, units)
    traits = {k: len(v) for k, v in hs.hazard_traits(polygons).items()}
    assert result.counts() == {"null": traits["null"], "empty": traits["empty"],
                               "invalid": traits["self_intersecting"],
                               "outside": traits["outside"],
                               "partly outside": traits["partly_outside"]}  # fmt: skip
    reference = hs.independent_overlay(polygons, units).set_index("code")
    mine = result.per_unit.set_index("code")
    assert sorted(mine.index) == sorted(c for c in reference.index if c)
    for column in ("sum_km2", "union_km2", "overlap_km2"):
        assert mine[column].to_numpy() == pytest.approx(
            reference.loc[mine.index, column].to_numpy(), rel=1e-3
        )
    assert (mine["polygons"] == reference.loc[mine.index, "polygons"]).all()
    assert result.outside_km2 == pytest.approx(reference.loc["", "sum_km2"], rel=1e-3)


def test_a_hazard_build_reports_its_overlay_and_land_release(tmp_path):
    import json

    from maps.build import build_project

    boxes = [shapely.box(36.0 + i * 0.1, 49.5, 36.05 + i * 0.1, 49.55) for i in range(3)]
    frame = gpd.GeoDataFrame(
        {"record_id": ["a", "b", "c"], "hazard_class": "CHA",
         "status": ["open", "cleared", "reduced"],
         "status_date": ["2020-01-05", "2023-07-01", "2024-03-03"], "source": "Export 2024"},
        geometry=boxes, crs=4326,
    )  # fmt: skip
    frame.to_file(tmp_path / "h.gpkg", engine="pyogrio")
    (tmp_path / "project.toml").write_text(
        '[[layers]]\nname = "hazards"\nkind = "hazards"\npath = "h.gpkg"\n\n'
        '[[maps]]\nlayer = "hazards"\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    build_project(tmp_path / "project.toml", out)
    manifest = json.loads((out / "build.json").read_text(encoding="utf-8"))
    overlay = manifest["layers"]["hazards"]["overlay"]
    assert (overlay["polygons"], overlay["units"]) == (3, len(embedded("admin1").frame))
    assert overlay["seconds"] >= 0
    release = (out / "summaries" / "hazards_by_admin1_land_release.csv").read_text("utf-8")
    assert release.splitlines()[0].startswith("unit,name,period,source,basis,estimate_km2")
    assert [line.split(",")[2] for line in release.splitlines()[1:]] == ["2023", "2024"]
    assert 'class="mm-stack"' in (out / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("dedupe", [False, True])
def test_hazard_files_merge_with_their_pieces_and_a_repeated_id_counts_once(tmp_path, dedupe):
    from layers.pipeline import prepare_project, summaries
    from layers.project import load_project

    first = shapely.box(36.0, 49.5, 36.05, 49.55)
    again = shapely.box(36.2, 49.5, 36.3, 49.6)  # the same id, digitised again elsewhere
    for name, ids, boxes in (
        ("a", ["h1", "h2"], [first, shapely.box(36.1, 49.5, 36.15, 49.55)]),
        ("b", ["h1", "h3"], [again, shapely.box(36.4, 49.5, 36.45, 49.55)]),
    ):
        gpd.GeoDataFrame({"record_id": ids, "hazard_class": "CHA", "source": "Export"},
                         geometry=boxes, crs=4326).to_file(tmp_path / f"{name}.gpkg")  # fmt: skip
    dedupe_on = 'dedupe_on = ["record_id"]\n' if dedupe else ""
    (tmp_path / "p.toml").write_text(
        '[[layers]]\nname = "h"\nkind = "hazards"\npath = ["a.gpkg", "b.gpkg"]\n' + dedupe_on,
        encoding="utf-8",
    )
    done = prepare_project(load_project(tmp_path / "p.toml"))
    p = done.layers["h"]
    assert (p.n_accepted, p.rejected, p.duplicates) == (3, 0 if dedupe else 1, 1 if dedupe else 0)
    row = summaries(done)[("h", "admin1")].table.set_index("unit").loc["UA-63"]
    kept = [first, shapely.box(36.1, 49.5, 36.15, 49.55), shapely.box(36.4, 49.5, 36.45, 49.55)]
    # The left-out copy's pieces are gone with it: 3 polygons, the second h1 not summed.
    assert row["polygons"] == 3
    assert row["sum_km2"] == pytest.approx(sum(_geodesic(b) for b in kept), rel=1e-9)
