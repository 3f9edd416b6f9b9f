"""``minemap build``: default layers -> maps, summaries, rejects and an index page.

read -> validate -> resolve to units -> measure and aggregate -> render -> write.
Each step is a function from data to data; this module only composes them.
"""

from __future__ import annotations

import csv
import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

import pandas as pd

import layers
from geo import BOUNDARY_VERSION, GEONAMES_ATTRIBUTION
from geo.errors import REJECT_COLUMNS
from layers import Prepared, summary
from layers.limits import ReadLimits
from maps import embed, tables, views
from maps.base import check_tiles
from maps.output import GENERATOR, OutputFolder
from maps.png import PngExportError, PngOptions, export_pngs
from maps.safehtml import escape
from maps.safetext import csv_text, terminal_text, unique_slugs

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
    (kind, by) for kind in ("contamination", "clearance", "incidents") for by in ("admin0", "admin1", "district")
] + [("stockpiles", "admin0")]

_SUMMARY_FUNCS = {
    "contamination": summary.contamination,
    "clearance": summary.clearance,
    "incidents": summary.incidents,
}


@dataclass
class BuildResult:
    """What a build wrote, and the rows it could not use.

    Files are written to a staging folder and appear in ``out`` together when
    the build is done (:class:`maps.output.OutputFolder`); ``files`` lists
    their final paths.
    """

    out: Path
    files: list[Path] = field(default_factory=list)
    rejects: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=REJECT_COLUMNS))
    folder: OutputFolder | None = field(default=None, repr=False)

    def write(self, name: str, text: str) -> None:
        """Write one output file (UTF-8, LF line ends) and record it."""
        self.files.append(self.folder.write(name, text))

    def write_csv(self, name: str, frame: pd.DataFrame) -> None:
        """Write a table as CSV, no cell of it a spreadsheet formula (:func:`maps.safetext.csv_text`)."""
        self.write(name, csv_text(frame))

    def write_summary(self, stem: str, item: summary.Summary) -> str:
        """Write a summary as CSV, Markdown and HTML; return the HTML for the index."""
        html = tables.to_html(item)
        self.write(f"summaries/{stem}.csv", tables.to_csv(item))
        self.write(f"summaries/{stem}.md", tables.to_markdown(item))
        self.write(f"summaries/{stem}.html", html)
        return html


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


