"""User boundary files: schemas, formats, reprojection, validation and errors.

Every fixture file is built here, in tmp_path: a COD-AB-like GeoPackage from the
embedded Natural Earth units of Ukraine, a geoBoundaries-like GeoJSON, a
GADM-like zipped Shapefile in Web Mercator, and small made-up units for the
geometry checks.
"""

from __future__ import annotations

import math
import zipfile

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from shapely.geometry import MultiPolygon, Polygon, box

import geo
from geo.area import area_km2
from geo.boundary_sets import BoundarySet
from geo.user_boundaries import (
    GAP_TOLERANCE_KM2,
    BoundaryFileError,
    ValidationReport,
    detect_schema,
    load_boundaries,
    validate,
)

WGS84_A = 6378137.0
WGS84_F = 1 / 298.257223563


def quadrangle_km2(west, south, east, north):
    """Area of a lon/lat quadrangle on the WGS84 ellipsoid (closed form, no pyproj).

    Integrates the ellipsoid's area element between two parallels: the
    authalic formula, independent of pyproj.Geod and shapely.
    """
    b = WGS84_A * (1 - WGS84_F)
    e2 = WGS84_F * (2 - WGS84_F)
    e = math.sqrt(e2)

    def q(lat):
        s = math.sin(math.radians(lat))
        return s / (1 - e2 * s * s) + math.log((1 + e * s) / (1 - e * s)) / (2 * e)

    return b * b * math.radians(east - west) / 2 * (q(north) - q(south)) / 1e6


@pytest.fixture(scope="module")
def ukraine():
    return geo.admin1(["UKR"]).reset_index(drop=True)


def cod_ab(ukraine):
    """Ukraine's units with HDX COD-AB columns (p-codes like UA63)."""
    return gpd.GeoDataFrame(
        {
            "ADM1_PCODE": ukraine["code"].str.replace("-", ""),
            "ADM1_EN": ukraine["name_en"],
            "ADM1_UA": ukraine["name_uk"],
            "ADM1_RU": ukraine["name_ru"],
            "ADM1ALT1EN": ukraine["name_alt"],
            "ADM0_EN": "Ukraine",
            "ADM0_PCODE": "UA",
            "validOn": "2024-04-16",
        },
        geometry=ukraine.geometry.values,
        crs=4326,
    )


def write_zipped_shapefile(frame, folder, stem):
    frame.to_file(folder / f"{stem}.shp", engine="pyogrio")
    archive = folder / f"{stem}.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for part in sorted(folder.glob(f"{stem}.*")):
            if part.suffix != ".zip":
                z.write(part, part.name)
    return archive


def units(*geometries, codes=None):
    """Made-up units A, B, C... with p-code-like codes and names."""
    codes = codes or [chr(ord("A") + i) for i in range(len(geometries))]
    return gpd.GeoDataFrame(
        {"pcode": codes, "label": [f"Unit {c}" for c in codes]}, geometry=list(geometries), crs=4326
    )


def load_units(tmp_path, frame, **kwargs):
    path = tmp_path / "units.gpkg"
    frame.to_file(path, engine="pyogrio")
    kwargs = {"level": "admin1", "code_field": "pcode", "name_fields": ["label"]} | kwargs
    return load_boundaries(path, **kwargs)


# --- schemas and formats ---------------------------------------------------------


def test_cod_ab_geopackage_is_recognised(tmp_path, ukraine):
    path = tmp_path / "ukr_admbnda_adm1.gpkg"
    cod_ab(ukraine).to_file(path, layer="ukr_admbnda_adm1_sspe", engine="pyogrio")
    units_, report = load_boundaries(path)
    assert isinstance(units_, BoundarySet)
    frame = units_.frame.set_index("code")
    assert units_.level == "admin1"
    assert units_.name == "ukr_admbnda_adm1"
    assert frame.crs.to_epsg() == 4326
    assert len(frame) == 27
    assert frame.loc["UA63", "name"] == "Kharkiv"
    assert frame.loc["UA63", "ADM1_UA"] == "Харківська область"
    assert set(frame["country"]) == {"UKR"}
    own = ("code", "ADM1_PCODE")
    assert units_.code_fields[:2] == own
    assert units_.name_fields[:5] == ("name", "ADM1_EN", "ADM1_UA", "ADM1_RU", "ADM1ALT1EN")
    # The units are Natural Earth's: they also answer to its codes and names.
    assert units_.code_fields[2:] == ("inherited_code", "inherited_code_hasc",
                                      "inherited_adm1_code", "inherited_pcode",
                                      "inherited_katottg")  # fmt: skip
    assert frame.loc["UA63", "inherited_code"] == "UA-63"
    assert any("27 of 27 units are units of Natural Earth" in n for n in report.notes)
    assert "ukr_admbnda_adm1.gpkg" in units_.source
    assert "'ukr_admbnda_adm1_sspe'" in units_.source
    assert "HDX COD-AB" in units_.source and "valid on 2024-04-16" in units_.source
    # A clean coverage: Kyiv city fills the hole of Kyiv oblast exactly.
    assert report.ok, report.lines()
    assert report.units == 27
    assert units_.area_km2("UA63") == pytest.approx(geo.unit_area_km2("admin1", "UA-63"))


