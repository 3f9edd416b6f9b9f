"""Parse a column of cells at once, with the same answer cell by cell as :mod:`layers.validate`.

A column is parsed in bulk where its cells take the common, plain form: a
decimal number (``-12.5``, ``1e3``), a whole number (``42``), an ISO date
(``2018-12-31``), an allowed value, an empty optional cell. Every other cell
(a blank required cell, ``1_000``, ``nan``, ``20181231``, a value out of
range or not allowed) goes to the one-cell parser, which decides it and says
why it is rejected. The bulk paths accept exactly what the one-cell parser
accepts and give the same values: Python's ``float`` and pyarrow's cast both
round a decimal string correctly.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from layers.schema import Field

__all__ = ["parse_column"]

_DECIMAL = r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?"
_WHOLE = r"[+-]?\d{1,18}(?:\.0+)?"  # fits in int64; "3.0", as pandas writes a float column, is 3
_ISO_DATE = r"\d{4}-\d{2}-\d{2}"

#: ``check(text, field) -> (value, reason, fix)``: the one-cell parser.
CellCheck = Callable[[str, Field], "tuple[object, str | None, str | None]"]


def _matching(texts: pd.Series, pattern: str) -> np.ndarray:
    """Which cells match ``pattern`` whole (a writable boolean array)."""
    return texts.str.fullmatch(pattern).fillna(False).to_numpy(dtype=bool, copy=True)


def _numbers(cells: pd.Series, f: Field, bound: float | None) -> tuple[np.ndarray, list]:
    """Decimal cells as floats: which are finite and not below the minimum, and their values."""
    strings = cells.tolist()
    try:
        numbers = pc.cast(pa.array(strings, pa.string()), pa.float64()).to_numpy(
            zero_copy_only=False
        )
    except pa.ArrowInvalid:  # a form pyarrow does not read: Python's float does
        numbers = np.asarray([float(t) for t in strings], dtype=np.float64)
    good = np.isfinite(numbers)
    if f.minimum is not None:
        good &= numbers >= f.minimum
    return good, numbers[good].tolist()


def _wholes(cells: pd.Series, f: Field, bound: float | None) -> tuple[np.ndarray, list]:
    """Whole-number cells as ints: which are within the minimum and ``bound``, and their values."""
    numbers = np.asarray([int(t.split(".", 1)[0]) for t in cells.tolist()], dtype=np.int64)
    good = np.ones(len(numbers), dtype=bool)
    if f.minimum is not None:
        good &= numbers >= f.minimum
    if bound is not None:
        good &= numbers <= bound
    return good, numbers[good].tolist()


def _dates(cells: pd.Series, f: Field, bound: float | None) -> tuple[np.ndarray, list]:
    """ISO date cells as dates: which are real days, and their values."""
    days = pd.to_datetime(cells, format="%Y-%m-%d", errors="coerce")
    # Year 0 parses here but is no date of Python's: the one-cell parser refuses it.
    good = (days.notna() & days.dt.year.ge(1)).to_numpy(dtype=bool, copy=True)
    return good, days[good].dt.date.tolist()


#: The plain form of each typed field, and its bulk parser.
_PLAIN = {"number": (_DECIMAL, _numbers), "integer": (_WHOLE, _wholes), "date": (_ISO_DATE, _dates)}


def _plain(texts: pd.Series, f: Field, bound: float | None) -> tuple[Values, np.ndarray]:
    """Values of the cells in plain form, and which cells those are.

    A typed field's values are an object array of Python values; a text
    field's are the texts themselves (a string Series, not one object per cell).
    """
    if f.type in _PLAIN:
        values = np.full(len(texts), None, dtype=object)
        pattern, parse = _PLAIN[f.type]
        ok = _matching(texts, pattern)
        if ok.any():
            good, parsed = parse(texts[ok], f, bound)
            idx = np.flatnonzero(ok)
            ok[idx[~good]] = False
            values[idx[good]] = parsed
    else:
        ok = np.ones(len(texts), dtype=bool)
        values = texts.reset_index(drop=True)
    if f.enum is not None:
        ok &= texts.isin(list(f.enum)).to_numpy(dtype=bool, copy=True)
    if f.pattern is not None:
        ok &= _matching(texts, f.pattern)
    return values, ok


#: Parsed values of a column: an object array (typed fields) or a string Series (text).
Values = "np.ndarray | pd.Series"


def parse_column(
    column: pd.Series, f: Field, check: CellCheck, *, bound: float | None = None
) -> tuple[Values, list[tuple[int, str, str, str]]]:
    """Parse one column of text cells against field ``f``.

    Parameters
    ----------
    column : pandas.Series
        The cells as the file gave them (text; surrounding spaces are ignored).
    f : Field
        The schema field.
    check : callable
        The one-cell parser, for the cells not in plain form.
    bound : float, optional
        The largest whole number accepted in bulk (larger ones go to ``check``).

    Returns
    -------
    (numpy.ndarray or pandas.Series, list)
        The parsed values (None, or NaN in a Series, for an empty or rejected
        cell): an object array for a typed field, a string Series of the
        stripped texts for a text field; and the problems:
        ``(position, text, reason, fix)``.

    Examples
    --------
    >>> from layers.validate import _check_value
    >>> f = Field("killed", "integer", "people killed", minimum=0)
    >>> values, problems = parse_column(pd.Series(["3", "", "-1", "1_000"]), f, _check_value)
    >>> values.tolist(), problems
    ([3, None, None, 1000], [(2, '-1', 'expected a value >= 0', 'correct killed')])
    >>> values, _ = parse_column(pd.Series([" Kyiv ", ""]), Field("place", "string", "p"),
    ...                          _check_value)
    >>> values.tolist()
    ['Kyiv', nan]
    """
    texts = column.fillna("").astype(str).str.strip()
    empty = texts.eq("").to_numpy(dtype=bool, copy=True)
    values, ok = _plain(texts, f, bound)
    ok &= ~empty  # an empty cell is fine only when the field is optional
    values[empty] = None
    if not f.required:
        ok |= empty
    problems = []
    odd = np.flatnonzero(~ok)
    for pos, text in zip(odd.tolist(), texts.iloc[odd].tolist(), strict=True):
        value, reason, fix = check(text, f)
        if isinstance(values, pd.Series):
            values.iat[pos] = value
        else:
            values[pos] = value
        if reason is not None:
            problems.append((pos, text, reason, fix))
    return values, problems
