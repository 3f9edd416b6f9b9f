"""The conflict-event fixtures (tests/event_sources.py) hold what they promise."""

from __future__ import annotations

import csv
import json
import re
from datetime import date

import pytest
import shapely

from tests import event_sources as ev

ACLED_PAIRS = {
    ("Political violence", "Explosions/Remote violence", "Remote explosive/landmine/IED"),
    ("Political violence", "Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ("Political violence", "Battles", "Armed clash"),
    ("Demonstrations", "Protests", "Peaceful protest"),
}


def read(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def test_acled_rows():
    rows = ev.acled_rows()
    ids = [r["event_id_cnty"] for r in rows]
    assert len(ev.ACLED_COLUMNS) == len(set(ev.ACLED_COLUMNS)) == 31
    assert len(set(ids)) == len(ids) >= 24
    assert all(re.fullmatch(r"UKR\d{5}", i) for i in ids)
    assert all(list(r) == ev.ACLED_COLUMNS for r in rows)
    assert all(isinstance(v, str) for r in rows for v in r.values())
    assert [r["event_date"] for r in rows] == sorted((r["event_date"] for r in rows), reverse=True)
    for r in rows:
        assert (r["disorder_type"], r["event_type"], r["sub_event_type"]) in ACLED_PAIRS
        assert r["iso"] == "804" and r["country"] == "Ukraine"
        assert 0 <= int(r["fatalities"]) <= 3
        assert r["geo_precision"] in {"1", "2", "3"}
        assert re.fullmatch(r"-?\d+\.\d{4}", r["latitude"])
        assert re.fullmatch(r"-?\d+\.\d{4}", r["longitude"])
        day = date.fromisoformat(r["event_date"])
        assert r["year"] == str(day.year)
        assert r["notes"].startswith(f"On {day.day} {ev._MONTHS[day.month - 1]} {day.year}, ")
    kinds = [r["sub_event_type"] for r in rows]
    assert kinds.count("Remote explosive/landmine/IED") > len(rows) / 2
    for trait, trait_ids in ev.ACLED_TRAITS.items():
        assert trait_ids and set(trait_ids) <= set(ids), trait
    protests = [r["event_id_cnty"] for r in rows if r["event_type"] == "Protests"]
    assert sorted(protests) == sorted(ev.ACLED_TRAITS["protest"])


@pytest.mark.parametrize(
    ("style", "pattern"),
    [
        ("iso", r"\d{4}-\d{2}-\d{2}"),
        ("dmy_time", r"\d{2}/\d{2}/\d{4} 00:00:00"),
        ("long", r"\d{2} [A-Z][a-z]+ \d{4}"),
    ],
)
def test_acled_export(tmp_path, style, pattern):
    path = ev.write_acled_export(tmp_path, date_style=style)
    raw = path.read_bytes()
    assert raw.count(b"\r\n") == len(ev.acled_rows()) + 1
    assert b'""petal""' in raw  # a double quote in notes, doubled inside a quoted cell
    table = read(path)
    assert table[0] == ev.ACLED_COLUMNS
    dates = [row[1] for row in table[1:]]
    assert all(re.fullmatch(pattern, d) for d in dates)
    assert any(date.fromisoformat(r["event_date"]).day > 12 for r in ev.acled_rows())

    ambiguous = read(ev.write_acled_export(tmp_path, date_style=style, ambiguous_dates=True))
    iso = read(ev.write_acled_export(tmp_path, date_style="iso", ambiguous_dates=True))
    assert all(date.fromisoformat(row[1]).day <= 12 for row in iso[1:])
    for row in iso[1:]:
        day = date.fromisoformat(row[1])
        assert row[27].startswith(f"On {day.day} {ev._MONTHS[day.month - 1]} {day.year}, ")
    assert len(ambiguous) == len(table)


def test_acled_export_reads_with_pandas(tmp_path):
    pd = pytest.importorskip("pandas")
    frame = pd.read_csv(ev.write_acled_export(tmp_path), dtype=str, keep_default_na=False)
    assert frame.columns.tolist() == ev.ACLED_COLUMNS
    assert frame["notes"].tolist() == [r["notes"] for r in ev.acled_rows()]


def test_acled_downloads(tmp_path):
    first, second = ev.write_acled_downloads(tmp_path)
    a = {row[0]: row for row in read(first)[1:]}
    b = {row[0]: row for row in read(second)[1:]}
    assert sorted(set(a) & set(b)) == sorted(ev.ACLED_OVERLAP)
    assert set(a) | set(b) == {r["event_id_cnty"] for r in ev.acled_rows()}
    (revised,) = ev.ACLED_TRAITS["duplicate_update"]
    col = ev.ACLED_COLUMNS.index
    for event_id in ev.ACLED_OVERLAP:
        if event_id == revised:
            assert a[event_id][col("fatalities")] != b[event_id][col("fatalities")]
            assert int(b[event_id][col("timestamp")]) > int(a[event_id][col("timestamp")])
        else:
            assert a[event_id] == b[event_id]


def test_acled_api_json(tmp_path):
    path = ev.write_acled_api_json(tmp_path)
    text = path.read_text(encoding="utf-8")
    assert "Explosions\\/Remote violence" in text
    response = json.loads(text)
    assert list(response) == [
        "status",
        "success",
        "last_update",
        "count",
        "messages",
        "data",
        "filename",
    ]
    assert response["status"] == 200 and response["success"] is True
    assert response["count"] == len(response["data"]) == len(ev.acled_rows())
    assert response["data"] == ev.acled_rows()


def test_ucdp(tmp_path):
    assert len(ev.UCDP_GED_COLUMNS) == 49 and len(ev.UCDP_COLUMNS) == 50
    assert ev.UCDP_COLUMNS[ev.UCDP_COLUMNS.index("country") + 1] == "iso3"
    rows = ev.ucdp_rows()
    ids = [r["id"] for r in rows]
    assert len(set(ids)) == len(ids) >= 15
    for r in rows:
        assert list(r) == ev.UCDP_COLUMNS
        deaths = [int(r[c]) for c in ("deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown")]
        assert int(r["low"]) <= int(r["best"]) == sum(deaths) <= int(r["high"])
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2} 00:00:00\.000", r["date_start"])
        lon, lat = map(float, r["geom_wkt"][7:-1].split())
        assert (lat, lon) == (float(r["latitude"]), float(r["longitude"]))
        assert r["country_id"] == "369" and r["region"] == "Europe"
        assert (r["adm_1"] == "") == (r["where_prec"] in {"6", "7"})
    for trait, trait_ids in ev.UCDP_TRAITS.items():
        assert trait_ids and set(trait_ids) <= set(ids), trait
    # PRIO-GRID numbering, checked on a row of HDX's own test fixture (Bangladesh).
    assert ev._priogrid(22.488976, 90.062732) == "161821"

    tagged = read(ev.write_ucdp_ged(tmp_path))
    assert tagged[0] == ev.UCDP_COLUMNS
    tags = dict(zip(tagged[0], tagged[1], strict=True))
    assert {c: t for c, t in tags.items() if t} == ev.UCDP_HXL
    assert len(ev.UCDP_HXL) == 16
    plain = read(ev.write_ucdp_ged(tmp_path, hxl=False, name="plain.csv"))
    assert plain[0] == tagged[0] and plain[1:] == tagged[2:]
    assert plain[1][0] == rows[0]["id"]


def test_expected_units_match_the_embedded_boundaries():
    from geo.boundary_sets import embedded

    units = embedded("admin1")
    points = {r["event_id_cnty"]: (r["latitude"], r["longitude"]) for r in ev.acled_rows()}
    points |= {r["id"]: (r["latitude"], r["longitude"]) for r in ev.ucdp_rows()}
    assert set(ev.EXPECTED_UNITS) == set(points)
    at = {k: shapely.Point(float(lon), float(lat)) for k, (lat, lon) in points.items()}
    found = units.units_at(list(at.values()))
    assert {k: u or "" for k, u in zip(at, found, strict=True)} == ev.EXPECTED_UNITS

    (slip,) = ev.ACLED_TRAITS["neighbour_40km"]
    assert ev.EXPECTED_UNITS[slip] == "UA-14"
    assert 30 < units.distance_km("UA-63", at[slip]) < 50
    for event_id in ev.ACLED_TRAITS["sea_far"] + ev.UCDP_TRAITS["sea"]:
        near = units.frame[units.frame.intersects(at[event_id].buffer(3))]["code"].unique()
        assert len(near) and min(units.distance_km(c, at[event_id]) for c in near) > 30
    (coast,) = ev.ACLED_TRAITS["sea_near_coast"]
    assert ev.EXPECTED_UNITS[coast] == "" and units.distance_km("UA-51", at[coast]) < 22
    (sevastopol,) = ev.ACLED_TRAITS["crimea_sevastopol"]
    assert units.covers("UA-40", at[sevastopol])
    assert ev.EXPECTED_UNITS[ev.ACLED_TRAITS["other_country"][0]] == "RU-BEL"