def test_cod_ab_level_must_be_in_the_file(tmp_path, ukraine):
    path = tmp_path / "ukr.gpkg"
    cod_ab(ukraine).to_file(path, engine="pyogrio")
    assert load_boundaries(path, level="ADM1")[0].level == "admin1"
    with pytest.raises(
        BoundaryFileError,
        match=r"no code column known \(HDX COD-AB schema, levels \[0, 1\]\).*columns found: "
        r"\['ADM1_PCODE', .*Fix: pass level= of the file",
    ):
        load_boundaries(path, level="admin2")


def test_detect_schema_takes_the_level_asked_in_any_case():
    found = detect_schema(["adm1_pcode", "adm1_en", "ADM2_PCODE", "ADM2_EN", "ADM2_REF"], level=1)
    assert (found["level"], found["code_field"], found["name_fields"]) == (
        "admin1",
        "adm1_pcode",
        ["adm1_en"],
    )
    found = detect_schema(["ADM1_PCODE", "ADM2_PCODE", "ADM2_REF", "ADM2_EN", "ADM2ALT2EN"])
    assert found["code_field"] == "ADM2_PCODE"
    assert found["name_fields"] == ["ADM2_EN", "ADM2_REF", "ADM2ALT2EN"]
    assert found["levels"] == [1, 2]


def test_geopackage_layer_is_chosen_or_required(tmp_path, ukraine):
    path = tmp_path / "ukr.gpkg"
    adm1 = cod_ab(ukraine)
    adm1.to_file(path, layer="adm1", engine="pyogrio")
    adm0 = adm1.dissolve("ADM0_PCODE").reset_index()[["ADM0_PCODE", "ADM0_EN", "geometry"]]
    adm0.to_file(path, layer="adm0", engine="pyogrio")
    with pytest.raises(
        BoundaryFileError, match=r"2 layers \(layers and geometry: .*'adm1'.*'adm0'.*layer="
    ):
        load_boundaries(path)
    units_, _ = load_boundaries(path, layer="adm0")
    assert units_.level == "admin0"
    assert units_.frame["code"].tolist() == ["UA"]
    assert units_.frame["country"].tolist() == ["UKR"]
    with pytest.raises(BoundaryFileError, match=r"no layer 'adm2' \(layers and geometry: "):
        load_boundaries(path, layer="adm2")
    units_.frame.iloc[:0].to_file(path, layer="none", engine="pyogrio")
    with pytest.raises(BoundaryFileError, match=r"'ukr.gpkg', layer 'none', has no features"):
        load_boundaries(path, layer="none")


def test_non_spatial_table_does_not_count_as_a_layer(tmp_path, ukraine):
    path = tmp_path / "styled.gpkg"
    cod_ab(ukraine).to_file(path, layer="adm1", engine="pyogrio")
    styles = pd.DataFrame({"styleName": ["default"]})
    pyogrio.write_dataframe(styles, path, layer="layer_styles")
    units_, _ = load_boundaries(path)
    assert len(units_.frame) == 27


def test_geoboundaries_geojson_takes_shape_id_where_shape_iso_is_empty(tmp_path, ukraine):
    few = ukraine[ukraine["code"].isin(["UA-63", "UA-09", "UA-14"])].reset_index(drop=True)
    frame = gpd.GeoDataFrame(
        {
            "shapeName": few["name_en"],
            "shapeISO": few["code"].where(few["code"] != "UA-09", ""),
            "shapeID": [f"UKR-ADM1-3_0_0-B{i}" for i in range(len(few))],
            "shapeGroup": "UKR",
            "shapeType": "ADM1",
        },
        geometry=few.geometry.values,
        crs=4326,
    )
    path = tmp_path / "geoBoundaries-UKR-ADM1.geojson"
    frame.to_file(path, driver="GeoJSON", engine="pyogrio")
    units_, report = load_boundaries(path)
    codes = dict(zip(units_.frame["name"], units_.frame["code"], strict=True))
    assert codes["Kharkiv"] == "UA-63"
    assert codes["Luhansk"].startswith("UKR-ADM1-3_0_0-B")
    assert units_.level == "admin1"
    assert set(units_.frame["country"]) == {"UKR"}
    assert units_.code_fields[:3] == ("code", "shapeISO", "shapeID")
    assert units_.name_fields[:2] == ("name", "shapeName")
    assert "geoBoundaries" in units_.source
    assert report.ok
    assert any(n.startswith("1 unit(s) have no shapeISO: their shapeID is their code")
               for n in report.notes), report.notes  # fmt: skip


