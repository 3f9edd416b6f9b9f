"""layers.formats and layers.limits: what reading a file may cost, and damaged files refused.

Every fixture is built here, in tmp_path: zip bombs, forged zip headers, a
degree-valued file labelled EPSG:3857, damaged workbooks and GIS files.
"""

import dataclasses
import io
import json
import os
import re
import sqlite3
import struct
import zipfile
import zlib

import geopandas as gpd
import openpyxl
import pyogrio
import pytest
from shapely.geometry import Point

from layers.formats import FileReadError, ReadLimits, list_layers, read_table
from layers.limits import RATIO_FLOOR

MiB = 1 << 20
ROW = '<row><c t="inlineStr"><is><t>North</t></is></c><c><v>14.5</v></c></row>'


def _raise(field: str) -> str:
    """The end of every limit's fix: how to raise it."""
    return (
        f"--limit {field}=N (minemap check or build), [limits] {field} = N in the project "
        f"file, or limits=ReadLimits({field}=...)"
    )


# --- fixture makers -------------------------------------------------------------------------


def workbook_bytes():
    wb = openpyxl.Workbook()
    wb.active.append(["district", "area_km2"])
    wb.active.append(["North", 14.5])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def rezip(data, replace=(), drop=(), compression=zipfile.ZIP_DEFLATED):
    """Copy a zip archive, replacing or dropping members."""
    replace, out = dict(replace), io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", compression) as zout:
        for info in zin.infolist():
            if info.filename not in drop:
                zout.writestr(info.filename, replace.get(info.filename, zin.read(info.filename)))
    return out.getvalue()


def sheet_xml(rows, tail=""):
    """A sheet of a header row, ``rows`` identical data rows, then ``tail``."""
    header = (
        '<row><c t="inlineStr"><is><t>district</t></is></c>'
        '<c t="inlineStr"><is><t>area_km2</t></is></c></row>'
    )
    return (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{header}{ROW * rows}{tail}</sheetData></worksheet>"
    ).encode()


def bomb_xlsx(path, rows, tail=""):
    """A valid workbook whose one sheet holds ``rows`` identical rows: it compresses ~300x."""
    sheet = sheet_xml(rows, tail)
    path.write_bytes(rezip(workbook_bytes(), {"xl/worksheets/sheet1.xml": sheet}))
    with zipfile.ZipFile(path) as z:
        return z.getinfo("xl/worksheets/sheet1.xml")


def points(n=2):
    geoms = [Point(30 + i * 0.001, 50) for i in range(n)]
    return gpd.GeoDataFrame({"name": [f"p{i}" for i in range(n)]}, geometry=geoms, crs=4326)


def shapefile_members(tmp_path, gdf, name="sha"):
    folder = tmp_path / f"{name}_shp"
    folder.mkdir()
    gdf.to_file(folder / f"{name}.shp", engine="pyogrio")
    return {f.name: f.read_bytes() for f in sorted(folder.iterdir())}


