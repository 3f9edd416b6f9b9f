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

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import shapely
from branca.element import Element, Figure
from folium.map import Layer
from jinja2 import Template

from maps.safehtml import js_literal, layer_label
from maps.scripts import add_page_script

__all__ = [
    "Detail",
    "FeatureTexts",
    "GeometryStore",
    "PathStyle",
    "PolygonLayer",
    "Renderer",
    "decimals_for",
    "decode_geometry",
    "display_geometries",
    "east_of_180",
    "encode_geometries",
]

#: A popup's first pan keeps it 8 px inside the map; as it opens, the map's layout pads it
#: clear of the panels as they are laid out (the title, an open legend: layers.js).
POPUP_PADDING = {"autoPanPaddingTopLeft": [8, 8], "autoPanPaddingBottomRight": [8, 8]}


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


def _varint_chars(values: np.ndarray) -> np.ndarray:
    """Signed integers as polyline characters (zigzag, 5-bit groups, offset 63), as bytes.

    Returns the bytes of all values concatenated and the end offset of each value.
    """
    zig = ((values << 1) ^ (values >> 63)).astype(np.uint64)
    groups = np.empty((len(zig), 13), dtype=np.uint64)
    for k in range(13):
        groups[:, k] = (zig >> np.uint64(5 * k)) & np.uint64(31)
    # Number of 5-bit groups each value needs (at least one).
    bits = np.zeros(len(zig), dtype=np.int64)
    rest = zig.copy()
    while rest.any():
        bits += rest > 0
        rest >>= np.uint64(5)
    count = np.maximum(bits, 1)
    more = np.arange(13)[None, :] < (count[:, None] - 1)
    chars = (groups + np.where(more, 32, 0).astype(np.uint64) + np.uint64(63)).astype(np.uint8)
    keep = np.arange(13)[None, :] < count[:, None]
    return chars[keep], np.cumsum(count)


def encode_geometries(geometries: Sequence[shapely.Geometry], decimals: int) -> list[str]:
    """Encode polygons compactly: one JSON text per geometry, ``[decimals, polygons]``.

    ``polygons`` is a list of polygons, each a list of rings, each ring one
    string: the ring's coordinates (x, y, x, y...) times ``10**decimals``,
    as differences from the previous coordinate (the first from 0), written
    with the Google polyline character encoding. The closing coordinate of each
    ring is left out. An empty or non-polygonal geometry gives ``null``.
    A coordinate costs 1 to 4 characters instead of about 8 to 19 in GeoJSON.

    Examples
    --------
    >>> encode_geometries([shapely.box(0, 0, 1, 1)], 1)
    ['[1,[["S??SR??R"]]]']
    >>> decode_geometry('[1,[["S??SR??R"]]]').equals(shapely.box(0, 0, 1, 1))
    True
    """
    geoms = np.asarray(geometries, dtype=object)
    parts, part_of = shapely.get_parts(geoms, return_index=True)
    polygonal = shapely.get_type_id(parts) == 3
    parts, part_of = parts[polygonal], part_of[polygonal]
    rings, ring_of = shapely.get_rings(parts, return_index=True)
    coords, coord_of = shapely.get_coordinates(rings, return_index=True)
    # Leave out each ring's closing coordinate (the last of the ring).
    last = np.r_[coord_of[1:] != coord_of[:-1], True] if len(coord_of) else np.zeros(0, bool)
    coords, coord_of = coords[~last], coord_of[~last]
    q = np.round(coords * 10**decimals).astype(np.int64)
    deltas = np.diff(q, axis=0, prepend=np.zeros((1, 2), dtype=np.int64))
    starts = np.r_[True, coord_of[1:] != coord_of[:-1]] if len(coord_of) else np.zeros(0, bool)
    deltas[starts] = q[starts]
    chars, ends = _varint_chars(deltas.ravel())
    text = chars.tobytes().decode("ascii")
    # Character span of each ring: two values per coordinate.
    coord_end = ends[1::2]
    ring_last = np.flatnonzero(np.r_[coord_of[1:] != coord_of[:-1], True]) if len(coord_of) else []
    ring_text: dict[int, str] = {}
    begin = 0
    for idx in ring_last:
        end = int(coord_end[idx])
        ring_text[int(coord_of[idx])] = text[begin:end]
        begin = end
    polygons: list[list[list[str]]] = [[] for _ in range(len(geoms))]
    ring_lists: dict[int, list[str]] = {}
    for r, p in enumerate(ring_of):
        ring = ring_text.get(r)
        if ring is None:  # a ring too short to draw
            continue
        if p not in ring_lists:
            ring_lists[p] = []
            polygons[part_of[p]].append(ring_lists[p])
        ring_lists[p].append(ring)
    return [
        json.dumps([decimals, polys], separators=(",", ":")) if polys else "null"
        for polys in polygons
    ]


