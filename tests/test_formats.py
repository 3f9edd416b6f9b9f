"""layers.formats: every file kind read as it is, every unreadable file refused with a reason.

All fixtures are built here, in tmp_path: nothing binary is committed.
"""

import csv
import datetime as dt
import json
import re
import zipfile

import geopandas as gpd
import openpyxl
import pandas as pd
import pytest
from shapely.geometry import Point, box

from layers.formats import FileReadError, RawTable, list_layers, normalise_hxl_tag, read_table

ROWS = [["district", "note", "area_km2"], ["North", "cleared, then re-surveyed", "14.5"]]


# --- fixture makers -------------------------------------------------------------------------


def write_csv(path, rows, delimiter=",", encoding="utf-8"):
    with open(path, "w", encoding=encoding, newline="") as f:
        csv.writer(f, delimiter=delimiter).writerows(rows)
    return path


def points():
    data = {"name": ["a", "b"], "area": [1.5, 2.0]}
    return gpd.GeoDataFrame(data, geometry=[Point(30, 50), Point(31.5, 51)], crs="EPSG:4326")


def write_shapefile_zip(tmp_path, gdf, name="sha", folder_in_zip=""):
    folder = tmp_path / f"{name}_shp"
    folder.mkdir()
    gdf.to_file(folder / f"{name}.shp", engine="pyogrio")
    path = tmp_path / f"{name}.zip"
    with zipfile.ZipFile(path, "w") as z:
        for f in sorted(folder.iterdir()):
            z.write(f, folder_in_zip + f.name)
    return path


def zip_with_member(path, info):
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("ok.shp", b"x")
        z.writestr(info, b"x")
    return path


# --- CSV ------------------------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_csv_delimiter_is_sniffed_and_quoted_values_survive(tmp_path, delimiter):
    rows = [*ROWS, ["South", f"a{delimiter}b\nsecond line", "3"], ["East", 'say "hi"', ""]]
    t = read_table(write_csv(tmp_path / "t.csv", rows, delimiter))
    assert isinstance(t, RawTable)
    assert list(t.frame.columns) == ROWS[0]
    assert t.frame["note"].tolist() == [ROWS[1][1], f"a{delimiter}b\nsecond line", 'say "hi"']
    assert t.frame["area_km2"].tolist() == ["14.5", "3", ""]
    assert t.row_numbers == [2, 3, 4]  # records, not lines: the quoted line break is one row
    assert (t.format, t.geometry, t.crs, t.hxl_tags, t.source) == ("csv", None, None, {}, "t.csv")


