"""Land release (IMAS 08.10): cancelled, reduced, cleared and remaining per unit and period.

The reported table is laid out as the land release tables of Article 5
extension requests are: a row per region and year, areas in square metres, the
area at the start, each way of release, and the area remaining. Two rows do
not add up on purpose; a second source gives one region again, and a national
figure sits beside the regions'.
"""

from __future__ import annotations

import datetime as dt
import math

import geopandas as gpd
import pytest
import shapely
from pyproj import Geod

import layers
from layers import kinds, land_release
from layers.pipeline import prepare_project, summaries
from layers.project import load_project
from maps import tables
from maps.registry import draw
from maps.views import render

GEOD = Geod(ellps="WGS84")

TABLE = """\
Oblast,Year,Area at start (m2),Cancelled through NTS (m2),Reduced through TS (m2),Cleared (m2),Remaining (m2),Source,Level
Kharkiv,2022,10000000,2000000,1000000,500000,6500000,Authority report 2024,
Kharkiv,2023,6500000,1000000,0,250000,5250000,Authority report 2024,
Kherson,2023,3000000,2500000,600000,100000,,Authority report 2024,
Mykolaiv,2023,1000000,100000,0,50000,800000,Authority report 2024,
Mykolaiv,2023,1000000,100000,0,50000,852000,Operator report 2024,
Ukraine,2023,25000000,,,900000,,Landmine Monitor 2024,admin0
"""

PROJECT = """\
[[layers]]
name = "release"
kind = "land_release"
path = "release.csv"
columns = { place = "Oblast", as_of = "Year", estimate = "Area at start (m2)", \
cancelled = "Cancelled through NTS (m2)", reduced = "Reduced through TS (m2)", \
cleared = "Cleared (m2)", remaining = "Remaining (m2)", source = "Source", \
unit_level = "Level" }
constants = { country = "UKR", area_unit = "m2" }

[[maps]]
layer = "release"
"""


@pytest.fixture(scope="module")
def done(tmp_path_factory):
    folder = tmp_path_factory.mktemp("release")
    (folder / "release.csv").write_text(TABLE, encoding="utf-8")
    (folder / "project.toml").write_text(PROJECT, encoding="utf-8")
    return prepare_project(load_project(folder / "project.toml"))


def _rows(table, *keys):
    return {tuple(r[k] for k in keys): r for r in table.to_dict("records")}


def test_every_reported_row_is_accounted_for_and_the_ones_that_do_not_add_up_are_flagged(done):
    p = done.layers["release"]
    assert (p.rows_read, len(p.records), p.rejected) == (6, 6, 0)
    table = summaries(done)[("release", "admin1")].table
    assert len(table) == 5  # the national row waits for the summary by admin0
    rows = _rows(table, "unit", "period", "source")
    kharkiv = rows[("UA-63", "2022", "Authority report 2024")]
    assert [kharkiv[f"{c}_km2"] for c in ("estimate", "cancelled", "reduced", "cleared",
                                          "released", "remaining")] == [10.0, 2.0, 1.0, 0.5,
                                                                        3.5, 6.5]  # fmt: skip
    assert (kharkiv["remaining_basis"], kharkiv["check"]) == ("reported", "")
    kherson = rows[("UA-65", "2023", "Authority report 2024")]
    assert kherson["released_km2"] == pytest.approx(3.2)
    assert kherson["remaining_km2"] == pytest.approx(-0.2)  # shown, not hidden
    assert kherson["remaining_basis"] == "estimate less released"
    assert kherson["check"] == "released 3.2 km² is more than the estimate of 3 km²"
    # Two sources for Mykolaiv in 2023: both rows, each checked on its own.
    authority = rows[("UA-48", "2023", "Authority report 2024")]
    operator = rows[("UA-48", "2023", "Operator report 2024")]
    assert authority["check"] == "remaining 0.8 km² is not the estimate less released (0.85 km²)"
    assert operator["check"] == ""  # 0.852 against 0.85: within 0.5 % of the estimate
    notes = summaries(done)[("release", "admin1")].notes
    assert any(n.startswith("2 row(s) do not add up") for n in notes)
    assert any(n.startswith("1 country-level record(s)") for n in notes)


