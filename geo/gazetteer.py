"""Offline gazetteer: place name -> point, with the precision of the point.

Settlements come from the embedded GeoNames cities table (CC BY 4.0; see
:data:`ATTRIBUTION`). A lookup is always narrowed to a country when one is
known (Tripoli, Libya is not Tripoli, Lebanon), and to an admin-1 unit when
the record gives one. Where a record names a region or a country rather than a
settlement, :func:`unit_point` places it at the unit's representative point
(always inside the unit) and says so in ``precision``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.resources import files

import geopandas as gpd
import shapely
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from geo import boundaries
from geo.errors import PlaceNotFoundError
from geo.names import normalise

__all__ = [
    "ATTRIBUTION",
    "PRECISIONS",
    "AmbiguousPlaceError",
    "Location",
    "border_point",
    "locate",
    "unit_point",
]


class AmbiguousPlaceError(PlaceNotFoundError):
    """A place name matches settlements in several regions of the country."""


#: Credit required by the GeoNames licence wherever gazetteer points are shown.
ATTRIBUTION = "Contains data from GeoNames (geonames.org), licensed under CC BY 4.0"

#: Precision of a located point, from finest to coarsest.
PRECISIONS = ("exact", "settlement", "admin1", "border", "admin0")


@dataclass(frozen=True)
class Location:
    """A point placed for a record, and how precise it is.

    Attributes
    ----------
    point : shapely.geometry.Point
        Longitude/latitude in EPSG:4326.
    precision : str
        One of :data:`PRECISIONS`: ``settlement`` (a gazetteer point),
        ``admin1``/``admin0`` (representative point of a unit), ``border``
        (midpoint of a shared border), ``exact`` (coordinates given).
    matched : str
        What was found: gazetteer name and id, or the unit code(s).
    unit_code : str
        Admin-1 (or admin-0) unit the point lies in.
    """

    point: Point
    precision: str
    matched: str
    unit_code: str


@cache
def _cities() -> gpd.GeoDataFrame:
    return gpd.read_parquet(files("geo") / "data" / "gazetteer.parquet")


@cache
def _country_index(alpha2: str) -> dict[str, list[int]]:
    cities = _cities()
    subset = cities[cities["countrycode"] == alpha2]
    index: dict[str, list[int]] = {}
    for pos, name, alternates in zip(
        subset.index, subset["name"], subset["alternatenames"].fillna(""), strict=True
    ):
        keys = {normalise(name)} | {normalise(a) for a in alternates.split("|") if a}
        for key in keys - {""}:
            index.setdefault(key, []).append(pos)
    return index


def locate(
    name: str, *, country: str, unit_code: str | None = None, within: BaseGeometry | None = None
) -> Location:
    """Find a settlement by name within a country (and admin-1 unit, if given).

    Where several settlements of the country carry the name, the one in
    ``unit_code`` (or ``within``) is taken. Without a unit, settlements of the
    same name in several regions are ambiguous and raise
    :class:`AmbiguousPlaceError` listing them; within one region the most
    populous is taken and ``matched`` says how many there were.

    Parameters
    ----------
    name : str
        Settlement name in any script or transliteration GeoNames knows.
    country : str
        ISO alpha-3 code of the country.
    unit_code : str, optional
        ISO 3166-2 code of the admin-1 unit that must contain the settlement.
    within : shapely geometry, optional
        An area that must contain the settlement (e.g. a unit of a user boundary set).

    Raises
    ------
    PlaceNotFoundError
        The name is not in the gazetteer for that country (and unit).

    Examples
    --------
    >>> izium = locate("Izium", country="UKR")
    >>> izium.precision, izium.unit_code, round(izium.point.y, 2)
    ('settlement', 'UA-63', 49.21)
    >>> locate("Tripoli", country="LBY").unit_code
    'LY-TN'
    """
    alpha2 = boundaries.country_code_alpha2(country)
    positions = _country_index(alpha2).get(normalise(name), [])
    cities = _cities()
    found = cities.loc[positions]
    if unit_code is not None:
        found = found[found["ne_iso_3166_2"] == unit_code]
    if within is not None and not found.empty:
        found = found[found.geometry.covered_by(within)]
    if found.empty:
        where = f"{country}" + (f", unit {unit_code}" if unit_code else "")
        where += ", within the record's unit" if within is not None else ""
        raise PlaceNotFoundError(
            f"place {name!r} is not in the GeoNames gazetteer for {where}. Fix: check the "
            "spelling, give a larger nearby settlement, or locate the record by its region."
        )
    regions = sorted(set(found["ne_iso_3166_2"].dropna()))
    if unit_code is None and within is None and len(regions) > 1:
        listed = ", ".join(
            f"{r['name']} ({r['ne_iso_3166_2']}, population {r['population']:,})"
            for r in found.sort_values("population", ascending=False).head(5).to_dict("records")
        )
        raise AmbiguousPlaceError(
            f"place {name!r} matches {len(found)} settlements of {country} in {len(regions)} "
            f"regions: {listed}. Fix: give the region (admin-1 unit) of the record, or a more "
            "precise name."
        )
    best = found.sort_values(["population", "geonameid"], ascending=[False, True]).iloc[0]
    matched = f"{best['name']} (GeoNames {best['geonameid']})"
    if len(found) > 1:
        matched += f"; most populous of {len(found)} places of that name"
    return Location(
        point=best.geometry,
        precision="settlement",
        matched=matched,
        unit_code=best["ne_iso_3166_2"],
    )


@cache
def unit_point(level: str, code: str) -> Location:
    """Place a record at the representative point of a unit (inside it).

    Examples
    --------
    >>> loc = unit_point("admin1", "RU-CE")
    >>> loc.precision
    'admin1'
    >>> bool(boundaries.units("admin1", ["RU-CE"]).geometry.iloc[0].contains(loc.point))
    True
    """
    shape = shapely.union_all(boundaries.unit_parts(level, code))
    # The largest part holds the point, so islands do not pull it into the sea.
    if shape.geom_type == "MultiPolygon":
        shape = max(shape.geoms, key=lambda g: g.area)
    return Location(point=shape.point_on_surface(), precision=level, matched=code, unit_code=code)


def border_point(country: str, other: str) -> Location:
    """Place a record at the midpoint of the land border of two countries.

    Examples
    --------
    >>> loc = border_point("RUS", "GEO")
    >>> loc.precision, loc.unit_code
    ('border', 'RUS|GEO')
    >>> 41 < loc.point.y < 44 and 39 < loc.point.x < 47
    True
    """
    frame = boundaries.admin0([country, other])
    first = shapely.union_all(frame.geometry[frame["code"] == country].to_numpy())
    second = shapely.union_all(frame.geometry[frame["code"] == other].to_numpy())
    shared = shapely.line_merge(shapely.intersection(first.boundary, second.boundary))
    if shared.is_empty:
        raise PlaceNotFoundError(
            f"{country} and {other} share no border in {boundaries.BOUNDARY_VERSION['admin0']}. "
            "Fix: locate the record by one of the countries instead."
        )
    if shared.geom_type == "MultiLineString":
        shared = max(shared.geoms, key=lambda g: g.length)
    point = shared.interpolate(0.5, normalized=True)
    return Location(
        point=point,
        precision="border",
        matched=f"{country}|{other}",
        unit_code=f"{country}|{other}",
    )