def test_csv_delimiter_argument_overrides_the_sniffer(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("a;b|c\n1;2|3\n", encoding="utf-8")
    assert list(read_table(path).frame.columns) == ["a", "b|c"]
    assert list(read_table(path, delimiter="|").frame.columns) == ["a;b", "c"]


def test_semicolon_file_with_decimal_commas_and_commas_in_names(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("Oblast, region;Area, km2\nDonetsk;1,5\nLuhansk;2,25\n", encoding="utf-8")
    t = read_table(path)
    assert t.frame.to_dict("list") == {
        "Oblast, region": ["Donetsk", "Luhansk"],
        "Area, km2": ["1,5", "2,25"],
    }


@pytest.mark.parametrize(
    ("encoding", "reported"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("cp1251", "cp1251"), ("utf-16", "utf-16")],
)
def test_csv_encodings(tmp_path, encoding, reported):
    rows = [["Область", "Район", "Площа, км²" if encoding != "cp1251" else "Площадь"]]
    rows.append(["Донецька", "Волноваський «Схід»", "12,5"])
    t = read_table(write_csv(tmp_path / "t.csv", rows, ";", encoding))
    assert t.encoding == reported
    assert list(t.frame.columns) == rows[0]  # no BOM left on the first name
    assert t.frame.iloc[0].tolist() == rows[1]


def test_encoding_argument(tmp_path):
    path = write_csv(tmp_path / "t.csv", [["Zone", "Fläche"], ["Süd", "3"]], encoding="latin-1")
    t = read_table(path, encoding="latin-1")
    assert (list(t.frame.columns), t.encoding) == (["Zone", "Fläche"], "latin-1")


def test_unknown_encoding_is_refused(tmp_path):
    path = write_csv(
        tmp_path / "t.csv", [["Zone", "Fläche"], ["Müller", "Straße"]], encoding="latin-1"
    )
    with pytest.raises(FileReadError, match=r"unknown text encoding \(not UTF-8 or CP1251\)") as e:
        read_table(path)
    assert e.value.fix.startswith("save the file as UTF-8, or pass encoding=")
    with pytest.raises(FileReadError, match=r"not valid utf-8: byte 0xe4 at position 7"):
        read_table(path, encoding="utf-8")
    with pytest.raises(FileReadError, match="unknown encoding name 'klingon'"):
        read_table(path, encoding="klingon")
    french = write_csv(tmp_path / "f.csv", [["zone"], ["à risque"]], encoding="latin-1")
    with pytest.raises(FileReadError, match=r"unknown text encoding"):  # not Cyrillic 'а'
        read_table(french)


def test_blank_rows_are_skipped_but_counted(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("a,b\n1,2\n\n,\n3,4\n", encoding="utf-8")
    t = read_table(path)
    assert t.frame["a"].tolist() == ["1", "3"]
    assert t.row_numbers == [2, 5]


def test_short_rows_are_padded_and_empty_unnamed_columns_dropped(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("a,b,\n1\n2,3,\n", encoding="utf-8")
    t = read_table(path)
    assert t.frame.to_dict("list") == {"a": ["1", "2"], "b": ["", "3"]}


def test_values_without_a_column_name_are_refused(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("a,b\n1,2\n3,4,5\n", encoding="utf-8")
    with pytest.raises(
        FileReadError, match=r"column\(s\) C \(e\.g\. row 3\) of the file have values but no name"
    ):
        read_table(path)


def test_duplicate_header_is_refused(tmp_path):
    path = write_csv(tmp_path / "t.csv", [["area", "name", "area"], ["1", "x", "2"]])
    with pytest.raises(FileReadError, match=r"duplicate column name\(s\) \['area'\] in the header"):
        read_table(path)


def test_unclosed_quote_is_refused_not_merged(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text('a,b\n1,"open\n2,3\n', encoding="utf-8")
    with pytest.raises(
        FileReadError, match=r"row 2 \(line 3\) is not valid CSV: unexpected end of data"
    ):
        read_table(path)


# --- HXL ------------------------------------------------------------------------------------


def test_hxl_hashtag_row_is_read_and_rows_start_at_3(tmp_path):
    rows = [
        ["Region", "P-code", "Killed", "Comment"],
        ["#Adm1 +Name", "#adm1+code", "#affected +killed +children", ""],
        ["Kharkiv", "UA63", "4", "#not a tag row"],
        ["Sumy", "UA59", "1", ""],
    ]
    t = read_table(write_csv(tmp_path / "hdx.csv", rows))
    assert t.hxl_tags == {
        "Region": "#adm1+name",
        "P-code": "#adm1+code",
        "Killed": "#affected+children+killed",
    }
    assert t.row_numbers == [3, 4]
    assert t.frame["Region"].tolist() == ["Kharkiv", "Sumy"]


def test_hxl_hashtags_as_the_only_header(tmp_path):
    t = read_table(write_csv(tmp_path / "hdx.csv", [["#Adm1 +Name", "#affected"], ["Sumy", "1"]]))
    assert t.hxl_tags == {"#Adm1 +Name": "#adm1+name", "#affected": "#affected"}
    assert t.row_numbers == [2]


def test_a_data_row_with_one_hash_is_not_a_hashtag_row(tmp_path):
    t = read_table(
        write_csv(tmp_path / "t.csv", [["a", "b", "c"], ["#1", "", "x"], ["2", "", "y"]])
    )
    assert (t.hxl_tags, t.row_numbers) == ({}, [2, 3])


def test_normalise_hxl_tag():
    assert normalise_hxl_tag("#Adm1 +Code") == "#adm1+code"
    assert normalise_hxl_tag(" #affected+killed +F+f ") == "#affected+f+killed"
    with pytest.raises(ValueError, match="'adm1' is not an HXL hashtag"):
        normalise_hxl_tag("adm1")


# --- Excel ----------------------------------------------------------------------------------


def make_workbook(path):
    wb = openpyxl.Workbook()
    wb.active.title = "Notes"
    wb.active.append(["read me"])
    wb.active.append(["targets are in Plan"])
    plan = wb.create_sheet("Plan")
    plan.append(["district", "target", "date", "done"])
    plan.append(["North", 14.0, dt.date(2024, 3, 1), True])
    plan.append(["South", 2.5, dt.datetime(2024, 3, 1, 12, 30), None])
    plan.append([])
    plan.append(["West", 7, "2024-04-01", False])
    wb.save(path)
    return path


def test_excel_sheet_choice_dates_and_numbers(tmp_path):
    path = make_workbook(tmp_path / "targets.xlsx")
    assert list_layers(path) == ["Notes", "Plan"]
    first = read_table(path)
    assert (first.source, list(first.frame.columns)) == ("targets.xlsx, sheet 'Notes'", ["read me"])
    t = read_table(path, sheet="Plan")
    assert t.frame.to_dict("list") == {
        "district": ["North", "South", "West"],
        "target": ["14", "2.5", "7"],
        "date": ["2024-03-01", "2024-03-01T12:30:00", "2024-04-01"],
        "done": ["TRUE", "", "FALSE"],
    }
    assert t.row_numbers == [2, 3, 5]
    assert (t.format, t.encoding, t.geometry) == ("xlsx", None, None)


def test_excel_unknown_sheet_lists_the_sheets(tmp_path):
    path = make_workbook(tmp_path / "targets.xlsx")
    with pytest.raises(
        FileReadError, match=r"no sheet 'Plans'; its sheets are \['Notes', 'Plan'\]"
    ):
        read_table(path, sheet="Plans")
    with pytest.raises(FileReadError, match=r"layer= .* not apply to an Excel .* \(use sheet="):
        read_table(path, layer="Plan")


def test_excel_hxl_and_uncalculated_formula(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["Region", "Killed"])
    wb.active.append(["#adm1+name", "#affected+killed"])
    wb.active.append(["Sumy", 3])
    wb.save(tmp_path / "hdx.xlsx")
    t = read_table(tmp_path / "hdx.xlsx")
    assert (t.hxl_tags["Killed"], t.row_numbers) == ("#affected+killed", [3])
    wb.active.append(["Kyiv", "=B3*2"])  # openpyxl saves no result for the formula
    wb.save(tmp_path / "formula.xlsx")
    with pytest.raises(
        FileReadError, match=r"sheet 'Sheet': cell\(s\) B4 hold formulas with no saved result"
    ):
        read_table(tmp_path / "formula.xlsx")


# --- GeoJSON, GeoPackage --------------------------------------------------------------------


def test_geojson_with_a_null_geometry(tmp_path):
    path = tmp_path / "incidents.geojson"
    features = [
        {
            "type": "Feature",
            "id": 7,
            "properties": {"code": "i1", "killed": 2},
            "geometry": {"type": "Point", "coordinates": [36.2, 49.9]},
        },
        {
            "type": "Feature",
            "id": 9,
            "properties": {"code": "i2", "killed": None},
            "geometry": None,
        },
    ]
    path.write_text(
        json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8"
    )
    t = read_table(path)
    assert t.frame.to_dict("list") == {"id": ["7", "9"], "code": ["i1", "i2"], "killed": ["2", ""]}
    assert t.row_numbers == [1, 2]
    assert t.geometry.crs == "EPSG:4326" and t.geometry.iloc[1] is None
    assert (t.geometry.iloc[0].x, t.geometry.iloc[0].y) == (36.2, 49.9)
    assert (t.format, t.crs, t.source) == ("geojson", "EPSG:4326", "incidents.geojson")


def test_geojson_in_metres_needs_crs(tmp_path):
    path = tmp_path / "m.geojson"
    points().to_crs(3857).to_file(
        path, engine="pyogrio", driver="GeoJSON", RFC7946="NO", WRITE_NAME="NO"
    )
    text = json.loads(path.read_text())
    text.pop("crs")
    path.write_text(json.dumps(text))
    with pytest.raises(FileReadError, match=r"EPSG:4326 but the coordinates are not longitude/l"):
        read_table(path)
    t = read_table(path, crs="EPSG:3857")
    assert list(t.frame.columns) == ["name", "area"]  # no feature ids, no id column
    assert t.geometry.iloc[1].x == pytest.approx(31.5) and t.geometry.iloc[1].y == pytest.approx(51)


def test_geopackage_with_two_layers(tmp_path):
    path = tmp_path / "hazards.gpkg"
    points().to_file(path, layer="sha", engine="pyogrio")
    gpd.GeoDataFrame({"code": ["c1"]}, geometry=[box(30, 50, 31, 51)], crs=4326).to_file(
        path, layer="cha", engine="pyogrio"
    )
    assert list_layers(path) == ["sha", "cha"]
    with pytest.raises(
        FileReadError, match=r"hazards\.gpkg: it holds 2 layers \['sha', 'cha'\] and"
    ):
        read_table(path)
    with pytest.raises(FileReadError, match=r"no layer 'chx'; its layers are \['sha', 'cha'\]"):
        read_table(path, layer="chx")
    t = read_table(path, layer="cha")
    assert t.frame.to_dict("list") == {"fid": ["1"], "code": ["c1"]}
    assert (t.source, t.format) == ("hazards.gpkg, layer 'cha'", "gpkg")
    assert t.geometry.iloc[0].bounds == (30, 50, 31, 51)


# --- Shapefile ------------------------------------------------------------------------------


def test_zipped_shapefile_is_reprojected_from_3857(tmp_path):
    path = write_shapefile_zip(tmp_path, points().to_crs(3857), folder_in_zip="data/")
    assert list_layers(path) == ["data/sha"]
    t = read_table(path)
    assert (t.crs, t.format, t.source) == ("EPSG:3857", "shapefile", "sha.zip")
    assert t.geometry.crs == "EPSG:4326"
    assert [(round(g.x, 9), round(g.y, 9)) for g in t.geometry] == [(30, 50), (31.5, 51)]
    assert t.frame.to_dict("list") == {"name": ["a", "b"], "area": ["1.5", "2"]}
    with pytest.raises(
        FileReadError, match="the file's CRS is EPSG:3857 but crs='EPSG:32636' was given"
    ):
        read_table(path, crs="EPSG:32636")


def test_shapefile_next_to_its_sidecars(tmp_path):
    points().to_file(tmp_path / "sha.shp", engine="pyogrio")
    t = read_table(tmp_path / "sha.shp")
    assert (t.format, t.crs, t.row_numbers) == ("shapefile", "EPSG:4326", [1, 2])
    (tmp_path / "sha.dbf").unlink()
    with pytest.raises(
        FileReadError, match=r"the shapefile 'sha\.shp' has no \.dbf file beside it"
    ):
        read_table(tmp_path / "sha.shp")


def test_shapefile_without_crs(tmp_path):
    points().to_file(tmp_path / "ll.shp", engine="pyogrio")
    (tmp_path / "ll.prj").unlink()
    t = read_table(tmp_path / "ll.shp")
    assert t.crs is None and t.geometry.iloc[0].x == 30
    points().to_crs(32636).to_file(tmp_path / "utm.shp", engine="pyogrio")
    (tmp_path / "utm.prj").unlink()
    with pytest.raises(FileReadError, match=r"no CRS and coordinates are not longitude/latitude"):
        read_table(tmp_path / "utm.shp")
    t = read_table(tmp_path / "utm.shp", crs="EPSG:32636")
    assert t.crs == "EPSG:32636" and t.geometry.iloc[0].x == pytest.approx(30)


def test_zip_without_a_shapefile_and_with_two(tmp_path):
    with zipfile.ZipFile(tmp_path / "c.zip", "w") as z:
        z.writestr("data.csv", "a\n1\n")
    with pytest.raises(
        FileReadError, match=r"the zip holds no shapefile \(\.shp\), only \['data\.csv'\]"
    ):
        read_table(tmp_path / "c.zip")
    path = write_shapefile_zip(tmp_path, points())
    with zipfile.ZipFile(path, "a") as z:
        for ext in ("shp", "shx", "dbf"):
            z.writestr(f"other.{ext}", z.read(f"sha.{ext}"))
    with pytest.raises(FileReadError, match=r"it holds 2 layers \['other', 'sha'\]"):
        read_table(path)
    assert read_table(path, layer="other.shp").frame["name"].tolist() == ["a", "b"]


# --- KML ------------------------------------------------------------------------------------


def test_kml(tmp_path):
    path = tmp_path / "sites.kml"
    points().to_file(path, driver="KML", engine="pyogrio")
    t = read_table(path)
    assert t.format == "kml" and t.source.startswith("sites.kml, layer ")
    assert t.frame["Name"].tolist() == ["a", "b"] and t.frame["area"].tolist() == ["1.5", "2"]
    assert not {"tessellate", "extrude", "visibility", "timestamp"} & set(t.frame.columns)
    assert [(g.x, g.y) for g in t.geometry] == [(30, 50), (31.5, 51)]
    with zipfile.ZipFile(tmp_path / "sites.kmz", "w") as z:
        z.write(path, "doc.kml")
    kmz = read_table(tmp_path / "sites.kmz")
    assert kmz.format == "kml" and kmz.frame["Name"].tolist() == ["a", "b"]


def test_kml_folders_are_layers(tmp_path):
    placemark = (
        "<Placemark><name>{}</name><Point><coordinates>30,50</coordinates></Point></Placemark>"
    )
    folders = "".join(
        f"<Folder><name>{f}</name>{placemark.format(f + '1')}</Folder>" for f in ("SHA", "CHA")
    )
    path = tmp_path / "two.kml"
    path.write_text(
        f'<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>{folders}</Document></kml>'
    )
    assert list_layers(path) == ["SHA", "CHA"]
    with pytest.raises(FileReadError, match=r"it holds 2 layers \['SHA', 'CHA'\]"):
        read_table(path)
    assert read_table(path, layer="CHA").frame["Name"].tolist() == ["CHA1"]


# --- files that cannot be read --------------------------------------------------------------


def test_wrong_file_type(tmp_path):
    png = tmp_path / "figures.csv"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    with pytest.raises(FileReadError, match=r"figures\.csv: wrong file type: .* like a PNG image"):
        read_table(png)
    gj = tmp_path / "points.csv"
    gj.write_text('{"type": "FeatureCollection", "features": []}')
    with pytest.raises(
        FileReadError, match=r"wrong file type: the name .* looks like GeoJSON\. Fix"
    ):
        read_table(gj)
    doc = tmp_path / "notes.docx"
    doc.write_text("a,b\n1,2\n")
    with pytest.raises(FileReadError, match=r"wrong file type: .* \(name ending '\.docx'\)"):
        read_table(doc)


@pytest.mark.parametrize(
    ("member", "problem"),
    [
        ("../../x.shp", "escapes its folder"),
        ("/etc/x.shp", "escapes its folder"),
        ("..\\..\\x.shp", "escapes its folder"),
        ("C:/x.shp", "escapes its folder"),
        ("data\\x.shp", "has a backslash in its name"),
    ],
)
def test_zip_slip_is_refused(tmp_path, member, problem):
    path = zip_with_member(tmp_path / "evil.zip", zipfile.ZipInfo(member))
    with pytest.raises(FileReadError, match=re.escape(f"zip member {member!r} {problem}")):
        read_table(path)


def test_zip_symlink_is_refused(tmp_path):
    info = zipfile.ZipInfo("link.dbf")
    info.external_attr = 0o120777 << 16
    path = zip_with_member(tmp_path / "evil.zip", info)
    with pytest.raises(FileReadError, match=r"zip member 'link\.dbf' is a symbolic link"):
        list_layers(path)


def test_no_data_rows(tmp_path):
    (tmp_path / "empty.csv").write_bytes(b"")
    with pytest.raises(FileReadError, match=r"empty\.csv: no data rows: the file is empty"):
        read_table(tmp_path / "empty.csv")
    (tmp_path / "header.csv").write_text("a,b\n\n")
    with pytest.raises(FileReadError, match=r"no data rows: the file has only a header \(row 1\)"):
        read_table(tmp_path / "header.csv")
    (tmp_path / "hxl.csv").write_text("a,b\n#adm1,#adm2\n")
    with pytest.raises(FileReadError, match="no data rows"):
        read_table(tmp_path / "hxl.csv")
    (tmp_path / "none.geojson").write_text('{"type": "FeatureCollection", "features": []}')
    with pytest.raises(FileReadError, match="no data rows: layer 'none' has no features"):
        read_table(tmp_path / "none.geojson")


def test_missing_file(tmp_path):
    with pytest.raises(
        FileReadError, match=r"nope\.csv: no such file \(.*nope\.csv\)\. Fix: check the folder"
    ):
        read_table(tmp_path / "nope.csv")


def test_options_that_do_not_apply(tmp_path):
    path = write_csv(tmp_path / "t.csv", ROWS)
    with pytest.raises(FileReadError, match=r"crs= was given but does not apply to delimited text"):
        read_table(path, crs="EPSG:4326")
    with pytest.raises(FileReadError, match=r"delimiter=';;' is not one character"):
        read_table(path, delimiter=";;")


def test_same_file_same_table(tmp_path):
    path = write_shapefile_zip(tmp_path, points())
    a, b = read_table(path), read_table(path)
    pd.testing.assert_frame_equal(a.frame, b.frame)
    assert a.geometry.equals(b.geometry)
    assert (a.row_numbers, a.crs, a.source) == (b.row_numbers, b.crs, b.source)
    assert all(isinstance(v, str) for v in a.frame.to_numpy().ravel())


def test_gdal_warnings_are_notes_of_the_table_not_python_warnings(tmp_path):
    path = tmp_path / "hazards.geojson"
    ring = [[37.0, 48.0], [37.1, 48.0], [37.1, 48.1], [37.0, 48.1]]  # not closed
    path.write_text(
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
        '{"place": "Donetsk"}, "geometry": {"type": "Polygon", "coordinates": ['
        + str(ring)
        + "]}}]}",
        encoding="utf-8",
    )
    table = read_table(path)  # the project's pytest settings make any warning an error
    assert any(n.startswith("GDAL: Non closed ring detected") for n in table.notes), table.notes
