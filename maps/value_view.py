"""A choropleth of any value over any set of units (:func:`value_map`)."""

from __future__ import annotations

import folium
import geopandas as gpd

from maps.base import Legend, add_background, crosses_antimeridian, display_bounds, new_map
from maps.choropleth import Outline, Simplify, classify, polygon_layer
from maps.safehtml import detail_table, escape, fmt_number

__all__ = ["value_map"]


def value_map(
    frame: gpd.GeoDataFrame,
    column: str,
    *,
    title: str,
    unit: str = "",
    subtitle: str = "",
    source: str = "",
    palette: str = "YlOrRd",
    tolerance: float | None = None,
    tiles: str | None = None,
) -> folium.Map:
    """Map one value per unit: a choropleth of ``column`` over any set of units.

    ``frame`` holds ``code``, ``name``, ``geometry`` and ``column`` (EPSG:4326).
    The tooltip gives the unit and its value, the popup also its code and
    ``source``. Geometry is simplified as a coverage at ``tolerance`` degrees,
    by default finer for a small extent (0.005° for a country, 0.02° for the
    world).
    """
    missing = [c for c in ("code", "name", column) if c not in frame.columns]
    if missing:
        raise ValueError(f"value_map: the frame has no column(s) {', '.join(missing)}")
    shown = frame[frame[column].notna()]
    colours, legend = classify(shown[column], palette=palette, unit=unit)
    values = [f"{fmt_number(v)}{unit}" for v in shown[column]]
    tooltips = [
        f"<b>{escape(n)}</b>: {escape(v)}" for n, v in zip(shown["name"], values, strict=True)
    ]
    popups = [
        detail_table([("Code", c), (column, v), ("Source", source)], title=n)
        for n, c, v in zip(shown["name"], shown["code"], values, strict=True)
    ]
    shown = shown.assign(tooltip_html=tooltips, popup_html=popups)
    minx, miny, maxx, maxy = shown.total_bounds
    world = maxx - minx > 300
    east = not world and crosses_antimeridian(shown)
    bounds = (
        (float(minx), max(float(miny), -60.0), float(maxx), float(maxy))
        if world
        else (display_bounds(shown))
    )
    if tolerance is None:
        tolerance = 0.02 if max(maxx - minx, maxy - miny) > 60 else 0.005
    fmap = new_map(bounds, title=title, subtitle=subtitle, tiles=tiles)
    add_background(fmap, bounds)
    polygon_layer(
        shown,
        name=f"{title} ({unit.strip()})" if unit.strip() else title,
        css_class="mm-choropleth",
        fill=colours,
        outline=Outline(line="#555555", weight=0.5),
        simplify=Simplify(tolerance=tolerance, east=east, coarse_tolerance=0.2 if world else None),
    ).add_to(fmap)
    notes = [f"{len(shown)} units; {len(frame) - len(shown)} without a value are not drawn."]
    if source:
        notes.append(f"Source: {source}.")
    Legend(title, legend, notes).add_to(fmap)
    folium.LayerControl(collapsed=True).add_to(fmap)
    return fmap
