"""Validate rows against a layer schema: types, allowed values, rules across fields.

Every problem becomes a reject with the file, row, field, the value received,
the reason and a fix; a row with any problem is rejected whole, never dropped.
Numbers must be finite and within the bounds below (:data:`EARTH_LAND_KM2`,
:data:`MAX_COUNT`, :data:`MAX_TONNES`, :data:`MAX_PERCENT_OF_UNIT`); once
records are measured, an area of land larger than its unit is rejected too
(:func:`over_unit`, :data:`MAX_SHARE_OF_UNIT`).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from geo import groupings
from geo.errors import REJECT_COLUMNS, RecordError, reject
from layers import dates
from layers.areas import (
    EARTH_LAND_KM2,
    LAND_STATUSES,
    MAX_COUNT,
    MAX_PERCENT_OF_UNIT,
    MAX_SHARE_OF_UNIT,
    MAX_TONNES,
    NO_AREA,
    implausible,
    normalise_area,
    over_unit,
)
from layers.columns import parse_column
from layers.frames import first_positions, rows_of
from layers.numbers import AMBIGUOUS_COMMA, plain_numbers
from layers.schema import Field, Schema

__all__ = [
    "COMMON_CHECKS",
    "EARTH_LAND_KM2",
    "LAND_STATUSES",
    "MAX_COUNT",
    "MAX_PERCENT_OF_UNIT",
    "MAX_SHARE_OF_UNIT",
    "MAX_TONNES",
    "Problem",
    "RowCheck",
    "area_value",
    "implausible",
    "level_grouping",
    "location",
    "magnitude",
    "normalise_area",
    "over_unit",
    "period",
    "validate",
]

#: One problem of a row: (field, value received, reason, fix).
Problem = tuple[str, object, str, str]


def _parse_number(text: str, f: Field) -> tuple[object, str | None, str | None]:
    """Parse a number or integer cell: finite, not below the minimum, within its bound."""
    kind = "a number" if f.type == "number" else "a whole number"
    try:
        finite = math.isfinite(float(text))
    except ValueError:
        finite = True  # not a number at all: said below
    if not finite:
        empty = "" if f.required else ", or leave it empty when there is none"
        return (
            None,
            "not a finite number",
            f"write {f.name} as the figure the source gives (NaN and infinity are not "
            f"figures){empty}",
        )
    if f.type == "integer" and re.fullmatch(r"[+-]?\d+\.0+", text):
        text = text.split(".", 1)[0]  # "3.0", as pandas writes a float column: the whole number 3
    try:
        value: float = float(text) if f.type == "number" else int(text)
    except ValueError:
        if AMBIGUOUS_COMMA.fullmatch(text):
            plain, decimal = text.replace(",", ""), str(float(text.replace(",", ".")))
            return (
                None,
                f"{text} may be {plain} (',' between thousands) or {decimal} (',' as decimal "
                "mark), and no other value in the column says which",
                f"write {f.name} as {plain} or {decimal}",
            )
        example = "1250" if f.type == "integer" else "1250.5 ('.' as decimal mark)"
        return (
            None,
            f"expected {kind}",
            f"write {f.name} as {kind} with no thousands separator, e.g. {example}",
        )
    if f.minimum is not None and value < f.minimum:
        return None, f"expected a value >= {f.minimum:g}", f"correct {f.name}"
    if f.type == "integer":
        # Every integer field of the schemas is a count; a number's bound depends on its unit.
        found = implausible(value, "count")
        if found is not None:
            return None, *found
    return value, None, None


def _check_value(text: str, f: Field) -> tuple[object, str | None, str | None]:
    """Parse one cell; return (value, reason, fix) with reason None when valid."""
    if text == "":
        if f.required:
            return None, "a value is required", f"fill in {f.name}: {f.description}"
        return None, None, None
    value: object = text
    if f.type in ("number", "integer"):
        value, reason, fix = _parse_number(text, f)
        if reason is not None:
            return None, reason, fix
    elif f.type == "date":
        try:
            value = dt.date.fromisoformat(text)
        except ValueError:
            return None, "expected an ISO date YYYY-MM-DD", f"write {f.name} like 2018-12-31"
    if f.enum is not None and text not in f.enum:
        allowed = ", ".join(repr(e) for e in f.enum if e)
        return None, f"expected one of {allowed}", f"use one of the allowed values for {f.name}"
    if f.pattern is not None and not re.fullmatch(f.pattern, text):
        return None, f"expected text matching {f.pattern}", f"correct the format of {f.name}"
    return value, None, None


#: A rule over several fields of one parsed row: None, or (field, reason, fix).
RowCheck = Callable[[dict], "tuple[str, str, str] | None"]


def reads(*fields: str) -> Callable[[RowCheck], RowCheck]:
    """Declare the fields a row rule reads: it then runs once per distinct combination of them.

    A rule without the declaration is run on every row.
    """

    def declare(check: RowCheck) -> RowCheck:
        check.fields = fields  # type: ignore[attr-defined]
        return check

    return declare


@reads("unit_level", "grouping")
def level_grouping(r: dict) -> tuple[str, str, str] | None:
    """Check that a grouping is named exactly when the unit level is ``grouping``."""
    if r["unit_level"] == "grouping" and not r.get("grouping"):
        known = ", ".join(sorted(groupings.groupings()))
        return (
            "grouping",
            "unit_level is 'grouping' but no grouping is named",
            f"name the grouping id ({known}, or one the project defines)",
        )
    if r["unit_level"] != "grouping" and r.get("grouping"):
        return (
            "grouping",
            "a grouping is named but unit_level is not 'grouping'",
            "set unit_level to 'grouping' or clear grouping",
        )
    return None


@reads("date_start", "date_end")
def period(r: dict) -> tuple[str, str, str] | None:
    """Check that a period does not end before it starts."""
    if r.get("date_start") and r.get("date_end") and r["date_end"] < r["date_start"]:
        return "date_end", "date_end is before date_start", "swap or correct the dates"
    return None


@reads("status", "value", "value_unit", "land_use", "part_of")
def area_value(r: dict) -> tuple[str, str, str] | None:
    """Check that an area figure has a value and a unit, unless its status says there is none."""
    if r.get("status") in NO_AREA:
        if r.get("value") is not None:
            return "value", f"status {r['status']!r} takes no value", "clear value or fix status"
        return None
    if r.get("value") is None or not r.get("value_unit"):
        return (
            "value",
            "an area value and its unit are required",
            "fill in value and value_unit, or set status to not_known",
        )
    if r.get("land_use") not in (None, "all") and not r.get("part_of"):
        return "part_of", "a land-use part needs the record_id of its whole", "fill in part_of"
    return None


@reads("locate_as", "border_with")
def location(r: dict) -> tuple[str, str, str] | None:
    """Check that a record placed on a border names the other country."""
    if r["locate_as"] == "border" and not r.get("border_with"):
        return (
            "border_with",
            "locate_as is 'border' but border_with is empty",
            "give the ISO alpha-3 code of the other country",
        )
    return None


@reads("value", "value_unit", "status")
def magnitude(r: dict) -> tuple[str, str, str] | None:
    """Check that a value is within the bound of its unit (:func:`implausible`)."""
    if r.get("value") is None or not r.get("value_unit") or r.get("status") in NO_AREA:
        return None
    found = implausible(r["value"], r["value_unit"])
    return None if found is None else ("value", *found)


#: The rules every layer kind's rows follow.
COMMON_CHECKS: tuple[RowCheck, ...] = (level_grouping, period)


def _dates_as_iso(
    frame: pd.DataFrame, sch: Schema, notes: list[str] | None, date_format: str | None = None
) -> tuple[dict[str, pd.Series], dict[str, dict[int, tuple[str, str]]]]:
    """Rewrite the date fields' cells written other ways as ISO (:func:`layers.dates.normalise`).

    A ``date_start`` that is a year or a month, with ``date_end`` empty, gives
    ``date_end`` the last day of that year or month. Returns the rewritten
    columns and the refused cells by field; what was done goes to ``notes``.
    """
    told = notes if notes is not None else []
    columns, refused = {}, {}
    names = [f.name for f in sch.fields if f.type == "date"]
    order = dates.slash_order(*(frame[name] for name in names))  # one order for the file
    for name in names:
        columns[name], refused[name], said = dates.normalise(frame[name], name, order, date_format)
        told += said
    if "date_start" in columns and "date_end" in columns:
        start = frame["date_start"].fillna("").astype(str).str.strip()
        partial = start.str.fullmatch(r"\d{4}(-\d{1,2})?").fillna(False).to_numpy(dtype=bool)
        empty = columns["date_end"].fillna("").astype(str).eq("").to_numpy(dtype=bool)
        fill = partial & empty
        if fill.any():
            ends, _refused, _said = dates.normalise(start[fill], "date_end")
            columns["date_end"] = columns["date_end"].copy()
            columns["date_end"].iloc[np.flatnonzero(fill)] = ends.to_numpy()
            first = int(np.flatnonzero(fill)[0])
            told.append(f"date_end: {int(fill.sum()):,} empty, given the last day of date_start's "
                        f"year or month (e.g. {start.iloc[first]!r}: "
                        f"{columns['date_end'].iloc[first]})")  # fmt: skip
    return columns, refused


def _taken(values, positions: np.ndarray):
    """Return the values at ``positions`` (a text Series stays a Series)."""
    if isinstance(values, pd.Series):
        return values.iloc[positions].reset_index(drop=True)
    return values[positions]


def _as_objects(values) -> np.ndarray:
    """Return parsed values as Python objects, None where missing (a text Series has NaN)."""
    if isinstance(values, pd.Series):
        return values.astype(object).where(values.notna(), None).to_numpy()
    return values


def _kept(values, keep: np.ndarray, kind: str):
    """Return the values of the kept rows, for the records frame.

    The columns are what a frame built from Python lists would hold: text
    stays a string column, whole numbers int64 (float64 with NaN when some
    are missing), numbers float64, dates objects, and a column with no value
    at all None values; but built from arrays, without a Python list.
    """
    if isinstance(values, pd.Series):
        taken = values.iloc[keep].reset_index(drop=True)
        if taken.notna().any():
            return taken.astype(str) if taken.dtype == object else taken
        return np.full(len(taken), None, dtype=object)
    taken = values[keep]
    present = np.not_equal(taken, None)
    if not present.any():
        return np.full(len(taken), None, dtype=object)
    if kind == "integer" and present.all():
        return taken.astype(np.int64)
    if kind in ("integer", "number"):
        out = np.full(len(taken), np.nan)
        out[present] = taken[present].astype(np.float64)
        return out
    return taken


def _failures(
    check: RowCheck, parsed: dict[str, np.ndarray], positions: np.ndarray
) -> list[tuple[int, tuple[str, str, str]]]:
    """Run a row rule on the rows at ``positions``; return (position, result) where it fails.

    A rule that declares the fields it reads (:func:`reads`) runs once per
    distinct combination of their values, and its answer goes to every row
    with that combination; any other rule runs on each row.
    """
    if not len(positions):
        return []
    fields = [f for f in getattr(check, "fields", parsed) if f in parsed]
    values = pd.DataFrame({f: _taken(parsed[f], positions) for f in fields})
    if fields:
        number = values.groupby(fields, dropna=False, sort=False).ngroup().to_numpy()
    else:
        number = np.zeros(len(positions), dtype=np.intp)
    firsts = first_positions(number)
    heads = values.iloc[firsts].astype(object)
    answers = [check(rec) for rec in rows_of(heads.where(heads.notna(), None))]
    fails = np.array([a is not None for a in answers], dtype=bool)
    hit = np.flatnonzero(fails[number])
    return [(int(positions[i]), answers[number[i]]) for i in hit.tolist()]


def validate(
    frame: pd.DataFrame,
    sch: Schema,
    path: str,
    *,
    row_numbers: Sequence[int] | None = None,
    extra: dict[int, list[Problem]] | None = None,
    checks: Sequence[RowCheck] = COMMON_CHECKS,
    notes: list[str] | None = None,
    date_format: str | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split rows into typed records and rejects.

    Parameters
    ----------
    frame : pandas.DataFrame
        Rows with schema field names, every cell a string.
    sch : Schema
        The layer's schema.
    path : str
        File (or file and layer) the rows come from, for the rejects.
    row_numbers : sequence of int, optional
        The file's row number of each row (default: a CSV's, header = row 1).
    extra : dict, optional
        Problems found elsewhere (e.g. in geometry), by position of the row.
    checks : sequence of callables
        Rules over several fields of a row (:data:`RowCheck`), run on rows
        whose every field is valid: the layer kind's (:mod:`layers.kinds`).
    notes : list of str, optional
        Told how dates not written as ISO were read (:mod:`layers.dates`).
    date_format : str, optional
        The project's format for dates not written as ISO (:func:`layers.dates.normalise`).

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        Records (with ``row`` and ``position``, the row's index in ``frame``)
        and rejects (:data:`geo.errors.REJECT_COLUMNS` and ``original.*``).
    """
    missing = [f.name for f in sch.fields if f.required and f.name not in frame.columns]
    if missing:
        raise RecordError(
            path,
            1,
            missing[0],
            list(frame.columns),
            f"the {sch.kind} layer needs the column(s) {missing}",
            "add the column(s), or give one value for every row (minemap check --set FIELD=VALUE, "
            "or constants in a project file); the fields are described in "
            f"layers/schema/{sch.kind}.json",
        )
    for f in sch.fields:
        if f.name not in frame.columns:
            frame[f.name] = ""
    numbers = list(row_numbers) if row_numbers is not None else [i + 2 for i in range(len(frame))]
    # Problems as (position, rank, field, value received, reason, fix): a row's own
    # problems in field order, then duplicates, then rules across fields.
    found: list[tuple[int, int, str, object, str, str]] = [
        (pos, -1, *problem) for pos, problems in (extra or {}).items() for problem in problems
    ]
    parsed: dict[str, np.ndarray] = {}
    columns, refused = _dates_as_iso(frame, sch, notes, date_format)
    for f in sch.fields:  # thousands separators, where the column leaves no doubt
        if f.type in ("number", "integer") and f.name in frame.columns:
            plain, said = plain_numbers(frame[f.name], f.name)
            if plain is not None:
                columns[f.name] = plain
                if notes is not None:
                    notes += said
    for rank, f in enumerate(sch.fields):
        bound = MAX_COUNT if f.type == "integer" else None  # every integer field is a count
        parsed[f.name], cell_problems = parse_column(
            columns.get(f.name, frame[f.name]), f, _check_value, bound=bound
        )
        if f.name in columns and cell_problems:  # a date rewritten: report it as written
            written = frame[f.name].fillna("").astype(str).str.strip()
            why = refused.get(f.name, {})
            cell_problems = [(pos, written.iloc[pos], *why.get(pos, (reason, fix)))
                             for pos, _text, reason, fix in cell_problems]  # fmt: skip
        found += [
            (pos, rank, f.name, text, reason, fix) for pos, text, reason, fix in cell_problems
        ]
    for rank, f in enumerate((f for f in sch.fields if f.unique), start=len(sch.fields)):
        codes, _uniques = pd.factorize(pd.Series(parsed[f.name]), use_na_sentinel=True)
        seen = codes >= 0
        if not seen.any():
            continue
        first_of = np.full(codes.max() + 1, -1, dtype=np.int64)
        order = np.flatnonzero(seen)[::-1]  # the last write wins: the first position
        first_of[codes[order]] = order
        dup = seen & (first_of[np.where(seen, codes, 0)] != np.arange(len(codes)))
        values = _as_objects(parsed[f.name])
        found += [
            (pos, rank, f.name, values[pos], f"duplicate of row {numbers[first_of[codes[pos]]]}",
             f"make {f.name} unique")
            for pos in np.flatnonzero(dup).tolist()
        ]  # fmt: skip
    bad = np.zeros(len(frame), dtype=bool)
    bad[[p for p, *_ in found]] = True
    if checks:
        rank = 2 * len(sch.fields)
        good = np.flatnonzero(~bad)
        failed: list[tuple[int, int, tuple[str, str, str]]] = []
        for order, check in enumerate(checks):
            for pos, result in _failures(check, parsed, good):
                failed.append((pos, order, result))
        for pos, _order, (fld, reason, fix) in sorted(failed, key=lambda f: f[:2]):
            received = frame[fld].iloc[pos] if fld in frame.columns else ""
            found.append((pos, rank, fld, received, reason, fix))
            bad[pos] = True
    found.sort(key=lambda p: (p[0], p[1]))
    bad_positions = sorted({p for p, *_ in found})
    originals = dict(zip(bad_positions, rows_of(frame.iloc[bad_positions]), strict=True))
    problems = [
        reject(path, numbers[pos], fld, value, reason, fix, originals[pos])
        for pos, _rank, fld, value, reason, fix in found
    ]
    keep = np.flatnonzero(~bad)
    kinds = {f.name: f.type for f in sch.fields}
    accepted = {
        "row": np.asarray(numbers, dtype=np.int64)[keep],
        "position": keep.astype(np.int64),
        **{name: _kept(parsed[name], keep, kinds[name]) for name in sch.names},
    }
    columns = ["row", "position", *sch.names]
    records = (
        pd.DataFrame(accepted, columns=columns) if len(keep) else pd.DataFrame(columns=columns)
    )
    rejects = pd.DataFrame(
        problems, columns=REJECT_COLUMNS + [f"original.{c}" for c in frame.columns]
    )
    return records, rejects
