"""The incidents map: clustered markers for events and for aggregate counts."""

from __future__ import annotations

import datetime as dt
from functools import partial

import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from geo import GEONAMES_ATTRIBUTION
from geo.boundaries import unit_name
from geo.boundary_sets import BoundarySet, embedded
from layers.frames import first_positions, rows_of
from maps.base import Legend, add_background, display_bounds, new_map
from maps.choropleth import Outline, Simplify, classify, polygon_layer
from maps.labels import HAZARDS, label, located_text, period_label, year_label
from maps.markers import ClusteredMarkers, UnitBadges
from maps.pointcloud import (
    HEX_COLOURS,
    CloudDisplay,
    Dates,
    Field,
    FieldRoles,
    HeatOption,
    PointCloud,
    YearFilter,
)
from maps.popups import SOURCE_ROWS, PopupRow, popup_rows
from maps.safehtml import detail_table, escape, fmt_number

__all__ = ["MARKER_LIMIT", "incidents_map"]


_EVENT_COLOURS = {
    "casualty": "#d7191c",
    "reported_use": "#fdae61",
    "attack": "#7b3294",
    "stockpile_site": "#2b83ba",
}
#: Above this many records, a layer is drawn on a canvas from compact columns
#: (:mod:`maps.pointcloud`) instead of one clustered marker per record.
MARKER_LIMIT = 2000

_PRECISION_RADIUS = {"exact": 6, "settlement": 7, "admin1": 10, "border": 12, "admin0": 14}


#: Count fields of an incident record and their labels in popups.
_COUNTS = {
    "casualties": "Casualties",
    "killed": "Killed",
    "injured": "Injured",
    "outcome_unknown": "Outcome unknown",
    "children": "Children",
    "attacks": "Attacks",
}


def _count_text(rec: dict, key: str) -> str:
    """Write a count as the source qualifies it ("more than 600"), or ''.

    Examples
    --------
    >>> _count_text({"killed": 3, "value_qualifier": "at least"}, "killed")
    'at least 3'
    >>> _count_text({"killed": 1, "value_qualifier": float("nan")}, "killed")
    '1'
    """
    value = fmt_number(rec.get(key))
    qualifier = rec.get("value_qualifier")
    qualifier = qualifier if isinstance(qualifier, str) else ""  # a missing one is NaN
    return f"{qualifier} {value}".strip() if value and qualifier else value


def _event_text(rec: dict) -> str:
    aggregate = " (aggregate count)" if rec.get("record_type") == "aggregate" else ""
    return label(rec["event_type"]) + aggregate


#: The popup of an incident record, row by row: the same in SVG and canvas layers.
INCIDENT_POPUP = (
    PopupRow("Event", ("event_type", "record_type"), _event_text),
    PopupRow("Place as written", ("place",), lambda r: r["place"]),
    PopupRow("Hazard", ("hazard_type",), lambda r: HAZARDS.get(r["hazard_type"], r["hazard_type"])),
    PopupRow("Device", ("device",), lambda r: r.get("device")),
    PopupRow("Reported actor", ("actor",), lambda r: r.get("actor")),
    PopupRow("Civilian or military", ("civilian_status",), lambda r: r.get("civilian_status")),
    *[
        PopupRow(title, (key, "value_qualifier"), partial(_count_text, key=key))
        for key, title in _COUNTS.items()
    ],
    PopupRow("Located as", ("precision", "located_by", "source_precision"), located_text),
    PopupRow("Located by", ("located_by",), lambda r: r.get("located_by")),
    *SOURCE_ROWS,
)


def popup_for(columns) -> tuple[PopupRow, ...]:
    """Return the popup rows of incident records with these columns.

    A source preset's records also show how precisely the source placed each
    one, in the source's words, and the source's own columns it names
    (``original.sub_event_type``...), labelled as the source names them.

    Examples
    --------
    >>> [r.label for r in popup_for(["original.sub_event_type"])][-1]
    'sub_event_type (as the source writes it)'
    """
    extra = []
    if "source_precision" in columns:
        extra.append(PopupRow("Source's precision", ("source_precision",),
                              lambda r: r.get("source_precision")))  # fmt: skip
    for column in columns:
        if str(column).startswith("original."):
            name = str(column)[len("original.") :]
            extra.append(PopupRow(f"{name} (as the source writes it)", (column,),
                                  lambda r, c=column: r.get(c)))  # fmt: skip
    return (*INCIDENT_POPUP, *extra)