def test_by_country_a_national_figure_and_the_sum_of_regions_sit_side_by_side(done):
    table = summaries(done)[("release", "admin0")].table
    rows = _rows(table, "period", "source", "basis")
    national = rows[("2023", "Landmine Monitor 2024", "reported for the country")]
    assert (national["estimate_km2"], national["cleared_km2"]) == pytest.approx((25.0, 0.9))
    assert math.isnan(national["cancelled_km2"])  # not given: not zero
    summed = rows[("2023", "Authority report 2024", "sum of 3 unit(s)")]
    assert summed["estimate_km2"] == pytest.approx(6.5 + 3.0 + 1.0)
    assert summed["cleared_km2"] == pytest.approx(0.25 + 0.1 + 0.05)
    assert summed["remaining_km2"] == pytest.approx(5.25 - 0.2 + 0.8)
    assert summed["check"].endswith("2 of its unit rows do not add up")
    assert set(table["unit"]) == {"UKR"} and len(table) == 4


def test_the_map_shades_what_remains_and_outlines_what_does_not_add_up(done):
    p = done.layers["release"]
    page = render(draw("land_release", p.records, title="Land release"), assets_mode="inline")
    assert "Figures that do not add up" in page and "mm-flagged" in page
    assert "released 3.2 km² is more than the estimate of 3 km²" in page
    assert "mm-stack" in page and "no remaining figure, or one below 0" in page


def test_the_html_summary_draws_each_row_as_a_stacked_bar(done):
    item = summaries(done)[("release", "admin1")]
    html = tables.to_html(item)
    assert html.count('class="mm-stack"') == len(item.table)
    # Kharkiv 2022: 2 + 1 + 0.5 released and 6.5 remaining, of 10.
    row = next(r for r in html.split("<tbody>")[1].split("</tr>") if "<td>2022</td>" in r)
    widths = [w.split("%")[0] for w in row.split("width:")[1:]]
    assert widths == ["20.0", "10.0", "5.0", "65.0"]
    assert "mm-stack" not in tables.to_csv(item)


def _geodesic(geom) -> float:
    return abs(GEOD.geometry_area_perimeter(geom)[0]) / 1e6


def test_hazard_polygons_with_status_dates_give_land_release_per_year(tmp_path):
    boxes = [shapely.box(36.0 + i * 0.1, 49.5, 36.05 + i * 0.1, 49.55) for i in range(4)]
    frame = gpd.GeoDataFrame(
        {"record_id": ["a", "b", "c", "d"], "hazard_class": ["SHA", "SHA", "CHA", "CHA"],
         "status": ["open", "cancelled", "reduced", "cleared"],
         "status_date": ["2021-03-02", "2022-05-01", "2023-02-01", ""],
         "source": "Operator database export 2024"},
        geometry=boxes, crs=4326,
    )  # fmt: skip
    frame.to_file(tmp_path / "h.gpkg", engine="pyogrio")
    p = layers.prepare(layers.read(tmp_path / "h.gpkg", "hazards"))
    assert p.records["status_date"].tolist()[:3] == [dt.date(2021, 3, 2), dt.date(2022, 5, 1),
                                                     dt.date(2023, 2, 1)]  # fmt: skip
    item = kinds.get("hazards").also["land_release"](p.records, "admin1")
    area = [_geodesic(b) for b in boxes]
    rows = {k[0]: r for k, r in _rows(item.table, "period").items()}
    assert list(rows) == ["2022", "2023", "undated"]
    assert rows["2022"]["estimate_km2"] == pytest.approx(sum(area), rel=1e-6)
    assert rows["2022"]["cancelled_km2"] == pytest.approx(area[1], rel=1e-6)
    assert rows["2023"]["estimate_km2"] == pytest.approx(sum(area) - area[1], rel=1e-6)
    assert rows["2023"]["reduced_km2"] == pytest.approx(area[2], rel=1e-6)
    assert rows["undated"]["cleared_km2"] == pytest.approx(area[3], rel=1e-6)
    assert rows["undated"]["remaining_km2"] == pytest.approx(area[0], rel=1e-6)
    assert rows["undated"]["check"] == "released, with no status date: in no year"
    assert all(r["basis"] == "measured (geodesic, WGS84)" for r in rows.values())
    # Hazards with no released polygon give no land release table.
    still = p.records.assign(status="open")
    assert land_release.from_hazards(still, "admin1") is None
