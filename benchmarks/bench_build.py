"""Benchmark ``minemap build``: end to end, step by step, HTML sizes, a geopandas baseline.

Run from anywhere (minemap must be installed, e.g. ``pip install -e .``; the
baseline needs matplotlib, which ``GeoDataFrame.explore()`` imports)::

    python benchmarks/bench_build.py [--repeat N] [--out DIR] [--against REV]

What it measures, in one run (see benchmarks/README.md for how to read it):

1. ``minemap build --assets inline`` and ``--assets cdn`` as subprocesses: wall
   time with interpreter start and imports, and peak RSS of the child.
2. The same build in this process, step by step, with minemap's caches
   cleared before each repeat (each repeat does the work of one build).
3. The HTML size of each map with inlined and with CDN assets.
4. A baseline: the clearance districts (full-resolution dissolved geometry from
   ``geo.dissolve``) drawn with ``GeoDataFrame.explore()`` and saved to HTML.
5. Peak Python memory of ``maps.build.build()`` in this process (tracemalloc).
6. With ``--against REV``: ``python -m maps.cli build`` run from a temporary
   git worktree of REV and from this checkout, alternately, compared by CPU
   seconds, wall seconds and peak RSS of the child, and by the files written.

The maps and summaries are those of the built-in project
(``maps.build.DEFAULT_PROJECT``). Nothing is written outside ``--out``
(default: a temporary folder, deleted) except the worktree of ``--against``,
which is made in a temporary folder and removed at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import filecmp
import gc
import importlib
import importlib.util
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
from machine import cpu_model, package_versions, usable_cores

import geo
from layers import kinds
from layers.join import grouping_composition
from layers.project import Project, load_project
from maps import build, registry, tables, views
from maps.safetext import unique_slugs

PACKAGES = ("minemap", "folium", "branca", "geopandas", "shapely", "pyproj", "pandas", "matplotlib")

#: Files a build of the built-in project is expected to write differently since
#: the one-pipeline build: its manifest, and the fuzzy matches it now always writes.
EXPECTED_CHANGES = ("build.json", "fuzzy_matches.csv")


@dataclass(frozen=True)
class MapJob:
    """One map of a project as ``maps.build.build()`` draws it."""

    stem: str
    layer: str
    view: str
    title: str


def map_jobs(project: Project) -> list[MapJob]:
    """The maps of ``project`` in build order, with the stem, view and title build() gives them."""
    names = [spec.name for spec in project.layers]
    stems = dict(zip(names, unique_slugs(names), strict=True))
    jobs = []
    for spec in project.maps:
        kind = kinds.get(project.layer(spec.layer).kind)
        title = spec.title or kind.map_title or spec.layer
        jobs.append(MapJob(stems[spec.layer], spec.layer, kind.view, title))
    return jobs


def default_stems() -> list[str]:
    """File stems of the maps of the built-in project, in build order."""
    return [job.stem for job in map_jobs(load_project(build.DEFAULT_PROJECT))]


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


@dataclass(frozen=True)
class Run:
    """One child process: wall seconds, CPU seconds (user + system), peak RSS in MB."""

    wall: float
    cpu: float
    rss: float


#: Runs the command in ``sys.argv[2:]`` and writes its wall seconds, exit code and
#: rusage (``os.wait4``) as JSON to the file ``sys.argv[1]``. It runs as a small
#: process of its own (``-I -S``: standard library only) because on Linux a
#: child's ``ru_maxrss`` counts the resident memory of the process it was
#: spawned from: spawned from this benchmark after its in-process builds, every
#: child would report the benchmark's own peak.
_LAUNCHER = """
import json, os, subprocess, sys, time
start = time.perf_counter()
proc = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(proc.pid, 0)
wall = time.perf_counter() - start
with open(sys.argv[1], "w", encoding="utf-8") as f:
    json.dump({"wall": wall, "code": os.waitstatus_to_exitcode(status), "utime": usage.ru_utime,
               "stime": usage.ru_stime, "maxrss": usage.ru_maxrss}, f)