def test_gadm_zipped_shapefile_in_web_mercator_is_reprojected(tmp_path):
    lonlat = [box(36.0, 49.0, 37.5, 50.0), box(37.5, 49.0, 39.0, 50.0)]
    frame = gpd.GeoDataFrame(
        {
            "GID_0": "UKR",
            "COUNTRY": "Ukraine",
            "GID_1": ["UKR.7_1", "UKR.8_1"],
            "NAME_1": ["Kharkiv", "Luhans'k"],
            "VARNAME_1": ["Kharkov|Charkiw", "Lugansk|Voroshilovgrad"],
            "NL_NAME_1": ["Харківська", "NA"],
            "HASC_1": ["UA.KK", "UA.LH"],
        },
        geometry=lonlat,
        crs=4326,
    ).to_crs(3857)
    archive = write_zipped_shapefile(frame, tmp_path, "gadm41_UKR_1")
    units_, report = load_boundaries(archive)
    assert units_.frame.crs.to_epsg() == 4326
    for got, expected in zip(units_.frame.geometry, lonlat, strict=True):
        np.testing.assert_allclose(got.bounds, expected.bounds, atol=1e-9)
        assert area_km2(got) == pytest.approx(area_km2(expected), rel=1e-9)
    frame = units_.frame.set_index("code")
    assert frame.loc["UKR.7_1", "name"] == "Kharkiv"
    assert frame.loc["UKR.8_1", "NL_NAME_1"] == ""  # GADM's "NA" is no name
    assert frame.loc["UKR.8_1", "VARNAME_1"] == "Lugansk|Voroshilovgrad"
    assert set(frame["country"]) == {"UKR"}
    assert units_.level == "admin1"
    assert units_.code_fields == ("code", "GID_1", "HASC_1")
    assert units_.name_fields == ("name", "NAME_1", "VARNAME_1", "NL_NAME_1")
    assert "GADM" in units_.source and "gadm41_UKR_1.zip" in units_.source
    assert any("reprojected from EPSG:3857" in n for n in report.notes)
    assert report.ok


def test_kml_with_named_fields(tmp_path):
    frame = units(box(20, 10, 21, 11), box(21, 10, 22, 11), codes=["XY01", "XY02"])
    path = tmp_path / "units.kml"
    frame.to_file(path, driver="KML", engine="pyogrio")
    units_, report = load_boundaries(
        path, level=2, code_field="pcode", name_fields=["label"], country="UKR"
    )
    assert units_.frame["code"].tolist() == ["XY01", "XY02"]
    assert units_.frame["name"].tolist() == ["Unit XY01", "Unit XY02"]
    assert units_.level == "admin2"
    assert set(units_.frame["country"]) == {"UKR"}
    assert "fields named by the user" in units_.source
    assert report.ok


def test_numeric_codes_lose_their_decimal_point(tmp_path):
    frame = units(box(0, 0, 1, 1), box(1, 0, 2, 1))
    frame["pcode"] = [101.0, 102.0]
    units_, _ = load_units(tmp_path, frame, country="UKR")
    assert units_.frame["code"].tolist() == ["101", "102"]


# --- validation -----------------------------------------------------------------


def test_bow_tie_is_repaired_and_reported(tmp_path):
    bow_tie = Polygon([(30, 48), (31, 49), (31, 48), (30, 49), (30, 48)])
    assert not bow_tie.is_valid
    units_, report = load_units(tmp_path, units(bow_tie, box(31, 48, 32, 49)), country="UKR")
    triangles = MultiPolygon(
        [Polygon([(30, 48), (30.5, 48.5), (30, 49)]), Polygon([(31, 48), (30.5, 48.5), (31, 49)])]
    )
    repaired = units_.frame.geometry.iloc[0]
    assert repaired.is_valid and repaired.geom_type in ("Polygon", "MultiPolygon")
    assert repaired.symmetric_difference(triangles).area < 1e-12
    [finding] = report.invalid
    assert finding.codes == ("A",)
    assert "Self-intersection" in finding.what
    assert finding.area_km2 == pytest.approx(area_km2(triangles), rel=1e-9)
    assert finding.area_km2 == pytest.approx(
        quadrangle_km2(30, 48, 31, 49) / 2, rel=0.01
    )  # half the degree square
    assert not report.ok
    assert report.lines()[1].startswith("invalid A: invalid geometry (Self-intersection[")


