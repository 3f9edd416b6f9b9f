import pytest
import shapely

from geo import PlaceNotFoundError, admin0, locate, units
from geo.gazetteer import ATTRIBUTION, border_point, unit_point


def test_settlement_within_country():
    izium = locate("Izyum", country="UKR")
    assert izium.precision == "settlement"
    assert izium.unit_code == "UA-63"
    assert locate("Izium", country="UKR").point.equals(izium.point)


def test_same_name_in_two_countries():
    libya = locate("Tripoli", country="LBY")
    lebanon = locate("Tripoli", country="LBN")
    assert libya.unit_code == "LY-TN"
    assert lebanon.unit_code.startswith("LB-")
    assert libya.point.distance(lebanon.point) > 10


def test_donetsk_in_ukraine_is_not_donetsk_in_russia():
    assert locate("Donetsk", country="UKR").unit_code == "UA-14"
    assert locate("Donetsk", country="RUS").unit_code == "RU-ROS"


def test_unit_narrows_the_lookup():
    with pytest.raises(
        PlaceNotFoundError,
        match=r"'Izium' is not in the GeoNames gazetteer for UKR, unit UA-14\. Fix:",
    ):
        locate("Izium", country="UKR", unit_code="UA-14")


def test_unknown_place_is_an_error_never_a_point_at_zero():
    with pytest.raises(
        PlaceNotFoundError, match=r"place 'Atlantis' is not in the GeoNames gazetteer for LBY"
    ):
        locate("Atlantis", country="LBY")


def test_cyrillic_name():
    assert locate("Харків", country="UKR").unit_code == "UA-63"


def test_unit_point_lies_inside_the_unit():
    for code in ("RU-CE", "GE-SK", "UA-43"):
        loc = unit_point("admin1", code)
        assert loc.precision == "admin1"
        assert shapely.union_all(units("admin1", [code]).geometry.to_numpy()).contains(loc.point)


def test_border_point_lies_on_both_countries_boundaries():
    loc = border_point("RUS", "GEO")
    frame = admin0(["RUS", "GEO"]).set_index("code")
    for code in ("RUS", "GEO"):
        assert frame.loc[code, "geometry"].boundary.distance(loc.point) < 1e-6


def test_countries_without_a_border():
    with pytest.raises(PlaceNotFoundError, match="share no border"):
        border_point("UKR", "GEO")


def test_attribution_names_geonames_and_licence():
    assert "GeoNames" in ATTRIBUTION and "CC BY 4.0" in ATTRIBUTION
