"""Records counted in H3 hexagons at several resolutions: an aggregate that partitions add up.

A page cannot carry tens of millions of points, so a layer prepared on a Dask
cluster (:mod:`layers.engine`) is drawn from aggregates: counts per unit, and
counts per hexagon of Uber's H3 grid (h3geo.org; the ``h3`` package) at the
resolutions of :data:`RESOLUTIONS`. Each partition counts its records
(:func:`hexagon_counts`), the counts of partitions are added
(:func:`combine_hexagons`), and :func:`hexagon_summary` makes the table: each
cell's id, centre, area and count. Counts are exact whatever the partitions.

Only records placed at a point of their own (precision ``exact`` or
``settlement``) are counted: a record placed at a unit's representative point
would pile up in one hexagon that is not where it happened. The table's notes
say how many records were left to the unit counts.

H3 cells are not all of one area (about ±30 % within a resolution), so the
table gives each cell's area in km², as H3 computes it on the authalic sphere,
and its records per 1,000 km².
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from layers.summary import Summary

__all__ = ["BY_H3", "HEXAGON_PRECISIONS", "RESOLUTIONS", "combine_hexagons", "hexagon_counts",
           "hexagon_summary", "map_resolution"]  # fmt: skip

#: The ``by`` of the summary of records per hexagon (``<layer>_by_h3``).
BY_H3 = "h3"

#: H3 resolutions counted: average cell areas of about 12,400, 1,770, 253 and 36 km².
RESOLUTIONS = (3, 4, 5, 6)

#: Precisions of records counted in hexagons: placed at a point of their own.
HEXAGON_PRECISIONS = ("exact", "settlement")

_COLUMNS = ["resolution", "cell", "records"]


def hexagon_counts(records: pd.DataFrame, resolutions=RESOLUTIONS) -> pd.DataFrame:
    """Count ``records`` per H3 cell at each resolution: ``resolution``, ``cell``, ``records``.

    Examples
    --------
    >>> import geopandas as gpd
    >>> where = gpd.points_from_xy([30.52, 30.52, 30.0], [50.45, 50.45, 49.0])
    >>> recs = gpd.GeoDataFrame({"precision": ["exact", "exact", "admin1"]}, geometry=where)
    >>> hexagon_counts(recs, (5,)).to_dict("records")
    [{'resolution': 5, 'cell': '851e6387fffffff', 'records': 2}]
    """
    import h3

    placed = records[records["precision"].isin(HEXAGON_PRECISIONS)]
    if placed.empty:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in zip(
            _COLUMNS, ("int64", object, "int64"), strict=True)})  # fmt: skip
    geometry = placed.geometry
    lat, lon = geometry.y.to_numpy().tolist(), geometry.x.to_numpy().tolist()
    frames = []
    for res in resolutions:
        cells = pd.Series([h3.latlng_to_cell(y, x, res) for y, x in zip(lat, lon, strict=True)])
        counted = cells.value_counts(sort=False)
        frames.append(pd.DataFrame({"resolution": res, "cell": counted.index.to_numpy(),
                                    "records": counted.to_numpy(dtype=np.int64)}))  # fmt: skip
    return _ordered(pd.concat(frames, ignore_index=True))


def combine_hexagons(first: pd.DataFrame | None, then: pd.DataFrame | None) -> pd.DataFrame:
    """Add the counts of two parts, cell by cell."""
    parts = [p for p in (first, then) if p is not None]
    both = pd.concat(parts, ignore_index=True)
    added = both.groupby(["resolution", "cell"], as_index=False, sort=False)["records"].sum()
    return _ordered(added)


def _ordered(counts: pd.DataFrame) -> pd.DataFrame:
    return counts.sort_values(["resolution", "cell"], kind="stable").reset_index(drop=True)


def hexagon_summary(counts: pd.DataFrame, *, left_to_units: int, layer_records: int) -> Summary:
    """Make the table of counts per cell: id, centre, area (km²), records, per 1,000 km²."""
    import h3

    table = counts.copy()
    centres = [h3.cell_to_latlng(c) for c in table["cell"]]
    table["latitude"] = [round(c[0], 5) for c in centres]
    table["longitude"] = [round(c[1], 5) for c in centres]
    table["area_km2"] = [h3.cell_area(c, unit="km^2") for c in table["cell"]]
    table["records_per_1000_km2"] = table["records"] / table["area_km2"] * 1000
    table = table[["resolution", "cell", "latitude", "longitude", "area_km2", "records",
                   "records_per_1000_km2"]]  # fmt: skip
    per_res = table.groupby("resolution")["records"].sum()
    counted = int(per_res.iloc[0]) if len(per_res) else 0
    notes = [
        f"Records per cell of the H3 grid (h3geo.org) at resolutions "
        f"{', '.join(str(r) for r in RESOLUTIONS)}; each resolution counts the same "
        f"{counted:,} records placed at a point of their own (exact or settlement).",
        "Cell areas are H3's, on the authalic sphere; cells of one resolution differ in area, "
        "so compare records per 1,000 km².",
    ]
    if left_to_units:
        notes.append(
            f"{left_to_units:,} of the {layer_records:,} records are placed only at a unit's or "
            "country's point and are not counted in hexagons (the summaries by unit count them)."
        )
    return Summary("Incidents by H3 hexagon", table, notes)


def map_resolution(counts: pd.DataFrame, max_cells: int) -> int | None:
    """Return the finest resolution with at most ``max_cells`` cells (the one a map draws), if any.

    Examples
    --------
    >>> counts = pd.DataFrame({"resolution": [3, 4, 4, 4], "cell": list("abcd"), "records": 1})
    >>> map_resolution(counts, 2), map_resolution(counts, 3), map_resolution(counts, 0)
    (3, 4, None)
    """
    sizes = counts.groupby("resolution").size()
    fitting = [int(r) for r, n in sizes.items() if n <= max_cells]
    return max(fitting) if fitting else None
