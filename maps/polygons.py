"""Polygon layers whose geometry is written once per page, however many layers use it.

Every geometry a map draws goes into one :class:`GeometryStore` per page: a
JavaScript array of GeoJSON geometries, each distinct geometry written once.
A :class:`PolygonLayer` holds only indexes into that array plus its own
per-feature values (fill colour, tooltip and popup HTML), so layers that draw
the same units (a layer per year, an outline over a fill) share the
coordinates. Tooltips and popups are bound once on the layer group and built
on demand from the feature's index: no Python object and no DOM node per
feature until it is hovered or clicked.

Geometry is simplified as a coverage (shared borders stay shared) and rounded
to a number of decimals that fits the simplification, see :func:`decimals_for`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import shapely
from branca.element import Element, Figure
from folium.map import Layer
from jinja2 import Template

from maps.safehtml import js_literal

__all__ = [
    "GeometryStore",
    "PolygonLayer",
    "decimals_for",
    "display_geometries",
    "east_of_180",
]

#: Keep popups clear of the title panel (top left) and the legend (bottom right)
#: when Leaflet pans the map to show them.
POPUP_PADDING = {"autoPanPaddingTopLeft": [20, 150], "autoPanPaddingBottomRight": [370, 30]}


def decimals_for(tolerance: float | None) -> int:
    """Decimals that keep rounding error under a tenth of the simplification tolerance.

    Unsimplified geometry keeps 5 decimals (about 1 m), the precision the
    maps' zoom range can show.

    Examples
    --------
    >>> decimals_for(0.02), decimals_for(0.005), decimals_for(0.1), decimals_for(None)
    (3, 4, 2, 5)
    """
    if not tolerance:
        return 5
    return min(5, max(1, math.ceil(-math.log10(tolerance / 10))))


def east_of_180(xy: np.ndarray) -> np.ndarray:
    """Move coordinates west of -90° by +360°, so Leaflet draws them east of 180°.

    Examples
    --------
    >>> east_of_180(np.array([[-170.0, 65.0], [170.0, 65.0]])).tolist()
    [[190.0, 65.0], [170.0, 65.0]]
    """
    out = xy.copy()
    out[:, 0] = np.where(out[:, 0] < -90, out[:, 0] + 360, out[:, 0])
    return out


def display_geometries(
    frame: gpd.GeoDataFrame,
    *,
    tolerance: float | None,
    east: bool = False,
    simplified: bool = False,
) -> np.ndarray:
    """Geometries of ``frame`` as drawn: coverage-simplified, east-shifted, rounded.

    ``simplified`` says the geometry is already simplified at ``tolerance``
    (it is then only rounded to fit it).
    """
    geoms = np.asarray(frame.geometry.values)
    if tolerance and not simplified:
        geoms = shapely.coverage_simplify(geoms, tolerance)
    if east:
        geoms = shapely.transform(geoms, east_of_180)
    places = decimals_for(tolerance)
    return shapely.transform(geoms, lambda xy: np.round(xy, places))


class GeometryStore(Element):
    """The page's array of distinct geometries (GeoJSON text), written once.

    Use :meth:`of` to get the store of a map's page; :meth:`add` returns the
    index of each geometry in the array ``<store name>`` the page defines.
    """

    def __init__(self) -> None:
        super().__init__()
        self._name = "GeometryStore"
        self._index: dict[str, int] = {}
        self._texts: list[str] = []

    @classmethod
    def of(cls, figure: Figure) -> GeometryStore:
        """The store of ``figure`` (a map's root), created on first use."""
        store = figure.script._children.get("minemap_geometry")
        if store is None:
            store = cls()
            # First in the page's script, before any layer that reads it.
            figure.script.add_child(store, name="minemap_geometry", index=0)
        return store

    def add(self, geometries: Sequence[shapely.Geometry]) -> list[int]:
        """Index of each geometry in the store, adding the ones not yet in it."""
        indexes = []
        for text in shapely.to_geojson(np.asarray(geometries, dtype=object)):
            if text not in self._index:
                self._index[text] = len(self._texts)
                self._texts.append(text)
            indexes.append(self._index[text])
        return indexes

    def __len__(self) -> int:
        return len(self._texts)

    def render(self, **kwargs: object) -> str:
        """The JavaScript that defines the array (GeoJSON cannot close a script)."""
        return f"var {self.get_name()} = [\n" + ",\n".join(self._texts) + "\n];"


class PolygonLayer(Layer):
    """A layer of polygons drawn from the page's geometry store.

    Parameters
    ----------
    geometries : sequence of shapely geometries
        Already prepared for display (see :func:`display_geometries`).
    name : str
        Layer name in the layer control.
    css_class : str
        Class of every polygon's SVG path.
    fills : sequence of str, optional
        Fill colour per feature (CSS hex); no fill when omitted.
    tooltips, popups : sequence of str, optional
        HTML per feature, built only from escaped text (:mod:`maps.safehtml`).
        A layer with neither is not interactive.
    style : dict
        Leaflet path options shared by all features (``color``, ``weight``,
        ``dashArray``, ``fillOpacity``...).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function () {
            var geometry = {{ this.store_name }};
            var index = {{ this.index_js }};
            var fills = {{ this.fills_js }};
            var tips = {{ this.tooltips_js }};
            var pops = {{ this.popups_js }};
            var base = {{ this.style_js }};
            function style(f) {
                var s = Object.assign({}, base);
                if (fills) { s.fillColor = fills[f.id]; } else { s.fillOpacity = 0; }
                return s;
            }
            var features = index.map(function (g, i) {
                return {type: "Feature", id: i, properties: {}, geometry: geometry[g]};
            });
            var group = L.geoJSON(features, {
                style: style, smoothFactor: {{ this.smooth_factor }},
                interactive: {{ this.interactive_js }}
            });
            if (tips) {
                group.bindTooltip(function (l) { return tips[l.feature.id]; }, {sticky: true});
            }
            if (pops) {
                group.bindPopup(function (l) { return pops[l.feature.id]; }, {{ this.popup_js }});
            }
            if ({{ this.interactive_js }}) {
                var hover = {{ this.hover_js }};
                group.on("mouseover", function (e) { e.layer.setStyle(hover); });
                group.on("mouseout", function (e) { group.resetStyle(e.layer); });
            }
            return group;
        })();
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(
        self,
        geometries: Sequence[shapely.Geometry],
        *,
        name: str,
        css_class: str,
        fills: Sequence[str] | None = None,
        tooltips: Sequence[str] | None = None,
        popups: Sequence[str] | None = None,
        style: dict | None = None,
        hover: dict | None = None,
        show: bool = True,
        overlay: bool = True,
        control: bool = True,
        smooth_factor: float = 0.5,
    ) -> None:
        super().__init__(name=name, overlay=overlay, control=control, show=show)
        self._name = "PolygonLayer"
        n = len(geometries)
        for label, values in (("fills", fills), ("tooltips", tooltips), ("popups", popups)):
            if values is not None and len(values) != n:
                raise ValueError(f"{label}: {len(values)} values for {n} geometries")
        self.geometries = list(geometries)
        self.fills_js = js_literal(list(fills) if fills is not None else None)
        self.tooltips_js = js_literal(list(tooltips) if tooltips is not None else None)
        self.popups_js = js_literal(list(popups) if popups is not None else None)
        interactive = tooltips is not None or popups is not None
        self.interactive_js = "true" if interactive else "false"
        self.style_js = js_literal({**(style or {}), "className": css_class})
        self.hover_js = js_literal(hover or {"weight": 3, "color": "#000000"})
        self.popup_js = js_literal({"maxWidth": 420, **POPUP_PADDING})
        self.smooth_factor = float(smooth_factor)
        self.store_name = ""
        self.index_js = "[]"

    def render(self, **kwargs: object) -> None:
        """Put the geometry in the page's store, then write the layer's script."""
        store = GeometryStore.of(self.get_root())
        self.store_name = store.get_name()
        self.index_js = js_literal(store.add(self.geometries))
        super().render(**kwargs)
