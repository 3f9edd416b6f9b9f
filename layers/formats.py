"""Read the files users bring: CSV, Excel, GeoJSON, GeoPackage, Shapefile, KML.

:func:`read_table` takes a file as it is and returns a :class:`RawTable`: each
data row or feature with its cells as text, the row number a user sees, the
geometry in EPSG:4326 and the HXL hashtags of an HDX file. It judges no value
(validation does, row by row); a file that cannot be read at all raises
:class:`FileReadError`, saying what was received, what is accepted and the fix.
The kind of file is told from its content and checked against its extension;
zip archives are checked member by member before anything reads them, and
nothing is ever extracted. What reading may cost is bounded by
:class:`ReadLimits` (see :mod:`layers.limits`); coordinates are checked against
their CRS and moved to EPSG:4326 by :mod:`layers.crs`.
"""

from __future__ import annotations

import codecs
import functools
import json
import os
import re
import warnings
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio

from geo.errors import MinemapError
from layers import arrow_csv
from layers.crs import to_wgs84
from layers.hxl import (
    TableError,
    cell_text,
    column_letter,
    csv_rows,
    decode_text,
    normalise_hxl_tag,
    sniff_delimiter,
    split_header,
)
from layers.limits import (
    ReadLimits,
    check_file_size,
    gdal,
    guard,
    too_many_rows,
    verify_members,
    zip_members,
)

__all__ = ["FORMATS", "FileReadError", "RawTable", "ReadLimits", "list_layers",
           "normalise_hxl_tag", "read_table"]  # fmt: skip

#: Values of :attr:`RawTable.format`.
FORMATS = ("csv", "xlsx", "geojson", "gpkg", "shapefile", "kml", "json", "parquet")

# Kinds of file as detected; "shapezip" and "kmz" are the zipped "shapefile" and "kml".
_EXTENSIONS = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".json": "geojson",
               ".geojson": "geojson", ".gpkg": "gpkg", ".shp": "shapefile", ".zip": "shapezip",
               ".kml": "kml", ".kmz": "kmz", ".parquet": "parquet",
               ".geoparquet": "parquet"}  # fmt: skip
_DESCRIBE = {"csv": "delimited text (CSV)", "xlsx": "an Excel workbook", "geojson": "GeoJSON",
             "gpkg": "a GeoPackage (SQLite)", "shapefile": "a shapefile", "kml": "KML",
             "shapezip": "a zip archive", "kmz": "KMZ (zipped KML)",
             "json": "JSON records (an API's response)",
             "parquet": "Parquet (GeoParquet, or a table of columns)"}  # fmt: skip
