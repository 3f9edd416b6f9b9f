"""Incident summaries: events, casualties and the largest aggregate count, per unit or member.

By ``admin1`` or ``admin0`` a summary is a sum over records, so it is made in
three steps that the Dask engine (:mod:`layers.engine`) also runs on parts of
a layer: :func:`incident_partial` counts some records, :func:`combine_incidents`
adds two parts in record order, :func:`finish_incidents` lists the units
without records and writes the notes. By a grouping, each record's member is
taken from the composition in force at its date (:mod:`layers.summary`); an
undated record takes the composition at the latest date of the records, which
parts do not know, so a part counts its dated records by member and its
undated ones by unit (:func:`grouping_partial`), and :func:`finish_grouping`
places the undated ones once every part is combined.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from geo import groupings
from geo.boundaries import unit_name
from geo.boundary_sets import embedded
from layers.periods import period_label
from layers.summary import (
    UNIT_LEVELS,
    Summary,
    _grouping,
    _latest_date,
    _member_notes,
    _member_of,
    _members,
    add_rows,
)

__all__ = ["IDS_IN_CELL", "INCIDENT_COUNTS", "GroupingPartial", "IncidentPartial",
           "combine_grouping", "combine_incidents", "finish_grouping", "finish_incidents",
           "grouping_partial", "incident_partial", "incidents"]  # fmt: skip


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

    def join(mine: dict, row: dict) -> None:
        mine["records"] = sorted(mine["records"] + row["records"])[:IDS_IN_CELL]
        top = row["largest_casualty_count"]
        if top is not None and (mine["largest_casualty_count"] is None
                                or top > mine["largest_casualty_count"]):  # fmt: skip
            mine["largest_casualty_count"] = top
            mine["largest_count_period"] = row["largest_count_period"]

    rows = add_rows(first.rows, then.rows, [*INCIDENT_COUNTS, "n_records"], join)
    return IncidentPartial(first.by, rows, first.unplaced + then.unplaced,
                           first.derived + then.derived,
                           first.countries | then.countries)  # fmt: skip


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


def _inside(located: pd.DataFrame, gid: str) -> pd.DataFrame:
    """Return the records placed in a unit the grouping groups, that unit as ``unit_code``."""
    inside = located[
        located["located_unit"].isin(groupings.unit_codes(gid)) & located["precision"].isin(_PLACED)
    ].copy()
    inside["unit_code"] = inside["located_unit"]
    return inside


def _outside_note(n: int, gid: str) -> str:
    w = groupings.words(gid)
    return f"{n} record(s) outside {w['units_label']} are not in {w['members']}."


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
    gid = _grouping(by)
    inside = _inside(located, gid)
    notes = [_outside_note(len(located) - len(inside), gid)]
    inside["key"] = _member_of(inside, gid, on, notes)
    counted = _count_by_key(inside, IncidentPartial(by))
    return finish_incidents(counted, located, notes)


def _dates(records: pd.DataFrame) -> pd.Series:
    """Each record's date for a composition: its ``date_end``, else ``date_start`` (or None)."""
    out = pd.Series(None, index=records.index, dtype=object)
    for key in ("date_start", "date_end"):  # date_end wins where both are dates
        if key in records.columns:
            values = records[key]
            dated = values.map(lambda v: isinstance(v, dt.date)).astype(bool)
            out = out.where(~dated, values)
    return out


def _latest_or_none(records: pd.DataFrame) -> dt.date | None:
    return _latest_date(records) if _dates(records).notna().any() else None


@dataclass
class GroupingPartial:
    """Incident counts by a grouping's members of some records, to combine and finish.

    ``dated`` counts records by their member at their date; ``undated`` counts
    the others by unit, to be placed by :func:`finish_grouping` in the
    composition at the latest date of all the records inside the grouping.
    """

    by: str
    dated: IncidentPartial
    undated: IncidentPartial
    located: int = 0
    outside: int = 0
    compositions: dict = field(default_factory=dict)
    unplaced: list = field(default_factory=list)
    latest_inside: dt.date | None = None
    latest: dt.date | None = None


def grouping_partial(located: pd.DataFrame, by: str) -> GroupingPartial:
    """Count incidents of ``located`` by the members of grouping ``by`` (see the class)."""
    gid = _grouping(by)
    inside = _inside(located, gid)
    dated = _dates(inside).notna()
    part = GroupingPartial(by, IncidentPartial(by), IncidentPartial(by), located=len(located),
                           outside=len(located) - len(inside),
                           latest_inside=_latest_or_none(inside),
                           latest=_latest_or_none(located))  # fmt: skip
    if dated.any():
        some = inside[dated.to_numpy()].copy()
        some["key"], part.compositions, part.unplaced = _members(some, gid, None)
        part.dated = _count_by_key(some, part.dated)
    if not dated.all():
        rest = inside[~dated.to_numpy()].copy()
        rest["key"] = rest["unit_code"]
        part.undated = _count_by_key(rest, part.undated)
    return part


def _later(a: dt.date | None, b: dt.date | None) -> dt.date | None:
    return max(d for d in (a, b) if d is not None) if a is not None or b is not None else None


def combine_grouping(first: GroupingPartial, then: GroupingPartial) -> GroupingPartial:
    """Combine two grouping parts, ``first`` holding the earlier records."""
    return GroupingPartial(
        first.by, combine_incidents(first.dated, then.dated),
        combine_incidents(first.undated, then.undated), first.located + then.located,
        first.outside + then.outside, {**then.compositions, **first.compositions},
        first.unplaced + then.unplaced, _later(first.latest_inside, then.latest_inside),
        _later(first.latest, then.latest),
    )  # fmt: skip


def finish_grouping(part: GroupingPartial) -> Summary:
    """Place the undated records, then make the table and notes as :func:`incidents` does."""
    gid, by = _grouping(part.by), part.by
    used, unplaced, counted = dict(part.compositions), list(part.unplaced), part.dated
    if part.undated.rows:
        day = part.latest_inside or dt.date.today()
        try:
            comp = groupings.composition(gid, day)
        except groupings.GroupingError:
            unplaced += [i for row in part.undated.rows.values() for i in row["records"]]
        else:
            used.setdefault(comp.date, comp.describe())
            member = comp.table.set_index("unit_code")["member"]
            for unit, row in sorted(part.undated.rows.items()):
                key = member.get(unit)
                if key is not None:
                    placed = IncidentPartial(by, {key: {**row, "unit": key, "name": key}})
                    counted = combine_incidents(counted, placed)
    notes = [_outside_note(part.outside, gid), *_member_notes(gid, used, unplaced)]
    stand_in = pd.DataFrame({"date_start": [part.latest] * min(part.located, 1)})
    return finish_incidents(counted, stand_in, notes)
