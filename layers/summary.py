"""Area summaries: totals by unit, grouping and country that an analyst can defend.

Rules
-----
- Estimates that disagree are never averaged or picked from: a unit with
  several estimates shows their range (lowest and highest) and their count.
- Land-use parts (farmland of a figure, say) are never added to their whole.
- A total over units adds the units' lowest estimates for ``low_km2`` and their
  highest for ``high_km2``.
- A total the source states (``record_role`` reported_total) is shown beside
  the computed sum, never added to it.
- Every summary by district says which composition of the grouping it used.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import pandas as pd

from geo import groupings
from geo.boundaries import unit_name
from layers.frames import rows_of
from layers.periods import period_label

__all__ = [
    "UNIT_LEVELS",
    "Summary",
    "clearance",
    "contamination",
    "levels",
    "stockpiles",
]

#: Unit levels a summary can be made by; any grouping (by id or alias) too.
UNIT_LEVELS = ("admin0", "admin1")


def levels() -> list[str]:
    """Every ``by`` a summary takes: the unit levels, then each grouping's id and alias.

    Examples
    --------
    >>> levels()[:3], "district" in levels()
    (['admin0', 'admin1', 'ru_military_districts'], True)
    """
    known = groupings.groupings()
    aliases = [spec["alias"] for spec in known.values() if spec.get("alias")]
    return [*UNIT_LEVELS, *known, *aliases]


def _grouping(by: str) -> str:
    """Return the grouping id of a ``by`` that is no unit level; a GroupingError says why not."""
    try:
        return groupings.grouping_id(by)
    except groupings.GroupingError:
        raise groupings.GroupingError(
            f"cannot summarise by {by!r}: expected {UNIT_LEVELS[0]!r}, {UNIT_LEVELS[1]!r}, or a "
            f"grouping: {', '.join(levels()[2:])}, or one the project defines. Fix: use one of "
            "those"
        ) from None


@dataclass
class Summary:
    """A summary table with its title and the notes a reader needs."""

    title: str
    table: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    #: Columns of parts of a whole that HTML draws as a stacked bar per row (land release).
    stack: tuple[str, ...] = ()


def add_rows(first: dict, then: dict, columns, more=None) -> dict:
    """Join two parts' rows by key: a key of both has ``columns`` added, then ``more(mine, row)``.

    Examples
    --------
    >>> add_rows({"a": {"n": 1}}, {"a": {"n": 2}, "b": {"n": 5}}, ["n"])
    {'a': {'n': 3}, 'b': {'n': 5}}
    """
    out = {k: dict(r) for k, r in first.items()}
    for key, row in then.items():
        mine = out.get(key)
        if mine is None:
            out[key] = dict(row)
            continue
        for column in columns:
            mine[column] += row[column]
        if more is not None:
            more(mine, row)
    return out


def _join_ids(values) -> str:
    """Join ids with ';', sorted as text."""
    listed = values.tolist() if hasattr(values, "tolist") else list(values)
    if not all(isinstance(v, str) for v in listed):
        listed = [str(v) for v in listed]
    return ";".join(sorted(listed))


def _latest_date(records: pd.DataFrame) -> dt.date:
    dates = [
        d
        for d in list(records.get("date_end", [])) + list(records.get("date_start", []))
        if isinstance(d, dt.date)
    ]
    if not dates:
        return dt.date.today()
    return max(dates)


def _member_of(
    records: pd.DataFrame, grouping: str, on: dt.date | None, notes: list[str]
) -> pd.Series:
    """Map each unit record to its member of ``grouping`` in the composition at its date.

    A record's date is its ``date_end`` (else ``date_start``); ``on`` overrides it
    for all records; an undated record uses the latest composition. Records
    dated before the grouping's data have no member: they are counted in the
    notes, never placed in a member they did not belong to.
    """
    members, used, unplaced = _members(records, grouping, on)
    notes += _member_notes(grouping, used, unplaced)
    return members


def _members(
    records: pd.DataFrame, grouping: str, on: dt.date | None, latest: dt.date | None = None
) -> tuple[pd.Series, dict, list[str]]:
    """Each record's member (:func:`_member_of`), the compositions used and the ids placed in none.

    An undated record takes the composition at ``latest`` (by default the
    records' latest date).
    """
    out, used, unplaced = [], {}, []
    latest = latest or _latest_date(records)
    for rec in rows_of(records):
        day = on
        if day is None:
            for key in ("date_end", "date_start"):
                if isinstance(rec.get(key), dt.date):
                    day = rec[key]
                    break
        day = day or latest
        try:
            comp = groupings.composition(grouping, day)
        except groupings.GroupingError:
            unplaced.append(str(rec.get("record_id")))
            out.append(None)
            continue
        used.setdefault(comp.date, comp.describe())
        out.append(comp.table.set_index("unit_code")["member"].get(rec["unit_code"]))
    return pd.Series(out, index=records.index, dtype=object), used, unplaced


def _member_notes(grouping: str, used: dict, unplaced: list[str]) -> list[str]:
    """Say which compositions placed records in members, and which records are in none.

    Examples
    --------
    >>> said = {dt.date(2018, d, 1): f"T, as in force on 2018-0{d}-01 (A 2 units)" for d in (1, 2)}
    >>> _member_notes("district", said, [])
    ["Districts: T, as in force on the records' dates, 2018-01-01 to 2018-02-01 (2 dates) (A 2 units)."]
    """  # noqa: E501
    w = groupings.words(grouping)
    noun = w["member"]
    # One note per composition: the dates of records it placed are given as a range.
    same: dict[str, list] = {}
    for day in sorted(used):
        text = used[day].replace(f"as in force on {day.isoformat()}", "\0")
        same.setdefault(text, []).append(day)
    notes = []
    for text, days in same.items():
        when = (days[0].isoformat() if len(days) == 1 else
                f"the records' dates, {days[0].isoformat()} to {days[-1].isoformat()} "
                f"({len(days):,} dates)")  # fmt: skip
        notes.append(f"{w['Members']}: {text.replace(chr(0), f'as in force on {when}')}.")
    if unplaced:
        notes.append(
            f"{len(unplaced)} record(s) dated before the {noun} data begin are in no {noun}: "
            f"{', '.join(unplaced)}."
        )
    return notes


def _record_date(rec: dict) -> dt.date | None:
    for key in ("date_end", "date_start"):
        if isinstance(rec.get(key), dt.date):
            return rec[key]
    return None


def _unit_ranges(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Per unit: count, lowest and highest estimate, records, period span."""
    frame = frame.assign(period=[period_label(r) for r in rows_of(frame)])
    grouped = frame.groupby(keys, sort=True)
    out = grouped.agg(
        estimates=("record_id", "size"),
        low_km2=("area_km2", "min"),
        high_km2=("area_km2", "max"),
        unit_area_km2=("unit_area_km2", "first"),
        hazard_types=("hazard_type", lambda s: ";".join(sorted(set(s)))),
        as_of=("period", lambda s: "; ".join(p for p in s if p)),
        records=("record_id", _join_ids),
    ).reset_index()
    out["low_share_pct"] = 100 * out["low_km2"] / out["unit_area_km2"]
    out["high_share_pct"] = 100 * out["high_km2"] / out["unit_area_km2"]
    return out


def contamination(records: pd.DataFrame, by: str, *, on: dt.date | None = None) -> Summary:
    """Summarise reported contaminated area by admin-1 unit, district or country.

    Parameters
    ----------
    records : pandas.DataFrame
        Measured contamination records (see :func:`layers.join.measure`).
    by : str
        Level of the rows: ``admin0``, ``admin1``, or a grouping by id or
        alias (:func:`levels`), e.g. ``district``.
    on : datetime.date, optional
        Date of the grouping's composition (default: each record's date).
    """
    notes: list[str] = []
    whole = records[records["land_use"].eq("all")]
    parts = len(records) - len(whole)
    if parts:
        notes.append(f"{parts} land-use part record(s) are shown in popups, not added to totals.")
    valued = whole[whole["area_km2"].notna()]
    unvalued = whole[whole["area_km2"].isna()]
    regional = valued[valued["unit_level"].eq("admin1")]
    if by == "admin1":
        table = _unit_ranges(regional, ["country", "unit_code"])
        names = dict(
            zip(
                regional["unit_code"], regional.get("unit_name", regional["unit_code"]), strict=True
            )
        )
        table.insert(
            2, "unit_name", [names.get(c) or unit_name("admin1", c) for c in table["unit_code"]]
        )
        other = len(whole) - len(regional)
        if other:
            notes.append(
                f"{other} country-level record(s) are not shown by admin1; use --by admin0."
            )
        title = "Reported contamination by admin-1 unit (range of estimates)"
        _measured_beside_reported(table, regional, notes)
        years = pd.to_datetime(regional.get("date_end"), errors="coerce").dt.year
        spans = years.groupby(regional["unit_code"]).nunique()
        if (spans > 1).any():
            notes.append(
                f"{int((spans > 1).sum())} unit(s) have estimates of different years: their "
                "low-high range spans those years, not sources disagreeing about one; a project "
                "layer read with years = [...] also gets a table per unit and year."
            )
    elif by not in UNIT_LEVELS:
        gid = _grouping(by)
        w = groupings.words(gid)
        inside = regional[regional["unit_code"].isin(groupings.unit_codes(gid))].copy()
        inside[by] = _member_of(inside, gid, on, notes)
        per_unit = _unit_ranges(inside, [by, "unit_code"])
        table = (
            per_unit.groupby(by, sort=True)
            .agg(
                units=("unit_code", _join_ids),
                estimates=("estimates", "sum"),
                low_km2=("low_km2", "sum"),
                high_km2=("high_km2", "sum"),
                records=("records", lambda s: ";".join(s)),
            )
            .reset_index()
        )
        outside = len(whole) - len(inside)
        if outside:
            notes.append(
                f"{outside} record(s) outside {w['units_label']} are not in {w['members']}."
            )
        title = f"Reported contamination by {groupings.member_label(gid)} (sum of unit ranges)"
    else:  # admin0
        per_unit = _unit_ranges(regional, ["country", "unit_code"])
        sums = per_unit.groupby("country").agg(
            regional_units=("unit_code", "size"),
            regional_low_km2=("low_km2", "sum"),
            regional_high_km2=("high_km2", "sum"),
            regional_records=("records", lambda s: ";".join(s)),
        )
        national = (
            valued[valued["unit_level"].eq("admin0")]
            .groupby("country")
            .agg(
                country_estimates=("record_id", "size"),
                country_low_km2=("area_km2", "min"),
                country_high_km2=("area_km2", "max"),
                country_records=("record_id", _join_ids),
            )
        )
        status = pd.Series(
            {
                country: "; ".join(
                    f"{h}: {st}" for h, st in zip(g["hazard_type"], g["status"], strict=True)
                )
                for country, g in unvalued.groupby("country", sort=True)
            },
            name="without_value",
            dtype=object,
        )
        table = pd.concat([sums, national, status], axis=1).reset_index(names="country")
        table.insert(1, "name", [unit_name("admin0", c) for c in table["country"]])
        notes.append(
            "Regional sums add each unit's lowest (low) and highest (high) estimate; "
            "country-level estimates are shown beside them, not added."
        )
        title = "Reported contamination by country"
    return Summary(title, table.reset_index(drop=True), notes)


def _measured_beside_reported(table: pd.DataFrame, regional: pd.DataFrame, notes: list) -> None:
    """Add the highest measured and reported areas of each unit, and their difference.

    Only when some area was measured from a polygon: the low-high range holds
    both, and a reader needs to see which is which.
    """
    basis = regional.get("area_basis")
    if basis is None or not basis.astype(str).str.startswith("measured").any():
        return
    measured = basis.astype(str).str.startswith("measured")
    area = regional["area_km2"]
    high_measured = area[measured].groupby(regional.loc[measured, "unit_code"]).max()
    high_reported = area[~measured].groupby(regional.loc[~measured, "unit_code"]).max()
    at = list(table.columns).index("high_km2") + 1
    table.insert(at, "measured_km2", table["unit_code"].map(high_measured).astype(float))
    table.insert(at + 1, "reported_km2", table["unit_code"].map(high_reported).astype(float))
    table.insert(at + 2, "reported_less_measured_km2",
                 table["reported_km2"] - table["measured_km2"])  # fmt: skip
    both = table["reported_less_measured_km2"].notna()
    notes.append(
        "measured_km2: the largest area minemap measured from a polygon (geodesic); "
        "reported_km2: the largest a source gave as a figure; "
        f"reported_less_measured_km2 is their difference ({int(both.sum())} unit(s) have both)."
    )


_AREA_MEASURES = {"planned_area": "planned_km2", "cleared_area": "cleared_km2"}


def clearance(records: pd.DataFrame, by: str, *, on: dt.date | None = None) -> Summary:
    """Summarise clearance plans and results by district, admin-1 unit or country.

    Area measures are in km² (``planned_km2``, ``cleared_km2``); counts keep their
    measure name. A district table ends with a total row; a total the source
    states is shown in the notes beside the computed sum.
    """
    notes: list[str] = []
    figures = records[records["record_role"].eq("figure")].copy()
    stated = records[records["record_role"].eq("reported_total")]
    figures["column"] = figures["measure"].map(_AREA_MEASURES).fillna(figures["measure"])
    figures["period"] = [period_label(r) for r in rows_of(figures)]
    figures["amount"] = figures["area_km2"].where(
        figures["measure"].isin(list(_AREA_MEASURES)), figures["value"]
    )
    grouped = by not in UNIT_LEVELS
    if grouped:
        gid = _grouping(by)
        noun = groupings.words(gid)["member"]
        rows = figures[figures["unit_level"].eq("grouping") & figures["grouping"].eq(gid)].copy()
        rows[by] = rows["unit_code"]
        rows["composition_date"] = [
            c.split(" as in force on ")[-1][:10] for c in rows["composition"]
        ]
        notes.extend(f"Composition used: {c}." for c in sorted(set(rows["composition"])))
        regional = figures[
            figures["unit_level"].eq("admin1")
            & figures["unit_code"].isin(groupings.unit_codes(gid))
        ].copy()
        if not regional.empty:
            regional[by] = _member_of(regional, gid, on, notes)
            regional["composition_date"] = [
                (on or _record_date(r) or _latest_date(regional)).isoformat()
                for r in rows_of(regional)
            ]
            regional = regional[regional[by].notna()]
            rows = pd.concat([rows, regional])
        keys = [by, "period", "composition_date"]
        label = by
    else:
        level = by
        rows = figures[figures["unit_level"].eq(level)].copy()
        if by == "admin0":
            # Figures for the members of a grouping add up to their country.
            members = figures[figures["unit_level"].eq("grouping")].copy()
            members["unit_code"] = members["country"]
            rows = pd.concat([rows, members])
        rows["unit_name"] = [unit_name(level, c) for c in rows["unit_code"]]
        keys = ["country", "unit_code", "unit_name", "period"]
        label = by
        skipped = len(figures) - len(rows)
        if skipped:
            notes.append(f"{skipped} record(s) at another level are not shown by {by}.")
    if rows.empty:
        return Summary(f"Clearance by {label}", pd.DataFrame(columns=keys), notes)
    table = rows.pivot_table(
        index=keys, columns="column", values="amount", aggfunc="sum", sort=True
    )
    table.columns.name = None
    records_col = rows.groupby(keys, sort=True)["record_id"].agg(_join_ids)
    table = table.join(records_col.rename("records")).reset_index()
    if grouped:
        # Periods in date order (labels such as "5 October 2009" do not sort as text).
        first_day = rows.groupby("period")["date_start"].agg(
            lambda d: min((x for x in d if isinstance(x, dt.date)), default=dt.date.max)
        )
        table = (
            table.assign(_order=table["period"].map(first_day))
            .sort_values(["_order", by], kind="stable")
            .drop(columns="_order")
        )
        area_cols = [c for c in table.columns if c.endswith("_km2")]
        totals = []
        for (period, comp_date), group in table.groupby(["period", "composition_date"], sort=True):
            if group[area_cols].notna().any(axis=None):
                total = {
                    by: "Total",
                    "period": period,
                    "composition_date": comp_date,
                    "records": "",
                }
                total.update(
                    {
                        c: round(math.fsum(group[c].dropna()), 9)
                        if group[c].notna().any()
                        else None
                        for c in area_cols
                    }
                )
                totals.append(total)
        table = pd.concat([table, pd.DataFrame(totals)], ignore_index=True)
        for rec in rows_of(stated):
            qualifier = f"{rec['value_qualifier']} " if rec.get("value_qualifier") else ""
            notes.append(
                f"The source states a total of {qualifier}{rec['value']:g} {rec['value_unit']} "
                f"({str(rec['measure']).replace('_', ' ')}, {period_label(rec)}; "
                f"record {rec['record_id']}); "
                f"the Total row is the sum of the {noun} figures."
            )
    title = f"Clearance by {label}"
    return Summary(title, table.reset_index(drop=True), notes)


def stockpiles(records: pd.DataFrame) -> Summary:
    """Summarise stockpiles by country: declared cluster munitions and other figures."""
    rows = []
    for country, group in records.groupby("country", sort=True):
        declared = group[
            group["status"].eq("declared") & group["munition_category"].eq("cluster_munitions")
        ]
        rows.append(
            {
                "country": country,
                "name": unit_name("admin0", country),
                "declared_cluster_munitions": int(declared["quantity"].sum())
                if len(declared)
                else None,
                "declared_types": len(declared),
                "other_records": len(group) - len(declared),
                "records": _join_ids(group["record_id"]),
            }
        )
    return Summary(
        "Stockpiles by country",
        pd.DataFrame(rows),
        ["declared_cluster_munitions adds the carrier munitions of every type a country declared."],
    )
