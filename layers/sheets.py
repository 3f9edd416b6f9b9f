"""Tables of spreadsheets and JSON files read as rows of text: Excel workbooks and JSON records.

Readers of :func:`layers.formats.read_table`: a sheet of an ``.xlsx`` workbook
(:func:`read_xlsx`) and a JSON array of records or table (:func:`read_json`).
"""

from __future__ import annotations

import json
import warnings
from itertools import islice
from pathlib import Path

import pandas as pd

from layers.hxl import cell_text, column_letter, decode_text, split_header
from layers.limits import (
    ReadLimits,
    guard,
    too_many_rows,
)
from layers.raw_table import FileReadError, RawTable

__all__ = ["open_book", "read_json", "read_xlsx"]


_BOOK = ("the workbook cannot be read", "open it in Excel or LibreOffice and save it again")


def open_book(file: str, path: Path, data_only: bool = True):
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
    book = open_book(file, path, data_only)
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


def read_xlsx(file: str, path: Path, sheet: str | None, limits: ReadLimits) -> RawTable:
    """Read a sheet of a workbook: its header row, then its rows as text (formulas refused)."""
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


def read_json(file: str, path: Path, limits: ReadLimits) -> RawTable:
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
