"""Hazard areas per unit in three steps: count some polygons, combine parts, finish the table.

The summary of hazard polygons by admin1 or admin0 (:func:`hazards`) is made
from the pieces :mod:`layers.hazards` cut from each polygon. It is a sum over
pieces except for the union, which is a geometry per unit, so it is made as the
Dask engine (:mod:`layers.engine`) makes it on a layer's partitions:
:func:`hazard_partial` sums one part's pieces per unit and keeps their union;
:func:`combine_hazards` adds two parts' sums and unites their unions;
:func:`finish_hazards` measures each unit's union (geodesic, WGS84) and writes
the table and notes. The local engine runs the same steps on one part.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import shapely

from geo.boundaries import unit_name
from layers.summary import Summary, add_rows

__all__ = ["RELEASE", "HazardPartial", "combine_hazards", "finish_hazards", "hazard_partial",
           "hazards"]  # fmt: skip

#: Statuses of a hazard area in land release (IMAS 08.10), as summary columns.
RELEASE = ("open", "cancelled", "reduced", "cleared")

#: Columns of the table of hazard areas per unit.
COLUMNS = ["unit", "name", "polygons", "sha_km2", "cha_km2", "sum_km2", "union_km2",
           "overlap_km2", *(f"{s}_km2" for s in RELEASE)]  # fmt: skip

#: Record ids kept per unit for a map's popup (the first, as text).
IDS_KEPT = 1000


@dataclass
class HazardPartial:
    """Sums of some hazard pieces per unit (``admin1``) or country (``admin0``), with unions.

    ``rows`` maps a unit to its polygon count, its sums (km²: SHA, CHA, all,
    per status), its number of pieces, the union of its pieces and its first
    record ids; ``outside`` is the area of polygons outside every unit.
    """

    by: str
    rows: dict = field(default_factory=dict)
    outside: float = 0.0
    source: str = ""
    names: dict = field(default_factory=dict)
    records: int = 0


def hazard_partial(records: pd.DataFrame, by: str) -> HazardPartial:
    """Sum the pieces of ``records``' polygons per unit or country (see the class)."""
    info = records.attrs.get("overlay")
    outside = float(records.get("area_outside_km2", pd.Series(dtype=float)).sum())
    part = HazardPartial(by, outside=outside, records=len(records))
    if not info or records.empty:
        return part
    part.source = info["source"]
    pieces = info["pieces"]
    classes = dict(zip(records["record_id"], records["hazard_class"], strict=True))
    status = records["status"] if "status" in records else pd.Series("", index=records.index)
    states = dict(zip(records["record_id"], status.fillna("").replace("", "open"), strict=True))
    pieces = pieces.assign(hazard_class=pieces["record_id"].map(classes),
                           status=pieces["record_id"].map(states))  # fmt: skip
    if by == "admin0":
        pieces = pieces.assign(key=pieces["code"].map(info["unit_countries"]))
    else:
        pieces = pieces.assign(key=pieces["code"])
        part.names = dict(info["unit_names"])
    for key, group in pieces.groupby("key", sort=True):
        by_class = group.groupby("hazard_class")["area_km2"].sum()
        by_status = group.groupby("status")["area_km2"].sum()
        geoms = group["geometry"].to_numpy()
        part.rows[key] = {
            "polygons": int(group["record_id"].nunique()),
            "sha_km2": float(by_class.get("SHA", 0.0)), "cha_km2": float(by_class.get("CHA", 0.0)),
            "sum_km2": float(group["area_km2"].sum()),
            **{f"{k}_km2": float(by_status.get(k, 0.0)) for k in RELEASE},
            "pieces": len(group),
            "union": geoms[0] if len(geoms) == 1 else shapely.union_all(geoms),
            "ids": sorted(set(group["record_id"].astype(str)))[:IDS_KEPT],
        }  # fmt: skip
    return part


_SUMS = ("polygons", "sha_km2", "cha_km2", "sum_km2", *(f"{s}_km2" for s in RELEASE), "pieces")


def combine_hazards(first: HazardPartial, then: HazardPartial) -> HazardPartial:
    """Add two parts' sums per unit and unite their unions."""

    def unite(mine: dict, row: dict) -> None:
        mine["union"] = shapely.union(mine["union"], row["union"])
        mine["ids"] = sorted(set(mine["ids"]) | set(row["ids"]))[:IDS_KEPT]

    return HazardPartial(first.by, add_rows(first.rows, then.rows, _SUMS, unite),
                         first.outside + then.outside, first.source or then.source,
                         {**then.names, **first.names}, first.records + then.records)  # fmt: skip


def finish_hazards(part: HazardPartial) -> Summary:
    """Measure each unit's union and make the table and notes (see :func:`hazards`)."""
    from geo.overlay import geodesic_areas

    by = part.by
    if not part.source:  # no polygon was overlaid
        return Summary(f"Hazard areas by {by}", pd.DataFrame(columns=COLUMNS), [])
    keys = sorted(part.rows)
    several = [k for k in keys if part.rows[k]["pieces"] > 1]
    measured = dict(zip(several, geodesic_areas([part.rows[k]["union"] for k in several]),
                        strict=True))  # fmt: skip
    table_rows = []
    for key in keys:
        row = part.rows[key]
        union = float(measured[key]) if key in measured else row["sum_km2"]
        name = unit_name("admin0", key) if by == "admin0" else part.names.get(key, key)
        table_rows.append({
            "unit": key, "name": name, "polygons": row["polygons"],
            "sha_km2": row["sha_km2"], "cha_km2": row["cha_km2"], "sum_km2": row["sum_km2"],
            "union_km2": union, "overlap_km2": max(row["sum_km2"] - union, 0.0),
            **{f"{k}_km2": row[f"{k}_km2"] for k in RELEASE},
        })  # fmt: skip
    notes = [
        f"Areas measured geodesically (WGS84) on {part.source}; each polygon split across "
        "the units it covers.",
        "sum_km2 counts each polygon whole (overlapping polygons twice); union_km2 counts land "
        "any polygon covers once; overlap_km2 is their difference.",
        "Land release (IMAS 08.10), sums of polygons by status: open_km2 still hazardous (status "
        "empty or open), cancelled_km2 by non-technical survey, reduced_km2 by technical survey, "
        "cleared_km2 by clearance.",
    ]
    if part.outside:
        notes.append(
            f"{part.outside:,.3f} km² of the polygons lie outside every unit and are in no row."
        )
    return Summary(f"Hazard areas by {by}", pd.DataFrame(table_rows, columns=COLUMNS), notes)


def hazards(records: pd.DataFrame, by: str) -> Summary:
    """Summarise hazard areas per unit: polygons, their sum, their union and the overlap.

    The sum counts each polygon whole (overlapping polygons twice); the union
    counts land covered by any polygon once; the overlap is the difference.
    Each polygon's area is split across the units it covers (:mod:`geo.overlay`);
    by ``admin0`` a country is the union of its units' pieces.
    """
    return finish_hazards(hazard_partial(records, by))
