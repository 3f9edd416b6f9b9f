"""Files with geometry read as rows of text and a GeoSeries: vector formats (GDAL) and (Geo)Parquet.

Readers of :func:`layers.formats.read_table`: GeoJSON, GeoPackage, Shapefile
(also zipped) and KML through pyogrio (:func:`read_vector`), and GeoParquet or
Parquet through pyarrow (:func:`read_parquet`, also by runs of row groups).
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio

from layers.crs import to_wgs84
from layers.hxl import cell_text
from layers.limits import (
    ReadLimits,
    gdal,
    guard,
    too_many_rows,
    verify_members,
    zip_members,
)
from layers.raw_table import FileReadError, RawTable
from layers.sheets import open_book

__all__ = ["check_shapefile", "layer_names", "read_parquet", "read_vector"]


_KML_EXTRAS = {"id": "", "timestamp": "", "begin": "", "end": "", "altitudeMode": "",
               "tessellate": "-1", "extrude": "0", "visibility": "-1", "drawOrder": "",
               "icon": "", "snippet": ""}  # fmt: skip


def layer_names(file: str, path: Path, kind: str, limits: ReadLimits) -> list[str]:
    """List what ``layer=`` (``sheet=``) may name in a file of ``kind``; see list_layers."""
    if kind == "xlsx":
        book = open_book(file, path)
        names = book.sheetnames
        book.close()
        return names
    if kind == "shapezip":
        return sorted(n[:-4] for n in zip_members(path, limits) if n.lower().endswith(".shp"))
    if kind == "csv":
        return []
    if kind == "kmz":
        verify_members(path, zip_members(path, limits))
    with gdal("GDAL cannot open it"):
        return [str(name) for name, _ in pyogrio.list_layers(path)]


def check_shapefile(file: str, names: list[str], shp: str) -> None:
    """Raise unless the .shx and .dbf files of a shapefile sit beside its .shp."""
    have = {n.lower() for n in names}
    missing = [e for e in (".shx", ".dbf") if shp[:-4].lower() + e not in have]
    if missing:
        reason = f"the shapefile {shp!r} has no {' or '.join(missing)} file beside it"
        fix = "keep the files of a shapefile (.shp, .shx, .dbf, .prj, .cpg) together, or zip them"
        raise FileReadError(file, reason, fix)


def read_vector(file, path, kind, layer, encoding, crs, limits: ReadLimits) -> RawTable:
    """Read one layer of a vector file (GDAL, by pyogrio): its columns as text, its geometry."""
    names = layer_names(file, path, kind, limits)
    if kind == "shapezip" and not names:
        raise FileReadError(
            file,
            f"the zip holds no shapefile (.shp), only {zip_members(path, limits)[:10]}",
            "unzip it and pass the file inside, or zip a .shp with its .shx, .dbf and .prj",
        )
    if layer is not None and layer.removesuffix(".shp") not in names:
        raise FileReadError(
            file, f"no layer {layer!r}; its layers are {names}", "pass layer= with one of them"
        )
    if layer is None and len(names) != 1:
        raise FileReadError(file, f"it holds {len(names)} layers {names} and layer= does not say "
                            "which to read", "pass layer= with one of them")  # fmt: skip
    name = layer.removesuffix(".shp") if layer is not None else names[0]
    target, layer_arg = str(path), name
    if kind == "shapezip":
        members = zip_members(path, limits)
        shp = next(n for n in members if n[:-4] == name and n.lower().endswith(".shp"))
        check_shapefile(file, members, shp)
        own = [n for n in members if n.lower().rsplit(".", 1)[0] == shp[:-4].lower()]
        verify_members(path, own)  # the members GDAL reads
        target, layer_arg = f"/vsizip/{path.absolute()}/{shp}", None
    elif kind == "shapefile":
        check_shapefile(file, [p.name for p in path.parent.iterdir()], path.name)
    with gdal("GDAL cannot read it") as said:
        info = pyogrio.read_info(target, layer=layer_arg)
    too_many_rows(info["features"], limits, f"layer {name!r}", exact=True)  # -1: not known
    with gdal("GDAL cannot read it") as read_said:  # GDAL keeps a GeoPackage's fid, GeoJSON's
        df = pyogrio.read_dataframe(  # integer feature "id", apart: as index
            target, layer=layer_arg, encoding=encoding, on_invalid="ignore", fid_as_index=True,
            max_features=limits.max_rows + 1,
        )  # fmt: skip
    too_many_rows(len(df), limits, f"layer {name!r}", exact=False)
    fid = info["fid_column"] if kind == "gpkg" else "id"
    if len(df) == 0:
        raise FileReadError(file, f"no data rows: layer {name!r} has no features", "add features")
    fids, df = df.index.to_numpy(), df.reset_index(drop=True)
    geom = df.geometry if isinstance(df, gpd.GeoDataFrame) else None
    texts = {}
    if kind == "gpkg" or (kind == "geojson" and (fids != np.arange(len(df))).any()):
        texts[fid or "fid"] = [str(f) for f in fids]
    for c in df.columns:
        if geom is None or c != geom.name:
            values = list(df[c]) if df[c].dtype.kind == "M" else df[c].to_numpy()
            texts[c] = [cell_text(v) for v in values]
    for c in _KML_EXTRAS if kind in ("kml", "kmz") else ():
        if c in texts and not set(texts[c]) - {"", _KML_EXTRAS[c]}:
            del texts[c]
    frame = pd.DataFrame(texts, index=range(len(df)), dtype=str)
    geometry, crs_name = (None, None) if geom is None else to_wgs84(geom, kind, crs)
    named = len(names) > 1 or kind in ("gpkg", "kml", "kmz")
    source = f"{path.name}, layer {name!r}" if named else path.name
    fmt = {"shapezip": "shapefile", "kmz": "kml"}.get(kind, kind)
    notes = tuple(f"GDAL: {m}" for m in dict.fromkeys([*said, *read_said]))
    return RawTable(file, source, frame, list(range(1, len(df) + 1)), geometry, crs_name, {},
                    encoding, fmt, notes)  # fmt: skip


def read_parquet(file: str, path: Path, crs: str | None, limits: ReadLimits,
                  row_groups: tuple[int, int] | None = None) -> RawTable:  # fmt: skip
    """Read a (Geo)Parquet file: its columns as text, its geometry (GeoParquet) in EPSG:4326.

    A partition of a partitioned dataset is one such file, or the row groups
    ``row_groups`` (first, past the last) of one; rows are numbered from the
    file's first row either way. The row count is read from the file's
    metadata and checked before its data.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    with guard("the Parquet file cannot be read", "write it again (pyarrow, GeoPandas)"):
        meta = pq.ParquetFile(path)
        rows = meta.metadata.num_rows
        geo = (meta.schema_arrow.metadata or {}).get(b"geo")
    too_many_rows(rows, limits, "the file", exact=True)
    if rows == 0:
        raise FileReadError(file, "no data rows: the file is empty", "export the data again")
    first = 0
    with guard("the Parquet file cannot be read", "write it again (pyarrow, GeoPandas)"):
        if row_groups is None:
            df = gpd.read_parquet(path) if geo else pd.read_parquet(path)
        else:  # the row groups alone, decoded as the whole file would be
            start, stop = row_groups
            first = sum(meta.metadata.row_group(i).num_rows for i in range(start))
            sink = pa.BufferOutputStream()
            pq.write_table(meta.read_row_groups(range(start, stop)), sink)
            part = pa.BufferReader(sink.getvalue())
            df = gpd.read_parquet(part) if geo else pd.read_parquet(part)
    geom = df.geometry if isinstance(df, gpd.GeoDataFrame) else None
    texts = {}
    for c in df.columns:
        if geom is None or c != geom.name:
            values = list(df[c]) if df[c].dtype.kind == "M" else df[c].to_numpy()
            texts[str(c)] = [cell_text(v) for v in values]
    frame = pd.DataFrame(texts, index=range(len(df)), dtype=str)
    geometry, crs_name = (None, None) if geom is None else to_wgs84(
        geom.reset_index(drop=True), "parquet", crs)  # fmt: skip
    return RawTable(file, path.name, frame, list(range(first + 1, first + len(df) + 1)), geometry,
                    crs_name, {}, None, "parquet")  # fmt: skip
