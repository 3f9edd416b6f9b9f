"""Name resolution against the spellings real sources use for Ukrainian and Russian units.

The spellings in tests/data/ukraine_names.csv and tests/data/russia_names.csv were
written from the official names (Ukrainian national romanisation, older
Russian-based English forms, Ukrainian and Russian), not copied from the
boundary data, so these tests check the boundary data and the resolver together.
"""

import csv
import time

import geopandas as gpd
import pytest
from shapely.geometry import box

from geo import translit
from geo.boundary_sets import BoundarySet, embedded
from geo.errors import RecordError, UnitNotFoundError
from geo.names import (
    FUZZY_THRESHOLD,
    AmbiguousNameError,
    Resolution,
    _index,
    builtin_aliases,
    load_aliases,
    resolve,
)
from tests._paths import DATA

UA_COLUMNS = ["code", "english", "english_alt", "ukrainian", "russian", "short_uk", "short_ru"]


def _rows(name):
    with open(DATA / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


UKRAINE = _rows("ukraine_names.csv")
RUSSIA = _rows("russia_names.csv")
UA_SPELLINGS = [(row["code"], col, row[col]) for row in UKRAINE for col in UA_COLUMNS]
RU_SPELLINGS = [
    (row["code"], col, row[col]) for row in RUSSIA for col in ("code", "english", "russian")
]

# Kyiv city (UA-30) and Kyiv oblast (UA-32) share their short name in every language:
# a bare "Київ" cannot be resolved without a guess.
KYIV = {"UA-30", "UA-32"}
AMBIGUOUS_IN_UKRAINE = {(c, col) for c in KYIV for col in ("short_uk", "short_ru")}
# Without a country, Vinnitsa/Вінниця/Винница also meet Italian provinces: the
# transliteration key of Vinnytsia is that of Venezia.
AMBIGUOUS_WORLDWIDE = AMBIGUOUS_IN_UKRAINE | {
    ("UA-05", col) for col in ("english_alt", "short_uk", "short_ru")
}


def test_the_spelling_tables_cover_every_unit():
    assert len(UKRAINE) == 27 and len({r["code"] for r in UKRAINE}) == 27
    assert {r["code"] for r in UKRAINE} == set(
        embedded("admin1").frame.query("country == 'UKR'")["code"]
    )
    assert len(RUSSIA) == 83 and len({r["code"] for r in RUSSIA}) == 83
    russia = set(embedded("admin1").frame.query("country == 'RUS'")["code"]) - {"RU-X01~"}
    assert {r["code"] for r in RUSSIA} == russia
    assert all(value.strip() for row in UKRAINE + RUSSIA for value in row.values())


@pytest.mark.parametrize(("code", "column", "written"), UA_SPELLINGS)
def test_every_ukrainian_spelling_resolves_within_ukraine(code, column, written):
    if (code, column) in AMBIGUOUS_IN_UKRAINE:
        with pytest.raises(
            AmbiguousNameError, match=r"matches 2 admin1 units by name: \['UA-30', 'UA-32'\]"
        ):
            resolve(written, country="UKR")
        return
    found = resolve(written, country="UKR")
    assert found.code == code
    assert found.method != "fuzzy", "a known spelling must not need the fuzzy stage"


@pytest.mark.parametrize(("code", "column", "written"), UA_SPELLINGS)
def test_ukrainian_spellings_resolve_without_a_country_or_are_ambiguous(code, column, written):
    if (code, column) in AMBIGUOUS_WORLDWIDE:
        with pytest.raises(AmbiguousNameError) as caught:
            resolve(written)
        assert code in {c for c, _, _ in caught.value.candidates}
        return
    found = resolve(written)
    assert (found.code, found.method != "fuzzy") == (code, True)


@pytest.mark.parametrize(("code", "column", "written"), RU_SPELLINGS)
def test_every_russian_subject_resolves_from_its_english_and_russian_names(code, column, written):
    if (code, column) == ("RU-MOW", "english"):
        # "Moscow" is the city, but Natural Earth names the oblast "Moscow" too.
        with pytest.raises(AmbiguousNameError, match=r"\['RU-MOS', 'RU-MOW'\]"):
            resolve(written, country="RUS")
        return
    for country in ("RUS", None):
        found = resolve(written, country=country)
        assert (found.code, found.method != "fuzzy") == (code, True)


@pytest.mark.parametrize(
    ("written", "country", "code", "method"),
    [
        ("Donetsk", "UKR", "UA-14", "name"),
        ("Donets'k", "UKR", "UA-14", "name"),
        ("Донецьк", "UKR", "UA-14", "transliteration"),
        ("Донецк", None, "UA-14", "transliteration"),
        ("Chechnya", "RUS", "RU-CE", "name"),
        ("Chechnia", "RUS", "RU-CE", "transliteration"),
        ("Чечня", None, "RU-CE", "name"),
        ("Chechen Republic", None, "RU-CE", "name"),
        ("Чеченская Республика", "RUS", "RU-CE", "transliteration"),
        ("Kharkov", None, "UA-63", "normalised name"),
        ("Харьков", "UKR", "UA-63", "normalised name"),
        ("Kharkiv region", "UKR", "UA-63", "normalised name"),
        ("Kharkivs'ka oblast'", None, "UA-63", "name"),
        ("Kharkivshchyna", "UKR", "UA-63", "normalised name"),
        ("Kirovograd", "UKR", "UA-35", "name"),
        ("Kropyvnytskyi", "UKR", "UA-35", "alias"),
        ("Kropyvnytskyi region", None, "UA-35", "alias"),
        ("Dnipropetrovsk oblast'", "UKR", "UA-12", "normalised name"),
        ("Dnepropetrovsk", "UKR", "UA-12", "transliteration"),
        ("Dnipro oblast", "UKR", "UA-12", "alias"),
        ("Днепр", None, "UA-12", "alias"),
        ("Zaporozhye", "UKR", "UA-23", "normalised name"),
        ("Zaporozhe", "UKR", "UA-23", "transliteration"),
        ("Lugansk", None, "UA-09", "name"),
        ("Луганщина", "UKR", "UA-09", "normalised name"),
        ("Nikolaev", "UKR", "UA-48", "transliteration"),
        ("Odessa", "UKR", "UA-51", "name"),
        ("Chernigov", "UKR", "UA-74", "name"),
        ("Ivano-Frankovsk", "UKR", "UA-26", "name"),
        ("city of Kyiv", "UKR", "UA-30", "normalised name"),
        ("Kyiv city", None, "UA-30", "normalised name"),
        ("м. Київ", "UKR", "UA-30", "normalised name"),
        ("Kyiv oblast", "UKR", "UA-32", "normalised name"),
        ("Kyiv region", None, "UA-32", "normalised name"),
        ("Київщина", "UKR", "UA-32", "normalised name"),
        ("Sevastopol city", "UKR", "UA-40", "normalised name"),
        ("Moscow city", "RUS", "RU-MOW", "normalised name"),
        ("Москва", "RUS", "RU-MOW", "name"),
        ("Moscow Oblast", "RUS", "RU-MOS", "normalised name"),
        ("Moscow region", None, "RU-MOS", "normalised name"),
        ("Altai Krai", "RUS", "RU-ALT", "transliteration"),
        ("Altai Republic", "RUS", "RU-AL", "name"),
        ("Chukotka", "RUS", "RU-CHU", "name"),
        ("Yakutia", "RUS", "RU-SA", "transliteration"),
        ("Kuzbass", "RUS", "RU-KEM", "alias"),
        ("Krasnodar region", "RUS", "RU-KDA", "normalised name"),
        ("RU-CE", None, "RU-CE", "code"),
        ("ru_ce", None, "RU-CE", "code"),
        ("UA-63", "UKR", "UA-63", "code"),
        ("UA63", None, "UA-63", "code"),
        ("UA.KK", None, "UA-63", "code"),
    ],
)
def test_tricky_spellings(written, country, code, method):
    found = resolve(written, country=country)
    assert (found.code, found.method, found.matched) == (code, method, written)
    assert (found.score, found.candidates) == (None, ())


def test_a_bare_kyiv_or_moscow_is_ambiguous_and_an_alias_settles_it(tmp_path):
    with pytest.raises(
        AmbiguousNameError,
        match=r"'Kyiv' matches 2 admin1 units by name: \['UA-30', 'UA-32'\] .*Fix: .*add 'Kyiv,UA-30' \(with the code meant\) to an alias file",
    ):
        resolve("Kyiv", country="UKR")
    path = tmp_path / "aliases.csv"
    path.write_text(
        "alias,code\nKyiv,UA-30\nMoscow,RU-MOW\nKyiv misto,UA-30\nKyiv oblast,UA-32\n",
        encoding="utf-8",
    )
    user = load_aliases(path)
    assert resolve("Kyiv", aliases=user) == Resolution("UA-30", "admin1", "alias", "Kyiv")
    assert resolve("Moscow", country="RUS", aliases=user).code == "RU-MOW"
    assert [a.alias for a in user.lookup("city of Kyiv", "admin1")] == ["Kyiv misto"]
    assert [a.alias for a in user.lookup("Kyiv region", "admin1")] == ["Kyiv oblast"]
    assert [a.alias for a in user.lookup("Київ", "admin1")] == ["Kyiv"]


def test_a_misspelling_resolves_by_fuzzy_match_with_its_score():
    found = resolve("Zapoizhzhia", country="UKR")
    assert (found.code, found.method) == ("UA-23", "fuzzy")
    assert found.score >= FUZZY_THRESHOLD
    assert found.candidates[0] == ("UA-23", "Zaporizhzhia", found.score)
    assert all(score < found.score - 5 for _, _, score in found.candidates[1:])


def test_a_far_off_name_fails_and_lists_the_candidates():
    with pytest.raises(
        UnitNotFoundError,
        match=r"no admin1 unit in UKR matches 'Zaprozhka'\. Closest names: UA-23 'Zaporizhzhya' as .* \(\d+(\.\d)?\), .*; none scores 90 or more\. Fix: correct the spelling or write the unit's code; if UA-23 is meant, add 'Zaprozhka,UA-23' to an alias file to confirm it\.",
    ) as caught:
        resolve("Zaprozhka", country="UKR")
    assert caught.value.candidates[0][0] == "UA-23"
    assert caught.value.candidates[0][2] < FUZZY_THRESHOLD


def test_a_fuzzy_match_between_two_units_is_ambiguous():
    with pytest.raises(
        AmbiguousNameError,
        match=r"'Krasnoyadar' matches 2 admin1 units in RUS by fuzzy match within 5 points: RU-KDA 'Krasnodar' \(90\), RU-KYA 'Krasnoyarsk' as .*\(90\)\. Fix: write the unit's code",
    ):
        resolve("Krasnoyadar", country="RUS")


def test_fuzzy_matching_can_be_turned_off():
    with pytest.raises(UnitNotFoundError, match=r"none scores 101 or more"):
        resolve("Zapoizhzhia", country="UKR", fuzzy_threshold=101)


def test_country_narrows_every_stage():
    assert resolve("Donetsk", country="UKR").code == "UA-14"
    with pytest.raises(
        UnitNotFoundError, match=r"no admin1 unit in RUS matches 'Donetsk'\. Closest names: "
    ):
        resolve("Donetsk", country="RUS")
    with pytest.raises(UnitNotFoundError, match=r"no admin1 unit in RUS matches 'Донецьк'"):
        resolve("Донецьк", country="RUS")
    with pytest.raises(UnitNotFoundError, match=r"unknown admin1 code\(s\) \['UA-63'\] in RUS"):
        resolve("UA-63", country="RUS")
    with pytest.raises(
        UnitNotFoundError,
        match=r"country 'UK' has no units in 'natural-earth-admin1': expected an ISO 3166-1 alpha-3 code such as 'UKR'",
    ):
        resolve("Donetsk", country="UK")


def test_user_aliases_override_built_in_ones(tmp_path):
    assert resolve("Dnipro", country="UKR").code == "UA-12"  # built-in: the renamed oblast centre
    path = tmp_path / "aliases.csv"
    path.write_text(
        "alias,code,level,country,note\n"
        "Dnipro,UA-23,admin1,UKR,this source names Zaporizhzhia oblast after the river\n"
        "Slobozhanshchyna,UA-63,,,historical region\n",
        encoding="utf-8",
    )
    user = load_aliases(path)
    assert resolve("Dnipro", country="UKR", aliases=user).code == "UA-23"
    assert resolve("Slobozhanshchyna", aliases=user) == Resolution(
        "UA-63", "admin1", "alias", "Slobozhanshchyna"
    )
    assert resolve("Kuzbass", aliases=user).code == "RU-KEM"  # built-in ones still apply
    entry = user.lookup("Dnipro", "admin1")[0]
    assert (entry.code, entry.level, entry.country, entry.source) == (
        "UA-23",
        "admin1",
        "UKR",
        f"{path}, row 2",
    )


def test_an_alias_to_a_code_the_boundaries_lack_is_reported(tmp_path):
    path = tmp_path / "aliases.csv"
    path.write_text("alias,code,level\nNew Oblast,UA-99,admin1\n", encoding="utf-8")
    with pytest.raises(
        UnitNotFoundError,
        match=r"aliases\.csv, row 2: alias 'New Oblast' maps to 'UA-99', which is not a unit code of 'natural-earth-admin1'",
    ):
        resolve("New Oblast", aliases=load_aliases(path))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "name,code\nKyiv,UA-30\n",
            r"aliases\.csv, row 1: expected a header with columns alias,code and optionally level,country,note \(got 'name,code'\)\. Fix: write the header row 'alias,code'",
        ),
        (
            "alias,code,region\nKyiv,UA-30,x\n",
            r"row 1: expected a header .*\(got 'alias,code,region'\)",
        ),
        ("", r"row 1: expected a header .*\(got ''\)"),
        (
            "alias,code\nKyiv,UA-30,extra\n",
            r"aliases\.csv, row 2: expected 2 fields \(alias,code\), got 3 \(got 'Kyiv,UA-30,extra'\)\. Fix: quote names that hold a comma",
        ),
        ("alias,code\nKyiv,\n", r"row 2, field 'code': expected the unit's code \(got ''\)"),
        (
            "alias,code\nOblast,UA-30\n",
            r"row 2, field 'alias': expected a name; it is empty or only generic words \(got 'Oblast'\)",
        ),
        (
            "alias,code,level\nKyiv,UA-30,oblast\n",
            r"row 2, field 'level': expected admin0, admin1\.\.\. or nothing \(got 'oblast'\)",
        ),
        (
            "alias,code,country\nKyiv,UA-30,UA\n",
            r"row 2, field 'country': expected e\.g\. 'UKR' or nothing \(got 'UA'\)",
        ),
        (
            "alias,code\nKyiv,UA-30\nKyiv oblast,UA-32\nkyiv,UA-32\n",
            r"row 4, field 'code': alias 'kyiv' is 'UA-30' on row 2 \(got 'UA-32'\)\. Fix: keep one of the two rows",
        ),
    ],
)
def test_malformed_alias_files_say_file_row_and_field(tmp_path, content, message):
    path = tmp_path / "aliases.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(RecordError, match=message):
        load_aliases(path)