def write_zip(path, members, compression=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", compression) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def patch_member(path, member, **fields):
    """Rewrite a member's CRC or uncompressed size in both its headers (a forged archive)."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        info = z.getinfo(member)
    central = data.find(b"PK\x01\x02")
    while data[central + 46 : central + 46 + len(member)] != member.encode():
        central = data.find(b"PK\x01\x02", central + 4)
    for field, value in fields.items():
        local, in_central = {"crc": (14, 16), "size": (22, 24)}[field]
        struct.pack_into("<I", data, info.header_offset + local, value)
        struct.pack_into("<I", data, central + in_central, value)
    path.write_bytes(bytes(data))
    return path


def message(excinfo):
    return str(excinfo.value)


# --- the limits themselves ------------------------------------------------------------------


def test_defaults_are_documented_and_frozen():
    limits = ReadLimits()
    assert dataclasses.asdict(limits) == {
        "max_file_bytes": 2 * 1024**3,
        "max_rows": 5_000_000,
        "max_member_bytes": 1024**3,
        "max_total_uncompressed_bytes": 2 * 1024**3,
        "max_ratio": 100.0,
    }
    with pytest.raises(dataclasses.FrozenInstanceError):
        limits.max_rows = 1  # type: ignore[misc]
    assert MiB == RATIO_FLOOR


@pytest.mark.parametrize(
    ("kwargs", "said"),
    [
        ({"max_rows": 0}, "ReadLimits.max_rows must be a whole number of at least 1, got 0"),
        ({"max_rows": 1.5}, "ReadLimits.max_rows must be a whole number of at least 1, got 1.5"),
        (
            {"max_file_bytes": True},
            "ReadLimits.max_file_bytes must be a whole number of at least 1, got True",
        ),
        ({"max_ratio": 1}, "ReadLimits.max_ratio must be a number above 1, got 1"),
        ({"max_ratio": "10"}, "ReadLimits.max_ratio must be a number above 1, got '10'"),
    ],
)
def test_limits_must_be_positive_numbers(kwargs, said):
    with pytest.raises(ValueError, match=re.escape(said)):
        ReadLimits(**kwargs)


# --- zip archives: bombs and forged headers -------------------------------------------------


def test_xlsx_zip_bomb_is_refused_by_default_before_it_is_opened(tmp_path, monkeypatch):
    path = tmp_path / "hazards.xlsx"
    info = bomb_xlsx(path, 120_000)  # 8.5 MB of XML in about 29 KB
    ratio = info.file_size / info.compress_size
    assert info.file_size > 8 * MiB and ratio > 250
    monkeypatch.setattr(openpyxl, "load_workbook", None)  # nothing may open the workbook
    with pytest.raises(FileReadError) as excinfo:
        read_table(path)
    assert message(excinfo) == (
        f"{path}: zip member 'xl/worksheets/sheet1.xml' unpacks to {info.file_size:,} bytes "
        f"({info.file_size / MiB:.1f} MiB) from {info.compress_size:,} bytes, {ratio:,.0f} times "
        "its compressed size; the limit is 100 times (real files compress 5 to 20 times; a zip "
        "bomb about 1,000). Fix: export the file again from the program that made it, or, if "
        "you trust it, raise the limit with " + _raise("max_ratio")
    )
    with pytest.raises(FileReadError, match=r"the limit is 100 times"):
        list_layers(path)


def test_member_and_total_size_limits(tmp_path):
    path = tmp_path / "plan.xlsx"
    info = bomb_xlsx(path, 30_000)
    with zipfile.ZipFile(path) as z:
        total = sum(i.file_size for i in z.infolist())
        count = len(z.infolist())
    limits = ReadLimits(max_member_bytes=MiB, max_ratio=10_000)
    with pytest.raises(FileReadError) as excinfo:
        read_table(path, limits=limits)
    assert message(excinfo) == (
        f"{path}: zip member 'xl/worksheets/sheet1.xml' unpacks to {info.file_size:,} bytes "
        f"({info.file_size / MiB:.1f} MiB); the limit is 1,048,576 bytes (1.0 MiB) a member. "
        "Fix: split the data into smaller files, or raise the limit with "
        + _raise("max_member_bytes")
    )
    limits = ReadLimits(max_total_uncompressed_bytes=2 * MiB, max_ratio=10_000)
    with pytest.raises(FileReadError) as excinfo:
        read_table(path, limits=limits)
    assert message(excinfo) == (
        f"{path}: the zip archive's {count} members unpack to {total:,} bytes "
        f"({total / MiB:.1f} MiB) in all; the limit is 2,097,152 bytes (2.0 MiB). Fix: split "
        "the data into several files, or raise the limit with "
        + _raise("max_total_uncompressed_bytes")
    )


def test_xlsx_row_limit_stops_reading_at_the_first_row_too_many(tmp_path):
    # The cell after row 1,500 is invalid: reading it would fail differently.
    path = tmp_path / "plan.xlsx"
    bomb_xlsx(path, 1_500, tail='<row><c t="d"><v>not a date</v></c></row>')
    with pytest.raises(FileReadError, match=r"the workbook cannot be read \(Invalid datetime"):
        read_table(path, limits=ReadLimits(max_ratio=10_000))
    with pytest.raises(FileReadError) as excinfo:
        read_table(path, limits=ReadLimits(max_rows=1_000))
    assert message(excinfo) == (
        f"{path}: sheet 'Sheet' has more than 1,000 data rows; the limit is 1,000. Fix: split "
        "the data into files of at most 1,000 data rows, or raise the limit with "
        + _raise("max_rows")
    )
    bomb_xlsx(path, 1_500)  # a valid workbook: under 1 MiB, so its ratio does not count
    t = read_table(path, limits=ReadLimits(max_rows=1_500))
    assert len(t.frame) == 1_500
    assert t.frame.iloc[-1].to_dict() == {"district": "North", "area_km2": "14.5"}


def test_high_ratio_member_of_a_zipped_shapefile(tmp_path):
    members = shapefile_members(tmp_path, points())
    members["sha.prj"] = members["sha.prj"] + b" " * (3 * MiB)
    path = write_zip(tmp_path / "sha.zip", members)
    with zipfile.ZipFile(path) as z:
        info = z.getinfo("sha.prj")
    ratio = info.file_size / info.compress_size
    with pytest.raises(FileReadError) as excinfo:
        list_layers(path)
    assert message(excinfo).startswith(
        f"{path}: zip member 'sha.prj' unpacks to {info.file_size:,} bytes (3.0 MiB) from "
        f"{info.compress_size:,} bytes, {ratio:,.0f} times its compressed size; the limit is "
        "100 times"
    )
    assert read_table(path, limits=ReadLimits(max_ratio=2_000)).crs == "EPSG:4326"


def test_a_padded_dbf_is_not_refused_for_its_ratio(tmp_path):
    # dBase pads text to its field's width: a sparse text column compresses hundreds of times.
    gdf = points(5_000)
    for column in ("note", "status", "source"):
        gdf[column] = ["x" * 250] + [""] * 4_999
    path = write_zip(tmp_path / "sha.zip", shapefile_members(tmp_path, gdf))
    with zipfile.ZipFile(path) as z:
        info = z.getinfo("sha.dbf")
    assert info.file_size > RATIO_FLOOR and info.file_size / info.compress_size > 100
    assert len(read_table(path).frame) == 5_000


def test_zip_header_that_understates_a_member_is_refused(tmp_path):
    # GDAL inflates a member to the end of its data whatever its header declares.
    members = shapefile_members(tmp_path, points(3_000))
    path = write_zip(tmp_path / "sha.zip", members)
    dbf = members["sha.dbf"]
    patch_member(path, "sha.dbf", size=2_000, crc=zlib.crc32(dbf[:2_000]))
    assert len(pyogrio.read_dataframe(f"/vsizip/{path}/sha.shp")) == 3_000
    with pytest.raises(FileReadError) as excinfo:
        read_table(path)
    assert message(excinfo) == (
        f"{path}: zip member 'sha.dbf' unpacks to more than the 2,000 bytes (2.0 KiB) its header "
        "declares. Fix: zip the files again from the originals: the archive is damaged or forged"
    )


@pytest.mark.parametrize("compression", [zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED])
def test_member_with_a_wrong_crc(tmp_path, compression):
    path = write_zip(tmp_path / "sha.zip", shapefile_members(tmp_path, points()), compression)
    with zipfile.ZipFile(path) as z:
        crc = z.getinfo("sha.dbf").CRC
    patch_member(path, "sha.dbf", crc=crc ^ 1)
    with pytest.raises(FileReadError) as excinfo:
        read_table(path)
    assert message(excinfo) == (
        f"{path}: zip member 'sha.dbf' is damaged: its CRC-32 does not match its data. "
        "Fix: zip the files again from the originals"
    )


def test_kmz_is_verified_before_gdal_reads_it(tmp_path):
    kml = tmp_path / "sites.kml"
    points().to_file(kml, driver="KML", engine="pyogrio")
    path = write_zip(tmp_path / "sites.kmz", {"doc.kml": kml.read_bytes()})
    assert read_table(path).frame["Name"].tolist() == ["p0", "p1"]
    with zipfile.ZipFile(path) as z:
        crc = z.getinfo("doc.kml").CRC
    patch_member(path, "doc.kml", crc=crc ^ 1)
    with pytest.raises(FileReadError, match=r"zip member 'doc\.kml' is damaged: its CRC-32"):
        list_layers(path)


def test_member_compressed_with_a_method_gdal_does_not_read(tmp_path):
    members = shapefile_members(tmp_path, points())
    path = write_zip(tmp_path / "sha.zip", members, zipfile.ZIP_BZIP2)
    with pytest.raises(FileReadError) as excinfo:
        read_table(path)
    assert message(excinfo) == (
        f"{path}: zip member 'sha.cpg' is compressed with method 12, which GDAL does not read. "
        "Fix: zip the files again with ordinary (deflate) compression"
    )


# --- file size and rows ---------------------------------------------------------------------


def test_file_over_the_size_limit(tmp_path):
    path = tmp_path / "hazards.csv"
    path.write_text("district,area_km2\n" + "North,14.5\n" * 200, encoding="utf-8")
    size = path.stat().st_size
    with pytest.raises(FileReadError) as excinfo:
        read_table(path, limits=ReadLimits(max_file_bytes=1_000))
    assert message(excinfo) == (
        f"{path}: the file is {size:,} bytes (2.2 KiB); the limit is 1,000 bytes. Fix: split "
        "the data into smaller files, or raise the limit with " + _raise("max_file_bytes")
    )
    with pytest.raises(FileReadError, match=r"the file is 2,218 bytes"):
        list_layers(path, limits=ReadLimits(max_file_bytes=1_000))


def test_csv_over_the_row_limit_stops_splitting_early(tmp_path):
    # An unclosed quote after the limit: splitting every row would fail on it instead.
    path = tmp_path / "hazards.csv"
    path.write_text("district,area_km2\n" + "North,14.5\n" * 11 + '"South,1\n', encoding="utf-8")
    with pytest.raises(FileReadError, match=r"row 13 \(line 13\) is not valid CSV"):
        read_table(path)
    with pytest.raises(FileReadError) as excinfo:
        read_table(path, limits=ReadLimits(max_rows=10))
    assert message(excinfo) == (
        f"{path}: the file has more than 10 data rows; the limit is 10. Fix: split the data "
        "into files of at most 10 data rows, or raise the limit with " + _raise("max_rows")
    )
    ok = tmp_path / "ok.csv"
    ok.write_text("district,area_km2\n" + "North,14.5\n" * 10, encoding="utf-8")
    assert len(read_table(ok, limits=ReadLimits(max_rows=10)).frame) == 10


def test_vector_row_limit_is_checked_before_the_features_are_read(tmp_path, monkeypatch):
    path = tmp_path / "hazards.gpkg"
    points(2_001).to_file(path, layer="sha", engine="pyogrio")

    def read_dataframe(*args, **kwargs):
        raise AssertionError("the features were read")

    monkeypatch.setattr(pyogrio, "read_dataframe", read_dataframe)
    with pytest.raises(FileReadError) as excinfo:
        read_table(path, limits=ReadLimits(max_rows=2_000))
    assert message(excinfo) == (
        f"{path}: layer 'sha' has 2,001 data rows; the limit is 2,000. Fix: split the data "
        "into files of at most 2,000 data rows, or raise the limit with " + _raise("max_rows")
    )


def test_vector_row_limit_holds_when_the_count_is_wrong(tmp_path):
    # A GeoPackage's feature count is a saved number; reading stops at the limit anyway.
    path = tmp_path / "hazards.gpkg"
    points(30).to_file(path, layer="sha", engine="pyogrio")
    db = sqlite3.connect(path)
    with db:
        db.execute("UPDATE gpkg_ogr_contents SET feature_count = 3")
    db.close()
    assert pyogrio.read_info(path)["features"] == 3
    with pytest.raises(FileReadError, match=r"layer 'sha' has more than 10 data rows; the lim"):
        read_table(path, limits=ReadLimits(max_rows=10))
    assert len(read_table(path).frame) == 30


# --- degree-valued coordinates under a projected CRS ----------------------------------------


def geojson_with_crs(path, crs_name):
    fc = json.loads(points().to_json())
    fc["crs"] = {"type": "name", "properties": {"name": crs_name}}
    path.write_text(json.dumps(fc), encoding="utf-8")
    return path


def test_geojson_labelled_3857_holding_degrees(tmp_path):
    path = geojson_with_crs(tmp_path / "sites.geojson", "urn:ogc:def:crs:EPSG::3857")
    with pytest.raises(FileReadError) as excinfo:
        read_table(path)
    assert message(excinfo) == (
        f"{path}: the CRS is EPSG:3857 (metres) but every coordinate lies within -180..180, "
        "-90..90: they look like longitude/latitude. Fix: pass crs='EPSG:4326' if they are "
        "longitude/latitude, or correct the CRS saved in the file"
    )
    t = read_table(path, crs="EPSG:4326")
    assert (t.crs, t.geometry.iloc[1].x, t.geometry.iloc[1].y) == ("EPSG:4326", 30.001, 50)


def test_geopackage_and_shapefile_labelled_projected_holding_degrees(tmp_path):
    gpkg = tmp_path / "sites.gpkg"
    points().set_crs("EPSG:32637", allow_override=True).to_file(gpkg, engine="pyogrio")
    with pytest.raises(FileReadError) as excinfo:
        read_table(gpkg)
    assert message(excinfo) == (
        f"{gpkg}: the CRS is EPSG:32637 (metres) but every coordinate lies within -180..180, "
        "-90..90: they look like longitude/latitude. Fix: correct the CRS saved in the file "
        "(for a shapefile, its .prj): EPSG:4326 if they are longitude/latitude"
    )
    shp = tmp_path / "sites.shp"
    points().set_crs("EPSG:2263", allow_override=True).to_file(shp, engine="pyogrio")
    with pytest.raises(FileReadError, match=r"the CRS is EPSG:2263 \(US survey feet\) but every"):
        read_table(shp)
    (tmp_path / "sites.prj").unlink()
    with pytest.raises(
        FileReadError, match=r"Fix: pass crs='EPSG:4326' if they are longitude/latitude$"
    ):
        read_table(shp, crs="EPSG:3857")


def test_projected_data_far_from_the_origin_is_read(tmp_path):
    path = tmp_path / "m.gpkg"
    points().to_crs("EPSG:3857").to_file(path, engine="pyogrio")
    t = read_table(path)
    assert t.crs == "EPSG:3857"
    assert (round(t.geometry.iloc[1].x, 9), round(t.geometry.iloc[1].y, 9)) == (30.001, 50)


# --- damaged files --------------------------------------------------------------------------


def damaged_files(tmp_path):
    good = workbook_bytes()
    garbage_gpkg = b"SQLite format 3\x00" + bytes(range(256)) * 20
    kml = '<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark>'
    shp = tmp_path / "garbage.shp"
    points().to_file(shp, engine="pyogrio")
    (tmp_path / "garbage.shx").write_bytes(b"\x00\x00\x27\x0a" + bytes(96))
    crc = tmp_path / "crc.xlsx"
    crc.write_bytes(rezip(good, compression=zipfile.ZIP_STORED))
    with zipfile.ZipFile(crc) as z:
        sheet_crc = z.getinfo("xl/worksheets/sheet1.xml").CRC
    patch_member(crc, "xl/worksheets/sheet1.xml", crc=sheet_crc ^ 1)
    files = {
        "workbook.xlsx": rezip(good, {"xl/workbook.xml": b"garbage\x00\xff"}),
        "sheet.xlsx": rezip(good, {"xl/worksheets/sheet1.xml": b"<worksheet><sheetData><row"}),
        "truncated.xlsx": good[: len(good) // 2],
        "nosheets.xlsx": rezip(good, drop={"xl/worksheets/sheet1.xml"}),
        "garbage.gpkg": garbage_gpkg,
        "broken.geojson": b'{"type": "FeatureCollection", "features": [{"type": ',
        "broken.kml": kml.encode(),
        "nul.csv": b"district,area\x00\nNorth,1\n",
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    return tmp_path


BOOK_FIX = "Fix: open it in Excel or LibreOffice and save it again"


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("workbook.xlsx", rf"the workbook cannot be read \(not well-formed .*\)\. {BOOK_FIX}$"),
        ("sheet.xlsx", rf"the workbook cannot be read \(unclosed token.*\)\. {BOOK_FIX}$"),
        (
            "crc.xlsx",
            rf"the workbook cannot be read \(Bad CRC-32 for file 'xl/worksheets/sheet1\.xml'\)\. {BOOK_FIX}$",
        ),
        (
            "truncated.xlsx",
            r"not a readable zip archive \(File is not a zip file\)\. Fix: zip it again$",
        ),
        ("nosheets.xlsx", r"the workbook has no sheets\. Fix: save it again with its data$"),
        ("garbage.gpkg", r"GDAL cannot open it \(.+\)\. Fix: export it again$"),
        ("garbage.shp", r"GDAL cannot open it \(.+\)\. Fix: export it again$"),
        (
            "broken.geojson",
            r"GDAL cannot open it \(.*Unterminated object\)\. Fix: export it again$",
        ),
        ("broken.kml", r"GDAL cannot open it \(ERROR parsing kml .*\)\. Fix: export it again$"),
        ("nul.csv", r"wrong file type: the content looks like binary data \(name ending '\.csv'\)"),
    ],
)
def test_damaged_file_is_a_file_read_error(tmp_path, name, said):
    path = damaged_files(tmp_path) / name
    for read in (read_table, list_layers):
        if name in ("sheet.xlsx", "crc.xlsx") and read is list_layers:
            continue  # the sheet is not read to list the sheets
        with pytest.raises(FileReadError, match=rf"^{re.escape(str(path))}: {said}"):
            read(path)


def test_folder_and_pipe_are_refused(tmp_path):
    (tmp_path / "data.csv").mkdir()
    with pytest.raises(FileReadError, match=r"data\.csv: this is a folder, not a file"):
        read_table(tmp_path / "data.csv")
    os.mkfifo(tmp_path / "pipe.csv")
    with pytest.raises(FileReadError, match=r"pipe\.csv: not a regular file \(a device, pipe or"):
        read_table(tmp_path / "pipe.csv")
