"""Read a layer file, validate every row against its schema, keep the rejects.

read (any format, :mod:`layers.formats`) -> map columns (:mod:`layers.mapping`)
-> fill defaults -> geometry (:mod:`layers.geometry`) -> validate
(:mod:`layers.validate`). Every row read ends up either in
:attr:`Layer.records` or in :attr:`Layer.rejects` with the file, row, field,
value received, the reason and a fix: nothing is dropped silently. Row numbers
are the file's: a spreadsheet's row (the header is row 1), or a feature number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.area import area_km2
from geo.errors import REJECT_COLUMNS, RecordError
from layers import kinds, presets
from layers.areas import normalise_area
from layers.countries import codes_for_names
from layers.formats import read_table
from layers.geometry import row_geometries
from layers.kinds import LayerKind
from layers.mapping import ColumnMapping, map_columns
from layers.presets import Preset, Rules
from layers.validate import validate
from layers.wide import YEAR_COLUMN, melt_years

__all__ = ["REJECT_COLUMNS", "Layer", "default", "defaults", "read"]


@dataclass
class Layer:
    """Records of one layer kind read from a file, and the rows rejected.

    Attributes
    ----------
    kind : str
        Layer kind (see :func:`layers.kinds.names`).
    path : str
        File the records were read from (with layer or sheet, if any).
    records : pandas.DataFrame
        Accepted rows, typed, in schema order, with ``row`` (file row number),
        ``area_km2`` for area values, and ``geometry`` when the file gives any.
    rejects : pandas.DataFrame
        Rejected rows: :data:`geo.errors.REJECT_COLUMNS`, then the row as read,
        each column prefixed with ``original.``.
    rows_read : int
        Data rows read; always ``len(records) + rejects["row"].nunique()``.
    mapping : dict
        Schema field -> how its column was found (for reports).
    unmapped : list of str
        Columns of the file that map to no field (reported, not used).
    raw : pandas.DataFrame
        The file's rows as read (original columns) with their ``row`` number,
        so every reject can carry its original row.
    notes : list of str
        What the file's reader said that a user should know (e.g. GDAL's
        warnings about geometries it could not read), and what minemap chose
        (a preset, how dates or names were read).
    left_out : int
        Rows the project's ``where`` filter left out (not in ``rows_read``).
    preset : layers.presets.Preset or None
        The source preset the file was read with.
    """

    kind: str
    path: str
    records: pd.DataFrame
    rejects: pd.DataFrame
    rows_read: int
    mapping: dict[str, str] = field(default_factory=dict)
    unmapped: list[str] = field(default_factory=list)
    raw: pd.DataFrame | None = None
    notes: list[str] = field(default_factory=list)
    left_out: int = 0
    preset: Preset | None = None


def _fill_defaults(
    frame: pd.DataFrame, kind: LayerKind, path: str, numbers: list[int], level: str = "admin1"
) -> pd.DataFrame:
    out = frame.copy()

    def blank(col: str) -> pd.Series:
        if col not in out.columns:
            return pd.Series(True, index=out.index)
        return out[col].astype(str).str.strip().eq("")

    stem = Path(path.split(",")[0]).stem
    if "record_id" not in out.columns:
        out["record_id"] = [f"{stem}-row-{n}" for n in numbers]
    if "source_file" not in out.columns or blank("source_file").all():
        out["source_file"] = Path(path.split(",")[0]).name
    out.loc[blank("unit_level"), "unit_level"] = level
    if "unit_code" in out.columns:
        # A row that names its unit only by code: the code is the place as written.
        fill = blank("place") & ~blank("unit_code")
        out.loc[fill, "place"] = out.loc[fill, "unit_code"]
    for column, value in kind.defaults.items():
        if column not in frame.columns:
            out[column] = value
    return out


def _measure_polygons(frame: pd.DataFrame, geoms: list) -> np.ndarray:
    """Give a polygon without a value its geodesic area in km²; return which rows were measured."""
    for col in ("value", "value_unit"):
        if col not in frame.columns:
            frame[col] = ""
    measured = np.zeros(len(frame), dtype=bool)
    for pos, geom in enumerate(geoms):
        polygonal = geom is not None and geom.geom_type in ("Polygon", "MultiPolygon")
        if polygonal and not str(frame["value"].iloc[pos]).strip():
            frame.iloc[pos, frame.columns.get_loc("value")] = repr(area_km2(geom))
            frame.iloc[pos, frame.columns.get_loc("value_unit")] = "km2"
            measured[pos] = True
    return measured


def read(
    path: str | Path,
    kind: str,
    *,
    mapping: ColumnMapping | None = None,
    rules: Rules | None = None,
    default_level: str = "admin1",
    **options: object,
) -> Layer:
    """Read and validate a layer file of any supported format.

    Parameters
    ----------
    path : str or pathlib.Path
        CSV (any delimiter; UTF-8 or CP1251; HXL-tagged or not), Excel
        ``.xlsx``, GeoJSON, GeoPackage, Shapefile (also zipped) or KML.
    kind : str
        Layer kind, one of :func:`layers.kinds.names`.
    mapping : ColumnMapping, optional
        Explicit column mapping and constants (see :mod:`layers.mapping`).
    rules : layers.presets.Rules, optional
        The source preset (``format``, else recognised from the columns), row
        filters, value maps and date format (see :mod:`layers.presets`).
    default_level : str
        ``unit_level`` of rows that give none: the level of the boundary set
        the layer is resolved on (``admin1`` for the embedded one).
    **options
        How to read the file, passed to :func:`layers.formats.read_table`:
        ``layer``, ``sheet``, ``encoding``, ``delimiter``, ``crs`` and
        ``limits`` (what reading it may cost, :class:`layers.limits.ReadLimits`).

    Returns
    -------
    Layer
        Accepted records and rejected rows.

    Raises
    ------
    layers.formats.FileReadError
        The file cannot be read at all.
    geo.errors.RecordError
        A required column is missing, or the mapping does not fit the file.

    Examples
    --------
    >>> layer = default("clearance")
    >>> layer.rows_read == len(layer.records) + layer.rejects["row"].nunique()
    True
    """
    spec = kinds.get(kind)
    sch = spec.schema
    rules = rules or Rules()
    raw = read_table(path, **options)
    # Rejects and messages name the file as the user gave it (with its layer or sheet).
    name = Path(str(path)).name
    where = str(path) + (raw.source[len(name) :] if raw.source.startswith(name) else "")
    notes = list(raw.notes)
    tags = raw.hxl_tags
    preset, said = presets.choose(rules, list(raw.frame.columns), tags, kind, where)
    notes += [said] if said else []
    source, numbers, kept, said = presets.apply_where(
        raw.frame, raw.row_numbers, rules, tags, where
    )
    notes += said
    left_out = len(raw.frame) - len(source)
    if rules.years:
        if raw.geometry is not None:
            raise RecordError(where, None, "years", list(rules.years),
                              "year columns are read from tables (CSV, Excel), not vector files",
                              "export the table of figures as CSV")  # fmt: skip
        source, numbers = melt_years(source, numbers, rules.years, tags, where, notes)
    mapping, fallback = presets.mapping_for(
        preset, mapping or ColumnMapping(), list(source.columns), tags, notes
    )
    mapped = map_columns(
        source,
        sch,
        path=where,
        hxl_tags=tags,
        mapping=mapping,
        synonyms=preset is None or preset.synonyms,
    )
    for target, column in fallback.items():
        if target not in mapped.frame.columns:
            mapped.frame[target] = source[column]
            mapped.how[target] = f"preset {preset.name!r}: column {column!r}"
    notes += mapped.notes
    if preset is not None:
        presets.compose(mapped.frame, source, preset, mapping, tags, notes)
    if YEAR_COLUMN in source.columns:  # one record per unit and year: ids by year
        stem = Path(where.split(",")[0]).stem
        ids = (
            mapped.frame["record_id"].astype(str)
            if "record_id" in mapped.frame
            else pd.Series([f"{stem}-row-{n}" for n in numbers], index=mapped.frame.index)
        )
        mapped.frame["record_id"] = (ids + "-" + source[YEAR_COLUMN].astype(str)).to_numpy()
        mapped.unmapped = [c for c in mapped.unmapped if c != YEAR_COLUMN]
    maps = {f: dict(m) for f, m in (preset.values if preset else {}).items()}
    whose = {f: f"the preset {preset.name!r}" for f in maps}
    for target, table in rules.values.items():
        whose[target] = "the project" if target not in maps else whose[target] + " and the project"
        maps.setdefault(target, {}).update(table)
    presets.map_values(mapped.frame, maps, whose, notes)
    if "country" in mapped.frame.columns:
        mapped.frame["country"] = codes_for_names(mapped.frame["country"], notes)
    if preset is not None:
        presets.country_level(mapped.frame, source, preset, tags, notes)
    frame = _fill_defaults(mapped.frame, spec, where, numbers, default_level)
    file_geometry = None
    if raw.geometry is not None:
        file_geometry = list(raw.geometry if kept is None else raw.geometry.iloc[kept])
    geoms, problems = row_geometries(frame, file_geometry, keep_bad=spec.reach == "overlay")
    measured = _measure_polygons(frame, geoms) if spec.measure_polygons else None
    if spec.reach == "locate":
        has_point = pd.Series(~shapely.is_missing(geoms), index=frame.index)
        if "locate_as" not in frame.columns:
            frame["locate_as"] = ""
        empty = frame["locate_as"].astype(str).str.strip().eq("")
        frame.loc[empty & has_point, "locate_as"] = "exact"
        lookup = (
            frame["lookup_name"].astype(str).str.strip().ne("")
            if "lookup_name" in frame.columns
            else False
        )
        frame.loc[empty & ~has_point & lookup, "locate_as"] = "settlement"
        # Still empty: decided when the place is resolved (a unit's name, or a
        # settlement's), see layers.locate.locate.
    records, rejects = validate(
        frame, sch, where, row_numbers=numbers, extra=problems, checks=spec.row_checks,
        notes=notes, date_format=rules.date_format,
    )  # fmt: skip
    positions = records["position"].to_numpy(dtype=np.int64)
    for column, values in presets.carried(source, preset, tags).items():
        records[column] = values.array.take(positions)
    if measured is not None and measured.any():  # a value minemap measured, not one reported
        records["area_measured"] = measured[positions]
    if spec.area_values:
        records["area_km2"] = normalise_area(records)
    if (~shapely.is_missing(geoms)).any():
        records = gpd.GeoDataFrame(
            records, geometry=gpd.GeoSeries(geoms[positions], crs="EPSG:4326"), crs="EPSG:4326"
        )
    records = records.drop(columns="position")
    raw_rows = source.copy(deep=False)  # the same columns (copy-on-write), and the row numbers
    raw_rows.insert(0, "row", numbers)
    return Layer(
        kind=kind,
        path=where,
        records=records,
        rejects=rejects,
        rows_read=len(source),
        mapping=mapped.how,
        unmapped=mapped.unmapped,
        raw=raw_rows,
        notes=notes,
        left_out=left_out,
        preset=preset,
    )


def default(kind: str) -> Layer:
    """Read one of the embedded default layers (curated from the seed reports).

    Examples
    --------
    >>> default("contamination").rejects.empty
    True
    """
    data = kinds.get(kind).default_data
    if data is None:
        raise kinds.UnknownKindError(f"layer kind {kind!r} has no default records")
    return read(data, kind)


def defaults() -> dict[str, Layer]:
    """Read all embedded default layers, by kind."""
    return {kind: default(kind) for kind in kinds.names() if kinds.get(kind).default_data}
