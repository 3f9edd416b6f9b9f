"""Geometry of input rows: from the file, from latitude/longitude, or from WKT.

Each row gets at most one geometry in EPSG:4326. Problems become rejects with
the row's field and a fix: coordinates that are not finite numbers or out of
range (and likely swaps flagged), unparseable WKT, empty geometry, invalid
polygons. Nothing is repaired silently: a polygon that is not valid is
rejected with shapely's reason.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from layers.frames import rows_of
from layers.validate import Problem

__all__ = ["row_geometries"]


def _number(text: str) -> float | None:
    """Parse decimal degrees ('.' or ',' as decimal mark); None when not a number."""
    try:
        return float(str(text).strip().replace(",", "."))
    except ValueError:
        return None


def _from_lat_lon(lat_text: str, lon_text: str) -> tuple[BaseGeometry | None, list[Problem]]:
    if str(lat_text).strip() == "" and str(lon_text).strip() == "":
        return None, []
    lat, lon = _number(lat_text), _number(lon_text)
    problems: list[Problem] = []
    for name, value, text, example in (
        ("latitude", lat, lat_text, "48.0159"),
        ("longitude", lon, lon_text, "37.8028"),
    ):
        if value is None:
            reason = "expected a number (decimal degrees)"
        elif not math.isfinite(value):
            reason = "not a finite number"
        else:
            continue
        problems.append((name, text, reason, f"write the {name} like {example}"))
    if problems:
        return None, problems
    if abs(lat) > 90 and abs(lon) <= 90:
        return None, [(
            "latitude", lat_text,
            f"latitude {lat:g} is out of range -90..90, and longitude {lon:g} would be a valid "
            "latitude: latitude and longitude look swapped",
            "swap the latitude and longitude columns (or their mapping)",
        )]  # fmt: skip
    if abs(lat) > 90:
        return None, [
            (
                "latitude",
                lat_text,
                f"latitude {lat:g} is out of range -90..90",
                "correct the latitude",
            )
        ]
    if abs(lon) > 180:
        return None, [
            (
                "longitude",
                lon_text,
                f"longitude {lon:g} is out of range -180..180",
                "correct the longitude",
            )
        ]
    return shapely.Point(lon, lat), []


def _checked(
    geom: BaseGeometry | None, field: str, text: object, keep_bad: bool = False
) -> tuple[BaseGeometry | None, list[Problem]]:
    if keep_bad and (geom is None or geom.is_empty):
        return geom, []  # told apart and reported by geo.overlay
    if geom is None or geom.is_empty:
        return None, [
            (field, text, "the geometry is empty", "give the feature a geometry or remove it")
        ]
    if not np.isfinite(shapely.get_coordinates(geom)).all():
        return None, [(
            field, text, f"a coordinate of the {geom.geom_type} is not a finite number",
            "give the feature its coordinates (NaN and infinity are not coordinates) or remove it",
        )]  # fmt: skip
    if not geom.is_valid and not keep_bad:
        reason = shapely.is_valid_reason(geom)
        return None, [(
            field, text, f"invalid {geom.geom_type}: {reason}",
            "repair the geometry (e.g. QGIS 'Fix geometries' or shapely.make_valid) and read the "
            "file again",
        )]  # fmt: skip
    if geom.geom_type not in ("Point", "MultiPoint", "Polygon", "MultiPolygon"):
        return None, [
            (
                field,
                text,
                f"expected points or polygons, got {geom.geom_type}",
                "convert the features to points or polygons",
            )
        ]
    return geom, []


_DECIMAL = r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?"


def _plain_points(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Points of the rows whose latitude and longitude are plain decimal degrees in range.

    Built at once (shapely's array functions); every other row, empty cells
    included, goes through :func:`_from_lat_lon` one by one.
    """
    texts = {}
    for name in ("latitude", "longitude"):
        column = frame[name] if name in frame.columns else pd.Series("", index=frame.index)
        texts[name] = column.fillna("").astype(str).str.strip().str.replace(",", ".")
    ok = np.ones(len(frame), dtype=bool)
    for text in texts.values():
        ok &= text.str.fullmatch(_DECIMAL).fillna(False).to_numpy(dtype=bool, copy=True)
    if not ok.any():
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=object)
    lat = np.asarray([float(t) for t in texts["latitude"][ok].tolist()])
    lon = np.asarray([float(t) for t in texts["longitude"][ok].tolist()])
    good = np.isfinite(lat) & np.isfinite(lon) & (np.abs(lat) <= 90) & (np.abs(lon) <= 180)
    return np.flatnonzero(ok)[good], shapely.points(lon[good], lat[good])


def row_geometries(
    frame: pd.DataFrame,
    file_geometry: Sequence[BaseGeometry | None] | None,
    keep_bad: bool = False,
) -> tuple[np.ndarray, dict[int, list[Problem]]]:
    """Geometry of each row, and the problems found, by row position.

    With ``keep_bad`` (hazard polygons), missing, empty and invalid file
    geometries are kept as they are, for :mod:`geo.overlay` to tell apart,
    repair and report.

    A row's geometry comes from the file's own geometry column when the file
    has one, else from ``latitude``/``longitude``, else from ``wkt``. Returns
    an object array with one entry per row (``None`` where the row has
    none) and the problems.

    Examples
    --------
    >>> rows = pd.DataFrame({"latitude": ["48.0", "137.8", ""], "longitude": ["37.8", "48.0", ""]})
    >>> geoms, problems = row_geometries(rows, None)
    >>> geoms[0].wkt, geoms[2]
    ('POINT (37.8 48)', None)
    >>> problems[1][0][2].endswith("look swapped")
    True
    >>> row_geometries(pd.DataFrame({"latitude": ["nan"], "longitude": ["inf"]}), None)[1][0]
    [('latitude', 'nan', 'not a finite number', 'write the latitude like 48.0159'), \
('longitude', 'inf', 'not a finite number', 'write the longitude like 37.8028')]
    """
    problems: dict[int, list[Problem]] = {}
    has_lat_lon = "latitude" in frame.columns or "longitude" in frame.columns
    geoms = np.full(len(frame), None, dtype=object)
    done = np.zeros(len(frame), dtype=bool)
    if file_geometry is None and has_lat_lon:
        # Plain decimal degrees in range: built at once, as the cell-by-cell path would.
        positions, points = _plain_points(frame)
        geoms[positions] = points
        done[positions] = True
    rest = np.flatnonzero(~done)
    if not len(rest):
        return geoms, problems
    for pos, row in zip(rest.tolist(), rows_of(frame.iloc[rest]), strict=True):
        found: list[Problem] = []
        geom = None
        if file_geometry is not None:
            geom, found = _checked(file_geometry[pos], "geometry", "(feature geometry)", keep_bad)
        elif has_lat_lon:
            geom, found = _from_lat_lon(row.get("latitude", ""), row.get("longitude", ""))
            if geom is not None:
                geom, found = _checked(geom, "latitude", row.get("latitude"))
        elif str(row.get("wkt", "")).strip():
            try:
                parsed = shapely.from_wkt(row["wkt"])
            except shapely.errors.GEOSException as err:
                parsed, found = (
                    None,
                    [
                        (
                            "wkt",
                            row["wkt"],
                            f"not well-known text: {err}",
                            "write the geometry as WKT, e.g. POINT (37.8 48.0)",
                        )
                    ],
                )
            if parsed is not None:
                geom, found = _checked(parsed, "wkt", row["wkt"], keep_bad)
        if found:
            problems[pos] = found
        geoms[pos] = geom
    return geoms, problems
