"""Popup pieces shared by the maps: the source rows of a record, area and share text."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from maps.labels import period_label
from maps.safehtml import fmt_number

__all__ = ["SOURCE_ROWS", "PopupRow", "km2_text", "percent_text", "popup_rows", "source_rows"]


@dataclass(frozen=True)
class PopupRow:
    """One row of a record's popup: its label, the fields it reads, and its text.

    A popup is a list of rows, declared once per layer kind: the SVG renderer
    calls ``text`` per record, the canvas renderer once per distinct value of
    ``columns`` (the record's fields ``text`` reads; no other), so a record
    reads the same in both.
    """

    label: str
    columns: tuple[str, ...]
    text: Callable[[dict], object]


def _as_of(rec: dict) -> object:
    return rec.get("as_of") if isinstance(rec.get("as_of"), str) else period_label(rec)


#: The rows that say where a record's figure comes from.
SOURCE_ROWS = (
    PopupRow("As of", ("as_of", "date_start", "date_end"), _as_of),
    PopupRow("Source", ("source",), lambda r: r.get("source")),
    PopupRow("Source document", ("source_file",), lambda r: r.get("source_file")),
    PopupRow(
        "Quote",
        ("source_quote",),
        lambda r: f"“{r['source_quote']}”" if r.get("source_quote") else "",
    ),
    PopupRow("Note", ("note",), lambda r: r.get("note")),
)


def popup_rows(rows: Sequence[PopupRow], rec: dict) -> list[tuple[str, object]]:
    """Return the ``(label, text)`` rows of a record's popup."""
    return [(row.label, row.text(rec)) for row in rows]


def source_rows(rec: dict) -> list[tuple[str, object]]:
    """Rows of a detail table that say where a record's figure comes from."""
    return popup_rows(SOURCE_ROWS, rec)


def km2_text(value: object) -> str:
    """Format an area for display: to 0.1 km², or 3 significant figures below 10 km².

    A hazard polygon of a field (0.006 km²) is never written "0 km²".

    Examples
    --------
    >>> km2_text(14.73), km2_text(3187), km2_text(1.2345), km2_text(0.006123), km2_text(None)
    ('14.7 km²', '3,187 km²', '1.23 km²', '0.00612 km²', '')
    """
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        number = float("nan")
    if number == number and 0 < abs(number) < 10:
        text = f"{number:.3g}"
        text = fmt_number(float(text), digits=max(2 - int(np.floor(np.log10(abs(number)))), 1))
    else:
        text = fmt_number(value)
    return f"{text} km²" if text else ""


def percent_text(share: object) -> str:
    """Format a share (0-1) as a percentage with two significant digits, never as an exponent.

    Examples
    --------
    >>> percent_text(0.0318), percent_text(8.9e-07), percent_text(8.9e-05), percent_text(1)
    ('3.2 %', '< 0.001 %', '0.0089 %', '100 %')
    """
    if share is None or share != share:
        return ""
    percent = float(share) * 100
    if 0 < percent < 0.001:
        return "< 0.001 %"
    digits = np.format_float_positional(percent, precision=2, unique=False, fractional=False,
                                        trim="-")  # fmt: skip
    return f"{digits} %"