def test_an_alias_file_that_is_not_utf8_is_rejected(tmp_path):
    path = tmp_path / "aliases.csv"
    path.write_bytes("alias,code\nКиїв,UA-30\n".encode("cp1251"))
    with pytest.raises(
        RecordError, match=r"aliases\.csv: the file is not UTF-8 text .*Fix: save it as CSV UTF-8"
    ):
        load_aliases(path)


def test_built_in_aliases_say_why():
    entries = builtin_aliases().entries
    assert all(e.note and e.level and e.country for e in entries)
    assert {e.code for e in entries if e.alias in ("Kropyvnytskyi", "Dnipro")} == {"UA-35", "UA-12"}


def test_every_romanisation_of_a_cyrillic_name_folds_to_one_of_its_keys():
    names = [row[c] for row in UKRAINE for c in ("ukrainian", "russian", "short_uk", "short_ru")]
    names += [row["russian"] for row in RUSSIA]
    for name in names:
        keys = translit.keys(name)
        for variant in translit.variants(name):
            assert translit.fold(variant) in keys, (name, variant)


def _user_set():
    frame = gpd.GeoDataFrame(
        {
            "code": ["UA6300000000", "UA1400000000"],
            "name": ["Kharkivska", "Donetska"],
            "country": ["UKR", "UKR"],
            "ADM1_UA": ["Харківська", "Донецька"],
        },
        geometry=[box(35, 49, 38, 50), box(37, 47, 39, 49)],
        crs="EPSG:4326",
    )
    return BoundarySet("cod-ab-ukr", "admin1", frame, ("code",), ("name", "ADM1_UA"), "test set")