def test_overlap_area_matches_an_independent_geodesic_computation(tmp_path):
    a, b = box(30.0, 48.0, 30.5, 48.5), box(30.4, 48.1, 31.0, 48.6)
    _, report = load_units(tmp_path, units(a, b), country="UKR")
    [overlap] = report.overlaps
    assert overlap.codes == ("A", "B")
    expected = quadrangle_km2(30.4, 48.1, 30.5, 48.5)
    assert overlap.area_km2 == pytest.approx(expected, rel=0.01)
    assert box(30.4, 48.1, 30.5, 48.5).contains(shapely.Point(overlap.point))
    assert not report.ok and report.gaps == []


def test_touching_units_do_not_overlap(tmp_path):
    _, report = load_units(tmp_path, units(box(0, 0, 1, 1), box(1, 0, 2, 1)), country="UKR")
    assert report.ok, report.lines()


def test_sliver_between_neighbours_is_a_gap_but_a_lake_is_not(tmp_path):
    lake = box(30.1, 48.1, 30.2, 48.2)
    a = Polygon(box(30, 48, 30.5, 48.5).exterior.coords, [lake.exterior.coords])
    notch = [(30.5, 48.3), (30.502, 48.25), (30.5, 48.2)]  # B's border bends 150 m east
    b = Polygon([(30.5, 48), (31, 48), (31, 48.5), (30.5, 48.5), *notch, (30.5, 48)])
    _, report = load_units(tmp_path, units(a, b), country="UKR")
    [gap] = report.gaps
    sliver = Polygon(notch)
    assert gap.codes == ("A", "B")
    assert gap.area_km2 == pytest.approx(area_km2(sliver), rel=1e-6)
    assert 0.5 < gap.area_km2 < 1.5
    assert sliver.contains(shapely.Point(gap.point))
    assert report.overlaps == [] and report.invalid == []
    assert "gap A / B" in "\n".join(report.lines())


def test_sliver_below_tolerance_is_not_reported(tmp_path):
    notch = [(30.5, 48.3), (30.5000001, 48.25), (30.5, 48.2)]  # 1 cm wide
    b = Polygon([(30.5, 48), (31, 48), (31, 48.5), (30.5, 48.5), *notch, (30.5, 48)])
    _, report = load_units(tmp_path, units(box(30, 48, 30.5, 48.5), b), country="UKR")
    assert area_km2(Polygon(notch)) < GAP_TOLERANCE_KM2
    assert report.ok, report.lines()


def test_enclave_unit_fills_the_hole_of_its_neighbour(tmp_path):
    inner = box(30.2, 48.2, 30.3, 48.3)
    outer = Polygon(box(30, 48, 30.5, 48.5).exterior.coords, [inner.exterior.coords])
    _, report = load_units(tmp_path, units(outer, inner), country="UKR")
    assert report.ok, report.lines()


def test_empty_geometry_is_reported(tmp_path):
    frame = units(box(0, 0, 1, 1), box(1, 0, 2, 1))
    frame.loc[1, "geometry"] = None
    _, report = load_units(tmp_path, frame, country="UKR")
    assert [(f.kind, f.codes, f.area_km2) for f in report.empty] == [("empty", ("B",), 0.0)]
    assert not report.ok


def test_validate_any_boundary_set():
    georgia = BoundarySet("ne-georgia", "admin1", geo.admin1(["GEO"]))
    geometry, report = validate(georgia)
    assert len(geometry) == 12
    assert isinstance(report, ValidationReport) and report.ok


# --- errors ---------------------------------------------------------------------


def test_duplicate_codes_are_listed_with_the_fix(tmp_path, ukraine):
    frame = cod_ab(ukraine)
    frame.loc[frame["ADM1_PCODE"] == "UA65", "ADM1_PCODE"] = "UA63"
    path = tmp_path / "dup.gpkg"
    frame.to_file(path, engine="pyogrio")
    with pytest.raises(
        BoundaryFileError,
        match=r"1 code\(s\) in 'ADM1_PCODE' are used by several features: \['UA63'\].*"
        r"Fix: name another code field with code_field=",
    ):
        load_boundaries(path)


