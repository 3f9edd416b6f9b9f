"""Dates as sources write them, rewritten as ISO days before validation, every choice said.

A date field (``date_start``, ``date_end``) is read as ISO ``YYYY-MM-DD``
(:mod:`layers.validate`). Exports write dates other ways; :func:`normalise`
rewrites these forms of a column's cells to ISO, and says what it did:

- a date with a time, ISO (``2014-01-22 00:00:00.000``, ``2014-01-22T10:05Z``):
  the day; the time is dropped;
- a year (``2018``) or a month (``2023-06``): the first day of it in
  ``date_start``, the last in ``date_end``;
- a day, month and year with slashes or dots, with or without a time
  (``18/01/2018 00:00:00``, ``01.18.2018``): the order of day and month is
  decided for the whole column: day first when some first number is above 12,
  month first when some second number is; a column where every date has both
  at most 12 cannot be told and its dates are rejected (write them as ISO), as
  are the dates of a column that has both orders.

- a day with the month's English name (``05 March 2022``, ``5-Mar-2022``,
  ``March 5, 2022``): no order to decide;
- a ``date_format`` given by the project (``%d.%m.%y``): cells that fit it
  are read by it first.

Cells in no such form are left as they are, for the ISO parser to accept or
reject with its own message. Nothing is guessed: a notes line says, for each
field, how many cells were read which way, with an example.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["normalise"]

_ISO_TIME = r"(\d{4}-\d{2}-\d{2})[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?"
_YEAR = r"(\d{4})"
_MONTH = r"(\d{4})-(\d{1,2})"
_SLASHED = r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
# "05 March 2022", "5-Mar-2022" (ACLED's older exports), "March 5, 2022".
_DAY_NAMED = r"(\d{1,2})[ -]([A-Za-z]{3,9})\.?[ -](\d{4})"
_NAMED_DAY = r"([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4})"

#: Why a slashed date is refused, and the fix: (reason, fix).
AMBIGUOUS = (
    "the order of day and month cannot be told: in this column every date written with "
    "slashes has both numbers at most 12",
    "write the dates as ISO YYYY-MM-DD (e.g. 2018-01-05)",
)
MIXED = (
    "the column has dates with the day first and dates with the month first",
    "write the dates as ISO YYYY-MM-DD, in one order",
)


def _iso(year: pd.Series, month: pd.Series, day: pd.Series) -> pd.Series:
    return (
        year.astype(str).str.zfill(4)
        + "-"
        + month.astype(str).str.zfill(2)
        + "-"
        + day.astype(str).str.zfill(2)
    )


def _said(field: str, what: str, rows: np.ndarray, texts: pd.Series, out: pd.Series, which: str):
    """Say how many cells of a kind were read as a day, with the first as an example."""
    first = int(rows[0])
    return (f"{field}: {len(rows):,} {what}(s) read as their {which} day (e.g. "
            f"{texts.iloc[first]!r} as {out.iloc[first]})")  # fmt: skip


def slash_order(*columns: pd.Series) -> str:
    """Decide the order of day and month of the dates written with slashes in ``columns``.

    Returns ``"dmy"`` (some first number is above 12), ``"mdy"`` (some second
    number is), ``"mixed"`` (both), ``"ambiguous"`` (neither) or ``""`` (no
    such date). The columns of one file are decided together: an export
    writes all its dates one way.

    Examples
    --------
    >>> slash_order(pd.Series(["05/02/2018"]), pd.Series(["18/01/2018 00:00:00"]))
    'dmy'
    >>> slash_order(pd.Series(["05/02/2018", "2018-01-01"]))
    'ambiguous'
    >>> slash_order(pd.Series(["18/01/2018", "31/31/2018"]))  # no day in either order
    'dmy'
    """
    first = second = found = False
    for column in columns:
        texts = column.fillna("").astype(str)
        texts = texts[texts.str.contains("/", regex=False) | texts.str.contains(".", regex=False)]
        parts = texts.str.strip().str.extract(f"^{_SLASHED}$")
        given = parts[0].notna()
        if given.any():
            found = True
            a, b = parts[0][given].astype(int), parts[1][given].astype(int)
            # A date with both numbers above 12 is no day in either order: it tells no order
            # (it is refused as such), and does not make the column's order "mixed".
            possible = (a <= 12) | (b <= 12)
            first |= bool((a[possible] > 12).any())
            second |= bool((b[possible] > 12).any())
    if not found:
        return ""
    return {(True, False): "dmy", (False, True): "mdy", (True, True): "mixed"}.get(
        (first, second), "ambiguous"
    )


def _named_months(texts: pd.Series) -> pd.Series:
    """ISO days of the cells written with an English month name; NaN for the others."""
    out = pd.Series(np.nan, index=texts.index, dtype=object)
    for pattern, d, m, y in ((_DAY_NAMED, 0, 1, 2), (_NAMED_DAY, 1, 0, 2)):
        parts = texts.str.extract(f"^{pattern}$")
        if parts[0].isna().all():
            continue
        month = parts[m].str.casefold().map(_MONTHS)
        given = parts[0].notna() & month.notna() & out.isna()
        if given.any():
            iso = _iso(parts[y][given], month[given].astype(int), parts[d][given].astype(int))
            out[given] = iso.where(pd.to_datetime(iso, format="%Y-%m-%d", errors="coerce").notna())
    return out


def normalise(
    column: pd.Series, field: str, order: str | None = None, date_format: str | None = None
) -> tuple[pd.Series, dict[int, tuple[str, str]], list[str]]:
    """Rewrite a date column's cells in the forms above as ISO days.

    Parameters
    ----------
    column : pandas.Series
        The cells as read (text).
    field : str
        The field's name: ``date_end`` takes the last day of a year or month.
    order : str, optional
        The order of dates with slashes (:func:`slash_order`), decided over
        every date column of the file; by default from this column alone.
    date_format : str, optional
        A :func:`time.strptime` format the project gives: cells that fit it
        are read by it, before the forms above.

    Returns
    -------
    (pandas.Series, dict, list of str)
        The cells (rewritten where recognised; positions as in ``column``),
        the refused cells by position with (reason, fix), and notes.

    Examples
    --------
    >>> cells = pd.Series(["18/01/2018 00:00:00", "05/02/2018", "2014-01-22 00:00:00.000",
    ...                    "2023-06", "2018", "2018-12-31", ""])
    >>> texts, refused, notes = normalise(cells, "date_end")
    >>> texts.tolist()
    ['2018-01-18', '2018-02-05', '2014-01-22', '2023-06-30', '2018-12-31', '2018-12-31', '']
    >>> refused, len(notes)
    ({}, 4)
    >>> print(notes[-1])
    date_end: 2 date(s) written day/month/year, read day first (e.g. '18/01/2018 00:00:00' as \
2018-01-18: 18 cannot be a month)
    >>> normalise(pd.Series(["01/02/2018", "03/04/2018"]), "date_start")[1][0][1]
    'write the dates as ISO YYYY-MM-DD (e.g. 2018-01-05)'
    """
    every = column.fillna("").astype(str).str.strip().reset_index(drop=True)
    # Plain ISO days and empty cells, nearly all of most files, are left alone at once.
    plain = every.eq("") | every.str.fullmatch(r"\d{4}-\d{2}-\d{2}").fillna(False)
    where = np.flatnonzero(~plain.to_numpy(dtype=bool))
    if not len(where):
        return column, {}, []
    texts = every.iloc[where].reset_index(drop=True)
    out = texts.astype(object).copy()
    refused: dict[int, tuple[str, str]] = {}
    notes: list[str] = []
    end = field == "date_end"

    if date_format:
        read = pd.to_datetime(texts, format=date_format, errors="coerce")
        fits = read.notna().to_numpy(dtype=bool)
        if fits.any():
            out[fits] = read[fits].dt.strftime("%Y-%m-%d")
            k = int(np.flatnonzero(fits)[0])
            notes.append(f"{field}: {int(fits.sum()):,} date(s) read with the date_format "
                         f"{date_format!r} (e.g. {texts.iloc[k]!r} as {out.iloc[k]})")  # fmt: skip
        texts = texts.where(~fits, "")  # read: no other form applies to them

    named = _named_months(texts)
    by_name = named.notna().to_numpy(dtype=bool)
    if by_name.any():
        out[by_name] = named[by_name]
        k = int(np.flatnonzero(by_name)[0])
        notes.append(f"{field}: {int(by_name.sum()):,} date(s) written with the month's name "
                     f"(e.g. {texts.iloc[k]!r} as {out.iloc[k]})")  # fmt: skip

    timed = texts.str.fullmatch(_ISO_TIME).fillna(False).astype(bool)
    if timed.any():
        out[timed] = texts[timed].str.slice(0, 10)
        first = texts[timed].iloc[0]
        notes.append(f"{field}: {int(timed.sum()):,} date(s) with a time of day: the day is kept "
                     f"(e.g. {first!r} as {out[timed].iloc[0]})")  # fmt: skip

    which = "last" if end else "first"
    year = texts.str.fullmatch(_YEAR).fillna(False).astype(bool)
    if year.any():
        out[year] = texts[year] + ("-12-31" if end else "-01-01")
        rows = np.flatnonzero(year.to_numpy(dtype=bool))
        notes.append(_said(field, "year", rows, texts, out, which))

    parts = texts.str.extract(f"^{_MONTH}$")
    month = parts[0].notna().to_numpy(dtype=bool)
    if month.any():
        y, m = parts[0][month].astype(int), parts[1][month].astype(int)
        fine = ((m >= 1) & (m <= 12)).to_numpy(dtype=bool)
        rows = np.flatnonzero(month)[fine]
        if len(rows):
            y, m = y[fine], m[fine]
            first = pd.to_datetime(_iso(y, m, pd.Series(1, index=y.index)), format="%Y-%m-%d")
            day = first.dt.days_in_month if end else pd.Series(1, index=y.index)
            out.iloc[rows] = _iso(y, m, day).to_numpy()
            notes.append(_said(field, "month", rows, texts, out, which))

    parts = texts.str.extract(f"^{_SLASHED}$")
    slashed = parts[0].notna().to_numpy(dtype=bool)
    if slashed.any():
        a = parts[0][slashed].astype(int).to_numpy()
        b = parts[1][slashed].astype(int).to_numpy()
        rows = np.flatnonzero(slashed)
        order = order or slash_order(column)
        day_first = order == "dmy"
        if order not in ("dmy", "mdy"):  # neither (cannot tell) or both (mixed)
            why = MIXED if order == "mixed" else AMBIGUOUS
            refused.update({int(where[i]): why for i in rows})
            notes.append(f"{field}: {len(rows):,} date(s) written with slashes refused: {why[0]}")
        else:
            day, mon = (a, b) if day_first else (b, a)
            years = parts[2][slashed]
            iso = _iso(years, pd.Series(mon, index=years.index), pd.Series(day, index=years.index))
            real = pd.to_datetime(iso, format="%Y-%m-%d", errors="coerce").notna().to_numpy()
            for i, text in zip(rows[~real].tolist(), iso[~real].tolist(), strict=True):
                refused[int(where[i])] = (
                    f"no such day: read {'day' if day_first else 'month'} first (the order of this "
                    f"file's dates), it is {text}",
                    f"correct the day or the month of {field}",
                )
            out.iloc[rows[real]] = iso[real].to_numpy()
            rows, a, b = rows[real], a[real], b[real]
        if order in ("dmy", "mdy") and len(rows):
            how = "day/month/year, read day first" if day_first else (
                "month/day/year, read month first")  # fmt: skip
            telling = np.flatnonzero((a if day_first else b) > 12)
            k = int(telling[0]) if len(telling) else 0
            example = f"{texts.iloc[rows[k]]!r} as {out.iloc[rows[k]]}"
            if len(telling):
                example += f": {int(a[k] if day_first else b[k])} cannot be a month"
            else:
                example += ", as the file's other dates tell"
            notes.append(f"{field}: {len(rows):,} date(s) written {how} (e.g. {example})")
    result = every.astype(object).to_numpy(copy=True)
    result[where] = out.to_numpy()
    return pd.Series(result, index=column.index, dtype=object), refused, notes