def test_a_user_boundary_set_resolves_p_codes_and_names():
    user = _user_set()
    assert resolve("UA6300000000", boundaries=user).method == "code"
    assert resolve("ua-63-000-000-00", boundaries=user).code == "UA6300000000"
    assert resolve("Kharkiv", boundaries=user).code == "UA6300000000"
    assert resolve("Донецк", country="UKR", boundaries=user).code == "UA1400000000"
    with pytest.raises(UnitNotFoundError, match=r"no admin1 unit matches 'Dnipro'"):
        resolve("Dnipro", boundaries=user)  # the built-in alias names an ISO code, not a p-code


def test_the_index_is_built_once_per_boundary_set_and_fast():
    translit.analyse.cache_clear()
    translit.plain.cache_clear()
    fresh = BoundarySet(
        "copy",
        "admin1",
        embedded("admin1").frame,
        ("code", "code_hasc", "adm1_code"),
        embedded("admin1").name_fields,
    )
    start = time.process_time()  # CPU time: other processes on the machine do not count
    assert resolve("Kharkiv", boundaries=fresh).code == "UA-63"
    built = time.process_time() - start
    assert built < 2.0, f"index of 4,596 units built in {built:.2f} s"
    assert _index(fresh) is _index(fresh) is not _index(embedded("admin1"))
    start = time.perf_counter()
    for written in ("Харьков", "Kyiv oblast", "Chechnia", "Kropyvnytskyi", "Zapoizhzhia") * 20:
        resolve(written, boundaries=fresh)
    assert (time.perf_counter() - start) / 100 < 0.02
