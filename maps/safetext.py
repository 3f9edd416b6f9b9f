r"""Text made safe for where it goes besides HTML: CSV, Markdown, the terminal, file names, links.

HTML, JavaScript and template contexts are :mod:`maps.safehtml`'s. Each
function here is the one place its context is handled:

- :func:`csv_cell` and :func:`csv_text`: a cell that a spreadsheet would run
  as a formula (it starts with ``= + - @``, a tab or a carriage return) is
  prefixed with ``'`` (OWASP's CSV injection guidance); numbers stay numbers;
- :func:`markdown_text`: HTML and Markdown syntax in a table cell or a line;
- :func:`terminal_text`: control characters (escape sequences) shown as
  ``\xNN`` instead of being sent to the terminal;
- :func:`slug` and :func:`unique_slugs`: a name as a file name, always a
  plain name inside the output folder.
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "FORMULA_PREFIXES",
    "RESERVED_STEMS",
    "csv_cell",
    "csv_text",
    "markdown_text",
    "slug",
    "terminal_text",
    "unique_slugs",
    "write_csv_file",
]

#: First characters that make a spreadsheet read a cell as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

#: A cell that is only a number (a spreadsheet reads it as one, never as a formula).
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def csv_cell(value: object) -> object:
    r"""Return a cell value that no spreadsheet runs as a formula.

    Text starting with ``= + - @``, a tab or a carriage return gets a leading
    ``'``, unless it is just a number; numbers and empty cells are unchanged.

    Examples
    --------
    >>> csv_cell("=HYPERLINK(\"http://x\",\"y\")"), csv_cell("@SUM(A1)"), csv_cell("\t=1")
    ('\'=HYPERLINK("http://x","y")', "'@SUM(A1)", "'\t=1")
    >>> csv_cell("-12.5"), csv_cell(-3), csv_cell("Donetsk"), csv_cell(None)
    ('-12.5', -3, 'Donetsk', None)
    >>> csv_cell("-1+1"), csv_cell("+7 (495) 123")
    ("'-1+1", "'+7 (495) 123")
    """
    formula = isinstance(value, str) and value.startswith(FORMULA_PREFIXES)
    return "'" + value if formula and not _NUMBER.fullmatch(value) else value


def csv_text(frame: pd.DataFrame, *, header: bool = True) -> str:
    r"""Write ``frame`` as CSV (UTF-8, LF line ends) with every text cell and header neutralised.

    ``header=False`` writes the rows alone (a table written in parts).

    A cell holding a carriage return is quoted (a CR-LF inside a cell is
    written as LF).

    Examples
    --------
    >>> import pandas as pd
    >>> print(csv_text(pd.DataFrame({"=x": ["=1+1", "a"], "n": [-1.5, 2.0]})), end="")
    '=x,n
    '=1+1,-1.5
    a,2.0
    >>> csv_text(pd.DataFrame({"a": ["x\ry", "z"]}))
    'a\n"x\ry"\nz\n'
    >>> noisy = pd.DataFrame({"unit": ["a", "b", "c"], "km2": [0.1 + 0.2, 867.8100000000001, None]})
    >>> csv_text(noisy)
    'unit,km2\na,0.3\nb,867.81\nc,\n'
    """
    import pandas as pd  # only this function needs it: the CLI starts without pandas

    safe = frame.copy()
    safe.columns = [csv_cell(str(c)) for c in frame.columns]
    for position in range(frame.shape[1]):
        values = frame.iloc[:, position]
        if pd.api.types.is_float_dtype(values.dtype):
            # 12 significant digits: what a measurement holds, without float noise
            # (0.1 + 0.2 is written 0.3, 867.8100000000001 as 867.81).
            safe.isetitem(position, values.map(lambda v: float(f"{v:.12g}") if v == v else v))
            continue
        if values.dtype == object or isinstance(values.dtype, pd.StringDtype):
            try:  # only the cells that may be formulas go through csv_cell
                risky = values.str.startswith(FORMULA_PREFIXES).fillna(False).astype(bool)
            except AttributeError:  # no text in the column at all
                continue
            if risky.any():
                fixed = values.astype(object).copy()
                fixed[risky] = values[risky].map(csv_cell)
                safe.isetitem(position, fixed)
    buffer = io.StringIO()
    # Written with CRLF so that the writer quotes a cell holding a lone CR too
    # (it quotes only the characters of its line terminator), then rows end in LF.
    safe.to_csv(buffer, index=False, header=header, lineterminator="\r\n")
    return buffer.getvalue().replace("\r\n", "\n")


def write_csv_file(frame: pd.DataFrame, sink) -> None:
    r"""Write a large table as UTF-8 CSV to a path or binary file, by Arrow, cells neutralised.

    The same cells as :func:`csv_text` (formula-like text gets a leading
    ``'``, a CR-LF inside a cell becomes LF), written by Arrow's CSV writer in
    batches: every text cell quoted, numbers as Arrow writes them, empty for
    missing. For tables of many rows (``records.csv``), where :func:`csv_text`
    would hold the whole text in memory.

    Examples
    --------
    >>> import pandas as pd
    >>> sink = io.BytesIO()
    >>> write_csv_file(pd.DataFrame({"=x": ["=1+1", "a\r\nb", None], "n": [-1.5, 2.0, None]}), sink)
    >>> sink.getvalue()
    b'"\'=x","n"\n"\'=1+1",-1.5\n"a\nb",2\n,\n'
    """
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    number = "^" + _NUMBER.pattern + "$"
    columns = []
    for position in range(frame.shape[1]):
        values = frame.iloc[:, position]
        if isinstance(values.dtype, pd.StringDtype):
            text = pa.array(values, type=pa.string(), from_pandas=True)
        elif values.dtype == object:
            objects = values.to_numpy(dtype=object, na_value=None)
            try:
                text = pa.array(objects, type=pa.string(), from_pandas=True)
            except (pa.ArrowTypeError, pa.ArrowInvalid):  # numbers among the text
                text = pa.array([None if v is None else str(v) for v in objects], pa.string())
        else:
            columns.append(pa.array(values.to_numpy(), from_pandas=True))
            continue
        risky = pc.starts_with(text, FORMULA_PREFIXES[0])
        for prefix in FORMULA_PREFIXES[1:]:
            risky = pc.or_(risky, pc.starts_with(text, prefix))
        if pc.any(risky).as_py():
            risky = pc.and_not(risky, pc.match_substring_regex(text, number))
            text = pc.if_else(risky, pc.binary_join_element_wise("'", text, ""), text)
        if pc.any(pc.match_substring(text, "\r\n")).as_py():
            text = pc.replace_substring(text, "\r\n", "\n")
        columns.append(text)
    names = [str(csv_cell(str(c))) for c in frame.columns]
    table = pa.table(columns, names=names)
    pacsv.write_csv(table, sink, pacsv.WriteOptions(quoting_style="needed"))


_MD_SPECIAL = re.compile(r"([\\`*_\[\]|<>#!~])")


def markdown_text(value: object) -> str:
    r"""Escape text for a Markdown table cell or line: HTML and Markdown syntax shown literally.

    Characters that start HTML (``<``, ``>``, ``&``) become entities, Markdown
    punctuation is backslash-escaped, and line breaks become spaces.

    Examples
    --------
    >>> markdown_text('<img src=x onerror="alert(1)"> | *a* [b](javascript:c)')
    '&lt;img src=x onerror="alert(1)"&gt; \\| \\*a\\* \\[b\\](javascript:c)'
    >>> markdown_text(None), markdown_text(float("nan"))
    ('', '')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_SPECIAL.sub(
        lambda m: "\\" + m.group(1) if m.group(1) not in "<>" else m.group(1), text
    )
    return re.sub(r"[\r\n]+", " ", text)


# C0 and C1 controls, DEL, and directional formatting characters.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def terminal_text(value: object) -> str:
    r"""Show control characters in text for a terminal as escapes, never send them.

    An escape sequence in a column name or a cell could otherwise move the
    cursor, rewrite earlier lines or change the window title. Tabs and line
    breaks are kept.

    Examples
    --------
    >>> terminal_text("place\x1b[2J\x1b]0;pwned\x07 \u202eexe")
    'place\\x1b[2J\\x1b]0;pwned\\x07 \\u202eexe'
    """
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), str(value))