def decode_geometry(text: str) -> shapely.Geometry | None:
    """Decode one geometry written by :func:`encode_geometries` (for tests and tools)."""
    data = json.loads(text)
    if data is None:
        return None
    decimals, polygons = data
    scale = 10**decimals
    shapes = []
    for rings in polygons:
        coords = []
        for ring in rings:
            values, value, shift = [], 0, 0
            for ch in ring.encode("ascii"):
                b = ch - 63
                value |= (b & 31) << shift
                shift += 5
                if b < 32:
                    values.append((value >> 1) ^ -(value & 1))
                    value, shift = 0, 0
            xy = np.cumsum(np.asarray(values, dtype=np.int64).reshape(-1, 2), axis=0) / scale
            coords.append(xy)
        shapes.append(shapely.Polygon(coords[0], coords[1:]))
    return shapes[0] if len(shapes) == 1 else shapely.MultiPolygon(shapes)


class GeometryStore(Element):
    """The page's array of distinct geometries, each written once (compactly encoded).

    Use :meth:`of` to get the store of a map's page; :meth:`add` returns the
    index of each geometry in it. The page defines ``<store name>`` as a
    function from an index to a GeoJSON geometry (decoded on first use).
    """

    def __init__(self) -> None:
        super().__init__()
        self._name = "GeometryStore"
        self._index: dict[str, int] = {}
        self._texts: list[str] = []

    @classmethod
    def of(cls, figure: Figure) -> GeometryStore:
        """Return the store of ``figure`` (a map's root), creating it on first use."""
        store = figure.script._children.get("minemap_geometry")
        if store is None:
            store = cls()
            # First in the page's script, before any layer that reads it.
            figure.script.add_child(store, name="minemap_geometry", index=0)
            add_page_script(figure, "layers.js")
        return store

    def add(self, geometries: Sequence[shapely.Geometry], decimals: int) -> list[int]:
        """Index of each geometry in the store, adding the ones not yet in it."""
        indexes = []
        for text in encode_geometries(geometries, decimals):
            if text not in self._index:
                self._index[text] = len(self._texts)
                self._texts.append(text)
            indexes.append(self._index[text])
        return indexes

    def __len__(self) -> int:
        return len(self._texts)

    def render(self, **kwargs: object) -> str:
        """Write the JavaScript that defines the store (encoded rings never hold ``<``).

        It is written as it is, never as a template (the page's script renders
        its children's text).
        """
        entries = ",\n".join(self._texts)
        return f"var {self.get_name()} = minemapLayers.store([\n{entries}\n]);"


@dataclass(frozen=True)
class PathStyle:
    """How a layer's polygons look.

    Parameters
    ----------
    css_class : str
        Class of every polygon's SVG path.
    fills : sequence of str, optional
        Fill colour per feature (CSS hex); no fill when omitted.
    options : mapping
        Leaflet path options shared by all features (``color``, ``weight``,
        ``dashArray``, ``fillOpacity``...).
    hover : mapping, optional
        Path options while the mouse is over a feature.
    smooth_factor : float
        Leaflet's simplification of paths on screen.
    """

    css_class: str
    fills: Sequence[str] | None = None
    options: Mapping[str, object] = field(default_factory=dict)
    hover: Mapping[str, object] | None = None
    smooth_factor: float = 0.5


@dataclass(frozen=True)
class FeatureTexts:
    """Tooltip and popup HTML of each feature (escaped, :mod:`maps.safehtml`)."""

    tooltips: Sequence[str] | None = None
    popups: Sequence[str] | None = None


