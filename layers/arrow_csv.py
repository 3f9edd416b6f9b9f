r"""CSV text split into a table by Arrow's parser: the columnar path of :mod:`layers.hxl`.

:func:`layers.hxl.csv_rows` and :func:`layers.hxl.split_header` read a CSV row
by row in Python: every cell a Python string, about a tenth of a second per
100,000 rows and much memory. :func:`split` gives the same table — the same
columns, row numbers and HXL tags — from ``pyarrow.csv`` in one pass, but only
for text whose every row Arrow and Python's ``csv`` module read alike. It
returns None, and the caller reads row by row (with its precise messages),
when the text:

- has a NUL character, or one of the separators ``\x1c``–``\x1f`` (Python
  counts them as white space, Arrow does not);
- is not a sequence of fields that are quoted whole or hold no quote
  (:func:`_grammar`): Python's reader refuses ``"ab"c``, Arrow reads ``abc``;
  a quote inside an unquoted field (``a"b``) is also left to Python;
- has rows of different lengths, a cell longer than ``csv.field_size_limit()``,
  no data rows, values in a column without a name, or duplicate names.
"""

from __future__ import annotations

import csv
import functools
import io
import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from layers.hxl import hashtag_row

__all__ = ["split"]

#: Characters Python's str.strip() removes but Arrow's trim keeps (and NUL).
_WHITESPACE_APART = "\x00\x1c\x1d\x1e\x1f"


def _apart(text: str | bytes) -> bool:
    """Say whether the text holds one of :data:`_WHITESPACE_APART` (a fast scan per character)."""
    if isinstance(text, bytes):
        return any(ch.encode() in text for ch in _WHITESPACE_APART)
    return any(ch in text for ch in _WHITESPACE_APART)


@functools.lru_cache(maxsize=8)
def _grammar(delimiter: str, as_bytes: bool = False) -> re.Pattern:
    """Text that Python's csv reader (strict) and Arrow's split alike, as one regular expression.

    A field is quoted (anything inside, quotes doubled) or holds no quote at
    all; fields are joined by the delimiter, records by line breaks.
    Possessive quantifiers keep matching linear in the text's length.
    """
    d = re.escape(delimiter)
    field = f'(?:"(?:[^"]|"")*+"|[^"{d}\\r\\n]*+)'
    record = f"{field}(?:{d}{field})*+"
    pattern = f"{record}(?:(?:\\r\\n|\\n|\\r){record})*+(?:\\r\\n|\\n|\\r)?"
    # On UTF-8 bytes alike, for an ASCII delimiter: no byte of a multi-byte character is ASCII.
    return re.compile(pattern.encode("ascii") if as_bytes else pattern)


def _parse(text: str, delimiter: str, utf8: bytes | None = None) -> pa.Table | None:
    """Parse with Arrow, every cell as text; None when a row is ragged."""
    ragged = []

    def on_invalid(row) -> str:
        ragged.append(row.number)
        return "skip"

    try:
        table = pacsv.read_csv(
            io.BytesIO(utf8 if utf8 is not None else text.encode("utf-8", "surrogatepass")),
            read_options=pacsv.ReadOptions(autogenerate_column_names=True, use_threads=False),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter,
                quote_char='"',
                double_quote=True,
                escape_char=False,
                newlines_in_values=True,
                ignore_empty_lines=False,
                invalid_row_handler=on_invalid,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
                null_values=[],
                true_values=[],
                false_values=[],
                auto_dict_encode=False,
            ),
        )
    except (pa.ArrowInvalid, UnicodeEncodeError):
        return None
    if ragged or table.num_columns == 0:
        return None
    if not all(pa.types.is_string(t) or pa.types.is_large_string(t) for t in table.schema.types):
        return None
    return table


def split(
    text: str | None, delimiter: str, max_rows: int | None = None, *, utf8: bytes | None = None
) -> tuple[int, pd.DataFrame, list[int], dict[str, str]] | None:
    r"""Split CSV text as ``split_header(csv_rows(text, delimiter, max_rows))`` does, or None.

    Returns (rows read, counting blank ones and the header, as ``csv_rows``
    counts them), the frame, the data rows' numbers and the HXL tags.
    ``utf8``, when given, is ``text`` encoded as UTF-8 (the file's own bytes),
    saving a copy; with ``text`` None, the bytes alone are read (the caller
    need not hold the decoded text meanwhile; an ASCII delimiter only).

    Examples
    --------
    >>> n, frame, numbers, tags = split("Oblast,Area\n#adm1+name,#area\nKharkiv,4\n", ",")
    >>> n, frame.to_dict("records"), numbers, tags
    (3, [{'Oblast': 'Kharkiv', 'Area': '4'}], [3], {'Oblast': '#adm1+name', 'Area': '#area'})
    >>> split('a,b\n"ab"c,2\n', ",") is None  # Python's reader refuses it: left to it
    True
    """
    if len(delimiter) != 1 or delimiter in '"\r\n':
        return None
    if text is None:  # the UTF-8 bytes alone: the text need not be held as well
        if utf8 is None or not delimiter.isascii():
            return None
        checked: str | bytes = utf8
    else:
        checked = text
    if _apart(checked) or not _grammar(delimiter, text is None).fullmatch(checked):
        return None
    table = _parse(text, delimiter, utf8)
    if table is None:
        return None
    if max_rows is not None and table.num_rows > max_rows:
        table = table.slice(0, max_rows)
    limit = csv.field_size_limit()
    columns = [table.column(i) for i in range(table.num_columns)]  # chunked: never copied
    if any((pc.max(pc.utf8_length(c)).as_py() or 0) > limit for c in columns):
        return None
    blank = np.ones(table.num_rows, dtype=bool)
    filled_cells = []
    for c in columns:
        filled = pc.not_equal(pc.utf8_trim_whitespace(c), "").to_numpy(zero_copy_only=False)
        filled_cells.append(filled)
        blank &= ~filled
    rows = np.flatnonzero(~blank)
    if len(rows) < 2:
        return None
    header = [c[int(rows[0])].as_py() for c in columns]
    tags = hashtag_row(header) or {}
    data = rows[1:]
    if not tags and (found := hashtag_row([c[int(data[0])].as_py() for c in columns])):
        tags, data = found, data[1:]
    if not len(data):
        return None
    names = list(header)
    for i, tag in tags.items():
        if not names[i].strip():
            names[i] = tag
    keep = [i for i, name in enumerate(names) if name.strip()]
    if any(filled_cells[i][data].any() for i in set(range(len(names))) - set(keep)):
        return None  # values without a column name: the row-by-row reader says where
    kept = [names[i] for i in keep]
    if len(set(kept)) < len(kept):
        return None
    if data[-1] - data[0] + 1 == len(data):  # no blank rows between: a slice, not a copy
        pick = lambda c: c.slice(int(data[0]), len(data))  # noqa: E731
    else:
        take = pa.array(data)
        pick = lambda c: c.take(take)  # noqa: E731
    frame = pd.DataFrame(
        {name: pd.Series(pick(columns[i]).to_pandas(), dtype=str) for name, i in
         zip(kept, keep, strict=True)},
        columns=kept,
    )  # fmt: skip
    count = table.num_rows
    del table, columns
    found = {names[i]: tags[i] for i in keep if i in tags}
    return count, frame, (data + 1).tolist(), found
