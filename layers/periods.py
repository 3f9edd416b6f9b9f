"""Labels of a record's date or period, the same in tables, popups and year filters.

:func:`period_label` names the period a record's figure covers ("2018",
"1994–2016", or the ``as_of`` text); :func:`year_label` the year or span of
years it falls in, for a year filter ("" without a date).
"""

from __future__ import annotations

import datetime as dt

__all__ = ["period_label", "year_label"]


def period_label(rec: dict) -> str:
    """Short label of a record's period: a year when it spans one whole year.

    Examples
    --------
    >>> period_label({"date_start": dt.date(2018, 1, 1), "date_end": dt.date(2018, 12, 31)})
    '2018'
    >>> period_label({"date_start": dt.date(1994, 1, 1), "date_end": dt.date(2016, 12, 31)})
    '1994–2016'
    >>> period_label({"date_start": None, "date_end": None, "as_of": "previously"})
    'previously'
    >>> period_label({"date_start": dt.date(2023, 6, 1), "date_end": None})
    '2023-06-01'
    """
    start, end = rec.get("date_start"), rec.get("date_end")
    as_of = rec.get("as_of")
    if isinstance(start, dt.date) and not isinstance(end, dt.date) and not isinstance(as_of, str):
        end = start  # one date and no text: a single day, as a grouping's composition takes it
    if isinstance(start, dt.date) and isinstance(end, dt.date):
        if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
            return str(start.year) if start.year == end.year else f"{start.year}–{end.year}"
        return start.isoformat() if start == end else f"{start.isoformat()} – {end.isoformat()}"
    return str(as_of) if isinstance(as_of, str) else ""


def year_label(rec: dict) -> str:
    """Label the year a record falls in, its span of years, or '' when it has no date.

    Examples
    --------
    >>> year_label({"date_start": dt.date(2017, 1, 1), "date_end": dt.date(2017, 1, 31)})
    '2017'
    >>> year_label({"date_start": dt.date(1994, 1, 1), "date_end": dt.date(2016, 12, 31)})
    '1994–2016'
    >>> year_label({"date_start": None, "date_end": dt.date(2009, 10, 5)})
    ''
    """
    start, end = rec.get("date_start"), rec.get("date_end")
    if not isinstance(start, dt.date):
        return ""
    if not isinstance(end, dt.date) or end.year == start.year:
        return str(start.year)
    return f"{start.year}–{end.year}"
