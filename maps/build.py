"""``minemap build``: a project's layers -> maps, summaries, rejects and an index page.

One pipeline for every project, the embedded default data included (it is the
built-in project :data:`DEFAULT_PROJECT`): read -> validate -> resolve to
units -> measure or locate -> summarise -> draw -> write. Each step is a
function from data to data; this module only composes them. Every build
writes the same set of outputs: one map and embed snippet per drawn layer,
summaries, ``rejects.csv``, ``records.csv``, ``fuzzy_matches.csv``, ``build.json`` and
``index.html`` (and a validation report per user boundary set).
"""

from __future__ import annotations

import csv
import dataclasses
import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

import layers
from geo import BOUNDARY_VERSION
from geo.errors import REJECT_COLUMNS
from layers import kinds
from layers.limits import ReadLimits
from layers.pipeline import (
    DEFAULT_PROJECT,
    PreparedProject,
    load_default,
    prepare_project,
    summaries,
)
from layers.prepare import NAME_MATCH_COLUMNS, RECORD_COLUMNS, name_matches, record_listing
from layers.project import Project, load_project
from layers.rejects_spool import rows_rejected, write_rejects_csv
from maps import embed, tables, views
from maps.base import check_tiles
from maps.index_page import index_page
from maps.output import GENERATOR, OutputFolder
from maps.png import PngExportError, PngOptions, export_pngs
from maps.registry import NothingToDraw, draw
from maps.safetext import csv_text, terminal_text, unique_slugs, write_csv_file

__all__ = [
    "DEFAULT_PROJECT",
    "BuildResult",
    "PreparedProject",
    "build",
    "build_project",
    "load_default",
    "prepare_project",
    "summaries",
]


#: Rows of a summary shown on the index page; past them, the page links the whole table.
INDEX_ROWS = 1000


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
    rejected: int = 0
    problems: int = 0
    folder: OutputFolder | None = field(default=None, repr=False)

    def write(self, name: str, text: str) -> None:
        """Write one output file (UTF-8, LF line ends) and record it."""
        self.files.append(self.folder.write(name, text))

    def write_csv(self, name: str, frame: pd.DataFrame) -> None:
        """Write a table as CSV, no cell a spreadsheet formula (:func:`maps.safetext.csv_text`)."""
        self.write(name, csv_text(frame))

    def write_large_csv(self, name: str, frame: pd.DataFrame) -> None:
        """Write a table of many rows as CSV, streamed (:func:`maps.safetext.write_csv_file`)."""
        self.files.append(self.folder.write_with(name, lambda path: write_csv_file(frame, path)))

    def write_summary(self, stem: str, item: layers.summary.Summary) -> str:
        """Write a summary as CSV, Markdown and HTML; return the HTML for the index.

        The index shows a table of more than :data:`INDEX_ROWS` rows by its
        first rows, and says where the whole table is.
        """
        html = tables.to_html(item)
        self.write(f"summaries/{stem}.csv", tables.to_csv(item))
        self.write(f"summaries/{stem}.md", tables.to_markdown(item))
        self.write(f"summaries/{stem}.html", html)
        if len(item.table) <= INDEX_ROWS:
            return html
        said = (f"The first {INDEX_ROWS:,} of {len(item.table):,} rows; the whole table is "
                f"summaries/{stem}.csv (and .html, .md).")  # fmt: skip
        return tables.to_html(dataclasses.replace(item, table=item.table.head(INDEX_ROWS),
                                                  notes=[said, *item.notes]))  # fmt: skip


