"""Event files as ACLED and UCDP publish them: read with no reshaping, every row accounted for.

The fixtures (``tests/event_sources.py``) carry the formats' real traits:
ACLED's 31 columns, day-first dates with a time, the API's JSON envelope, UCDP
GED's 50 columns with an HXL row and ``.000`` times, old spellings, events at
sea, coding slips. The expected units are fixed answers measured once on the
embedded boundaries (``EXPECTED_UNITS``), not a second run of the code.
"""

from __future__ import annotations

import collections

import geopandas as gpd
import pandas as pd
import pytest

import layers
from geo.boundary_sets import embedded
from geo.errors import RecordError
from geo.user_boundaries import load_boundaries
from layers.dates import AMBIGUOUS
from layers.pipeline import prepare_project
from layers.points import SEA_KM
from layers.prepare import record_listing
from layers.presets import Rules
from layers.project import load_project
from tests import event_sources as es
from tests._paths import write_csv

# What the embedded boundaries and minemap's rules make of the ACLED fixture's traits.
ACLED_REJECTED = {
    "UKR35118": ("event_type", "expected one of 'casualty'"),  # Peaceful protest
    "UKR64120": ("event_type", "expected one of 'casualty'"),
    "UKR50288": ("latitude", "point and place disagree: the point (48.6203, 37.5277) lies in "
                 "UA-14 (Donets'k), 37.2 km from UA-63 (Kharkiv)"),
    "UKR47720": ("geometry", "point outside the country: the point (50.4086, 36.8878) lies in "
                 "RU-BEL (Belgorod), in RUS, not in UKR"),
    "UKR43519": ("latitude", "unknown unit: the point (45.5, 31.5) lies in no unit"),
    "UKR62044": ("latitude", "unknown unit: the point (46.1, 36.4) lies in no unit"),
}  # fmt: skip
ACLED_UNITS = {"UA-14": 2, "UA-23": 2, "UA-30": 2, "UA-32": 3, "UA-40": 1, "UA-48": 2,
               "UA-51": 1, "UA-59": 1, "UA-63": 3, "UA-65": 2, "UA-74": 1}  # fmt: skip


def _prepare(path, **kwargs):
    p = layers.prepare(layers.read(path, "incidents", **kwargs))
    assert p.rows_read == len(p.records) + p.rejected  # nothing dropped silently
    return p


def _rejected(p) -> dict[str, tuple[str, str]]:
    return {r.record_id: (r.field, r.reason) for r in p.rejects.itertuples()}


def _assert_acled(p):
    assert (p.rows_read, len(p.records), p.rejected) == (26, 20, 6)
    rejected = _rejected(p)
    assert rejected.keys() == ACLED_REJECTED.keys()
    for record_id, (field, start) in ACLED_REJECTED.items():
        assert rejected[record_id][0] == field
        assert rejected[record_id][1].startswith(start), rejected[record_id]
    for record_id in es.ACLED_TRAITS["sea_far"]:
        assert f"farther than the {SEA_KM} km (12 nautical miles)" in rejected[record_id][1]
    assert dict(collections.Counter(p.records["unit_code"])) == ACLED_UNITS
    assert (p.records["date_start"].min(), p.records["date_start"].max()) == (
        pd.Timestamp("2022-04-09").date(), pd.Timestamp("2023-03-16").date())  # fmt: skip
    by_id = p.records.set_index("record_id")
    # Every record whose point lies in a unit is in that unit, but the two the rules settle:
    # a near-shore point given its named unit, and Sevastopol written "Crimea".
    for record_id, code in by_id["unit_code"].items():
        if record_id not in es.ACLED_TRAITS["sea_near_coast"]:
            assert es.EXPECTED_UNITS[record_id] == code, record_id
    sevastopol = by_id.loc["UKR43231"]
    assert (sevastopol["unit_code"], sevastopol["unit_resolved_by"]) == (
        "UA-40", "point overrode name")  # fmt: skip
    assert sevastopol["point_name_other_unit"] == "UA-43"
    shore = by_id.loc["UKR41730"]  # 3.1 km off Odesa oblast, in no unit: kept, distance listed
    assert shore["unit_code"] == "UA-51" and shore["point_name_other_unit"] is None
    assert 3.0 < shore["point_name_distance_km"] < 3.2
    # ACLED's columns become minemap's fields.
    bucha = by_id.loc["UKR30112"]
    assert (bucha["country"], bucha["event_type"], bucha["record_type"]) == (
        "UKR", "casualty", "event")  # fmt: skip
    assert bucha["source"].startswith("ACLED, citing ")
    assert bucha["source_precision"].startswith("ACLED geo_precision")
    assert bucha["original.sub_event_type"] == "Remote explosive/landmine/IED"
    assert by_id["killed"].sum() == sum(
        int(r["fatalities"]) for r in es.acled_rows() if r["event_id_cnty"] in by_id.index
    )


