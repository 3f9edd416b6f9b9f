"""Write summary tables as plain text, CSV, JSON, Markdown or HTML.

Every text is made safe for its format: HTML escaped, Markdown syntax and HTML
escaped in Markdown, no CSV cell a spreadsheet formula, no control character
in plain text (:mod:`maps.safehtml`, :mod:`maps.safetext`). Numbers are
rounded for display only in text, Markdown and HTML (CSV and JSON keep full
precision).
"""

from __future__ import annotations

import json
import math

import pandas as pd

from layers.summary import Summary
from maps.labels import cell_text, column_label, columns_worded
from maps.safehtml import escape, fmt_number
from maps.safetext import csv_text, markdown_text, terminal_text
from maps.stacked import RELEASE_PARTS, stack_key, stacked_bar

__all__ = ["FORMATS", "to_csv", "to_html", "to_json", "to_markdown", "to_text", "write"]

#: Output formats of ``minemap summary``.
FORMATS = ("table", "csv", "json", "md")


def _display(value: object) -> str:
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return fmt_number(value, digits=2)
    if value is None or value is pd.NA:
        return ""
    return str(value)


def to_text(summary: Summary) -> str:
    """Aligned plain-text table with title and notes."""
    frame = summary.table.map(_display) if not summary.table.empty else summary.table
    body = frame.to_string(index=False) if not frame.empty else "(no rows)"
    notes = "".join(f"\n- {n}" for n in summary.notes)
    return terminal_text(f"{summary.title}\n\n{body}\n{notes}\n")


def to_csv(summary: Summary) -> str:
    """CSV with a header row (notes are not part of the CSV)."""
    return csv_text(summary.table)


def to_json(summary: Summary) -> str:
    """JSON object with title, notes and rows."""
    rows = json.loads(summary.table.to_json(orient="records", date_format="iso"))
    return (
        json.dumps(
            {"title": summary.title, "notes": summary.notes, "rows": rows},
            ensure_ascii=False,
            indent=1,
        )
        + "\n"
    )


def _md_cell(column: str, value: object) -> str:
    return markdown_text(cell_text(column, _display(value)))


def to_markdown(summary: Summary) -> str:
    """GitHub-flavoured Markdown table with title and notes."""
    cols = list(summary.table.columns)
    lines = [f"## {markdown_text(summary.title)}", ""]
    if cols:
        lines.append("| " + " | ".join(markdown_text(column_label(c)) for c in cols) + " |")
        lines.append("|" + "---|" * len(cols))
        for row in summary.table.itertuples(index=False):
            cells = (_md_cell(c, v) for c, v in zip(cols, row, strict=True))
            lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    lines.extend(f"- {markdown_text(columns_worded(n, cols))}" for n in summary.notes)
    return "\n".join(lines) + "\n"


#: In HTML, a ``records`` cell listing more ids than this shows the first ones and a count.
HTML_IDS_SHOWN = 10


def _html_cell(column: str, value: object) -> str:
    """Format a cell for HTML, cutting long lists of record ids (the CSV has them all).

    Examples
    --------
    >>> _html_cell("records", ";".join(f"R{i}" for i in range(25)))
    'R0;R1;R2;R3;R4;R5;R6;R7;R8;R9 … (25 in all: see the CSV)'
    >>> _html_cell("place", "a;b;c;d;e;f;g;h;i;j;k;l")
    'a;b;c;d;e;f;g;h;i;j;k;l'
    """
    text = cell_text(column, _display(value))
    ids = text.split(";")
    if column == "records" and len(ids) > HTML_IDS_SHOWN:
        text = ";".join(ids[:HTML_IDS_SHOWN]) + f" … ({len(ids)} in all: see the CSV)"
    return text


def to_html(summary: Summary) -> str:
    """Render an escaped HTML fragment: heading, table, notes."""
    columns = list(summary.table.columns)
    parts = [p for p in RELEASE_PARTS if p[0] in summary.stack]
    at = min(3, len(columns)) if parts else -1  # parts of a whole: a bar per row, near the name
    heads = [f'<th title="{escape(c)}">{escape(column_label(c))}</th>' for c in columns]

    def cells(row: tuple) -> str:
        out = [f"<td>{escape(_html_cell(c, v))}</td>" for c, v in zip(columns, row, strict=True)]
        if parts:
            bar = stacked_bar(dict(zip(columns, row, strict=True)), parts, key=False)
            out.insert(at, f'<td class="mm-bar">{bar}</td>')
        return "".join(out)

    if parts:
        heads.insert(at, "<th>Land release</th>")
    head = "".join(heads)
    rows = "".join(f"<tr>{cells(row)}</tr>" for row in summary.table.itertuples(index=False))
    notes = "".join(f"<li>{escape(columns_worded(n, columns))}</li>" for n in summary.notes)
    key = stack_key(parts) if parts else ""
    return (
        f'<section class="mm-summary"><h2>{escape(summary.title)}</h2>{key}'
        f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
        f"<ul>{notes}</ul></section>"
    )


def write(summary: Summary, fmt: str) -> str:
    """Render a summary in one of :data:`FORMATS`."""
    writers = {"table": to_text, "csv": to_csv, "json": to_json, "md": to_markdown}
    try:
        return writers[fmt](summary)
    except KeyError:
        raise ValueError(f"format must be one of {FORMATS}, got {fmt!r}") from None
