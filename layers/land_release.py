"""Land release (IMAS 08.10): per unit and period, land cancelled, reduced, cleared and left.

Two inputs give one table:

* **reported figures** (the ``land_release`` kind): a row per unit and period
  with the area at the start (``estimate``), the area cancelled by
  non-technical survey, reduced by technical survey and cleared, and the area
  ``remaining``, as an operator, a national authority or an Article 5
  extension request gives them (:func:`reported`);
* **hazard polygons with a status and a status date** (the ``hazards`` kind):
  the estimate is the measured area of every polygon in the unit, and a
  polygon cancelled, reduced or cleared counts in the year of its
  ``status_date`` (:func:`from_hazards`).

Nothing is dropped to make figures agree. A row whose released area exceeds
its estimate, or whose reported remaining area differs from the estimate less
the released area by more than :data:`TOLERANCE_SHARE` of the estimate (and
:data:`TOLERANCE_KM2`), is kept and flagged in its ``check`` column. Sources
that give figures for the same unit and period are separate rows.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from geo.area import to_km2
from geo.boundaries import unit_name
from layers.frames import rows_of
from layers.periods import period_label
from layers.summary import Summary, _join_ids

__all__ = ["COLUMNS", "METHODS", "STACK", "TOLERANCE_KM2", "TOLERANCE_SHARE", "check",
           "from_hazards", "reported"]  # fmt: skip

#: How land is released (IMAS 08.10), the columns that carry each, and what each means.
METHODS = {
    "cancelled": "cancelled by non-technical survey",
    "reduced": "reduced by technical survey",
    "cleared": "cleared",
}

#: Columns of a land release table.
COLUMNS = ["unit", "name", "period", "source", "basis", "estimate_km2", "cancelled_km2",
           "reduced_km2", "cleared_km2", "released_km2", "remaining_km2", "remaining_basis",
           "check", "records"]  # fmt: skip

#: Columns drawn as one stacked bar per row (released by method, then remaining).
STACK = ("cancelled_km2", "reduced_km2", "cleared_km2", "remaining_km2")

#: A remaining area within this share of the estimate of estimate less released adds up...
TOLERANCE_SHARE = 0.005
#: ...or within this many km² (1,000 m²: figures rounded to 0.001 km² in reports).
TOLERANCE_KM2 = 0.001


def _km2(value, unit: str) -> float:
    return float("nan") if value is None or pd.isna(value) else to_km2(float(value), unit)


def check(estimate: float, released: float, remaining: float, remaining_given: bool) -> str:
    """Say why a row's figures do not add up, or '' when they do (or cannot be checked).

    Examples
    --------
    >>> check(10.0, 12.0, float("nan"), False)
    'released 12 km² is more than the estimate of 10 km²'
    >>> check(10.0, 4.0, 5.0, True)
    'remaining 5 km² is not the estimate less released (6 km²)'
    >>> check(10.0, 4.0, 6.02, True)
    ''
    """
    if np.isnan(estimate):
        return ""
    said = []
    slack = max(TOLERANCE_KM2, TOLERANCE_SHARE * estimate)
    if not np.isnan(released) and released > estimate + slack:
        said.append(
            f"released {released:,.6g} km² is more than the estimate of {estimate:,.6g} km²"
        )
    if remaining_given and not np.isnan(remaining):
        left = estimate - (0.0 if np.isnan(released) else released)
        if abs(remaining - left) > slack:
            said.append(
                f"remaining {remaining:,.6g} km² is not the estimate less released "
                f"({left:,.6g} km²)"
            )
    return "; ".join(said)


def _released(row: dict) -> float:
    parts = [row[f"{m}_km2"] for m in METHODS if not np.isnan(row[f"{m}_km2"])]
    return float(sum(parts)) if parts else float("nan")


def _finish(row: dict) -> dict:
    """Fill released, remaining (given, else computed) and the check of one row."""
    row["released_km2"] = _released(row)
    given = not np.isnan(row["remaining_km2"])
    if given:
        row["remaining_basis"] = "reported"
    elif not np.isnan(row["estimate_km2"]):
        released = 0.0 if np.isnan(row["released_km2"]) else row["released_km2"]
        row["remaining_km2"] = row["estimate_km2"] - released
        row["remaining_basis"] = "estimate less released"
    else:
        row["remaining_basis"] = ""
    row["check"] = check(row["estimate_km2"], row["released_km2"], row["remaining_km2"], given)
    return row


def _sum(values: list[float]) -> float:
    """Sum figures of several rows; empty unless every row gives one."""
    return float("nan") if any(np.isnan(v) for v in values) else float(sum(values))


def reported(records: pd.DataFrame, by: str) -> Summary:
    """Land release as reported: a row per unit, period and source, each checked.

    By ``admin1`` a row per record of a unit (country-level records are left to
    ``admin0``); by ``admin0`` a country-level record is its own row, and the
    records of a country's units are summed per period and source into one row
    (``basis`` says which), so a national figure and the sum of its regions are
    side by side, never merged.
    """
    rows = []
    for rec in rows_of(records):
        unit = str(rec["area_unit"])
        row = {
            "unit": rec["unit_code"], "level": rec.get("unit_level") or "admin1",
            "country": rec.get("country") or "", "name": rec.get("unit_name") or "",
            "period": period_label(rec), "start": rec.get("date_start"),
            "source": rec["source"], "record_id": rec["record_id"],
            **{f"{f}_km2": _km2(rec.get(f), unit)
               for f in ("estimate", *METHODS, "remaining")},
        }  # fmt: skip
        rows.append(row)
    frame = pd.DataFrame(rows)
    out = []
    if len(frame):
        if by == "admin0":
            national = frame[frame["level"].eq("admin0")]
            regional = frame[~frame["level"].eq("admin0")]
            for rec in rows_of(national):
                out.append(_row(rec["unit"], unit_name("admin0", rec["unit"]), [rec],
                                "reported for the country"))  # fmt: skip
            for (country, _, _), group in regional.groupby(
                ["country", "period", "source"], sort=False
            ):
                recs = rows_of(group)
                basis = f"sum of {group['unit'].nunique()} unit(s)"
                out.append(_row(country, unit_name("admin0", country), recs, basis))
        else:
            for rec in rows_of(frame[~frame["level"].eq("admin0")]):
                name = rec["name"] or unit_name("admin1", rec["unit"])
                out.append(_row(rec["unit"], name, [rec], "reported"))
    table = pd.DataFrame(out, columns=[*COLUMNS, "_start"])
    table = table.sort_values(["unit", "_start", "period", "source"], kind="stable",
                              na_position="last").drop(columns="_start")  # fmt: skip
    notes = _notes(table, "as reported, areas converted to km² from each record's area_unit")
    if by == "admin1" and len(frame) and frame["level"].eq("admin0").any():
        notes.append(
            f"{int(frame['level'].eq('admin0').sum())} country-level record(s) are in the "
            "summary by admin0."
        )
    return Summary(
        f"Land release by {by} and period", table.reset_index(drop=True), notes, stack=STACK
    )


def _row(unit: str, name: str, recs: list[dict], basis: str) -> dict:
    """One table row: a record checked, or the sum of several records each checked first."""
    start = recs[0]["start"]
    row = {
        "unit": unit, "name": name, "period": recs[0]["period"], "source": recs[0]["source"],
        "basis": basis, "_start": start if isinstance(start, dt.date) else None,
        "records": _join_ids([r["record_id"] for r in recs]),
    }  # fmt: skip
    if len(recs) == 1:
        row.update({f"{f}_km2": recs[0][f"{f}_km2"] for f in ("estimate", *METHODS, "remaining")})
        return _finish(row)
    done = [_finish(dict(r)) for r in recs]
    row["estimate_km2"] = _sum([r["estimate_km2"] for r in done])
    for m in METHODS:  # a method no unit gives is none released that way, not unknown
        values = [r[f"{m}_km2"] for r in done]
        row[f"{m}_km2"] = float("nan") if all(np.isnan(values)) else float(np.nansum(values))
    row["released_km2"] = _released(row)
    row["remaining_km2"] = _sum([r["remaining_km2"] for r in done])
    bases = sorted({r["remaining_basis"] for r in done})
    row["remaining_basis"] = "sum of the units' (" + ", ".join(b for b in bases if b) + ")"
    flagged = sum(1 for r in done if r["check"])
    said = check(row["estimate_km2"], row["released_km2"], row["remaining_km2"], True)
    if flagged:
        said = "; ".join(x for x in (said, f"{flagged} of its unit rows do not add up") if x)
    row["check"] = said
    return row


def _notes(table: pd.DataFrame, how: str) -> list[str]:
    flagged = table[table["check"].ne("")]
    notes = [
        f"Land release (IMAS 08.10) {how}: released = cancelled (non-technical survey) + "
        "reduced (technical survey) + cleared; remaining as the source gives it, else the "
        "estimate less released (remaining_basis says which).",
        f"check flags a row whose released area exceeds its estimate, or whose remaining area "
        f"differs from the estimate less released by more than {TOLERANCE_SHARE:.1%} of the "
        f"estimate (and {TOLERANCE_KM2} km²); flagged rows are kept.",
    ]
    if len(flagged):
        first = flagged.iloc[0]
        notes.append(
            f"{len(flagged)} row(s) do not add up, e.g. {first['name']} ({first['period']}): "
            f"{first['check']}."
        )
    return notes


def from_hazards(records: pd.DataFrame, by: str) -> Summary | None:
    """Land release per unit and year from hazard polygons with a status and a status date.

    A unit's estimate is the measured area of all its polygons (open and
    released: the land ever recorded as hazardous, overlaps counted in each
    polygon); each year the polygons cancelled, reduced or cleared that year
    are released and the rest carried to the next. A released polygon without
    a status date counts in an "undated" row. None when no polygon is released.
    """
    info = records.attrs.get("overlay")
    if not info or records.empty or "status" not in records:
        return None
    status = records["status"].fillna("").astype(str)
    released = status.isin(list(METHODS))
    if not released.any():
        return None
    dates = records["status_date"] if "status_date" in records else pd.Series(None, records.index)
    year = {rid: (d.year if isinstance(d, dt.date) else None)
            for rid, d in zip(records["record_id"], dates, strict=True)}  # fmt: skip
    how = dict(zip(records["record_id"], status.replace("", "open"), strict=True))
    pieces = info["pieces"]
    key = pieces["code"].map(info["unit_countries"]) if by == "admin0" else pieces["code"]
    pieces = pieces.assign(key=key.to_numpy(), status=pieces["record_id"].map(how),
                           year=pieces["record_id"].map(year))  # fmt: skip
    source = "; ".join(sorted(set(records["source"].astype(str))))
    out = []
    for unit, group in pieces.groupby("key", sort=True):
        name = unit_name("admin0", unit) if by == "admin0" else info["unit_names"].get(unit, unit)
        left = float(group["area_km2"].sum())
        gone = group[group["status"].isin(list(METHODS))]
        years = sorted({int(y) for y in gone["year"].dropna()})
        for y in [*years, None]:
            now = gone[gone["year"].isna()] if y is None else gone[gone["year"].eq(y)]
            if y is None and now.empty:
                continue
            row = {"unit": unit, "name": name, "period": "undated" if y is None else str(y),
                   "source": source, "basis": "measured (geodesic, WGS84)",
                   "estimate_km2": left, "remaining_km2": float("nan"),
                   "records": _join_ids(sorted(set(now["record_id"])))}  # fmt: skip
            for m in METHODS:
                row[f"{m}_km2"] = float(now.loc[now["status"].eq(m), "area_km2"].sum())
            row = _finish(row)
            if y is None:
                row["check"] = "released, with no status date: in no year"
            out.append(row)
            left = row["remaining_km2"]
    table = pd.DataFrame(out, columns=COLUMNS)
    notes = _notes(table, "from the hazard polygons' status and status_date")
    notes.insert(1, "The first estimate of a unit is the measured area of all its polygons, open "
                    "and released (overlapping polygons each counted); each year's remaining is "
                    "the next year's estimate.")  # fmt: skip
    return Summary(f"Land release by {by} and year (hazard polygons)", table, notes, stack=STACK)
