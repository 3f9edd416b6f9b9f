"""Numbers that are not finite or not plausible, and coordinates given the wrong way round.

Each case builds a small file, reads and prepares it as a build would, pins the
reject (file, row, field, received, reason, fix) and checks rows in = accepted +
rejected.
"""

import json

import pytest

import geo
import layers
from layers.check import check_file
from layers.validate import (
    EARTH_LAND_KM2,
    MAX_COUNT,
    MAX_PERCENT_OF_UNIT,
    MAX_TONNES,
    implausible,
)
from tests._paths import write_csv

INCIDENT = {
    "record_id": "i1", "place": "Kharkiv", "country": "UKR", "unit_level": "admin1",
    "record_type": "event", "event_type": "casualty", "hazard_type": "ap_mines",
    "source": "test source", "casualties": "1",
}  # fmt: skip
CONTAMINATION = {
    "record_id": "c1", "place": "Chechnya", "country": "RUS", "hazard_type": "mines",
    "status": "estimate", "source": "operator export", "value": "5", "value_unit": "km2",
}  # fmt: skip
CLEARANCE = {
    "record_id": "k1", "place": "Chechnya", "country": "RUS", "hazard_type": "mines",
    "measure": "devices_destroyed", "value": "25", "value_unit": "count", "source": "report",
}  # fmt: skip
STOCKPILE = {
    "record_id": "s1", "place": "Bulgaria", "country": "BGR", "unit_level": "admin0",
    "munition_category": "cluster_munitions", "munition_class": "bomb", "status": "declared",
    "quantity": "488", "source": "report",
}  # fmt: skip

NOT_FINITE = "not a finite number"
# Kharkiv: latitude 49.99, longitude 36.23.
KHARKIV = {"latitude": "49.99", "longitude": "36.23"}
KHARKIV_SWAPPED = {"latitude": "36.23", "longitude": "49.99"}
SWAPPED_REASON = (
    "latitude and longitude look swapped: (36.23, 49.99) lies in IRN, outside UKR, "
    "while (49.99, 36.23) lies in UKR"
)


_csv = write_csv


def _prepared(path, kind):
    prepared = layers.prepare(layers.read(path, kind))
    assert prepared.rows_read == len(prepared.records) + prepared.rejects["row"].nunique()
    return prepared


def _reject(prepared, record_id):
    found = prepared.rejects[prepared.rejects["record_id"] == record_id]
    assert len(found) == 1, found.iloc[:, :7].to_string()
    return found.iloc[0]


# Non-finite numbers ----------------------------------------------------------


@pytest.mark.parametrize("text", ["nan", "NaN", "inf", "-inf", "Infinity", "+nan", "1e400"])
def test_a_number_field_that_is_not_finite_is_rejected(tmp_path, text):
    rows = [CONTAMINATION, {**CONTAMINATION, "record_id": "bad", "value": text}]
    path = _csv(tmp_path / "contamination.csv", rows)
    p = _prepared(path, "contamination")
    assert list(p.records["record_id"]) == ["c1"]
    bad = _reject(p, "bad")
    assert (bad["file"], bad["row"], bad["field"], bad["received"]) == (str(path), 3, "value", text)
    assert bad["reason"] == NOT_FINITE
    assert bad["fix"] == (
        "write value as the figure the source gives (NaN and infinity are not figures), "
        "or leave it empty when there is none"
    )


def test_a_required_number_that_is_not_finite(tmp_path):
    p = _prepared(
        _csv(tmp_path / "clearance.csv", [{**CLEARANCE, "value": "Infinity"}]), "clearance"
    )
    bad = _reject(p, "k1")
    assert (bad["field"], bad["received"], bad["reason"]) == ("value", "Infinity", NOT_FINITE)
    assert bad["fix"] == (
        "write value as the figure the source gives (NaN and infinity are not figures)"
    )