def _incident_popup(rec: dict, rows: tuple[PopupRow, ...] = INCIDENT_POPUP) -> str:
    return detail_table(popup_rows(rows, rec), title=f"Record {rec['record_id']}")


def _dated(rec: dict) -> bool:
    return isinstance(rec.get("date_start"), dt.date) and isinstance(rec.get("date_end"), dt.date)


def _per_unique(frame: pd.DataFrame, columns: list[str], fn, codes: dict) -> pd.Categorical:
    """``fn(row as dict)`` for each row, computed once per distinct combination of ``columns``.

    ``codes`` caches each column's codes (:func:`pandas.factorize`, missing
    values a code of their own) across calls. Returned as a categorical of the
    distinct texts: no text is repeated per row.
    """
    present = [c for c in columns if c in frame.columns]
    if not present:
        return pd.Categorical.from_codes(np.zeros(len(frame), dtype=np.int8), [fn({})])
    key = np.zeros(len(frame), dtype=np.int64)
    for column in present:
        if column not in codes:
            found, uniques = pd.factorize(frame[column], use_na_sentinel=False)
            codes[column] = (found.astype(np.int64), len(uniques))
        found, count = codes[column]
        # Combine, then number the combinations again: the key stays below len(frame).
        key = pd.factorize(key * count + found)[0].astype(np.int64)
    first = first_positions(key)
    keys = frame[present].iloc[first].astype(object)
    texts = np.empty(len(first), dtype=object)
    for code, row in zip(
        key[first], keys.where(keys.notna(), None).to_dict("records"), strict=True
    ):
        texts[code] = fn(row)
    text_codes, distinct = pd.factorize(pd.Series(texts, dtype=object))
    return pd.Categorical.from_codes(text_codes[key], distinct)


def _text(value: object) -> str:
    """Write a value as a canvas field's text: '' for a missing value."""
    return "" if value is None or value != value else str(value)


def _point_cloud(
    part: gpd.GeoDataFrame, name: str, display: CloudDisplay | None = None
) -> PointCloud:
    """Draw the records of ``part`` as one canvas layer: the popup rows of :data:`INCIDENT_POPUP`.

    Each row's text is computed once per distinct value of the fields it reads.
    """
    dates = ["date_start", "date_end", "as_of"]
    codes: dict = {}  # each column factorised once for all the fields
    popup = [
        Field(
            row.label,
            _per_unique(part, list(row.columns), lambda r, row=row: _text(row.text(r)), codes),
        )
        for row in popup_for(part.columns)
    ]
    fields = [
        Field("Record", part["record_id"].reset_index(drop=True)),
        *popup,
        Dates(
            "Date",
            part["date_start"].tolist() if "date_start" in part else [None] * len(part),
            part["date_end"].tolist() if "date_end" in part else [None] * len(part),
            _per_unique(part, dates, lambda r: "" if _dated(r) else period_label(r), codes),
        ),
        Field(
            "Event type", _per_unique(part, ["event_type"], lambda r: label(r["event_type"]), codes)
        ),
    ]
    date, kind = len(fields) - 2, len(fields) - 1
    return PointCloud(
        part.geometry.x.to_numpy(),
        part.geometry.y.to_numpy(),
        fields,
        name=name,
        roles=FieldRoles(
            tooltip_fields=[2, kind, date],  # place, event type, date
            popup_fields=list(range(len(popup) + 1)),  # "Record <id>", then the popup rows
            category_field=kind,
            colours={label(k): c for k, c in _EVENT_COLOURS.items()},
            year_field=date,
        ),
        **({"display": display} if display else {}),
    )


#: Fill of a unit with no event in the events-per-unit layer.
NO_EVENT = "#f4f4f4"


