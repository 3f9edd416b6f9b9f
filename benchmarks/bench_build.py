"""Benchmark ``minemap build``: end to end, step by step, HTML sizes, a geopandas baseline.

Run from anywhere (minemap must be installed, e.g. ``pip install -e .``; the
baseline needs matplotlib, which ``GeoDataFrame.explore()`` imports)::

    python benchmarks/bench_build.py [--repeat N] [--out DIR]

What it measures, in one run (see benchmarks/README.md for how to read it):

1. ``minemap build --assets inline`` and ``--assets cdn`` as subprocesses: wall
   time with interpreter start and imports, and peak RSS of the child.
2. The same build in this process, step by step, with minemap's caches
   cleared before each repeat (each repeat does the work of one build).
3. The HTML size of each map with inlined and with CDN assets.
4. A baseline: the clearance districts (full-resolution dissolved geometry from
   ``geo.dissolve``) drawn with ``GeoDataFrame.explore()`` and saved to HTML.
5. Peak Python memory of ``maps.build.build()`` in this process (tracemalloc).

Nothing is written outside ``--out`` (default: a temporary folder, deleted).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import importlib
import importlib.util
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from contextlib import contextmanager
from pathlib import Path

import geopandas as gpd
from machine import cpu_model, package_versions, usable_cores

import geo
import layers
from layers import KINDS
from layers.join import grouping_composition
from maps import build, tables, views

PACKAGES = ("minemap", "folium", "branca", "geopandas", "shapely", "pyproj", "pandas", "matplotlib")


# ------------------------------------------------------------------ helpers


def clear_caches() -> None:
    """Empty every functools cache of minemap's modules (boundaries, areas, assets...)."""
    for name, module in list(sys.modules.items()):
        if module is None or name.split(".")[0] not in ("geo", "layers", "maps"):
            continue
        for value in list(vars(module).values()):
            if callable(getattr(value, "cache_clear", None)):
                value.cache_clear()
    gc.collect()


def minemap_command() -> list[str]:
    """The installed ``minemap`` script beside this interpreter, else on PATH, else -m."""
    script = Path(sys.executable).with_name("minemap")
    if script.is_file():
        return [str(script)]
    found = shutil.which("minemap")
    if found:
        return [found]
    return [sys.executable, "-m", "maps.cli"]


def run_child(cmd: list[str], cwd: Path, log: Path) -> tuple[float, float]:
    """Run a command; return (wall seconds, peak RSS in MB of the child)."""
    with open(log, "wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{log.read_text(errors='replace')}")
    # ru_maxrss is in KiB on Linux, in bytes on macOS.
    rss = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
    return seconds, rss


def stats(values: list[float]) -> tuple[float, float]:
    return min(values), statistics.median(values)


def kb(path: Path) -> float:
    return path.stat().st_size / 1024


def table(headers: list[str], rows: list[list[object]]) -> str:
    """Plain-text table: first column left-aligned, the others right-aligned."""
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]

    def line(row: list[str]) -> str:
        return "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        )

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(cells[0]), rule, *(line(r) for r in cells[1:])])


def source_version() -> str:
    """Commit of the minemap checkout, marked dirty when its code differs from it."""
    root = Path(build.__file__).resolve().parents[1]
    try:
        commit = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--", "geo", "layers", "maps"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    return f"{commit}{' with uncommitted changes' if dirty else ''}"


