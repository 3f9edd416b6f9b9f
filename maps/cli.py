"""The ``minemap`` command: build maps, print summaries.

Examples
--------
::

    minemap build --out out
    minemap summary clearance --by district --format csv
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from importlib.resources import files

from geo.errors import MinemapError, OptionError
from maps.safetext import terminal_text

# The rest of minemap is imported where a command needs it, so that `minemap --help`
# starts without geopandas, pandas or folium.

__all__ = ["LIMIT_NAMES", "SUMMARY_FORMATS", "main"]

#: The read limits ``--limit`` takes (the fields of :class:`layers.limits.ReadLimits`).
LIMIT_NAMES = (
    "max_file_bytes",
    "max_rows",
    "max_member_bytes",
    "max_total_uncompressed_bytes",
    "max_ratio",
)
#: The formats ``minemap summary`` writes (:data:`maps.tables.FORMATS`).
SUMMARY_FORMATS = ("table", "csv", "json", "md")


def _grouping_names() -> list[str]:
    """Ids and aliases of the embedded groupings, read from their data file alone."""
    text = (files("geo") / "data" / "groupings.json").read_text(encoding="utf-8")
    known = json.loads(text)
    return [*known, *(spec["alias"] for spec in known.values() if spec.get("alias"))]


_DESCRIPTION = """\
Turn reported landmine and ERW figures (contamination, clearance plans,
incidents, stockpiles) into region-level maps and area summaries, offline.
Areas are geodesic km² on Natural Earth 1:10m boundaries; every figure keeps
its source.
"""


def _progress(message: str) -> None:
    print(f"minemap: {terminal_text(message)}", file=sys.stderr, flush=True)


def _png_size(text: str) -> tuple[int, int]:
    from maps import png as png_mod

    try:
        return png_mod.parse_size(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def _limit_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--limit",
        action="append",
        default=[],
        metavar="NAME=N",
        help="raise (or lower) a limit on reading one file, e.g. --limit max_rows=10000000 "
        f"(repeatable; limits: {', '.join(LIMIT_NAMES)}; defaults in the "
        "README)",
    )


def _limits(items: Sequence[str]):
    """Read ``--limit NAME=N`` options into a ReadLimits; None when none is given."""
    from layers.limits import limits_from

    if not items:
        return None
    if bad := [item for item in items if "=" not in item]:
        raise OptionError(
            f"--limit {terminal_text(bad[0])!r}: expected NAME=N. "
            "Fix: e.g. --limit max_rows=10000000"
        )
    pairs = (item.partition("=") for item in items)
    try:
        return limits_from({name.strip(): value.strip() for name, _, value in pairs})
    except ValueError as err:
        raise OptionError(
            f"--limit: {terminal_text(err)}. Fix: give a positive number, e.g. "
            "--limit max_rows=10000000"
        ) from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="minemap",
        description=_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    b = sub.add_parser(
        "build",
        help="write maps, summaries and an index page (default layers, or a project file)",
        description="Write one self-contained HTML file per map, summary tables (CSV, Markdown, "
        "HTML), rejects.csv and index.html, for the embedded default layers or for the layers, "
        "boundaries and maps a project file names (see the README's 'Project file').",
    )
    b.add_argument(
        "project",
        nargs="?",
        default=None,
        metavar="PROJECT.toml",
        help="project file; the embedded default layers when omitted",
    )
    b.add_argument("--out", default="out", metavar="DIR", help="output folder (default: ./out)")
    b.add_argument(
        "--assets",
        choices=["inline", "cdn"],
        default="inline",
        help="inline: every script and style inside the HTML, works offline (default); "
        "cdn: load Leaflet from public CDNs (smaller files, needs a network)",
    )
    b.add_argument(
        "--tiles",
        default=None,
        metavar="PROVIDER",
        help="add an online tile layer by xyzservices name (e.g. 'OpenStreetMap Mapnik'); "
        "none by default, the maps draw their own country background",
    )
    b.add_argument(
        "--png",
        action="store_true",
        help="also write <map>.png beside each map, for print, with headless Chromium "
        "(pip install 'minemap[png]'; apt-get install chromium); default 3200x2000 px, "
        "270.9 x 169.3 mm at 300 dpi",
    )
    b.add_argument(
        "--png-size",
        type=_png_size,
        default=None,
        metavar="WxH",
        help="with --png: map size in CSS px, the layout the map is fitted to (default: 1600x1000)",
    )
    b.add_argument(
        "--png-scale",
        type=float,
        default=None,
        metavar="S",
        help="with --png: pixels per CSS px; the PNG is W*S x H*S px (default: 2)",
    )

    _limit_option(b)
    b.add_argument(
        "--engine",
        choices=("local", "dask"),
        default=None,
        help="where layers are prepared: local (this process, the default) or dask (incident "
        "layers of several files on a Dask cluster; pip install 'minemap[dask]'); over the "
        "project's [engine] kind",
    )
    b.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="the Dask scheduler to run on (tcp://HOST:8786); without it --engine dask starts a "
        "local cluster",
    )

    c = sub.add_parser(
        "check",
        help="validate layer files without drawing; list every problem; write rejects",
        description="Read, validate and resolve each file as a build would. Prints rows read, "
        "accepted and rejected (by reason) and writes every rejected row with its row number, "
        "field, value, reason and fix to a CSV file. Exit status: 0 nothing rejected, "
        "1 rows rejected, 2 a file could not be read at all.",
    )
    c.add_argument(
        "files",
        nargs="*",
        metavar="FILE",
        help="layer files (CSV, XLSX, GeoJSON, GPKG, SHP/ZIP, KML)",
    )
    c.add_argument(
        "--project",
        default=None,
        metavar="PROJECT.toml",
        help="check the layers a project file names, with its column mappings, "
        "boundaries and aliases",
    )
    c.add_argument(
        "--kind",
        default=None,
        help="layer kind of the files, e.g. contamination or incidents (default: guessed from "
        "each file name)",
    )
    c.add_argument(
        "--country",
        default=None,
        metavar="ISO3",
        help="country of every row that gives none (ISO 3166-1 alpha-3)",
    )
    c.add_argument(
        "--boundaries",
        default=None,
        metavar="FILE",
        help="user boundary file (COD-AB, geoBoundaries, GADM...) to resolve units against",
    )
    c.add_argument(
        "--level",
        default=None,
        metavar="LEVEL",
        help="admin level of the units in --boundaries (admin1, admin2...), when the file's "
        "own label is not the level records name (geoBoundaries calls cantons ADM2)",
    )
    c.add_argument(
        "--boundaries-encoding",
        default=None,
        metavar="NAME",
        help="encoding of the --boundaries file's text (a shapefile .dbf without .cpg)",
    )
    c.add_argument(
        "--aliases",
        action="append",
        default=[],
        metavar="FILE",
        help="CSV alias,code confirming names (repeatable)",
    )
    c.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="FIELD=VALUE",
        dest="constants",
        help="a value for a field in every row, e.g. --set event_type=casualty (repeatable)",
    )
    c.add_argument(
        "--layer", default=None, help="layer of a GeoPackage, KML or zip (default: the only one)"
    )
    c.add_argument("--sheet", default=None, help="sheet of an Excel file (default: the first)")
    c.add_argument(
        "--encoding",
        default=None,
        help="text encoding of CSV files (default: UTF-8 or CP1251, detected)",
    )
    c.add_argument("--delimiter", default=None, help="delimiter of CSV files (default: detected)")
    c.add_argument(
        "--crs", default=None, help="CRS of coordinates when a file gives none, e.g. EPSG:32637"
    )
    c.add_argument(
        "--rejects",
        default="rejects.csv",
        metavar="FILE",
        help="where to write the rejected rows (default: ./rejects.csv)",
    )

    _limit_option(c)

    s = sub.add_parser(
        "summary",
        help="print a summary table of one layer",
        description="Print a summary of a layer of a project (the embedded default data when "
        "no project is given) by admin-1 unit, country, or any grouping of units, such as "
        "Russia's military districts. Disagreeing estimates are shown as ranges, never averaged.",
    )
    s.add_argument(
        "layer", metavar="LAYER", help="a layer's name, or a layer kind (every layer of it)"
    )
    s.add_argument(
        "project",
        nargs="?",
        default=None,
        metavar="PROJECT.toml",
        help="project file; the embedded default layers when omitted",
    )
    s.add_argument(
        "--by",
        default="admin1",
        help="row level: admin1 (default), admin0, or a grouping "
        f"({', '.join(_grouping_names())}, or one the project defines)",
    )
    s.add_argument(
        "--format",
        choices=list(SUMMARY_FORMATS),
        default="table",
        help="output format (default: table)",
    )
    return parser


def _report_rejects(result) -> None:
    """Say on stderr how many input rows a build rejected, and where they are."""
    where = result.out / "rejects.csv"
    _progress(
        f"{result.rejected} input row(s) rejected ({result.problems} problem(s)): see {where}"
    )


def _say(*parts: object, file=None) -> None:
    """Print a line whose parts may come from a user's data: control characters shown, not sent."""
    print(terminal_text(" ".join(str(p) for p in parts)), file=file or sys.stdout)


