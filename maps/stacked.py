"""Stacked bars of land release, in HTML: one bar per row, a segment per part, escaped.

A bar is a row of ``<span>`` segments whose widths are each part's share of
the row's total, with the figure in the segment's title and a key below it;
no script, so it reads the same in a popup, a summary page and print.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from maps.popups import km2_text
from maps.safehtml import escape

__all__ = ["RELEASE_PARTS", "STACK_CSS", "stack_key", "stacked_bar"]

#: Parts of a land release bar: column, label, colour (released greens, remaining red).
RELEASE_PARTS = (
    ("cancelled_km2", "Cancelled (non-technical survey)", "#a6d96a"),
    ("reduced_km2", "Reduced (technical survey)", "#66bd63"),
    ("cleared_km2", "Cleared", "#1a9850"),
    ("remaining_km2", "Remaining", "#d7191c"),
)

#: Style of bars and keys, for map pages and summary pages alike (colours print as shown).
STACK_CSS = """
.mm-stack { display: flex; width: 100%; min-width: 160px; height: 12px; margin: 4px 0 2px 0;
  border: 1px solid #777; background: #fff; -webkit-print-color-adjust: exact;
  print-color-adjust: exact; }
.mm-seg { display: block; height: 100%; }
.mm-stack-key { font-size: 11px; color: #333; }
.mm-key { display: inline-block; margin-right: 8px; white-space: nowrap; }
.mm-key .mm-swatch { display: inline-block; width: 10px; height: 10px; margin-right: 3px;
  vertical-align: middle; border: 1px solid #777; -webkit-print-color-adjust: exact;
  print-color-adjust: exact; }
"""


def stack_key(parts: Sequence[tuple[str, str, str]] = RELEASE_PARTS) -> str:
    """Return an escaped HTML key of the parts' colours."""
    return (
        '<div class="mm-stack-key">'
        + "".join(
            f'<span class="mm-key"><span class="mm-swatch" style="background:{escape(colour)}">'
            f"</span>{escape(label)}</span>"
            for _, label, colour in parts
        )
        + "</div>"
    )


def _given(value: object) -> float:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0.0
    return number if math.isfinite(number) and number > 0 else 0.0


def stacked_bar(row: dict, parts: Sequence[tuple[str, str, str]] = RELEASE_PARTS,
                *, key: bool = True) -> str:  # fmt: skip
    """Return an escaped HTML bar of ``row``'s parts, widths in proportion ('' when all are 0).

    Examples
    --------
    >>> html = stacked_bar({"cancelled_km2": 1.0, "reduced_km2": 0.0, "cleared_km2": 1.0,
    ...                     "remaining_km2": 2.0}, key=False)
    >>> html.count("mm-seg"), "width:25.0%" in html, "width:50.0%" in html
    (3, True, True)
    """
    values = [(label, colour, _given(row.get(column))) for column, label, colour in parts]
    total = sum(v for _, _, v in values)
    if total <= 0:
        return ""
    segments = "".join(
        f'<span class="mm-seg" style="width:{100 * v / total:.1f}%;background:{escape(colour)}" '
        f'title="{escape(label)}: {escape(km2_text(v))}"></span>'
        for label, colour, v in values
        if v > 0
    )
    bar = f'<div class="mm-stack" role="img" aria-label="{escape(_said(values))}">{segments}</div>'
    if not key:
        return bar
    items = "".join(
        f'<span class="mm-key"><span class="mm-swatch" style="background:{escape(colour)}">'
        f"</span>{escape(label)} {escape(km2_text(v))}</span>"
        for label, colour, v in values
        if v > 0
    )
    return f'{bar}<div class="mm-stack-key">{items}</div>'


def _said(values: list[tuple[str, str, float]]) -> str:
    return "; ".join(f"{label}: {km2_text(v)}" for label, _, v in values if v > 0)
