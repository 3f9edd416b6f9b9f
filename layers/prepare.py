"""Prepare a layer for maps and summaries: resolve units, measure, locate.

read -> validate (:mod:`layers.read`) -> resolve units (:func:`layers.join.resolve_units`)
-> measure (areas) or locate (incidents). Every row ends up in the prepared
records or in the rejects; fuzzy name matches that were applied are listed.
A contamination figure larger than its unit is rejected once measured
(:func:`layers.areas.over_unit`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import shapely

from geo.boundary_sets import BoundarySet
from geo.errors import REJECT_COLUMNS
from geo.names import Aliases
from layers import hazards, join, kinds
from layers.areas import over_unit
from layers.locate import locate
from layers.presets import PRECISION_AS, Preset
from layers.read import Layer
from layers.rejects_spool import SpooledRejects, rows_rejected

__all__ = ["BEYOND_EXACT", "NAME_MATCH_COLUMNS", "RECORD_COLUMNS", "Prepared", "name_matches",
           "prepare", "record_listing"]  # fmt: skip


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
    notes : list of str
        What reading chose and did (:attr:`layers.read.Layer.notes`).
    left_out : int
        Rows the project's ``where`` filter left out (not in ``rows_read``).
    duplicates : int
        Records of several files left out as repeating an earlier one
        (``dedupe_on``): ``rows_read`` is accepted + rejected + duplicates.
    preset : layers.presets.Preset or None
        The source preset the file was read with.
    mapping, unmapped
        How each field's column was found, and the columns not used
        (:class:`layers.read.Layer`).
    accepted : int, optional
        Records accepted, when ``records`` holds only those drawn (a layer
        prepared on a cluster, :mod:`layers.engine`); else ``len(records)``.
    summaries : dict, optional
        Summaries by level made where the records were (a cluster's workers).
    spool : layers.rejects_spool.SpooledRejects, optional
        Rejects kept on disk, a file per partition (a layer prepared on a
        cluster); ``rejects`` then holds none of them.
    """

    kind: str
    path: str
    records: pd.DataFrame
    rejects: pd.DataFrame
    rows_read: int
    fuzzy: list[dict] = field(default_factory=list)
    boundary_set: BoundarySet | None = None
    notes: list[str] = field(default_factory=list)
    left_out: int = 0
    duplicates: int = 0
    preset: Preset | None = None
    mapping: dict[str, str] = field(default_factory=dict)
    unmapped: list[str] = field(default_factory=list)
    accepted: int | None = None
    summaries: dict | None = None
    spool: SpooledRejects | None = None

    @property
    def n_accepted(self) -> int:
        """Records accepted (all of them, also when only some are held)."""
        return len(self.records) if self.accepted is None else self.accepted

    @property
    def rejected(self) -> int:
        """Rows rejected: a row with several problems counts once (rows of several files too)."""
        return rows_rejected(self.rejects) + (self.spool.rows if self.spool else 0)

    @property
    def problems(self) -> int:
        """Problems found in the rejected rows (a row may have several)."""
        return len(self.rejects) + (self.spool.problems if self.spool else 0)

    def all_rejects(self) -> pd.DataFrame:
        """Every reject in one table, also those spooled to disk (holds them all in memory)."""
        if self.spool is None:
            return self.rejects
        return pd.concat([self.rejects, self.spool.frame()], ignore_index=True)

    def counts(self) -> str:
        """Say how many rows were read, left out, accepted, rejected and merged as duplicates."""
        return counts_text(self.rows_read, self.left_out, self.n_accepted, self.rejected,
                           self.duplicates)  # fmt: skip


def counts_text(read: int, left_out: int, accepted: int, rejected: int, duplicates: int) -> str:
    """Say the counts of a layer's rows in one line.

    Examples
    --------
    >>> counts_text(10, 0, 7, 3, 0)
    '10 rows read, 7 accepted, 3 rejected'
    >>> counts_text(8, 2, 5, 1, 2)
    '10 rows read, 2 left out by the where filter, 5 accepted, 1 rejected, 2 duplicates left out'
    """
    left = f", {left_out} left out by the where filter" if left_out else ""
    dup = f", {duplicates} duplicates left out" if duplicates else ""
    return f"{read + left_out} rows read{left}, {accepted} accepted, {rejected} rejected{dup}"


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