def _report(path: str, kind: str, result) -> int:
    """Print one file's check result; return its exit status."""
    if result.error:
        _say(f"{path}: could not be read: {result.error}")
        return 2
    _say(f"{path} ({kind}): {result.counts()}")
    for field, reason, n in result.reasons():
        _say(f"  {n:>5} x {field}: {reason}")
    for how, n in result.matched:
        _say(f"  {n:>5} x name found by {how} (a build lists each in name_matches.csv)")
    for what, n in result.disagreements:
        _say(f"  {n:>5} x point and place disagreed: {what} (a build lists each in records.csv)")
    for match in result.fuzzy:
        _say(f"  fuzzy match applied, row {match['row']}: {match['written']!r} -> {match['code']} "
             f"(score {match['score']:.0f}); confirm it in an alias file")  # fmt: skip
    if result.unmapped:
        _say(f"  columns not used: {', '.join(result.unmapped)}")
    for note in result.notes:
        _say(f"  note: {note}")
    return 1 if result.rejected else 0


def _check(args: argparse.Namespace) -> int:
    import pandas as pd

    from geo.errors import REJECT_COLUMNS
    from geo.names import load_alias_files
    from geo.user_boundaries import load_boundaries
    from layers import kinds
    from layers.check import CheckResult, check_file, guess_kind
    from layers.mapping import ColumnMapping
    from layers.pipeline import prepare_layer, shown_path
    from layers.project import load_project
    from maps.output import write_whole
    from maps.safetext import csv_text

    jobs = []  # (path, kind, mapping or project layer, read options or project file, boundaries)
    limits = _limits(args.limit)
    alias_files = list(args.aliases)
    sets = {}
    if args.project:
        project = load_project(args.project)
        alias_files += [str(p) for p in project.alias_files]
        for name, spec in project.boundaries.items():
            sets[name], report = spec.load()
            for line in report.lines():
                _progress(f"boundaries {name}: {line}")
        for spec in project.layers:
            shown = " + ".join(shown_path(p, project.path) for p in spec.files)
            jobs.append((shown, spec.kind, spec, project.path, sets.get(spec.boundaries)))
    user_set = None
    if args.boundaries:
        user_set, report = load_boundaries(
            args.boundaries, level=args.level, encoding=args.boundaries_encoding
        )
        for line in report.lines():
            _progress(f"boundaries: {line}")
    constants = {"country": args.country} if args.country else {}
    for item in args.constants:
        field, sep, value = item.partition("=")
        if not sep or not field.strip():
            _say(f"--set {item!r}: expected FIELD=VALUE, e.g. --set event_type=casualty")
            return 2
        constants[field.strip()] = value.strip()
    status = 0
    if args.kind is not None and args.kind not in kinds.names():
        _say(
            f"--kind {args.kind!r}: unknown layer kind. Fix: use one of {', '.join(kinds.names())}"
        )
        return 2
    for path in args.files:
        kind = args.kind or guess_kind(path)
        if kind is None:
            _say(f"{path}: cannot tell the layer kind from the file name. "
                 f"Fix: pass --kind ({', '.join(kinds.names())}).")  # fmt: skip
            status = 2
            continue
        options = {"layer": args.layer, "sheet": args.sheet, "encoding": args.encoding,
                   "delimiter": args.delimiter, "crs": args.crs, "limits": limits}  # fmt: skip
        jobs.append((path, kind, ColumnMapping(constants=constants), options, user_set))
    if not jobs and status == 0:
        print("nothing to check: give files, or --project. See 'minemap check --help'.")
        return 2
    aliases = load_alias_files(alias_files)
    parts = []
    for path, kind, how, options, bset in jobs:
        if isinstance(how, ColumnMapping):
            result = check_file(
                path, kind, mapping=how, boundary_set=bset, aliases=aliases, **options
            )
        else:  # a project's layer: its files, rules and merge, as a build reads them
            try:
                prepared = prepare_layer(how, options, bset, aliases, limits=limits)
                result = CheckResult.of(path, prepared)
            except MinemapError as err:
                result = CheckResult(path=path, kind=kind, error=str(err))
        status = max(status, _report(path, kind, result))
        if result.rejected:
            parts.append(result.rejects)
    rejects = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=REJECT_COLUMNS)
    write_whole(args.rejects, csv_text(rejects), option="--rejects")
    rows = rejects.groupby(["file", "row"]).ngroups if len(rejects) else 0
    _say(f"rejects written to {args.rejects} ({len(rejects)} problem(s) in {rows} row(s))")
    return status


