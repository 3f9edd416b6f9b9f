"""A record's point checked against the unit its code or name gives.

A record may name its unit and give a point. :func:`check_point` says whether
they agree: the point in the unit, or within :data:`POINT_TOLERANCE_KM` of it
(kept, and listed); else it raises, naming both units: the point swapped
(:class:`SwappedCoordinatesError`), in another country
(:class:`OutsideCountryError`), or farther away in another unit or none
(:class:`PointConflictError`). :mod:`layers.join` applies the result.
"""

from __future__ import annotations

from dataclasses import dataclass

import shapely

from geo.boundary_sets import BoundarySet
from geo.errors import UnitNotFoundError

__all__ = [
    "POINT_TOLERANCE_KM",
    "SEA_KM",
    "SWAP_FIXES",
    "SWAP_MARGIN_DEG",
    "UNSEEN",
    "OutsideCountryError",
    "PointCheck",
    "PointConflictError",
    "SwappedCoordinatesError",
    "at_sea",
    "check_point",
    "degrees",
    "swap_reason",
]


class OutsideCountryError(UnitNotFoundError):
    """A record's point lies in a unit of another country than the record's."""


class SwappedCoordinatesError(OutsideCountryError):
    """A record's point lies outside its country, but in it with latitude and longitude swapped."""


class PointConflictError(UnitNotFoundError):
    """A record's point lies farther than :data:`POINT_TOLERANCE_KM` from the unit it names.

    ``unit`` is the unit the point lies in (None: in none); ``distance_km`` how
    far the point is from the unit named.
    """

    def __init__(self, message: str, unit: str | None, distance_km: float) -> None:
        super().__init__(message)
        self.unit, self.distance_km = unit, distance_km


#: A point at most this far (km, along the ellipsoid) from the unit its record names counts
#: as agreeing with it: the 1:10m boundaries are generalised by a few km, and sources round
#: coordinates. The record keeps the named unit and the distance is listed.
POINT_TOLERANCE_KM = 5.0


#: A point in no unit (at sea, or off the generalised coast) within this distance (km,
#: geodesic) of a unit is given that unit: 12 nautical miles, the breadth of the territorial
#: sea (UN Convention on the Law of the Sea, art. 3). Farther out it is rejected, naming the
#: nearest unit and its distance.
SEA_KM = 22.224


#: How to put swapped coordinates right, by the field the point was read from.
SWAP_FIXES = {
    "latitude": "swap the latitude and longitude columns (or their mapping)",
    "wkt": "write points as POINT (longitude latitude): well-known text gives the longitude first",
    "geometry": "swap the x and y of the features (x is the longitude), or correct the file's CRS",
}

#: Distance in degrees within which a point outside its country is taken to be on its
#: border, never swapped: 0.1°, about 11 km north-south, more than the 1:10m boundaries
#: are generalised by.
SWAP_MARGIN_DEG = 0.1


#: Marks a point whose unit has not been looked up in bulk.
UNSEEN = object()


def degrees(value: float) -> str:
    """Write a coordinate for a message, to 1e-6° (about 0.1 m)."""
    return repr(round(value, 6))


def swap_reason(point, code: str | None, country: str, bset: BoundarySet) -> str | None:
    """Say why a point outside its country looks swapped, or None when it does not.

    ``code`` is the unit of ``bset`` the point lies in (None: in no unit). The
    point with latitude and longitude swapped must lie in ``country`` (for the
    embedded sets, in its admin-1 units, as countries are measured), and the
    point as given must not lie within :data:`SWAP_MARGIN_DEG` of it.
    """
    if point.geom_type != "Point" or abs(point.x) > 90:
        return None
    units = bset.country_units()
    inside = units.unit_at(shapely.Point(point.y, point.x))
    if inside is None or units.unit_country(inside) not in (country, ""):
        return None
    near = units.frame.sindex.query(point, predicate="dwithin", distance=SWAP_MARGIN_DEG)
    if any(units.unit_country(str(units.frame["code"].iloc[i])) in (country, "") for i in near):
        return None
    where = (bset.unit_country(code) or code) if code else "no unit"
    lat, lon = degrees(point.y), degrees(point.x)
    return (
        f"latitude and longitude look swapped: ({lat}, {lon}) lies in {where}, outside "
        f"{country}, while ({lon}, {lat}) lies in {country}"
    )


@dataclass(frozen=True)
class PointCheck:
    """A point outside the unit its record names, but near it: the unit it is in, and how far."""

    unit: str | None
    distance_km: float


def at_sea(point, country: str | None, bset: BoundarySet) -> tuple[str, float]:
    """Give a point in no unit the nearest unit of its country within :data:`SEA_KM`.

    Returns the unit and the distance in km; raises :class:`UnitNotFoundError`
    naming the nearest unit and its distance when it is farther.
    """
    found = bset.nearest_unit(point, country=country, within_km=SEA_KM)
    if found is not None:
        return found
    at = f"({degrees(point.y)}, {degrees(point.x)})"
    nearest = bset.nearest_unit(point, country=country)
    far = (f"the nearest unit{' of ' + country if country else ''}, {nearest[0]} "
           f"({bset.unit_name(nearest[0])}), is {nearest[1]:,.1f} km away" if nearest
           else "no unit is within 200 km")  # fmt: skip
    raise UnitNotFoundError(
        f"the point {at} lies in no unit of {bset.source} (at sea, or outside the set): {far}, "
        f"farther than the {SEA_KM} km (12 nautical miles) within which a point at sea is given "
        "its nearest unit"
    )


def check_point(point, code: str, country: str | None, bset: BoundarySet, located=UNSEEN):
    """Check a record's point against the unit its code or name gives.

    Returns None when the point lies in the unit (or there is no point), and a
    :class:`PointCheck` when it lies outside but within
    :data:`POINT_TOLERANCE_KM` (or in no unit, at sea, within :data:`SEA_KM`).
    Raises :class:`SwappedCoordinatesError` for a point outside the country
    that lies in it swapped,
    :class:`OutsideCountryError` for a point in another country, and
    :class:`PointConflictError` for a point farther from the unit (in another
    unit, or in none: the sea). ``located`` is the unit of the point when
    already looked up (``UNSEEN``: not looked up).
    """
    if point is None or getattr(point, "geom_type", "") != "Point" or point.is_empty:
        return None
    if bset.covers(code, point):
        return None
    country = country or bset.unit_country(code) or None
    where = bset.unit_at(point) if located is UNSEEN else located
    here = bset.unit_country(where) if where is not None else ""
    if country and (where is None or (here and here != country)):
        reason = swap_reason(point, where, country, bset)
        if reason is not None:
            raise SwappedCoordinatesError(reason)
    distance = bset.distance_km(code, point)
    if distance <= POINT_TOLERANCE_KM or (where is None and distance <= SEA_KM):
        return PointCheck(where, distance)
    named = f"{code} ({bset.unit_name(code)})"
    at = f"({degrees(point.y)}, {degrees(point.x)})"
    away = f"{distance:,.1f} km from {named}, the unit the record names"
    if where is None:
        raise PointConflictError(
            f"the point {at} lies in no unit of {bset.source}, {away}", None, distance
        )
    lies = f"the point {at} lies in {where} ({bset.unit_name(where)})"
    if country and here and here != country:
        err = OutsideCountryError(f"{lies}, in {here}, not in {country}; {away}")
        err.unit, err.distance_km = where, distance  # for a project that flags, not rejects
        raise err
    raise PointConflictError(f"{lies}, {away}", where, distance)
