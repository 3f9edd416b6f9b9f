"""Benchmark whole builds of many incident records: minemap against what people would use instead.

Run (minemap installed, e.g. ``pip install -e ".[bench]"``; lonboard is optional)::

    python benchmarks/bench_peers.py [--rows N ...] [--repeat K] [--out DIR] [--no-world]

For each N it writes one CSV of N incident events (points in Ukraine's
oblasts, with oblast names, dates, event types and counts), then runs, each as
a child process measured with ``os.wait4`` (CPU seconds user + system, peak
RSS), in turn:

- ``minemap build`` of a project naming the CSV (read, validate, resolve each
  record to its unit, locate, summarise, draw, write);
- the pipelines a user would write instead, each from the same CSV:
  ``pandas.read_csv``, points with ``geopandas.points_from_xy``,
  ``geopandas.sjoin`` to the same admin-1 units, a ``groupby`` summary per
  unit written as CSV, and a map of the points saved as HTML, drawn with
  ``folium.plugins.FastMarkerCluster``, with ``folium.plugins.HeatMap``, or
  (when installed) with lonboard's ``ScatterplotLayer`` and ``Map.to_html``.

It prints each figure and the ratios minemap/pipeline. The pipelines do no
validation and report nothing about bad rows; minemap does both.

Unless ``--no-world``, it also times one world choropleth of the 4,596
admin-1 units (a value per unit, their geodesic area): minemap's
``maps.views.value_map`` rendered and written, against
``GeoDataFrame.explore()`` as-is and tuned (geometry simplified to 0.01°,
``prefer_canvas=True``), each saved as HTML; explore() needs matplotlib
(the ``bench`` extra).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from machine import cpu_model, package_versions, usable_cores

import geo

#: Read, join and summarise as a geopandas user would; ``draw(rows, points)`` makes the map.
_JOIN = """
import sys
import geopandas as gpd
import pandas as pd
import geo

path, out = sys.argv[1], sys.argv[2]
rows = pd.read_csv(path)
points = gpd.GeoDataFrame(
    rows, geometry=gpd.points_from_xy(rows["longitude"], rows["latitude"]), crs="EPSG:4326"
)
units = geo.admin1()[["code", "name", "geometry"]]
joined = gpd.sjoin(points, units, predicate="within", how="left")
summary = joined.groupby("code").agg(events=("record_id", "size"), killed=("killed", "sum"),
                                     injured=("injured", "sum"))
summary.to_csv(out + "/summary.csv")
"""

PEERS = {
    "FastMarkerCluster": _JOIN
    + """
import folium
from folium.plugins import FastMarkerCluster
fmap = folium.Map(location=[48.5, 31.5], zoom_start=6, tiles=None)
FastMarkerCluster(list(zip(rows["latitude"], rows["longitude"]))).add_to(fmap)
fmap.save(out + "/map.html")
""",
    "HeatMap": _JOIN
    + """
import folium
from folium.plugins import HeatMap
fmap = folium.Map(location=[48.5, 31.5], zoom_start=6, tiles=None)
HeatMap(list(zip(rows["latitude"], rows["longitude"]))).add_to(fmap)
fmap.save(out + "/map.html")
""",
    "lonboard": _JOIN
    + """
from lonboard import Map, ScatterplotLayer
layer = ScatterplotLayer.from_geopandas(points[["record_id", "event_type", "geometry"]])
Map(layer).to_html(out + "/map.html")
""",
}

#: The world choropleth: minemap's value_map, explore() as-is, explore() tuned.
WORLD = {
    "minemap value_map": """
import sys
import geo
from geo.area import area_km2
from maps.views import render, value_map
units = geo.admin1()[["code", "name", "geometry"]]
units["value"] = [area_km2(g) for g in units.geometry]
html = render(value_map(units, "value", title="Area", unit=" km²"))
open(sys.argv[1] + "/world.html", "w", encoding="utf-8").write(html)
""",
    "explore() as-is": """
import sys
import geo
from geo.area import area_km2
units = geo.admin1()[["code", "name", "geometry"]]
units["value"] = [area_km2(g) for g in units.geometry]
units.explore(column="value").save(sys.argv[1] + "/world.html")
""",
    "explore() tuned": """