def _sources(project: Project) -> list[dict[str, str]]:
    """Return the sources table of the index page: the project's own, else its layer files."""
    if project.sources is not None:
        with project.sources.open(encoding="utf-8-sig", newline="") as f:
            return list(csv.DictReader(f))
    return [
        {"source_file": s.path.name, "title": f"{s.kind} layer {s.name!r}"} for s in project.layers
    ]


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
    project: str | Path | None = None,
    assets_mode: str = "inline",
    tiles: str | None = None,
    progress: Callable[[str], None] | None = None,
    png: PngOptions | None = None,
    limits: ReadLimits | None = None,
    engine: str | None = None,
    scheduler: str | None = None,
) -> BuildResult:
    """Build the maps, summaries, rejects and index of a project (the built-in one by default).

    Parameters
    ----------
    out : str or pathlib.Path
        Output folder: new, empty, or written by minemap before; replaced
        whole when the build succeeds, left as it was when it fails.
    project : str or pathlib.Path, optional
        A project file; :data:`DEFAULT_PROJECT` (the embedded default data) when omitted.
    assets_mode : {"inline", "cdn"}
        How maps load Leaflet: inlined (offline) or from public CDNs.
    tiles : str, optional
        Tile provider for use online (an xyzservices name); none by default.
    progress : callable, optional
        Called with a line of text as each step starts.
    png : maps.png.PngOptions, optional
        Also write ``<stem>.png`` beside each map (headless Chromium), listed in ``build.json``.
    limits : layers.limits.ReadLimits, optional
        Bounds on reading each layer file, over the project's own ``[limits]``.
    engine, scheduler : str, optional
        ``"local"`` or ``"dask"``, and a Dask scheduler's address, over the
        project's ``[engine]`` (:mod:`layers.engine`).

    File stems are slugs of the layer and boundary names
    (:func:`maps.safetext.unique_slugs`); ``build.json`` says which name each
    stem stands for.
    """
    say = progress or (lambda _msg: None)
    _check_png(png, assets_mode, tiles)
    check_tiles(tiles)
    start = time.perf_counter()
    spec = load_project(project if project is not None else DEFAULT_PROJECT)
    stems = dict(zip([s.name for s in spec.layers],
                     unique_slugs(s.name for s in spec.layers), strict=True))  # fmt: skip
    bstems = dict(zip(spec.boundaries, unique_slugs(spec.boundaries), strict=True))
    with _building(out) as result:
        used = _engine(spec.engine, engine, scheduler)
        done = prepare_project(spec, limits=limits, say=say, engine=used)
        for name, lines in done.reports.items():
            source = done.boundary_sets[name].source
            result.write(
                f"boundaries_{bstems[name]}.txt", "".join(f"{x}\n" for x in [source, *lines])
            )
        drawn, notes = [], list(done.notes)
        for map_spec in spec.maps:
            layer_spec, p = spec.layer(map_spec.layer), done.layers[map_spec.layer]
            kind, stem = kinds.get(layer_spec.kind), stems[map_spec.layer]
            title = map_spec.title or kind.map_title or map_spec.layer
            if not map_spec.title and spec.title_given:  # the project's title, then the map's
                title = f"{spec.title}: {title}"
            say(f"drawing {stem}.html ({time.perf_counter() - start:.1f} s)")
            try:
                credits = tuple(c for c in (
                    p.preset.credit if p.preset else "",
                    f"Boundaries: {p.boundary_set.source}" if p.boundary_set else "",
                ) if c)  # fmt: skip
                fmap = draw(kind.view, p.records, title=title, boundary_set=p.boundary_set,
                            tiles=tiles, credits=credits)  # fmt: skip
            except NothingToDraw as why:
                notes.append(f"Map of layer {map_spec.layer!r} not drawn: {why}.")
                say(terminal_text(notes[-1]))
                continue
            page = views.render(fmap, assets_mode=assets_mode)
            result.write(f"{stem}.html", page)
            result.write(f"{stem}.embed.html", embed.snippet(page, title=title))
            drawn.append((f"{stem}.html", title, len(p.records), layer_spec.kind))
        pngs = _write_pngs(result, [Path(file).stem for file, *_ in drawn], png, say)
        say("writing summaries")
        tables_html = [
            result.write_summary(f"{stems[name]}_by_{by}", item)
            for (name, by), item in summaries(done).items()
        ]
        parts = [p.rejects for p in done.layers.values() if not p.rejects.empty]
        result.rejects = pd.concat(parts, ignore_index=True) if parts else result.rejects
        spools = [p.spool for p in done.layers.values() if p.spool is not None]
        # A row two layers both reject (the same file) counts once, as check counts it.
        result.rejected = rows_rejected(result.rejects) + sum(s.rows for s in spools)
        result.problems = len(result.rejects) + sum(s.problems for s in spools)
        result.files.append(result.folder.write_with(
            "rejects.csv", lambda path: write_rejects_csv(path, result.rejects, spools)
        ))  # fmt: skip
        listings = [record_listing(name, p) for name, p in done.layers.items()]
        result.write_large_csv(
            "records.csv",
            pd.concat(listings, ignore_index=True) if listings
            else pd.DataFrame(columns=RECORD_COLUMNS),
        )  # fmt: skip
        fuzzy = [m for p in done.layers.values() for m in p.fuzzy]
        result.write_csv("fuzzy_matches.csv", pd.DataFrame(fuzzy, columns=_FUZZY_COLUMNS))
        matched = [name_matches(name, p) for name, p in done.layers.items()]
        result.write_csv("name_matches.csv", pd.concat(matched, ignore_index=True) if matched
                         else pd.DataFrame(columns=NAME_MATCH_COLUMNS))  # fmt: skip
        sets = done.boundary_sets
        page = index_page(
            title=spec.title,
            maps=drawn,
            tables_html=tables_html,
            n_rejects=result.rejected,
            sources=_sources(spec),
            boundary_note="; ".join([b.source for b in sets.values()]
                                    or [BOUNDARY_VERSION["admin1"]]),
            notes=notes,
        )  # fmt: skip
        result.write("index.html", page)
        manifest = _manifest(spec, done, stems, bstems, drawn, assets_mode)
        manifest["engine"] = {"kind": used.kind, **({"scheduler": used.scheduler}
                                                    if used.scheduler else {})}  # fmt: skip
        if png:
            manifest["pngs"] = pngs
            manifest["png"] = {"css_px": [png.width, png.height], "scale": png.scale,
                               "size_px": list(png.pixel_size)}  # fmt: skip
        result.write("build.json", json.dumps(manifest, indent=1, ensure_ascii=False) + "\n")
    elapsed = time.perf_counter() - start
    say(f"done: {len(result.files)} files in {terminal_text(out)} ({elapsed:.1f} s)")
    return result