def _index_page(
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
        f'<li><a href="{escape(file)}">{escape(map_title)}</a> ({escape(count)} {escape(kind)} records)</li>'
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
body {{ font: 14px/1.45 "DejaVu Sans", Arial, sans-serif; margin: 24px auto; max-width: 1100px; color: #222; }}
table {{ border-collapse: collapse; margin: 8px 0 4px 0; font-size: 12px; }}
th, td {{ border: 1px solid #ccc; padding: 3px 6px; text-align: left; vertical-align: top; }}
th {{ background: #f0f0f0; }}
section.mm-summary {{ overflow-x: auto; }}
section.mm-summary td {{ max-width: 360px; overflow-wrap: break-word; }}
h2 {{ font-size: 16px; margin-top: 28px; }}
</style></head><body>
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


@contextmanager
def _building(out: str | Path) -> Iterator[BuildResult]:
    """Yield a BuildResult whose files reach ``out`` together, only if the block ends well."""
    folder = OutputFolder(out)
    result = BuildResult(out=Path(out), folder=folder)
    try:
        yield result
    except BaseException:
        folder.abort()
        raise
    folder.commit()


def build(
    out: str | Path = "out",
    *,
    assets_mode: str = "inline",
    tiles: str | None = None,
    progress: Callable[[str], None] | None = None,
    png: PngOptions | None = None,
) -> BuildResult:
    """Write the maps, summaries, rejects and index of the default layers to ``out``.

    Parameters
    ----------
    out : str or pathlib.Path
        Output folder: new, empty, or written by minemap before; replaced
        whole when the build succeeds, left as it was when it fails.
    assets_mode : {"inline", "cdn"}
        How maps load Leaflet: inlined (offline) or from public CDNs.
    tiles : str, optional
        Tile provider for use online (an xyzservices name); none by default.
    progress : callable, optional
        Called with a line of text as each step starts.
    png : maps.png.PngOptions, optional
        Also write ``<stem>.png`` beside each map (headless Chromium), listed in ``build.json``.
    """
    say = progress or (lambda _msg: None)
    _check_png(png, assets_mode, tiles)
    check_tiles(tiles)
    start = time.perf_counter()
    with _building(out) as result:
        write = result.write
        say("reading, validating and locating the default layers")
        prepared = load_default()
        for stem, (kind, draw, title) in MAPS.items():
            say(f"drawing {stem}.html ({time.perf_counter() - start:.1f} s)")
            page = views.render(draw(prepared[kind].records, tiles=tiles), assets_mode=assets_mode)
            write(f"{stem}.html", page)
            write(f"{stem}.embed.html", embed.snippet(page, title=title))
        pngs = _write_pngs(result, list(MAPS), png, say)
        say("writing summaries")
        tables_html = []
        for (kind, by), item in summaries(prepared).items():
            stem = f"{kind}_by_{by}"
            tables_html.append(result.write_summary(stem, item))
        parts = [p.rejects for p in prepared.values() if not p.rejects.empty]
        result.rejects = pd.concat(parts, ignore_index=True) if parts else result.rejects
        result.write_csv("rejects.csv", result.rejects)
        page = _index_page(
            title="Landmine and ERW figures: maps and area summaries",
            maps=[
                (f"{stem}.html", title, len(prepared[kind].records), kind)
                for stem, (kind, _f, title) in MAPS.items()
            ],
            tables_html=tables_html,
            n_rejects=len(result.rejects),
            sources=_sources(),
            boundary_note=BOUNDARY_VERSION["admin1"],
        )
        write("index.html", page)
        manifest = {
            "generator": GENERATOR,
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
            "embeds": [f"{stem}.embed.html" for stem in MAPS],
            "assets": assets_mode,
        }
        if png:
            manifest["pngs"] = pngs
            manifest["png"] = {"css_px": [png.width, png.height], "scale": png.scale,
                               "size_px": list(png.pixel_size)}  # fmt: skip
        write("build.json", json.dumps(manifest, indent=1) + "\n")
    say(
        f"done: {len(result.files)} files in {terminal_text(out)} ({time.perf_counter() - start:.1f} s)"
    )
    return result


def _check_png(png: PngOptions | None, assets_mode: str, tiles: str | None) -> None:
    """Refuse, before building, a PNG export of maps that would need the network."""
    if png and (assets_mode != "inline" or tiles):
        raise PngExportError(
            f"PNG export draws the maps offline, got assets {assets_mode!r} and tiles {tiles!r}; "
            "expected inline assets and no tiles: drop --tiles and --assets cdn, or --png"
        )


def _write_pngs(
    result: BuildResult, stems: list[str], png: PngOptions | None, say: Callable[[str], None]
) -> list[str]:
    """Export each written map ``<stem>.html`` as ``<stem>.png`` with one browser."""
    if png is None:
        return []
    start = time.perf_counter()
    (w, h), (w_mm, h_mm) = png.pixel_size, png.print_size_mm()
    say(f"exporting {len(stems)} PNG(s) of {w}x{h} px ({w_mm}x{h_mm} mm at 300 dpi)")
    folder = result.folder
    pairs = [(folder.path(f"{stem}.html"), folder.path(f"{stem}.png")) for stem in stems]
    written = export_pngs(pairs, png)
    result.files.extend(folder.target / path.name for path in written)
    say(f"exported {len(written)} PNG(s) in {time.perf_counter() - start:.1f} s")
    return [path.name for path in written]


def _draw(kind: str, records: pd.DataFrame, *, title: str | None, bset, tiles: str | None):
    """Draw a project layer by kind; None with a reason when it cannot be drawn."""
    if records.empty:
        return None, "no record was accepted"
    if kind == "contamination":
        return views.contamination_map(
            records,
            tiles=tiles,
            boundary_set=bset,
            title=title or "Reported contamination by region",
        ), ""
    if kind == "incidents":
        return views.incidents_map(records, tiles=tiles), ""
    if kind == "stockpiles":
        return views.stockpiles_map(records, tiles=tiles), ""
    if kind == "clearance" and records["unit_level"].eq("grouping").any():
        return views.clearance_map(records, tiles=tiles), ""
    return None, "clearance maps draw figures for a grouping (e.g. military districts); none given"


def build_project(
    project_path: str | Path,
    out: str | Path = "out",
    *,
    assets_mode: str = "inline",
    tiles: str | None = None,
    progress: Callable[[str], None] | None = None,
    png: PngOptions | None = None,
    limits: ReadLimits | None = None,
) -> BuildResult:
    """Build the maps and summaries a project file names.

    Reads every layer with its column mapping, resolves it against its boundary
    set (embedded or the user's, validated) and aliases, draws the maps, and
    writes summaries, ``rejects.csv`` (every rejected row),
    ``fuzzy_matches.csv`` (names matched by fuzzy matching, to confirm), an
    ``<stem>.embed.html`` snippet beside each map, ``build.json``, and one
    ``boundaries_<stem>.txt`` validation report per user boundary set; with
    ``png`` (:class:`maps.png.PngOptions`), a ``<stem>.png`` beside each map.
    File stems are slugs of the layer and boundary names
    (:func:`maps.safetext.unique_slugs`); ``build.json`` lists which name
    each stem stands for. ``out`` is replaced whole, as by :func:`build`.
    ``limits`` (:class:`layers.limits.ReadLimits`) bound reading each layer
    file, over the project's own ``[limits]``.
    """
    _check_png(png, assets_mode, tiles)
    check_tiles(tiles)
    from geo.names import load_alias_files
    from layers.project import load_project

    say = progress or (lambda _msg: None)
    project = load_project(project_path)
    stems = dict(zip([s.name for s in project.layers],
                     unique_slugs(s.name for s in project.layers), strict=True))  # fmt: skip
    bstems = dict(zip(project.boundaries, unique_slugs(project.boundaries), strict=True))
    with _building(out) as result:
        write = result.write
        sets = {}
        for name, spec in project.boundaries.items():
            say(f"loading and validating boundaries {terminal_text(name)!r}")
            bset, report = spec.load()
            sets[name] = bset
            write(
                f"boundaries_{bstems[name]}.txt",
                f"{bset.source}\n" + "".join(f"{line}\n" for line in report.lines()),
            )
        aliases = load_alias_files(project.alias_files)
        prepared: dict[str, Prepared] = {}
        notes: list[str] = []
        for spec in project.layers:
            shown = terminal_text(spec.name)
            say(f"reading {terminal_text(spec.path.name)} as {spec.kind} layer {shown!r}")
            options = {**spec.read_options, **({"limits": limits} if limits else {})}
            layer = layers.read(spec.path, spec.kind, mapping=spec.mapping, **options)
            p = layers.prepare(layer, boundary_set=sets.get(spec.boundaries), aliases=aliases)
            prepared[spec.name] = p
            notes += [f"Layer {spec.name!r}: {note}" for note in layer.notes]
            for note in layer.notes:
                say(f"{shown}: {note}")
            say(f"{shown}: {p.rows_read} rows read, {len(p.records)} accepted, "
                f"{p.rejects['row'].nunique()} rejected")  # fmt: skip
        drawn = []
        for spec in project.maps:
            layer_spec = project.layer(spec.layer)
            p, stem = prepared[spec.layer], stems[spec.layer]
            say(f"drawing {stem}.html")
            fmap, why = _draw(
                layer_spec.kind, p.records, title=spec.title, bset=p.boundary_set, tiles=tiles
            )
            if fmap is None:
                notes.append(f"Map of layer {spec.layer!r} not drawn: {why}.")
                say(terminal_text(notes[-1]))
                continue
            page = views.render(fmap, assets_mode=assets_mode)
            write(f"{stem}.html", page)
            write(f"{stem}.embed.html", embed.snippet(page, title=spec.title or spec.layer))
            drawn.append(
                (f"{stem}.html", spec.title or spec.layer, len(p.records), layer_spec.kind)
            )
        pngs = _write_pngs(result, [Path(file).stem for file, *_ in drawn], png, say)
        tables_html = []
        for name, p in prepared.items():
            if p.records.empty:
                continue
            kind = project.layer(name).kind
            levels = ["admin0"] if kind == "stockpiles" else ["admin1", "admin0"]
            for by in levels:
                item = (
                    summary.stockpiles(p.records)
                    if kind == "stockpiles"
                    else _SUMMARY_FUNCS[kind](p.records, by)
                )
                tables_html.append(result.write_summary(f"{stems[name]}_by_{by}", item))
        parts = [p.rejects for p in prepared.values() if not p.rejects.empty]
        result.rejects = pd.concat(parts, ignore_index=True) if parts else result.rejects
        result.write_csv("rejects.csv", result.rejects)
        result.write_csv(
            "fuzzy_matches.csv", pd.DataFrame([m for p in prepared.values() for m in p.fuzzy])
        )
        page = _index_page(
            title=project.title,
            maps=drawn,
            tables_html=tables_html,
            n_rejects=int(sum(p.rejects["row"].nunique() for p in prepared.values())),
            sources=[
                {"source_file": s.path.name, "title": f"{s.kind} layer {s.name!r}"}
                for s in project.layers
            ],
            boundary_note="; ".join(
                [b.source for b in sets.values()] or [BOUNDARY_VERSION["admin1"]]
            ),
            notes=notes,
        )
        write("index.html", page)
        manifest = {
            "generator": GENERATOR,
            "project": project.path.name,
            "boundaries": {
                **{bstems[n]: {"name": n, "source": b.source} for n, b in sets.items()},
                **({} if sets else BOUNDARY_VERSION),
            },
            "layers": {
                stems[name]: {
                    "name": name,
                    "kind": project.layer(name).kind,
                    "rows_read": p.rows_read,
                    "accepted": len(p.records),
                    "rejected": int(p.rejects["row"].nunique()),
                }
                for name, p in prepared.items()
            },
            "maps": [file for file, *_ in drawn],
            "embeds": [file.replace(".html", ".embed.html") for file, *_ in drawn],
            "assets": assets_mode,
        }
        if png:
            manifest["pngs"] = pngs
        write("build.json", json.dumps(manifest, indent=1, ensure_ascii=False) + "\n")
    say(f"done: {len(result.files)} files in {terminal_text(out)}")
    return result