@pytest.mark.parametrize("style", ["dmy_time", "iso", "long"])
def test_an_acled_export_builds_with_no_reshaping(tmp_path, style):
    p = _prepare(es.write_acled_export(tmp_path, date_style=style))
    _assert_acled(p)
    assert p.preset.name == "acled"
    assert any(n.startswith("recognised as ACLED export") for n in p.notes)
    assert any("'Ukraine' -> UKR (26)" in n for n in p.notes)


def test_the_acled_api_json_reads_as_the_export(tmp_path):
    p = _prepare(es.write_acled_api_json(tmp_path))
    _assert_acled(p)
    assert sorted(p.rejects["row"]) == sorted(  # rows are the records' positions in "data"
        1 + [r["event_id_cnty"] for r in es.acled_rows()].index(i) for i in ACLED_REJECTED
    )


def test_acled_dates_that_cannot_be_told_are_refused_not_guessed(tmp_path):
    p = _prepare(es.write_acled_export(tmp_path, ambiguous_dates=True))
    reasons = p.rejects.loc[p.rejects["field"] == "date_start", "reason"]
    assert len(reasons) == 26 and set(reasons) == {AMBIGUOUS[0]}
    assert p.records.empty
    # The project's date_format settles them.
    rules = Rules(date_format="%d/%m/%Y %H:%M:%S")
    p = _prepare(es.write_acled_export(tmp_path, ambiguous_dates=True), rules=rules)
    assert len(p.records) == 20
    assert any("read with the date_format '%d/%m/%Y %H:%M:%S'" in n for n in p.notes)


@pytest.mark.parametrize("hxl", [True, False])
def test_a_ucdp_ged_file_from_hdx_builds_with_or_without_its_hxl_row(tmp_path, hxl):
    p = _prepare(es.write_ucdp_ged(tmp_path, hxl=hxl))
    assert p.preset.name == "ucdp-ged"
    assert (p.rows_read, len(p.records), p.rejected) == (15, 14, 1)
    rejected = _rejected(p)
    assert rejected["202401"][0] == "latitude"  # where_prec 7, 96.7 km out at sea
    assert "lies in no unit" in rejected["202401"][1] and "96.7 km" in rejected["202401"][1]
    position = [r["id"] for r in es.ucdp_rows()].index("202401")
    assert p.rejects["row"].tolist() == [position + (3 if hxl else 2)]  # the HXL row is row 2
    by_id = p.records.set_index("record_id")
    assert (by_id["date_start"].min(), by_id["date_end"].max()) == (
        pd.Timestamp("2014-01-22").date(), pd.Timestamp("2022-09-12").date())  # fmt: skip
    country = by_id.loc["202790"]  # where_prec 6: the country, whatever oblast its point is in
    assert (country["unit_level"], country["unit_code"], country["precision"]) == (
        "admin0", "UKR", "admin0")  # fmt: skip
    for record_id, row in by_id[by_id["unit_level"] == "admin1"].iterrows():
        named = row["unit_resolved_by"]
        # "Kiev oblast" for Irpin, inside the embedded Kiev City unit: the name is kept.
        if record_id not in es.UCDP_TRAITS["kyiv_oblast_in_city_unit"]:
            assert es.EXPECTED_UNITS[record_id] == row["unit_code"], (record_id, named)
    assert by_id.loc["201950", "unit_code"] == "UA-32"
    assert collections.Counter(by_id["unit_code"]) == {
        "UA-14": 6, "UA-63": 2, "UA-32": 2, "UA-30": 1, "UA-09": 1, "UA-51": 1, "UKR": 1,
    }  # fmt: skip
    assert by_id["killed"].sum() == sum(int(r["best"]) for r in es.ucdp_rows()) - int(
        next(r["best"] for r in es.ucdp_rows() if r["id"] == "202401")
    )


