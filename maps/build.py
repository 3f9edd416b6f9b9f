"""``minemap build``: default layers -> maps, summaries, rejects and an index page.

read -> validate -> resolve to units -> measure and aggregate -> render -> write.
Each step is a function from data to data; this module only composes them.
"""

from __future__ import annotations

import csv
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

import pandas as pd

import layers
from geo import BOUNDARY_VERSION, GEONAMES_ATTRIBUTION, summary
from geo.errors import REJECT_COLUMNS
from layers import Prepared
from maps import tables, views
from maps.safehtml import escape

__all__ = ["MAPS", "SUMMARIES", "BuildResult", "build", "load_default", "summaries"]

#: The maps a build writes: file stem -> (layer kind, drawing function, title).
MAPS = {
    "clearance": ("clearance", views.clearance_map, "Planned clearance by military district"),
    "contamination": ("contamination", views.contamination_map, "Reported contamination by region"),
    "incidents": (
        "incidents",
        views.incidents_map,
        "Incidents and reported use of mines and cluster munitions",
    ),
    "stockpiles": (
        "stockpiles",
        views.stockpiles_map,
        "Declared stockpiles of Soviet/Russian cluster munitions",
    ),
}

#: The summaries a build writes: (layer kind, by).
SUMMARIES = [
    (kind, by) for kind in ("contamination", "clearance", "incidents") for by in summary.BY
] + [("stockpiles", "admin0")]

_SUMMARY_FUNCS = {
    "contamination": summary.contamination,
    "clearance": summary.clearance,
    "incidents": summary.incidents,
}


@dataclass
class BuildResult:
    """What a build wrote, and the rows it could not use."""

    out: Path
    files: list[Path] = field(default_factory=list)
    rejects: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=REJECT_COLUMNS))


def load_default() -> dict[str, Prepared]:
    """Read, validate and prepare every embedded default layer."""
    return {kind: layers.prepare(layers.default(kind)) for kind in layers.KINDS}


def summaries(prepared: dict[str, Prepared]) -> dict[tuple[str, str], summary.Summary]:
    """Every summary of :data:`SUMMARIES` for the prepared layers."""
    out = {}
    for kind, by in SUMMARIES:
        records = prepared[kind].records
        out[(kind, by)] = (
            summary.stockpiles(records)
            if kind == "stockpiles"
            else _SUMMARY_FUNCS[kind](records, by)
        )
    return out


def _sources() -> list[dict[str, str]]:
    with (files("layers") / "data" / "sources.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _index_page(prepared: dict[str, Prepared], tables_html: list[str], n_rejects: int) -> str:
    links = "".join(
        f'<li><a href="{escape(stem)}.html">{escape(title)}</a> '
        f"({escape(len(prepared[kind].records))} {escape(kind)} records)</li>"
        for stem, (kind, _f, title) in MAPS.items()
    )
    sources = "".join(
        f"<tr><td>{escape(s['source_file'])}</td><td>{escape(s['title'])}</td>"
        f"<td>{escape(s['publisher'])}</td><td>{escape(s['published'])}</td></tr>"
        for s in _sources()
    )
    rejected = (
        f'<p>{n_rejects} input row(s) were rejected: see <a href="rejects.csv">rejects.csv</a>.</p>'
        if n_rejects
        else "<p>No input row was rejected.</p>"
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>minemap: maps and area summaries</title>
<style>
body {{ font: 14px/1.45 "DejaVu Sans", Arial, sans-serif; margin: 24px auto; max-width: 1100px; color: #222; }}
table {{ border-collapse: collapse; margin: 8px 0 4px 0; font-size: 12px; }}
th, td {{ border: 1px solid #ccc; padding: 3px 6px; text-align: left; vertical-align: top; }}
th {{ background: #f0f0f0; }}
section.mm-summary {{ overflow-x: auto; }}
section.mm-summary td {{ max-width: 360px; overflow-wrap: break-word; }}
h2 {{ font-size: 16px; margin-top: 28px; }}
</style></head><body>
<h1>Landmine and ERW figures: maps and area summaries</h1>
<p>Each figure comes from a named report; popups and tables give the source of every value.
Areas are geodesic (WGS84) on {escape(BOUNDARY_VERSION["admin1"])}.</p>
<h2>Maps</h2><ul>{links}</ul>
{rejected}
<h2>Summaries</h2>
<p>Each table is also written as CSV and Markdown in <code>summaries/</code>.</p>
{"".join(tables_html)}
<h2>Sources</h2>
<table><tr><th>file</th><th>title</th><th>publisher</th><th>published</th></tr>{sources}</table>
<h2>Credits</h2>
<p>Boundaries: Made with Natural Earth (public domain). {escape(GEONAMES_ATTRIBUTION)}.</p>
</body></html>
"""


def build(
    out: str | Path = "out",
    *,
    assets_mode: str = "inline",
    tiles: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> BuildResult:
    """Write the maps, summaries, rejects and index of the default layers to ``out``.

    Parameters
    ----------
    out : str or pathlib.Path
        Output folder (created if needed).
    assets_mode : {"inline", "cdn"}
        How maps load Leaflet: inlined (offline) or from public CDNs.
    tiles : str, optional
        Tile provider for use online; none by default.
    progress : callable, optional
        Called with a line of text as each step starts.
    """
    say = progress or (lambda _msg: None)
    start = time.perf_counter()
    out = Path(out)
    (out / "summaries").mkdir(parents=True, exist_ok=True)
    result = BuildResult(out=out)

    def write(path: Path, text: str) -> None:
        path.write_text(text, encoding="utf-8", newline="\n")
        result.files.append(path)

    say("reading, validating and locating the default layers")
    prepared = load_default()
    for stem, (kind, draw, _title) in MAPS.items():
        say(f"drawing {stem}.html ({time.perf_counter() - start:.1f} s)")
        write(
            out / f"{stem}.html",
            views.render(draw(prepared[kind].records, tiles=tiles), assets_mode=assets_mode),
        )
    say("writing summaries")
    tables_html = []
    for (kind, by), item in summaries(prepared).items():
        stem = f"{kind}_by_{by}"
        write(out / "summaries" / f"{stem}.csv", tables.to_csv(item))
        write(out / "summaries" / f"{stem}.md", tables.to_markdown(item))
        write(out / "summaries" / f"{stem}.html", tables.to_html(item))
        tables_html.append(tables.to_html(item))
    parts = [p.rejects for p in prepared.values() if not p.rejects.empty]
    result.rejects = pd.concat(parts, ignore_index=True) if parts else result.rejects
    write(out / "rejects.csv", result.rejects.to_csv(index=False, lineterminator="\n"))
    write(out / "index.html", _index_page(prepared, tables_html, len(result.rejects)))
    manifest = {
        "boundaries": BOUNDARY_VERSION,
        "layers": {
            kind: {
                "rows_read": p.rows_read,
                "accepted": len(p.records),
                "rejected": int(p.rejects["row"].nunique()),
            }
            for kind, p in prepared.items()
        },
        "maps": [f"{stem}.html" for stem in MAPS],
        "assets": assets_mode,
    }
    write(out / "build.json", json.dumps(manifest, indent=1) + "\n")
    say(f"done: {len(result.files)} files in {out} ({time.perf_counter() - start:.1f} s)")
    return result