"""


def run_child(cmd: list[str], cwd: Path, log: Path, env: dict[str, str] | None = None) -> Run:
    """Run a command to the end, its output to ``log``; exit when it fails."""
    measured = log.with_suffix(".rusage.json")
    measured.unlink(missing_ok=True)
    launcher = [sys.executable, "-I", "-S", "-c", _LAUNCHER, str(measured), *cmd]
    with open(log, "wb") as out:
        subprocess.run(launcher, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        usage = json.loads(measured.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        usage = {"code": "unknown"}
    if usage["code"] != 0:
        sys.exit(f"{' '.join(cmd)} failed ({usage['code']}):\n{log.read_text(errors='replace')}")
    # ru_maxrss is in KiB on Linux, in bytes on macOS.
    rss = usage["maxrss"] / (1024 * 1024 if sys.platform == "darwin" else 1024)
    return Run(usage["wall"], usage["utime"] + usage["stime"], rss)


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
        run = run_child([sys.executable, "-c", "import maps.cli"], out, out / "startup.log")
        startup.append(run.wall)
    results["startup"] = {"seconds": startup}
    for mode in ("inline", "cdn"):
        target = out / f"cli-{mode}"
        times, rss = [], []
        for i in range(repeat):
            shutil.rmtree(target, ignore_errors=True)
            run = run_child(
                [*cmd, "build", "--out", str(target), "--assets", mode],
                out,
                out / f"cli-{mode}-{i + 1}.log",
            )
            times.append(run.wall)
            rss.append(run.rss)
            print(f"  minemap build --assets {mode}, run {i + 1}: {run.wall:.2f} s", flush=True)
        results[mode] = {
            "seconds": times,
            "peak_rss_mb": rss,
            "sizes_kb": {stem: kb(target / f"{stem}.html") for stem in default_stems()},
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

    project = load_project(build.DEFAULT_PROJECT)
    jobs = map_jobs(project)
    n_tables = sum(
        len(kinds.get(spec.kind).summary_by(project.summary_levels)) for spec in project.layers
    )
    for i in range(repeat):
        clear_caches()
        # As build.prepare_project(project), one layer at a time.
        done = None
        for spec in project.layers:
            with timed(f"read + prepare {spec.name}"):
                part = build.prepare_project(project, only={spec.name})
            if done is None:
                done = part
            else:
                done.layers.update(part.layers)
        for job in jobs:
            prepared = done.layers[job.layer]
            with timed(f"draw {job.stem}"):
                fmap = registry.draw(
                    job.view,
                    prepared.records,
                    title=job.title,
                    boundary_set=prepared.boundary_set,
                )
            with timed(f"render {job.stem} (inline) + write"):
                page = views.render(fmap, assets_mode="inline")
                (target / f"{job.stem}.html").write_text(page, encoding="utf-8", newline="\n")
        with timed(f"summaries: {n_tables} tables x CSV, MD, HTML"):
            written = write_summaries(done)
        if written != n_tables:
            sys.exit(f"expected {n_tables} summaries of the built-in project, got {written}")
        with timed("baseline: explore() clearance + save"):
            explore_clearance(done.layers["clearance"].records, explore_path)
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
        "inline_sizes_kb": {job.stem: kb(target / f"{job.stem}.html") for job in jobs},
        "explore_kb": kb(explore_path),
    }


def write_summaries(done: build.PreparedProject) -> int:
    """Every summary of a prepared project as CSV, Markdown and HTML text; return how many."""
    items = build.summaries(done)
    for item in items.values():
        for write in (tables.to_csv, tables.to_markdown, tables.to_html):
            write(item)
    return len(items)


# ---------------------------------------------------------- against a revision


def git(root: Path, *args: str) -> str:
    """Run git in ``root``; return its output, or exit with git's message."""
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, text=True, check=True
        )
    except FileNotFoundError:
        sys.exit("--against needs git on PATH")
    except subprocess.CalledProcessError as err:
        sys.exit(f"git {' '.join(args)} failed: {err.stderr.strip()}")
    return done.stdout.strip()


def code_env(root: Path) -> dict[str, str]:
    """The environment of a child that imports minemap's code from ``root``."""
    return {**os.environ, "PYTHONPATH": str(root)}