#: Columns of ``fuzzy_matches.csv`` (see :func:`layers.join.resolve_units`).
_FUZZY_COLUMNS = ["file", "row", "record_id", "field", "written", "code", "score", "candidates"]


def _manifest(spec, done, stems, bstems, drawn, assets_mode) -> dict:
    """Return ``build.json``: what was read, with which boundaries, and what was written."""
    builtin = {lv: {"name": lv, "source": src} for lv, src in BOUNDARY_VERSION.items()}
    users = {bstems[n]: {"name": n, "source": b.source} for n, b in done.boundary_sets.items()}
    return {
        "generator": GENERATOR,
        "project": "built-in" if spec.path == Path(str(DEFAULT_PROJECT)) else spec.path.name,
        "boundaries": {**builtin, **users},
        "summary_levels": list(spec.summary_levels),
        "layers": {
            stems[name]: {
                "name": name,
                "kind": spec.layer(name).kind,
                "rows_read": p.rows_read,
                "accepted": p.n_accepted,
                "rejected": p.rejected,
                **_overlay_time(p),
            }
            for name, p in done.layers.items()
        },
        "maps": [file for file, *_ in drawn],
        "embeds": [file.replace(".html", ".embed.html") for file, *_ in drawn],
        "assets": assets_mode,
    }


def _engine(spec, kind: str | None, scheduler: str | None):
    """Return the project's engine with the command line's choices over it."""
    import dataclasses

    if scheduler and (kind or spec.kind) != "dask":
        from layers.engine import EngineError

        raise EngineError("--scheduler names a Dask scheduler, but the engine is local. "
                          "Fix: add --engine dask")  # fmt: skip
    changes = {k: v for k, v in (("kind", kind), ("scheduler", scheduler)) if v}
    return dataclasses.replace(spec, **changes)


def _overlay_time(p) -> dict:
    """How long a hazards layer's overlay with its units took, and of how many polygons."""
    info = p.records.attrs.get("overlay") if hasattr(p.records, "attrs") else None
    if not info or "seconds" not in info:
        return {}
    return {"overlay": {"polygons": info["polygons"], "units": info["units"],
                        "seconds": round(info["seconds"], 3)}}  # fmt: skip


def build_project(project_path: str | Path, out: str | Path = "out", **options) -> BuildResult:
    """Build the project file ``project_path`` into ``out``: :func:`build` with ``project=``."""
    return build(out, project=project_path, **options)


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
