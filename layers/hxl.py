"""Tables of text: decode and split CSV text, find the header and HXL hashtag rows.

:func:`decode_text` and :func:`csv_rows` turn the bytes of a CSV file into
numbered rows of cells (:func:`cell_text` writes Excel and GDAL values as cell
text); :func:`split_header` turns numbered rows (of a CSV file or a sheet) into
named columns, and reads the HXL hashtag row of an HDX file.

The Humanitarian Exchange Language (https://hxlstandard.org/standard/1-1final/)
tags each column of a table with a hashtag such as ``#adm1+code``: a ``#``, a
tag name, then zero or more ``+attribute``. Tag and attributes are letters,
digits and ``_``, start with a letter, and are not case sensitive; whitespace
around them does not count and the order of the attributes is not significant.
HDX files put the hashtags in the row below the text header.

Only this much of HXL is needed, so minemap parses it itself rather than
depend on ``libhxl`` (which reads and models whole datasets, with a dozen
dependencies of its own).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import re
from itertools import islice

import numpy as np
import pandas as pd

from layers.errors import TableError

__all__ = [
    "TableError",
    "cell_text",
    "csv_rows",
    "decode_text",
    "hashtag_row",
    "is_hashtag",
    "normalise_hxl_tag",
    "sniff_delimiter",
    "split_header",
]

_NAME = r"[A-Za-z][A-Za-z0-9_]*"
_HASHTAG = re.compile(rf"\s*#\s*({_NAME})((?:\s*\+\s*{_NAME})*)\s*")
# Characters of real text in CP1251: ASCII, Cyrillic, typographic symbols; not control codes.
_NOT_CP1251_TEXT = re.compile("[^\t\n\r\x20-\x7eЀ-џҐґ«»—–„“”‘’‚…•№°§±·¤¦©®¬µ¶€™\xa0\xad]")
_CYRILLIC_WORD = re.compile(r"[^\W\d_]*[Ѐ-џҐґ][^\W\d_]*")
_LATIN = re.compile("[A-Za-z]")
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))  # fmt: skip


def _plausible_cp1251(text: str) -> bool:
    """Tell whether text decoded as CP1251 reads as Cyrillic or Latin, not mojibake."""
    if _NOT_CP1251_TEXT.search(text):
        return False
    # Latin-1 text read as CP1251 puts Cyrillic letters inside Latin words: 'Flдche'.
    words = set(_CYRILLIC_WORD.findall(text))
    if words and max(map(len, words)) < 2:  # Latin-1 'à' alone reads as Cyrillic 'а'
        return False
    return 10 * sum(1 for w in words if _LATIN.search(w)) <= len(words)


def decode_text(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    r"""Decode text with the encoding given, its BOM, as UTF-8, or as plausible CP1251.

    Returns
    -------
    (str, str)
        The text (without BOM) and the encoding used.

    Raises
    ------
    TableError
        The text is not in the encoding given, or in none of those tried.

    Examples
    --------
    >>> decode_text("Донецьк".encode("cp1251"))
    ('Донецьк', 'cp1251')
    >>> decode_text(b"\xef\xbb\xbfname")
    ('name', 'utf-8-sig')
    """
    encoding = encoding or next((name for bom, name in _BOMS if data.startswith(bom)), None)
    if encoding is not None:
        try:
            return data.decode(encoding).removeprefix("\ufeff"), encoding
        except LookupError as e:
            raise TableError(
                f"unknown encoding name {encoding!r}", "pass e.g. 'utf-8' or 'cp1251'"
            ) from e
        except UnicodeDecodeError as e:
            reason = f"not valid {encoding}: byte {data[e.start]:#04x} at position {e.start}"
            raise TableError(reason, "pass the encoding the file was saved in") from e
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as e:
        bad = f"byte {data[e.start]:#04x} at position {e.start}"
    text = data.decode("cp1251", errors="replace")
    if "\ufffd" not in text and _plausible_cp1251(text):
        return text, "cp1251"
    raise TableError(
        f"unknown text encoding (not UTF-8 or CP1251): {bad} is not UTF-8, and as "
        "CP1251 the text does not read as Cyrillic or Latin",
        "save the file as UTF-8, or pass encoding=... with the file's encoding: --encoding "
        'latin-1 (minemap check), encoding = "latin-1" in the project\'s [[layers]] table',
    )


def _lines(text: str):
    """Yield the lines of ``text`` with their endings, as ``io.StringIO(text, newline="")`` does.

    Lazily: reading the first rows does not copy the whole text.
    """
    for match in _LINE.finditer(text):
        yield match.group()


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def sniff_delimiter(text: str) -> str:
    r"""Pick the delimiter that splits the first rows into the most, equally long rows.

    One of ``, ; TAB |``; rows of equal length count first, then more columns,
    then that order. A text of one column gives ``','``.

    Examples
    --------
    >>> sniff_delimiter("name, oblast;area\nDonetsk, city;1,5\n")
    ';'
    """
    best, best_key = ",", None
    for rank, delim in enumerate((",", ";", "\t", "|")):
        try:
            rows = list(islice(csv.reader(_lines(text), delimiter=delim), 30))
        except csv.Error:
            continue
        rows = [r for r in rows if any(r)]
        if rows and len(rows[0]) > 1:
            same = sum(len(r) == len(rows[0]) for r in rows[1:]) / max(len(rows) - 1, 1)
            key = (same, len(rows[0]), -rank)
            if best_key is None or key > best_key:
                best, best_key = delim, key
    return best


def csv_rows(
    text: str, delimiter: str | None = None, max_rows: int | None = None
) -> list[tuple[int, list[str]]]:
    r"""Split CSV text into rows numbered as a spreadsheet does (header row 1).

    Quoted values may hold the delimiter, quotes (doubled) and line breaks;
    a quote that is not closed is an error, not a silently merged row.
    Splitting stops after ``max_rows`` rows (blank ones included), if given.

    Examples
    --------
    >>> csv_rows('a|b\n"x|1\ny"|2\n')
    [(1, ['a', 'b']), (2, ['x|1\ny', '2'])]
    >>> csv_rows("a\n1\n2\n3\n", max_rows=2)
    [(1, ['a']), (2, ['1'])]
    """
    if delimiter is not None and len(delimiter) != 1:
        raise TableError(f"delimiter={delimiter!r} is not one character", "pass e.g. ';'")
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=delimiter or sniff_delimiter(text), strict=True
    )
    rows: list[tuple[int, list[str]]] = []
    try:
        for cells in islice(reader, max_rows):
            rows.append((len(rows) + 1, cells))
    except csv.Error as e:
        raise TableError(
            f"row {len(rows) + 1} (line {reader.line_num}) is not valid CSV: {e}",
            "put double quotes around a value holding the delimiter, a quote or a line break, "
            'and write a quote inside it as ""',
        ) from e
    return rows


def cell_text(value: object) -> str:
    """Write a cell value as text: '' when missing, whole numbers without '.0', dates as ISO.

    Values come from openpyxl (Excel) or pyogrio (vector formats); a time of
    midnight with no time zone is taken as a plain date.

    Examples
    --------
    >>> [cell_text(v) for v in (None, 14.0, 0.1, dt.datetime(2024, 3, 1), True)]
    ['', '14', '0.1', '2024-03-01', 'TRUE']
    """
    if value is None or value is pd.NaT:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (bool, np.bool_)):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        return "" if value != value else np.format_float_positional(value, trim="-")
    if isinstance(value, dt.datetime) and value.tzinfo is None and value.time() == dt.time(0):
        return value.date().isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (list, tuple, np.ndarray)):
        return json.dumps([cell_text(v) for v in value], ensure_ascii=False)
    return value.hex() if isinstance(value, bytes) else str(value)


def is_hashtag(text: str) -> bool:
    """Tell whether ``text`` is one HXL hashtag with optional attributes.

    Examples
    --------
    >>> is_hashtag("#adm1 +code"), is_hashtag("#N/A"), is_hashtag("Region")
    (True, False, False)
    """
    return _HASHTAG.fullmatch(text) is not None


def normalise_hxl_tag(tag: str) -> str:
    """Return an HXL hashtag in its normal form: lowercase, attributes sorted.

    Parameters
    ----------
    tag : str
        A hashtag as written in a file, e.g. ``'#Adm1 +Code'``.

    Returns
    -------
    str
        The tag without whitespace, lowercase, each attribute once, attributes
        sorted (their order is not significant in HXL).

    Raises
    ------
    ValueError
        ``tag`` is not an HXL hashtag.

    Examples
    --------
    >>> normalise_hxl_tag("#Adm1 +Code")
    '#adm1+code'
    >>> normalise_hxl_tag("#affected +killed +f +children")
    '#affected+children+f+killed'
    """
    match = _HASHTAG.fullmatch(tag)
    if match is None:
        raise ValueError(
            f"{tag!r} is not an HXL hashtag: expected '#' and a name, then optional "
            "'+attribute's, e.g. '#adm1+code'. Fix: correct the hashtag"
        )
    name, attributes = match.groups()
    attrs = sorted({a.strip().lower() for a in attributes.split("+") if a.strip()})
    return "".join(["#" + name.lower(), *("+" + a for a in attrs)])


def column_letter(number: int) -> str:
    """Return a spreadsheet's letters for column ``number`` (1 = A), as Excel names it.

    Examples
    --------
    >>> [column_letter(n) for n in (1, 26, 27, 52, 703, 16384)]
    ['A', 'Z', 'AA', 'AZ', 'AAA', 'XFD']
    """
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def hashtag_row(cells: list[str]) -> dict[int, str] | None:
    """Read a row as an HXL hashtag row: column index -> normalised hashtag.

    A row is a hashtag row when every non-empty cell is a hashtag, and at
    least two cells are (or the only one of a row of one or two cells): HDX
    files tag only the columns they describe (a UCDP GED file tags 16 of its
    50). Otherwise (data, or a text header) the result is None.

    Examples
    --------
    >>> hashtag_row(["#adm1+name", "#Adm1 +Code", "", "#affected"])
    {0: '#adm1+name', 1: '#adm1+code', 3: '#affected'}
    >>> hashtag_row(["#date+start", "", "", "", "#geo+lat", "", "", ""])
    {0: '#date+start', 4: '#geo+lat'}
    >>> hashtag_row(["#1", "Kyiv", "3"]) is None, hashtag_row(["#todo", "", "", ""]) is None
    (True, True)
    """
    filled = {i: c for i, c in enumerate(cells) if c.strip()}
    if not filled or (len(filled) < 2 and len(cells) > 2):
        return None
    if not all(is_hashtag(c) for c in filled.values()):
        return None
    return {i: normalise_hxl_tag(c) for i, c in filled.items()}


def split_header(
    rows: list[tuple[int, list[str]]], where: str
) -> tuple[pd.DataFrame, list[int], dict[str, str]]:
    """Split numbered rows of text cells into a table: (frame, row numbers, HXL tags).

    The first row that is not blank is the header; an HXL hashtag row may be
    the header itself or the row below it. Blank rows carry nothing and are
    left out. A column without a name is dropped when it is empty, and named
    after its hashtag when it has one.

    Parameters
    ----------
    rows : list of (int, list of str)
        Each row's user-facing number and its cells.
    where : str
        What the rows are, for messages (``"the file"``, ``"sheet 'Plan'"``).

    Raises
    ------
    TableError
        No data rows; values in a column without a name; duplicate names.

    Examples
    --------
    >>> rows = [(1, ["Oblast", "Area"]), (2, ["#adm1+name", "#area"]), (3, ["Kharkiv", "4"])]
    >>> frame, numbers, tags = split_header(rows, "the file")
    >>> frame.to_dict("records"), numbers, tags
    ([{'Oblast': 'Kharkiv', 'Area': '4'}], [3], {'Oblast': '#adm1+name', 'Area': '#area'})
    """
    rows = [(n, cells) for n, cells in rows if "".join(cells).strip()]  # not blank
    if not rows:
        raise TableError(f"no data rows: {where} is empty", "export the data again")
    header_no, header = rows[0]
    tags = hashtag_row(header) or {}
    data = rows[1:]
    below = [*data[0][1], *[""] * (len(header) - len(data[0][1]))] if data else []
    if not tags and data and (found := hashtag_row(below)):
        tags, data = found, data[1:]
    if not data:
        raise TableError(
            f"no data rows: {where} has only a header (row {header_no})", "add the data rows"
        )
    width = max(len(header), *(len(cells) for _, cells in data))
    names = [*header, *[""] * (width - len(header))]
    for i, tag in tags.items():
        if not names[i].strip():
            names[i] = tag
    keep = [i for i, name in enumerate(names) if name.strip()]
    unnamed = []
    for i in sorted(set(range(width)) - set(keep)):
        filled = [n for n, cells in data if i < len(cells) and cells[i].strip()]
        if filled:
            unnamed.append(f"{column_letter(i + 1)} (e.g. row {filled[0]})")
    if unnamed:
        raise TableError(
            f"column(s) {', '.join(unnamed)} of {where} have values but no name in the "
            f"header row (row {header_no})",
            "name every column that has values; in a CSV, quote values that hold the delimiter",
        )
    kept = [names[i] for i in keep]
    dupes = sorted({n for n in kept if kept.count(n) > 1})
    if dupes:
        raise TableError(
            f"duplicate column name(s) {dupes} in the header row (row {header_no}) of {where}",
            "rename the columns so that every name is different",
        )
    # Column by column: one list per column, not one per cell of a row-wise frame.
    padded = [cells if len(cells) == width else cells + [""] * (width - len(cells))
              for _, cells in data]  # fmt: skip
    columns = list(zip(*padded, strict=True))
    frame = pd.DataFrame(
        {name: pd.Series(columns[i], dtype=str) for name, i in zip(kept, keep, strict=True)},
        columns=kept,
    )
    return frame, [n for n, _ in data], {names[i]: tags[i] for i in keep if i in tags}