@dataclass(frozen=True)
class Detail:
    """How finely a layer's geometry is written.

    ``decimals`` of the coordinates (:func:`decimals_for`); ``coarse``: the
    same features simplified further, drawn below zoom ``coarse_below`` with
    ``coarse_decimals`` (a world of units redraws faster).
    """

    decimals: int = 5
    coarse: Sequence[shapely.Geometry] | None = None
    coarse_decimals: int = 3
    coarse_below: int = 5


@dataclass(frozen=True)
class Renderer:
    """SVG paths or one canvas, and the map pane a layer draws in.

    A canvas is faster for thousands of features, but its features are not DOM
    elements. A pane of its own sits at z-index ``pane_z`` (Leaflet's overlay
    pane is at 400); in one pane Leaflet puts every SVG above every canvas.
    """

    canvas: bool = False
    pane: str | None = None
    pane_z: int = 350


class PolygonLayer(Layer):
    """A layer of polygons drawn from the page's geometry store.

    Parameters
    ----------
    geometries : sequence of shapely geometries
        Already prepared for display (see :func:`display_geometries`).
    name : str
        Layer name in the layer control.
    style : PathStyle
        How the polygons look (class, fills, Leaflet path options, hover).
    texts : FeatureTexts, optional
        Tooltip and popup HTML per feature, built only from escaped text
        (:mod:`maps.safehtml`). A layer without texts is not interactive.
    detail : Detail
        How finely the geometry is written, and a coarser copy for low zooms.
    renderer : Renderer
        SVG paths or a canvas, and the map pane to draw in.
    show, overlay, control : bool
        As for any folium layer.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = minemapLayers.polygons(
            {{ this._parent.get_name() }}, {{ this.store_name }}, {{ this.options_js }});
        {% if this.show %}{{ this.get_name() }}.addTo({{ this._parent.get_name() }});{% endif %}
        {% endmacro %}
        """
    )

    def __init__(
        self,
        geometries: Sequence[shapely.Geometry],
        *,
        name: str,
        style: PathStyle,
        texts: FeatureTexts | None = None,
        detail: Detail = Detail(),
        renderer: Renderer = Renderer(),
        show: bool = True,
        overlay: bool = True,
        control: bool = True,
    ) -> None:
        super().__init__(name=layer_label(name), overlay=overlay, control=control, show=show)
        self._name = "PolygonLayer"
        n = len(geometries)
        tooltips, popups = (texts.tooltips, texts.popups) if texts else (None, None)
        fills = style.fills
        for label, values in (("fills", fills), ("tooltips", tooltips), ("popups", popups)):
            if values is not None and len(values) != n:
                raise ValueError(f"{label}: {len(values)} values for {n} geometries")
        self.geometries = list(geometries)
        interactive = tooltips is not None or popups is not None
        # What the page's minemapLayers.polygons() takes; index and coarse are the
        # geometries' places in the page's store, known when the layer is rendered.
        self.options = {
            "fills": list(fills) if fills is not None else None,
            "tips": list(tooltips) if tooltips is not None else None,
            "pops": list(popups) if popups is not None else None,
            "interactive": interactive,
            "style": {**style.options, "className": style.css_class},
            "hover": dict(style.hover or {"weight": 3, "color": "#000000"}),
            "popup": {"maxWidth": 420, **POPUP_PADDING},
            "smoothFactor": float(style.smooth_factor),
            "below": int(detail.coarse_below),
            "canvas": bool(renderer.canvas),
            "pane": renderer.pane,
            "paneZ": int(renderer.pane_z),
        }
        if detail.coarse is not None and len(detail.coarse) != n:
            raise ValueError(f"coarse: {len(detail.coarse)} geometries for {n}")
        self.detail = detail
        self.store_name = ""
        self.options_js = "{}"

    def render(self, **kwargs: object) -> None:
        """Put the geometry in the page's store, then write the layer's script."""
        store = GeometryStore.of(self.get_root())
        self.store_name = store.get_name()
        detail = self.detail
        coarse = detail.coarse
        self.options_js = js_literal({
            **self.options,
            "index": store.add(self.geometries, detail.decimals),
            "coarse": store.add(coarse, detail.coarse_decimals) if coarse is not None else None,
        })  # fmt: skip
        super().render(**kwargs)
