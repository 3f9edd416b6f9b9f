"""Clustered point markers built in the browser from one compact array.

One JSON array holds every marker (latitude, longitude, style, tooltip and popup
HTML); a short script turns it into Leaflet circle markers inside a
``leaflet.markercluster`` group. No Python object per marker, and each marker
carries its own tooltip and popup, so they open inside clusters too. All HTML in
the array is built from escaped text (:mod:`maps.safehtml`); the array itself is
embedded as a JSON literal that cannot close the script.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from folium.elements import JSCSSMixin
from folium.map import Layer
from jinja2 import Template

from maps.safehtml import js_literal, layer_label
from maps.scripts import LayersScript

__all__ = ["ClusteredMarkers", "RowsLayer", "UnitBadges"]

_CLUSTER = "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0"


class RowsLayer:
    """Mixin of layers that ``minemapLayers.<factory>(map, rows, options)`` draws (layers.js).

    Subclasses set ``factory`` (a name of this module, never user text) and,
    in ``__init__``, ``rows_js`` and ``options_js`` (:func:`maps.safehtml.js_literal`).
    """

    factory: ClassVar[str] = ""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = minemapLayers.{{ this.factory }}({{ this._parent.get_name() }},
            {{ this.rows_js }}, {{ this.options_js }});
        {% if this.show %}{{ this.get_name() }}.addTo({{ this._parent.get_name() }});{% endif %}
        {% endmacro %}
        """
    )


class ClusteredMarkers(RowsLayer, LayersScript, JSCSSMixin, Layer):
    """A clustered layer of circle markers from compact rows.

    Parameters
    ----------
    rows : sequence of tuple
        ``(lat, lon, radius, fill_colour, dashed, tooltip_html, popup_html)``
        per marker; the HTML strings must be built from escaped text.
    name : str
        Layer name in the layer control.
    css_class : str
        Class of every marker's SVG path (for styling and tests).
    max_cluster_radius : int
        Pixel radius within which markers cluster.
    years : sequence of str, optional
        Year (or period) label per marker, for :class:`maps.pointcloud.YearFilter`.
    """

    default_js: ClassVar = [("markerclusterjs", f"{_CLUSTER}/leaflet.markercluster.js")]
    default_css: ClassVar = [
        ("markerclustercss", f"{_CLUSTER}/MarkerCluster.css"),
        ("markerclusterdefaultcss", f"{_CLUSTER}/MarkerCluster.Default.css"),
    ]

    factory = "clusteredMarkers"

    def __init__(
        self,
        rows: Sequence[tuple],
        *,
        name: str,
        css_class: str,
        max_cluster_radius: int = 30,
        show: bool = True,
        years: Sequence[str] | None = None,
    ) -> None:
        super().__init__(name=layer_label(name), overlay=True, control=True, show=show)
        self._name = "ClusteredMarkers"
        self.rows_js = js_literal([list(r) for r in rows])
        labels = [str(y) for y in years] if years is not None else [""] * len(rows)
        if len(labels) != len(rows):
            raise ValueError(f"years: {len(labels)} values for {len(rows)} markers")
        #: The distinct years (or periods) of the markers, for a year filter.
        self.years = sorted(set(labels))
        self.options_js = js_literal({
            "maxClusterRadius": int(max_cluster_radius), "className": css_class,
            "years": labels, "yearValues": self.years,
        })  # fmt: skip


class UnitBadges(RowsLayer, LayersScript, Layer):
    """Badges of records given for a whole unit (a country), one per unit: its records' count and years.

    Parameters
    ----------
    rows : sequence of tuple
        ``(lat, lon, unit name, [(year label, popup_html), ...])`` per unit; the
        popups must be built from escaped text.
    name : str
        Layer name in the layer control.
    css_class : str
        Class of every badge (for styling and tests).
    said : str
        What the records are, after their count in a badge's popup heading
        ("given for the whole country").
    listed : int
        Records a popup shows; the rest are counted.
    """  # noqa: E501

    factory = "badges"

    def __init__(
        self,
        rows: Sequence[tuple],
        *,
        name: str,
        css_class: str,
        said: str,
        listed: int = 10,
        show: bool = True,
    ) -> None:
        super().__init__(name=layer_label(name), overlay=True, control=True, show=show)
        self._name = "UnitBadges"
        self.rows_js = js_literal([[r[0], r[1], r[2], [list(x) for x in r[3]]] for r in rows])
        #: The distinct years (or periods) of the records, for a year filter.
        self.years = sorted({str(x[0]) for r in rows for x in r[3]})
        self.options_js = js_literal({"className": css_class, "said": said, "listed": listed})
