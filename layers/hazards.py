"""Hazard areas (SHA, CHA) overlaid with units: the ``overlay`` reach of :mod:`layers.prepare`.

Each record is a polygon. :func:`overlay` splits it across the units of the
layer's boundary set (the embedded admin-1 units by default) with
:func:`geo.overlay.overlay_units`: the record keeps its polygon, measured
(``area_km2``, geodesic, labelled ``measured``), and gains the unit holding
most of it (``unit_code``), every unit it covers (``units``) and its area
outside every unit. The pieces go with the records (``records.attrs``) for the
summaries: per unit the sum of the polygons, their union and the overlap.

A polygon that is missing, empty, not a polygon or outside every unit is a
reject, each with its own reason; a polygon repaired (invalid ring) or partly
outside is kept, and a note says so with the areas.
"""

from __future__ import annotations

import time

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.boundary_sets import BoundarySet, embedded
from geo.errors import reject
from geo.overlay import overlay_units
from layers.frames import rejects_frame, rows_of

__all__ = ["AREA_BASIS", "overlay"]

#: How a hazard's area is known: minemap measured it.
AREA_BASIS = "measured (geodesic, WGS84)"

_REASONS = {
    "null": ("the record has no polygon (its geometry is missing)",
             "give the hazard's polygon, or leave the row out"),
    "empty": ("the polygon is empty", "give the hazard's polygon, or leave the row out"),
    "not polygonal": ("a point or a line has no area: a hazard area is a polygon",
                      "give the hazard's polygon"),
    "outside": ("the polygon lies outside every unit of {source} ({area:,.3f} km²)",
                "check the coordinates (and their CRS), or the boundary set"),
}  # fmt: skip


def overlay(
    records: pd.DataFrame, path: str, boundary_set: BoundarySet | None, notes: list[str]
) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """Overlay hazard records with units; return the accepted records and the rejects."""
    bset = boundary_set if boundary_set is not None else embedded("admin1")
    n = len(records)
    geoms = (records.geometry.to_numpy() if "geometry" in records.columns
             else np.full(n, None, dtype=object))  # fmt: skip
    units = bset.frame
    given = set(records["country"].dropna().astype(str)) - {""} if "country" in records else set()
    if given and bset.builtin:
        units = units[units["country"].isin(given)]
    started = time.perf_counter()
    result = overlay_units(geoms, units[["code", "geometry"]])
    seconds = time.perf_counter() - started
    problems = result.problems
    refused = problems[problems["problem"].isin(list(_REASONS))]
    rows = rows_of(records.iloc[refused["polygon"].to_numpy()])
    found = []
    for (_, problem), rec in zip(refused.iterrows(), rows, strict=True):
        reason, fix = _REASONS[problem["problem"]]
        reason = reason.format(source=bset.source, area=problem["area_km2"])
        found.append(reject(path, rec.get("row"), "geometry", "", reason, fix, rec))
    bad = set(refused["polygon"].tolist())
    keep = np.array([i for i in range(n) if i not in bad], dtype=np.int64)
    for kind, said in (("invalid", "repaired with shapely.make_valid (polygonal parts kept)"),
                       ("partly outside", "partly outside every unit")):  # fmt: skip
        some = problems[problems["problem"].eq(kind)]
        if len(some):
            first = records["record_id"].iloc[int(some["polygon"].iloc[0])]
            what = "after repair" if kind == "invalid" else "outside"
            notes.append(f"{len(some):,} polygon(s) {said}: {some['area_km2'].sum():,.3f} km² "
                         f"{what} (e.g. {first})")  # fmt: skip
    pieces = result.pieces
    inside = pieces[pieces["code"].ne("")]
    largest = inside.sort_values(["polygon", "area_km2"], ascending=[True, False])
    largest = largest.drop_duplicates("polygon").set_index("polygon")["code"]
    covered = inside.groupby("polygon")["code"].agg(lambda c: ";".join(sorted(set(c))))
    outside = pieces[pieces["code"].eq("")].groupby("polygon")["area_km2"].sum()
    kept = records.iloc[keep].copy()
    kept["unit_level"] = bset.level
    kept["unit_code"] = largest.reindex(keep).to_numpy()
    kept["unit_resolved_by"] = "overlay"
    kept["units"] = covered.reindex(keep).fillna("").to_numpy()
    kept["area_km2"] = result.areas[keep]
    kept["area_outside_km2"] = outside.reindex(keep).fillna(0.0).to_numpy()
    kept["area_basis"] = AREA_BASIS
    kept["unit_name"] = [bset.unit_name(c) for c in kept["unit_code"]]
    unit_country = {c: bset.unit_country(c) for c in set(kept["unit_code"])}
    country = kept["country"].fillna("").astype(str) if "country" in kept else ""
    kept["country"] = np.where(country == "", kept["unit_code"].map(unit_country), country)
    kept = kept.reset_index(drop=True)
    ids = records["record_id"].to_numpy()
    kept.attrs["overlay"] = {
        "pieces": inside.assign(record_id=ids[inside["polygon"].to_numpy()]).reset_index(drop=True),
        "source": bset.source, "level": bset.level, "seconds": seconds,
        "polygons": n, "units": len(units),
        "unit_names": {c: bset.unit_name(c) for c in set(inside["code"])},
        "unit_countries": {c: bset.unit_country(c) for c in set(inside["code"])},
    }  # fmt: skip
    return gpd.GeoDataFrame(kept, geometry="geometry", crs="EPSG:4326"), rejects_frame(found)
