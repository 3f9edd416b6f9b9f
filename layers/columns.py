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
_WHOLE = r"[+-]?\d{1,18}"  # fits in int64 whatever the digits
_ISO_DATE = r"\d{4}-\d{2}-\d{2}"

#: ``check(text, field) -> (value, reason, fix)``: the one-cell parser.
CellCheck = Callable[[str, Field], "tuple[object, str | None, str | None]"]


def _plain(texts: pd.Series, f: Field, bound: float | None) -> tuple[np.ndarray, np.ndarray]:
    """Values of the cells in plain form, and which cells those are."""
    n = len(texts)
    values = np.full(n, None, dtype=object)
    if f.type == "number":
        ok = texts.str.fullmatch(_DECIMAL).fillna(False).to_numpy(dtype=bool, copy=True)
        if ok.any():
            cells = texts[ok].tolist()
            try:
                numbers = pc.cast(pa.array(cells, pa.string()), pa.float64()).to_numpy(
                    zero_copy_only=False
                )
            except pa.ArrowInvalid:  # a form pyarrow does not read: Python's float does
                numbers = np.asarray([float(t) for t in cells], dtype=np.float64)
            good = np.isfinite(numbers)
            if f.minimum is not None:
                good &= numbers >= f.minimum
            idx = np.flatnonzero(ok)
            ok[idx[~good]] = False
            values[idx[good]] = numbers[good].tolist()
    elif f.type == "integer":
        ok = texts.str.fullmatch(_WHOLE).fillna(False).to_numpy(dtype=bool, copy=True)
        if ok.any():
            numbers = np.asarray([int(t) for t in texts[ok].tolist()], dtype=np.int64)
            good = np.ones(len(numbers), dtype=bool)
            if f.minimum is not None:
                good &= numbers >= f.minimum
            if bound is not None:
                good &= numbers <= bound
            idx = np.flatnonzero(ok)
            ok[idx[~good]] = False
            values[idx[good]] = numbers[good].tolist()
    elif f.type == "date":
        ok = texts.str.fullmatch(_ISO_DATE).fillna(False).to_numpy(dtype=bool, copy=True)
        if ok.any():
            days = pd.to_datetime(texts[ok], format="%Y-%m-%d", errors="coerce")
            good = days.notna().to_numpy(dtype=bool, copy=True)
            idx = np.flatnonzero(ok)
            ok[idx[~good]] = False
            values[idx[good]] = days[good].dt.date.tolist()
    else:
        ok = np.ones(n, dtype=bool)
        values[:] = texts.to_numpy(dtype=object)
    if f.enum is not None:
        ok &= texts.isin(list(f.enum)).to_numpy(dtype=bool, copy=True)
    if f.pattern is not None:
        ok &= texts.str.fullmatch(f.pattern).fillna(False).to_numpy(dtype=bool, copy=True)
    return values, ok


def parse_column(
    column: pd.Series, f: Field, check: CellCheck, *, bound: float | None = None
) -> tuple[np.ndarray, np.ndarray, list[tuple[int, str, str, str]]]:
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
    (numpy.ndarray, numpy.ndarray, list)
        The texts (stripped), the parsed values (None for an empty or rejected
        cell), and the problems: ``(position, text, reason, fix)``.

    Examples
    --------
    >>> from layers.validate import _check_value
    >>> f = Field("killed", "integer", "people killed", minimum=0)
    >>> texts, values, problems = parse_column(pd.Series(["3", "", "-1", "1_000"]), f, _check_value)
    >>> values.tolist(), problems
    ([3, None, None, 1000], [(2, '-1', 'expected a value >= 0', 'correct killed')])
    """
    texts = column.fillna("").astype(str).str.strip()
    empty = texts.eq("").to_numpy(dtype=bool, copy=True)
    values, ok = _plain(texts, f, bound)
    ok &= ~empty  # an empty cell is fine only when the field is optional
    values[empty] = None
    if not f.required:
        ok |= empty
    problems = []
    text_list = texts.tolist()
    for pos in np.flatnonzero(~ok).tolist():
        value, reason, fix = check(text_list[pos], f)
        values[pos] = value
        if reason is not None:
            problems.append((pos, text_list[pos], reason, fix))
    return np.asarray(text_list, dtype=object), values, problems
