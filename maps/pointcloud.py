"""A layer for many point records: compact columns, canvas drawing, year filter, heat option.

For 100,000 or 1,000,000 records, one Leaflet marker (and one DOM node) per
record is what makes a page freeze. Here the records travel as typed columns
in one gzip-compressed block (see :func:`pack`) and are drawn on one canvas by
``maps/templates/pointcloud.js``: a hexagon grid of counts at low zoom,
Supercluster clusters (npm ``supercluster``, ISC) and single records from
``hex_zoom``. A year filter (:class:`YearFilter`) and a heat layer
(:class:`HeatOption`, Leaflet.heat) work on the same columns.

Only the fields given are written, as text shown with DOM text nodes: a
popup or tooltip cannot run markup whatever the data holds.
"""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import ClassVar

import numpy as np
import pandas as pd
from branca.element import MacroElement
from folium.elements import JSCSSMixin
from folium.map import Layer
from jinja2 import Template

from layers.periods import period_label, year_label
from maps.polygons import POPUP_PADDING
from maps.safehtml import BIDI_CONTROLS, js_literal, layer_label, plain_text
from maps.scripts import add_page_script

__all__ = [
    "HEX_COLOURS",
    "CloudDisplay",
    "Dates",
    "Field",
    "FieldRoles",
    "HeatOption",
    "PointCloud",
    "YearFilter",
    "pack",
    "unpack",
]

SUPERCLUSTER = "https://cdn.jsdelivr.net/npm/supercluster@9.1.0/dist/supercluster.min.js"
LEAFLET_HEAT = (
    "https://cdn.jsdelivr.net/gh/python-visualization/folium@main/folium/templates/"
    "leaflet_heat.min.js"
)
#: Coordinates are written in steps of 1e-5 degree (about 1 m).
SCALE = 100_000

#: Hexagon fills from fewest to most records in view (ColorBrewer YlOrRd, 6 classes, log scale).
HEX_COLOURS = ("#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026")


@dataclass(frozen=True)
class Field:
    """One text field per record, as shown in tooltips and popups.

    ``values`` holds one string per record ("" or None when the record has none);
    bidirectional controls in them are shown as code points (:func:`plain_text`).
    """

    label: str
    values: Sequence[str | None]


@dataclass(frozen=True)
class Dates:
    """A record's date or period, written as day numbers instead of text.

    ``start`` and ``end`` hold a :class:`datetime.date` or None per record;
    ``fallback`` the text shown when a record lacks either (such as "previously
    (date not stated)"). The page shows a period as :func:`layers.periods.period_label`
    does, and a year filter uses its year or span of years
    (:func:`layers.periods.year_label`).
    """

    label: str
    start: Sequence[dt.date | None]
    end: Sequence[dt.date | None]
    fallback: Sequence[str | None]


def _ordinals(dates: Sequence[dt.date | None]) -> np.ndarray:
    """Proleptic Gregorian day numbers (1 = 0001-01-01), 0 where there is no date."""
    return np.fromiter(
        (d.toordinal() if isinstance(d, dt.date) else 0 for d in dates),
        dtype=np.int64,
        count=len(dates),
    )


@cache
def _add_script(element: MacroElement) -> None:
    """Put ``pointcloud.js`` in the page's head, once (:mod:`maps.scripts`)."""
    add_page_script(element.get_root(), "pointcloud.js")


def _years(dates: Dates) -> list[str]:
    """List the distinct year labels of a Dates field, sorted (see ``year_label``)."""
    pairs = pd.DataFrame({"start": _ordinals(dates.start), "end": _ordinals(dates.end)})
    return sorted(
        {
            year_label(
                {
                    "date_start": dt.date.fromordinal(a) if a else None,
                    "date_end": dt.date.fromordinal(b) if b else None,
                }
            )
            for a, b in pairs.drop_duplicates().itertuples(index=False)
        }
    )