def _kyiv_city_set(tmp_path, inherit):
    """A COD-AB-like set: the city is the unit "Kyiv" (UA80), the oblast "Kyivska" (UA32)."""
    units = embedded("admin1").frame
    shapes = units.set_index("code").loc[["UA-30", "UA-32", "UA-14", "UA-63", "UA-40", "UA-43"]]
    frame = gpd.GeoDataFrame(
        {"ADM1_PCODE": ["UA80", "UA32", "UA14", "UA63", "UA85", "UA01"],
         "ADM1_EN": ["Kyiv", "Kyivska", "Donetska", "Kharkivska", "Sevastopol",
                     "Avtonomna Respublika Krym"]},
        geometry=list(shapes.geometry), crs=4326,
    )  # fmt: skip
    path = tmp_path / "ukr_adm1.gpkg"
    frame.to_file(path, engine="pyogrio")
    bset, _report = load_boundaries(
        path,
        level="admin1",
        code_field="ADM1_PCODE",
        name_fields=["ADM1_EN"],
        country="UKR",
        inherit=inherit,
    )
    return bset


def test_acled_kyiv_goes_to_the_oblast_by_its_points_where_kyiv_is_the_city(tmp_path):
    # The file's own names only: "Kyiv" is the city's name; the oblast is "Kyivska".
    bset = _kyiv_city_set(tmp_path, inherit=False)
    p = layers.prepare(layers.read(es.write_acled_export(tmp_path), "incidents"),
                       boundary_set=bset)  # fmt: skip
    by_id = p.records.set_index("record_id")
    bucha, *farther = es.ACLED_TRAITS["kyiv_oblast"]
    # Bucha lies 0.4 km outside the (generalised) city: within the tolerance the name is kept,
    # and the unit its point lies in is listed with the distance.
    row = by_id.loc[bucha]
    assert (row["unit_code"], row["point_name_other_unit"]) == ("UA80", "UA32")
    assert row["point_name_distance_km"] < 1
    for record_id in farther:  # Borodianka, Makariv
        row = by_id.loc[record_id]
        assert (row["unit_code"], row["unit_resolved_by"]) == ("UA32", "point overrode name")
        assert row["point_name_other_unit"] == "UA80"  # the unit the name alone gives
        assert row["point_name_distance_km"] > 5
    city = by_id.loc[es.ACLED_TRAITS["kyiv_city"][0]]
    assert city["unit_code"] == "UA80"
    listing = record_listing("events", p).set_index("record_id")
    assert listing.loc["UKR30987", "unit_resolved_by"] == "point overrode name"
    assert listing.loc["UKR30987", "point_name_other_unit"] == "UA80"


def test_with_inherited_names_kyiv_is_ambiguous_on_a_user_set_as_on_the_embedded_one(tmp_path):
    # The units are Natural Earth's: "Kyiv" also names the oblast (Natural Earth's "Kiev"),
    # so it is ambiguous here as on the embedded set, and every point settles its unit.
    bset = _kyiv_city_set(tmp_path, inherit=True)
    p = layers.prepare(layers.read(es.write_acled_export(tmp_path), "incidents"),
                       boundary_set=bset)  # fmt: skip
    by_id = p.records.set_index("record_id")
    for record_id in es.ACLED_TRAITS["kyiv_oblast"]:
        assert tuple(by_id.loc[record_id, ["unit_code", "unit_resolved_by"]]) == (
            "UA32", "location")  # fmt: skip
    assert by_id.loc[es.ACLED_TRAITS["kyiv_city"][0], "unit_code"] == "UA80"
    # ACLED's "Donetsk" and "Kharkiv" meet COD's "Donetska" and "Kharkivska" through the
    # inherited names; "Crimea" with its point in Sevastopol goes to Sevastopol (UA85).
    assert by_id.loc["UKR43231", "unit_code"] == "UA85"
    assert {by_id.loc[i, "unit_code"] for i in ("UKR36207", "UKR66977")} == {"UA14"}