def _as_the_source_places(records: pd.DataFrame) -> pd.DataFrame:
    """Draw a point as precisely as its source placed it (a preset's ``precision_as``).

    ACLED codes an event of a whole region at the provincial capital
    (``geo_precision`` 3): the point is kept, and drawn as a region's.
    """
    if PRECISION_AS not in records.columns or records.empty:
        return records
    level = records[PRECISION_AS].fillna("").astype(str).to_numpy(dtype=object)
    given = (records["located_by"].to_numpy(dtype=object) == "coordinates given") & (level != "")
    if given.any():
        records["precision"] = np.where(given, level, records["precision"].to_numpy(dtype=object))
    return records


def prepare(
    layer: Layer,
    *,
    boundary_set: BoundarySet | None = None,
    aliases: Aliases | None = None,
    point_place: str = "reject",
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
    point_place : {"reject", "flag"}
        A record whose point lies far from the unit it names: rejected, or
        kept under the named unit and listed (:func:`layers.join.resolve_units`).

    Examples
    --------
    >>> import layers
    >>> p = prepare(layers.default("incidents"))
    >>> p.rows_read == len(p.records) + p.rejects["row"].nunique()
    True
    """
    if kinds.get(layer.kind).reach == "overlay":  # hazard polygons: split across units
        notes = list(layer.notes)
        records, rejects = hazards.overlay(layer.records, layer.path, boundary_set, notes)
        parts = [r for r in (layer.rejects, rejects) if r is not None and not r.empty]
        rejects = (pd.concat(parts, ignore_index=True) if parts
                   else pd.DataFrame(columns=REJECT_COLUMNS))  # fmt: skip
        return Prepared(
            layer.kind, layer.path, records, _with_original_rows(rejects, layer.raw),
            layer.rows_read, [], boundary_set, notes=notes, left_out=layer.left_out,
            preset=layer.preset, mapping=layer.mapping, unmapped=list(layer.unmapped),
        )  # fmt: skip
    records, unit_rejects, fuzzy = join.resolve_units(
        layer.records,
        layer.path,
        boundary_set=boundary_set,
        aliases=aliases,
        point_field=_point_field(layer),
        point_place=point_place,
    )
    if kinds.get(layer.kind).reach == "locate":
        records, place_rejects = locate(records, layer.path, boundary_set=boundary_set)
        records = _as_the_source_places(records)
        if len(records):
            records["unit_name"] = join.unit_names(records, boundary_set).to_numpy()
    else:
        records = join.measure(records, boundary_set=boundary_set)
        records, place_rejects = over_unit(records, layer.path)
    parts = [
        r for r in (layer.rejects, unit_rejects, place_rejects) if r is not None and not r.empty
    ]
    rejects = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=REJECT_COLUMNS)
    rejects = _with_original_rows(rejects, layer.raw)
    return Prepared(
        layer.kind, layer.path, records, rejects, layer.rows_read, fuzzy, boundary_set,
        notes=list(layer.notes), left_out=layer.left_out, preset=layer.preset,
        mapping=layer.mapping, unmapped=list(layer.unmapped),
    )  # fmt: skip


#: Columns of ``records.csv``: every accepted record, its unit and how it was found.
RECORD_COLUMNS = [
    "layer", "file", "row", "record_id", "place", "country", "unit_level", "unit_code", "unit_name",
    "unit_resolved_by", "point_name_other_unit", "point_name_distance_km", "precision",
    "source_precision", "located_by", "located_unit", "longitude", "latitude",
]  # fmt: skip


#: How a unit may be found from a name beyond its exact form: each such match is listed.
BEYOND_EXACT = ("normalised name", "transliteration", "alias", "fuzzy", "mojibake repaired")

#: Columns of ``name_matches.csv``.
NAME_MATCH_COLUMNS = ["layer", "file", "written", "unit_code", "unit_name", "matched_by", "records"]


def name_matches(layer_name: str, prepared: Prepared) -> pd.DataFrame:
    """List each name a layer's records wrote that found its unit beyond its exact form.

    One row per (file, name written, unit, how): normalised, transliterated,
    by an alias, fuzzy (a typo), or repaired from the wrong code page, with the
    number of records; to check, and to confirm in an alias file.

    Examples
    --------
    >>> import layers
    >>> table = name_matches("incidents", prepare(layers.default("incidents")))
    >>> list(table.columns) == NAME_MATCH_COLUMNS
    True
    """
    records = prepared.records
    if records.empty or "unit_resolved_by" not in records.columns:
        return pd.DataFrame(columns=NAME_MATCH_COLUMNS)
    how = records["unit_resolved_by"].astype(object)
    chosen = records[how.isin(BEYOND_EXACT).to_numpy()]
    if chosen.empty:
        return pd.DataFrame(columns=NAME_MATCH_COLUMNS)
    frame = pd.DataFrame({
        "file": chosen["file"].astype(str) if "file" in chosen else prepared.path,
        "written": chosen["place"].astype(object), "unit_code": chosen["unit_code"],
        "unit_name": chosen["unit_name"] if "unit_name" in chosen else chosen["unit_code"],
        "matched_by": chosen["unit_resolved_by"],
    })  # fmt: skip
    keys = ["file", "written", "unit_code", "unit_name", "matched_by"]
    table = frame.groupby(keys, sort=True, dropna=False).size().reset_index(name="records")
    table.insert(0, "layer", layer_name)
    return table[NAME_MATCH_COLUMNS]


def record_listing(layer_name: str, prepared: Prepared) -> pd.DataFrame:
    """List a layer's accepted records: unit, how found, where drawn (:data:`RECORD_COLUMNS`).

    ``file`` is the file the record was read from (a layer may have several);
    ``unit_resolved_by`` is the stage that found the unit (``code``, ``name``,
    ``normalised name``, ``transliteration``, ``alias``, ``fuzzy``,
    ``location`` for a point, ``point at sea`` for a point within 12 nautical
    miles of the unit, ``settlement location``, ``grouping member``, or
    ``point overrode name``); where the record's point and name disagreed,
    ``point_name_other_unit`` is the unit not taken and
    ``point_name_distance_km`` the distance from the point to the named unit (for
    a point at sea, to the unit it was given).
    ``precision`` is how precisely the record is drawn (``exact``,
    ``settlement``, ``admin1``...), ``source_precision`` the source's own code
    for it in words (a preset's, e.g. ACLED's ``geo_precision``).
    ``longitude`` and ``latitude`` are the point the record is drawn at, when
    it is located by one.

    Examples
    --------
    >>> import layers
    >>> listing = record_listing("incidents", prepare(layers.default("incidents")))
    >>> list(listing.columns) == RECORD_COLUMNS, len(listing) > 0
    (True, True)
    """
    records = prepared.records
    own = [c for c in RECORD_COLUMNS if c not in ("layer", "file", "longitude", "latitude")]
    out = records.reindex(columns=own)
    out.insert(0, "layer", layer_name)
    out.insert(1, "file", records["file"].astype(str) if "file" in records else prepared.path)
    out["point_name_distance_km"] = pd.to_numeric(out["point_name_distance_km"]).round(3)
    x = np.full(len(records), np.nan)
    y = np.full(len(records), np.nan)
    if "geometry" in records.columns and len(records):
        geoms = np.asarray(records["geometry"].to_numpy(), dtype=object)
        point = shapely.get_type_id(geoms) == 0
        x[point] = shapely.get_x(geoms[point])
        y[point] = shapely.get_y(geoms[point])
    out["longitude"] = np.round(x, 6)
    out["latitude"] = np.round(y, 6)
    return pd.DataFrame(out).reset_index(drop=True)[RECORD_COLUMNS]
