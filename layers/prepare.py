"""Prepare a layer for maps and summaries: resolve units, measure, locate.

read -> validate (:mod:`layers.read`) -> check units -> measure or locate.
Every row ends up in the prepared records or in the rejects.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from geo import join
from geo.errors import REJECT_COLUMNS
from layers.read import Layer

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
    """

    kind: str
    path: str
    records: pd.DataFrame
    rejects: pd.DataFrame
    rows_read: int


def prepare(layer: Layer) -> Prepared:
    """Check units, then measure (areas) or locate (incidents) a layer's records.

    Examples
    --------
    >>> import layers
    >>> p = prepare(layers.default("incidents"))
    >>> p.rows_read == len(p.records) + p.rejects["row"].nunique()
    True
    """
    records, unit_rejects = join.check_units(layer.records, layer.path)
    if layer.kind == "incidents":
        records, place_rejects = join.locate(records, layer.path)
    else:
        records, place_rejects = join.measure(records), None
    parts = [
        r for r in (layer.rejects, unit_rejects, place_rejects) if r is not None and not r.empty
    ]
    rejects = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=REJECT_COLUMNS)
    return Prepared(layer.kind, layer.path, records, rejects, layer.rows_read)
