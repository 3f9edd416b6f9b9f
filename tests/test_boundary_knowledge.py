"""What minemap knows of units carries to the boundary sets users bring, and the level is theirs.

Fixtures (``tests/boundary_sources.py``) are built in code with the real traits
of COD-AB, geoBoundaries, ministry and shapefile exports; every outcome and
report line is pinned here.
"""

from __future__ import annotations

import pytest

import layers
from geo.errors import UnitNotFoundError
from geo.names import resolve
from geo.user_boundaries import load_boundaries
from tests import boundary_sources as bs
from tests._paths import write_csv

UKR = bs.UKR_UNITS
# A bare "Kyiv", right or wrong, names the city and the oblast alike (ambiguous on every set):
# the city's typo carries its kind word.
TYPOS = {("Kiyv City" if text == "Kyiiv" else text): iso for text, iso in bs.UKR_TYPOS.items()}
EVENT = {"country": "UKR", "record_type": "event", "event_type": "casualty",
         "hazard_type": "unknown", "source": "test"}  # fmt: skip


@pytest.fixture(scope="module")
def cod(tmp_path_factory):
    units, report = load_boundaries(bs.write_cod_ukr(tmp_path_factory.mktemp("cod")))
    return units, report


def _codes(written, boundaries=None):
    found = {}
    for text in written:
        try:
            found[text] = resolve(text, country="UKR", boundaries=boundaries).code
        except UnitNotFoundError as err:
            found[text] = f"refused: {err}"
    return found


@pytest.mark.parametrize("key", ["iso", "pcode", "katottg", "typo"])
def test_the_27_units_resolve_by_every_code_and_a_typo_on_the_embedded_set(key):
    written = dict(TYPOS) if key == "typo" else {getattr(u, key): u.iso for u in UKR}
    assert len(written) == 27
    assert _codes(written) == {text: iso for text, iso in written.items()}  # 27/27


@pytest.mark.parametrize("key", ["iso", "pcode", "katottg", "typo"])
def test_the_27_units_resolve_by_every_code_and_a_typo_on_a_cod_set(cod, key):
    units, _report = cod
    pcode = {u.iso: u.pcode for u in UKR}
    if key == "typo":
        written = {text: pcode[iso] for text, iso in TYPOS.items()}
    else:
        written = {getattr(u, key): u.pcode for u in UKR}
    assert _codes(written, units) == written  # 27/27


def test_a_cod_set_says_its_units_are_natural_earth_s(cod):
    units, report = cod
    assert report.notes[-1].startswith("27 of 27 units are units of Natural Earth 1:10m admin-1")
    assert units.unit_name("UA14") == "Donetska"
    # ACLED's and the embedded set's spellings meet COD's.
    assert _codes(["Donetsk", "Донецька область", "Kharkov", "Zaporizhia", "Crimea"], units) == {
        "Donetsk": "UA14", "Донецька область": "UA14", "Kharkov": "UA63",
        "Zaporizhia": "UA23", "Crimea": "UA01",
    }  # fmt: skip


def test_names_of_the_region_s_registers_resolve():
    # FIAS/KLADR and ministry forms: the adjective alone, abbreviated kind words.
    found = {n: resolve(n, country=c).code for n, c in [
        ("Кировская", "RUS"), ("Псковская", "RUS"), ("Тверская", "RUS"), ("Респ Адыгея", "RUS"),
        ("Ханты-Мансийский АО", "RUS"), ("г Москва", "RUS"), ("Донецька", "UKR"),
    ]}  # fmt: skip
    assert found == {"Кировская": "RU-KIR", "Псковская": "RU-PSK", "Тверская": "RU-TVE",
                     "Респ Адыгея": "RU-AD", "Ханты-Мансийский АО": "RU-KHM",
                     "г Москва": "RU-MOW", "Донецька": "UA-14"}  # fmt: skip


def test_a_typo_resolves_only_with_a_country_and_a_clear_margin():
    found = resolve("Vonyn", country="UKR")
    assert (found.code, found.method) == ("UA-07", "fuzzy")  # reported as a fuzzy match
    with pytest.raises(UnitNotFoundError):
        resolve("Vonyn")  # worldwide, a letter or two is no evidence


def test_a_city_is_never_joined_to_its_oblast_on_a_set_without_the_city(tmp_path):
    units, _report = load_boundaries(bs.write_cod_ukr(tmp_path, without_capital=True))
    for written in ("Kyiv City", "Kyiv-city", "м. Київ"):
        with pytest.raises(UnitNotFoundError, match="names a city, but the units in UKR of"):
            resolve(written, country="UKR", boundaries=units)


