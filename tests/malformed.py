"""A corpus of malformed inputs, built in code: layer files, boundary files and project files.

Each :class:`Case` writes its files into a given folder and returns the path to
give ``minemap``: a layer file for ``minemap check FILE``, or a project file for
``minemap check --project`` and ``minemap build``. Nothing here is a fixture file
on disk; every byte is made by the builders below. ``expect``, where given, is a
pattern the command's output must hold (the message for that case, pinned).
"""

from __future__ import annotations

import codecs
import contextlib
import json
import os
import random
import sqlite3
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

__all__ = ["CASES", "Case"]


@dataclass(frozen=True)
class Case:
    """One malformed input.

    Attributes
    ----------
    name : str
        Unique name (the test id).
    build : callable
        ``build(folder) -> Path``: write the case into ``folder``; return the
        layer file or project file to give ``minemap``.
    project : bool
        True for a project file (``check --project`` and ``build``).
    kind : str
        Layer kind passed as ``--kind`` to ``minemap check FILE``.
    options : tuple of str
        More options of ``minemap check``; ``{dir}`` stands for the folder.
    expect : str or None
        Regular expression the output (stdout and stderr) must match.
    """

    name: str
    build: Callable[[Path], Path]
    project: bool = False
    kind: str = "contamination"
    options: tuple[str, ...] = ()
    expect: str | None = None


CASES: list[Case] = []

HEADER = ["record_id", "place", "hazard_type", "status", "source", "value", "value_unit"]
ROWS = [
    ["r1", "Kharkiv", "mines", "estimate", "test", "5", "km2"],
    ["r2", "Donetsk", "mines", "estimate", "test", "200", "ha"],
    ["r3", "Atlantis", "mines", "estimate", "test", "1", "km2"],
]
PROPS = {"record_id": "f1", "place": "Kharkiv", "hazard_type": "mines", "status": "estimate",
         "source": "test"}  # fmt: skip
SQUARE = [[[36.1, 49.9], [36.3, 49.9], [36.3, 50.1], [36.1, 50.1], [36.1, 49.9]]]
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)


def _add(name: str, file: str, make: bytes | str | Callable[[Path], object], **kw) -> None:
    """Register a case: ``file`` in the folder holds ``make`` or ``make(path)``'s bytes or text.

    A ``make`` that returns None writes the file (or what stands in its place) itself.
    """

    CASES.append(Case(name, lambda folder: _write(folder / file, make), **kw))


def _write(path: Path, make: bytes | str | Callable[[Path], object]) -> Path:
    content = make(path) if callable(make) else make
    if isinstance(content, (bytes, str)):
        path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


def _text(header=HEADER, rows=ROWS, sep=",") -> str:
    return "".join(sep.join(r) + "\n" for r in [header, *rows])


def _damage(path: Path, keep: float, noise: bool = False) -> bytes:
    """Return a file's first bytes (a count, or a share when below 1), then random bytes."""
    data = path.read_bytes()
    cut = int(len(data) * keep) if keep < 1 else int(keep)
    return data[:cut] + (random.Random(5).randbytes(len(data) - cut) if noise else b"")


