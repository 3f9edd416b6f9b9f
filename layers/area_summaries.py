"""Summaries of measured areas: hazard polygons per unit, and figures per unit and year.

:func:`hazards` (:mod:`layers.hazard_summary`) sums the pieces
:mod:`layers.hazards` cut from each polygon (sum, union, overlap, SHA/CHA and
land release by status); :func:`by_year`
tables a wide table's figures one row per unit and year, with the change
between years. Both return :class:`layers.summary.Summary`.
"""

from __future__ import annotations

import pandas as pd

from geo.boundaries import unit_name
from layers.hazard_summary import RELEASE, hazards  # made in parts, as a cluster makes them
from layers.summary import Summary, _join_ids

__all__ = ["RELEASE", "by_year", "hazards"]


def by_year(records: pd.DataFrame, by: str) -> Summary:
    """Summarise area figures per unit and year: each year's figures, and the change from the last.

    A year is the year of a record's ``date_end`` (else ``date_start``). Within
    a year, sources that disagree give a low and a high; across years nothing
    is ranged: each year is its own row, and ``change_km2`` is the high figure
    less that of the unit's previous year with a figure. By ``admin0`` a
    country's units are summed per year (the lows and the highs each), and a
    figure given for the whole country is a row of its own beside that sum.
    """
    columns = ["unit", "name", "year", "basis", "estimates", "low_km2", "high_km2", "change_km2",
               "records"]  # fmt: skip
    figures = records[records["area_km2"].notna()] if "area_km2" in records else records.iloc[:0]
    ends = pd.to_datetime(figures.get("date_end"), errors="coerce")
    starts = pd.to_datetime(figures.get("date_start"), errors="coerce")
    year = ends.dt.year.fillna(starts.dt.year)
    figures = figures.assign(year=year.to_numpy())
    figures = figures[figures["year"].notna()]
    regional = figures[figures["unit_level"].ne("admin0")]
    per_unit = []
    for (unit, when), group in regional.groupby(["unit_code", "year"], sort=True):
        per_unit.append({
            "unit": unit, "country": group["country"].iloc[0],
            "name": unit_name("admin1", unit), "year": int(when), "basis": "reported",
            "estimates": len(group),
            "low_km2": float(group["area_km2"].min()), "high_km2": float(group["area_km2"].max()),
            "records": _join_ids(group["record_id"]),
        })  # fmt: skip
    rows = per_unit
    if by == "admin0":
        rows = []
        for (country, when), group in figures[figures["unit_level"].eq("admin0")].groupby(
            ["country", "year"], sort=True
        ):
            rows.append({
                "unit": country, "name": unit_name("admin0", country), "year": int(when),
                "basis": "reported for the country", "estimates": len(group),
                "low_km2": float(group["area_km2"].min()),
                "high_km2": float(group["area_km2"].max()),
                "records": _join_ids(group["record_id"]),
            })  # fmt: skip
        units = pd.DataFrame(per_unit, columns=[*columns, "country"])
        for (country, when), group in units.groupby(["country", "year"], sort=True):
            rows.append({
                "unit": country, "name": unit_name("admin0", country), "year": int(when),
                "basis": f"sum of {len(group)} unit(s)",
                "estimates": int(group["estimates"].sum()),
                "low_km2": float(group["low_km2"].sum()),
                "high_km2": float(group["high_km2"].sum()),
                "records": ";".join(group["records"]), "_units": ";".join(group["unit"]),
            })  # fmt: skip
    table = pd.DataFrame(rows, columns=[*[c for c in columns if c != "change_km2"], "_units"])
    table["_kind"] = table["basis"].str.startswith("sum of")
    table = table.sort_values(["unit", "_kind", "year"], kind="stable").reset_index(drop=True)
    groups = table.groupby(["unit", "_kind"])
    change = groups["high_km2"].diff()
    other = table["_kind"] & table["_units"].ne(groups["_units"].shift()) & change.notna()
    table.insert(7, "change_km2", change.mask(other))
    table = table.drop(columns=["_units", "_kind"])
    notes = [
        "One row per unit and year; low and high differ only when sources disagree within the "
        "year. change_km2: the high figure less the unit's previous year with a figure."
    ]
    if by == "admin0":
        notes.append(
            "By country, each year's figures of its units are summed (lows and highs each: a "
            "unit without a figure that year adds nothing); a figure for the whole country is "
            "its own row."
        )
        if other.any():
            notes.append(
                f"change_km2 is left empty in {int(other.sum())} row(s): the year's sum is of "
                "other units than the year before (a unit without a figure in one of them)."
            )
    return Summary(f"Area by {by} and year", table, notes)