def test_a_utf8_dbf_without_cpg_is_read_as_utf8_and_said(tmp_path):
    units, report = load_boundaries(bs.write_shapefile_utf8_no_cpg(tmp_path), level="admin1",
                                    country="UKR")  # fmt: skip
    names = set(units.frame["ADM1_UA"])
    assert "Донецька" in {n.split(" ")[0] for n in names} or "Донецька область" in names
    said = [n for n in report.notes if n.startswith("text read as UTF-8: the shapefile has no")]
    assert len(said) == 1 and "were UTF-8 bytes (e.g. " in said[0]


def test_a_cp1251_dbf_with_its_cpg_is_read_as_the_cpg_says(tmp_path):
    units, report = load_boundaries(bs.write_shapefile_cp1251(tmp_path), level="admin1",
                                    country="UKR")  # fmt: skip
    assert any("Харків" in str(n) for n in units.frame["ADM1_UA"])
    assert any(n.startswith("text read as") and ".cpg file says" in n for n in report.notes)


def test_an_adm2_labelled_cantonal_set_is_used_at_its_level_and_never_left(tmp_path):
    path = bs.write_geoboundaries_bih_adm2(tmp_path)
    units, report = load_boundaries(path)
    assert units.level == "admin2"
    assert any(n.startswith("12 unit(s) have no shapeISO: their shapeID is their code")
               for n in report.notes)  # fmt: skip
    name = units.frame["name"].iloc[0]
    rows = [{**EVENT, "country": "BIH", "record_id": "plain", "place": name},
            {**EVENT, "country": "BIH", "record_id": "other", "place": name,
             "unit_level": "admin1"}]  # fmt: skip
    layer = layers.read(write_csv(tmp_path / "e.csv", rows), "incidents", default_level="admin2")
    p = layers.prepare(layer, boundary_set=units)
    assert p.records.set_index("record_id").loc["plain", "unit_code"] == units.frame["code"].iloc[0]
    (refused,) = p.rejects.itertuples()
    assert (refused.record_id, refused.field) == ("other", "unit_level")
    assert "the layer's boundaries" in refused.reason and "are admin2 units" in refused.reason
    # Told its level, the same file is an admin-1 set.
    assert load_boundaries(path, level="admin1")[0].level == "admin1"


def test_a_ministry_set_in_ukrainian_answers_to_every_spelling(tmp_path):
    units, _report = load_boundaries(bs.write_ministry_ukr(tmp_path), level="admin1",
                                     country="UKR", code_field="katottg", name_fields=["name"])  # fmt: skip
    donetsk = next(u.katottg for u in UKR if u.iso == "UA-14")
    assert _codes(["Донецька", "Донецька область", "Donetsk", "UA-14"], units) == dict.fromkeys(
        ["Донецька", "Донецька область", "Donetsk", "UA-14"], donetsk
    )


def test_natural_earth_units_that_stand_for_no_one_unit_are_never_joined():
    # Nine Federation cantons carry BA-BIH; Posavina carries Republika Srpska's BA-SRP.
    for written in ("Una-Sana", "BA-BIH", "Posavina"):
        with pytest.raises(UnitNotFoundError, match="which cannot be joined"):
            resolve(written, country="BIH")
    assert resolve("Brčko Distrikt", country="BIH").code == "BA-BRC"


def test_a_point_in_such_a_unit_is_refused_with_the_reason(tmp_path):
    rows = [{**EVENT, "country": "BIH", "record_id": "tuzla", "latitude": "44.54",
             "longitude": "18.67"}]  # fmt: skip
    p = layers.prepare(layers.read(write_csv(tmp_path / "e.csv", rows), "incidents"))
    (refused,) = p.rejects.itertuples()
    assert "the point lies in BA-BIH, which cannot be joined" in refused.reason


def test_a_mojibake_name_is_repaired_and_said():
    written = "Донецька область".encode().decode("latin-1")  # a .dbf read wrongly
    found = resolve(written, country="UKR")
    assert (found.code, found.method, found.matched) == ("UA-14", "mojibake repaired", written)


