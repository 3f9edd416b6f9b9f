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
import os
import re
from pathlib import Path

from layers import arrow_csv
from layers.hxl import (
    TableError,
    csv_rows,
    decode_text,
    normalise_hxl_tag,
    sniff_delimiter,
    split_header,
)
from layers.limits import (
    ReadLimits,
    check_file_size,
    guard,
    too_many_rows,
    zip_members,
)
from layers.raw_table import FileReadError, RawTable
from layers.sheets import read_json, read_xlsx
from layers.vector_files import layer_names, read_parquet, read_vector

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
    return layer_names(file, p, _kind(file, p, limits), limits)


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
        return read_xlsx(file, p, sheet, limits)
    if kind == "json":
        return read_json(file, p, limits)
    if kind == "parquet":
        return read_parquet(file, p, crs, limits, row_groups)
    if kind in _VECTOR:
        return read_vector(file, p, kind, layer, encoding, crs, limits)
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
