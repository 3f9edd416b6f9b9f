"""The boundary-file fixtures (tests/boundary_sources.py) and geo/data/ukr_codes.csv hold."""

from __future__ import annotations

import csv
import json
import re
from importlib.resources import files

import pyogrio
import pytest
import shapely
from rapidfuzz.distance import Levenshtein

from geo.boundary_sets import embedded
from tests import boundary_sources as bs

CROSSWALK_COLUMNS = ["iso_3166_2", "cod_pcode", "katottg", "name_en", "name_uk", "natural_earth"]
#: The five units whose COD p-code (from KOATUU) differs in number from ISO 3166-2.
ISO_TO_PCODE_DIFFERENT = {
    "UA-09": "UA44", "UA-30": "UA80", "UA-40": "UA85", "UA-43": "UA01", "UA-77": "UA73",
}  # fmt: skip


def crosswalk():
    with files("geo").joinpath("data/ukr_codes.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def read(path, **kw):
    target = f"zip://{path}" if path.suffix == ".zip" else path
    return pyogrio.read_dataframe(target, **kw)


def dbf_text(dbf, encoding):
    """Decode the records of a .dbf (everything after its header) with ``encoding``."""
    raw = dbf.read_bytes()
    return raw[int.from_bytes(raw[8:10], "little") :].decode(encoding)


# --------------------------------------------------------------------------- crosswalk


def test_crosswalk_has_27_units_with_unique_codes():
    rows = crosswalk()
    assert list(rows[0]) == CROSSWALK_COLUMNS
    assert len(rows) == 27
    for column in CROSSWALK_COLUMNS:
        assert len({r[column] for r in rows}) == 27, column
    assert all(r[c] for r in rows for c in CROSSWALK_COLUMNS), "no cell is empty"
    different = {
        r["iso_3166_2"]: r["cod_pcode"] for r in rows if r["iso_3166_2"][3:] != r["cod_pcode"][2:]
    }
    assert different == ISO_TO_PCODE_DIFFERENT
    for r in rows:
        # KATOTTG: UA, the first-level number (KOATUU's, as in the p-code), ten zeros, a 5-digit key.
        assert re.fullmatch(r"UA(\d\d)0{10}\d{5}", r["katottg"])[1] == r["cod_pcode"][2:]


def test_crosswalk_agrees_with_fixtures_and_embedded_units():
    rows = {r["iso_3166_2"]: r for r in crosswalk()}
    for u in bs.UKR_UNITS:
        r = rows[u.iso]
        assert (r["cod_pcode"], r["katottg"], r["name_en"], r["name_uk"], r["natural_earth"]) == (
            u.pcode, u.katottg, u.name_en, u.name_uk, u.natural_earth
        )  # fmt: skip
    frame = embedded("admin1").frame.set_index("code")
    for r in rows.values():
        assert frame.loc[r["natural_earth"], "country"] == "UKR"


# --------------------------------------------------------------------------- COD-AB


@pytest.mark.parametrize("fmt", ["gpkg", "shp", "shpzip", "geojson"])
def test_cod_ukr_has_the_cod_layout(tmp_path, fmt):
    path = bs.write_cod_ukr(tmp_path, fmt=fmt)
    frame = read(path)
    assert list(frame.columns) == [*bs.COD_COLUMNS, "geometry"]
    assert len(frame) == 27
    assert frame["ADM1_PCODE"].is_unique and frame["ADM1_EN"].is_unique
    assert set(frame["ADM1_PCODE"]) == {u.pcode for u in bs.UKR_UNITS}
    assert frame["ADM1_PCODE"].tolist() == sorted(frame["ADM1_PCODE"])
    assert set(frame["ADM0_EN"]) == {"Ukraine"} and set(frame["ADM0_PCODE"]) == {"UA"}
    assert {str(d)[:10] for d in frame["date"]} == {"2021-11-09"}
    assert {str(d)[:10] for d in frame["validOn"]} == {"2022-01-14"}
    assert frame["validTo"].isna().all() and frame["ADM1_REF"].isna().all()
    crimea = frame.set_index("ADM1_PCODE").loc["UA01"]
    assert (crimea["ADM1_EN"], crimea["ADM1_UA"]) == (
        "Avtonomna Respublika Krym",
        "Автономна Республіка Крим",
    )
    assert shapely.is_valid(frame.geometry.values).all()
    assert frame["Shape_Area"].tolist() == pytest.approx(
        shapely.area(frame.geometry.values).tolist()
    )


def test_cod_ukr_options(tmp_path):
    for name in "abc":
        (tmp_path / name).mkdir()
    dup = read(bs.write_cod_ukr(tmp_path / "a", duplicate_name=True), read_geometry=False)
    assert len(dup) == 27 and dup["ADM1_PCODE"].is_unique
    assert sorted(dup.loc[dup["ADM1_EN"] == "Kyivska", "ADM1_PCODE"]) == ["UA32", "UA80"]
    small = read(bs.write_cod_ukr(tmp_path / "b", without_capital=True), read_geometry=False)
    assert len(small) == 26 and "UA80" not in set(small["ADM1_PCODE"])
    plain = read(
        bs.write_cod_ukr(tmp_path / "c", russian=False, fmt="geojson"), read_geometry=False
    )
    assert not [c for c in plain.columns if c.endswith("RU")]
    with pytest.raises(ValueError, match="Kyiv city"):
        bs.write_cod_ukr(tmp_path, duplicate_name=True, without_capital=True)
    with pytest.raises(ValueError, match="fmt"):
        bs.write_cod_ukr(tmp_path, fmt="kml")


def test_cod_ukr_is_byte_for_byte_repeatable(tmp_path):
    for fmt in ("gpkg", "shpzip"):
        a, b = tmp_path / f"{fmt}1", tmp_path / f"{fmt}2"
        a.mkdir(), b.mkdir()
        assert (
            bs.write_cod_ukr(a, fmt=fmt).read_bytes() == bs.write_cod_ukr(b, fmt=fmt).read_bytes()
        )


# --------------------------------------------------------------------------- encodings


def test_utf8_shapefile_has_no_cpg_and_utf8_bytes(tmp_path):
    shp = bs.write_shapefile_utf8_no_cpg(tmp_path)
    assert shp.exists() and not shp.with_suffix(".cpg").exists()
    dbf = shp.with_suffix(".dbf")
    assert dbf.read_bytes()[29] == 0, "no code page in the .dbf header either"
    text = dbf_text(dbf, "utf-8")
    assert all(u.name_uk in text for u in bs.UKR_UNITS)
    assert "Вінницька" not in dbf_text(dbf, "latin-1")
    # What a reader that trusts the .dbf alone gets:
    assert "Вінницька" not in set(pyogrio.read_dataframe(shp, read_geometry=False)["ADM1_UA"])


def test_cp1251_shapefile_says_1251(tmp_path):
    shp = bs.write_shapefile_cp1251(tmp_path)
    assert shp.with_suffix(".cpg").read_bytes() == b"1251"
    dbf = shp.with_suffix(".dbf")
    with pytest.raises(UnicodeDecodeError):
        dbf_text(dbf, "utf-8")
    assert all(u.name_uk in dbf_text(dbf, "cp1251") for u in bs.UKR_UNITS)
    assert set(pyogrio.read_dataframe(shp, read_geometry=False)["ADM1_UA"]) == {
        u.name_uk for u in bs.UKR_UNITS
    }


# --------------------------------------------------------------------------- geoBoundaries


@pytest.mark.parametrize("names", ["local", "english"])
def test_geoboundaries_bih_adm2_has_12_units(tmp_path, names):
    path = bs.write_geoboundaries_bih_adm2(tmp_path, names=names)
    raw = json.loads(path.read_text(encoding="utf-8"))
    props = [f["properties"] for f in raw["features"]]
    assert len(props) == 12
    assert list(props[0]) == ["shapeName", "shapeISO", "shapeID", "shapeGroup", "shapeType"]
    assert [p["shapeName"] for p in props] == list(bs.BIH_ADM2_NAMES[names])
    assert {p["shapeISO"] for p in props} == {""}, "empty strings, not null"
    assert {(p["shapeGroup"], p["shapeType"]) for p in props} == {("BIH", "ADM2")}
    assert [p["shapeID"] for p in props] == [f"BIH-ADM2-3_0_0-B{n}" for n in range(1, 13)]
    geoms = read(path).geometry.values
    assert shapely.is_valid(geoms).all()
    union = shapely.union_all(geoms)
    assert sum(g.area for g in geoms) == pytest.approx(union.area, rel=1e-9), "no overlaps"
    a0 = embedded("admin0").frame
    bih = a0.loc[a0["code"] == "BIH"].geometry.iloc[0]
    assert union.symmetric_difference(bih).area < 1e-6 * bih.area


# --------------------------------------------------------------------------- ministry


def test_ministry_ukr_names_in_ukrainian_with_katottg(tmp_path):
    frame = read(bs.write_ministry_ukr(tmp_path), read_geometry=False)
    assert list(frame.columns) == ["name", "katottg", "category"]
    assert len(frame) == 27 and frame["name"].is_unique
    assert set(frame["katottg"]) == {r["katottg"] for r in crosswalk()}
    assert all(re.fullmatch(r"[А-ЯІЇЄҐа-яіїєґ'’. -]+", n) for n in frame["name"])
    types = frame["name"].str.extract(r"(область$|^м\. |^Автономна)")[0]
    assert types.value_counts().to_dict() == {"область": 24, "м. ": 2, "Автономна": 1}
    assert frame.loc[frame["category"] == "K", "name"].tolist() == ["м. Київ", "м. Севастополь"]


# --------------------------------------------------------------------------- typos


def test_ukr_typos_one_per_unit_within_two_edits():
    assert len(bs.UKR_TYPOS) == 27
    assert set(bs.UKR_TYPOS.values()) == {u.iso for u in bs.UKR_UNITS}
    names = {u.iso: {u.name_en, u.common_en} for u in bs.UKR_UNITS}
    for typo, iso in bs.UKR_TYPOS.items():
        base = bs.UKR_TYPO_SOURCES[typo]
        assert base in names[iso], typo
        assert 1 <= Levenshtein.distance(typo, base) <= 2, typo
        # The nearest name of any unit is the intended unit's, and no other unit ties.
        nearest = {i: min(Levenshtein.distance(typo, n) for n in ns) for i, ns in names.items()}
        best = min(nearest.values())
        assert [i for i, d in nearest.items() if d == best] == [iso], typo
