"""Prepare a layer for maps and summaries: resolve units, measure, locate.

read -> validate (:mod:`layers.read`) -> resolve units (:func:`layers.join.resolve_units`)
-> measure (areas) or locate (incidents). Every row ends up in the prepared
records or in the rejects; fuzzy name matches that were applied are listed.
A contamination figure larger than its unit is rejected once measured
(:func:`layers.validate.over_unit`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from geo.boundary_sets import BoundarySet
from geo.errors import REJECT_COLUMNS
from geo.names import Aliases
from layers import join, kinds
from layers.read import Layer
from layers.validate import over_unit

__all__ = ["Prepared", "prepare"]


@dataclass
class Prepared:
    """A layer ready to draw: its records with units measured or points located.

    Attributes
    ----------
    kind : str
        Layer kind.
    path : str
        File the layer was read from.
    records : pandas.DataFrame or geopandas.GeoDataFrame
        Accepted records; incidents are a GeoDataFrame of points.
    rejects : pandas.DataFrame
        Every rejected row with file, row, field, reason and fix.
    rows_read : int
        Rows read from the file.
    fuzzy : list of dict
        Names resolved by fuzzy matching (applied above the threshold), with
        their score and the candidates: to be confirmed in an alias file.
    boundary_set : BoundarySet or None
        The user boundary set the units were resolved to (None: embedded).
    """

    kind: str
    path: str
    records: pd.DataFrame
    rejects: pd.DataFrame
    rows_read: int
    fuzzy: list[dict] = field(default_factory=list)
    boundary_set: BoundarySet | None = None


def _with_original_rows(rejects: pd.DataFrame, raw: pd.DataFrame | None) -> pd.DataFrame:
    """Attach each rejected row as the file had it (columns ``original.<name>``)."""
    base = rejects[[c for c in rejects.columns if not str(c).startswith("original.")]]
    if raw is None:
        return rejects
    original = raw.rename(columns={c: f"original.{c}" for c in raw.columns if c != "row"})
    merged = (
        base.merge(original, on="row", how="left")
        if len(base)
        else base.reindex(columns=[*base.columns, *[c for c in original.columns if c != "row"]])
    )
    return merged[[*REJECT_COLUMNS, *[c for c in merged.columns if c not in REJECT_COLUMNS]]]


def _point_field(layer: Layer) -> str:
    """Field a record's point was read from, to name in a reject: latitude, wkt or geometry.

    Latitude and longitude columns give the point when the file has them (the
    file's own geometry wins over them, which a layer does not record: such a
    file is read as if its columns gave the point).
    """
    if "latitude" in layer.mapping or "longitude" in layer.mapping:
        return "latitude"
    return "wkt" if "wkt" in layer.mapping else "geometry"


def prepare(
    layer: Layer, *, boundary_set: BoundarySet | None = None, aliases: Aliases | None = None
) -> Prepared:
    """Resolve units, then measure (areas) or locate (incidents) a layer's records.

    Parameters
    ----------
    layer : Layer
        A layer read by :func:`layers.read`.
    boundary_set : BoundarySet, optional
        A user boundary set for the records' level (default: the embedded
        Natural Earth units).
    aliases : geo.names.Aliases, optional
        User aliases confirming names (see :func:`geo.names.load_aliases`).

    Examples
    --------
    >>> import layers
    >>> p = prepare(layers.default("incidents"))
    >>> p.rows_read == len(p.records) + p.rejects["row"].nunique()
    True
    """
    records, unit_rejects, fuzzy = join.resolve_units(
        layer.records,
        layer.path,
        boundary_set=boundary_set,
        aliases=aliases,
        point_field=_point_field(layer),
    )
    if kinds.get(layer.kind).reach == "locate":
        records, place_rejects = join.locate(records, layer.path, boundary_set=boundary_set)
    else:
        records = join.measure(records, boundary_set=boundary_set)
        records, place_rejects = over_unit(records, layer.path)
    parts = [
        r for r in (layer.rejects, unit_rejects, place_rejects) if r is not None and not r.empty
    ]
    rejects = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=REJECT_COLUMNS)
    rejects = _with_original_rows(rejects, layer.raw)
    return Prepared(layer.kind, layer.path, records, rejects, layer.rows_read, fuzzy, boundary_set)