@pytest.mark.parametrize("field", ["casualties", "killed", "injured", "children", "attacks"])
@pytest.mark.parametrize("text", ["nan", "inf", "-Infinity"])
def test_an_integer_field_that_is_not_finite_is_rejected(tmp_path, field, text):
    rows = [{**INCIDENT, "record_id": "bad", field: text}]
    p = _prepared(_csv(tmp_path / "incidents.csv", rows), "incidents")
    bad = _reject(p, "bad")
    assert (bad["row"], bad["field"], bad["received"]) == (2, field, text)
    assert bad["reason"] == NOT_FINITE


def test_a_whole_number_field_still_refuses_other_text(tmp_path):
    rows = [
        {**INCIDENT, "record_id": "exp", "casualties": "1e3"},
        {**INCIDENT, "record_id": "word", "casualties": "many"},
    ]
    p = _prepared(_csv(tmp_path / "incidents.csv", rows), "incidents")
    assert _reject(p, "exp")["reason"] == "expected a whole number"
    assert _reject(p, "word")["reason"] == "expected a whole number"


def test_coordinates_that_are_not_finite(tmp_path):
    rows = [
        {**INCIDENT, "record_id": "lat", "latitude": "NaN", "longitude": "36.23"},
        {**INCIDENT, "record_id": "lon", "latitude": "49.99", "longitude": "-inf"},
    ]
    p = _prepared(_csv(tmp_path / "incidents.csv", rows), "incidents")
    lat, lon = _reject(p, "lat"), _reject(p, "lon")
    assert (lat["field"], lat["received"], lat["reason"]) == ("latitude", "NaN", NOT_FINITE)
    assert lat["fix"] == "write the latitude like 48.0159"
    assert (lon["field"], lon["received"], lon["reason"]) == ("longitude", "-inf", NOT_FINITE)


def test_wkt_with_a_coordinate_that_is_not_finite(tmp_path):
    rows = [{**INCIDENT, "record_id": "w", "wkt": "POINT (nan 49.99)"}]
    p = _prepared(_csv(tmp_path / "incidents.csv", rows), "incidents")
    bad = _reject(p, "w")
    assert (bad["field"], bad["received"]) == ("wkt", "POINT (nan 49.99)")
    assert bad["reason"] == "a coordinate of the Point is not a finite number"


# Absurd magnitudes -------------------------------------------------------------


def test_bounds_are_inclusive():
    assert implausible(EARTH_LAND_KM2, "km2") is None
    assert implausible(EARTH_LAND_KM2 * 100, "ha") is None
    assert implausible(EARTH_LAND_KM2 * 1.001, "km2") is not None
    assert implausible(MAX_COUNT, "count") is None
    assert implausible(MAX_COUNT + 1, "count") is not None
    assert implausible(MAX_TONNES, "tonnes") is None
    assert implausible(MAX_PERCENT_OF_UNIT, "percent_of_unit") is None


@pytest.mark.parametrize(
    ("value", "unit", "reason"),
    [
        (
            "1e308",
            "km2",
            "1e+308 km² is more than the land area of the Earth (148,940,000 km²): "
            "no area of land can be larger",
        ),
        (
            "20000000000",
            "ha",
            "20,000,000,000 ha (200,000,000 km²) is more than the land area of the Earth "
            "(148,940,000 km²): no area of land can be larger",
        ),
        (
            "1e308",
            "sq_mi",
            "1e+308 sq mi (inf km²) is more than the land area of the Earth (148,940,000 km²): "
            "no area of land can be larger",
        ),
        ("150", "percent_of_unit", "150 % of the unit is more than the whole unit (100 %)"),
    ],
)
def test_an_area_beyond_the_bound_is_rejected(tmp_path, value, unit, reason):
    rows = [{**CONTAMINATION, "record_id": "big", "value": value, "value_unit": unit}]
    p = _prepared(_csv(tmp_path / "contamination.csv", rows), "contamination")
    assert p.records.empty
    bad = _reject(p, "big")
    assert (bad["row"], bad["field"], bad["received"]) == (2, "value", value)
    assert bad["reason"] == reason