_VECTOR = {"geojson", "gpkg", "shapefile", "shapezip", "kml", "kmz"}
_ACCEPTED = (
    "CSV (.csv, .tsv, .txt), Excel (.xlsx), GeoJSON (.geojson, .json), JSON records "
    '(.json: a list of objects, or an API response with them under "data"), GeoPackage '
    "(.gpkg), Shapefile (.shp, or a .zip holding one), KML (.kml, .kmz), GeoParquet or Parquet "
    "(.parquet)"
)
_MAGIC = ((b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
          (b"%PDF", "a PDF document"), (b"\xd0\xcf\x11\xe0", "an old Office file (.xls, .doc)"),
          (b"\x1f\x8b", "a gzip archive"), (b"Rar!", "a RAR archive"),
          (b"7z\xbc\xaf", "a 7-Zip archive"))  # fmt: skip
# Fields the LIBKML driver adds to every layer; dropped when they hold only their default.
_KML_EXTRAS = {"id": "", "timestamp": "", "begin": "", "end": "", "altitudeMode": "",
               "tessellate": "-1", "extrude": "0", "visibility": "-1", "drawOrder": "",
               "icon": "", "snippet": ""}  # fmt: skip


class FileReadError(MinemapError, ValueError):
    """A file that cannot be read at all.

    Parameters
    ----------
    file : str
        The file as given.
    reason : str
        What is wrong, with what was received and what is accepted.
    fix : str
        What would fix it.

    Examples
    --------
    >>> str(FileReadError("a.csv", "no data rows", "add rows below the header"))
    'a.csv: no data rows. Fix: add rows below the header'
    """

    def __init__(self, file: str, reason: str, fix: str) -> None:
        self.file, self.reason, self.fix = file, reason, fix
        super().__init__(f"{file}: {reason}. Fix: {fix}")


@dataclass(eq=False)
class RawTable:
    """The rows of one table of a file, as text, before any validation.

    Attributes
    ----------
    path : str
        The file given.
    source : str
        What was read, e.g. ``"hazards.gpkg, layer 'sha'"``.
    frame : pandas.DataFrame
        One row per data row or feature; the file's columns, names and order
        kept (a GeoPackage's fid first; GeoJSON's integer feature ids as
        ``id``); every cell a str (``''`` when empty); no geometry column.
    row_numbers : list of int
        Number a user sees for each row: the spreadsheet row for CSV and Excel
        (header row 1; an HXL hashtag row is row 2); blank rows are left out but
        counted. For vector formats, the feature number from 1.
    geometry : geopandas.GeoSeries or None
        Geometry in EPSG:4326, index aligned with ``frame``; missing or empty
        geometries are None. None when the table has no geometry column.
    crs : str or None
        CRS the coordinates were in (``'EPSG:3857'``, or a CRS name): the
        file's, else the ``crs=`` given; None when neither says.
    hxl_tags : dict of str to str
        Column -> normalised HXL hashtag; ``{}`` when the file is not HXL.
    encoding : str or None
        Encoding a CSV file was decoded with (or given for a shapefile).
    format : str
        One of :data:`FORMATS`.
    notes : tuple of str
        What the reader said about the file that a user should know (GDAL's
        warnings, such as a ring it could not close), once each.
    """

    path: str
    source: str
    frame: pd.DataFrame
    row_numbers: list[int]
    geometry: gpd.GeoSeries | None
    crs: str | None
    hxl_tags: dict[str, str]
    encoding: str | None
    format: str
    notes: tuple[str, ...] = ()


def _naming_the_file(fn):
    """Make a TableError of ``fn(path, ...)`` a FileReadError naming the file.

    TableError (of :mod:`layers.hxl`, :mod:`layers.limits` and
    :mod:`layers.crs`) says what is wrong and the fix; the file is named
    once, here.
    """

    @functools.wraps(fn)
    def read(path, *args, **kwargs):
        try:
            return fn(path, *args, **kwargs)
        except TableError as e:
            raise FileReadError(str(path), e.reason, e.fix) from e

    return read


def _content_kind(file: str, path: Path, limits: ReadLimits) -> tuple[str | None, str]:
    """Tell the kind of a file from its first bytes: (kind or None, description)."""
    with guard("the file cannot be opened", "check that it can be read"), open(path, "rb") as f:
        head = f.read(65536)
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        names = [n.lower() for n in zip_members(path, limits)]
        if "xl/workbook.xml" in names:
            return "xlsx", _DESCRIBE["xlsx"]
        if "content.xml" in names or "word/document.xml" in names:
            return None, "an OpenDocument or Word file"
        shp, kml = (any(n.endswith(e) for n in names) for e in (".shp", ".kml"))
        return ("kmz", _DESCRIBE["kmz"]) if kml and not shp else ("shapezip", "a zip archive")
    if head.startswith(b"PAR1"):
        return "parquet", _DESCRIBE["parquet"]
    if head.startswith(b"SQLite format 3\x00"):
        return "gpkg", _DESCRIBE["gpkg"]
    if head.startswith(b"\x00\x00\x27\x0a"):
        return "shapefile", _DESCRIBE["shapefile"]
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return None, what
    utf16 = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    text = head.decode("utf-16" if utf16 else "utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    if text.startswith("<"):
        if "<kml" in text:
            return "kml", "KML"
        return None, "an HTML page" if "<html" in text.lower() else "XML that is not KML"
    if text.startswith("{") and '"type"' in text:
        return "geojson", "GeoJSON"
    if re.match(r"[{\[]\s*[\[{\"\]\d-]|{\s*}", text):  # not '[Region],[Area]', a CSV header
        return "json", _DESCRIBE["json"]
    return ("csv", _DESCRIBE["csv"]) if utf16 or b"\x00" not in head else (None, "binary data")


def _kind(file: str, path: Path, limits: ReadLimits) -> str:
    """Tell the kind of a file from its content, and check it against its extension."""
    if not path.is_file():
        what = ("this is a folder, not a file" if path.is_dir() else
                "not a regular file (a device, pipe or socket)" if path.exists() else
                "no such file")  # fmt: skip
        raise FileReadError(file, f"{what} ({path.absolute()})", "check the folder and file name")
    size = path.stat().st_size
    if size == 0:
        raise FileReadError(file, "no data rows: the file is empty", "export the data again")
    check_file_size(size, limits)
    kind, described = _content_kind(file, path, limits)
    ext = path.suffix.lower()
    named = _EXTENSIONS.get(ext)
    if kind is not None and (named == kind or ext == "" or (kind, named) == ("json", "geojson")):
        return kind
    if kind is not None and named is not None:
        right = next((e for e, k in _EXTENSIONS.items() if k == kind), ".json")
        raise FileReadError(
            file,
            f"wrong file type: the name ends in {ext!r} ({_DESCRIBE[named]}) but the "
            f"content looks like {described}",
            f"rename the file to end in {right!r}",
        )
    raise FileReadError(
        file,
        f"wrong file type: the content looks like {described} (name ending {ext!r}); "
        f"accepted: {_ACCEPTED}",
        "export the data as one of these, with its usual extension",
    )


_BOOK = ("the workbook cannot be read", "open it in Excel or LibreOffice and save it again")


def _open_book(file: str, path: Path, data_only: bool = True):
    """Open a workbook read-only: sheets are then read as a stream of rows.

    Every member's declared size has been checked by then, and Python's
    zipfile, which openpyxl reads with, unpacks no more than that.
    """
    import openpyxl  # only for workbooks: reading a CSV does not pay for it

    with guard(*_BOOK), warnings.catch_warnings():
        # about styles and extensions it will not keep
        warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")
        book = openpyxl.load_workbook(path, read_only=True, data_only=data_only)
    if not book.sheetnames:
        book.close()
        raise FileReadError(file, "the workbook has no sheets", "save it again with its data")
    return book


def _sheet_rows(file: str, path: Path, sheet: str | None, data_only: bool, limits: ReadLimits):
    """Return (sheet name, rows of cell values) of one sheet, the first by default.

    Reading stops at the first row past ``limits.max_rows`` data rows.
    """
    book = _open_book(file, path, data_only)
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise FileReadError(file, f"no sheet {sheet!r}; its sheets are {book.sheetnames}",
                                "pass sheet= with one of them")  # fmt: skip
        with guard(*_BOOK):
            ws = book[sheet if sheet is not None else book.sheetnames[0]]
            ws.reset_dimensions()  # some writers record a wrong used range
            values = [list(r) for r in islice(ws.iter_rows(values_only=True), limits.max_rows + 2)]
        too_many_rows(len(values) - 1, limits, f"sheet {ws.title!r}", exact=False)
        return ws.title, values
    finally:
        book.close()


def _read_xlsx(file: str, path: Path, sheet: str | None, limits: ReadLimits) -> RawTable:
    name, values = _sheet_rows(file, path, sheet, True, limits)
    _, formulas = _sheet_rows(file, path, name, False, limits)
    lost = [
        f"{column_letter(c + 1)}{r + 1}"
        for r, (row, frow) in enumerate(zip(values, formulas, strict=False))
        for c, (v, f) in enumerate(zip(row, frow, strict=False))
        if v is None and f is not None
    ]
    if lost:
        raise FileReadError(
            file,
            f"sheet {name!r}: cell(s) {', '.join(lost[:5])} hold formulas with no saved "
            "result (the program that wrote the file did not calculate them)",
            "open the file in Excel or LibreOffice and save it again, or paste the values",
        )
    rows = [(r, [cell_text(v) for v in row]) for r, row in enumerate(values, start=1)]
    frame, numbers, hxl = split_header(rows, f"sheet {name!r}")
    return RawTable(
        file, f"{path.name}, sheet {name!r}", frame, numbers, None, None, hxl, None, "xlsx"
    )


def _json_cell(value: object) -> str:
    """Write a JSON value as the text of a cell: numbers as written, null as empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _read_json(file: str, path: Path, limits: ReadLimits) -> RawTable:
    """Read JSON records: a list of flat objects, or an API response holding one under "data".

    The ACLED API answers ``{"status": 200, "success": true, "count": N, "data":
    [...]}``; an answer that reports an error is refused with the API's own
    message. Row numbers are the records' positions in the list, from 1. The
    columns are the keys of the objects, in the order first seen.
    """
    with guard("the file cannot be read", "check that it can be read"):
        data = path.read_bytes()
    text, _used = decode_text(data, None)
    del data
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as err:
        raise FileReadError(
            file,
            f"the JSON is not valid: {err.msg} at line {err.lineno}, column {err.colno}",
            "download or export the file again",
        ) from err
    records = doc
    if isinstance(doc, dict):
        if doc.get("success") is False or "error" in doc:
            said = json.dumps(doc.get("error") or doc.get("messages"), ensure_ascii=False)
            raise FileReadError(
                file,
                f"the file is an API's error answer, not data: {said[:300]}",
                "fix the request (key, e-mail, filters) and download again",
            )
        records = doc.get("data")
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise FileReadError(
            file,
            "JSON that is neither GeoJSON nor records: expected a list of objects, or an "
            'object with a list of objects under "data" (as the ACLED API answers)',
            "export the data as CSV or GeoJSON",
        )
    if not records:
        raise FileReadError(file, "no data rows: the JSON holds no records",
                            "widen the request's filters and download again")  # fmt: skip
    too_many_rows(len(records), limits, "the file", exact=True)
    names: dict[str, None] = {}
    for record in records:
        names.update(dict.fromkeys(record))
    nested = sorted(k for k in names if any(isinstance(r.get(k), (dict, list)) for r in records))
    frame = pd.DataFrame(
        {k: pd.Series([_json_cell(r.get(k)) for r in records], dtype=str) for k in names},
        columns=list(names),
    )
    notes = ()
    if nested:
        notes = (f"the JSON's field(s) {nested} hold objects or lists; they are kept as JSON "
                 "text",)  # fmt: skip
    numbers = list(range(1, len(records) + 1))
    return RawTable(file, path.name, frame, numbers, None, None, {}, "utf-8", "json", notes)


def _layer_names(file: str, path: Path, kind: str, limits: ReadLimits) -> list[str]:
    if kind == "xlsx":
        book = _open_book(file, path)
        names = book.sheetnames
        book.close()
        return names
    if kind == "shapezip":
        return sorted(n[:-4] for n in zip_members(path, limits) if n.lower().endswith(".shp"))
    if kind == "csv":
        return []
    if kind == "kmz":
        verify_members(path, zip_members(path, limits))
    with gdal("GDAL cannot open it"):
        return [str(name) for name, _ in pyogrio.list_layers(path)]


def _check_shapefile(file: str, names: list[str], shp: str) -> None:
    """Raise unless the .shx and .dbf files of a shapefile sit beside its .shp."""
    have = {n.lower() for n in names}
    missing = [e for e in (".shx", ".dbf") if shp[:-4].lower() + e not in have]
    if missing:
        reason = f"the shapefile {shp!r} has no {' or '.join(missing)} file beside it"
        fix = "keep the files of a shapefile (.shp, .shx, .dbf, .prj, .cpg) together, or zip them"
        raise FileReadError(file, reason, fix)


def _read_vector(file, path, kind, layer, encoding, crs, limits: ReadLimits) -> RawTable:
    names = _layer_names(file, path, kind, limits)
    if kind == "shapezip" and not names:
        raise FileReadError(
            file,
            f"the zip holds no shapefile (.shp), only {zip_members(path, limits)[:10]}",
            "unzip it and pass the file inside, or zip a .shp with its .shx, .dbf and .prj",
        )
    if layer is not None and layer.removesuffix(".shp") not in names:
        raise FileReadError(
            file, f"no layer {layer!r}; its layers are {names}", "pass layer= with one of them"
        )
    if layer is None and len(names) != 1:
        raise FileReadError(file, f"it holds {len(names)} layers {names} and layer= does not say "
                            "which to read", "pass layer= with one of them")  # fmt: skip
    name = layer.removesuffix(".shp") if layer is not None else names[0]
    target, layer_arg = str(path), name
    if kind == "shapezip":
        members = zip_members(path, limits)
        shp = next(n for n in members if n[:-4] == name and n.lower().endswith(".shp"))
        _check_shapefile(file, members, shp)
        own = [n for n in members if n.lower().rsplit(".", 1)[0] == shp[:-4].lower()]
        verify_members(path, own)  # the members GDAL reads
        target, layer_arg = f"/vsizip/{path.absolute()}/{shp}", None
    elif kind == "shapefile":
        _check_shapefile(file, [p.name for p in path.parent.iterdir()], path.name)
    with gdal("GDAL cannot read it") as said:
        info = pyogrio.read_info(target, layer=layer_arg)
    too_many_rows(info["features"], limits, f"layer {name!r}", exact=True)  # -1: not known
    with gdal("GDAL cannot read it") as read_said:  # GDAL keeps a GeoPackage's fid, GeoJSON's
        df = pyogrio.read_dataframe(  # integer feature "id", apart: as index
            target, layer=layer_arg, encoding=encoding, on_invalid="ignore", fid_as_index=True,
            max_features=limits.max_rows + 1,
        )  # fmt: skip
    too_many_rows(len(df), limits, f"layer {name!r}", exact=False)
    fid = info["fid_column"] if kind == "gpkg" else "id"
    if len(df) == 0:
        raise FileReadError(file, f"no data rows: layer {name!r} has no features", "add features")
    fids, df = df.index.to_numpy(), df.reset_index(drop=True)
    geom = df.geometry if isinstance(df, gpd.GeoDataFrame) else None
    texts = {}
    if kind == "gpkg" or (kind == "geojson" and (fids != np.arange(len(df))).any()):
        texts[fid or "fid"] = [str(f) for f in fids]
    for c in df.columns:
        if geom is None or c != geom.name:
            values = list(df[c]) if df[c].dtype.kind == "M" else df[c].to_numpy()
            texts[c] = [cell_text(v) for v in values]
    for c in _KML_EXTRAS if kind in ("kml", "kmz") else ():
        if c in texts and not set(texts[c]) - {"", _KML_EXTRAS[c]}:
            del texts[c]
    frame = pd.DataFrame(texts, index=range(len(df)), dtype=str)
    geometry, crs_name = (None, None) if geom is None else to_wgs84(geom, kind, crs)
    named = len(names) > 1 or kind in ("gpkg", "kml", "kmz")
    source = f"{path.name}, layer {name!r}" if named else path.name
    fmt = {"shapezip": "shapefile", "kmz": "kml"}.get(kind, kind)
    notes = tuple(f"GDAL: {m}" for m in dict.fromkeys([*said, *read_said]))
    return RawTable(file, source, frame, list(range(1, len(df) + 1)), geometry, crs_name, {},
                    encoding, fmt, notes)  # fmt: skip


def _read_parquet(file: str, path: Path, crs: str | None, limits: ReadLimits,
                  row_groups: tuple[int, int] | None = None) -> RawTable:  # fmt: skip
    """Read a (Geo)Parquet file: its columns as text, its geometry (GeoParquet) in EPSG:4326.

    A partition of a partitioned dataset is one such file, or the row groups
    ``row_groups`` (first, past the last) of one; rows are numbered from the
    file's first row either way. The row count is read from the file's
    metadata and checked before its data.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    with guard("the Parquet file cannot be read", "write it again (pyarrow, GeoPandas)"):
        meta = pq.ParquetFile(path)
        rows = meta.metadata.num_rows
        geo = (meta.schema_arrow.metadata or {}).get(b"geo")
    too_many_rows(rows, limits, "the file", exact=True)
    if rows == 0:
        raise FileReadError(file, "no data rows: the file is empty", "export the data again")
    first = 0
    with guard("the Parquet file cannot be read", "write it again (pyarrow, GeoPandas)"):
        if row_groups is None:
            df = gpd.read_parquet(path) if geo else pd.read_parquet(path)
        else:  # the row groups alone, decoded as the whole file would be
            start, stop = row_groups
            first = sum(meta.metadata.row_group(i).num_rows for i in range(start))
            sink = pa.BufferOutputStream()
            pq.write_table(meta.read_row_groups(range(start, stop)), sink)
            part = pa.BufferReader(sink.getvalue())
            df = gpd.read_parquet(part) if geo else pd.read_parquet(part)
    geom = df.geometry if isinstance(df, gpd.GeoDataFrame) else None
    texts = {}
    for c in df.columns:
        if geom is None or c != geom.name:
            values = list(df[c]) if df[c].dtype.kind == "M" else df[c].to_numpy()
            texts[str(c)] = [cell_text(v) for v in values]
    frame = pd.DataFrame(texts, index=range(len(df)), dtype=str)
    geometry, crs_name = (None, None) if geom is None else to_wgs84(
        geom.reset_index(drop=True), "parquet", crs)  # fmt: skip
    return RawTable(file, path.name, frame, list(range(first + 1, first + len(df) + 1)), geometry,
                    crs_name, {}, None, "parquet")  # fmt: skip


@_naming_the_file
def list_layers(path: str | os.PathLike, *, limits: ReadLimits | None = None) -> list[str]:
    r"""List the names that ``layer=`` (for Excel, ``sheet=``) of :func:`read_table` takes.

    GeoPackage and KML layers, the shapefiles in a zip (paths without
    ``.shp``), the sheets of a workbook; the one layer of a GeoJSON file or
    ``.shp``; ``[]`` for CSV. ``limits`` are those of :func:`read_table`.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.csv"
    >>> _ = p.write_text("x\n1\n")
    >>> list_layers(p)
    []
    """
    file, p, limits = str(path), Path(path), limits or ReadLimits()
    return _layer_names(file, p, _kind(file, p, limits), limits)


@_naming_the_file
def read_table(
    path: str | os.PathLike,
    *,
    layer: str | None = None,
    sheet: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    crs: str | None = None,
    limits: ReadLimits | None = None,
    row_groups: tuple[int, int] | None = None,
) -> RawTable:
    r"""Read one table of a user's file as rows of text, with its geometry if any.

    Parameters
    ----------
    path : str or os.PathLike
        CSV, Excel (.xlsx), GeoJSON, GeoPackage, Shapefile (.shp, or a .zip
        holding one) or KML (.kml, .kmz) file.
    layer : str, optional
        Layer of a GeoPackage or KML file, or shapefile in a zip: needed when
        there are several (see :func:`list_layers`).
    sheet : str, optional
        Sheet of an Excel workbook; the first by default.
    encoding : str, optional
        Encoding of a CSV file (or shapefile). By default UTF-8 (with or
        without BOM), UTF-16 with BOM, or CP1251 when the text reads as such.
    delimiter : str, optional
        CSV delimiter. By default the one of ``, ; TAB |`` that fits the rows.
    crs : str, optional
        CRS of a vector file that has none (or a GeoJSON file, which cannot
        say), e.g. ``'EPSG:32637'``. Without it, such files must be lon/lat.
        Numbers that all lie within -180..180, -90..90 under a projected CRS
        in metres or feet are refused as lon/lat under a wrong CRS.
    limits : ReadLimits, optional
        What reading may cost: size of the file, data rows, what its zip
        archive unpacks to; ``ReadLimits()`` by default. A file over a limit
        is refused before the costly part is read.
    row_groups : (int, int), optional
        Of a Parquet file, read only the row groups from the first to before
        the second (a partition of a large file); rows keep the file's numbers.

    Returns
    -------
    RawTable

    Raises
    ------
    FileReadError
        The file is missing, of a kind not read, unsafe, damaged, over a
        limit, not decodable or without data rows, or the options do not
        pick one table of it.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "targets.csv"
    >>> _ = p.write_text("district;target_km2\nNorth;14.5\n", encoding="utf-8")
    >>> t = read_table(p)
    >>> t.frame.to_dict("records"), t.row_numbers, t.format, t.encoding
    ([{'district': 'North', 'target_km2': '14.5'}], [2], 'csv', 'utf-8')
    """
    file, p, limits = str(path), Path(path), limits or ReadLimits()
    kind = _kind(file, p, limits)
    options = {"layer": (layer, _VECTOR), "sheet": (sheet, {"xlsx"}),
               "crs": (crs, _VECTOR | {"parquet"}), "row_groups": (row_groups, {"parquet"}),
               "delimiter": (delimiter, {"csv"}),
               "encoding": (encoding, {"csv", "shapefile", "shapezip"})}  # fmt: skip
    for option, (value, kinds) in options.items():
        if value is not None and kind not in kinds:
            raise FileReadError(
                file,
                f"{option}= was given but does not apply to {_DESCRIBE[kind]}",
                f"drop {option}=" + (" (use sheet= for Excel)" if option == "layer" else ""),
            )
    if kind == "xlsx":
        return _read_xlsx(file, p, sheet, limits)
    if kind == "json":
        return _read_json(file, p, limits)
    if kind == "parquet":
        return _read_parquet(file, p, crs, limits, row_groups)
    if kind in _VECTOR:
        return _read_vector(file, p, kind, layer, encoding, crs, limits)
    with guard("the file cannot be read", "check that it can be read"):
        data = p.read_bytes()
    text, used = decode_text(data, encoding)
    # The text's UTF-8 bytes as read (no copy), when they are exactly the text.
    utf8 = data if used == "utf-8" and not data.startswith(codecs.BOM_UTF8) else None
    del data
    if delimiter is not None and len(delimiter) != 1:
        csv_rows(text, delimiter)  # refuses it, saying why
    delimiter = delimiter or sniff_delimiter(text)
    if utf8 is not None and delimiter.isascii():
        text = None  # Arrow reads the bytes: the decoded text is not held meanwhile
    # Columns by Arrow when it reads the text as Python's csv module would; else row by row.
    fast = arrow_csv.split(text, delimiter, limits.max_rows + 2, utf8=utf8)
    if fast is None and text is None:
        text = utf8.decode("utf-8")
    if fast is not None:
        count, frame, numbers, hxl = fast
        too_many_rows(count - 1, limits, "the file", exact=False)
    else:
        rows = csv_rows(text, delimiter, limits.max_rows + 2)  # stops at the first row too many
        too_many_rows(len(rows) - 1, limits, "the file", exact=False)
        frame, numbers, hxl = split_header(rows, "the file")
    return RawTable(file, p.name, frame, numbers, None, None, hxl, used, "csv")
