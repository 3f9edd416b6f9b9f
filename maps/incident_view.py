"""The incidents map: clustered markers for events and for aggregate counts."""

from __future__ import annotations

import folium
import geopandas as gpd

from geo import GEONAMES_ATTRIBUTION
from maps.base import Legend, add_background, display_bounds, new_map
from maps.labels import HAZARDS, PRECISION, label, period_label
from maps.markers import ClusteredMarkers
from maps.popups import source_rows
from maps.safehtml import detail_table, escape, fmt_number

__all__ = ["incidents_map"]


_EVENT_COLOURS = {
    "casualty": "#d7191c",
    "reported_use": "#fdae61",
    "attack": "#7b3294",
    "stockpile_site": "#2b83ba",
}
_PRECISION_RADIUS = {"exact": 6, "settlement": 7, "admin1": 10, "border": 12, "admin0": 14}


def _incident_popup(rec: dict) -> str:
    counts = [
        ("Casualties", fmt_number(rec.get("casualties"))),
        ("Killed", fmt_number(rec.get("killed"))),
        ("Injured", fmt_number(rec.get("injured"))),
        ("Outcome unknown", fmt_number(rec.get("outcome_unknown"))),
        ("Children", fmt_number(rec.get("children"))),
        ("Attacks", fmt_number(rec.get("attacks"))),
    ]
    qualifier = rec.get("value_qualifier") or ""
    rows = [
        (
            "Event",
            label(rec["event_type"])
            + (" (aggregate count)" if rec["record_type"] == "aggregate" else ""),
        ),
        ("Place as written", rec["place"]),
        ("Hazard", HAZARDS.get(rec["hazard_type"], rec["hazard_type"])),
        ("Device", rec.get("device")),
        ("Reported actor", rec.get("actor")),
        ("Civilian or military", rec.get("civilian_status")),
        *[(k, f"{qualifier} {v}".strip() if v and qualifier else v) for k, v in counts],
        ("Located as", PRECISION.get(rec["precision"], rec["precision"])),
        ("Located by", rec.get("located_by")),
        *source_rows(rec),
    ]
    return detail_table(rows, title=f"Record {rec['record_id']}")


def incidents_map(located: gpd.GeoDataFrame, *, tiles: str | None = None) -> folium.Map:
    """Incidents, casualty counts and reported use locations, with their precision.

    Events are clustered markers coloured by event type; the marker's size and
    outline say how precisely it is placed (a settlement, or only a region,
    border or country). Aggregate casualty counts are a separate layer.
    """
    frame = located.copy()
    frame["tooltip_html"] = [
        f"<b>{escape(r['place'])}</b>: {escape(label(r['event_type']))}"
        f"{escape(' – ' + period_label(r)) if period_label(r) else ''}"
        f" <i>({escape(PRECISION[r['precision']])})</i>"
        for r in frame.to_dict("records")
    ]
    frame["popup_html"] = [_incident_popup(r) for r in frame.to_dict("records")]
    frame["colour"] = frame["event_type"].map(_EVENT_COLOURS)
    bounds = display_bounds(frame)
    pad = 2.0
    bounds = (bounds[0] - pad, bounds[1] - pad, bounds[2] + pad, bounds[3] + pad)
    fmap = new_map(
        bounds,
        title="Incidents and reported use of mines and cluster munitions",
        subtitle="Marker size and dashed outline show how precisely a record is placed.",
        credits=[GEONAMES_ATTRIBUTION],
        tiles=tiles,
    )
    add_background(fmap, bounds)
    for record_type, name in (
        ("event", "Events and reported use (clustered)"),
        ("aggregate", "Casualty and attack counts (aggregates, clustered)"),
    ):
        part = frame[frame["record_type"].eq(record_type)]
        if part.empty:
            continue
        rows = [
            (
                round(r["geometry"].y, 5),
                round(r["geometry"].x, 5),
                _PRECISION_RADIUS[r["precision"]],
                r["colour"],
                r["precision"] not in ("exact", "settlement"),
                r["tooltip_html"],
                r["popup_html"],
            )
            for r in part.to_dict("records")
        ]
        ClusteredMarkers(rows, name=name, css_class=f"mm-{record_type}").add_to(fmap)
    Legend(
        "Incidents",
        [
            (colour, label(kind))
            for kind, colour in _EVENT_COLOURS.items()
            if kind in set(frame["event_type"])
        ],
        [
            "Small solid circles: a settlement (GeoNames). Larger dashed circles: placed at a "
            "region's or country's representative point or a border midpoint: the source names no "
            "finer place.",
            "Numbers in clusters count records, not casualties.",
        ],
    ).add_to(fmap)
    folium.LayerControl(collapsed=True).add_to(fmap)
    return fmap
