"""Benchmark a whole build of many incident records: minemap against a geopandas + folium pipeline.

Run (minemap installed, e.g. ``pip install -e .``)::

    python benchmarks/bench_scale.py [--rows N ...] [--out DIR]

For each N it writes one CSV of N incident events (points in Ukraine's
oblasts, with oblast names, dates, event types and counts), then runs, each as
a child process measured with ``os.wait4`` (CPU seconds user + system, peak
RSS), alternating:

- ``minemap build`` of a project naming the CSV (read, validate, resolve each
  record to its unit, locate, summarise, draw, write);
- the pipeline a user would write instead: ``pandas.read_csv``, points with
  ``geopandas.points_from_xy``, ``geopandas.sjoin`` to the same admin-1 units,
  a ``groupby`` summary per unit written as CSV, and a map of the points with
  ``folium.plugins.FastMarkerCluster`` saved as HTML.

It prints both figures and the ratios minemap/pipeline. The pipeline does no
validation and reports nothing about bad rows; minemap does both.
"""

from __future__ import annotations

import argparse
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

PEER = """
import sys
import folium
import geopandas as gpd
import pandas as pd
from folium.plugins import FastMarkerCluster
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
fmap = folium.Map(location=[48.5, 31.5], zoom_start=6, tiles=None)
FastMarkerCluster(list(zip(rows["latitude"], rows["longitude"]))).add_to(fmap)
fmap.save(out + "/map.html")
"""


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    base = args.out or Path(tempfile.mkdtemp(prefix="minemap-scale-"))
    versions = package_versions(("minemap", "geopandas", "folium", "pandas", "shapely"))
    print(
        f"{cpu_model()}; {usable_cores()} cores; "
        + ", ".join(f"{k} {v}" for k, v in versions.items())
    )
    print(f"{'rows':>10}  {'minemap CPU s':>13}  {'pipeline CPU s':>14}  {'CPU ratio':>9}  "
          f"{'minemap RSS MB':>14}  {'pipeline RSS MB':>15}  {'RSS ratio':>9}")  # fmt: skip
    for n in args.rows:
        folder = base / f"rows-{n}"
        folder.mkdir(parents=True, exist_ok=True)
        make_rows(n, folder / "incidents.csv")
        (folder / "project.toml").write_text(
            f'title = "{n} incidents"\n[[layers]]\nname = "incidents"\nkind = "incidents"\n'
            'path = "incidents.csv"\n',
            encoding="utf-8",
        )
        (folder / "peer").mkdir(exist_ok=True)
        ours, theirs = [], []
        for i in range(args.repeat):
            ours.append(run([sys.executable, "-m", "maps.cli", "build", "project.toml",
                             "--out", f"out-{i}"], folder))  # fmt: skip
            theirs.append(run([sys.executable, "-c", PEER, "incidents.csv", "peer"], folder))
        o_cpu = float(np.median([r[0] for r in ours]))
        t_cpu = float(np.median([r[0] for r in theirs]))
        o_rss, t_rss = max(r[2] for r in ours), max(r[2] for r in theirs)
        print(f"{n:>10,}  {o_cpu:>13.2f}  {t_cpu:>14.2f}  {o_cpu / t_cpu:>9.2f}  "
              f"{o_rss:>14.0f}  {t_rss:>15.0f}  {o_rss / t_rss:>9.2f}", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