def _events_per_unit(frame: gpd.GeoDataFrame, boundary_set: BoundarySet | None, show: bool):
    """Build the layer of events per admin-1 unit, its legend entries and note (or None).

    Every unit of the events' countries is drawn, those without an event in a
    pale grey; events are counted by the unit each record was given. ``show``:
    drawn when the map opens (else ticked in the layer control): a canvas of
    many points is hovered and clicked without the units in the way.
    """
    level = boundary_set.level if boundary_set is not None else "admin1"
    events = frame[frame["record_type"].eq("event") & frame["unit_level"].eq(level)]
    if events.empty:
        return None
    bset = boundary_set if boundary_set is not None else embedded("admin1")
    counts = events.groupby("unit_code", sort=True).size()
    killed = pd.to_numeric(events.get("killed"), errors="coerce").groupby(events["unit_code"]).sum()
    engine = frame.attrs.get("engine")
    if engine is not None and engine.get("unit_events") is not None:  # all records, not those drawn
        counts = engine["unit_events"].sort_index()
        killed = engine["unit_killed"]
    countries = set(events["country"].astype(str))
    units = bset.frame
    keep = units["code"].isin(set(counts.index)) | units["country"].isin(countries)
    units = units.loc[keep, ["code", "name", "geometry"]].reset_index(drop=True)
    n = counts.reindex(units["code"]).fillna(0).astype(int).to_numpy()
    dead = killed.reindex(units["code"]).fillna(0).astype(int).to_numpy()
    has = n > 0
    colours = np.full(len(units), NO_EVENT, dtype=object)
    picked, legend = classify(n[has], palette="Blues", unit=" event(s)")
    colours[has] = picked
    units["tooltip_html"] = [
        f"<b>{escape(name)}</b>: {fmt_number(k)} event(s)"
        for name, k in zip(units["name"], n, strict=True)
    ]
    units["popup_html"] = [
        detail_table([("Unit", code), ("Events", fmt_number(k)),
                      ("Killed in events", fmt_number(d))], title=str(name))
        for code, name, k, d in zip(units["code"], units["name"], n, dead, strict=True)
    ]  # fmt: skip
    layer = polygon_layer(
        gpd.GeoDataFrame(units, geometry="geometry", crs="EPSG:4326"),
        name="Events per admin-1 unit" if level == "admin1" else f"Events per {level} unit",
        css_class="mm-per-unit",
        fill=list(colours),
        outline=Outline(line="#8c8c8c", weight=0.6, fill_opacity=0.6),
        simplify=Simplify(tolerance=0.01),
        show=show,
    )
    note = (
        f"Shaded units: events per {level} unit of {bset.source}, by the unit each record "
        "was given; pale grey: none."
    )
    return layer, [*legend, (NO_EVENT, "no event")], note


#: Colours of cluster bubbles, fewest records first (Leaflet.markercluster's default classes,
#: which the canvas of many records draws too).
CLUSTER_COLOURS = ("#6ecc39", "#f0c20c", "#f18017")

#: At most this many H3 cells are drawn: the finest resolution that fits (layers.hexagons).
HEX_CELLS_ON_MAP = 5000


def _hexagon_layer(frame: pd.DataFrame):
    """Hexagons of the H3 grid shaded by the records they hold, all of them (a cluster's counts).

    Returns the layer, its legend entries and a note; None when the layer was
    not prepared on a cluster or no record is placed at a point.
    """
    counts = (frame.attrs.get("engine") or {}).get("hexagons")
    if counts is None or counts.empty:
        return None
    import h3  # the dask extra's: only a layer prepared on a cluster has hexagon counts
    import shapely

    from layers.hexagons import map_resolution

    res = map_resolution(counts, HEX_CELLS_ON_MAP)
    if res is None:
        return None
    cells = counts[counts["resolution"].eq(res)].reset_index(drop=True)
    polygons = []
    for cell in cells["cell"]:
        ring = np.array([(lng, lat) for lat, lng in h3.cell_to_boundary(cell)])
        if np.ptp(ring[:, 0]) > 180:  # a cell across the antimeridian: drawn east of it
            ring[:, 0] = np.where(ring[:, 0] < 0, ring[:, 0] + 360, ring[:, 0])
        polygons.append(shapely.Polygon(ring))
    n = cells["records"].to_numpy()
    colours, legend = classify(n, palette="Purples", unit=" record(s)")
    area = [h3.cell_area(c, unit="km^2") for c in cells["cell"]]
    units = gpd.GeoDataFrame(
        {
            "tooltip_html": [f"{fmt_number(k)} record(s) in this hexagon" for k in n],
            "popup_html": [
                detail_table([("H3 cell", c), ("Resolution", str(res)),
                              ("Records", fmt_number(k)), ("Area", f"{a:,.0f} km²")],
                             title="Hexagon")
                for c, k, a in zip(cells["cell"], n, area, strict=True)
            ],
        },
        geometry=polygons, crs="EPSG:4326",
    )  # fmt: skip
    layer = polygon_layer(units, name=f"Records per hexagon (H3 resolution {res}, all records)",
                          css_class="mm-hexagons", fill=list(colours),
                          outline=Outline(line="#54278f", weight=0.4, fill_opacity=0.65),
                          simplify=Simplify(tolerance=None))  # fmt: skip
    note = (
        f"Hexagons: every record placed at a point, counted on the cluster's workers per cell of "
        f"the H3 grid at resolution {res} (about {np.mean(area):,.0f} km² each; the finest of "
        f"3-6 with at most {HEX_CELLS_ON_MAP:,} cells). The summary by H3 hexagon gives every "
        "resolution."
    )
    return layer, [(c, f"hexagon: {t}") for c, t in legend], note