#: File stems a build writes itself; a layer may not take them.
RESERVED_STEMS = frozenset(
    {"index", "build", "rejects", "fuzzy_matches", "name_matches", "records", "summaries"}
)


def slug(name: object, *, limit: int = 60) -> str:
    """Return an ASCII file stem for ``name``: ``[a-z0-9_-]``, never empty, never a path.

    Accents are dropped, other characters become ``_``; a name with no ASCII
    letter or digit becomes ``layer``.

    Examples
    --------
    >>> slug("Contamination (Donetsk)"), slug("../../etc/passwd"), slug("/abs"), slug("Минные поля")
    ('contamination_donetsk', 'etc_passwd', 'abs', 'layer')
    >>> slug("Zaporizhzhia – 2023"), slug("a" * 80) == "a" * 60
    ('zaporizhzhia_2023', True)
    """
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^a-z0-9_-]+", "_", text.lower()).strip("_-")
    text = re.sub(r"_+", "_", text)[:limit].strip("_-")
    return text or "layer"


def unique_slugs(names: Iterable[object], *, reserved: Iterable[str] = RESERVED_STEMS) -> list[str]:
    """Return a distinct file stem for each name, none of them a ``reserved`` stem.

    A stem already taken gets ``-2``, ``-3``...; a reserved one gets ``_layer``.

    Examples
    --------
    >>> unique_slugs(["Index", "a b", "a-b", "A B", "../x", "x"])
    ['index_layer', 'a_b', 'a-b', 'a_b-2', 'x', 'x-2']
    """
    taken = set(reserved)
    out = []
    for name in names:
        stem = slug(name)
        if stem in reserved:
            stem += "_layer"
        candidate, n = stem, 1
        while candidate in taken:
            n += 1
            candidate = f"{stem}-{n}"
        taken.add(candidate)
        out.append(candidate)
    return out