def machine() -> dict[str, object]:
    """The machine, Python and package versions, and minemap's source version."""
    cores = usable_cores()
    cpu = cpu_model()
    versions = package_versions(PACKAGES)
    return {
        "date": dt.datetime.now().astimezone().isoformat(timespec="minutes"),
        "source": source_version(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu": cpu,
        "cores": cores,
        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
        "versions": versions,
    }


# ------------------------------------------------------------ measurements


def end_to_end(repeat: int, out: Path) -> dict[str, dict]:
    """Time ``minemap build`` as a subprocess, per assets mode, and an empty start."""
    cmd = minemap_command()
    results: dict[str, dict] = {"command": {"argv0": cmd}}
    startup = []
    for _ in range(repeat):
        seconds, _rss = run_child(
            [sys.executable, "-c", "import maps.cli"], out, out / "startup.log"
        )
        startup.append(seconds)
    results["startup"] = {"seconds": startup}
    for mode in ("inline", "cdn"):
        target = out / f"cli-{mode}"
        times, rss = [], []
        for i in range(repeat):
            shutil.rmtree(target, ignore_errors=True)
            seconds, peak = run_child(
                [*cmd, "build", "--out", str(target), "--assets", mode],
                out,
                out / f"cli-{mode}-{i + 1}.log",
            )
            times.append(seconds)
            rss.append(peak)
            print(f"  minemap build --assets {mode}, run {i + 1}: {seconds:.2f} s", flush=True)
        results[mode] = {
            "seconds": times,
            "peak_rss_mb": rss,
            "sizes_kb": {stem: kb(target / f"{stem}.html") for stem in build.MAPS},
        }
    return results


def explore_clearance(records, path: Path) -> None:
    """The clearance map's data drawn with geopandas' explore(): full-resolution districts."""
    planned = records[records["unit_level"].eq("grouping") & records["measure"].eq("planned_area")]
    latest = planned.sort_values("date_start", kind="stable").iloc[-1]
    period = planned[
        planned["grouping"].eq(latest["grouping"]) & planned["as_of"].eq(latest["as_of"])
    ]
    districts = geo.dissolve(grouping_composition(latest.to_dict()))
    figures = period[["unit_code", "area_km2", "value", "value_unit", "as_of", "source_file"]]
    data = gpd.GeoDataFrame(
        districts.merge(figures, left_on="member", right_on="unit_code"),
        geometry="geometry",
        crs=districts.crs,
    )
    data.explore(column="area_km2").save(str(path))


def in_process(repeat: int, out: Path) -> dict[str, object]:
    """Time each build step in this process; caches are cleared before each repeat."""
    steps: dict[str, list[float]] = {}
    build_times: list[float] = []
    target = out / "inprocess"
    target.mkdir(exist_ok=True)
    explore_path = out / "explore_clearance.html"
    # explore() imports matplotlib on its first call; import it now, as minemap's
    # own imports are, so the baseline times drawing only.
    importlib.import_module("matplotlib.pyplot")

    @contextmanager
    def timed(name: str):
        start = time.perf_counter()
        yield
        steps.setdefault(name, []).append(time.perf_counter() - start)

    for i in range(repeat):
        clear_caches()
        # As build.load_default(), one layer at a time.
        prepared = {}
        for kind in KINDS:
            with timed(f"read + prepare {kind}"):
                prepared[kind] = layers.prepare(layers.default(kind))
        for stem, (kind, draw, _title) in build.MAPS.items():
            with timed(f"draw {stem}"):
                fmap = draw(prepared[kind].records)
            with timed(f"render {stem} (inline) + write"):
                page = views.render(fmap, assets_mode="inline")
                (target / f"{stem}.html").write_text(page, encoding="utf-8", newline="\n")
        with timed(f"summaries: {len(build.SUMMARIES)} tables x CSV, MD, HTML"):
            write_summaries(prepared)
        with timed("baseline: explore() clearance + save"):
            explore_clearance(prepared["clearance"].records, explore_path)
        print(f"  in-process steps, run {i + 1}: done", flush=True)

    for i in range(repeat):
        clear_caches()
        start = time.perf_counter()
        build.build(out / "inprocess-build")
        build_times.append(time.perf_counter() - start)
        print(f"  build() in process, run {i + 1}: {build_times[-1]:.2f} s", flush=True)

    clear_caches()
    tracemalloc.start()
    files = len(build.build(out / "inprocess-build").files)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "steps": steps,
        "build_seconds": build_times,
        "tracemalloc_peak_mb": peak / 1024 / 1024,
        "build_files": files,
        "inline_sizes_kb": {stem: kb(target / f"{stem}.html") for stem in build.MAPS},
        "explore_kb": kb(explore_path),
    }