import sys
import geo
from geo.area import area_km2
units = geo.admin1()[["code", "name", "geometry"]]
units["value"] = [area_km2(g) for g in units.geometry]
units = units.set_geometry(units.geometry.simplify(0.01))
units.explore(column="value", prefer_canvas=True, tiles=None).save(sys.argv[1] + "/world.html")
""",
}


def make_rows(n: int, path: Path, seed: int = 1) -> None:
    """Write ``n`` incident events with points inside Ukraine's oblasts."""
    rng = np.random.default_rng(seed)
    units = geo.admin1()
    ukraine = units[units["code"].str.startswith("UA-")].reset_index(drop=True)
    pick = rng.integers(0, len(ukraine), n)
    inner = ukraine.geometry.representative_point()
    frame = pd.DataFrame({
        "record_id": [f"e{i}" for i in range(n)],
        "place": ukraine["name"].to_numpy()[pick],
        "country": "UKR",
        "record_type": "event",
        "event_type": rng.choice(["casualty", "reported_use", "attack"], n),
        "hazard_type": rng.choice(["ap_mines", "av_mines", "erw"], n),
        "latitude": np.round(inner.y.to_numpy()[pick] + rng.normal(0, 0.03, n), 5),
        "longitude": np.round(inner.x.to_numpy()[pick] + rng.normal(0, 0.03, n), 5),
        "killed": rng.integers(0, 3, n),
        "injured": rng.integers(0, 3, n),
        "source": rng.choice(["ACLED", "UN OHCHR", "HALO Trust"], n),
    })  # fmt: skip
    day = pd.Timestamp("2022-03-01") + pd.to_timedelta(rng.integers(0, 900, n), unit="D")
    frame["date_start"] = frame["date_end"] = day.strftime("%Y-%m-%d")
    frame.to_csv(path, index=False)


def run(cmd: list[str], cwd: Path) -> tuple[float, float, float]:
    """Run a child; return (CPU seconds, wall seconds, peak RSS MB)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{proc.stderr.read().decode(errors='replace')}")
    return usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024


def _median(runs: list[tuple[float, float, float]]) -> tuple[float, float]:
    """Median CPU seconds and largest peak RSS of repeated runs."""
    return float(np.median([r[0] for r in runs])), max(r[2] for r in runs)


def _available(peers: dict[str, str]) -> dict[str, str]:
    needs = {"lonboard": "lonboard", "explore() as-is": "matplotlib",
             "explore() tuned": "matplotlib"}  # fmt: skip
    out = {}
    for name, script in peers.items():
        module = needs.get(name)
        if module and importlib.util.find_spec(module) is None:
            print(f"({name}: {module} is not installed, skipped)")
            continue
        out[name] = script
    return out


HEADER = (
    f"{'rows':>10}  {'peer':<18}  {'minemap CPU s':>13}  {'peer CPU s':>10}  "
    f"{'CPU ratio':>9}  {'minemap RSS MB':>14}  {'peer RSS MB':>11}  {'RSS ratio':>9}"
)


def _row(n: object, name: str, ours: tuple[float, float], theirs: tuple[float, float]) -> str:
    (o_cpu, o_rss), (t_cpu, t_rss) = ours, theirs
    rows = f"{n:>10,}" if isinstance(n, int) else f"{n:>10}"
    return (f"{rows}  {name:<18}  {o_cpu:>13.2f}  {t_cpu:>10.2f}  {o_cpu / t_cpu:>9.2f}  "
            f"{o_rss:>14.0f}  {t_rss:>11.0f}  {o_rss / t_rss:>9.2f}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--no-world", action="store_true", help="skip the world choropleth")
    args = parser.parse_args()
    base = args.out or Path(tempfile.mkdtemp(prefix="minemap-scale-"))
    names = ("minemap", "geopandas", "folium", "pandas", "shapely", "lonboard", "matplotlib")
    versions = package_versions(names)
    print(
        f"{cpu_model()}; {usable_cores()} cores; "
        + ", ".join(f"{k} {v}" for k, v in versions.items())
    )
    print(f"CPU: user + system seconds, median of {args.repeat}; RSS: largest peak.")
    peers = _available(PEERS)
    print(HEADER)
    for n in args.rows:
        folder = base / f"rows-{n}"
        folder.mkdir(parents=True, exist_ok=True)
        make_rows(n, folder / "incidents.csv")
        (folder / "project.toml").write_text(
            f'title = "{n} incidents"\n[[layers]]\nname = "incidents"\nkind = "incidents"\n'
            'path = "incidents.csv"\n',
            encoding="utf-8",
        )
        ours: list = []
        theirs: dict[str, list] = {name: [] for name in peers}
        for i in range(args.repeat):
            ours.append(run([sys.executable, "-m", "maps.cli", "build", "project.toml",
                             "--out", f"out-{i}"], folder))  # fmt: skip
            for name, script in peers.items():
                (folder / "peer").mkdir(exist_ok=True)
                theirs[name].append(run([sys.executable, "-c", script, "incidents.csv", "peer"],
                                        folder))  # fmt: skip
        for name in peers:
            print(_row(n, name, _median(ours), _median(theirs[name])), flush=True)
    if args.no_world:
        return
    world = _available(WORLD)
    folder = base / "world"
    results = {}
    for name, script in world.items():
        (folder / name.split()[0].strip("()")).mkdir(parents=True, exist_ok=True)
        runs = [run([sys.executable, "-c", script, name.split()[0].strip("()")], folder)
                for _ in range(args.repeat)]  # fmt: skip
        results[name] = _median(runs)
    print("\nWorld choropleth of the 4,596 admin-1 units (value_map against explore()):")
    print(HEADER)
    for name in world:
        if name != "minemap value_map":
            print(_row("world", name, results["minemap value_map"], results[name]))


if __name__ == "__main__":
    main()
