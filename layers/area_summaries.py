"""Summaries of measured areas: hazard polygons per unit, and figures per unit and year.

:func:`hazards` sums the pieces :mod:`layers.hazards` cut from each polygon
(sum, union, overlap, SHA/CHA and land release by status); :func:`by_year`
tables a wide table's figures one row per unit and year, with the change
between years. Both return :class:`layers.summary.Summary`.
"""

from __future__ import annotations

import pandas as pd
import shapely

from geo.boundaries import unit_name
from layers.summary import Summary, _join_ids

__all__ = ["RELEASE", "by_year", "hazards"]


#: Statuses of a hazard area in land release (IMAS 08.10), as summary columns.
RELEASE = ("open", "cancelled", "reduced", "cleared")


def hazards(records: pd.DataFrame, by: str) -> Summary:
    """Summarise hazard areas per unit: polygons, their sum, their union and the overlap.

    The sum counts each polygon whole (overlapping polygons twice); the union
    counts land covered by any polygon once; the overlap is the difference.
    Each polygon's area is split across the units it covers (:mod:`geo.overlay`);
    by ``admin0`` a country is the union of its units' pieces.
    """
    from geo.overlay import geodesic_areas

    info = records.attrs.get("overlay")
    columns = ["unit", "name", "polygons", "sha_km2", "cha_km2", "sum_km2", "union_km2",
               "overlap_km2", *(f"{s}_km2" for s in RELEASE)]  # fmt: skip
    if not info or records.empty:
        return Summary(f"Hazard areas by {by}", pd.DataFrame(columns=columns), [])
    pieces = info["pieces"]
    classes = dict(zip(records["record_id"], records["hazard_class"], strict=True))
    status = records["status"] if "status" in records else pd.Series("", index=records.index)
    states = dict(zip(records["record_id"], status.fillna("").replace("", "open"), strict=True))
    pieces = pieces.assign(hazard_class=pieces["record_id"].map(classes),
                           status=pieces["record_id"].map(states))  # fmt: skip
    if by == "admin0":
        pieces = pieces.assign(key=pieces["code"].map(info["unit_countries"]))
    else:
        pieces = pieces.assign(key=pieces["code"])
    rows = []
    for key, group in pieces.groupby("key", sort=True):
        total = float(group["area_km2"].sum())
        geoms = group["geometry"].to_numpy()
        union = total if len(group) == 1 else float(geodesic_areas([shapely.union_all(geoms)])[0])
        by_class = group.groupby("hazard_class")["area_km2"].sum()
        by_status = group.groupby("status")["area_km2"].sum()
        name = unit_name("admin0", key) if by == "admin0" else info["unit_names"].get(key, key)
        rows.append({
            "unit": key,
            "name": name,
            "polygons": int(group["record_id"].nunique()),
            "sha_km2": float(by_class.get("SHA", 0.0)), "cha_km2": float(by_class.get("CHA", 0.0)),
            "sum_km2": total, "union_km2": union, "overlap_km2": max(total - union, 0.0),
            **{f"{k}_km2": float(by_status.get(k, 0.0)) for k in RELEASE},
        })  # fmt: skip
    table = pd.DataFrame(rows, columns=columns)
    outside = float(records.get("area_outside_km2", pd.Series(dtype=float)).sum())
    notes = [
        f"Areas measured geodesically (WGS84) on {info['source']}; each polygon split across "
        "the units it covers.",
        "sum_km2 counts each polygon whole (overlapping polygons twice); union_km2 counts land "
        "any polygon covers once; overlap_km2 is their difference.",
        "Land release (IMAS 08.10), sums of polygons by status: open_km2 still hazardous (status "
        "empty or open), cancelled_km2 by non-technical survey, reduced_km2 by technical survey, "
        "cleared_km2 by clearance.",
    ]
    if outside:
        notes.append(
            f"{outside:,.3f} km² of the polygons lie outside every unit and are in no row."
        )
    return Summary(f"Hazard areas by {by}", table, notes)


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
