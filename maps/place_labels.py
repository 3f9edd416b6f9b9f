"""Place labels: the name of each unit drawn, at a point inside it, where it fits.

A label is drawn from the zoom at which its unit is as wide on screen as the
label, and not where it would cover a label of a larger unit (larger units
are placed first); the layer can be switched off in the layer control. Names
are written as text (never parsed as HTML) by ``minemapLayers.placeLabels``.
"""

from __future__ import annotations

import geopandas as gpd
import shapely
from folium.map import Layer
from jinja2 import Template

from maps.safehtml import js_literal, layer_label
from maps.scripts import LayersScript

__all__ = ["PlaceLabels"]


class PlaceLabels(LayersScript, Layer):
    """Labels of the units of ``frame`` (columns ``name`` and ``geometry``, EPSG:4326)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = minemapLayers.placeLabels({{ this._parent.get_name() }},
            {{ this.rows_js }});
        {% if this.show %}{{ this.get_name() }}.addTo({{ this._parent.get_name() }});{% endif %}
        {% endmacro %}
        """
    )

    def __init__(
        self,
        frame: gpd.GeoDataFrame,
        *,
        name: str = "Place labels",
        show: bool = True,
        east: bool = False,
    ) -> None:
        super().__init__(name=layer_label(name), overlay=True, control=True, show=show)
        self._name = "PlaceLabels"
        if east:  # a map across the antimeridian draws its units east of 180°
            from maps.base import shift_east

            frame = shift_east(frame)
        named = frame[frame["name"].astype(str).str.strip().ne("") & frame.geometry.notna()]
        geoms = named.geometry.to_numpy()
        points = shapely.point_on_surface(geoms)
        bounds = shapely.bounds(geoms)
        rows = [
            [round(p.y, 4), round(p.x, 4), str(n), *(round(float(b), 4) for b in box)]
            for p, n, box in zip(points, named["name"], bounds, strict=True)
        ]
        # Larger units first: they keep their label where two would meet.
        rows.sort(key=lambda r: -(r[5] - r[3]) * (r[6] - r[4]))
        self.rows_js = js_literal(rows)