def test_counts_and_masses_beyond_the_bound_are_rejected(tmp_path):
    rows = [
        {**CLEARANCE, "record_id": "devices", "value": "5e9"},
        {**CLEARANCE, "record_id": "mass", "measure": "mass_removed", "value": "2e9",
         "value_unit": "tonnes"},
        {**CLEARANCE, "record_id": "ok", "value": "331607"},
    ]  # fmt: skip
    p = _prepared(_csv(tmp_path / "clearance.csv", rows), "clearance")
    assert list(p.records["record_id"]) == ["ok"]
    devices = _reject(p, "devices")
    assert (devices["field"], devices["received"]) == ("value", "5e9")
    assert devices["reason"] == (
        "5,000,000,000 is more than 1,000,000,000, the largest count accepted: "
        "no count of casualties, devices or munitions comes near it"
    )
    assert devices["fix"] == "check the value (a typing error, or a figure from another column?)"
    assert _reject(p, "mass")["reason"] == (
        "2,000,000,000 t is more than 1,000,000,000 t, the largest mass accepted: "
        "no clearance removes that much"
    )


def test_integer_counts_beyond_the_bound_are_rejected(tmp_path):
    huge = "1" + "0" * 30
    rows = [{**INCIDENT, "record_id": "cas", "casualties": huge}]
    p = _prepared(_csv(tmp_path / "incidents.csv", rows), "incidents")
    bad = _reject(p, "cas")
    assert (bad["field"], bad["received"]) == ("casualties", huge)
    assert bad["reason"].startswith("1e+30 is more than 1,000,000,000, the largest count")
    rows = [{**STOCKPILE, "quantity": "2000000000"}, {**STOCKPILE, "record_id": "s2"}]
    p = _prepared(_csv(tmp_path / "stockpiles.csv", rows), "stockpiles")
    assert list(p.records["record_id"]) == ["s2"]
    assert _reject(p, "s1")["reason"].startswith("2,000,000,000 is more than 1,000,000,000")


# An area larger than its unit ----------------------------------------------------


def test_an_area_larger_than_its_unit_is_rejected(tmp_path):
    chechnya = geo.unit_area_km2("admin1", "RU-CE")  # about 16,171 km²
    rows = [
        {**CONTAMINATION, "record_id": "ha-as-km2", "value": "25000"},
        {**CONTAMINATION, "record_id": "in-m2", "value": "2.5e10", "value_unit": "m2",
         "status": "suspected_hazardous_area"},
        {**CONTAMINATION, "record_id": "whole", "value": "100", "value_unit": "percent_of_unit"},
        {**CONTAMINATION, "record_id": "equal", "value": repr(chechnya)},
        {**CONTAMINATION, "record_id": "in-ha", "value": "25000", "value_unit": "ha"},
    ]  # fmt: skip
    path = _csv(tmp_path / "contamination.csv", rows)
    p = _prepared(path, "contamination")
    assert list(p.records["record_id"]) == ["whole", "equal", "in-ha"]
    assert p.records["share_of_unit"].max() == pytest.approx(1.0)
    bad = _reject(p, "ha-as-km2")
    assert (bad["file"], bad["row"], bad["field"], bad["received"]) == (
        str(path), 2, "value", "25000"
    )  # fmt: skip
    assert bad["reason"] == (
        "25,000 km² is 155 % of the unit's area (16,171 km², RU-CE Chechnya): "
        "an area of land in a unit cannot be larger than the unit"
    )
    assert bad["fix"] == (
        "check the value and its unit (ha given as km²?) and the unit the record is assigned "
        "to; for the whole unit, give 100 with value_unit percent_of_unit"
    )
    # The original row is kept with the reject.
    assert (bad["original.value"], bad["original.value_unit"]) == ("25000", "km2")
    assert _reject(p, "in-m2")["reason"].startswith(
        "25,000,000,000 m² (25,000 km²) is 155 % of the unit's area (16,171 km², RU-CE Chechnya)"
    )


