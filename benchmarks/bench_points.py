"""Benchmark assigning points to admin-1 units: minemap against ``geopandas.sjoin``.

Run (minemap installed, e.g. ``pip install -e .``)::

    python benchmarks/bench_points.py [--points N] [--seed S]

It draws N points uniformly over a box around Ukraine and south-western
Russia (some fall at sea or outside both), assigns each to the embedded
Natural Earth admin-1 unit that covers it with
``BoundarySet.units_at`` and with ``geopandas.sjoin(..., predicate="within")``
on the same units, and prints CPU seconds (this process, ``time.process_time``),
points per CPU-second, the ratio minemap/sjoin, and whether the two assign
every point alike. Both start from the same GeoDataFrame of units, with its
spatial index built beforehand.
"""

from __future__ import annotations

import argparse
import time

import geopandas as gpd
import numpy as np
import shapely
from machine import cpu_model, package_versions, usable_cores

from geo.boundary_sets import embedded


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    units = embedded("admin1")
    units.frame.sindex  # noqa: B018 (build the index before timing, for both)
    rng = np.random.default_rng(args.seed)
    x = rng.uniform(22.0, 50.0, args.points)
    y = rng.uniform(43.0, 56.0, args.points)
    points = shapely.points(x, y)

    start = time.process_time()
    ours = units.units_at(points)
    ours_s = time.process_time() - start

    frame = gpd.GeoDataFrame(geometry=points, crs="EPSG:4326")
    start = time.process_time()
    joined = gpd.sjoin(frame, units.frame[["code", "geometry"]], predicate="within", how="left")
    joined = joined[~joined.index.duplicated(keep="first")]
    theirs = [None if c != c else c for c in joined["code"].reindex(frame.index).tolist()]
    sjoin_s = time.process_time() - start

    differ = sum(a != b for a, b in zip(ours, theirs, strict=True))
    placed = sum(c is not None for c in ours)
    print(
        f"{cpu_model()}; {usable_cores()} cores; "
        + ", ".join(
            f"{k} {v}" for k, v in package_versions(("minemap", "geopandas", "shapely")).items()
        )
    )
    print(f"{args.points:,} points, {placed:,} in a unit, {len(units.frame):,} units")
    print(
        f"minemap BoundarySet.units_at: {ours_s:.2f} CPU s ({args.points / ours_s:,.0f} points/s)"
    )
    print(
        f"geopandas.sjoin (within):     {sjoin_s:.2f} CPU s ({args.points / sjoin_s:,.0f} points/s)"
    )
    print(f"ratio minemap/sjoin (CPU): {ours_s / sjoin_s:.2f}")
    print(f"points assigned differently: {differ:,}")


if __name__ == "__main__":
    main()
