import numpy as np
import pytest
import shapely

from geo import BOUNDARY_VERSION, UnitNotFoundError, admin0, admin1, display_geometry, units
from geo.boundaries import corrections, unit_country


def test_embedded_admin1_has_every_natural_earth_feature():
    frame = admin1()
    assert len(frame) == 4596
    assert frame.crs.to_epsg() == 4326
    assert frame.geometry.is_valid.all()


def test_embedded_admin0_has_every_natural_earth_country():
    assert len(admin0()) == 258


def test_ukraine_by_iso_prefix_includes_crimea_and_sevastopol():
    ukraine = admin1(["UKR"])
    assert len(ukraine) == 27
    crimea = ukraine.set_index("code").loc[["UA-43", "UA-40"]]
    # De jure by ISO 3166-2 prefix; Natural Earth's default view kept apart.
    assert set(crimea["country"]) == {"UKR"}
    assert set(crimea["admin_de_facto"]) == {"RUS"}


def test_russia_has_its_83_federal_subjects():
    codes = set(admin1(["RUS"])["code"])
    assert len({c for c in codes if not c.endswith("~")}) == 83
    assert {"RU-CE", "RU-IN", "RU-DA"} <= codes


def test_moscow_codes_are_corrected():
    frame = units("admin1", ["RU-MOW", "RU-MOS"]).set_index("code")
    assert frame.loc["RU-MOW", "name"] == "Moskva"
    assert frame.loc["RU-MOS", "name"] == "Moskovskaya"
    assert set(corrections()["reason"].str.contains("ISO 3166-2:RU"))


def test_a_code_shared_by_several_features_selects_them_all():
    assert len(units("admin1", ["BA-BIH"])) > 1


def test_unknown_code_says_what_was_expected_and_how_to_fix():
    with pytest.raises(
        UnitNotFoundError,
        match=r"unknown admin1 code\(s\) \['RU-XX'\]: expected ISO 3166-2 codes .* Fix:",
    ):
        units("admin1", ["RU-CE", "RU-XX"])


def test_unknown_country_is_an_error():
    with pytest.raises(UnitNotFoundError, match="no boundary units for countries \\['XXX'\\]"):
        admin1(["XXX"])


def test_unit_country():
    assert unit_country("admin1", "UA-14") == "UKR"
    with pytest.raises(UnitNotFoundError):
        unit_country("admin1", "UA-99")


def test_boundary_version_is_stated():
    assert "Natural Earth" in BOUNDARY_VERSION["admin1"]
    assert "v5.1.2" in BOUNDARY_VERSION["admin0"]


def test_display_geometry_keeps_shared_borders_shared():
    caucasus = units("admin1", ["RU-CE", "RU-IN", "RU-DA", "RU-SE", "RU-KB", "RU-STA"])
    simple = display_geometry(caucasus, 0.02)
    full = np.asarray(caucasus.geometry.values)
    assert (
        shapely.get_num_coordinates(simple.values).sum()
        < 0.5 * shapely.get_num_coordinates(full).sum()
    )
    assert shapely.coverage_is_valid(np.asarray(simple.values))
    # The shared border of Chechnya and Ingushetia is still one line for both.
    ce, ing = (
        simple.iloc[list(caucasus["code"]).index("RU-CE")],
        simple.iloc[list(caucasus["code"]).index("RU-IN")],
    )
    assert ce.intersection(ing).length > 0.5
    assert ce.intersection(ing).area == pytest.approx(0, abs=1e-9)


def test_display_geometry_does_not_touch_the_source():
    chechnya = units("admin1", ["RU-CE"])
    before = chechnya.geometry.iloc[0]
    display_geometry(chechnya, 0.05)
    assert chechnya.geometry.iloc[0].equals(before)
