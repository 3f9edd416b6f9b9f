"""Unit resolution by column gives what resolving each record alone gives.

:func:`layers.join.resolve_units` resolves each distinct key once, tests the
points of named records in one call and looks up the rest in bulk. These tests
resolve the same records one at a time with the reference rules
(``_Resolver.record``) and compare every unit, method, reject and fuzzy match.
"""

from __future__ import annotations

import csv

import numpy as np
import pandas as pd
import pytest

import layers
from layers import join
from layers.frames import rows_of

INCIDENT_FIELDS = [
    "record_id", "place", "country", "unit_level", "unit_code", "record_type", "event_type",
    "hazard_type", "latitude", "longitude", "date_start", "date_end", "source",
]  # fmt: skip

# (place, country, unit_level, unit_code, latitude, longitude): each a different path.
CASES = [
    ("Kharkiv", "UKR", "", "", "49.99", "36.23"),  # name, point inside its unit
    ("Kharkiv", "UKR", "", "", "", ""),  # name, no point
    ("Kharkiv", "UKR", "", "", "48.02", "37.80"),  # name, point in another oblast
    ("Kharkiv", "UKR", "", "", "36.23", "49.99"),  # name, latitude and longitude swapped
    ("Kharkiv", "UKR", "", "", "55.75", "37.62"),  # name, point in another country
    ("Kharkov", "UKR", "", "", "49.99", "36.23"),  # an old spelling
    ("Kharkiw", "UKR", "", "", "49.99", "36.23"),  # a misspelling (fuzzy or refused)
    ("Izium", "UKR", "", "", "49.21", "37.26"),  # a settlement, its unit from the point
    ("Izium", "UKR", "", "", "", ""),  # a settlement without a point
    ("Nowhere Oblast", "UKR", "", "", "", ""),  # unknown, no point
    ("Vilniansk", "UKR", "", "", "47.94", "35.43"),  # a village: the point gives the unit
    ("Vilniansk", "UKR", "", "", "0.5", "0.5"),  # a point in no unit
    ("Vilniansk", "RUS", "", "", "47.94", "35.43"),  # a point in another country
    ("Kharkiv city", "UKR", "", "UA-63", "49.99", "36.23"),  # a code
    ("Kharkiv city", "UKR", "", "UA-63", "48.02", "37.80"),  # a code, point in another unit
    ("Somewhere", "UKR", "", "UA-99", "", ""),  # an unknown code
    ("Donetsk", "RUS", "", "", "48.02", "37.80"),  # a name of another country
    ("Chechnya", "RUS", "", "", "43.3", "45.7"),
    ("Chechnya", "RUS", "", "", "", ""),
    ("Russia", "RUS", "admin0", "RUS", "55.75", "37.62"),
    ("Ukraine", "UKR", "admin0", "", "50.45", "30.52"),
]


def _write(path, rows):
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(INCIDENT_FIELDS)
        for i, (place, country, level, code, lat, lon) in enumerate(rows):
            out.writerow([f"r{i}", place, country, level, code, "event", "casualty",
                          "ap_mines", lat, lon, "2023-06-01", "2023-06-01", "test"])  # fmt: skip
    return path


def _one_by_one(records: pd.DataFrame, path: str):
    """Resolve each record alone, with the reference rules."""
    resolver = join._Resolver(None, None, "latitude")
    out = join._Outcomes(len(records))
    for i, rec in enumerate(rows_of(records)):
        out.which[i] = out.add(resolver.record(rec))
    return join._assemble(records, path, out)


def _same(records: pd.DataFrame, path: str) -> None:
    got = join.resolve_units(records, path, point_field="latitude")
    want = _one_by_one(records, path)
    columns = ["record_id", "unit_code", "unit_resolved_by"]
    pd.testing.assert_frame_equal(got[0][columns], want[0][columns])
    if "geometry" in records.columns:
        assert got[0]["geometry"].tolist() == want[0]["geometry"].tolist()
    pd.testing.assert_frame_equal(got[1], want[1])
    assert got[2] == want[2]


def test_every_path_alone_and_repeated_in_shuffled_order(tmp_path):
    """Each case once, then each many times in random order: keys shared, points differing."""
    rng = np.random.default_rng(7)
    repeated = [CASES[i] for i in rng.integers(0, len(CASES), 400)]
    for name, rows in (("once.csv", CASES), ("many.csv", repeated)):
        layer = layers.read(_write(tmp_path / name, rows), "incidents")
        assert len(layer.records) == len(rows)
        _same(layer.records, layer.path)


def test_the_cases_take_different_paths(tmp_path):
    """The corpus reaches units, rejects on place, unit_code, latitude and geometry, and fuzzy."""
    layer = layers.read(_write(tmp_path / "once.csv", CASES), "incidents")
    kept, rejects, _fuzzy = join.resolve_units(layer.records, layer.path, point_field="latitude")
    assert {"name", "location", "code"} <= set(kept["unit_resolved_by"])
    assert {"place", "unit_code", "latitude", "geometry"} <= set(rejects["field"])


@pytest.mark.parametrize("kind", ["contamination", "clearance", "incidents", "stockpiles"])
def test_default_layers(kind):
    layer = layers.default(kind)
    _same(layer.records, layer.path)
