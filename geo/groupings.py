"""Groupings of boundary units that change with time, resolved for a date.

A grouping (e.g. Russia's military districts) assigns units to members over
validity periods. Its composition is read from a data file described in
``geo/data/groupings.json``; :func:`composition` resolves it for one date,
:func:`composition_for_period` checks that it does not change over a period,
and :func:`dissolve` draws each member as the union of its units.

Territories that a grouping's state assigns but that are internationally
recognised as part of another state (column ``disputed``) are left out unless
asked for, and every result says which were left out.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files

import geopandas as gpd
import pandas as pd
import shapely

from geo import boundaries
from geo.errors import GroupingError

__all__ = [
    "Composition",
    "composition",
    "composition_for_period",
    "define",
    "dissolve",
    "grouping_id",
    "groupings",
    "member_label",
    "read_assignments",
    "unit_codes",
    "words",
]

#: Groupings defined at run time (a project's own), by id: (definition, table).
_DEFINED: dict[str, tuple[dict, pd.DataFrame]] = {}


@cache
def groupings() -> dict[str, dict]:
    """Return the definitions of the known groupings, by id.

    Examples
    --------
    >>> sorted(groupings())
    ['ru_military_districts', 'ru_military_districts_operational']

    Groupings a project defines (:func:`define`) are known to every function
    here but not listed by this one.
    """
    with (files("geo") / "data" / "groupings.json").open(encoding="utf-8") as f:
        return json.load(f)


def _known() -> dict[str, dict]:
    """Every grouping by id: the embedded ones and those defined at run time."""
    return {**groupings(), **{gid: spec for gid, (spec, _) in _DEFINED.items()}}


def _definition(grouping: str) -> dict:
    try:
        return _known()[grouping]
    except KeyError:
        raise GroupingError(
            f"unknown grouping {grouping!r}: expected one of {sorted(_known())}. "
            "Fix: use one of those ids, define the grouping in the project ([groupings.ID]), "
            "or add a definition to geo/data/groupings.json."
        ) from None


def grouping_id(name: str) -> str:
    """Return the id of a grouping named by its id or its alias (``district``).

    Examples
    --------
    >>> grouping_id("district"), grouping_id("ru_military_districts")
    ('ru_military_districts_operational', 'ru_military_districts')
    """
    known = _known()
    if name in known:
        return name
    aliased = [gid for gid, spec in known.items() if spec.get("alias") == name]
    if aliased:
        return aliased[0]
    return _definition(name) and name  # raises GroupingError


def member_label(grouping: str) -> str:
    """Name one member of a grouping in titles ("Russian military district")."""
    spec = _definition(grouping_id(grouping))
    return spec.get("member_label") or spec.get("title") or grouping


#: The words of a grouping without its own (``words`` in its definition).
DEFAULT_WORDS = {
    "member": "member", "members": "members", "Member": "Member", "Members": "Members",
    "member_title": "{}", "unit": "unit", "units": "units", "Units": "Units",
    "units_short": "units", "units_label": "the units of {grouping}",
}  # fmt: skip


def words(grouping: str) -> dict[str, str]:
    """Return the words outputs use for a grouping's members and units.

    ``member``/``members`` (running text), ``Member``/``Members`` (headings),
    ``member_title`` (a format for one member's name), ``unit``/``units``/
    ``Units``/``units_short`` (its units), ``units_label`` (all of them).

    Examples
    --------
    >>> w = words("district")
    >>> w["member_title"].format("Western"), w["units_label"]
    ('Western military district', 'Russian admin-1 units')
    """
    gid = grouping_id(grouping)
    found = {**DEFAULT_WORDS, **_definition(gid).get("words", {})}
    return {k: v.replace("{grouping}", gid) for k, v in found.items()}


def unit_codes(grouping: str, *, include_disputed: bool = False) -> set[str]:
    """Every unit code the grouping ever assigns (disputed ones only if asked for).

    Examples
    --------
    >>> "RU-CE" in unit_codes("district"), "UA-14" in unit_codes("district")
    (True, False)
    >>> "UA-14" in unit_codes("district", include_disputed=True)
    True
    """
    table = _table(grouping_id(grouping))
    return set(
        table["unit_code"] if include_disputed else table.loc[~table["disputed"], "unit_code"]
    )


def define(
    grouping: str, table: pd.DataFrame, *, title: str, source: str, level: str = "admin1"
) -> None:
    """Define a grouping for this run (a project's own), from a table of assignments.

    Parameters
    ----------
    grouping : str
        Its id; an embedded grouping's id or alias cannot be taken.
    table : pandas.DataFrame
        ``unit_code``, ``member``, ``valid_from`` (date), ``valid_to`` (date or
        None: still in force) and ``disputed`` (bool), one row per assignment.
    title, source : str
        What the grouping is and where its composition comes from (said in
        every output that uses it).
    level : str
        Level of the units it groups.
    """
    embedded = groupings()
    if grouping in embedded or any(s.get("alias") == grouping for s in embedded.values()):
        raise GroupingError(
            f"grouping {grouping!r} is an embedded grouping. Fix: give yours another id"
        )
    spec = {"title": title, "level": level, "source": source, "member_label": title}
    _DEFINED[grouping] = (spec, table.reset_index(drop=True))
    _table.cache_clear()


#: Columns of a grouping's assignments file (``valid_to`` and ``disputed`` may be left out).
ASSIGNMENT_COLUMNS = ("unit_code", "member", "valid_from", "valid_to", "disputed")


def read_assignments(path) -> pd.DataFrame:
    """Read a grouping's assignments from a CSV file, for :func:`define`.

    One row per assignment of a unit to a member: ``unit_code``, ``member``,
    ``valid_from`` (ISO date), ``valid_to`` (ISO date, the last day; empty:
    still in force) and ``disputed`` (``yes`` for a unit the grouping's state
    assigns but that is recognised as part of another; may be left out).

    Raises
    ------
    GroupingError
        Naming the file, row and column of the first bad value, and the fix.
    """
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, ValueError, pd.errors.ParserError) as err:
        raise GroupingError(
            f"{path}: cannot be read as CSV ({err}). Fix: save it as UTF-8 CSV"
        ) from None
    missing = [c for c in ASSIGNMENT_COLUMNS[:3] if c not in raw.columns]
    if missing:
        raise GroupingError(
            f"{path}: no column(s) {missing} (columns: {list(raw.columns)}). Fix: name the "
            f"columns {', '.join(ASSIGNMENT_COLUMNS)}"
        )
    rows = []
    for row, rec in enumerate(raw.to_dict("records"), start=2):
        dates = {}
        for column in ("valid_from", "valid_to"):
            text = rec.get(column, "").strip()
            try:
                dates[column] = dt.date.fromisoformat(text) if text else None
            except ValueError:
                dates[column] = "bad"
            if dates[column] == "bad" or (column == "valid_from" and dates[column] is None):
                raise GroupingError(
                    f"{path}, row {row}, field {column!r}: expected an ISO date, got {text!r}. "
                    "Fix: write it like 2018-01-01"
                    + (" (empty: still in force)" if column == "valid_to" else "")
                )
        for column in ("unit_code", "member"):
            if not rec[column].strip():
                raise GroupingError(
                    f"{path}, row {row}, field {column!r}: a value is required. Fix: fill it in"
                )
        disputed = rec.get("disputed", "").strip().lower() == "yes"
        code, member = rec["unit_code"].strip(), rec["member"].strip()
        rows.append({"unit_code": code, "member": member, **dates, "disputed": disputed})
    if not rows:
        raise GroupingError(f"{path}: no assignments. Fix: add rows below the header")
    return pd.DataFrame(rows, columns=list(ASSIGNMENT_COLUMNS))


@cache
def _table(grouping: str) -> pd.DataFrame:
    if grouping in _DEFINED:
        return _DEFINED[grouping][1]
    spec = _definition(grouping)
    with (files("geo") / "data" / spec["file"]).open(encoding="utf-8") as f:
        raw = pd.read_csv(f, dtype=str, keep_default_na=False)
    return pd.DataFrame(
        {
            "unit_code": raw[spec["unit_column"]],
            "member": raw[spec["member_column"]],
            "valid_from": pd.to_datetime(raw[spec["valid_from_column"]]).dt.date,
            "valid_to": pd.to_datetime(raw[spec["valid_to_column"]].replace("", None)).dt.date,
            "disputed": raw[spec["disputed_column"]].eq("yes"),
        }
    )


@dataclass(frozen=True)
class Composition:
    """Units of each member of a grouping, as in force on a date.

    Attributes
    ----------
    grouping : str
        Grouping id.
    date : datetime.date
        Date the composition was resolved for.
    table : pandas.DataFrame
        One row per unit: ``unit_code``, ``member``, ``disputed``.
    excluded : tuple of str
        Disputed units assigned by the grouping but left out.
    """

    grouping: str
    date: dt.date
    table: pd.DataFrame = field(repr=False)
    excluded: tuple[str, ...] = ()

    @property
    def members(self) -> list[str]:
        """Members in order of first appearance in the data file."""
        return list(dict.fromkeys(self.table["member"]))

    def describe(self) -> str:
        """One line saying which composition this is, for outputs.

        Examples
        --------
        >>> c = composition("ru_military_districts_operational", dt.date(2018, 6, 30))
        >>> c.describe()[:94]
        'Russian military districts with the Northern Fleet (operational division), as in force on 2018'
        """  # noqa: E501
        counts = self.table.groupby("member", sort=False).size()
        parts = ", ".join(f"{m} {n}" for m, n in counts.items())
        title = _known().get(self.grouping, {}).get("title") or self.grouping
        text = f"{title}, as in force on {self.date.isoformat()} ({parts} units)"
        if self.excluded:
            text += (
                f"; left out as internationally recognised parts of another state: "
                f"{', '.join(self.excluded)}"
            )
        return text


def _as_date(value: dt.date | str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def composition(
    grouping: str, date: dt.date | str, *, include_disputed: bool = False
) -> Composition:
    """Resolve the composition of a grouping on a date.

    Parameters
    ----------
    grouping : str
        Grouping id (see :func:`groupings`).
    date : datetime.date or str
        Date (ISO string accepted).
    include_disputed : bool, default False
        Keep units the grouping's state assigns but that are internationally
        recognised as part of another state.

    Examples
    --------
    >>> c = composition("ru_military_districts_operational", "2018-06-30")
    >>> c.members
    ['Western', 'Northern Fleet', 'Southern', 'Central', 'Eastern']
    >>> c.excluded
    ('UA-40', 'UA-43')
    >>> composition("ru_military_districts", "2024-03-01").members
    ['Leningrad', 'Moscow', 'Southern', 'Central', 'Eastern']
    """
    grouping = grouping_id(grouping)
    day = _as_date(date)
    table = _table(grouping)
    valid = (table["valid_from"] <= day) & (table["valid_to"].isna() | (table["valid_to"] >= day))
    current = table[valid.to_numpy(dtype=bool)]
    if current.empty:
        first = min(table["valid_from"])
        raise GroupingError(
            f"grouping {grouping!r} has no composition on {day.isoformat()}: its data start on "
            f"{first.isoformat()}. Fix: use a date on or after {first.isoformat()}."
        )
    excluded: tuple[str, ...] = ()
    if not include_disputed:
        excluded = tuple(sorted(current.loc[current["disputed"], "unit_code"]))
        current = current[~current["disputed"]]
    order = {m: i for i, m in enumerate(dict.fromkeys(table["member"]))}
    current = current.sort_values("member", key=lambda s: s.map(order), kind="stable")
    return Composition(
        grouping=grouping,
        date=day,
        table=current[["unit_code", "member", "disputed"]].reset_index(drop=True),
        excluded=excluded,
    )


def composition_for_period(
    grouping: str,
    start: dt.date | str,
    end: dt.date | str,
    *,
    include_disputed: bool = False,
) -> Composition:
    """Resolve a grouping for a period, checking it does not change within it.

    The composition in force on ``start`` is returned when it holds unchanged
    until ``end``. If it changes, :class:`~geo.errors.GroupingError` lists the
    dates of change, since a figure for the period cannot be drawn on one map.

    Examples
    --------
    >>> composition_for_period("ru_military_districts_operational",
    ...                        "2018-01-01", "2018-12-31").date
    datetime.date(2018, 1, 1)
    """
    grouping = grouping_id(grouping)
    first, last = _as_date(start), _as_date(end)
    if last < first:
        raise GroupingError(f"period ends ({last}) before it starts ({first})")
    table = _table(grouping)
    changes = sorted(
        {d for d in table["valid_from"] if first < d <= last}
        | {d + dt.timedelta(days=1) for d in table["valid_to"].dropna() if first <= d < last}
    )
    if changes:
        raise GroupingError(
            f"the composition of {grouping!r} changes within {first}..{last} "
            f"(on {', '.join(d.isoformat() for d in changes)}). "
            "Fix: split the figure by period, or give the date whose composition it uses."
        )
    return composition(grouping, first, include_disputed=include_disputed)


def dissolve(comp: Composition) -> gpd.GeoDataFrame:
    """Draw each member of a composition as the union of its units' full geometry.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per member: ``member``, ``unit_codes`` (sorted, ``;``-joined),
        ``n_units``, ``composition_date``, ``composition`` (the text of
        :meth:`Composition.describe`) and the dissolved geometry.

    Examples
    --------
    >>> c = composition("ru_military_districts_operational", "2018-06-30")
    >>> d = dissolve(c)
    >>> d.set_index("member")["n_units"].to_dict()
    {'Western': 26, 'Northern Fleet': 4, 'Southern': 13, 'Central': 29, 'Eastern': 11}
    """
    level = _definition(comp.grouping)["level"]
    parts = boundaries.units(level, comp.table["unit_code"])
    rows = []
    for member in comp.members:
        codes = sorted(comp.table.loc[comp.table["member"] == member, "unit_code"])
        geoms = parts.geometry[parts["code"].isin(codes)].to_numpy()
        rows.append(
            {
                "member": member,
                "unit_codes": ";".join(codes),
                "n_units": len(codes),
                "composition_date": comp.date.isoformat(),
                "composition": comp.describe(),
                "geometry": shapely.union_all(geoms),
            }
        )
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=parts.crs)
