"""Benchmark hazard polygons summed per admin unit: minemap's overlay against geopandas.

Run (minemap installed, e.g. ``pip install -e .``)::

    python benchmarks/bench_overlay.py [--polygons N ...] [--units U] [--repeat K]
                                       [--seed S] [--out DIR] [--json FILE]

    python benchmarks/bench_overlay.py                          # 10,000 and 100,000 polygons
    python benchmarks/bench_overlay.py --polygons 2000 --units 100   # a quick run

What it measures, in one run. The units are a grid of ``--units`` cells (default
1,000, e.g. 40 x 25) over Ukraine's extent (lon 22.14-40.23, lat 44.38-52.38),
cells of equal size in degrees sharing their edges exactly. For each ``--polygons``
N (default 10,000 and 100,000) it draws N hazard polygons over the grid with
``hazard_polygons`` of ``tests/hazard_sources.py`` (the same traits as the test
fixture, scaled: 10 % null, 3 empty, 5 % self-intersecting, 10 % shifted copies,
1 % multi-part, 2 % across a cell edge, 5 outside the grid and 3 partly outside;
0.005-20 km² each), writes them and the grid as GeoParquet, then runs in child
processes, each reading the two files:

* ``load``: reading the files only, the floor under the other two;
* ``minemap``: ``geo.overlay.overlay_units(polygons.geometry, units).per_unit``
  (when ``geo.overlay`` cannot be imported, it prints
  ``minemap: geo.overlay not available`` and measures the others);
* ``peer``: ``independent_overlay(polygons.geometry, units)`` of
  ``tests/hazard_sources.py``: ``shapely.make_valid``, ``geopandas.overlay``, geodesic
  areas with ``pyproj.Geod`` (its docstring lists every step).

Each child is run ``--repeat`` times (default 1) through ``run_child`` of
``bench_build.py``, which measures the whole process with ``os.wait4``: CPU seconds
(user + system), wall seconds and peak RSS (MiB = 2^20 bytes). Inside the child the
call itself is timed too (``time.process_time`` and ``time.perf_counter`` around it;
imports and reading the files excluded). The table prints the medians over repeats
(largest peak RSS), and per N the ratios minemap/peer of the call's CPU and wall
seconds, of the whole process's CPU seconds and of the peak RSS: below 1, minemap is
cheaper. It also compares the two results per unit code (largest difference in
``sum_km2`` and ``union_km2`` relative to the peer's total, and units whose polygon
counts differ); the peer's table has a row ``code == ""`` for ground outside every
unit, compared only when minemap's has it too.

``--out DIR`` keeps the files, logs and each child's per-unit CSV (default: a
temporary folder, deleted); ``--json FILE`` writes every figure as JSON ('-':
stdout). With 100,000 polygons the peer takes about 20 s of CPU and a run of the
defaults a few minutes on 2 cores; close other work first.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import importlib.util
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from bench_build import run_child, source_version, table
from machine import cpu_model, package_versions, usable_cores

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("minemap", "geopandas", "shapely", "pyproj", "pandas", "numpy", "pyarrow")
#: Ukraine's extent: (min lon, min lat, max lon, max lat).
UKRAINE = (22.14, 44.38, 40.23, 52.38)
METHODS = ("load", "minemap", "peer")
COLUMNS = ["code", "polygons", "sum_km2", "union_km2", "overlap_km2"]
#: The times whose ratio minemap/peer is printed.
TIMES = ("call_cpu_s", "call_wall_s", "process_cpu_s")


def hazard_sources():
    """``tests/hazard_sources.py`` as a module, loaded by path (``tests`` is no package here)."""
    name = "hazard_sources"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "tests" / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def grid_shape(n: int, bounds=UKRAINE) -> tuple[int, int]:
    """(rows, columns) with rows * columns == n, cells as near square on the ground as can be."""
    x0, y0, x1, y1 = bounds
    aspect = (x1 - x0) * np.cos(np.radians((y0 + y1) / 2)) / (y1 - y0)  # width / height
    cols = min(
        (c for c in range(1, n + 1) if n % c == 0),
        key=lambda c: abs(np.log(c / (n / c) / aspect)),
    )
    return n // cols, cols


def grid_units(n: int, bounds=UKRAINE) -> gpd.GeoDataFrame:
    """``n`` grid cells over ``bounds`` (codes ``G0001``...), neighbours sharing exact edges."""
    rows, cols = grid_shape(n, bounds)
    x0, y0, x1, y1 = bounds
    xs, ys = np.linspace(x0, x1, cols + 1), np.linspace(y0, y1, rows + 1)
    left, bottom = np.meshgrid(xs[:-1], ys[:-1])
    right, top = np.meshgrid(xs[1:], ys[1:])
    cells = shapely.box(left.ravel(), bottom.ravel(), right.ravel(), top.ravel())
    codes = [f"G{i + 1:04d}" for i in range(n)]
    return gpd.GeoDataFrame({"code": codes}, geometry=cells, crs="EPSG:4326")


def minemap_available() -> str | None:
    """Why ``geo.overlay.overlay_units`` cannot be used, or None when it can."""
    try:
        module = importlib.import_module("geo.overlay")
    except Exception as err:  # not written yet, or failing to import
        return f"{type(err).__name__}: {err}"
    if not callable(getattr(module, "overlay_units", None)):
        return "geo.overlay has no overlay_units"
    return None


# ------------------------------------------------------------------------- child


def child(method: str, polygons_path: Path, units_path: Path, result: Path) -> int:
    """Read the files, run ``method`` once timed, write its figures and per-unit table."""
    hz = hazard_sources()
    if method == "minemap":
        from geo.overlay import overlay_units  # imported before timing, as the peer's modules
    start_wall, start_cpu = time.perf_counter(), time.process_time()
    polygons = gpd.read_parquet(polygons_path)
    units = gpd.read_parquet(units_path)
    read_wall, read_cpu = time.perf_counter() - start_wall, time.process_time() - start_cpu
    start_wall, start_cpu = time.perf_counter(), time.process_time()
    if method == "minemap":
        per_unit = overlay_units(polygons.geometry, units).per_unit
    elif method == "peer":
        per_unit = hz.independent_overlay(polygons.geometry, units)
    else:
        per_unit = None
    wall, cpu = time.perf_counter() - start_wall, time.process_time() - start_cpu
    if per_unit is not None:
        per_unit.to_csv(result.with_suffix(".csv"), index=False)
    figures = {"read_wall_s": read_wall, "read_cpu_s": read_cpu, "call_wall_s": wall,
               "call_cpu_s": cpu, "rows": None if per_unit is None else len(per_unit)}  # fmt: skip
    result.write_text(json.dumps(figures), encoding="utf-8")
    return 0


# ------------------------------------------------------------------------ parent


def measure(method: str, n: int, folder: Path, run: int) -> dict[str, object] | None:
    """One child running ``method`` on the files of size ``n``; None if it failed."""
    stem = f"{method}-{n}-{run}"
    result = folder / f"{stem}.json"
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", method,
           "--polygons-file", str(folder / f"polygons-{n}.parquet"),
           "--units-file", str(folder / "units.parquet"), "--result", str(result)]  # fmt: skip
    print(f"{method}, {n:,} polygons, run {run + 1}", file=sys.stderr, flush=True)
    try:
        usage = run_child(cmd, folder, folder / f"{stem}.log")
    except SystemExit as err:  # run_child exits when the child fails
        if method != "minemap":
            raise
        print(f"minemap failed; its output:\n{err}", file=sys.stderr)
        return None
    figures = json.loads(result.read_text(encoding="utf-8"))
    return {"process_cpu_s": usage.cpu, "process_wall_s": usage.wall, "peak_rss_mib": usage.rss,
            **figures}  # fmt: skip


def agreement(folder: Path, n: int, run: int) -> dict[str, object]:
    """How minemap's per-unit table compares with the peer's, for the last run of size ``n``."""
    peer = pd.read_csv(folder / f"peer-{n}-{run}.csv", keep_default_na=False)
    mine = pd.read_csv(folder / f"minemap-{n}-{run}.csv", keep_default_na=False)
    missing = [c for c in COLUMNS if c not in mine.columns]
    if missing:
        return {"error": f"minemap's per_unit lacks {', '.join(missing)}"}
    for frame in (peer, mine):
        frame["code"] = frame["code"].astype(str)
    if "" not in set(mine["code"]):  # minemap keeps no outside row: compare units only
        peer = peer[peer["code"] != ""]
    both = peer.merge(mine, on="code", how="outer", suffixes=("_peer", "_minemap"),
                      indicator=True)  # fmt: skip
    shared = both[both["_merge"] == "both"]
    total = peer["sum_km2"].sum()
    out: dict[str, object] = {
        "units_compared": len(shared),
        "only_peer": sorted(both.loc[both["_merge"] == "left_only", "code"])[:10],
        "only_minemap": sorted(both.loc[both["_merge"] == "right_only", "code"])[:10],
        "polygon_counts_differ": int((shared["polygons_peer"] != shared["polygons_minemap"]).sum()),
    }
    for column in ("sum_km2", "union_km2", "overlap_km2"):
        diff = (shared[f"{column}_peer"] - shared[f"{column}_minemap"]).abs()
        out[f"{column}_max_diff_rel_total"] = float(diff.max() / total) if len(diff) else None
    return out


def median(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def report(info: dict, results: list[dict], unavailable: str | None, repeat: int) -> str:
    """The plain-text tables: every size and method, ratios, agreement."""
    versions = ", ".join(f"{k} {v}" for k, v in info["versions"].items())
    lines = [
        f"minemap hazard-overlay benchmark, {info['date']}",
        f"Python {info['python']} on {info['platform']}; {info['cpu']}; {info['cores']} cores",
        f"minemap source: {info['source']}; {versions}",
        f"Units: {info['units']:,} grid cells ({info['grid'][0]} x {info['grid'][1]}) over "
        f"lon {UKRAINE[0]}-{UKRAINE[2]}, lat {UKRAINE[1]}-{UKRAINE[3]}; seed {info['seed']}",
        f"Median of {repeat} run(s); peak RSS: largest (MiB). call: the overlay call alone, "
        "timed in the child; process: the whole child (start, imports, reading the files).",
    ]
    if unavailable:
        lines.append(f"minemap: geo.overlay not available ({unavailable})")
    lines.append("")
    rows = []
    for r in results:
        for method in METHODS:
            runs = r["runs"].get(method)
            if method in r["failed"]:
                rows.append([f"{r['polygons']:,}", method, "failed", "", "", "", ""])
            if not runs:
                continue
            rows.append([
                f"{r['polygons']:,}", method,
                f"{median(runs, 'call_cpu_s'):.2f}", f"{median(runs, 'call_wall_s'):.2f}",
                f"{median(runs, 'process_cpu_s'):.2f}", f"{median(runs, 'process_wall_s'):.2f}",
                f"{max(run['peak_rss_mib'] for run in runs):,.0f}",
            ])  # fmt: skip
    headers = ["polygons", "method", "call CPU s", "call wall s", "process CPU s",
               "process wall s", "peak RSS MiB"]  # fmt: skip
    lines.append(table(headers, rows))
    ratios = [r for r in results if r["runs"].get("minemap")]
    if ratios:
        rows = []
        for r in ratios:
            mine, peer = r["runs"]["minemap"], r["runs"]["peer"]
            pairs = [(median(mine, k), median(peer, k)) for k in TIMES]
            pairs.append(tuple(max(x["peak_rss_mib"] for x in side) for side in (mine, peer)))
            ratio = [f"{a / b:.2f}" if b else "-" for a, b in pairs]
            rows.append([f"{r['polygons']:,}", *ratio])
        lines += ["", "minemap / peer (below 1: minemap cheaper)", ""]
        lines.append(table(["polygons", "call CPU", "call wall", "process CPU", "peak RSS"], rows))
        lines += ["", "Agreement of the per-unit tables (last run)", ""]
        rows = []
        for r in ratios:
            a = r["agreement"]
            if "error" in a:
                rows.append([f"{r['polygons']:,}", a["error"], "", "", "", ""])
                continue

            def rel(value):
                return "-" if value is None else f"{value:.1e}"

            only = len(a["only_peer"]) + len(a["only_minemap"])
            rows.append([f"{r['polygons']:,}", f"{a['units_compared']:,}",
                         rel(a["sum_km2_max_diff_rel_total"]),
                         rel(a["union_km2_max_diff_rel_total"]),
                         f"{a['polygon_counts_differ']:,}", f"{only:,}"])  # fmt: skip
        headers = ["polygons", "units compared", "max |d sum|/total", "max |d union|/total",
                   "counts differ", "codes in one only"]  # fmt: skip
        lines.append(table(headers, rows))
    busy = [x[0] for x in (info["load_average"], info.get("load_average_end")) if x]
    if busy and info["cores"] and max(busy) > 0.5 * info["cores"]:
        lines += ["", f"WARNING: other processes were running (1-min load average up to "
                  f"{max(busy):.1f} on {info['cores']} cores); times are inflated."]  # fmt: skip
    return "\n".join(lines) + "\n"


def machine(units: int, seed: int) -> dict[str, object]:
    """Date, machine, Python, package versions, minemap's source version, the grid."""
    return {
        "date": dt.datetime.now().astimezone().isoformat(timespec="minutes"),
        "source": source_version(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu": cpu_model(),
        "cores": usable_cores(),
        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
        "versions": package_versions(PACKAGES),
        "units": units,
        "grid": grid_shape(units),
        "seed": seed,
    }


def main(argv: list[str] | None = None) -> int:
    """Write the files, run the children, print the tables; write ``--json``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add = parser.add_argument
    add(
        "--polygons",
        type=int,
        nargs="+",
        default=[10_000, 100_000],
        metavar="N",
        help="numbers of polygons to measure (default: 10000 100000)",
    )
    add("--units", type=int, default=1000, metavar="U", help="grid cells (default 1000)")
    add("--repeat", type=int, default=1, metavar="K", help="runs of each child (default 1)")
    add("--seed", type=int, default=7, help="seed of the polygons (default 7)")
    add(
        "--out",
        type=Path,
        default=None,
        metavar="DIR",
        help="keep files, logs and per-unit tables here (default: a temporary folder, deleted)",
    )
    add(
        "--json",
        type=Path,
        default=None,
        metavar="FILE",
        help="also write every figure as JSON ('-': stdout)",
    )
    for name in ("--child", "--polygons-file", "--units-file", "--result"):
        add(name, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args.child, Path(args.polygons_file), Path(args.units_file),
                     Path(args.result))  # fmt: skip
    if args.repeat < 1 or args.units < 1 or min(args.polygons) < 1:
        parser.error("--polygons, --units and --repeat must be at least 1")

    unavailable = minemap_available()
    if unavailable:
        print("minemap: geo.overlay not available", flush=True)
    methods = [m for m in METHODS if not (m == "minemap" and unavailable)]
    hz = hazard_sources()
    info = machine(args.units, args.seed)
    keep = args.out is not None
    folder = args.out.resolve() if keep else Path(tempfile.mkdtemp(prefix="minemap-overlay-"))
    folder.mkdir(parents=True, exist_ok=True)
    results = []
    try:
        units = grid_units(args.units)
        units.to_parquet(folder / "units.parquet")
        for n in args.polygons:
            start = time.perf_counter()
            polygons = hz.hazard_polygons(n, args.seed, units=units)
            polygons.to_parquet(folder / f"polygons-{n}.parquet")
            made = time.perf_counter() - start
            print(f"{n:,} polygons drawn and written in {made:.1f} s", file=sys.stderr)
            del polygons
            runs: dict[str, list] = {m: [] for m in methods}
            for i in range(args.repeat):
                for method in methods:
                    if runs.get(method) is None:  # minemap failed before: not again
                        continue
                    done = measure(method, n, folder, i)
                    if done is None:
                        runs[method] = None
                    else:
                        runs[method].append(done)
            entry = {"polygons": n, "units": args.units, "generate_s": made,
                     "runs": {m: r for m, r in runs.items() if r},
                     "failed": [m for m, r in runs.items() if r is None]}  # fmt: skip
            if entry["runs"].get("minemap"):
                entry["agreement"] = agreement(folder, n, args.repeat - 1)
            results.append(entry)
        info["load_average_end"] = os.getloadavg() if hasattr(os, "getloadavg") else None
        text = report(info, results, unavailable, args.repeat)
        print(text, end="")
        if args.json:
            figures = json.dumps({"machine": info, "minemap_unavailable": unavailable,
                                  "results": results}, indent=1)  # fmt: skip
            if str(args.json) == "-":
                print(figures)
            else:
                args.json.write_text(figures + "\n", encoding="utf-8")
        if keep:
            print(f"\nFiles, logs and per-unit tables are in {folder}")
    finally:
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