def test_a_country_figure_larger_than_the_country(tmp_path):
    rows = [
        {**CONTAMINATION, "record_id": "geo", "place": "Georgia", "country": "GEO",
         "unit_level": "admin0", "value": "123456"},
    ]  # fmt: skip
    bad = _reject(_prepared(_csv(tmp_path / "contamination.csv", rows), "contamination"), "geo")
    assert bad["field"] == "value"
    assert " % of the unit's area (" in bad["reason"]
    assert "km², GEO Georgia): an area of land" in bad["reason"]


# Latitude and longitude swapped inside the valid range -----------------------------


@pytest.mark.parametrize("place", ["Kharkiv", "Kharkiv area"])
def test_swapped_coordinates_are_rejected(tmp_path, place):
    # "Kharkiv" resolves by name; "Kharkiv area" names no unit, so the point gives it.
    rows = [
        {**INCIDENT, "record_id": "ok", "place": place, **KHARKIV},
        {**INCIDENT, "record_id": "swapped", "place": place, **KHARKIV_SWAPPED},
    ]
    path = _csv(tmp_path / "incidents.csv", rows)
    p = _prepared(path, "incidents")
    assert list(p.records["record_id"]) == ["ok"]
    assert p.records.iloc[0]["unit_code"] == "UA-63"
    bad = _reject(p, "swapped")
    assert (bad["file"], bad["row"], bad["field"], bad["received"]) == (
        str(path), 3, "latitude", "36.23"
    )  # fmt: skip
    assert bad["reason"] == SWAPPED_REASON
    assert bad["fix"] == "swap the latitude and longitude columns (or their mapping)"
    assert (bad["original.latitude"], bad["original.longitude"]) == ("36.23", "49.99")


def test_swapped_coordinates_by_unit_code_and_into_the_sea(tmp_path):
    rows = [
        # By code: the unit is known, the point lies in Iran.
        {**INCIDENT, "record_id": "code", "place": "", "unit_code": "UA-63", **KHARKIV_SWAPPED},
        # (49.5, 37.5), in Kharkiv oblast, swapped: in the Caspian Sea, in no unit.
        {**INCIDENT, "record_id": "sea", "place": "Kharkiv area", "latitude": "37.5",
         "longitude": "49.5"},
    ]  # fmt: skip
    p = _prepared(_csv(tmp_path / "incidents.csv", rows), "incidents")
    assert p.records.empty
    assert _reject(p, "code")["reason"] == SWAPPED_REASON
    sea = _reject(p, "sea")
    assert (sea["field"], sea["received"]) == ("latitude", "37.5")
    assert sea["reason"] == (
        "latitude and longitude look swapped: (37.5, 49.5) lies in no unit, outside UKR, "
        "while (49.5, 37.5) lies in UKR"
    )


def test_a_point_far_from_the_unit_it_names_is_rejected_naming_both(tmp_path):
    # Rostov-on-Don: outside Ukraine both ways round.
    rostov = {"latitude": "47.2357", "longitude": "39.7015"}
    rows = [
        {**INCIDENT, "record_id": "by-point", "place": "Donetsk area", **rostov},
        {**INCIDENT, "record_id": "by-name", "place": "Donetsk", **rostov},
        # Kharkiv oblast named, the point in Donetsk oblast: in the country, 100 km away.
        {**INCIDENT, "record_id": "neighbour", "latitude": "48.0159", "longitude": "37.8028"},
    ]
    p = _prepared(_csv(tmp_path / "incidents.csv", rows), "incidents")
    # Placed by its point: outside the country, as before.
    assert _reject(p, "by-point")["reason"].startswith("point outside the country: ")
    # Its unit named: the point is checked too, and both units are named.
    assert p.records.empty
    by_name = _reject(p, "by-name")
    assert by_name["reason"].startswith("point outside the country: the point (47.2357, 39.7015) ")
    assert "in RUS, not in UKR" in by_name["reason"]
    assert "km from UA-14 (Donets'k), the unit the record names" in by_name["reason"]
    neighbour = _reject(p, "neighbour")
    assert neighbour["field"] == "latitude"
    assert neighbour["received"] == "48.0159"
    assert neighbour["reason"].startswith(
        "point and place disagree: the point (48.0159, 37.8028) lies in UA-14 (Donets'k), "
    )
    assert "km from UA-63 (Kharkiv), the unit the record names" in neighbour["reason"]


