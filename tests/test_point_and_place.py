"""A record with both a place and a point: both are checked, and the outcome is listed.

The rule (``layers.join``): a point in the unit named agrees; a point within
``POINT_TOLERANCE_KM`` of it is kept under the named unit, with the unit it lies
in and the distance; a point farther away is rejected naming both units, unless
the written name also answers to the unit the point lies in ("Kyiv" for the
oblast, where the boundary set has a unit "Kyiv" for the city): then the point
settles it and the record says "point overrode name".
"""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely

import layers
from geo.user_boundaries import load_boundaries
from layers.points import POINT_TOLERANCE_KM
from tests._paths import write_csv

EVENT = {
    "record_id": "e", "country": "UKR", "unit_level": "admin1", "record_type": "event",
    "event_type": "casualty", "hazard_type": "ap_mines", "source": "test", "casualties": "1",
}  # fmt: skip


_csv = write_csv


def _prepare(path, boundary_set=None):
    p = layers.prepare(layers.read(path, "incidents"), boundary_set=boundary_set)
    assert p.rows_read == len(p.records) + p.rejects["row"].nunique()
    return p


def _row(frame, record_id):
    found = frame[frame["record_id"] == record_id]
    assert len(found) == 1, frame.to_string()
    return found.iloc[0]


@pytest.fixture
def kyiv_set(tmp_path):
    """A set where the city is a unit named "Kyiv", inside "Kyiv Oblast" (made-up shapes)."""
    oblast = shapely.box(29.3, 49.2, 32.2, 51.5)
    city = shapely.box(30.3, 50.3, 30.8, 50.6)
    frame = gpd.GeoDataFrame(
        {"pcode": ["UA80", "UA32", "UA63"], "label": ["Kyiv", "Kyiv Oblast", "Kharkiv"],
         },
        geometry=[city, oblast.difference(city), shapely.box(34.8, 48.5, 38.0, 50.4)],
        crs=4326,
    )  # fmt: skip
    path = tmp_path / "units.gpkg"
    frame.to_file(path, engine="pyogrio")
    # The file's own names only: the rule for a name that fits the unit the point is in.
    bset, _report = load_boundaries(
        path,
        level="admin1",
        code_field="pcode",
        name_fields=["label"],
        country="UKR",
        inherit=False,
    )
    return bset


def test_the_point_settles_a_name_that_fits_both_units(tmp_path, kyiv_set):
    rows = [
        {**EVENT, "record_id": "city", "place": "Kyiv", "latitude": "50.45", "longitude": "30.52"},
        # ACLED writes "Kyiv" for the oblast: the point is 40 km out of the city.
        {**EVENT, "record_id": "oblast", "place": "Kyiv", "latitude": "50.9", "longitude": "30.1"},
    ]
    p = _prepare(_csv(tmp_path / "e.csv", rows), kyiv_set)
    city, oblast = _row(p.records, "city"), _row(p.records, "oblast")
    assert (city["unit_code"], city["unit_resolved_by"]) == ("UA80", "name")
    assert city["point_name_other_unit"] is None
    assert (oblast["unit_code"], oblast["unit_resolved_by"]) == ("UA32", "point overrode name")
    assert oblast["point_name_other_unit"] == "UA80"  # the unit the name alone gave
    assert oblast["point_name_distance_km"] > POINT_TOLERANCE_KM


def test_a_point_deep_in_a_neighbour_is_rejected_with_both_names(tmp_path):
    # Kharkiv oblast named; the point about 40 km inside Donetsk oblast.
    rows = [{**EVENT, "place": "Kharkiv", "latitude": "48.45", "longitude": "37.6"}]
    p = _prepare(_csv(tmp_path / "e.csv", rows))
    assert p.records.empty
    bad = _row(p.rejects, "e")
    assert bad["field"] == "latitude"
    assert "lies in UA-14 (Donets'k)" in bad["reason"]
    assert "from UA-63 (Kharkiv), the unit the record names" in bad["reason"]


def test_a_point_just_outside_the_unit_named_is_kept_and_listed(tmp_path):
    # Just over Kharkiv oblast's border into Donetsk oblast, within the tolerance.
    from geo.boundary_sets import embedded

    units = embedded("admin1")
    point = shapely.Point(37.0, 48.75)
    assert units.unit_at(point) != "UA-63"
    distance = units.distance_km("UA-63", point)
    assert 0 < distance <= POINT_TOLERANCE_KM
    rows = [{**EVENT, "place": "Kharkiv", "latitude": "48.75", "longitude": "37.0"}]
    kept = _row(_prepare(_csv(tmp_path / "e.csv", rows)).records, "e")
    assert kept["unit_code"] == "UA-63"
    assert kept["point_name_other_unit"] == units.unit_at(point)
    assert kept["point_name_distance_km"] == pytest.approx(distance)


