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

import numpy as np
import pandas as pd

from geo import groupings
from geo.boundaries import unit_name
from geo.boundary_sets import embedded
from layers.frames import rows_of
from layers.periods import period_label

__all__ = [
    "UNIT_LEVELS",
    "Summary",
    "clearance",
    "contamination",
    "incidents",
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
    out, used, unplaced = [], {}, []
    latest = _latest_date(records)
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
    w = groupings.words(grouping)
    noun = w["member"]
    for day in sorted(used):
        notes.append(f"{w['Members']}: {used[day]}.")
    if unplaced:
        notes.append(
            f"{len(unplaced)} record(s) dated before the {noun} data begin are in no {noun}: "
            f"{', '.join(unplaced)}."
        )
    return pd.Series(out, index=records.index, dtype=object)


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


def _event_casualties(events: pd.DataFrame) -> tuple[int, int, int, int]:
    """Sum the casualties, killed and injured of events; count those whose casualties are derived.

    An event with no ``casualties`` but a ``killed`` or ``injured`` count
    (ACLED's fatalities map to ``killed``) counts killed + injured.
    """

    def counts(name: str) -> pd.Series:
        if name not in events.columns:
            return pd.Series(np.nan, index=events.index)
        return pd.to_numeric(events[name], errors="coerce")

    casualties, killed, injured = counts("casualties"), counts("killed"), counts("injured")
    derived = casualties.isna() & (killed.notna() | injured.notna())
    total = casualties.where(~derived, killed.fillna(0) + injured.fillna(0)).fillna(0)
    return (int(total.sum()), int(killed.fillna(0).sum()), int(injured.fillna(0).sum()),
            int(derived.sum()))  # fmt: skip


def _units_without_records(by: str, seen: set, located: pd.DataFrame, notes: list[str]) -> list:
    """Rows of 0 for the units with no incident: those of the records' countries, or grouping.

    By admin1, the embedded units of every country the records are in; units
    of a user boundary set are not listed (the set is not known here), and a
    note says so. By a grouping, each of its members.
    """
    if by == "admin0" or located.empty:
        return []
    if by == "admin1":
        units = embedded("admin1")
        known = set(units.codes)
        if not seen <= known:
            notes.append("Units with no incident are not listed: the records' units are not the "
                         "embedded admin-1 units.")  # fmt: skip
            return []
        countries = set(located["country"].dropna().astype(str))
        codes = sorted(c for c in known - seen if units.unit_country(c) in countries)
        what = f"admin-1 units of {', '.join(sorted(countries))}"
    else:
        try:
            comp = groupings.composition(_grouping(by), _latest_date(located))
        except groupings.GroupingError:
            return []
        codes = sorted(set(comp.members) - seen)
        what = f"members of {by} (on {comp.date})"
    if codes:
        notes.append(f"{len(codes)} {what} with no incident are listed with 0.")
    zero = {"events": 0, "reported_use": 0, "casualty_events": 0, "casualties_in_events": 0,
            "killed_in_events": 0, "injured_in_events": 0, "aggregate_records": 0,
            "largest_casualty_count": None, "largest_count_period": "", "records": ""}  # fmt: skip
    return [{"unit": c, "name": unit_name(by, c) if by in UNIT_LEVELS else c, **zero}
            for c in codes]  # fmt: skip


#: Record ids an incident summary's ``records`` cell lists (the first, in text order); past
#: these it says how many there are in all (records.csv gives every record's unit).
IDS_IN_CELL = 1000

#: Count columns of incident summaries: summed over records, and over partitions.
INCIDENT_COUNTS = ("events", "reported_use", "casualty_events", "casualties_in_events",
                   "killed_in_events", "injured_in_events", "aggregate_records")  # fmt: skip


@dataclass
class IncidentPartial:
    """Incident counts per unit of some records, to be combined with others' and finished.

    By ``admin1`` or ``admin0``, an incident summary is a sum over records, so
    it can be made from parts (partitions of a large layer, :mod:`layers.engine`)
    and gives the same table: :func:`combine_incidents` adds counts, keeps the
    first largest aggregate count (in record order) and joins the ids;
    :func:`finish_incidents` lists units without records and writes the notes.
    """

    by: str
    rows: dict = field(default_factory=dict)  # key -> row (as the table's), ids as a list
    unplaced: int = 0
    derived: int = 0
    countries: set = field(default_factory=set)


def incident_partial(located: pd.DataFrame, by: str) -> IncidentPartial:
    """Count incidents per unit (``admin1``) or country (``admin0``) of ``located``."""
    part = IncidentPartial(by, countries=set(located["country"].dropna().astype(str)))
    frame = located.copy(deep=False)  # a column is added; the caller's frame is kept
    if by == "admin1":
        frame["key"] = frame["located_unit"].where(frame["precision"].isin(_PLACED))
        part.unplaced = int(frame["key"].isna().sum())
        frame = frame[frame["key"].notna()]
    else:
        frame["key"] = frame["country"]
    return _count_by_key(frame, part)


#: Precisions of records placed within a unit (not only a country or a border).
_PLACED = ("settlement", "admin1", "exact")


def _count_by_key(frame: pd.DataFrame, part: IncidentPartial) -> IncidentPartial:
    """Add to ``part`` a row of counts per value of ``frame``'s ``key`` column."""
    by = part.by
    # Units named as the set the records resolved on names them (a user set's names).
    own = dict(zip(frame["unit_code"], frame["unit_name"], strict=True)) if (
        "unit_name" in frame.columns and by == "admin1") else {}  # fmt: skip
    for key, group in frame.groupby("key", sort=True):
        events = group[group["record_type"].eq("event")]
        aggregates = group[group["record_type"].eq("aggregate")]
        casualties, killed, injured, derived = _event_casualties(events)
        part.derived += derived
        row = {
            "unit": key,
            "name": own.get(key) or (unit_name(by, key) if by in UNIT_LEVELS else key),
            "events": len(events),
            "reported_use": int(events["event_type"].eq("reported_use").sum()),
            "casualty_events": int(events["event_type"].eq("casualty").sum()),
            "casualties_in_events": casualties,
            "killed_in_events": killed,
            "injured_in_events": injured,
            "aggregate_records": len(aggregates),
            "largest_casualty_count": None,
            "largest_count_period": "",
            "records": sorted(group["record_id"].astype(str))[:IDS_IN_CELL],
            "n_records": len(group),
        }
        counted = aggregates[aggregates["casualties"].notna()]
        if not counted.empty:
            top = counted.sort_values("casualties", ascending=False, kind="stable").iloc[0]
            row["largest_casualty_count"] = int(top["casualties"])
            row["largest_count_period"] = f"{period_label(top.to_dict())} ({top['record_id']})"
        part.rows[key] = row
    return part


def combine_incidents(first: IncidentPartial, then: IncidentPartial) -> IncidentPartial:
    """Combine the counts of two parts, ``first`` holding the earlier records."""
    out = IncidentPartial(first.by, {k: dict(r) for k, r in first.rows.items()},
                          first.unplaced + then.unplaced, first.derived + then.derived,
                          first.countries | then.countries)  # fmt: skip
    for key, row in then.rows.items():
        mine = out.rows.get(key)
        if mine is None:
            out.rows[key] = dict(row)
            continue
        for column in INCIDENT_COUNTS:
            mine[column] += row[column]
        mine["records"] = sorted(mine["records"] + row["records"])[:IDS_IN_CELL]
        mine["n_records"] += row["n_records"]
        top = row["largest_casualty_count"]
        if top is not None and (mine["largest_casualty_count"] is None
                                or top > mine["largest_casualty_count"]):  # fmt: skip
            mine["largest_casualty_count"] = top
            mine["largest_count_period"] = row["largest_count_period"]
    return out


def _ids_cell(ids: list[str], total: int) -> str:
    """Join the ids of a cell; past :data:`IDS_IN_CELL`, say how many there are in all.

    Examples
    --------
    >>> _ids_cell(["a", "b"], 2), _ids_cell(["a", "b"], 5)
    ('a;b', 'a;b;… (5 in all: records.csv gives each record with its unit)')
    """
    text = ";".join(ids)
    if total > len(ids):
        text += f";… ({total:,} in all: records.csv gives each record with its unit)"
    return text


def finish_incidents(
    part: IncidentPartial, located: pd.DataFrame | None = None, notes: list[str] | None = None
) -> Summary:
    """Make the summary table and notes of combined counts (units without records listed).

    ``notes`` come first (what choosing the rows said, e.g. a grouping's composition).
    """
    notes = list(notes or [])
    by = part.by
    if by == "admin1" and part.unplaced:
        notes.append(
            f"{part.unplaced} record(s) located only to a country or border are not shown by "
            "admin1."
        )
    rows = [
        {
            **{k: v for k, v in r.items() if k != "n_records"},
            "records": _ids_cell(r["records"], r["n_records"]),
        }
        for r in part.rows.values()
    ]
    countries = located if located is not None else pd.DataFrame(
        {"country": sorted(part.countries)})  # fmt: skip
    rows += _units_without_records(by, {r["unit"] for r in rows}, countries, notes)
    rows.sort(key=lambda r: str(r["unit"]))
    table = pd.DataFrame(rows)
    if part.derived:
        notes.append(
            f"{part.derived:,} event(s) give killed or injured but no casualties: their "
            "casualties_in_events are killed + injured (a source's fatalities are killed)."
        )
    notes.append(
        "Aggregate counts cover overlapping periods and are not added; the largest is shown."
    )
    return Summary(f"Incidents by {by}", table, notes)


def incidents(located: pd.DataFrame, by: str, *, on: dt.date | None = None) -> Summary:
    """Summarise incidents by unit: events, casualties in events, largest counts.

    Every unit of the records' countries (by admin1) or of the grouping is a
    row: those with no incident have 0 (:func:`_units_without_records`).

    Aggregate counts of one unit cover overlapping periods ("by end 2013", "by
    end 2016"), so they are never added: the table shows the largest with its
    period.
    """
    if by in UNIT_LEVELS:  # a sum over records: made as the partitions of a large layer are
        return finish_incidents(incident_partial(located, by), located)
    notes: list[str] = []
    gid = _grouping(by)
    w = groupings.words(gid)
    inside = located[
        located["located_unit"].isin(groupings.unit_codes(gid)) & located["precision"].isin(_PLACED)
    ].copy()
    inside["unit_code"] = inside["located_unit"]
    notes.append(
        f"{len(located) - len(inside)} record(s) outside {w['units_label']} are not in "
        f"{w['members']}."
    )
    inside["key"] = _member_of(inside, gid, on, notes)
    counted = _count_by_key(inside, IncidentPartial(by))
    return finish_incidents(counted, located, notes)


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