def test_a_point_only_record_at_sea_takes_the_nearest_unit_within_12_nautical_miles(tmp_path):
    base = {"country": "UKR", "record_type": "event", "event_type": "casualty",
            "hazard_type": "unknown", "source": "test"}  # fmt: skip
    rows = [
        {**base, "record_id": "near", "latitude": "46.3", "longitude": "30.9"},  # 14.5 km out
        {**base, "record_id": "far", "latitude": "45.5", "longitude": "31.5"},  # 77 km out
    ]
    p = _prepare(write_csv(tmp_path / "sea.csv", rows))
    near = p.records.set_index("record_id").loc["near"]
    assert (near["unit_code"], near["unit_resolved_by"]) == ("UA-51", "point at sea")
    assert 14 < near["point_name_distance_km"] < 15
    ((field, reason),) = _rejected(p).values()
    assert field == "latitude" and "UA-43 (Crimea), is 77.4 km away" in reason


def _project(folder, text):
    path = folder / "project.toml"
    path.write_text(text, encoding="utf-8")
    return prepare_project(load_project(path))


def test_overlapping_downloads_merge_with_duplicates_said_once(tmp_path):
    first, second = es.write_acled_downloads(tmp_path)
    done = _project(tmp_path, f"""
[[layers]]
name = "events"
kind = "incidents"
path = ["{first.name}", "{second.name}"]
dedupe_on = ["record_id"]
""")  # fmt: skip
    p = done.layers["events"]
    rows_in = sum(len(pd.read_csv(f, dtype=str)) for f in (first, second))
    assert p.rows_read == rows_in == len(p.records) + p.rejected + p.duplicates
    # UKR62044, far out at sea, is rejected in both files: a reject of each, no duplicate.
    accepted_twice = set(es.ACLED_OVERLAP) - set(ACLED_REJECTED)
    assert p.duplicates == len(accepted_twice) == 3
    assert (p.rejects["record_id"] == "UKR62044").sum() == 2
    said = [n for n in p.notes if n.startswith("dedupe_on")]
    assert len(said) == 1, p.notes  # once, with the count, not one line per row
    assert "3 record(s) repeat an earlier record" in said[0]
    assert "1 of them differ in other fields (e.g. UKR60912: killed '1' -> '2'" in said[0]
    assert p.records["record_id"].is_unique
    assert set(p.records["file"].astype(str)) == {first.name, second.name}
    kept = p.records.set_index("record_id").loc["UKR60912"]
    assert kept["file"] == first.name and kept["killed"] == 1  # the first file's, as said


def test_without_dedupe_on_a_repeated_id_is_a_reject_naming_both_files(tmp_path):
    first, second = es.write_acled_downloads(tmp_path)
    done = _project(tmp_path, f"""
[[layers]]
name = "events"
kind = "incidents"
path = ["{first.name}", "{second.name}"]
""")  # fmt: skip
    p = done.layers["events"]
    repeats = p.rejects[p.rejects["reason"].str.startswith("the record_id is also that of row")]
    assert sorted(repeats["record_id"]) == sorted(
        set(es.ACLED_OVERLAP) - set(_rejected(_prepare(first)))
    )
    assert set(repeats["file"]) == {second.name}
    assert repeats["reason"].str.endswith(f"of {first.name}").all()