def imported_from(root: Path) -> str:
    """Where a child started as the timed builds are imports ``maps`` from; exit if not ``root``."""
    code = "import geo, layers, maps\nfor m in (maps, geo, layers): print(m.__file__)"
    files = subprocess.run(
        [sys.executable, "-c", code],
        cwd=root,
        env=code_env(root),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    outside = [f for f in files if root.resolve() not in Path(f).resolve().parents]
    if outside:
        sys.exit(f"a child run in {root} imports minemap from elsewhere: {', '.join(outside)}")
    return files[0]


def compare_folders(old: Path, new: Path) -> dict[str, object]:
    """Compare two build outputs file by file (relative paths, then bytes)."""

    def listing(folder: Path) -> dict[str, Path]:
        return {p.relative_to(folder).as_posix(): p for p in folder.rglob("*") if p.is_file()}

    a, b = listing(old), listing(new)
    common = sorted(a.keys() & b.keys())
    differ = {
        name: [a[name].stat().st_size, b[name].stat().st_size]
        for name in common
        if not filecmp.cmp(a[name], b[name], shallow=False)
    }
    return {
        "files_rev": len(a),
        "files_current": len(b),
        "only_rev": sorted(a.keys() - b.keys()),
        "only_current": sorted(b.keys() - a.keys()),
        "identical": len(common) - len(differ),
        "differ_bytes": differ,
    }


def against(rev: str, repeat: int, out: Path) -> dict[str, object]:
    """Time ``python -m maps.cli build`` from a worktree of ``rev`` and from this checkout.

    The two alternate (REV, current, REV, current...), after one untimed build
    each (which also compiles their bytecode), so that load on the machine
    affects both alike. Each run writes a fresh output folder.
    """
    root = Path(build.__file__).resolve().parents[1]
    commit = git(root, "rev-parse", "--verify", f"{rev}^{{commit}}")
    short = git(root, "rev-parse", "--short", commit)
    tmp = Path(tempfile.mkdtemp(prefix="minemap-against-"))
    tree = tmp / f"minemap-{short}"
    added = False
    try:
        git(root, "worktree", "add", "--detach", str(tree), commit)
        added = True
        sides = {"rev": tree, "current": root}
        where = {side: imported_from(code) for side, code in sides.items()}
        for side in sides:
            print(f"  {side}: imports maps from {where[side]}", flush=True)
        results: dict[str, object] = {
            "rev": rev,
            "commit": commit,
            "short": short,
            "command": [sys.executable, "-m", "maps.cli", "build", "--out", "DIR"],
            "maps_file": where,
        }
        target = out / "against"
        target.mkdir(exist_ok=True)
        runs: dict[str, list[Run]] = {side: [] for side in sides}
        for i in range(repeat + 1):
            for side, code in sides.items():
                folder = target / side
                shutil.rmtree(folder, ignore_errors=True)
                cmd = [sys.executable, "-m", "maps.cli", "build", "--out", str(folder)]
                label = "warm-up" if i == 0 else f"run {i}"
                log = target / f"{side}-{label.replace(' ', '')}.log"
                run = run_child(cmd, code, log, env=code_env(code))
                if i:
                    runs[side].append(run)
                name = short if side == "rev" else "current"
                print(
                    f"  {name} build, {label}: {run.cpu:.2f} s CPU, {run.wall:.2f} s wall",
                    flush=True,
                )
        results["runs"] = {side: [vars(run) for run in r] for side, r in runs.items()}
        results["files"] = compare_folders(target / "rev", target / "current")
        return results
    finally:
        if added:
            try:
                git(root, "worktree", "remove", "--force", str(tree))
            except SystemExit as err:
                print(f"warning: could not remove the worktree {tree}: {err}", file=sys.stderr)
        shutil.rmtree(tmp, ignore_errors=True)


# ------------------------------------------------------------------ report


def report(info: dict, cli: dict, proc: dict, repeat: int, ab: dict | None = None) -> str:
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
    for stem, inline in cli["inline"]["sizes_kb"].items():
        cdn = cli["cdn"]["sizes_kb"][stem]
        rows.append([f"{stem}.html", f"{inline:,.0f}", f"{cdn:,.0f}", f"{inline / cdn:.2f}"])
    inline_total = sum(cli["inline"]["sizes_kb"].values())
    cdn_total = sum(cli["cdn"]["sizes_kb"].values())
    rows.append(
        [
            f"all {len(rows)} maps",
            f"{inline_total:,.0f}",
            f"{cdn_total:,.0f}",
            f"{inline_total / cdn_total:.2f}",
        ]
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
    if ab is not None:
        lines += ["", *against_report(ab, repeat)]
    busy = [x[0] for x in (info["load_average"], load_end) if x]
    if busy and max(busy) > 0.5 * info["cores"]:
        lines += [
            "",
            f"WARNING: other processes were running (1-min load average up to {max(busy):.1f} "
            f"on {info['cores']} cores); times are inflated and vary between repeats.",
        ]
    return "\n".join(lines) + "\n"


def against_report(ab: dict, repeat: int) -> list[str]:
    """Section 6: this checkout's build against REV's, and the files each wrote."""
    rev = ab["short"]
    runs = ab["runs"]

    def figure(side: str, key: str, how) -> float:
        return how([run[key] for run in runs[side]])

    rows = []
    for label, key, how, fmt in (
        ("CPU s, user + sys (median)", "cpu", statistics.median, "{:.2f}"),
        ("CPU s, user + sys (min)", "cpu", min, "{:.2f}"),
        ("wall s (median)", "wall", statistics.median, "{:.2f}"),
        ("wall s (min)", "wall", min, "{:.2f}"),
        ("peak RSS MB (median)", "rss", statistics.median, "{:.0f}"),
        ("peak RSS MB (max)", "rss", max, "{:.0f}"),
    ):
        old, new = figure("rev", key, how), figure("current", key, how)
        rows.append([label, fmt.format(old), fmt.format(new), f"{new / old:.2f}"])
    lines = [
        f"6. Against {ab['rev']} ({ab['commit'][:12]}): `python -m maps.cli build --out DIR`, "
        f"{repeat} runs each, alternating {rev}/current after one untimed build each",
        "",
        f"code imported by the {rev} builds: {ab['maps_file']['rev']}",
        f"code imported by the current builds: {ab['maps_file']['current']}",
        "",
        table(["measure", rev, "current", f"current/{rev}"], rows),
        "",
    ]
    files = ab["files"]
    only = [(rev, files["only_rev"]), ("current", files["only_current"])]
    differ = files["differ_bytes"]
    lines.append(
        f"files written: {rev} {files['files_rev']}, current {files['files_current']}; "
        + "; ".join(f"only in {side}: {', '.join(names) or 'none'}" for side, names in only)
    )
    lines.append(
        f"same bytes: {files['identical']} files; different bytes: "
        + (
            ", ".join(f"{name} ({old:,} -> {new:,} B)" for name, (old, new) in differ.items())
            or "none"
        )
    )
    unexpected = sorted(
        {*files["only_rev"], *files["only_current"], *differ} - set(EXPECTED_CHANGES)
    )
    lines.append(
        "unexpected differences (besides "
        + ", ".join(EXPECTED_CHANGES)
        + "): "
        + (", ".join(unexpected) or "none")
    )
    return lines


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
    parser.add_argument(
        "--against",
        default=None,
        metavar="REV",
        help="also time `python -m maps.cli build` from a temporary git worktree of REV "
        "(a revision of this repository) against this checkout, alternating runs",
    )
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if importlib.util.find_spec("matplotlib") is None:
        parser.error("the explore() baseline needs matplotlib: pip install matplotlib")
    if args.against:  # an unknown revision stops the run before anything is measured
        root = Path(build.__file__).resolve().parents[1]
        git(root, "rev-parse", "--verify", f"{args.against}^{{commit}}")
    keep = args.out is not None
    out = args.out.resolve() if keep else Path(tempfile.mkdtemp(prefix="minemap-bench-"))
    out.mkdir(parents=True, exist_ok=True)
    # A terminated run still removes its temporary folders and worktree.
    signal.signal(signal.SIGTERM, lambda signum, _frame: sys.exit(128 + signum))
    try:
        info = machine()
        print("Measuring `minemap build` as a subprocess...", flush=True)
        cli = end_to_end(args.repeat, out)
        print("Measuring in process...", flush=True)
        proc = in_process(args.repeat, out)
        ab = None
        if args.against:
            print(f"Measuring against {args.against}...", flush=True)
            ab = against(args.against, args.repeat, out)
        text = report(info, cli, proc, args.repeat, ab)
        print()
        print(text, end="")
        results = {"machine": info, "subprocess": cli, "in_process": proc, "against": ab}
        (out / "results.json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
        (out / "results.txt").write_text(text, encoding="utf-8")
        if keep:
            print(f"\nOutputs, logs and results.json are in {out}")
    finally:
        if not keep:
            shutil.rmtree(out, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
