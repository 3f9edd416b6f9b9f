"""The hazard-area map: the polygons as surveyed, and each unit shaded by the land they cover.

Units are shaded by the union of the hazard polygons in them (overlapping
polygons counted once, :mod:`geo.overlay`); the tooltip gives the sum, the
union and the overlap, and the popup lists a few records and how many more.
The polygons are drawn above, SHA and CHA in their own colours, each popup with
its measured area.
"""

from __future__ import annotations

import folium
import geopandas as gpd

from geo.boundary_sets import BoundarySet, embedded
from layers import area_summaries
from maps.base import Legend, add_background, display_bounds, new_map
from maps.choropleth import Outline, Simplify, classify, polygon_layer
from maps.labels import HAZARDS
from maps.place_labels import PlaceLabels
from maps.popups import km2_text
from maps.safehtml import detail_table, escape, fmt_number

__all__ = ["POPUP_RECORDS", "hazards_map"]

#: Records a unit's popup names; the rest are counted (records.csv lists them all).
POPUP_RECORDS = 5

_CLASS_COLOURS = {"SHA": "#fdae61", "CHA": "#d7191c", "unknown": "#999999"}
_CLASS_NAMES = {"SHA": "Suspected hazardous area (SHA)", "CHA": "Confirmed hazardous area (CHA)",
                "unknown": "Hazard area, class not given"}  # fmt: skip


def _unit_popup(row, ids: list[str]) -> str:
    shown = ", ".join(ids[:POPUP_RECORDS])
    more = f" and {len(ids) - POPUP_RECORDS:,} more" if len(ids) > POPUP_RECORDS else ""
    return detail_table([
        ("Land any polygon covers (union)", km2_text(row.union_km2)),
        ("Sum of the polygons", km2_text(row.sum_km2)),
        ("Overlap (counted twice in the sum)", km2_text(row.overlap_km2)),
        ("SHA (sum)", km2_text(row.sha_km2)), ("CHA (sum)", km2_text(row.cha_km2)),
        ("Polygons", fmt_number(row.polygons)), ("Records", shown + more),
        ("Areas", "measured (geodesic, WGS84)"),
    ], title=str(row.name))  # fmt: skip


def _hazard_popup(rec) -> str:
    return detail_table([
        ("Class", _CLASS_NAMES.get(rec["hazard_class"], rec["hazard_class"])),
        ("Status", rec.get("status")), ("Hazard", HAZARDS.get(rec["hazard_type"])),
        ("Area (measured)", km2_text(rec["area_km2"])), ("Units covered", rec.get("units")),
        ("Outside every unit", km2_text(rec.get("area_outside_km2") or None)),
        ("Source", rec.get("source")), ("Source document", rec.get("source_file")),
    ], title=f"Record {rec['record_id']}")  # fmt: skip


def hazards_map(
    records: gpd.GeoDataFrame,
    *,
    title: str = "Suspected and confirmed hazardous areas",
    boundary_set: BoundarySet | None = None,
    tiles: str | None = None,
    credits: tuple[str, ...] = (),
) -> folium.Map:
    """Draw hazard polygons and their units shaded by the land the polygons cover."""
    info = records.attrs.get("overlay") or {}
    level = info.get("level", "admin1")
    engine = records.attrs.get("engine") or {}
    made = engine.get("hazards") or {}  # on a cluster: the table of all polygons, not those drawn
    table = made[level].table if level in made else area_summaries.hazards(records, level).table
    bset = boundary_set if boundary_set is not None else embedded("admin1")
    units = bset.frame[bset.frame["code"].isin(table["unit"])][["code", "geometry"]]
    units = units.merge(table, left_on="code", right_on="unit").reset_index(drop=True)
    pieces = info.get("pieces")
    ids = (pieces.groupby("code")["record_id"].agg(lambda s: sorted(set(s))).to_dict()
           if pieces is not None else {})  # fmt: skip
    ids = engine.get("unit_ids") or ids
    units["tooltip_html"] = [
        f"<b>{escape(r.name)}</b>: {escape(km2_text(r.union_km2))} covered "
        f"({escape(fmt_number(r.polygons))} polygons)"
        for r in units.itertuples()
    ]
    units["popup_html"] = [_unit_popup(r, ids.get(r.code, [])) for r in units.itertuples()]
    colours, legend = classify(units["union_km2"].to_numpy(), palette="Purples", unit=" km²")
    frame = gpd.GeoDataFrame(units, geometry="geometry", crs="EPSG:4326")
    bounds = display_bounds(records)
    pad = 0.5
    bounds = (bounds[0] - pad, bounds[1] - pad, bounds[2] + pad, bounds[3] + pad)
    accepted, shown = engine.get("accepted"), engine.get("shown")
    sampled = (
        f" Polygons: {fmt_number(shown)} of {fmt_number(accepted)} (the most recent); "
        "units are shaded by all of them."
        if accepted and shown < accepted
        else ""
    )
    fmap = new_map(bounds, title=title, tiles=tiles, credits=list(credits),
                   subtitle="Units shaded by the land the hazard polygons cover, overlaps "
                   f"counted once; polygons as surveyed above them.{sampled}")  # fmt: skip
    add_background(fmap, bounds)
    polygon_layer(
        frame, name="Land covered per unit (km²)", css_class="mm-choropleth", fill=colours,
        outline=Outline(line="#555555", weight=1.0, fill_opacity=0.55),
        simplify=Simplify(tolerance=0.005),
    ).add_to(fmap)  # fmt: skip
    PlaceLabels(frame[["name", "geometry"]]).add_to(fmap)
    drawn = records[~records.geometry.is_empty & records.geometry.notna()].copy()
    drawn["tooltip_html"] = [
        f"<b>{escape(r['record_id'])}</b>: {escape(r['hazard_class'])}, "
        f"{escape(km2_text(r['area_km2']))} (measured)"
        for _, r in drawn.iterrows()
    ]
    drawn["popup_html"] = [_hazard_popup(r) for _, r in drawn.iterrows()]
    fills = [_CLASS_COLOURS.get(c, "#999999") for c in drawn["hazard_class"]]
    polygon_layer(
        gpd.GeoDataFrame(drawn[["tooltip_html", "popup_html", "geometry"]], crs="EPSG:4326"),
        name="Hazard polygons (SHA, CHA)", css_class="mm-hazard", fill=fills,
        outline=Outline(line="#333333", weight=0.8, fill_opacity=0.7),
        simplify=Simplify(tolerance=None),
    ).add_to(fmap)  # fmt: skip
    entries = [(c, _CLASS_NAMES[k]) for k, c in _CLASS_COLOURS.items()
               if k in set(drawn["hazard_class"])] + legend  # fmt: skip
    Legend("Hazard areas", entries, [
        f"Shaded units: land covered by any polygon (union), km², measured geodesically on "
        f"{bset.source}; popups give the sum, the union and the overlap.",
    ]).add_to(fmap)  # fmt: skip
    folium.LayerControl(collapsed=True).add_to(fmap)
    return fmap
