"""The parts every minemap map shares: an offline base map, title, legend, notes.

The base map loads only Leaflet (no jQuery, Bootstrap or icon fonts), has no
tile layer unless one is asked for, and draws its own background of country
outlines from the embedded boundaries, so it reads with no network at all.
All text placed by these elements is escaped (:mod:`maps.safehtml`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from functools import cache
from typing import ClassVar

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import xyzservices
from branca.element import Element, MacroElement
from jinja2 import Template

from geo import admin0
from geo.boundaries import boundaries_file
from geo.cache import cached_geometries, file_digest
from geo.errors import MinemapError, OptionError
from maps.polygons import (
    Detail,
    PathStyle,
    PolygonLayer,
    Renderer,
    decimals_for,
    display_geometries,
    east_of_180,
)
from maps.safehtml import escape, js_literal, js_string
from maps.safetext import terminal_text
from maps.scripts import LayersScript
from maps.stacked import STACK_CSS

__all__ = [
    "DrawnSignal",
    "Legend",
    "MapText",
    "NothingToDraw",
    "OfflineMap",
    "add_background",
    "check_tiles",
    "crosses_antimeridian",
    "display_bounds",
    "new_map",
    "shift_east",
]

_LEAFLET = "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet"

#: Attribution shown on every map (escaped HTML is built from it).
BOUNDARY_CREDIT = "Boundaries: Made with Natural Earth (public domain)"

_CSS = (
    """
