"""Choropleth classes and layers: values to colours with a legend that says how.

Classes come from :mod:`mapclassify` (Fisher-Jenks natural breaks, or one class
per value when there are few values), coloured with ColorBrewer sequential
palettes (Cynthia Brewer, colorbrewer2.org, Apache 2.0).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely

from maps.polygons import (
    POPUP_PADDING,
    Detail,
    FeatureTexts,
    PathStyle,
    PolygonLayer,
    Renderer,
    decimals_for,
    display_geometries,
)
from maps.safehtml import fmt_number

__all__ = [
    "CANVAS_ABOVE",
    "JENKS_SAMPLE",
    "PALETTES",
    "POPUP_PADDING",
    "Outline",
    "Simplify",
    "classify",
    "polygon_layer",
]

#: Above this many features, polygon layers draw on a canvas (SVG paths are slow to redraw).
CANVAS_ABOVE = 1000

#: Above this many distinct values, natural breaks are found on a sample of them.
JENKS_SAMPLE = 500

#: ColorBrewer sequential palettes, 5 classes (from the 6-class schemes).
PALETTES = {
    # The 6-class palettes without their lightest colour, which is too close to
    # the background land colour to read as "has a value".
    "YlOrRd": ["#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026"],
    "Purples": ["#dadaeb", "#bcbddc", "#9e9ac8", "#756bb1", "#54278f"],
    "Blues": ["#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"],
}


def classify(
    values: Sequence[float], *, palette: str = "YlOrRd", k: int = 5, unit: str = ""
) -> tuple[list[str], list[tuple[str, str]]]:
    """Colour each value by class; return the colours and the legend entries.

    Examples
    --------
    >>> colours, legend = classify([14.7, 14.2, 13.9, 6.2, 4.1], unit=" km²")
    >>> colours[0] == PALETTES["YlOrRd"][-1], colours[-1] == PALETTES["YlOrRd"][0]
    (True, True)
    >>> legend[0]
    ('#fed976', '4.1 km²')
    """
    data = np.asarray(values, dtype=float)
    distinct = np.unique(data)
    colours_all = PALETTES[palette]
    if len(distinct) <= k:
        # One class per value: the legend lists the values themselves.
        picks = np.linspace(0, len(colours_all) - 1, len(distinct)).round().astype(int)
        lookup = {v: colours_all[i] for v, i in zip(distinct, picks, strict=True)}
        legend = [(lookup[v], f"{fmt_number(v)}{unit}") for v in distinct]
        return [lookup[v] for v in data], legend
    import mapclassify  # imported here: it takes about a second, and few maps need it

    # Fisher-Jenks is quadratic in the number of values (30 s for 4,596 units
    # without numba): above JENKS_SAMPLE values it runs on that many evenly
    # spaced order statistics (min and max included), which is deterministic,
    # unlike mapclassify's random FisherJenksSampled.
    sample = data
    if len(distinct) > JENKS_SAMPLE:
        sample = np.quantile(data, np.linspace(0, 1, JENKS_SAMPLE), method="inverted_cdf")
    with warnings.catch_warnings():
        # Without numba, mapclassify says it uses its pure-Python Fisher-Jenks:
        # same classes, and fast enough for JENKS_SAMPLE values.
        warnings.filterwarnings("ignore", message="Numba not installed", category=UserWarning)
        scheme = mapclassify.FisherJenks(sample, k=k)
    # Class of each value: the first upper bound at or above it.
    classes = np.minimum(np.searchsorted(scheme.bins, data, side="left"), len(scheme.bins) - 1)
    colours = [colours_all[c] for c in classes]

    # Each class is labelled with the lowest and highest value it holds, so
    # neighbouring labels never share an edge.
    def span(low: float, high: float) -> str:  # a class of one value shows it once
        low_text, high_text = fmt_number(low), fmt_number(high)
        return f"{low_text}{unit}" if low_text == high_text else f"{low_text} – {high_text}{unit}"

    legend = [
        (colours_all[i], span(data[classes == i].min(), data[classes == i].max()))
        for i in range(len(scheme.bins))
        if (classes == i).any()
    ]
    return colours, legend


@dataclass(frozen=True)
class Outline:
    """How a polygon layer is stroked and filled: line colour, weight, dashes, fill opacity."""

    line: str = "#444444"
    weight: float = 1.0
    dash: str | None = None
    fill_opacity: float = 0.85


@dataclass(frozen=True)
class Simplify:
    """How a polygon layer's geometry is prepared for display.

    Simplified as a coverage at ``tolerance`` degrees (None: not simplified),
    with a coarser copy at ``coarse_tolerance`` drawn below zoom 5, and
    shifted east of 180° when ``east`` (a map across the antimeridian).
    """

    tolerance: float | None = 0.01
    coarse_tolerance: float | None = None
    east: bool = False


def polygon_layer(
    frame: gpd.GeoDataFrame,
    *,
    name: str,
    css_class: str,
    fill: str | Sequence[str] = "none",
    outline: Outline = Outline(),
    simplify: Simplify = Simplify(),
    show: bool = True,
    interactive: bool = True,
    canvas: bool | None = None,
) -> PolygonLayer:
    """Build a polygon layer with escaped tooltip and popup HTML.

    An interactive layer's ``frame`` must hold ``tooltip_html`` and
    ``popup_html`` columns built with :mod:`maps.safehtml`; no other attribute
    reaches the page. A layer that is not interactive carries no text at all. Each polygon is
    drawn as one SVG path with class ``css_class``; its geometry is written once
    per page (:mod:`maps.polygons`). Above :data:`CANVAS_ABOVE` features (or
    with ``canvas=True``) the layer is drawn on a canvas instead of SVG paths.
    """
    tolerance, coarse_tolerance, east = simplify.tolerance, simplify.coarse_tolerance, simplify.east
    # Simplified once; the coarse copy is simplified further from it (a third of the time).
    simple = frame
    if tolerance:
        simple = frame.set_geometry(
            shapely.coverage_simplify(np.asarray(frame.geometry.values), tolerance)
        )
    geometries = display_geometries(simple, tolerance=tolerance, east=east, simplified=True)
    fills = (
        None
        if isinstance(fill, str) and fill == "none"
        else ([fill] * len(frame) if isinstance(fill, str) else list(fill))
    )
    options = {"color": outline.line, "weight": outline.weight, "dashArray": outline.dash,
               "fillOpacity": outline.fill_opacity}  # fmt: skip
    coarse = (
        display_geometries(simple, tolerance=coarse_tolerance, east=east)
        if coarse_tolerance
        else None
    )
    return PolygonLayer(
        geometries,
        name=name,
        style=PathStyle(
            css_class,
            fills,
            options,
            hover={"weight": outline.weight + 2, "color": "#000000"},
        ),
        texts=FeatureTexts(list(frame["tooltip_html"]), list(frame["popup_html"]))
        if interactive
        else None,
        detail=Detail(decimals_for(tolerance), coarse, decimals_for(coarse_tolerance)),
        renderer=Renderer(canvas=len(frame) > CANVAS_ABOVE if canvas is None else canvas),
        show=show,
    )