def test_empty_codes_are_listed_by_feature_number(tmp_path):
    frame = units(box(0, 0, 1, 1), box(1, 0, 2, 1), box(2, 0, 3, 1), codes=["A", "", None])
    with pytest.raises(
        BoundaryFileError, match=r"2 feature\(s\) have no code in 'pcode': features \[2, 3\]"
    ):
        load_units(tmp_path, frame)


def test_unknown_schema_lists_the_columns_found(tmp_path):
    frame = units(box(0, 0, 1, 1))
    path = tmp_path / "plain.gpkg"
    frame.to_file(path, engine="pyogrio")
    with pytest.raises(
        BoundaryFileError,
        match=r"schema not recognised.*columns found: \['pcode', 'label'\]\. Fix: .*code_field=",
    ):
        load_boundaries(path)
    with pytest.raises(
        BoundaryFileError, match=r"no column\(s\) \['P_CODE'\]; columns found: \['pcode', 'label'\]"
    ):
        load_boundaries(path, code_field="P_CODE", level="admin1")


def test_level_is_needed_without_a_schema(tmp_path):
    with pytest.raises(
        BoundaryFileError, match=r"admin level of the units is not known.*level='admin1'"
    ):
        load_units(tmp_path, units(box(0, 0, 1, 1)), level=None, country="UKR")
    with pytest.raises(BoundaryFileError, match=r"unknown admin level 'province'"):
        load_units(tmp_path, units(box(0, 0, 1, 1)), level="province", country="UKR")


def test_no_crs_with_projected_coordinates_is_an_error(tmp_path):
    frame = units(box(0, 0, 1, 1), box(1, 0, 2, 1)).to_crs(3857)
    frame.geometry = frame.geometry.translate(3_000_000, 6_000_000)
    frame.to_file(tmp_path / "units.shp", engine="pyogrio")
    (tmp_path / "units.prj").unlink()
    with pytest.raises(
        BoundaryFileError,
        match=r"'units.shp' has no coordinate reference system \(CRS\) and its coordinates "
        r"\(x 3e\+06 to .*\) are not longitude/latitude.*Fix: add it to the file",
    ):
        load_boundaries(tmp_path / "units.shp", level=1, code_field="pcode")


def test_no_crs_with_lon_lat_coordinates_is_read_as_wgs84(tmp_path):
    frame = units(box(30, 48, 31, 49), box(31, 48, 32, 49))
    frame.to_file(tmp_path / "units.shp", engine="pyogrio")
    (tmp_path / "units.prj").unlink()
    units_, report = load_boundaries(tmp_path / "units.shp", level=1, code_field="pcode")
    assert units_.frame.crs.to_epsg() == 4326
    assert units_.frame.geometry.iloc[0].equals(box(30, 48, 31, 49))
    assert any("no CRS" in n for n in report.notes)
    assert any("unknown country" in n for n in report.notes)
    assert set(units_.frame["country"]) == {""}


def test_country_given_must_agree_with_the_file(tmp_path, ukraine):
    path = tmp_path / "ukr.gpkg"
    cod_ab(ukraine).to_file(path, engine="pyogrio")
    with pytest.raises(
        BoundaryFileError, match=r"'ADM0_PCODE' gives the countries \['UKR'\], not 'RUS'"
    ):
        load_boundaries(path, country="RUS")
    with pytest.raises(
        BoundaryFileError, match=r"unknown country code 'Ukraine': expected an ISO 3166-1 alpha-3"
    ):
        load_boundaries(path, country="Ukraine")


def test_points_are_not_boundaries(tmp_path):
    frame = units(shapely.Point(0, 0), box(1, 0, 2, 1))
    with pytest.raises(
        BoundaryFileError, match=r"1 unit\(s\) are \['Point'\], not polygons \(codes \['A'\]"
    ):
        load_units(tmp_path, frame, country="UKR")


def test_missing_and_unreadable_files(tmp_path):
    with pytest.raises(BoundaryFileError, match=r"no boundary file at .*nowhere\.gpkg"):
        load_boundaries(tmp_path / "nowhere.gpkg")
    (tmp_path / "notes.gpkg").write_text("not a geopackage", encoding="utf-8")
    with pytest.raises(BoundaryFileError, match=r"cannot read 'notes.gpkg' as a vector file"):
        load_boundaries(tmp_path / "notes.gpkg")
