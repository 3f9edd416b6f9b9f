"""The index page of a build: its maps, summary tables, rejects, sources and credits."""

from __future__ import annotations

from geo import GEONAMES_ATTRIBUTION
from maps.safehtml import escape
from maps.stacked import STACK_CSS

__all__ = ["index_page"]


def index_page(
    *,
    title: str,
    maps: list[tuple[str, str, int, str]],
    tables_html: list[str],
    n_rejects: int,
    sources: list[dict[str, str]],
    boundary_note: str,
    notes: list[str] = (),
) -> str:
    """Write the index page: map links ``(file, title, records, kind)``, summaries, sources."""
    links = "".join(
        f'<li><a href="{escape(file)}">{escape(map_title)}</a> '
        f"({escape(count)} {escape(kind)} records)</li>"
        for file, map_title, count, kind in maps
    )
    rows = "".join(
        f"<tr><td>{escape(s.get('source_file', ''))}</td><td>{escape(s.get('title', ''))}</td>"
        f"<td>{escape(s.get('publisher', ''))}</td><td>{escape(s.get('published', ''))}</td></tr>"
        for s in sources
    )
    rejected = (
        f'<p>{n_rejects} input row(s) were rejected: see <a href="rejects.csv">rejects.csv</a>.</p>'
        if n_rejects
        else "<p>No input row was rejected.</p>"
    )
    extra = "".join(f"<p>{escape(n)}</p>" for n in notes)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<style>
body {{ font: 14px/1.45 "DejaVu Sans", Arial, sans-serif; margin: 24px auto; max-width: 1100px; \
color: #222; }}
table {{ border-collapse: collapse; margin: 8px 0 4px 0; font-size: 12px; }}
th, td {{ border: 1px solid #ccc; padding: 3px 6px; text-align: left; vertical-align: top; }}
th {{ background: #f0f0f0; }}
section.mm-summary {{ overflow-x: auto; }}
section.mm-summary td {{ max-width: 360px; overflow-wrap: break-word; }}
h2 {{ font-size: 16px; margin-top: 28px; }}
{STACK_CSS}</style></head><body>
<h1>{escape(title)}</h1>
<p>Each figure comes from a named source; popups and tables give the source of every value.
Areas are geodesic (WGS84) on {escape(boundary_note)}.</p>
<h2>Maps</h2><ul>{links}</ul>
{rejected}{extra}
<h2>Summaries</h2>
<p>Each table is also written as CSV and Markdown in <code>summaries/</code>.</p>
{"".join(tables_html)}
<h2>Sources</h2>
<table><tr><th>file</th><th>title</th><th>publisher</th><th>published</th></tr>{rows}</table>
<h2>Credits</h2>
<p>Boundaries: Made with Natural Earth (public domain). {escape(GEONAMES_ATTRIBUTION)}.</p>
</body></html>
"""