def _summaries(layer: str, project: str | None, by: str) -> list:
    """Summarise a project's layer (or every layer of a kind) by ``by``."""
    from layers import kinds
    from layers.pipeline import DEFAULT_PROJECT, prepare_project
    from layers.project import load_project

    spec = load_project(project if project is not None else DEFAULT_PROJECT)
    chosen = [s for s in spec.layers if s.name == layer] or [
        s for s in spec.layers if s.kind == layer
    ]
    if not chosen:
        raise OptionError(
            f"no layer or layer kind {terminal_text(layer)!r} in {spec.path.name}: its layers are "
            f"{', '.join(repr(s.name) for s in spec.layers)}. Fix: name one of them, or its kind"
        )
    done = prepare_project(spec, only={s.name for s in chosen})
    items = []
    for layer_spec in chosen:
        kind = kinds.get(layer_spec.kind)
        if not kind.summary_by([by]):
            raise OptionError(
                f"{layer_spec.kind} layers are summarised by "
                f"{', '.join(kind.summary_levels)} only, not by {terminal_text(by)!r}. "
                f"Fix: pass --by {kind.summary_levels[0]}"
            )
        item = kind.summarise(done.layers[layer_spec.name].records, by)
        if len(chosen) > 1:
            item.title += f" (layer {layer_spec.name!r})"
        items.append(item)
    return items


