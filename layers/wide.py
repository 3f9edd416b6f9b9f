"""Wide tables: a column of figures per year, read as one record per unit and year.

Reports tabulate contamination as one row per region and one column per year
("2015", "2019", "Area 2022 (ha)"). A project layer names those columns
(``years = ["2015", "2019", "2022"]``); :func:`melt_years` turns each filled
cell into a row of its own, with the figure as ``value`` and the year as its
period (``date_start``, ``date_end`` and ``as_of``), the other columns kept.
An empty cell is no figure for that year: left out, and counted in a note. The
unit of area, when every year column names the same one ("(ha)"), is the
rows' ``value_unit``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from geo.errors import RecordError
from layers.mapping import _area_unit, column_key
from layers.presets import find_column

__all__ = ["YEAR_COLUMN", "melt_years"]

#: Column :func:`melt_years` adds with each row's year (removed once records are named).
YEAR_COLUMN = "__year"

_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")


def melt_years(
    frame: pd.DataFrame,
    numbers: list[int],
    years: Sequence[str],
    hxl_tags: Mapping[str, str],
    path: str,
    notes: list[str],
) -> tuple[pd.DataFrame, list[int]]:
    """Turn the year columns of a wide table into one row per filled cell.

    Returns the long rows and each one's row number in the file (a file row
    gives as many rows as it has filled year cells).

    Examples
    --------
    >>> wide = pd.DataFrame({"Oblast": ["Kharkiv", "Kherson"], "2015 (ha)": ["10", ""],
    ...                      "2022 (ha)": ["4", "7"]})
    >>> notes = []
    >>> long, rows = melt_years(wide, [2, 3], ["2015 (ha)", "2022 (ha)"], {}, "a.csv", notes)
    >>> long[["Oblast", "value", "value_unit", "date_start"]].values.tolist(), rows
    ([['Kharkiv', '10', 'ha', '2015'], ['Kharkiv', '4', 'ha', '2022'], ['Kherson', '7', 'ha', \
'2022']], [2, 2, 3])
    """
    found = []
    for name in years:
        column = find_column(name, list(frame.columns), hxl_tags)
        if column is None:
            raise RecordError(path, 1, "years", name, "a year column the file does not have",
                              f"use the file's columns: {list(frame.columns)}")  # fmt: skip
        year = _YEAR.search(str(column))
        if year is None:
            fix = "name year columns with their year, e.g. '2019' or 'Area 2019 (ha)'"
            raise RecordError(path, 1, "years", column, "the column's name holds no year", fix)
        found.append((column, year.group(1)))
    units = {_area_unit(column_key(_YEAR.sub("", c)).strip()) for c, _ in found}
    unit = units.pop() if len(units) == 1 else None
    rest = [c for c in frame.columns if c not in {c for c, _ in found}]
    parts, rows, empty = [], [], 0
    numbers_array = np.asarray(numbers)
    for column, year in found:
        cells = frame[column].fillna("").astype(str).str.strip()
        filled = cells.ne("").to_numpy()
        empty += int((~filled).sum())
        part = frame.loc[filled, rest].copy()
        part["value"] = cells[filled].to_numpy()
        if unit:
            part["value_unit"] = unit
        for field in ("date_start", "date_end", "as_of"):
            part[field] = year
        part[YEAR_COLUMN] = year
        part["__order"] = np.flatnonzero(filled)
        parts.append(part)
        rows.append(numbers_array[filled])
    long = pd.concat(parts, ignore_index=True)
    row_numbers = np.concatenate(rows)
    order = np.lexsort((long[YEAR_COLUMN].to_numpy(), long["__order"].to_numpy()))
    long = long.iloc[order].drop(columns="__order").reset_index(drop=True)
    row_numbers = row_numbers[order].tolist()
    said = (f"years: {len(frame):,} row(s) x {len(found)} year column(s) "
            f"({', '.join(repr(c) for c, _ in found)}) read as {len(long):,} record(s), one per "
            "filled cell, the year as its period")  # fmt: skip
    if unit:
        said += f", in {unit}"
    if empty:
        said += f"; {empty:,} empty cell(s) are no figure for that year and give no record"
    notes.append(said)
    return long, row_numbers
