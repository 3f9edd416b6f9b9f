"""The ``minemap`` command: build maps, print summaries.

Examples
--------
::

    minemap build --out out
    minemap summary clearance --by district --format csv
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from geo import summary
from geo.errors import MinemapError
from maps import build as build_mod
from maps import tables

__all__ = ["main"]

_DESCRIPTION = """\
Turn reported landmine and ERW figures (contamination, clearance plans,
incidents, stockpiles) into region-level maps and area summaries, offline.
Areas are geodesic km² on Natural Earth 1:10m boundaries; every figure keeps
its source.
"""


def _progress(message: str) -> None:
    print(f"minemap: {message}", file=sys.stderr, flush=True)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="minemap",
        description=_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    b = sub.add_parser(
        "build",
        help="write maps, summaries and an index page for the embedded default layers",
        description="Write one self-contained HTML file per map, summary tables (CSV, Markdown, "
        "HTML), rejects.csv and index.html.",
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
        help="add an online tile layer by xyzservices name (e.g. 'CartoDB Positron'); "
        "none by default, the maps draw their own country background",
    )

    s = sub.add_parser(
        "summary",
        help="print a summary table of one layer",
        description="Print a summary of a default layer by admin-1 unit, country or Russian "
        "military district. Disagreeing estimates are shown as ranges, never averaged.",
    )
    s.add_argument("layer", choices=["contamination", "clearance", "incidents", "stockpiles"])
    s.add_argument(
        "--by", choices=list(summary.BY), default="admin1", help="row level (default: admin1)"
    )
    s.add_argument(
        "--format",
        choices=list(tables.FORMATS),
        default="table",
        help="output format (default: table)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``minemap`` command line; return the exit status."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "build":
            result = build_mod.build(
                args.out, assets_mode=args.assets, tiles=args.tiles, progress=_progress
            )
            if len(result.rejects):
                _progress(
                    f"{len(result.rejects)} row(s) rejected: see {result.out / 'rejects.csv'}"
                )
            return 0
        prepared = build_mod.load_default()
        records = prepared[args.layer].records
        if args.layer == "stockpiles":
            item = summary.stockpiles(records)
        else:
            item = {
                "contamination": summary.contamination,
                "clearance": summary.clearance,
                "incidents": summary.incidents,
            }[args.layer](records, args.by)
        sys.stdout.write(tables.write(item, args.format))
        if args.format in ("csv", "json"):
            for note in item.notes:
                _progress(f"note: {note}")
        return 0
    except MinemapError as err:
        print(f"minemap: error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