def _sampled(frame: pd.DataFrame) -> str:
    """Say that the points are some of the records, when a cluster prepared more than drawn."""
    engine = frame.attrs.get("engine") or {}
    accepted, shown = engine.get("accepted"), engine.get("shown")
    if accepted is None or shown is None or shown >= accepted:
        return ""
    return (f"Points: the {fmt_number(shown)} most recent of {fmt_number(accepted)} records; "
            "units are shaded by all of them. ")  # fmt: skip


def _country_badges(records: pd.DataFrame) -> UnitBadges:
    """One badge per country for the records given for the whole country: count and years."""
    code = records["unit_code"].where(records["unit_level"].eq("admin0"), records["country"])
    rows = []
    for country, group in records.assign(_code=code.to_numpy()).groupby("_code", sort=True):
        recs = rows_of(group)
        point = recs[0]["geometry"]
        rows.append((round(point.y, 5), round(point.x, 5), unit_name("admin0", country),
                     [(year_label(r), r["popup_html"]) for r in recs]))  # fmt: skip
    return UnitBadges(rows, name="Records given for a whole country (count, years)",
                      css_class="mm-country-badge", said="given for the whole country")  # fmt: skip


def incidents_map(
    located: gpd.GeoDataFrame,
    *,
    tiles: str | None = None,
    title: str = "Incidents and reported use of mines and cluster munitions",
    credits: tuple[str, ...] = (),
    boundary_set: BoundarySet | None = None,
) -> folium.Map:
    """Incidents, casualty counts and reported use locations, with their precision.

    Events are clustered markers coloured by event type; the marker's size and
    outline say how precisely it is placed (a settlement, or only a region,
    border or country). Aggregate casualty counts are a separate layer. A layer
    of more than :data:`MARKER_LIMIT` records is drawn on a canvas instead
    (:mod:`maps.pointcloud`): hexagons of counts at low zoom, then clusters and
    records, with a year filter and a heat layer option. ``credits`` name the
    data's sources on the map (a source preset's, a user boundary set's). Below
    the points, a layer shades each admin-1 unit by its events (of
    ``boundary_set`` when it is an admin-1 set, else the embedded units).
    """
    frame = located.copy(deep=False)  # columns added below; the caller's frame is kept
    hexagons = _hexagon_layer(frame)  # all records, counted on a cluster: no hexagons of a sample
    big = {kind for kind, n in frame["record_type"].value_counts().items() if n > MARKER_LIMIT}
    small = frame[~frame["record_type"].isin(big)]
    small_recs = rows_of(small)
    frame["tooltip_html"] = ""
    frame["popup_html"] = ""
    frame.loc[small.index, "tooltip_html"] = [
        f"<b>{escape(r['place'])}</b>: {escape(label(r['event_type']))}"
        f"{escape(' – ' + period_label(r)) if period_label(r) else ''}"
        f" <i>({escape(located_text(r))})</i>"
        for r in small_recs
    ]
    rows = popup_for(frame.columns)
    frame.loc[small.index, "popup_html"] = [_incident_popup(r, rows) for r in small_recs]
    frame["colour"] = frame["event_type"].map(_EVENT_COLOURS)
    bounds = display_bounds(frame)
    pad = 2.0
    bounds = (bounds[0] - pad, bounds[1] - pad, bounds[2] + pad, bounds[3] + pad)
    fmap = new_map(
        bounds,
        title=title,
        subtitle=_sampled(frame)
        + (
            "Marker size and dashed outline show how precisely a record is placed."
            if not big
            else f"{fmt_number(len(frame))} records. At low zoom, hexagons count records; "
            "zoom in for clusters and single records."
            if hexagons is None
            else "Hexagons count all records; the points are clustered."
        ),
        credits=[*credits, GEONAMES_ATTRIBUTION],
        tiles=tiles,
    )
    add_background(fmap, bounds)
    notes = []
    per_unit = _events_per_unit(frame, boundary_set, show=not big)
    if per_unit is not None:
        per_unit[0].add_to(fmap)
    if hexagons is not None:
        hexagons[0].add_to(fmap)
    filtered: list[PointCloud | ClusteredMarkers | UnitBadges] = []
    nationals: list[pd.DataFrame] = []
    for record_type, name, clustered in (
        ("event", "Events and reported use", "Events and reported use (clustered)"),
        (
            "aggregate",
            "Casualty and attack counts (aggregates)",
            "Casualty and attack counts (aggregates, clustered)",
        ),
    ):
        mask = frame["record_type"].eq(record_type)
        part = frame if mask.all() else frame[mask]  # all of one type: no copy
        if part.empty:
            continue
        if record_type in big:
            points = _point_cloud(
                part,
                f"{name} ({fmt_number(len(part))} records)",
                CloudDisplay(hex_zoom=0) if hexagons is not None else None,
            )
            points.add_to(fmap)
            HeatOption(points, name=f"{name}: heat map").add_to(fmap)
            filtered.append(points)
            continue
        whole = part["precision"].eq("admin0")  # given for a whole country: a badge, below
        if whole.any():
            nationals.append(part[whole])
            part = part[~whole]
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
            for r in rows_of(part)
        ]
        markers = ClusteredMarkers(
            rows,
            name=clustered,
            css_class=f"mm-{record_type}",
            years=[year_label(r) for r in rows_of(part)],
        )
        markers.add_to(fmap)
        filtered.append(markers)
    if nationals:
        badges = _country_badges(pd.concat(nationals))
        badges.add_to(fmap)
        filtered.append(badges)
    if len({year for layer in filtered for year in layer.years}) > 1:
        YearFilter(filtered).add_to(fmap)
    if hexagons is not None:
        notes.append(hexagons[2])
        notes.append("Hexagons and clusters count records, not casualties.")
    elif big:
        notes.append(
            "Hexagons (low zoom) and clusters count records, not casualties; "
            "darker hexagons hold more records."
        )
    elif "source_precision" in frame.columns:  # points a source placed, as precisely as it says
        notes.append(
            "Small solid circles: the source's coordinates of a place. Larger dashed circles: "
            "the source's coordinates stand for a region (its precision code), or minemap "
            "placed the record at a region's representative point."
        )
    else:
        notes.append(
            "Small solid circles: a settlement (GeoNames). Larger dashed circles: placed at a "
            "region's representative point or a border midpoint: the source names no finer place."
        )
        notes.append("Numbers in clusters count records, not casualties.")
    entries = [
        (colour, label(kind))
        for kind, colour in _EVENT_COLOURS.items()
        if kind in set(frame["event_type"].unique())
    ]
    if hexagons is not None:
        entries += hexagons[1]
    elif big:
        entries += [
            (HEX_COLOURS[0], "hexagon: fewest records in view"),
            (HEX_COLOURS[-1], "hexagon: most"),
        ]
    # Cluster bubbles: Leaflet.markercluster's classes, or the canvas's for many records.
    if any(isinstance(layer, ClusteredMarkers) for layer in filtered):
        entries += list(zip(CLUSTER_COLOURS, ("cluster: 2–9 records", "cluster: 10–99",
                                              "cluster: 100 or more"), strict=True))  # fmt: skip
    if big:
        entries += list(zip(CLUSTER_COLOURS, ("cluster: up to 99 records", "cluster: 100–999",
                                              "cluster: 1,000 or more"), strict=True))  # fmt: skip
    if nationals:
        entries.append(("dashed:#6a3d9a", "badge: a country's records"))
        notes.append("A badge gives a country's records that name no place in it: how many, "
                     "and their years; it is no place where they happened.")  # fmt: skip
    if per_unit is not None and not big:  # a hidden layer's key would only crowd the legend
        entries += per_unit[1]
        notes.append(per_unit[2])
    Legend("Incidents", entries, notes).add_to(fmap)
    folium.LayerControl(collapsed=True).add_to(fmap)
    return fmap
