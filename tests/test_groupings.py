import datetime as dt

import pytest

from geo import GroupingError, composition, composition_for_period, dissolve, unit_area_km2


def _counts(comp):
    return comp.table.groupby("member").size().to_dict()


def test_2018_operational_composition_has_five_districts():
    comp = composition("ru_military_districts_operational", "2018-06-30")
    assert _counts(comp) == {
        "Western": 26,
        "Northern Fleet": 4,
        "Southern": 13,
        "Central": 29,
        "Eastern": 11,
    }
    assert comp.excluded == ("UA-40", "UA-43")


def test_2018_legal_composition_has_four_districts():
    comp = composition("ru_military_districts", dt.date(2018, 6, 30), include_disputed=True)
    assert _counts(comp) == {"Western": 30, "Southern": 15, "Central": 29, "Eastern": 11}
    assert comp.excluded == ()


def test_2024_split_of_the_western_district():
    comp = composition("ru_military_districts", "2024-03-01")
    assert _counts(comp) == {
        "Leningrad": 11,
        "Moscow": 19,
        "Southern": 13,
        "Central": 29,
        "Eastern": 11,
    }
    assert set(comp.excluded) == {"UA-43", "UA-40", "UA-14", "UA-09", "UA-23", "UA-65"}


def test_day_before_a_change_uses_the_old_composition():
    assert "Western" in composition("ru_military_districts", "2024-02-29").members
    assert "Western" not in composition("ru_military_districts", "2024-03-01").members


def test_date_before_the_data_is_an_error_with_a_fix():
    with pytest.raises(
        GroupingError,
        match=r"no composition on 2009-01-01: its data start on 2010-12-01\. Fix: use a date on or after 2010-12-01",
    ):
        composition("ru_military_districts", "2009-01-01")


def test_unknown_grouping():
    with pytest.raises(GroupingError, match=r"unknown grouping 'nato': expected one of"):
        composition("nato", "2018-01-01")


def test_period_across_a_change_is_refused():
    with pytest.raises(
        GroupingError, match=r"changes within 2020-06-01\.\.2021-06-01 \(on 2021-01-01\)"
    ):
        composition_for_period("ru_military_districts", "2020-06-01", "2021-06-01")


def test_period_without_change():
    comp = composition_for_period("ru_military_districts_operational", "2018-01-01", "2018-12-31")
    assert comp.date == dt.date(2018, 1, 1)


def test_describe_names_grouping_date_counts_and_exclusions():
    text = composition("ru_military_districts_operational", "2018-06-30").describe()
    assert text.startswith("Russian military districts with the Northern Fleet (operational "
                           "division), as in force on 2018-06-30")  # fmt: skip
    assert "Northern Fleet 4" in text and "UA-40, UA-43" in text


def test_dissolve_gives_one_polygon_per_district_with_the_area_of_its_subjects():
    comp = composition("ru_military_districts_operational", "2018-06-30")
    districts = dissolve(comp).set_index("member")
    assert list(districts.index) == ["Western", "Northern Fleet", "Southern", "Central", "Eastern"]
    from geo import area_km2

    north = districts.loc["Northern Fleet"]
    subjects = north["unit_codes"].split(";")
    assert sorted(subjects) == ["RU-ARK", "RU-KO", "RU-MUR", "RU-NEN"]
    expected = sum(unit_area_km2("admin1", c) for c in subjects)
    assert area_km2(north["geometry"]) == pytest.approx(expected, rel=1e-6)
    assert districts.loc["Southern", "composition_date"] == "2018-06-30"