def write_summaries(prepared) -> int:
    n = 0
    for item in build.summaries(prepared).values():
        n += len(tables.to_csv(item)) + len(tables.to_markdown(item)) + len(tables.to_html(item))
    return n


# ------------------------------------------------------------------ report


def report(info: dict, cli: dict, proc: dict, repeat: int) -> str:
    load_end = os.getloadavg() if hasattr(os, "getloadavg") else None
    lines = [
        f"minemap build benchmark, {info['date']}",
        f"Python {info['python']} on {info['platform']}; {info['cpu']}; {info['cores']} cores",
        f"minemap source: {info['source']}",
        f"Load average (1, 5, 15 min) at start: {_load(info['load_average'])}, "
        f"at end: {_load(load_end)}",
        "Versions: " + ", ".join(f"{k} {v}" for k, v in info["versions"].items()),
        f"Repeats: {repeat} (min and median of the repeats)",
        f"Command: {' '.join(cli['command']['argv0'])} build --out DIR --assets MODE",
        "",
        "1. End to end: `minemap build` as a subprocess (interpreter start and imports included)",
        "",
    ]
    rows = []
    s_min, s_med = stats(cli["startup"]["seconds"])
    rows.append(
        ["python -c 'import maps.cli' (start + imports only)", f"{s_min:.2f}", f"{s_med:.2f}", ""]
    )
    for mode in ("inline", "cdn"):
        t_min, t_med = stats(cli[mode]["seconds"])
        rows.append(
            [
                f"minemap build --assets {mode}",
                f"{t_min:.2f}",
                f"{t_med:.2f}",
                f"{max(cli[mode]['peak_rss_mb']):.0f}",
            ]
        )
    lines += [table(["command", "min s", "median s", "peak RSS MB"], rows), ""]

    lines += [
        "2. In process, step by step (minemap's caches cleared before each repeat)",
        "",
    ]
    rows = []
    total_min = total_med = 0.0
    for name, values in proc["steps"].items():
        v_min, v_med = stats(values)
        if not name.startswith("baseline"):
            total_min += v_min
            total_med += v_med
        rows.append([name, f"{v_min:.2f}", f"{v_med:.2f}"])
    b_min, b_med = stats(proc["build_seconds"])
    rows.append(["sum of the minemap steps above", f"{total_min:.2f}", f"{total_med:.2f}"])
    rows.append(
        [f"maps.build.build() (writes {proc['build_files']} files)", f"{b_min:.2f}", f"{b_med:.2f}"]
    )
    lines += [table(["step", "min s", "median s"], rows), ""]

    lines += ["3. HTML size of each map (from the `minemap build` outputs)", ""]
    rows = []
    for stem in build.MAPS:
        inline, cdn = cli["inline"]["sizes_kb"][stem], cli["cdn"]["sizes_kb"][stem]
        rows.append([f"{stem}.html", f"{inline:,.0f}", f"{cdn:,.0f}", f"{inline / cdn:.2f}"])
    inline_total = sum(cli["inline"]["sizes_kb"].values())
    cdn_total = sum(cli["cdn"]["sizes_kb"].values())
    rows.append(
        ["all four", f"{inline_total:,.0f}", f"{cdn_total:,.0f}", f"{inline_total / cdn_total:.2f}"]
    )
    lines += [table(["map", "inline KB", "cdn KB", "inline/cdn"], rows)]
    if proc["inline_sizes_kb"] != cli["inline"]["sizes_kb"]:
        lines.append("(note: the in-process inline maps differ in size from the subprocess ones)")
    lines.append("")

    lines += [
        "4. Baseline: clearance districts with GeoDataFrame.explore() (full-resolution geometry)",
        "",
    ]
    m_time = [
        d + r
        for d, r in zip(
            proc["steps"]["draw clearance"],
            proc["steps"]["render clearance (inline) + write"],
            strict=True,
        )
    ]
    e_time = proc["steps"]["baseline: explore() clearance + save"]
    explore_kb = proc["explore_kb"]
    c_inline, c_cdn = cli["inline"]["sizes_kb"]["clearance"], cli["cdn"]["sizes_kb"]["clearance"]
    rows = [
        [
            "HTML KB, minemap --assets inline",
            f"{c_inline:,.0f}",
            f"{explore_kb:,.0f}",
            f"{c_inline / explore_kb:.2f}",
        ],
        [
            "HTML KB, minemap --assets cdn",
            f"{c_cdn:,.0f}",
            f"{explore_kb:,.0f}",
            f"{c_cdn / explore_kb:.2f}",
        ],
        [
            "time s (min), draw + render + write",
            f"{min(m_time):.2f}",
            f"{min(e_time):.2f}",
            f"{min(m_time) / min(e_time):.2f}",
        ],
        [
            "time s (median), draw + render + write",
            f"{statistics.median(m_time):.2f}",
            f"{statistics.median(e_time):.2f}",
            f"{statistics.median(m_time) / statistics.median(e_time):.2f}",
        ],
    ]
    lines += [table(["clearance map", "minemap", "explore()", "minemap/explore"], rows), ""]

    lines += [
        "5. Peak memory",
        "",
        table(
            ["measure", "MB"],
            [
                [
                    "peak RSS of `minemap build --assets inline` (ru_maxrss, max of runs)",
                    f"{max(cli['inline']['peak_rss_mb']):.0f}",
                ],
                [
                    "peak RSS of `minemap build --assets cdn` (ru_maxrss, max of runs)",
                    f"{max(cli['cdn']['peak_rss_mb']):.0f}",
                ],
                [
                    "tracemalloc peak of build() in process (Python allocations only)",
                    f"{proc['tracemalloc_peak_mb']:.0f}",
                ],
            ],
        ),
    ]
    busy = [x[0] for x in (info["load_average"], load_end) if x]
    if busy and max(busy) > 0.5 * info["cores"]:
        lines += [
            "",
            f"WARNING: other processes were running (1-min load average up to {max(busy):.1f} "
            f"on {info['cores']} cores); times are inflated and vary between repeats.",
        ]
    return "\n".join(lines) + "\n"


def _load(values) -> str:
    return ", ".join(f"{v:.2f}" for v in values) if values else "n/a"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="repeats per measure (default 3)")
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="DIR",
        help="keep the maps, logs and results.json in DIR (default: a temporary folder, deleted)",
    )
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if importlib.util.find_spec("matplotlib") is None:
        parser.error("the explore() baseline needs matplotlib: pip install matplotlib")
    keep = args.out is not None
    out = args.out.resolve() if keep else Path(tempfile.mkdtemp(prefix="minemap-bench-"))
    out.mkdir(parents=True, exist_ok=True)
    try:
        info = machine()
        print("Measuring `minemap build` as a subprocess...", flush=True)
        cli = end_to_end(args.repeat, out)
        print("Measuring in process...", flush=True)
        proc = in_process(args.repeat, out)
        text = report(info, cli, proc, args.repeat)
        print()
        print(text, end="")
        (out / "results.json").write_text(
            json.dumps({"machine": info, "subprocess": cli, "in_process": proc}, indent=1) + "\n",
            encoding="utf-8",
        )
        (out / "results.txt").write_text(text, encoding="utf-8")
        if keep:
            print(f"\nOutputs, logs and results.json are in {out}")
    finally:
        if not keep:
            shutil.rmtree(out, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