# -- CSV ------------------------------------------------------------------------------------
for _name, _data, *_options in [
    ("empty", b""), ("header_only", _text(rows=[])), ("blank_lines_only", "\n\n\n\n"),
    ("whitespace_only", "  \n\t \n   \r\n"), ("bom_only", codecs.BOM_UTF8),
    ("ragged_rows", _text(rows=[ROWS[0] + ["extra", "cells"], ROWS[1][:3], ROWS[2]])),
    ("wrong_delimiter_given", _text(), "--delimiter", ";"),
    ("unknown_delimiter", _text(sep=":")),
    ("two_character_delimiter", _text(), "--delimiter", "ab"),
    ("unterminated_quote", _text(rows=[]) + 'r1,"Kharkiv,mines,estimate\n'),
    ("nul_bytes", _text().replace("Kharkiv", "Khar\x00kiv")),
    ("utf16le_without_bom", _text().encode("utf-16-le")),
    ("utf16be_without_bom", _text().encode("utf-16-be")),
    ("utf16_with_bom", _text().encode("utf-16")),
    ("mixed_encodings", _text(rows=[ROWS[0]]).encode() + "r9,Харків,mines,estimate,тест,1,km2\n".encode("cp1251")),
    ("cp1251_read_as_utf8", _text(rows=[["r1", "Харків", *ROWS[0][2:]]]).encode("cp1251"), "--encoding", "utf-8"),
    ("unknown_encoding_option", _text(), "--encoding", "klingon"),
    ("byte_undefined_in_cp1251", _text().encode() + b"r9,Kyiv\x98,mines\n"),
    ("10000_columns", lambda p: _text([*HEADER, *(f"c{i}" for i in range(9993))], [[*r, *"x" * 9993] for r in ROWS])),
    ("1mb_cell", lambda p: _text(rows=[[*ROWS[0][:4], "s" * 1_048_576, "1", "km2"]])),
    ("duplicate_and_empty_column_names", _text(["record_id", "place", "place", "", "hazard_type", "", "status", "source"],
                                               [["r1", "Kharkiv", "Kyiv", "a", "mines", "b", "estimate", "test"]])),
    ("control_characters_in_column_names", _text(["record_id", "pla\x1b[2Jce", "\x07hazard_type", "sta\x08tus", "source\x7f"], [ROWS[0][:5]])),
    ("bidi_characters_in_column_names", _text(["record_id", "\u202eplace", "hazard\u2066_type\u2069", "status", "source"], [ROWS[0][:5]])),
    ("only_delimiters", ",,,,,,\n,,,,,,\n;;;\n"),
    ("carriage_returns_only", _text().replace("\n", "\r")),
    ("quoted_line_breaks", _text(rows=[]) + 'r1,"Khar\nkiv","mines\r\n",estimate,"te""st",5,km2\n'),
    ("numbers_that_are_not", _text(rows=[[f"n{i}", "Kharkiv", "mines", "estimate", "test", v, "km2"] for i, v in enumerate(
        ["NaN", "inf", "-inf", "1e400", "1e-400", '"1,5"', "١٢", "0x10", "-0", "9" * 400, "1_000", "+5", " 7 "])])),
    ("formula_cells", _text(rows=[["=1+1", "@SUM(A1)", "+cmd|' /C calc'!A0", "-2+3", "test", "=5", "km2"]])),
    ("hxl_row_without_data", _text(rows=[["#meta+id", "#adm1+name"]])),
    ("blank_column_names_only", ",,,\n1,2,3,4\n"),
    ("blank_lines_before_header", "\n\n\n" + _text()),
    ("random_bytes", random.Random(7).randbytes(4096)),
    ("is_a_png", PNG), ("is_a_pdf", b"%PDF-1.7\n" + bytes(100)),
    ("is_gzip", b"\x1f\x8b\x08\x00" + bytes(100)),
    ("is_html", "<!DOCTYPE html><html><body>Not found</body></html>"),
    ("is_json", '[{"place": "Kharkiv"}]'),
    ("is_a_directory", Path.mkdir), ("is_a_named_pipe", os.mkfifo),
    ("is_a_link_to_a_device", lambda p: p.symlink_to("/dev/zero")),
    ("is_a_link_loop", lambda p: p.symlink_to(p)),
]:  # fmt: skip
    _add(f"csv_{_name}", "hazards.csv", _data, options=tuple(_options))
_add("unknown_extension", "hazards.dat", _text())
_INCIDENT = ["record_id", "place", "record_type", "event_type", "hazard_type", "source"]
_add("csv_incident_coordinates_that_are_not", "incidents.csv", _text(
    [*_INCIDENT, "latitude", "longitude"],
    [[f"i{i}", "Kharkiv", "event", "casualty", "ap_mines", "test", *ll] for i, ll in enumerate(
        [("NaN", "36.2"), ("50", "inf"), ("1e400", "36"), ("", "36.2"), ('"50,0"', '"36,2"'),
         ("-0", "-0"), ("90.0000001", "180.0000001"), ("50", "36.2")])]), kind="incidents")  # fmt: skip
_add("png_named_geojson", "hazards.geojson", PNG)