def test_a_name_two_units_share_is_a_report_line_and_the_credit_is_the_publisher_s(tmp_path):
    units, report = load_boundaries(bs.write_cod_ukr(tmp_path, duplicate_name=True))
    said = [n for n in report.notes if n.startswith("duplicate name 'Kyivska' in UKR: units")]
    assert said == ["duplicate name 'Kyivska' in UKR: units UA32, UA80 share it, so a record "
                    "giving that name is refused as ambiguous (give the code); a known error of "
                    "some releases: check the file"]  # fmt: skip
    assert units.source.endswith("licence CC BY-IGO 3.0")
    (tmp_path / "b").mkdir()
    credited, _ = load_boundaries(bs.write_cod_ukr(tmp_path / "b"), credit="Ministry, 2024")
    assert credited.source.endswith("; Ministry, 2024")


def test_every_name_found_beyond_its_exact_form_is_listed(tmp_path):
    from layers.prepare import name_matches

    rows = [
        {**EVENT, "record_id": "a", "place": "Donetks"},  # a typo
        {**EVENT, "record_id": "b", "place": "Харьковская обл."},  # normalised
        {**EVENT, "record_id": "c", "place": "Kharkiv"},
    ]  # exact: not listed
    p = layers.prepare(layers.read(write_csv(tmp_path / "e.csv", rows), "incidents"))
    table = name_matches("events", p)
    assert table[["written", "unit_code", "matched_by", "records"]].values.tolist() == [
        ["Donetks", "UA-14", "fuzzy", 1],
        ["Харьковская обл.", "UA-63", "normalised name", 1],
    ]
    assert table["unit_name"].tolist() == ["Donets'k", "Kharkiv"]


def test_placeholder_codes_and_units_outside_their_country_are_report_lines(tmp_path):
    import geopandas as gpd
    import shapely

    frame = gpd.GeoDataFrame(
        {"pcode": ["UA63", "-99"], "label": ["Kharkiv", "Tbilisi (mislabelled)"]},
        geometry=[shapely.box(35.5, 49.5, 36.5, 50.2), shapely.box(44.7, 41.6, 44.9, 41.8)],
        crs=4326,
    )
    path = tmp_path / "units.gpkg"
    frame.to_file(path, engine="pyogrio")
    _units, report = load_boundaries(path, level="admin1", code_field="pcode",
                                     name_fields=["label"], country="UKR")  # fmt: skip
    assert any(n.startswith("1 unit(s) carry a placeholder code in 'pcode' (-99)")
               for n in report.notes), report.notes  # fmt: skip
    assert any(n.startswith("1 unit(s) lie more than 25 km outside the country the file gives "
                            "them: -99 (UKR)") for n in report.notes), report.notes  # fmt: skip


def _grid(n: int, box=(23.0, 45.5, 39.5, 51.5)):
    """``n`` cells of a grid over Ukraine, row by row."""
    import shapely

    cols = 17
    rows = -(-n // cols)
    x0, y0, x1, y1 = box
    w, h = (x1 - x0) / cols, (y1 - y0) / rows
    return [shapely.box(x0 + (i % cols) * w, y0 + (i // cols) * h,
                        x0 + (i % cols + 1) * w, y0 + (i // cols + 1) * h) for i in range(n)]  # fmt: skip


def test_a_raion_set_says_its_vintage_and_its_units_parents(tmp_path):
    import geopandas as gpd

    frame = gpd.GeoDataFrame(
        {"ADM2_PCODE": [f"UA{i:06d}" for i in range(136)], "ADM2_EN": [f"Raion {i}" for i in
         range(136)], "ADM1_PCODE": "UA14", "ADM0_PCODE": "UA"},
        geometry=_grid(136), crs=4326,
    )  # fmt: skip
    path = tmp_path / "ukr_adm2.gpkg"
    frame.to_file(path, engine="pyogrio")
    units, report = load_boundaries(path)
    assert units.level == "admin2"
    assert (
        "136 admin2 units of UKR: the count of raions since the 2020 reform (resolution "
        "807-IX) (136)" in " ".join(report.notes)
    )
    assert set(units.frame["parent_admin1"]) == {"UA14"}  # the file's own ADM1_PCODE
    assert "admin-1 unit of each unit: the file's 'ADM1_PCODE'" in report.notes
    # Without parent codes: the embedded unit holding most of each unit's area.
    import shapely

    frame.drop(columns="ADM1_PCODE").iloc[:100].to_file(tmp_path / "b.gpkg")
    units, report = load_boundaries(tmp_path / "b.gpkg")
    cell = units.frame[units.frame.geometry.contains(shapely.Point(37.8, 48.0))]
    assert cell["parent_admin1"].tolist() == ["UA-14"]  # Donetsk
    assert any(n.startswith("admin-1 unit of each unit (the file gives none): the Natural Earth")
               for n in report.notes)  # fmt: skip
    assert any("no known vintage" in n for n in report.notes)