def test_a_point_just_across_a_border_is_not_called_swapped(tmp_path):
    # In Kazakhstan, about 3 km from Orenburg oblast; swapped, it would lie in Kirov oblast.
    border = {"country": "RUS", "latitude": "51.9926", "longitude": "60.0598"}
    rows = [
        {**INCIDENT, "record_id": "by-name", "place": "Orenburg", **border},
        {**INCIDENT, "record_id": "by-point", "place": "Orenburg area", **border},
    ]
    p = _prepared(_csv(tmp_path / "incidents.csv", rows), "incidents")
    assert list(p.records["record_id"]) == ["by-name"]
    # Within POINT_TOLERANCE_KM of the unit named: kept, with the other unit and the distance.
    kept = p.records.iloc[0]
    assert kept["unit_code"] == "RU-ORE"
    assert kept["point_name_other_unit"].startswith("KZ-")
    assert 0 < kept["point_name_distance_km"] <= 5
    by_point = _reject(p, "by-point")
    assert by_point["field"] == "geometry"
    assert by_point["reason"].startswith("point outside the country: the geometry lies in KZ-")


def test_swapped_wkt_point(tmp_path):
    rows = [{**INCIDENT, "record_id": "w", "wkt": "POINT (49.99 36.23)"}]
    p = _prepared(_csv(tmp_path / "incidents.csv", rows), "incidents")
    bad = _reject(p, "w")
    assert (bad["field"], bad["received"], bad["reason"]) == (
        "wkt", "POINT (49.99 36.23)", SWAPPED_REASON
    )  # fmt: skip
    assert bad["fix"] == (
        "write points as POINT (longitude latitude): well-known text gives the longitude first"
    )


def test_swapped_geojson_point(tmp_path):
    features = [
        {"type": "Feature", "properties": {**INCIDENT, "record_id": rid},
         "geometry": {"type": "Point", "coordinates": xy}}
        for rid, xy in (("ok", [36.23, 49.99]), ("swapped", [49.99, 36.23]))
    ]  # fmt: skip
    path = tmp_path / "incidents.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), "utf-8")
    p = _prepared(path, "incidents")
    assert list(p.records["record_id"]) == ["ok"]
    bad = _reject(p, "swapped")
    assert (bad["row"], bad["field"], bad["reason"]) == (2, "geometry", SWAPPED_REASON)
    assert bad["fix"] == (
        "swap the x and y of the features (x is the longitude), or correct the file's CRS"
    )


def test_check_file_reports_the_swap(tmp_path):
    rows = [
        {**INCIDENT, "record_id": "ok", **KHARKIV},
        {**INCIDENT, "record_id": "swapped", **KHARKIV_SWAPPED},
        {**INCIDENT, "record_id": "nan", "casualties": "nan"},
    ]
    result = check_file(_csv(tmp_path / "incidents.csv", rows), "incidents")
    assert (result.rows_read, result.accepted, result.rejected) == (3, 1, 2)
    assert ("latitude", "latitude and longitude look swapped", 1) in result.reasons()
    assert ("casualties", NOT_FINITE, 1) in result.reasons()


def test_a_whole_number_written_as_a_float_is_read_as_one(tmp_path):
    # pandas writes an integer column with gaps as floats: "3.0" is 3; "3.5" is no count.
    rows = [
        {**INCIDENT, "record_id": "float", "casualties": "3.0", "killed": "-0.00"},
        {**INCIDENT, "record_id": "half", "casualties": "3.5"},
    ]
    p = _prepared(_csv(tmp_path / "incidents.csv", rows), "incidents")
    kept = p.records.set_index("record_id")
    assert kept.loc["float", "casualties"] == 3 and kept.loc["float", "killed"] == 0
    assert _reject(p, "half")["reason"] == "expected a whole number"
