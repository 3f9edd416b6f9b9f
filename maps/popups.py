"""Popup pieces shared by the maps: the source rows of a record, area and share text."""

from __future__ import annotations

from maps.labels import period_label
from maps.safehtml import fmt_number

__all__ = ["km2_text", "percent_text", "source_rows"]


def source_rows(rec: dict) -> list[tuple[str, object]]:
    """Rows of a detail table that say where a record's figure comes from."""
    return [
        ("As of", rec.get("as_of") if isinstance(rec.get("as_of"), str) else period_label(rec)),
        ("Source", rec.get("source")),
        ("Source document", rec.get("source_file")),
        ("Quote", f"“{rec['source_quote']}”" if rec.get("source_quote") else ""),
        ("Note", rec.get("note")),
    ]


def km2_text(value: object) -> str:
    """Format an area for display: '14.7 km²', or '' when missing."""
    text = fmt_number(value)
    return f"{text} km²" if text else ""


def percent_text(share: object) -> str:
    """Format a share (0-1) as a percentage with two significant digits."""
    if share is None or share != share:
        return ""
    return f"{float(share) * 100:.2g} %"