def _print_summary(item, fmt: str) -> None:
    """Print a summary (:class:`layers.summary.Summary`) in ``fmt``; notes go to stderr."""
    from maps import tables

    text = tables.write(item, fmt)
    # Data text reaches a terminal only with its control characters shown.
    sys.stdout.write(terminal_text(text) if sys.stdout.isatty() else text)
    if fmt in ("csv", "json"):
        for note in item.notes:
            _progress(f"note: {note}")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``minemap`` command line; return the exit status."""
    parser = _parser()
    args, extra = parser.parse_known_args(argv)
    # "summary LAYER --by X PROJECT": the project may follow the options.
    single = len(extra) == 1 and not extra[0].startswith("-")
    if args.command == "summary" and args.project is None and single:
        args.project, extra = extra[0], []
    if extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    png = None
    if args.command == "build" and (args.png_size or args.png_scale is not None) and not args.png:
        parser.error("--png-size and --png-scale set the PNG export: add --png")
    if args.command == "build" and args.png:
        from maps import png as png_mod

        given = {"scale": args.png_scale} if args.png_scale is not None else {}
        if args.png_size:
            given.update(width=args.png_size[0], height=args.png_size[1])
        try:
            png = png_mod.PngOptions(**given)
        except ValueError as err:
            parser.error(str(err))
    try:
        if args.command == "check":
            return _check(args)
        if args.command == "build":
            from maps import build as build_mod

            result = build_mod.build(
                args.out,
                project=args.project,
                assets_mode=args.assets,
                tiles=args.tiles,
                progress=_progress,
                png=png,
                limits=_limits(args.limit),
                engine=args.engine,
                scheduler=args.scheduler,
            )
            _report_rejects(result)
            return 0
        for item in _summaries(args.layer, args.project, args.by):
            _print_summary(item, args.format)
        return 0
    except MinemapError as err:
        print(f"minemap: error: {terminal_text(err)}", file=sys.stderr)
        return 2
    except OSError as err:  # a file the user named cannot be read or written
        where = f" ({terminal_text(err.filename)})" if err.filename else ""
        print(f"minemap: error: {err.strerror or err}{where}. Fix: check the path and its "
              "permissions, and the free space on its disk", file=sys.stderr)  # fmt: skip
        return 2


if __name__ == "__main__":
    sys.exit(main())