def _morton(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Z-order key of each point on a 65,536 x 65,536 grid (neighbours sort together)."""

    def spread(v: np.ndarray) -> np.ndarray:
        v = v.astype(np.uint64) & np.uint64(0xFFFF)
        for shift, mask in ((8, 0x00FF00FF), (4, 0x0F0F0F0F), (2, 0x33333333), (1, 0x55555555)):
            v = (v | (v << np.uint64(shift))) & np.uint64(mask)
        return v

    gx = np.clip((lon + 180) / 360 * 65535, 0, 65535)
    gy = np.clip((lat + 90) / 180 * 65535, 0, 65535)
    return spread(gx) | (spread(gy) << np.uint64(1))


def _planes(values: np.ndarray, width: int) -> bytes:
    """Unsigned ints as ``width`` byte planes, least significant first (compresses well)."""
    raw = values.astype(f"<u{width}").view(np.uint8).reshape(len(values), width)
    return raw.T.tobytes()


def _zigzag_deltas(q: np.ndarray) -> np.ndarray:
    d = np.diff(q, prepend=np.int64(0))
    return ((d << 1) ^ (d >> 63)).astype(np.uint64)


#: Dictionaries up to this size are sorted (years list in order); larger ones
#: (record ids) keep the order of first appearance, so their codes compress.
SORTED_DICTIONARY = 1 << 16


def _dictionary(values: Sequence[str | None], order: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Codes (in point order) and distinct values of one field.

    ``values`` may be a :class:`pandas.Categorical` of text (categories
    distinct): its codes are used as they are, without hashing each value.
    """
    if isinstance(values, pd.Categorical) and len(values.categories) <= SORTED_DICTIONARY:
        codes = np.asarray(values.codes, dtype=np.int64)[order]
        uniques = np.asarray(values.categories, dtype=object)
        if (codes < 0).any():  # missing values: the empty text, as below
            uniques = np.append(uniques, "")
            codes[codes < 0] = len(uniques) - 1
        used = np.zeros(len(uniques), dtype=bool)
        used[codes] = True
        if not used.all():  # keep only the values that occur, as factorising them would
            new = np.cumsum(used) - 1
            codes, uniques = new[codes], uniques[used]
        distinct, inverse = np.unique(uniques.astype(str), return_inverse=True)
        if len(distinct) < len(uniques):  # the same text twice: one entry
            codes, uniques = inverse.astype(np.int64)[codes], distinct.astype(object)
    elif isinstance(values, pd.Series) and isinstance(values.dtype, pd.StringDtype):
        # Text kept as Arrow strings: taken and factorised without an object per record.
        codes, uniques = pd.factorize(values.iloc[order].fillna(""))
    else:
        text = pd.Series(np.asarray(values, dtype=object)[order], dtype=object)
        codes, uniques = pd.factorize(text.fillna("").astype(str))
    uniques = np.asarray(uniques, dtype=object)
    shown = pd.Series(uniques, dtype=object).str.contains(BIDI_CONTROLS, regex=True)
    for i in np.flatnonzero(shown.fillna(False).to_numpy(dtype=bool)).tolist():
        uniques[i] = plain_text(uniques[i])  # only texts holding a control change
    if len(uniques) <= SORTED_DICTIONARY:
        rank = np.empty(len(uniques), dtype=np.int64)
        rank[np.argsort(uniques, kind="stable")] = np.arange(len(uniques))
        codes, uniques = rank[codes], np.sort(uniques, kind="stable")
    return codes.astype(np.int64), [str(u) for u in uniques]


def pack(
    lon: Sequence[float], lat: Sequence[float], fields: Sequence[Field | Dates]
) -> tuple[dict, str]:
    """Pack points and their fields into metadata and one base64 block.

    Points are sorted along a Z-order curve, so consecutive coordinates are
    close; each coordinate is written as the zigzag-coded difference from the
    previous one in steps of 1e-5 degree; each text field as a dictionary (in
    the block) and one code per record; a :class:`Dates` field as the start's
    day number, the days to its end, and a text field for records without
    both. Columns are byte planes, compressed
    together with gzip (fixed timestamp: same input, same bytes).

    Returns
    -------
    meta : dict
        ``n``, ``scale`` and per field its ``label``, code ``width`` and the
        length in ``bytes`` of its dictionary (a JSON array of its distinct
        values, after all code columns in the block).
    block : str
        Base64 of the gzip-compressed columns.
    """
    meta, block, _ = _pack(lon, lat, fields)
    return meta, block


def _pack(
    lon: Sequence[float], lat: Sequence[float], fields: Sequence[Field | Dates]
) -> tuple[dict, str, list[list[str]]]:
    """:func:`pack`, also returning each field's distinct values in code order."""
    x = np.asarray(lon, dtype=float)
    y = np.asarray(lat, dtype=float)
    if x.shape != y.shape or x.ndim != 1:
        raise ValueError(
            f"lon and lat must be one-dimensional and of one length: {x.shape}, {y.shape}"
        )
    bad = ~(np.isfinite(x) & np.isfinite(y) & (np.abs(y) <= 90) & (np.abs(x) <= 540))
    if bad.any():
        raise ValueError(
            f"{int(bad.sum())} point(s) have no valid coordinates, "
            f"e.g. record {int(np.flatnonzero(bad)[0])}"
        )
    for f in fields:
        columns = (f.start, f.end, f.fallback) if isinstance(f, Dates) else (f.values,)
        lengths = {len(c) for c in columns}
        if lengths != {len(x)}:
            raise ValueError(
                f"field {f.label!r}: {max(lengths - {len(x)})} values for {len(x)} points"
            )
    order = np.argsort(_morton(x, y), kind="stable")
    parts = [
        _planes(_zigzag_deltas(np.round(x[order] * SCALE).astype(np.int64)), 4),
        _planes(_zigzag_deltas(np.round(y[order] * SCALE).astype(np.int64)), 4),
    ]
    meta_fields, dictionaries, value_lists = [], [], []
    for f in fields:
        entry: dict = {"label": f.label}
        if isinstance(f, Dates):
            # Start day and days to the end (+1; 0: no end): small numbers, compress well.
            start, end = _ordinals(f.start)[order], _ordinals(f.end)[order]
            both = (start > 0) & (end > 0)
            if (end[both] < start[both]).any():
                raise ValueError(f"field {f.label!r}: a period ends before it starts")
            span = np.where(both, end - start + 1, 0)
            parts += [_planes(start, 4), _planes(span, 4)]
            entry["kind"] = "dates"
            codes, values = _dictionary(f.fallback, order)
        else:
            codes, values = _dictionary(f.values, order)
        width = 1 if len(values) <= 1 << 8 else 2 if len(values) <= 1 << 16 else 4
        parts.append(_planes(codes, width))
        text = json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        dictionaries.append(text)
        meta_fields.append({**entry, "width": width, "bytes": len(text)})
        value_lists.append(values)
    block = gzip.compress(b"".join(parts + dictionaries), compresslevel=6, mtime=0)
    meta = {"n": len(x), "scale": SCALE, "fields": meta_fields}
    return meta, base64.b64encode(block).decode("ascii"), value_lists


def unpack(meta: dict, block: str) -> tuple[np.ndarray, np.ndarray, list[list[str]]]:
    """Read back what :func:`pack` wrote (in its sorted order): lon, lat and field texts.

    Examples
    --------
    >>> meta, block = pack([30.5, -0.1], [50.45, 51.5], [Field("Place", ["Kyiv", "London"])])
    >>> lon, lat, (places,) = unpack(meta, block)
    >>> sorted(zip(places, lon.tolist(), lat.tolist()))
    [('Kyiv', 30.5, 50.45), ('London', -0.1, 51.5)]
    """
    raw = np.frombuffer(gzip.decompress(base64.b64decode(block)), dtype=np.uint8)
    n, pos = meta["n"], 0

    def take(width: int) -> np.ndarray:
        nonlocal pos
        planes = raw[pos : pos + width * n].reshape(width, n).astype(np.uint64)
        pos += width * n
        return sum(planes[b] << np.uint64(8 * b) for b in range(width))

    def coords() -> np.ndarray:
        z = take(4).astype(np.int64)
        return np.cumsum((z >> 1) ^ -(z & 1)) / meta["scale"]

    lon, lat = coords(), coords()
    columns = []
    for f in meta["fields"]:
        days = (
            (take(4).astype(np.int64), take(4).astype(np.int64))
            if f.get("kind") == "dates"
            else None
        )
        columns.append((days, take(f["width"]).astype(np.int64)))
    texts = []
    for f, (days, codes) in zip(meta["fields"], columns, strict=True):
        values = json.loads(raw[pos : pos + f["bytes"]].tobytes().decode("utf-8"))
        pos += f["bytes"]
        if days is None:
            texts.append([values[i] for i in codes])
            continue
        start, span = days
        texts.append(
            [
                _period(int(a), int(a + b - 1)) if a and b else values[c]
                for a, b, c in zip(start, span, codes, strict=True)
            ]
        )
    return lon, lat, texts


def _period(start: int, end: int) -> str:
    """Label a period given as day numbers, as :func:`layers.periods.period_label` does."""
    return period_label(
        {"date_start": dt.date.fromordinal(start), "date_end": dt.date.fromordinal(end)}
    )


@dataclass(frozen=True)
class FieldRoles:
    """What the fields of a :class:`PointCloud` are for (indexes into its ``fields``).

    ``tooltip_fields`` and ``popup_fields`` make the tooltip and the popup (the
    first popup field titles it); ``category_field``'s value picks a point's
    colour from ``colours``; ``year_field``, a :class:`Dates` field, gives the
    years the year filter selects on.
    """

    tooltip_fields: Sequence[int]
    popup_fields: Sequence[int]
    category_field: int | None = None
    colours: Mapping[str, str] | None = None
    year_field: int | None = None


@dataclass(frozen=True)
class CloudDisplay:
    """How a :class:`PointCloud` is drawn.

    Below ``hex_zoom``, hexagons of ``hex_radius`` px count records; from it,
    clusters of ``cluster_radius`` px up to ``max_zoom``, then single records.
    """

    hex_zoom: int = 7
    hex_radius: int = 14
    cluster_radius: int = 60
    max_zoom: int = 12


class PointCloud(JSCSSMixin, Layer):
    """Many point records drawn on one canvas: hexagons, then clusters and points.

    Parameters
    ----------
    lon, lat : sequence of float
        Coordinates (EPSG:4326).
    fields : sequence of Field or Dates
        The record fields the page may show; nothing else is written.
    name : str
        Layer name in the layer control.
    roles : FieldRoles
        Which fields make the tooltip and the popup, colour the points, and
        give the years of the year filter.
    display : CloudDisplay
        Hexagon and cluster sizes, and the zooms they apply at.
    show : bool
        Whether the layer is on when the map opens.
    """

    default_js: ClassVar = [("supercluster", SUPERCLUSTER)]

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = minemapPoints.layer({{ this.meta_js }}, "{{ this.block }}");
        {% if this.show %}{{ this.get_name() }}.addTo({{ this._parent.get_name() }});{% endif %}
        {% endmacro %}
        """
    )

    def __init__(
        self,
        lon: Sequence[float],
        lat: Sequence[float],
        fields: Sequence[Field | Dates],
        *,
        name: str,
        roles: FieldRoles,
        display: CloudDisplay = CloudDisplay(),
        show: bool = True,
    ) -> None:
        super().__init__(name=layer_label(name), overlay=True, control=True, show=show)
        self._name = "PointCloud"
        tooltip_fields, popup_fields = roles.tooltip_fields, roles.popup_fields
        category_field, colours, year_field = roles.category_field, roles.colours, roles.year_field
        for index in [*tooltip_fields, *popup_fields, category_field, year_field]:
            if index is not None and not 0 <= index < len(fields):
                raise ValueError(f"field index {index} is not one of the {len(fields)} fields")
        if year_field is not None and not isinstance(fields[year_field], Dates):
            raise ValueError(f"year_field {year_field} is not a Dates field")
        meta, self.block, values = _pack(lon, lat, fields)
        self.count = meta["n"]
        #: The distinct years (or spans of years) of the records, for a year filter.
        self.years = _years(fields[year_field]) if year_field is not None else []
        colour_of = colours or {}
        meta.update(
            tooltip_fields=list(tooltip_fields),
            popup_fields=list(popup_fields),
            category_field=category_field,
            colours=[colour_of.get(v, "#777777") for v in values[category_field]]
            if category_field is not None
            else [],
            year_field=year_field,
            hex_zoom=int(display.hex_zoom),
            hex_colours=list(HEX_COLOURS),
            hex_radius=int(display.hex_radius),
            cluster_radius=int(display.cluster_radius),
            max_zoom=int(display.max_zoom),
            popup_options={"maxWidth": 420, **POPUP_PADDING},
        )
        self.meta_js = js_literal(meta)

    def render(self, **kwargs: object) -> None:
        """Write the layer's script, and the drawing code once per page."""
        _add_script(self)
        super().render(**kwargs)


class YearFilter(MacroElement):
    """A panel of year checkboxes that filters point layers (and their heat layers).

    The layers are :class:`PointCloud` or :class:`maps.markers.ClusteredMarkers`
    given ``years``; the panel lists the years of all of them.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        minemapPoints.years([{{ this.names }}], {position: "topright"})
            .addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, points: Sequence[Layer]) -> None:
        super().__init__()
        self._name = "YearFilter"
        self.points = list(points)

    def render(self, **kwargs: object) -> None:
        """Name the layers it filters, then write its script."""
        self.names = ", ".join(p.get_name() for p in self.points)
        _add_script(self)
        super().render(**kwargs)


class HeatOption(JSCSSMixin, Layer):
    """A heat layer of a :class:`PointCloud`'s shown records, built when switched on."""

    default_js: ClassVar = [("leaflet_heat", LEAFLET_HEAT)]

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = minemapPoints.heat({{ this.points.get_name() }},
            {{ this.options_js }});
        {% if this.show %}{{ this.get_name() }}.addTo({{ this._parent.get_name() }});{% endif %}
        {% endmacro %}
        """
    )

    def __init__(self, points: PointCloud, *, name: str, show: bool = False) -> None:
        super().__init__(name=layer_label(name), overlay=True, control=True, show=show)
        self._name = "HeatOption"
        self.points = points
        self.options_js = js_literal({"radius": 12, "blur": 16, "minOpacity": 0.25, "maxZoom": 10})