# -- Excel ----------------------------------------------------------------------------------
def _book(path: Path, sheets: dict[str, list[list]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


for _name, _sheets, *_options in [
    ("formula_without_result", {"s": [HEADER, [*ROWS[0][:5], "=2+3", "km2"]]}),
    ("empty_sheet", {"empty": []}), ("header_only", {"s": [HEADER]}),
    ("many_sheets", {f"s{i}": [HEADER, *ROWS] for i in range(300)}),
    ("sheet_not_there", {"s": [HEADER, *ROWS]}, "--sheet", "nope"),
    ("data_on_second_sheet", {"notes": [], "data": [HEADER, *ROWS]}),
    ("error_values", {"s": [HEADER, [*ROWS[0][:5], "#DIV/0!", "#N/A"]]}),
    ("blank_rows_above_header", {"s": [[], [None, None], HEADER, *ROWS]}),
    ("typed_cells", {"s": [HEADER, [1.5, True, None, 10**20, 1e308, -1e-308, 0]]}),
]:  # fmt: skip
    _add(
        f"xlsx_{_name}",
        "hazards.xlsx",
        lambda p, s=_sheets: _book(p, s) and None,
        options=tuple(_options),
    )
_add("xlsx_corrupt", "hazards.xlsx", b"PK\x03\x04" + random.Random(3).randbytes(2000))
_add("xlsx_truncated", "hazards.xlsx", lambda p: _damage(_book(p, {"s": [HEADER, *ROWS]}), 0.6))


# -- GeoJSON --------------------------------------------------------------------------------
def _fc(features: list | None, **extra) -> str:
    return json.dumps({"type": "FeatureCollection", **extra,
                       **({} if features is None else {"features": features})})  # fmt: skip


def _feature(geometry, props=PROPS) -> dict:
    return {"type": "Feature", "properties": props, "geometry": geometry}


def _point(x, y, *z) -> dict:
    return {"type": "Point", "coordinates": [x, y, *z]}


_NAN = _fc([_feature("GEOMETRY")])[: -len('"GEOMETRY"}]}')]
for _name, _data in [
    ("invalid_json", '{"type": "FeatureCollection", "features": [,]}'),
    ("truncated", _fc([_feature(_point(36.2, 50.0))])[:60]),
    ("no_features_member", _fc(None)), ("no_features", _fc([])),
    ("null_geometry", _fc([_feature(None), _feature(None)])),
    ("wrong_geometry_types", _fc([
        _feature({"type": "LineString", "coordinates": [[36, 50], [37, 50]]}),
        _feature({"type": "MultiPoint", "coordinates": [[36, 50], [37, 50]]}),
        _feature({"type": "GeometryCollection", "geometries": [_point(36, 50)]}),
        _feature({"type": "Circle", "coordinates": [36, 50], "radius": 5})])),
    ("coordinates_as_strings", _fc([_feature(_point("36.2", "50.0"))])),
    ("nan_coordinates", _NAN + '{"type":"Point","coordinates":[NaN,NaN]}}]}'),
    ("3d_coordinates", _fc([_feature({"type": "Polygon", "coordinates": [[[*p, 120.5] for p in SQUARE[0]]]})])),
    ("crs_3857_on_degrees", _fc([_feature({"type": "Polygon", "coordinates": SQUARE})],
                                crs={"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}})),
    ("crs_unknown", _fc([_feature(_point(36.2, 50.0))], crs={"type": "name", "properties": {"name": "EPSG:999999"}})),
    ("bare_geometry", json.dumps(_point(36.2, 50.0))),
    ("null_properties", _fc([_feature(_point(36.2, 50.0), None)])),
    ("nested_properties", _fc([_feature(_point(36.2, 50.0), {**PROPS, "place": {"en": "Kharkiv"}, "value": [1, 2]})])),
    ("out_of_range_coordinates", _fc([_feature(_point(500, -500))])),
    ("huge_coordinates", _fc([_feature(_point(1e308, -1e308))])),
    ("deeply_nested", _NAN + '{"type":"Polygon","coordinates":' + "[" * 20000 + "]" * 20000 + "}}]}"),
    ("is_an_array", "[1, 2, 3]"),
    ("unclosed_ring", _fc([_feature({"type": "Polygon", "coordinates": [SQUARE[0][:-1]]})])),
]:  # fmt: skip
    _add(f"geojson_{_name}", "hazards.geojson", _data)


# -- GeoPackage -----------------------------------------------------------------------------
def _frame(n: int = 2):
    import geopandas as gpd
    from shapely.geometry import Point

    rows = [{**PROPS, "record_id": f"f{i}"} for i in range(n)]
    return gpd.GeoDataFrame(rows, geometry=[Point(36.2, 50.0)] * n, crs=4326)


def _gpkg(path: Path, *layers: str, n: int = 2) -> Path:
    for layer in layers:
        _frame(n).to_file(path, layer=layer, engine="pyogrio")
    return path


def _sqlite(path: Path) -> None:
    with contextlib.closing(sqlite3.connect(path)) as con:
        con.execute("create table hazards (place text)")
        con.commit()


def _attributes(path: Path) -> None:
    import pandas as pd
    import pyogrio

    pyogrio.write_dataframe(pd.DataFrame([PROPS]), path, layer="attrs")


_add("gpkg_garbage_after_header", "hazards.gpkg", lambda p: _damage(_gpkg(p, "sha"), 100, True))
_add("gpkg_truncated", "hazards.gpkg", lambda p: _damage(_gpkg(p, "sha"), 0.5))
_add("gpkg_two_layers_none_named", "hazards.gpkg", lambda p: _gpkg(p, "sha", "cha") and None)
_add(
    "gpkg_layer_not_there",
    "hazards.gpkg",
    lambda p: _gpkg(p, "sha") and None,
    options=("--layer", "x"),
)
_add("gpkg_empty_layer", "hazards.gpkg", lambda p: _gpkg(p, "sha", n=0) and None)
_add("gpkg_plain_sqlite", "hazards.gpkg", _sqlite)
_add("gpkg_table_without_geometry", "hazards.gpkg", _attributes, options=("--layer", "attrs"))


# -- Shapefile and zip ----------------------------------------------------------------------
def _shapefile(folder: Path, stem: str = "hazards") -> dict[str, bytes]:
    import warnings

    folder.mkdir(exist_ok=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _frame().to_file(folder / f"{stem}.shp", engine="pyogrio")
    return {p.name: p.read_bytes() for p in sorted(folder.glob(f"{stem}.*"))}


def _shp(name: str, part: str, change: Callable[[bytes], bytes] | None) -> None:
    def make(path: Path) -> None:
        _shapefile(path.parent)
        target = path.with_suffix(part)
        target.write_bytes(change(target.read_bytes())) if change else target.unlink()

    _add(name, "hazards.shp", make)


def _zip(name: str, members: Callable[[Path], dict], file: str = "hazards.zip") -> None:
    """Register a zip: ``members(folder)`` maps names to bytes, or to a (ZipInfo, bytes) pair."""
    _add(name, file, lambda path: _zip_file(path, members(path.parent)))


def _zip_file(path: Path, members: dict) -> bytes:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for member, data in members.items():
            z.writestr(*(data if isinstance(data, tuple) else (member, data)))
    return path.read_bytes()


def _link(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.external_attr = 0o120777 << 16
    return info


def _patched(path: Path, members: dict, member: str, field: tuple[int, int], value: bytes) -> bytes:
    """Zip ``members``, then write ``value`` in ``member``'s local and central headers.

    ``field`` is the offset of the value in the local header and in the central
    directory entry: (6, 8) the flags, (22, 24) the size unpacked.
    """
    data, name = bytearray(_zip_file(path, members)), member.encode()
    for signature, length, start, offset in ((b"PK\x03\x04", 26, 30, field[0]),
                                             (b"PK\x01\x02", 28, 46, field[1])):  # fmt: skip
        at = data.find(signature)
        while at >= 0:
            size = int.from_bytes(data[at + length : at + length + 2], "little")
            if data[at + start : at + start + size] == name:
                data[at + offset : at + offset + len(value)] = value
            at = data.find(signature, at + 1)
    return bytes(data)


_shp("shp_missing_shx", ".shx", None)
_shp("shp_missing_dbf", ".dbf", None)
_shp("shp_corrupt_geometry", ".shp", lambda data: data[:100] + b"\xff" * 60)
_shp("shp_corrupt_dbf", ".dbf", lambda data: b"\x03" + bytes(40))
_shp("shp_unknown_prj", ".prj", lambda data: b"GEOGCS[nonsense")
_zip("zip_shapefile_missing_dbf",
     lambda f: {k: v for k, v in _shapefile(f / "s").items() if not k.endswith(".dbf")})  # fmt: skip
_zip("zip_path_traversal", lambda f: {**_shapefile(f / "s"), "../../evil.shp": b"x"})
_zip("zip_absolute_path", lambda f: {"/tmp/evil.shp": b"x"})
_zip("zip_backslash_path", lambda f: {"..\\evil.shp": b"x"})
_zip("zip_symlink", lambda f: {"l": (_link("hazards.shp"), b"/etc/passwd")})
_add("zip_encrypted", "hazards.zip",
     lambda p: _patched(p, _shapefile(p.parent / "s"), "hazards.shp", (6, 8), b"\x01\x00"))  # fmt: skip
_zip("zip_empty", lambda f: {})
_zip("zip_two_shapefiles_none_named",
     lambda f: {**_shapefile(f / "a", "hazards"), **_shapefile(f / "b", "others")})  # fmt: skip
_zip("zip_bomb", lambda f: {**_shapefile(f / "s"), "bomb.shp": bytes(64 << 20)})
_zip("zip_nested", lambda f: {"inner.zip": _zip_file(f / "inner.zip", _shapefile(f / "s"))})
_add("zip_sizes_that_lie", "hazards.zip", lambda p: _patched(
    p, {**_shapefile(p.parent / "s"), "hazards.dbf": bytes(32 << 20)}, "hazards.dbf", (22, 24),
    (10).to_bytes(4, "little")))  # fmt: skip
_zip("xlsx_zip_without_workbook", lambda f: {"readme.txt": b"not a workbook"}, "hazards.xlsx")
_add("zip_corrupt", "hazards.zip", b"PK\x03\x04" + random.Random(11).randbytes(3000))
_add("kmz_corrupt", "hazards.kmz", b"PK\x03\x04" + random.Random(13).randbytes(500))


# -- KML ------------------------------------------------------------------------------------
KML = '<?xml version="1.0"?>\n{}<kml xmlns="http://www.opengis.net/kml/2.2"><Document>{}</Document></kml>'
PLACE = "<Placemark><name>{}</name><Point><coordinates>36.2,50.0</coordinates></Point></Placemark>"
LOL = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10 if i else "lol"}">' for i in range(10))
_add("kml_broken_xml", "hazards.kml", KML.format("", PLACE.format("x"))[:-30])
_add("kml_no_placemarks", "hazards.kml", KML.format("", ""))
_add("kml_external_entity", "hazards.kml",
     KML.format('<!DOCTYPE kml [<!ENTITY x SYSTEM "file:///etc/passwd">]>', PLACE.format("&x;")))  # fmt: skip
_add(
    "kml_entity_expansion",
    "hazards.kml",
    KML.format(f"<!DOCTYPE kml [{LOL}]>", PLACE.format("&l9;")),
)


# -- Boundary files: minemap check FILE --boundaries B --------------------------------------
def _units(geometry: dict) -> str:
    return _fc([_feature(geometry, {"ADM1_PCODE": "UA63", "ADM1_EN": "Kharkiv"})])


_NAN_UNITS = _units({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]})
for _name, _file, _data, _expect in [
    ("csv", "units.csv", "ADM1_PCODE,ADM1_EN\nUA63,Kharkiv\n",
     r"'units\.csv', layer 'units', has no geometry: it is a table, not boundaries"),
    ("garbage_gpkg", "units.gpkg", b"SQLite format 3\x00" + bytes(4000), r"cannot read 'units\.gpkg' as a vector file"),
    ("png", "units.gpkg", PNG, r"cannot read 'units\.gpkg' as a vector file"),
    ("folder", "units.gpkg", Path.mkdir, r"cannot read 'units\.gpkg' as a vector file"),
    ("missing", "units.gpkg", lambda p: None, r"no boundary file at '.*units\.gpkg'"),
    ("nan_coordinates", "units.geojson", _NAN_UNITS.replace("[0, 0]", "[NaN, 0]"),
     r"cannot read 'units\.geojson' as a vector file"),
    ("points", "units.geojson", _units(_point(36.2, 50.0)), r"1 unit\(s\) are \['Point'\], not polygons"),
]:  # fmt: skip
    _add(f"boundaries_{_name}", "hazards.csv", lambda p, f=_file, d=_data: _write(p.parent / f, d) and _text(),
         options=("--boundaries", f"{{dir}}/{_file}"), expect=_expect)  # fmt: skip


# -- Project files --------------------------------------------------------------------------
def _layer(**values: str | None) -> str:
    """One [[layers]] table; each value is TOML text (None leaves the key out)."""
    keys = {"name": '"c"', "kind": '"contamination"', "path": '"hazards.csv"',
            "constants": '{ country = "UKR" }', **values}  # fmt: skip
    return "[[layers]]\n" + "".join(f"{k} = {v}\n" for k, v in keys.items() if v is not None)


def _project_files(folder: Path) -> None:
    (folder / "hazards.csv").write_text(_text(), encoding="utf-8")
    (folder / "aliases.csv").write_text("alias,code\nKharkov,UA-63\n", encoding="utf-8")
    (folder / "units.csv").write_text("ADM1_PCODE,ADM1_EN\nUA63,Kharkiv\n", encoding="utf-8")
    (folder / "bad.gpkg").write_bytes(b"SQLite format 3\x00" + bytes(4000))
    (folder / "png.csv").write_bytes(PNG)
    (folder / "binary.csv").write_bytes(random.Random(17).randbytes(3000))
    (folder / "folder.csv").mkdir()


def _project(name: str, text: str | bytes, expect: str | None = None) -> None:
    _add(name, "p.toml", lambda p: _project_files(p.parent) or text, project=True, expect=expect)


L = _layer()
_E = r"layers\[0\]\."
for _name, _text_, _expect in [
    ("layers_is_a_number", "layers = 5\n", r"p\.toml: layers: expected an array of tables, got an integer \(5\)"),
    ("layers_hold_a_number", "layers = [5]\n", r"p\.toml: layers\[0\]: expected a table, got an integer \(5\)"),
    ("layers_is_a_table", '[layers]\nname = "c"\n', r"p\.toml: layers: expected an array of tables, got a table"),
    ("no_layers", "", r"p\.toml: layers: the project names no layer"),
    ("boundaries_is_a_number", "boundaries = 5\n" + L, r"p\.toml: boundaries: expected a table, got an integer \(5\)"),
    ("maps_is_a_string", 'maps = "x"\n' + L, r"p\.toml: maps: expected an array of tables, got a string \('x'\)"),
    ("maps_hold_a_string", 'maps = ["c"]\n' + L, r"p\.toml: maps\[0\]: expected a table, got a string \('c'\)"),
    ("aliases_is_a_number", "aliases = 3\n" + L, r"p\.toml: aliases: expected a table, got an integer \(3\)"),
    ("alias_files_is_a_string", '[aliases]\nfiles = "aliases.csv"\n' + L, r"aliases\.files: expected an array of paths, got a string \('aliases\.csv'\)"),
    ("alias_file_missing", '[aliases]\nfiles = ["nope.csv"]\n' + L, r"aliases\.files\[0\]: no such file 'nope\.csv'"),
    ("alias_file_is_binary", '[aliases]\nfiles = ["binary.csv"]\n' + L, None),
    ("title_is_a_number", "title = 5\n" + L, r"p\.toml: title: expected a string, got an integer \(5\)"),
    ("title_is_a_table", "title = {}\n" + L, r"p\.toml: title: expected a string, got a table \(\{\}\)"),
    ("name_is_a_number", _layer(name="5"), _E + r"name: expected a string, got an integer \(5\)"),
    ("name_is_empty", _layer(name='""'), _E + r"name: expected a string, got an empty string"),
    ("name_is_blank", _layer(name='" \\t "'), _E + r"name: expected a string, got an empty string"),
    ("name_holds_nul", _layer(name='"a\\u0000b"'), _E + r"name: the text holds a NUL character"),
    ("name_holds_escape", _layer(name='"a\\u001b[2Jb"'), _E + r"name: the name 'a\\x1b\[2Jb' cannot be used: it holds the control character U\+001B at position 2"),
    ("name_holds_delete", _layer(name='"ab\\u007f"'), _E + r"name: .* U\+007F at position 3"),
    ("name_holds_bidi_override", _layer(name='"\\u202eexe.pdf"'), _E + r"name: .* U\+202E at position 1"),
    ("name_holds_bidi_isolate", _layer(name='"a\\u2066b\\u2069"'), _E + r"name: .* U\+2066 at position 2"),
    ("name_too_long", _layer(name='"' + "x" * 1001 + '"'), _E + r"name: .* it is 1001 characters long, more than 1000"),
    ("kind_is_a_number", _layer(kind="5"), _E + r"kind: expected a layer kind, got an integer \(5\)"),
    ("kind_unknown", _layer(kind='"mines"'), _E + r"kind: unknown layer kind 'mines'"),
    ("kind_missing", _layer(kind=None), _E + r"kind: expected a layer kind, got nothing \(the key is missing\)"),
    ("path_is_a_number", _layer(path="5"), _E + r"path: expected a string, got an integer \(5\)"),
    ("path_missing", _layer(path=None), _E + r"path: expected a string, got nothing \(the key is missing\)"),
    ("path_holds_nul", _layer(path='"hazards\\u0000.csv"'), _E + r"path: the text holds a NUL character"),
    ("path_is_a_folder", _layer(path='"folder.csv"'), _E + r"path: 'folder\.csv' is a folder"),
    ("layer_file_missing", _layer(path='"missing.csv"'), _E + r"path: no such file 'missing\.csv'"),
    ("layer_file_is_a_png", _layer(path='"png.csv"'), r"png\.csv"),
    ("layer_file_is_binary", _layer(path='"binary.csv"'), r"binary\.csv"),
    ("columns_is_a_number", _layer(columns="5"), _E + r"columns: expected a table, got an integer \(5\)"),
    ("columns_unknown_field", _layer(columns='{ plase = "Oblast" }'), _E + r"columns\.plase: 'plase' is not a field of the contamination layer"),
    ("column_is_a_number", _layer(columns="{ place = 3 }"), _E + r"columns\.place: expected a string, got an integer \(3\)"),
    ("column_not_in_the_file", _layer(columns='{ place = "Oblast" }'), r"'Oblast'"),
    ("constants_is_a_string", _layer(constants='"UKR"'), _E + r"constants: expected a table, got a string \('UKR'\)"),
    ("constant_is_nan", _layer(constants='{ country = "UKR", value = nan }'), _E + r"constants\.value: expected a string, a finite number or a date, got a float \(nan\)"),
    ("constant_is_a_boolean", _layer(constants="{ country = true }"), _E + r"constants\.country: expected a string, a finite number or a date, got a boolean \(True\)"),
    ("constant_is_a_date", _layer(constants='{ country = "UKR", date_start = 2024-01-31 }'), None),
    ("name_fields_is_a_string", '[boundaries.b]\npath = "bad.gpkg"\nname_fields = "x"\n' + L, r"boundaries\.b\.name_fields: expected an array of columns, got a string \('x'\)"),
    ("boundaries_name_a_csv", '[boundaries.b]\npath = "units.csv"\n' + _layer(boundaries='"b"'), r"boundaries\.b\.path: 'units\.csv' is a table, not a boundary file"),
    ("boundaries_corrupt", '[boundaries.b]\npath = "bad.gpkg"\n' + _layer(boundaries='"b"'), r"cannot read 'bad\.gpkg' as a vector file"),
    ("boundaries_not_a_table", '[boundaries]\nb = "bad.gpkg"\n' + L, r"boundaries\.b: expected a table, got a string \('bad\.gpkg'\)"),
    ("boundaries_embedded_name", '[boundaries.admin1]\npath = "bad.gpkg"\n' + L, r"boundaries\.admin1: 'admin1' is the name of embedded boundaries"),
    ("boundaries_name_holds_bell", '[boundaries."b\\u0007"]\npath = "bad.gpkg"\n' + L, r'boundaries\."b\\u0007": the name .* U\+0007'),
    ("boundaries_level_is_a_table", '[boundaries.b]\npath = "bad.gpkg"\nlevel = {}\n' + L, r"boundaries\.b\.level: expected an admin level, got a table"),
    ("layer_boundaries_is_a_number", _layer(boundaries="5"), _E + r"boundaries: expected a boundary set, got an integer \(5\)"),
    ("layer_boundaries_unknown", _layer(boundaries='"ukr"'), _E + r"boundaries: no boundaries called 'ukr'"),
    ("unknown_top_level_key", 'colour = "red"\n' + L, r"p\.toml: top level: unknown key\(s\) \['colour'\]"),
    ("unknown_layer_key", _layer(colour='"red"'), r"layers\[0\]: unknown key\(s\) \['colour'\]"),
    ("map_names_unknown_layer", L + '[[maps]]\nlayer = "x"\n', r"maps\[0\]\.layer: no layer called 'x'"),
    ("map_layer_is_a_number", L + "[[maps]]\nlayer = 5\n", r"maps\[0\]\.layer: expected a layer name, got an integer \(5\)"),
    ("map_title_is_a_list", L + '[[maps]]\nlayer = "c"\ntitle = []\n', r"maps\[0\]\.title: expected a string, got an array"),
    ("map_twice", L + '[[maps]]\nlayer = "c"\n' * 2, r"maps\[1\]\.layer: layer 'c' already has a map \(maps\[0\]\)"),
    ("duplicate_layer_names", L + L, r"layers\[1\]\.name: layer name 'c' is also the name of layers\[0\]"),
    ("encoding_unknown", _layer(encoding='"klingon"'), _E + r"encoding: unknown encoding 'klingon'"),
    ("delimiter_two_characters", _layer(delimiter='";;"'), _E + r"delimiter: expected one character"),
    ("crs_unknown", _layer(crs='"EPSG:999999"'), _E + r"crs: 'EPSG:999999' is not a CRS pyproj knows"),
    ("sheet_is_a_number", _layer(sheet="1"), _E + r"sheet: expected a string, got an integer \(1\)"),
    ("invalid_toml", "title = \n", r"p\.toml: -: not valid TOML"),
    ("not_utf8", "title = 'Проект'\n".encode("cp1251") + L.encode(), r"p\.toml: -: the file is not UTF-8 text \(byte 0xcf at offset 9\)"),
    ("utf16", ("title = 'x'\n" + L).encode("utf-16"), r"p\.toml: -: the file is not UTF-8 text \(it looks like UTF-16\)"),
    ("nested_too_deeply", "a = " + "[" * 100_000 + "]" * 100_000 + "\n", r"p\.toml: -: not valid TOML: arrays or tables nested too deeply"),
    ("too_large", "# " + "x" * 1_100_000 + "\n" + L, r"p\.toml: -: more than 1,000,000 bytes"),
    ("with_bom", codecs.BOM_UTF8 + L.encode(), None),
    ("name_like_a_path", _layer(name='"../../outside"'), None),
    ("names_like_devices", _layer(name='"CON"') + _layer(name='"a/b:c*?<>|"'), None),
    ("name_in_cyrillic", _layer(name='"Забруднення 2024"'), None),
]:  # fmt: skip
    _project(f"project_{_name}", _text_, _expect)


for _name, _make, _expect in [
    ("is_a_folder", Path.mkdir, r"p\.toml: -: this is a folder, not a project file"),
    ("missing", lambda p: None, r"p\.toml: -: no such file"),
    ("is_a_link_to_a_device", lambda p: p.symlink_to("/dev/zero"),
     r"p\.toml: -: this is a device, pipe or socket, not a project file"),
]:  # fmt: skip
    _add(f"project_{_name}", "p.toml", _make, project=True, expect=_expect)