def test_where_filters_and_value_maps_of_a_project(tmp_path):
    path = es.write_acled_export(tmp_path)
    done = _project(tmp_path, f"""
[[layers]]
name = "mines"
kind = "incidents"
path = "{path.name}"
where = {{ sub_event_type = "Remote explosive/landmine/IED" }}
values = {{ event_type = {{ "Remote explosive/landmine/IED" = "reported_use" }} }}
""")  # fmt: skip
    p = done.layers["mines"]
    mines = [r for r in es.acled_rows() if r["sub_event_type"] == "Remote explosive/landmine/IED"]
    assert p.left_out == 26 - len(mines)
    assert p.rows_read == len(mines) == len(p.records) + p.rejected
    assert set(p.records["event_type"]) == {"reported_use"}  # the project's map wins
    assert any(n.startswith(f"where sub_event_type = 'Remote explosive/landmine/IED': "
                            f"{len(mines)} of 26 row(s) kept") for n in p.notes)  # fmt: skip
    assert p.counts().startswith(f"26 rows read, {26 - len(mines)} left out by the where filter")


def test_format_none_reads_the_file_plainly_and_a_user_preset_can_be_added(tmp_path):
    path = es.write_acled_export(tmp_path)
    with pytest.raises(RecordError, match="two columns could hold 'place'"):
        layers.read(path, "incidents", rules=Rules(format="none"))
    (tmp_path / "mine.toml").write_text(
        'name = "acled-mines"\nrecognise = ["event_id_cnty", "sub_event_type"]\n'
        '[columns]\nrecord_id = "event_id_cnty"\nplace = "admin1"\ncountry = "country"\n'
        'date_start = "event_date"\nlatitude = "latitude"\nlongitude = "longitude"\n'
        '[constants]\nrecord_type = "event"\nevent_type = "casualty"\nhazard_type = "mines"\n'
        'source = "ACLED"\n',
        encoding="utf-8",
    )
    done = _project(tmp_path, f"""
presets = ["mine.toml"]
[[layers]]
name = "events"
kind = "incidents"
path = "{path.name}"
""")  # fmt: skip
    p = done.layers["events"]
    assert p.preset.name == "acled-mines"  # the project's own preset is tried first
    assert set(p.records["hazard_type"]) == {"mines"}


def test_a_build_lists_every_accepted_record_and_credits_the_source(tmp_path):
    from maps.build import build_project

    path = es.write_acled_export(tmp_path)
    (tmp_path / "project.toml").write_text(
        f'title = "ACLED events"\n[[layers]]\nname = "events"\nkind = "incidents"\n'
        f'path = "{path.name}"\n',
        encoding="utf-8",
    )
    build_project(tmp_path / "project.toml", tmp_path / "out")
    listing = pd.read_csv(tmp_path / "out" / "records.csv", dtype=str)
    rejects = pd.read_csv(tmp_path / "out" / "rejects.csv", dtype=str)
    ids = [r["event_id_cnty"] for r in es.acled_rows()]
    # Rows in = accepted + rejected, and records.csv covers every accepted row.
    assert sorted(listing["record_id"]) == sorted(set(ids) - set(ACLED_REJECTED))
    assert sorted(rejects["record_id"].unique()) == sorted(ACLED_REJECTED)
    assert set(listing["file"]) == {path.name}
    row = listing.set_index("record_id").loc["UKR43231"]
    assert (row["unit_code"], row["unit_resolved_by"], row["point_name_other_unit"]) == (
        "UA-40", "point overrode name", "UA-43")  # fmt: skip
    assert row["source_precision"].startswith("ACLED geo_precision")
    page = (tmp_path / "out" / "events.html").read_text(encoding="utf-8")
    assert "ACLED, Armed Conflict Location &amp; Event Data (acleddata.com)" in page
    assert "sub_event_type (as the source writes it)" in page
    assert "Remote explosive/landmine/IED" in page


def test_check_prints_point_and_place_disagreements_by_rule(tmp_path, capsys):
    from maps.cli import main

    path = es.write_acled_export(tmp_path)
    status = main(["check", "--kind", "incidents", "--rejects", str(tmp_path / "r.csv"),
                   str(path)])  # fmt: skip
    out = capsys.readouterr().out
    assert status == 1  # rows were rejected
    assert "26 rows read, 20 accepted, 6 rejected" in out
    assert ("1 x point and place disagreed: the point overrode the name (the name fits the "
            "point's unit too)") in out  # fmt: skip
    assert (
        "x point and place disagreed: the point lies outside the named unit, within 5.0 km" in out
    )
    assert "note: recognised as ACLED export" in out