def test_a_point_in_the_sea_far_from_the_unit_is_rejected(tmp_path):
    # Odessa oblast named; the point 60 km out in the Black Sea.
    rows = [{**EVENT, "place": "Odessa", "latitude": "45.9", "longitude": "31.4"}]
    bad = _row(_prepare(_csv(tmp_path / "e.csv", rows)).rejects, "e")
    assert bad["reason"].startswith("point and place disagree: the point (45.9, 31.4) lies in no ")
    assert "the unit the record names" in bad["reason"]


def test_a_point_in_its_unit_agrees(tmp_path):
    rows = [{**EVENT, "place": "Kharkiv", "latitude": "49.99", "longitude": "36.23"}]
    kept = _row(_prepare(_csv(tmp_path / "e.csv", rows)).records, "e")
    assert (kept["unit_code"], kept["unit_resolved_by"]) == ("UA-63", "name")
    assert kept["point_name_distance_km"] is None


def test_records_listing_covers_every_accepted_row_and_says_how(tmp_path, kyiv_set):
    from layers.prepare import RECORD_COLUMNS, record_listing

    rows = [
        {**EVENT, "record_id": "city", "place": "Kyiv", "latitude": "50.45", "longitude": "30.52"},
        {**EVENT, "record_id": "oblast", "place": "Kyiv", "latitude": "50.9", "longitude": "30.1"},
        {**EVENT, "record_id": "far", "place": "Kharkiv", "latitude": "50.9", "longitude": "30.1"},
        {**EVENT, "record_id": "named", "place": "Kharkiv", "latitude": "", "longitude": ""},
    ]
    p = _prepare(_csv(tmp_path / "e.csv", rows), kyiv_set)
    listing = record_listing("events", p)
    assert list(listing.columns) == RECORD_COLUMNS
    assert len(listing) == len(p.records) == 3  # "far" is rejected: 400 km from Kharkiv
    assert "far" in set(p.rejects["record_id"])
    assert set(listing["record_id"]) | set(p.rejects["record_id"]) == {r["record_id"] for r in rows}
    oblast = _row(listing, "oblast")
    assert (oblast["unit_code"], oblast["unit_resolved_by"]) == ("UA32", "point overrode name")
    assert (oblast["longitude"], oblast["latitude"]) == (30.1, 50.9)
    named = _row(listing, "named")
    assert (named["unit_code"], named["unit_resolved_by"]) == ("UA63", "name")


def test_a_point_needs_no_place_and_a_record_with_neither_is_refused(tmp_path):
    rows = [
        {**EVENT, "record_id": "point", "latitude": "49.99", "longitude": "36.23"},
        {**EVENT, "record_id": "nothing"},
    ]
    p = _prepare(_csv(tmp_path / "e.csv", rows))
    kept = _row(p.records, "point")
    assert (kept["unit_code"], kept["unit_resolved_by"]) == ("UA-63", "location")
    bad = _row(p.rejects, "nothing")
    assert bad["field"] == "place"
    assert bad["reason"] == "unknown unit: the record gives no unit code, place or geometry"


def test_event_summaries_count_killed_when_no_casualties_are_given(tmp_path):
    from layers import incident_summary

    base = {k: v for k, v in EVENT.items() if k != "casualties"}
    rows = [
        {**base, "record_id": "acled1", "place": "Kharkiv", "killed": "2"},  # ACLED fatalities
        {**base, "record_id": "acled2", "place": "Kharkiv", "killed": "0", "injured": "3"},
        {**EVENT, "record_id": "counted", "place": "Kharkiv", "casualties": "4", "killed": "1"},
    ]
    p = _prepare(_csv(tmp_path / "e.csv", rows))
    result = incident_summary.incidents(p.records, "admin1")
    row = result.table.set_index("unit").loc["UA-63"]
    assert (row["casualties_in_events"], row["killed_in_events"], row["injured_in_events"]) == (
        2 + 3 + 4,
        3,
        3,
    )
    assert any(n.startswith("2 event(s) give killed or injured but no casualties") for n in
               result.notes)  # fmt: skip