<style>
.folium-map.leaflet-container { background: #dde8f0; }
.leaflet-container { font: 13px/1.4 "DejaVu Sans", Arial, sans-serif; }
.mm-panel { background: rgba(255,255,255,0.94); padding: 8px 10px; border-radius: 4px;
  box-shadow: 0 1px 4px rgba(0,0,0,0.35); max-width: 340px; max-height: 40vh; overflow: auto;
  overflow-wrap: anywhere; }
.leaflet-control-layers-list { max-height: 50vh; overflow: auto; max-width: 340px;
  overflow-wrap: anywhere; }
.mm-title h1 { font-size: 16px; margin: 0 0 2px 0; }
.mm-title p { margin: 0; color: #444; font-size: 12px; }
.mm-legend h2 { font-size: 13px; margin: 0 0 4px 0; }
.mm-legend .mm-swatch { display: inline-block; width: 14px; height: 12px; margin-right: 6px;
  vertical-align: middle; border: 1px solid #777; }
.mm-legend .mm-row { white-space: nowrap; }
.mm-legend p { margin: 4px 0 0 0; color: #444; font-size: 11px; }
.mm-detail h4 { margin: 0 0 4px 0; font-size: 13px; }
.mm-detail p { margin: 4px 0; font-size: 12px; }
.mm-detail table, .mm-list { border-collapse: collapse; font-size: 12px; }
.mm-detail th { text-align: left; padding: 1px 8px 1px 0; color: #555; vertical-align: top;
  white-space: nowrap; }
.mm-detail td { padding: 1px 0; max-width: 320px; overflow-wrap: anywhere; }
.mm-list th, .mm-list td { border-bottom: 1px solid #ddd; padding: 2px 4px; text-align: left;
  vertical-align: top; }
.leaflet-popup-content { max-height: 360px; overflow-y: auto; }
path.leaflet-interactive:focus:not(:focus-visible) { outline: 0; }
.mm-legend .mm-swatch.mm-dashed { background: none; border: 2px dashed; }
.mm-years h2 { font-size: 13px; margin: 0 0 4px 0; }
.mm-years-range { white-space: nowrap; font-size: 12px; margin-bottom: 4px; }
.mm-years-range select { font-size: 12px; }
.mm-year { display: block; white-space: nowrap; font-size: 12px; }
.mm-years button { font-size: 11px; margin: 4px 4px 0 0; }
.mm-years p { margin: 4px 0 0 0; color: #444; font-size: 11px; }
.mm-foldable { position: relative; }
.mm-foldable > .mm-toggle { position: absolute; top: 4px; right: 4px; border: 1px solid #999;
  background: #fff; border-radius: 3px; font-size: 12px; line-height: 1; padding: 2px 6px;
  cursor: pointer; }
.mm-foldable:not(.mm-folded) > h2 { padding-right: 26px; }
.mm-panel.mm-folded { padding: 0; overflow: visible; }
.mm-folded > :not(.mm-toggle) { display: none !important; }
.mm-folded > .mm-toggle { position: static; font: bold 13px/1.2 "DejaVu Sans", Arial, sans-serif;
  padding: 7px 10px; border: 0; background: transparent; }
.mm-title.mm-terse p { display: none; }
@media print {
  /* Printed (a standalone map or a report with an embed): no controls to press, the legend
     and credits whole, colours (cluster bubbles, fills, swatches) as on screen. */
  .leaflet-control-zoom, .leaflet-control-layers, .mm-years, .mm-stepper, .mm-toggle,
  .leaflet-tooltip { display: none !important; }
  .mm-legend.mm-folded > :not(.mm-toggle) { display: block !important; }
  .mm-legend.mm-folded { padding: 4px 6px; }
  .mm-panel { box-shadow: none; border: 1px solid #999; padding: 4px 6px;
    max-height: none !important; overflow: visible !important; }
  .mm-title h1 { font-size: 12px; }
  .mm-title p, .mm-legend p { font-size: 8px; margin-top: 2px; }
  .mm-legend h2 { font-size: 10px; margin-bottom: 2px; }
  .mm-legend .mm-row { font-size: 9px; line-height: 1.25; }
  .mm-legend .mm-swatch { width: 9px; height: 8px; }
  .leaflet-control-attribution, .leaflet-control-scale-line { font-size: 8px; }
  html, body, .leaflet-container, .leaflet-container * {
    -webkit-print-color-adjust: exact !important; print-color-adjust: exact !important; }
}
.leaflet-container .leaflet-top { z-index: 1001; }  /* an opened layer list: over the legend */
.leaflet-control-attribution { white-space: normal; }
.mm-stepper h2 { font-size: 13px; margin: 0 0 4px 0; }
.mm-place-anchor { width: 0; height: 0; }
.mm-place { position: absolute; transform: translate(-50%, -50%); white-space: nowrap;
  font-size: 11px; font-weight: bold; color: #333; text-shadow: 0 0 2px #fff, 0 0 2px #fff,
  0 0 3px #fff; pointer-events: none; }
.mm-badge { width: 0; height: 0; }
.mm-badge-inner { position: absolute; transform: translate(-50%, -50%); white-space: nowrap;
  background: rgba(255,255,255,0.92); border: 2px dashed #6a3d9a; border-radius: 4px;
  padding: 2px 6px; font-size: 11px; line-height: 1.25; text-align: center; color: #222;
  box-shadow: 0 1px 3px rgba(0,0,0,0.3); cursor: pointer; }
.mm-badge-compact { padding: 0 4px; }
.mm-badge-compact b, .mm-badge-compact br { display: none; }
.mm-badge-compact span { font-size: 0; }
.mm-badge-compact::after { content: attr(data-mm-count); font-size: 11px; font-weight: bold; }
.mm-stepper-row { display: flex; align-items: center; gap: 6px; }
.mm-stepper-row output { min-width: 7em; text-align: center; font-weight: bold; }
.mm-slider { width: 100%; margin: 4px 0 0 0; }
.mm-stepper-ends { color: #444; font-size: 11px; }
"""
    + STACK_CSS
    + """</style>
"""
)


class NothingToDraw(MinemapError, ValueError):
    """The records give a map nothing to draw; the message says why."""


class OfflineMap(folium.Map):
    """A folium map that loads Leaflet only: what minemap's maps need, nothing more."""

    default_js: ClassVar = [("leaflet", f"{_LEAFLET}.js")]
    default_css: ClassVar = [("leaflet_css", f"{_LEAFLET}.css")]


class MapText(LayersScript, MacroElement):
    """A panel of escaped HTML placed on the map as a Leaflet control.

    Parameters
    ----------
    html : str
        HTML built only from escaped text (see :mod:`maps.safehtml`).
    position : str
        Leaflet control position, e.g. ``"topright"``.
    css_class : str
        Class of the panel, e.g. ``"mm-title"``.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        minemapLayers.panel({{ this._parent.get_name() }}, {{ this.html_js }},
                            {{ this.position_js }}, {{ this.class_js }}, {{ this.fold_js }});
        {% endmacro %}
        """
    )

    def __init__(
        self, html: str, *, position: str, css_class: str, fold: tuple[str, int] | None = None
    ) -> None:
        super().__init__()
        self._name = "MapText"
        self.html_js = js_string(html)
        self.position_js = js_string(position)
        self.class_js = js_string(f"mm-panel {css_class}")
        # A panel that folds into a button named fold[0] when the map is small (fold[1]: order).
        self.fold_js = js_literal({"name": fold[0], "order": fold[1]}) if fold else "null"


class Attribution(MacroElement):
    """Add escaped credit lines to the map's attribution control."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {% for line in this.lines_js %}
        {{ this._parent.get_name() }}.attributionControl.addAttribution({{ line }});
        {% endfor %}
        {% endmacro %}
        """
    )

    def __init__(self, lines: Sequence[str]) -> None:
        super().__init__()
        self._name = "Attribution"
        self.lines_js = [js_string(escape(line)) for line in lines]


class FitWhenShown(LayersScript, MacroElement):
    """Fit the map to its bounds for its size, and again when its container first gets one.

    The padding left for the title and legend is at most a share of the map, so
    a phone-sized map still shows its data. A map drawn while hidden, or in a
    frame not yet laid out (an embedded snippet, a closed ``<details>``, a tab),
    has a zero-size container: it is fitted once the container is visible.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        minemapLayers.fitWhenShown({{ this._parent.get_name() }}, {{ this.bounds_js }});
        {% endmacro %}
        """
    )

    def __init__(self, bounds: tuple[float, float, float, float]) -> None:
        super().__init__()
        self._name = "FitWhenShown"
        minx, miny, maxx, maxy = bounds
        self.bounds_js = json.dumps([[miny, minx], [maxy, maxx]])


class DrawnSignal(LayersScript, MacroElement):
    """Mark the map container ``data-mm-drawn="true"`` once every layer is drawn.

    The page's layers are all added by one script; once the promises that
    layers put in ``window.minemapPending`` are settled, two animation frames
    later they have been drawn and painted. PNG export, tests and the
    browser benchmark wait for this mark.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        minemapLayers.signalDrawn({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "DrawnSignal"


class Legend(MapText):
    """A legend: a title, colour swatches with labels, and notes (all escaped).

    Parameters
    ----------
    title : str
        Legend heading, e.g. "Planned clearance 2018 (km²)".
    entries : sequence of (str, str)
        ``(colour, label)`` pairs; colours are CSS hex strings, or
        ``"dashed:#hex"`` for an outline-only swatch.
    notes : sequence of str
        Lines under the swatches: sources, composition used, caveats.
    """

    def __init__(
        self,
        title: str,
        entries: Sequence[tuple[str, str]],
        notes: Sequence[str] = (),
        *,
        position: str = "bottomright",
    ) -> None:
        def swatch(colour: str) -> str:
            if colour.startswith("dashed:"):
                style = f"border-color:{escape(colour[7:])}"
                return f'<span class="mm-swatch mm-dashed" style="{style}"></span>'
            return f'<span class="mm-swatch" style="background:{escape(colour)}"></span>'

        rows = "".join(
            f'<div class="mm-row">{swatch(colour)}{escape(label)}</div>'
            for colour, label in entries
        )
        text = "".join(f"<p>{escape(n)}</p>" for n in notes)
        super().__init__(
            f"<h2>{escape(title)}</h2>{rows}{text}",
            position=position,
            css_class="mm-legend",
            fold=("Legend", 1),
        )


def check_tiles(tiles: str | None) -> str | None:
    """Return the xyzservices name of a tile provider, or None for no tiles.

    Only named providers are accepted: a tile URL template or any other text
    would reach the page as given.

    Raises
    ------
    geo.errors.OptionError
        When ``tiles`` names no provider.

    Examples
    --------
    >>> check_tiles("OpenStreetMap Mapnik"), check_tiles(None)
    ('OpenStreetMap.Mapnik', None)
    """
    if tiles is None:
        return None
    try:
        return xyzservices.providers.query_name(str(tiles)).name
    except ValueError:
        raise OptionError(
            f"tiles: no tile provider called {terminal_text(tiles)!r}; expected an xyzservices "
            "name such as 'OpenStreetMap Mapnik' or 'Esri WorldImagery'. Fix: pass one of "
            "those names, or leave tiles out (the maps draw their own background)"
        ) from None


def new_map(
    bounds: tuple[float, float, float, float],
    *,
    title: str,
    subtitle: str = "",
    credits: Sequence[str] = (),
    tiles: str | None = None,
) -> folium.Map:
    """Create an offline map fitted to ``bounds`` with title, scale bar and credits.

    Parameters
    ----------
    bounds : (minx, miny, maxx, maxy)
        Area to show, in degrees.
    title, subtitle : str
        Shown in a panel at the top left (escaped).
    credits : sequence of str
        Extra attribution lines (escaped), after the boundary credit.
    tiles : str, optional
        A folium/xyzservices tile provider name for use online; none by default,
        since the map must read offline.
    """
    fmap = OfflineMap(
        location=[(bounds[1] + bounds[3]) / 2, (bounds[0] + bounds[2]) / 2],
        tiles=None,
        control_scale=True,
        zoom_start=3,
        # Map-level zoom limits (folium passes its own min/max_zoom to tiles only);
        # marker clustering needs maxZoom on the map.
        minZoom=1,
        maxZoom=12,
        zoomSnap=0.25,
        prefer_canvas=False,
    )
    fmap.get_root().header.add_child(Element(_CSS), name="minemap_css")
    fmap.get_root().title = escape(title)  # the page's <title>: tabs, bookmarks, screen readers
    if tiles:
        folium.TileLayer(check_tiles(tiles), name="Tiles (online)").add_to(fmap)
    heading = f"<h1>{escape(title)}</h1>" + (f"<p>{escape(subtitle)}</p>" if subtitle else "")
    fmap.add_child(MapText(heading, position="topleft", css_class="mm-title"))
    fmap.add_child(Attribution([BOUNDARY_CREDIT, *credits]))
    # Fitted for the map's size, leaving room for the title (top left) and the legend
    # (bottom right): in the page, when it is shown (maps/templates/layers.js).
    fmap.add_child(FitWhenShown(bounds))
    fmap.add_child(DrawnSignal())
    return fmap


def crosses_antimeridian(frame: gpd.GeoDataFrame) -> bool:
    """Whether some geometry of ``frame`` has parts on both sides of 180°.

    Examples
    --------
    >>> from geo import units
    >>> chukotka, chechnya = units("admin1", ["RU-CHU"]), units("admin1", ["RU-CE"])
    >>> crosses_antimeridian(chukotka), crosses_antimeridian(chechnya)
    (True, False)
    """
    bounds = shapely.bounds(np.asarray(frame.geometry.values))
    return bool(((bounds[:, 0] < -150) & (bounds[:, 2] > 150)).any())


def shift_east(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Move coordinates west of -90° by +360°, so a frame that crosses 180° draws in one piece.

    Only for drawing frames that lie east of -90° but for parts past 180°
    (such as Russia's Chukotka); Leaflet draws longitudes above 180° east of it.
    """
    return frame.set_geometry(shapely.transform(np.asarray(frame.geometry.values), east_of_180))


def display_bounds(frame: gpd.GeoDataFrame) -> tuple[float, float, float, float]:
    """Bounds to fit a map to, east-shifted when the frame crosses 180°."""
    if crosses_antimeridian(frame):
        frame = shift_east(frame)
    minx, miny, maxx, maxy = frame.total_bounds
    return float(minx), float(miny), float(maxx), float(maxy)


#: Simplification (degrees) of the background drawn below zoom 4.
COARSE_TOLERANCE = 0.4


@cache
def _simplified_countries(tolerance: float) -> gpd.GeoDataFrame:
    """All countries simplified together (shared borders stay shared), once per tolerance.

    The result is kept in minemap's disk cache (:mod:`geo.cache`), keyed by the
    embedded data's bytes, the countries and the tolerance: it takes over a
    second to compute and is the same every time.
    """
    countries = admin0()[["code", "geometry"]]
    geoms = np.asarray(countries.geometry.values)

    def simplify() -> np.ndarray:
        return shapely.make_valid(shapely.coverage_simplify(geoms, tolerance))

    codes = hashlib.sha256("\n".join(countries["code"]).encode("utf-8")).hexdigest()
    parts = (file_digest(boundaries_file("admin0")), codes, repr(float(tolerance)))
    simple = cached_geometries("background", parts, len(geoms), simplify)
    return countries.assign(geometry=simple)


def add_background(
    fmap: folium.Map, bounds: tuple[float, float, float, float], *, tolerance: float = 0.1
) -> None:
    """Draw country outlines from the embedded admin-0 boundaries under the data.

    Countries are clipped to ``bounds`` widened by a margin; where the bounds
    run past 180° (an east-shifted map) the countries there are drawn again
    shifted by 360°.
    """
    minx, miny, maxx, maxy = bounds
    # Generous margins: the visible window is wider than the bounds when the
    # map's aspect ratio differs from theirs, and the user pans.
    margin_x = max(maxx - minx, 90)
    margin_y = max(maxy - miny, 40)
    window = (
        minx - margin_x,
        max(miny - margin_y, -89.9),
        maxx + margin_x,
        min(maxy + margin_y, 89.9),
    )
    countries = _simplified_countries(tolerance)
    pieces = []
    for offset in (-360, 0, 360):
        box = shapely.box(window[0] - offset, window[1], window[2] - offset, window[3])
        clipped = countries.clip(box)
        clipped = clipped[~clipped.is_empty]
        if not clipped.empty:
            pieces.append(clipped.set_geometry(clipped.translate(xoff=offset)))
    frame = gpd.GeoDataFrame(pd.concat(pieces, ignore_index=True), crs=countries.crs)
    frame = frame[frame.geom_type.isin(["Polygon", "MultiPolygon", "GeometryCollection"])]
    # Below zoom 4 (a pixel is over 0.1°) a coarser copy is drawn: a world of
    # outlines redraws faster.
    coarse = shapely.simplify(
        np.asarray(frame.geometry.values), COARSE_TOLERANCE, preserve_topology=True
    )
    PolygonLayer(
        display_geometries(frame, tolerance=tolerance, simplified=True),
        name="Countries (background)",
        style=PathStyle(
            "mm-background",
            ["#f5f3ee"] * len(frame),
            {"fillOpacity": 1, "color": "#9a9a9a", "weight": 0.7},
            smooth_factor=1,
        ),
        # The coarse copy is quantised to its decimals when written.
        detail=Detail(decimals_for(tolerance), coarse, decimals_for(COARSE_TOLERANCE), 4),
        # Below the data whether the data are SVG paths or a canvas; a canvas
        # redraws a world of outlines (and its copies past 180°) faster than SVG.
        renderer=Renderer(canvas=True, pane="minemapBackground", pane_z=350),
    ).add_to(fmap)