def test_a_project_may_flag_rather_than_reject_points_far_from_their_unit(tmp_path):
    path = es.write_acled_export(tmp_path)
    done = _project(tmp_path, f"""
[[layers]]
name = "events"
kind = "incidents"
path = "{path.name}"
point_place = "flag"
""")  # fmt: skip
    p = done.layers["events"]
    by_id = p.records.set_index("record_id")
    # The point 37 km inside Donetsk oblast, and the one across the border: kept, listed.
    slip = by_id.loc["UKR50288"]
    assert (slip["unit_code"], slip["point_name_other_unit"]) == ("UA-63", "UA-14")
    assert slip["unit_resolved_by"] == "name; point elsewhere (flagged)"
    assert round(slip["point_name_distance_km"], 1) == 37.2
    across = by_id.loc["UKR47720"]
    assert (across["unit_code"], across["point_name_other_unit"]) == ("UA-63", "RU-BEL")
    assert set(_rejected(p)) == set(ACLED_REJECTED) - {"UKR50288", "UKR47720"}
    from layers.check import disagreements

    assert ("the point lies far from the named unit: flagged, the name kept (point_place = flag)",
            2) in disagreements(p.records)  # fmt: skip


def test_incident_summaries_list_units_without_events_as_zero(tmp_path):
    from layers import kinds

    p = _prepare(es.write_acled_export(tmp_path))
    table = kinds.get("incidents").summarise(p.records, "admin1").table.set_index("unit")
    ukraine = [c for c in embedded("admin1").codes if embedded("admin1").unit_country(c) == "UKR"]
    assert sorted(table.index) == sorted(ukraine)
    assert table.loc["UA-14", "events"] == 2 and table.loc["UA-07", "events"] == 0
    assert table["events"].sum() == len(p.records)
    assert table["killed_in_events"].sum() == p.records["killed"].sum()


def test_an_hdx_file_with_hashtags_reads_by_the_hxl_preset(tmp_path):
    from layers.mapping import ColumnMapping

    path = tmp_path / "hdx_incidents.csv"
    path.write_text(
        "Incident,Country,Oblast,Date,Deaths,lat,lon\n"
        "#event+code,#country+name,#adm1+name,#date+occurred,#affected+dead,,\n"
        "HDX-1,Ukraine,Kharkivska,2023-05-02,2,49.99,36.23\n"
        "HDX-2,Ukraine,Donetska,2023-05-03,0,48.0,37.8\n",
        encoding="utf-8",
    )
    constants = {"event_type": "casualty", "hazard_type": "unknown", "source": "HDX extract"}
    p = _prepare(path, mapping=ColumnMapping(constants=constants))
    assert p.preset.name == "hxl"
    assert p.rejects.empty, p.rejects.to_dict("records")
    by_id = p.records.set_index("record_id")
    assert by_id.loc["HDX-1", ["country", "unit_code", "killed"]].tolist() == ["UKR", "UA-63", 2]
    assert by_id.loc["HDX-2", "unit_code"] == "UA-14"
    assert p.mapping["latitude"] == "column 'lat'"  # untagged columns still found by name


def test_summaries_say_which_source_column_the_counts_are(tmp_path):
    from layers.pipeline import summaries

    path = es.write_acled_export(tmp_path)
    done = _project(tmp_path, f'[[layers]]\nname = "e"\nkind = "incidents"\npath = "{path.name}"\n')
    item = summaries(done)[("e", "admin1")]
    assert (
        "Counts as the source calls them: killed = ACLED export or API download's "
        "'fatalities'." in item.notes
    )


def test_the_legend_says_the_points_are_the_source_s(tmp_path):
    from maps.incident_view import incidents_map

    p = _prepare(es.write_acled_export(tmp_path))
    page = incidents_map(p.records).get_root().render()
    assert "Small solid circles: the source&#x27;s coordinates of a place" in page
    assert "a settlement (GeoNames)" not in page
