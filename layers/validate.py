"""Validate rows against a layer schema: types, allowed values, rules across fields.

Every problem becomes a reject with the file, row, field, the value received,
the reason and a fix; a row with any problem is rejected whole, never dropped.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence

import pandas as pd

from geo.area import AREA_UNITS_KM2, to_km2
from geo.errors import REJECT_COLUMNS, RecordError, reject
from layers.schema import Field, Schema

__all__ = ["Problem", "normalise_area", "validate"]

#: One problem of a row: (field, value received, reason, fix).
Problem = tuple[str, object, str, str]


def _check_value(text: str, f: Field) -> tuple[object, str | None, str | None]:
    """Parse one cell; return (value, reason, fix) with reason None when valid."""
    if text == "":
        if f.required:
            return None, "a value is required", f"fill in {f.name}: {f.description}"
        return None, None, None
    value: object = text
    if f.type in ("number", "integer"):
        try:
            value = float(text) if f.type == "number" else int(text)
        except ValueError:
            kind = "a number" if f.type == "number" else "a whole number"
            return None, f"expected {kind}", f"write {f.name} as {kind} with '.' as decimal mark"
        if f.minimum is not None and value < f.minimum:
            return None, f"expected a value >= {f.minimum:g}", f"correct {f.name}"
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


def _cross_checks(kind: str) -> list[Callable[[dict], tuple[str, str, str] | None]]:
    """Rules that involve several fields of one row: (field, reason, fix) or None."""

    def level_grouping(r: dict):
        if r["unit_level"] == "grouping" and not r.get("grouping"):
            return (
                "grouping",
                "unit_level is 'grouping' but no grouping is named",
                ("name the grouping id (e.g. ru_military_districts_operational)"),
            )
        if r["unit_level"] != "grouping" and r.get("grouping"):
            return (
                "grouping",
                "a grouping is named but unit_level is not 'grouping'",
                ("set unit_level to 'grouping' or clear grouping"),
            )
        return None

    def period(r: dict):
        if r.get("date_start") and r.get("date_end") and r["date_end"] < r["date_start"]:
            return "date_end", "date_end is before date_start", "swap or correct the dates"
        return None

    def area_value(r: dict):
        if r.get("status") in ("not_known", "none"):
            if r.get("value") is not None:
                return (
                    "value",
                    f"status {r['status']!r} takes no value",
                    "clear value or fix status",
                )
            return None
        if r.get("value") is None or not r.get("value_unit"):
            return (
                "value",
                "an area value and its unit are required",
                ("fill in value and value_unit, or set status to not_known"),
            )
        if r.get("land_use") not in (None, "all") and not r.get("part_of"):
            return "part_of", "a land-use part needs the record_id of its whole", "fill in part_of"
        return None

    def location(r: dict):
        if r["locate_as"] == "border" and not r.get("border_with"):
            return (
                "border_with",
                "locate_as is 'border' but border_with is empty",
                ("give the ISO alpha-3 code of the other country"),
            )
        return None

    checks = [level_grouping, period]
    if kind == "contamination":
        checks.append(area_value)
    if kind == "incidents":
        checks.append(location)
    return checks


def normalise_area(records: pd.DataFrame) -> pd.Series:
    """Each record's value in km² (NaN where the unit is not an area unit)."""

    def one(value, unit):
        if pd.isna(value) or unit not in AREA_UNITS_KM2:
            return float("nan")
        return to_km2(value, unit)

    return pd.Series(
        [one(v, u) for v, u in zip(records["value"], records["value_unit"], strict=True)],
        index=records.index,
        dtype=float,
    )


def validate(
    frame: pd.DataFrame,
    sch: Schema,
    path: str,
    *,
    row_numbers: Sequence[int] | None = None,
    extra: dict[int, list[Problem]] | None = None,
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
    accepted, problems = [], []
    seen: dict[str, dict[object, int]] = {f.name: {} for f in sch.fields if f.unique}
    checks = _cross_checks(sch.kind)
    numbers = list(row_numbers) if row_numbers is not None else [i + 2 for i in range(len(frame))]
    extra = extra or {}
    for offset, original in enumerate(frame.to_dict("records")):
        row_no = numbers[offset]
        parsed: dict[str, object] = {}
        row_problems = list(extra.get(offset, []))
        for f in sch.fields:
            text = str(original.get(f.name, "")).strip()
            value, reason, fix = _check_value(text, f)
            if reason is not None:
                row_problems.append((f.name, text, reason, fix))
            parsed[f.name] = value
        for f_name, first_rows in seen.items():
            key = parsed[f_name]
            if key is not None and key in first_rows:
                row_problems.append(
                    (f_name, key, f"duplicate of row {first_rows[key]}", f"make {f_name} unique")
                )
        if not row_problems:
            for check in checks:
                result = check(parsed)
                if result is not None:
                    fld, reason, fix = result
                    row_problems.append((fld, original.get(fld, ""), reason, fix))
        for f_name, first_rows in seen.items():
            if parsed[f_name] is not None and parsed[f_name] not in first_rows:
                first_rows[parsed[f_name]] = row_no
        if row_problems:
            for fld, value, reason, fix in row_problems:
                problems.append(reject(path, row_no, fld, value, reason, fix, original))
        else:
            accepted.append({"row": row_no, "position": offset, **parsed})
    records = pd.DataFrame(accepted, columns=["row", "position", *sch.names])
    rejects = pd.DataFrame(
        problems, columns=REJECT_COLUMNS + [f"original.{c}" for c in frame.columns]
    )
    return records, rejects
