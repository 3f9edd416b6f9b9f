"""Coordinate reference systems of vector files: which CRS applies, and the move to EPSG:4326.

:func:`to_wgs84` takes the geometry as read with the file's CRS, or the
``crs=`` a user gave, checks that the coordinates fit it and returns them in
EPSG:4326. Coordinates that cannot be in the CRS stated are refused, never
guessed: numbers beyond longitude/latitude under a geographic CRS (or under
none), and numbers that all look like longitude/latitude under a projected CRS
in metres or feet (:func:`degrees_in`). Errors are
:class:`layers.errors.TableError`; :mod:`layers.formats` names the file and
raises ``FileReadError``.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pyproj

from layers.errors import TableError

__all__ = ["crs_name", "degrees_in", "in_lonlat", "to_wgs84"]

_UNITS = {"metre": "metres", "foot": "feet", "US survey foot": "US survey feet"}


def crs_name(crs: pyproj.CRS) -> str:
    """Name a CRS by its authority code (``'EPSG:32637'``), else by its name.

    Examples
    --------
    >>> crs_name(pyproj.CRS("EPSG:32637"))
    'EPSG:32637'
    """
    return ":".join(crs.to_authority() or ()) or crs.name


def in_lonlat(geom: gpd.GeoSeries, max_x: float) -> bool:
    """Tell whether every coordinate lies within -max_x..max_x (x) and -90..90 (y).

    Geometry without coordinates (all missing or empty) passes.

    Examples
    --------
    >>> from shapely.geometry import Point
    >>> points = gpd.GeoSeries([Point(30, 50), Point(200, 50)])
    >>> in_lonlat(points[:1], 180), in_lonlat(points, 180), in_lonlat(points, 360)
    (True, False, True)
    """
    x0, y0, x1, y1 = geom.total_bounds
    return bool(np.isnan(x0) or (-max_x <= x0 and x1 <= max_x and y0 >= -90 and y1 <= 90))


def degrees_in(source: pyproj.CRS, geom: gpd.GeoSeries) -> str | None:
    """Name the unit of a projected CRS whose coordinates all look like lon/lat, else None.

    The rule: the CRS is projected, its axes are in metres or a shorter
    unit (feet, US survey feet), and every coordinate lies within -180..180
    (x) and -90..90 (y). Such data would sit within 180 m of the CRS's false
    origin, which is put off to the side or in the sea, never where a
    mine-action survey takes place; it is longitude/latitude under a wrong CRS.

    Examples
    --------
    >>> from shapely.geometry import Point
    >>> degrees_in(pyproj.CRS("EPSG:3857"), gpd.GeoSeries([Point(30, 50)]))
    'metres'
    >>> degrees_in(pyproj.CRS("EPSG:3857"), gpd.GeoSeries([Point(3339585, 6446276)])) is None
    True
    """
    axes = source.axis_info[:2] if source.is_projected else []
    if not axes or any(not 0 < a.unit_conversion_factor <= 1 for a in axes):
        return None
    if np.isnan(geom.total_bounds[0]) or not in_lonlat(geom, 180):
        return None
    return _UNITS.get(axes[0].unit_name, axes[0].unit_name)


def to_wgs84(geom: gpd.GeoSeries, kind: str, crs: str | None) -> tuple[gpd.GeoSeries, str | None]:
    """Return the geometry in EPSG:4326 (empty as None) and the name of the CRS it was in.

    Parameters
    ----------
    geom : geopandas.GeoSeries
        The geometry as read, with the file's CRS if it has one.
    kind : str
        Kind of file (``'geojson'``, ``'gpkg'``, ``'shapefile'``...). A GeoJSON
        file has no CRS (RFC 7946): the EPSG:4326 GDAL reports is an
        assumption that ``crs`` overrides.
    crs : str or None
        CRS given by the user for a file that has none.

    Returns
    -------
    (geopandas.GeoSeries, str or None)
        The geometry in EPSG:4326, and the CRS it was in (None when neither
        the file nor ``crs`` says).

    Raises
    ------
    layers.errors.TableError
        ``crs`` is not a CRS, contradicts the file's, or the coordinates do
        not fit the CRS that applies.

    Examples
    --------
    >>> from shapely.geometry import Point
    >>> out, name = to_wgs84(gpd.GeoSeries([Point(3339585, 6446276)]), "gpkg", "EPSG:3857")
    >>> name, out.crs.to_epsg(), round(out[0].x, 3), round(out[0].y, 3)
    ('EPSG:3857', 4326, 30.0, 50.0)
    """
    given = None
    if crs is not None:
        try:
            given = pyproj.CRS.from_user_input(crs)
        except pyproj.exceptions.CRSError as e:
            raise TableError(
                f"crs={crs!r} is not a CRS that pyproj knows", "pass e.g. crs='EPSG:32637'"
            ) from e
    # GeoJSON has no CRS (RFC 7946): the EPSG:4326 GDAL reports is an assumption.
    own = geom.crs
    if given is not None and own is not None and kind != "geojson":
        epsg = own.to_epsg()
        if not (own.equals(given, ignore_axis_order=True) or (epsg and epsg == given.to_epsg())):
            reason = f"the file's CRS is {crs_name(own)} but crs={crs!r} was given"
            fix = "drop crs= (it is for files without a CRS), or correct the file's CRS"
            raise TableError(reason, fix)
    source = given or own
    if source is None and not in_lonlat(geom, 180):
        x0, y0, x1, y1 = geom.total_bounds
        raise TableError(
            "no CRS and coordinates are not longitude/latitude "
            f"(x {x0:g} to {x1:g}, y {y0:g} to {y1:g})",
            "pass crs='EPSG:xxxx'",
        )
    if source is not None and source.is_geographic and not in_lonlat(geom, 360):
        raise TableError(
            f"the CRS is {crs_name(source)} but the coordinates are not longitude/latitude",
            "pass crs='EPSG:xxxx' with the CRS the coordinates are in"
            if kind == "geojson"
            else "correct the CRS saved in the file (for a shapefile, its .prj)",
        )
    if source is not None and (unit := degrees_in(source, geom)):
        fix = "pass crs='EPSG:4326' if they are longitude/latitude"
        if given is None:
            fix += ", or correct the CRS saved in the file"
        if kind != "geojson" and own is not None:  # crs= cannot override the file's CRS
            fix = "correct the CRS saved in the file (for a shapefile, its .prj): EPSG:4326 if "
            fix += "they are longitude/latitude"
        raise TableError(
            f"the CRS is {crs_name(source)} ({unit}) but every coordinate lies within "
            "-180..180, -90..90: they look like longitude/latitude",
            fix,
        )
    out = geom.set_crs(source or "EPSG:4326", allow_override=True).to_crs("EPSG:4326")
    out = [None if g is None or g.is_empty else g for g in out]
    name = crs_name(source) if source is not None else None
    return gpd.GeoSeries(out, index=geom.index, crs="EPSG:4326"), name
