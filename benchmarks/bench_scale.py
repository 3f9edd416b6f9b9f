"""Benchmark the engines at scale: N incident events in partitions, resolved and counted.

Run (minemap installed with Dask, e.g. ``pip install -e ".[dask]"``)::

    python benchmarks/bench_scale.py [--rows N ...] [--partition-rows R] [--workers W]
                                     [--memory-limit M] [--local-max-rows L] [--out DIR]

For each N (default 1,000,000, 10,000,000 and 30,000,000) it writes N
synthetic events as partitioned GeoParquet (R rows per file, default 250,000;
in ``--out``, a temporary folder by default, never in the repository): points
uniform over Ukraine (those outside the country are rejected, as a real
archive's stray points are), dates over 2022-2024, event types and casualty
counts; 95% of the points are drawn inside the embedded outline of Ukraine,
5% in the box around it. It then prepares the layer and makes its summaries by
admin1 and admin0, once on the local engine and once on a LocalCluster of W
workers (default 2), each in a child process measured with ``os.wait4`` (the
launcher of ``bench_build.py``): wall and CPU seconds, rows per wall second,
the driver's peak RSS (its own ``ru_maxrss``: the child's ``wait4`` figure
would be the largest of its worker processes), and on the cluster each
worker's peak RSS (``ru_maxrss``, asked of the workers at the end). The
summaries of the two engines are compared; a difference is printed. The same N
gives the same files. The local engine holds every row (about 1.3 GiB per
million rows), so it is not run above ``--local-max-rows`` (default
12,000,000) and the line says so. At the end it prints the Dask driver's peak
RSS against the rows: flat when the driver holds no row.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from bench_build import run_child, source_version, table
from machine import cpu_model, usable_cores

SEED = 20261206
PROJECT = '[[layers]]\nname = "events"\nkind = "incidents"\npath = "events"\n'


def write_partitions(folder: Path, rows: int, per_file: int) -> int:
    """Write ``rows`` synthetic events as GeoParquet files of ``per_file`` rows; count the files."""
    import geopandas as gpd
    import pandas as pd
    import shapely

    from geo import units

    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(SEED)
    country = shapely.union_all(units("admin0", ["UKR"]).geometry.to_numpy())
    shapely.prepare(country)

    def points(n: int):
        xs, ys = [], []
        while sum(len(x) for x in xs) < n:
            x, y = rng.uniform(22.0, 40.3, 2 * n), rng.uniform(44.3, 52.4, 2 * n)
            inside = shapely.contains_xy(country, x, y)
            xs.append(x[inside])
            ys.append(y[inside])
        x, y = np.concatenate(xs)[:n], np.concatenate(ys)[:n]
        stray = rng.random(n) < 0.05
        x[stray], y[stray] = (
            rng.uniform(22.0, 40.3, stray.sum()),
            rng.uniform(44.3, 52.4, stray.sum()),
        )
        return gpd.points_from_xy(x, y)

    files, done = 0, 0
    days = pd.date_range("2022-01-01", "2024-12-31", freq="D").strftime("%Y-%m-%d").to_numpy()
    while done < rows:
        n = min(per_file, rows - done)
        frame = gpd.GeoDataFrame(
            {
                "record_id": np.char.add("ev", np.arange(done, done + n).astype(str)),
                "record_type": "event",
                "event_type": rng.choice(["casualty", "reported_use", "attack"], n),
                "hazard_type": "mines",
                "place": "",
                "country": "UKR",
                "date_start": rng.choice(days, n),
                "source": "Synthetic archive",
                "casualties": rng.integers(0, 6, n),
                "killed": rng.integers(0, 3, n),
            },
            geometry=points(n),
            crs=4326,
        )
        frame.to_parquet(folder / f"part-{files:05d}.parquet")
        files += 1
        done += n
    return files


def child(engine: str, project: Path, workers: int, memory_limit: str) -> None:
    """Prepare the layer and make its summaries; print what was done as JSON."""
    import resource

    import pandas as pd

    from layers import engine as cluster
    from layers.pipeline import prepare_project, summaries
    from layers.project import EngineSpec, load_project

    spec = load_project(project)
    start = time.perf_counter()
    workers_rss: list[float] = []
    if engine == "local":
        done = prepare_project(spec)
    else:
        setting = EngineSpec("dask", workers=workers, memory_limit=memory_limit)
        layer = spec.layers[0]
        with cluster.client(setting) as c:
            p = cluster.prepare_on_cluster(layer, spec.path, None, None, engine=setting,
                                           dask_client=c)  # fmt: skip
            rss = c.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
            workers_rss = sorted(v / 1024 for v in rss.values())
        done = prepare_project(spec, only=set())
        done.layers[layer.name] = p
    made = summaries(done)
    seconds = time.perf_counter() - start
    p = done.layers["events"]
    tables = {f"{k[0]}/{k[1]}": v.table.to_json(orient="split") for k, v in made.items()}
    driver = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # this process alone
    print(json.dumps({"seconds": seconds, "rows": p.rows_read, "accepted": p.n_accepted,
                      "rejected": p.rejected, "workers_rss": workers_rss, "driver_rss": driver,
                      "tables": tables}))  # fmt: skip
    del pd


def same_tables(local: dict, dask: dict) -> str:
    """Compare the engines' summaries: those both make, and those only the cluster makes."""
    both = sorted(set(local) & set(dask))
    differ = [k for k in both if local[k] != dask[k]]
    only = sorted(set(dask) - set(local)) + [f"{k} (local only)" for k in set(local) - set(dask)]
    verdict = "DIFFER: " + ", ".join(differ) if differ else "equal"
    said = f"{len(both)} summaries of both engines {verdict}"
    return said + (f"; made by one engine only: {', '.join(only)}" if only else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=float, nargs="+", default=[1e6, 1e7, 3e7])
    parser.add_argument("--local-max-rows", type=float, default=12e6)
    parser.add_argument("--partition-rows", type=int, default=250_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--memory-limit", default="3GiB")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        engine, project, workers, memory = args.child
        child(engine, Path(project), int(workers), memory)
        return
    base = args.out or Path(tempfile.mkdtemp(prefix="minemap-engine-"))
    print(f"minemap engine benchmark, {time.strftime('%Y-%m-%dT%H:%M%z')}")
    print(f"Python {platform.python_version()} on {platform.platform()}; {cpu_model()}; "
          f"{usable_cores()} cores; minemap source {source_version()}")  # fmt: skip
    print(f"Data in {base} (GeoParquet, {args.partition_rows:,} rows per file); "
          f"{args.workers} workers of {args.memory_limit} on the cluster")  # fmt: skip
    rows_out, flat = [], []
    for rows in (int(r) for r in args.rows):
        folder = base / f"n{rows}"
        if not (folder / "events").exists():
            started = time.perf_counter()
            files = write_partitions(folder / "events", rows, args.partition_rows)
            took = time.perf_counter() - started
            print(f"{rows:,} rows written as {files} files in {took:.1f} s")
        (folder / "project.toml").write_text(PROJECT, encoding="utf-8")
        results = {}
        for engine in ("local", "dask"):
            if engine == "local" and rows > args.local_max_rows:
                print(f"{rows:,} rows: the local engine is not run (over --local-max-rows "
                      f"{args.local_max_rows:,.0f}: it would hold about "
                      f"{1.3 * rows / 1e6:,.0f} GiB)")  # fmt: skip
                continue
            log = folder / f"{engine}.log"
            cmd = [sys.executable, str(Path(__file__).resolve()), "--child", engine,
                   str(folder / "project.toml"), str(args.workers), args.memory_limit]  # fmt: skip
            run = run_child(cmd, Path(__file__).resolve().parent, log)
            said = json.loads(log.read_text(encoding="utf-8").strip().splitlines()[-1])
            results[engine] = said
            rows_out.append([
                f"{rows:,}", engine, f"{run.wall:.1f}", f"{run.cpu:.1f}",
                f"{rows / run.wall:,.0f}", f"{said['driver_rss']:,.0f}",
                ", ".join(f"{v:,.0f}" for v in said["workers_rss"]) or "-",
                f"{said['accepted']:,}", f"{said['rejected']:,}",
            ])  # fmt: skip
        if "local" in results:
            same = same_tables(results["local"]["tables"], results["dask"]["tables"])
            print(f"{rows:,} rows: {same}")
        flat.append((rows, results["dask"]["driver_rss"], max(results["dask"]["workers_rss"])))
    print()
    print(table(["rows", "engine", "wall s", "CPU s", "rows/s", "driver peak RSS MiB",
                 "worker peak RSS MiB", "accepted", "rejected"], rows_out))  # fmt: skip
    if len(flat) > 1:
        (r0, d0, w0), (r1, d1, w1) = flat[0], flat[-1]
        slope = (d1 - d0) / ((r1 - r0) / 1e6)
        print(
            f"\nDask driver peak RSS: {', '.join(f'{d:,.0f} MiB at {r:,}' for r, d, _ in flat)} "
            f"rows: {slope:+.1f} MiB per million rows; largest worker {w0:,.0f} -> {w1:,.0f} MiB"
        )


if __name__ == "__main__":
    main()
