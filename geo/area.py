"""Areas in km², measured geodesically on the WGS84 ellipsoid.

Areas are never computed in degrees or in Web Mercator: each polygon is
measured with :meth:`pyproj.Geod.geometry_area_perimeter`, which integrates
along geodesic edges on the ellipsoid.
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np
import pandas as pd
import shapely
from pyproj import Geod
from shapely.geometry.base import BaseGeometry

from geo import boundaries
from geo.errors import UnitNotFoundError

__all__ = [
    "AREA_UNITS_KM2",
    "area_km2",
    "country_area_km2",
    "geodesic_distance_km",
    "share_of_unit",
    "to_km2",
    "unit_area_km2",
    "unit_or_country_area_km2",
]

GEOD = Geod(ellps="WGS84")

#: Exact factors from each accepted area unit to km².
AREA_UNITS_KM2 = {
    "km2": 1.0,
    "ha": 0.01,
    "m2": 1e-6,
    "sq_mi": 2.589988110336,  # international mile: 1,609.344 m squared
    "acre": 0.0040468564224,  # international acre: 4,046.8564224 m²
}


def to_km2(value: float, unit: str) -> float:
    """Convert an area from ``unit`` to km².

    Parameters
    ----------
    value : float
        The area as reported.
    unit : {"km2", "ha", "m2", "sq_mi", "acre"}
        Its unit.

    Examples
    --------
    >>> to_km2(25000, "ha")
    250.0
    >>> to_km2(1, "sq_mi")
    2.589988110336
    >>> to_km2(0, "m2")
    0.0
    """
    try:
        factor = AREA_UNITS_KM2[unit]
    except KeyError:
        raise ValueError(
            f"unknown area unit {unit!r}: expected one of {sorted(AREA_UNITS_KM2)}"
        ) from None
    return float(value) * factor


def geodesic_distance_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Return the distance between two lon/lat points along the WGS84 ellipsoid, in km.

    Examples
    --------
    >>> round(geodesic_distance_km(30.52, 50.45, 36.23, 49.99), 1)  # Kyiv to Kharkiv
    410.6
    """
    return abs(GEOD.inv(lon1, lat1, lon2, lat2)[2]) / 1000


def area_km2(geometry: BaseGeometry) -> float:
    """Return the geodesic area of a polygon or multipolygon in km² (WGS84).

    Rings may run either way (they are oriented first); holes are subtracted.
    Empty geometry has area 0.

    Examples
    --------
    >>> from shapely.geometry import Polygon, box
    >>> area_km2(Polygon())
    0.0
    >>> round(area_km2(box(0, 0, 1, 1)))  # one degree square at the equator
    12309
    """
    if geometry is None or geometry.is_empty:
        return 0.0
    # Geod adds the signed area of every ring: holes must run against the
    # exterior to be subtracted, whatever orientation the source data has.
    oriented = shapely.orient_polygons(geometry, exterior_cw=False)
    area, _ = GEOD.geometry_area_perimeter(oriented)
    return abs(area) / 1e6


@cache
def _unit_area(level: str, code: str) -> float:
    return math.fsum(area_km2(g) for g in boundaries.unit_parts(level, code))


def unit_area_km2(level: str, code: str) -> float:
    """Return the geodesic area in km² of a boundary unit (all its features).

    Cached per unit. Measured on the full-resolution geometry of
    :data:`geo.boundaries.BOUNDARY_VERSION`.

    Examples
    --------
    >>> round(unit_area_km2("admin1", "RU-CE"))
    16171
    """
    return _unit_area(level, code)


def country_area_km2(country: str) -> float:
    """Return a country's area in km² as the sum of its admin-1 units (de jure).

    A unit belongs to the country of its ISO 3166-2 prefix, so Ukraine's area
    includes Crimea (``UA-43``) and Sevastopol (``UA-40``), and Russia's does not,
    whatever the Natural Earth admin-0 default view draws.

    Examples
    --------
    >>> round(country_area_km2("UKR") / 1000)  # official figure 603.6 thousand km²
    599
    """
    return _country_area(country)


@cache
def _country_area(country: str) -> float:
    frame = boundaries.admin1([country])
    codes = frame["code"].unique()
    return math.fsum(unit_area_km2("admin1", c) for c in codes)


def unit_or_country_area_km2(level: str, code: str) -> float:
    """Area of an admin-1 unit, or of a country as the sum of its admin-1 units.

    Examples
    --------
    >>> unit_or_country_area_km2("admin1", "RU-CE") == unit_area_km2("admin1", "RU-CE")
    True
    """
    if level == "admin0":
        return country_area_km2(code)
    return unit_area_km2(level, code)


def share_of_unit(area: float | pd.Series, level: str, code: str | pd.Series) -> float | pd.Series:
    """Return the share (0-1) of a unit's area that a reported area represents.

    Countries are measured as the sum of their admin-1 units
    (:func:`country_area_km2`).

    Parameters
    ----------
    area : float or pandas.Series
        Reported area in km².
    level : {"admin0", "admin1"}
        Level of the units.
    code : str or pandas.Series
        Unit code(s), aligned with ``area``.

    Examples
    --------
    >>> round(share_of_unit(245.0, "admin1", "RU-CE"), 4)
    0.0152
    """
    if isinstance(code, pd.Series):
        totals = code.map(lambda c: unit_or_country_area_km2(level, c))
        return pd.Series(np.asarray(area, dtype=float), index=code.index) / totals
    total = unit_or_country_area_km2(level, code)
    if total == 0:
        raise UnitNotFoundError(f"unit {code!r} has no area; cannot compute a share")
    return float(area) / total
