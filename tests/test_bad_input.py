"""Every kind of bad input is rejected loudly, and nothing is lost.

Each case builds a small file in code, reads and prepares it as a build would,
pins the message, and checks rows in = accepted + rejected.
"""

import csv
import json
import warnings

import pytest

import layers
from geo import RecordError
from layers.formats import FileReadError
from layers.schema import schema

INCIDENT = {
    "record_id": "i1", "place": "Donetsk", "country": "UKR", "unit_level": "admin1",
    "record_type": "event", "event_type": "casualty", "hazard_type": "ap_mines",
    "source": "test source", "casualties": "1",
}  # fmt: skip


def _csv(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def _prepared(path, kind, **options):
    prepared = layers.prepare(layers.read(path, kind, **options))
    assert prepared.rows_read == len(prepared.records) + prepared.rejects["row"].nunique()
    return prepared


def _reason(prepared, record_id):
    found = prepared.rejects[prepared.rejects["record_id"] == record_id]
    assert len(found), f"{record_id} was not rejected"
    return found.iloc[0]


def test_coordinates_out_of_range_and_swapped(tmp_path):
    rows = [
        {**INCIDENT, "record_id": "ok", "latitude": "48.0159", "longitude": "37.8028"},
        {**INCIDENT, "record_id": "swapped", "latitude": "137.80", "longitude": "48.01"},
        {**INCIDENT, "record_id": "far", "latitude": "48.0", "longitude": "237.8"},
        {**INCIDENT, "record_id": "text", "latitude": "48 N", "longitude": "37.8"},
    ]
    p = _prepared(_csv(tmp_path / "incidents.csv", rows), "incidents")
    assert list(p.records["record_id"]) == ["ok"]
    assert p.records.iloc[0]["precision"] == "exact"
    swapped = _reason(p, "swapped")
    assert (swapped["row"], swapped["field"]) == (3, "latitude")
    assert swapped["reason"].endswith("latitude and longitude look swapped")
    assert swapped["fix"] == "swap the latitude and longitude columns (or their mapping)"
    assert _reason(p, "far")["reason"] == "longitude 237.8 is out of range -180..180"
    assert _reason(p, "text")["reason"] == "expected a number (decimal degrees)"


def _geojson(path, features):
    path.write_text(
        json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8"
    )
    return path


def _feature(props, geometry):
    return {"type": "Feature", "properties": props, "geometry": geometry}


CONTAMINATION = {
    "record_id": "c1", "place": "Chechnya", "country": "RUS", "hazard_type": "mines",
    "status": "estimate", "source": "operator export",
}  # fmt: skip


def test_polygons_are_measured_and_bad_polygons_rejected(tmp_path):
    square = {
        "type": "Polygon",
        "coordinates": [[[45.6, 43.2], [45.7, 43.2], [45.7, 43.3], [45.6, 43.3], [45.6, 43.2]]],
    }
    bowtie = {
        "type": "Polygon",
        "coordinates": [[[45.6, 43.2], [45.7, 43.3], [45.7, 43.2], [45.6, 43.3], [45.6, 43.2]]],
    }
    path = _geojson(tmp_path / "hazards.geojson", [
        _feature({**CONTAMINATION, "record_id": "square"}, square),
        _feature({**CONTAMINATION, "record_id": "bowtie"}, bowtie),
        _feature({**CONTAMINATION, "record_id": "empty"}, None),
    ])  # fmt: skip
    p = _prepared(path, "contamination")
    measured = p.records.set_index("record_id").loc["square"]
    from shapely.geometry import shape

    from geo import area_km2

    assert measured["area_km2"] == pytest.approx(area_km2(shape(square)), rel=1e-9)
    assert 80 < measured["area_km2"] < 100  # 0.1° x 0.1° at 43° N
    bad = _reason(p, "bowtie")
    assert (bad["row"], bad["field"]) == (2, "geometry")
    assert bad["reason"].startswith("invalid Polygon: Self-intersection")
    assert "make_valid" in bad["fix"]
    assert _reason(p, "empty")["reason"] == "the geometry is empty"


def test_unknown_and_ambiguous_places(tmp_path):
    rows = [
        {**INCIDENT, "record_id": "nowhere", "lookup_name": "Atlantis", "locate_as": "settlement"},
        {
            **INCIDENT,
            "record_id": "twice",
            "place": "Ukraine",
            "unit_level": "admin0",
            "lookup_name": "Ivanivka",
            "locate_as": "settlement",
        },
        {
            **INCIDENT,
            "record_id": "found",
            "lookup_name": "Izium",
            "place": "Kharkiv",
            "locate_as": "settlement",
        },
    ]
    p = _prepared(_csv(tmp_path / "incidents.csv", rows), "incidents")
    assert list(p.records["record_id"]) == ["found"]
    assert (
        "place 'Atlantis' is not in the GeoNames gazetteer for UKR"
        in _reason(p, "nowhere")["reason"]
    )
    twice = _reason(p, "twice")["reason"]
    assert "place 'Ivanivka' matches" in twice
    assert "Fix: give the region (admin-1 unit) of the record" in twice


def test_unknown_unit_lists_closest_names(tmp_path):
    rows = [
        {
            **CONTAMINATION,
            "record_id": "bad",
            "place": "Chechnyaaa stan",
            "value": "5",
            "value_unit": "km2",
        }
    ]
    p = _prepared(_csv(tmp_path / "contamination.csv", rows), "contamination")
    reject = _reason(p, "bad")
    assert reject["field"] == "place"
    assert reject["reason"].startswith(
        "unknown unit: no admin1 unit in RUS matches 'Chechnyaaa stan'"
    )


def test_area_units_are_normalised_and_originals_kept(tmp_path):
    rows = [
        {**CONTAMINATION, "record_id": "ha", "value": "24500", "value_unit": "ha"},
        {**CONTAMINATION, "record_id": "acre", "value": "640", "value_unit": "acre"},
        {**CONTAMINATION, "record_id": "m2", "value": "2000000", "value_unit": "m2"},
        {**CONTAMINATION, "record_id": "sqmi", "value": "1", "value_unit": "sq_mi"},
    ]
    records = _prepared(
        _csv(tmp_path / "contamination.csv", rows), "contamination"
    ).records.set_index("record_id")
    assert records.loc["ha", ["value", "value_unit", "area_km2"]].tolist() == [24500.0, "ha", 245.0]
    assert records.loc["acre", "area_km2"] == pytest.approx(2.589988110336)
    assert records.loc["m2", "area_km2"] == pytest.approx(2.0)
    assert records.loc["sqmi", "area_km2"] == pytest.approx(2.589988110336)


def test_negative_and_non_numeric_area(tmp_path):
    rows = [
        {**CONTAMINATION, "record_id": "neg", "value": "-3", "value_unit": "km2"},
        {**CONTAMINATION, "record_id": "text", "value": "lots", "value_unit": "km2"},
    ]
    p = _prepared(_csv(tmp_path / "contamination.csv", rows), "contamination")
    assert p.records.empty
    assert _reason(p, "neg")["reason"] == "expected a value >= 0"
    assert _reason(p, "text")["reason"] == "expected a number"


def test_unparseable_date_and_duplicate_id(tmp_path):
    rows = [
        {
            **CONTAMINATION,
            "record_id": "a",
            "value": "5",
            "value_unit": "km2",
            "date_start": "2017-01-31",
        },
        {**CONTAMINATION, "record_id": "a", "value": "6", "value_unit": "km2"},
        {
            **CONTAMINATION,
            "record_id": "b",
            "value": "7",
            "value_unit": "km2",
            "date_start": "the 31st of Jan 2017",
        },
    ]
    p = _prepared(_csv(tmp_path / "contamination.csv", rows), "contamination")
    assert list(p.records["record_id"]) == ["a"]
    dup = p.rejects[p.rejects["row"] == 3].iloc[0]
    assert (dup["field"], dup["reason"]) == ("record_id", "duplicate of row 2")
    date = _reason(p, "b")
    assert (date["field"], date["reason"], date["received"]) == (
        "date_start",
        "expected an ISO date YYYY-MM-DD",
        "the 31st of Jan 2017",
    )


def test_missing_required_column_names_it(tmp_path):
    rows = [{k: v for k, v in CONTAMINATION.items() if k != "status"}]
    with pytest.raises(
        RecordError,
        match=r"field 'status': the contamination layer needs the column\(s\) \['status'\]",
    ):
        layers.read(_csv(tmp_path / "contamination.csv", rows), "contamination")


def test_file_with_no_rows(tmp_path):
    path = tmp_path / "contamination.csv"
    path.write_text(",".join(schema("contamination").names) + "\n", encoding="utf-8")
    with pytest.raises(FileReadError, match="no data rows"):
        layers.read(path, "contamination")


def test_wrong_file_type(tmp_path):
    path = tmp_path / "contamination.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    with pytest.raises(FileReadError, match="wrong file type"):
        layers.read(path, "contamination")


def test_zip_with_a_path_that_escapes_its_folder(tmp_path):
    import zipfile

    path = tmp_path / "hazards.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("../../evil.shp", b"x")
    with pytest.raises(FileReadError, match=r"escapes its folder"):
        layers.read(path, "contamination")


def test_hxl_file_maps_by_hashtag(tmp_path):
    path = tmp_path / "incidents.csv"
    path.write_text(
        "ID,Town,Region,ISO3,Hurt,Src\n"
        "#meta+id,#loc+name,#adm1+name,#country+code,#affected+injured,#meta+source\n"
        "x1,Izium,Kharkiv,UKR,2,HDX test\n",
        encoding="utf-8",
    )
    mapping = layers.mapping.ColumnMapping(
        fields={"lookup_name": "#loc+name"},
        constants={"record_type": "event", "event_type": "casualty", "hazard_type": "ap_mines"},
    )
    layer = layers.read(path, "incidents", mapping=mapping)
    assert layer.mapping["place"] == "HXL hashtag #adm1+name"
    p = layers.prepare(layer)
    row = p.records.iloc[0]
    assert (row["record_id"], row["injured"], row["unit_code"], row["precision"]) == (
        "x1",
        2,
        "UA-63",
        "settlement",
    )
    assert row["row"] == 3


FORMATS = ["csv", "xlsx", "geojson", "gpkg", "shp.zip", "kml"]


def _write_format(tmp_path, fmt, rows):
    import zipfile

    import geopandas as gpd
    from shapely.geometry import Point

    frame = gpd.GeoDataFrame(
        [{k: v for k, v in r.items() if k not in ("latitude", "longitude")} for r in rows],
        geometry=[Point(float(r["longitude"]), float(r["latitude"])) for r in rows],
        crs="EPSG:4326",
    )
    if fmt == "csv":
        return _csv(tmp_path / "incidents.csv", rows)
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.append(list(rows[0]))
        for r in rows:
            sheet.append(list(r.values()))
        path = tmp_path / "incidents.xlsx"
        book.save(path)
        return path
    if fmt == "shp.zip":
        folder = tmp_path / "shp"
        folder.mkdir()
        with warnings.catch_warnings():
            warnings.filterwarnings(
                "ignore", message="Column names longer than 10", category=UserWarning
            )
            warnings.filterwarnings(
                "ignore", message="Normalized/laundered field name", category=RuntimeWarning
            )
            frame.to_file(folder / "incidents.shp", engine="pyogrio")
        path = tmp_path / "incidents.zip"
        with zipfile.ZipFile(path, "w") as z:
            for part in sorted(folder.iterdir()):
                z.write(part, part.name)
        return path
    driver = {"geojson": "GeoJSON", "gpkg": "GPKG", "kml": "KML"}[fmt]
    path = tmp_path / f"incidents.{fmt}"
    frame.to_file(path, driver=driver, engine="pyogrio")
    return path


# Writing the Shapefile fixture, GDAL warns that it cuts long column names.
@pytest.mark.filterwarnings(
    "ignore:Exception ignored in. 'pyogrio._err.error_handler':pytest.PytestUnraisableExceptionWarning"
)
@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_reads_to_the_same_records(tmp_path, fmt):
    rows = [
        {**INCIDENT, "record_id": "a", "latitude": "48.0159", "longitude": "37.8028"},
        {
            **INCIDENT,
            "record_id": "b",
            "place": "Kharkiv",
            "latitude": "49.2079",
            "longitude": "37.2617",
        },
    ]
    p = _prepared(_write_format(tmp_path, fmt, rows), "incidents")
    assert p.rejects.empty, p.rejects.iloc[:, :7].to_string()
    located = p.records.set_index("record_id")
    assert list(located.index) == ["a", "b"]
    assert located.loc["b", "unit_code"] == "UA-63"
    assert located.loc["a", "geometry"].x == pytest.approx(37.8028, abs=1e-6)
    assert set(located["precision"]) == {"exact"}


def test_a_settlement_as_place_takes_its_unit_from_the_point(tmp_path):
    rows = [
        {
            **INCIDENT,
            "record_id": "coords",
            "place": "Izium",
            "latitude": "49.2079",
            "longitude": "37.2617",
        },
        {**INCIDENT, "record_id": "named", "place": "Izium", "latitude": "", "longitude": ""},
    ]
    p = _prepared(_csv(tmp_path / "incidents.csv", rows), "incidents")
    assert p.rejects.empty, p.rejects.iloc[:, :7].to_string()
    found = p.records.set_index("record_id")
    assert found.loc["coords", ["unit_code", "unit_resolved_by", "precision"]].tolist() == [
        "UA-63",
        "location",
        "exact",
    ]
    assert found.loc["named", ["unit_code", "unit_resolved_by", "precision"]].tolist() == [
        "UA-63",
        "settlement location",
        "settlement",
    ]


def test_a_point_outside_the_records_country_is_rejected(tmp_path):
    # A place that names no unit, placed by its coordinates: in Rostov oblast (Russia).
    rostov = {"place": "Donetsk area", "latitude": "47.2357", "longitude": "39.7015"}
    rows = [
        {**INCIDENT, "record_id": "ukr", **rostov},
        {**INCIDENT, "record_id": "rus", **rostov, "country": "RUS"},
    ]
    p = _prepared(_csv(tmp_path / "incidents.csv", rows), "incidents")
    assert list(p.records["record_id"]) == ["rus"]
    assert p.records.iloc[0]["unit_code"] == "RU-ROS"
    reason = _reason(p, "ukr")
    # The coordinates as given are in the reject's original.* columns.
    assert (reason["row"], reason["field"]) == (2, "geometry")
    assert (reason["original.latitude"], reason["original.longitude"]) == ("47.2357", "39.7015")
    assert reason["reason"] == (
        "point outside the country: the geometry lies in RU-ROS (Rostov), in RUS, "
        "not in UKR, the record's country"
    )
    assert reason["fix"] == "correct the coordinates, or the country"


def test_dates_as_exports_write_them_are_read_and_said(tmp_path):
    """ACLED's day-first dates with a time, UCDP's ISO with a time, years and months."""
    base = {**CONTAMINATION, "value": "5", "value_unit": "km2"}
    rows = [
        {**base, "record_id": "acled", "date_start": "18/01/2018 00:00:00", "date_end": "05/02/2018"},
        {**base, "record_id": "ucdp", "date_start": "2014-01-22 00:00:00.000"},
        {**base, "record_id": "year", "date_start": "2018"},
        {**base, "record_id": "month", "date_start": "2023-02", "date_end": ""},
    ]  # fmt: skip
    layer = layers.read(_csv(tmp_path / "c.csv", rows), "contamination")
    assert layer.rejects.empty, layer.rejects[["record_id", "field", "reason"]]
    got = {r["record_id"]: (str(r["date_start"]), str(r["date_end"]))
           for r in layer.records.to_dict("records")}  # fmt: skip
    assert got == {
        "acled": ("2018-01-18", "2018-02-05"),
        "ucdp": ("2014-01-22", "None"),
        "year": ("2018-01-01", "2018-12-31"),
        "month": ("2023-02-01", "2023-02-28"),
    }
    said = "\n".join(layer.notes)
    assert "read day first (e.g. '18/01/2018 00:00:00' as 2018-01-18: 18 cannot be a month)" in said
    assert "date_end: 2 empty, given the last day of date_start's year or month" in said


def test_dates_whose_day_and_month_order_cannot_be_told_are_refused(tmp_path):
    base = {**CONTAMINATION, "value": "5", "value_unit": "km2"}
    rows = [{**base, "record_id": f"r{i}", "date_start": d}
            for i, d in enumerate(["01/02/2018", "03/04/2018"])]  # fmt: skip
    layer = layers.read(_csv(tmp_path / "c.csv", rows), "contamination")
    assert layer.records.empty
    bad = layer.rejects.iloc[0]
    assert bad["received"] == "01/02/2018"
    assert bad["reason"].startswith("the order of day and month cannot be told")
    assert bad["fix"] == "write the dates as ISO YYYY-MM-DD (e.g. 2018-01-05)"
    mixed = [{**base, "record_id": f"m{i}", "date_start": d}
             for i, d in enumerate(["13/02/2018", "02/13/2018"])]  # fmt: skip
    layer = layers.read(_csv(tmp_path / "m.csv", mixed), "contamination")
    assert set(layer.rejects["reason"]) == {
        "the column has dates with the day first and dates with the month first"
    }


def test_a_constant_beside_a_column_that_has_values_wins_and_is_said(tmp_path):
    """A project constant 'UKR' is used for every row, over a country column: and says so."""
    from layers.mapping import ColumnMapping

    rows = [{**CONTAMINATION, "record_id": f"r{i}", "value": "5", "value_unit": "km2",
             "country": c} for i, c in enumerate(["Russia", "", "UKR"])]  # fmt: skip
    layer = layers.read(_csv(tmp_path / "c.csv", rows), "contamination",
                        mapping=ColumnMapping(constants={"country": "UKR"}))  # fmt: skip
    said = [n for n in layer.notes if n.startswith("country:")]
    assert said == [
        "country: the constant 'UKR' is used for every row, over column 'country', whose 1 "
        "cell(s) said otherwise ('Russia'); to keep the file's values, remove the constant"
    ]
    assert layer.rejects.empty and set(layer.records["country"]) == {"UKR"}
    with pytest.raises(RecordError, match="both a column"):
        layers.read(_csv(tmp_path / "c.csv", rows), "contamination",
                    mapping=ColumnMapping(fields={"country": "country"},
                                          constants={"country": "UKR"}))  # fmt: skip


def test_a_slashed_date_that_is_no_real_day_says_so(tmp_path):
    base = {**CONTAMINATION, "value": "5", "value_unit": "km2"}
    rows = [{**base, "record_id": "ok", "date_start": "18/01/2018"},
            {**base, "record_id": "bad", "date_start": "31/02/2018"}]  # fmt: skip
    layer = layers.read(_csv(tmp_path / "c.csv", rows), "contamination")
    assert list(layer.records["record_id"]) == ["ok"]
    bad = layer.rejects.iloc[0]
    assert (bad["field"], bad["received"]) == ("date_start", "31/02/2018")
    assert bad["reason"] == (
        "no such day: read day first (the order of this file's dates), it is 2018-02-31"
    )
    assert not any("2018-02-31" in note for note in layer.notes)
