"""Many point records: compact packing, exact round trip, and when the incidents map uses it."""

from __future__ import annotations

import datetime as dt
import json
import re

import numpy as np
import pytest

import layers
from layers.periods import period_label
from maps import incident_view
from maps.pointcloud import SCALE, Dates, Field, FieldRoles, PointCloud, pack, unpack
from maps.safehtml import plain_text
from maps.views import render
from tests.test_hostile_text import HOSTILE


def _points(n: int, seed: int = 3):
    rng = np.random.default_rng(seed)
    lon = rng.uniform(22, 40, n)
    lat = rng.uniform(44, 52, n)
    years = rng.integers(2014, 2026, n).astype(str)
    return lon, lat, years


def test_round_trip_keeps_every_point_and_field_value():
    lon, lat, years = _points(5000)
    ids = [f"ID-{i}" for i in range(len(lon))]
    meta, block = pack(lon, lat, [Field("Record", ids), Field("Year", years)])
    back_lon, back_lat, (back_ids, back_years) = unpack(meta, block)
    original = dict(
        zip(ids, zip(np.round(lon * SCALE), np.round(lat * SCALE), years, strict=True), strict=True)
    )
    assert len(back_ids) == len(set(back_ids)) == len(ids)
    for i, rid in enumerate(back_ids):
        x, y, year = original[rid]
        assert round(back_lon[i] * SCALE) == x and round(back_lat[i] * SCALE) == y
        assert back_years[i] == year


CORPUS = [
    HOSTILE,
    "</script><script>window.__pwned=6</script>",
    "<!--",
    "line\u2028separator",
    "quote \" and ' and \\",
    "Донецьк",
    "",
]


def test_hostile_text_survives_packing_unchanged():
    lon, lat, _ = _points(len(CORPUS))
    meta, block = pack(lon, lat, [Field("Place", CORPUS)])
    # Written as text, never parsed as HTML; bidi overrides are made visible.
    assert sorted(unpack(meta, block)[2][0]) == sorted(plain_text(t) for t in CORPUS)
    # The block is base64: nothing in it can close a script or start markup.
    assert re.fullmatch(r"[A-Za-z0-9+/=]*", block)


def test_packing_is_compact_and_deterministic():
    lon, lat, years = _points(100_000)
    fields = [Field("Year", years), Field("Record", [f"R{i:06d}" for i in range(len(lon))])]
    meta, block = pack(lon, lat, fields)
    assert pack(lon, lat, fields) == (meta, block)
    # [[lat, lon], ...] in JSON with full precision (what folium writes) is about 38 bytes a point.
    as_json = len(json.dumps(np.column_stack([lat, lon]).tolist()))
    assert len(block) < as_json / 3
    assert meta["fields"][0]["width"] == 1 and meta["fields"][1]["width"] == 4


def test_bad_points_and_field_lengths_are_refused():
    with pytest.raises(ValueError, match=r"1 point\(s\) have no valid coordinates, e.g. record 1"):
        pack([30.0, np.nan], [50.0, 50.0], [])
    with pytest.raises(ValueError, match="field 'Year': 1 values for 2 points"):
        pack([30.0, 31.0], [50.0, 50.0], [Field("Year", ["2020"])])
    with pytest.raises(ValueError, match="field index 3 is not one of the 1 fields"):
        PointCloud(
            [30.0],
            [50.0],
            [Field("Year", ["2020"])],
            name="x",
            roles=FieldRoles(tooltip_fields=[3], popup_fields=[0]),
        )


@pytest.fixture(scope="module")
def incidents():
    return layers.prepare(layers.default("incidents")).records


def test_small_layers_keep_one_marker_per_record(incidents):
    html = render(incident_view.incidents_map(incidents))
    assert "minemapPoints.layer(" not in html
    assert "L.markerClusterGroup(" in html


def test_layers_above_the_limit_are_drawn_from_columns(incidents, monkeypatch):
    monkeypatch.setattr(incident_view, "MARKER_LIMIT", 10)
    html = render(incident_view.incidents_map(incidents))
    events = int(incidents["record_type"].eq("event").sum())
    assert f'"n":{events}' in html
    assert "minemapPoints.years(" in html and "minemapPoints.heat(" in html
    # No per-record HTML is written for the canvas layers: popups are built as text.
    for place in incidents.loc[incidents["record_type"].eq("event"), "place"]:
        assert f"<b>{place}</b>" not in html
    assert "supercluster" in html.lower()


def test_dates_travel_as_day_numbers_and_read_as_periods():
    d = dt.date
    periods = [
        (d(2018, 1, 1), d(2018, 12, 31), ""),  # a whole year
        (d(1994, 1, 1), d(2016, 12, 31), ""),  # whole years
        (d(2024, 4, 4), d(2024, 4, 4), ""),  # one day
        (d(2017, 1, 1), d(2017, 1, 31), ""),  # a month
        (d(1899, 12, 30), d(1900, 1, 2), ""),  # before the epochs of common libraries
        (None, d(2009, 10, 5), "5 October 2009"),  # no start: the text as written
        (None, None, "previously (date not stated)"),
    ]
    start, end, fallback = (list(c) for c in zip(*periods, strict=True))
    lon, lat, _ = _points(len(periods))
    ids = [str(i) for i in range(len(periods))]
    meta, block = pack(lon, lat, [Field("id", ids), Dates("Date", start, end, fallback)])
    _, _, (back_ids, texts) = unpack(meta, block)
    expected = [period_label({"date_start": a, "date_end": b}) or f for a, b, f in periods]
    assert dict(zip(back_ids, texts, strict=True)) == dict(zip(ids, expected, strict=True))
    assert expected[:4] == ["2018", "1994–2016", "2024-04-04", "2017-01-01 – 2017-01-31"]
    with pytest.raises(ValueError, match="ends before it starts"):
        pack([30.0], [50.0], [Dates("Date", [d(2020, 5, 1)], [d(2020, 4, 1)], [""])])


def test_year_filter_needs_a_dates_field():
    with pytest.raises(ValueError, match="year_field 0 is not a Dates field"):
        PointCloud(
            [30.0],
            [50.0],
            [Field("Year", ["2020"])],
            name="x",
            roles=FieldRoles(tooltip_fields=[0], popup_fields=[0], year_field=0),
        )
