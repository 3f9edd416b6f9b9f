"""Join layer records to boundary units: check codes, measure, locate, draw.

Records name their unit by ``unit_level`` and ``unit_code`` (and ``grouping``).
The functions here turn them into geometry and measures, and return the
records they could not use as rejects with a reason, never dropping one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo import area, gazetteer, groupings, names
from geo.boundary_sets import BoundarySet, embedded, for_level
from geo.errors import (
    REJECT_COLUMNS,
    GroupingError,
    MinemapError,
    PlaceNotFoundError,
    UnitNotFoundError,
    reject,
)
from layers.frames import first_positions, rows_of

__all__ = ["grouping_composition", "locate", "measure", "resolve_units"]


def _reject(path: str, rec: dict, field: str, reason: str, fix: str) -> dict:
    return reject(path, rec.get("row"), field, rec.get(field), reason, fix, rec)


def _text(value: object) -> str:
    """Return a cell as text: '' for missing values (None, NaN)."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value).strip()


def _frame(rejects: list[dict]) -> pd.DataFrame:
    """Rejects as a table: the reject columns first, then the record's own."""
    frame = pd.DataFrame(rejects)
    if frame.empty:
        return pd.DataFrame(columns=REJECT_COLUMNS)
    return frame[[*REJECT_COLUMNS, *[c for c in frame.columns if c not in REJECT_COLUMNS]]]


def _period(rec: dict) -> tuple[dt.date | None, dt.date | None]:
    start, end = rec.get("date_start"), rec.get("date_end")
    start = None if pd.isna(start) else start
    end = None if pd.isna(end) else end
    return start, end


def grouping_composition(rec: dict) -> groupings.Composition:
    """Composition of the grouping a record names, for the record's period.

    Raises :class:`~geo.errors.GroupingError` when the record has no date or the
    composition changes within its period.
    """
    start, end = _period(rec)
    if start is None:
        raise GroupingError(
            f"record {rec.get('record_id')!r} refers to grouping {rec.get('grouping')!r} but has "
            "no date_start: a grouping's composition depends on the date. Fix: give date_start."
        )
    return groupings.composition_for_period(rec["grouping"], start, end or start)


class OutsideCountryError(UnitNotFoundError):
    """A record's point lies in a unit of another country than the record's."""


class SwappedCoordinatesError(OutsideCountryError):
    """A record's point lies outside its country, but in it with latitude and longitude swapped."""


class PointConflictError(UnitNotFoundError):
    """A record's point lies farther than :data:`POINT_TOLERANCE_KM` from the unit it names.

    ``unit`` is the unit the point lies in (None: in none).
    """

    def __init__(self, message: str, unit: str | None) -> None:
        super().__init__(message)
        self.unit = unit


#: A point at most this far (km, along the ellipsoid) from the unit its record names counts
#: as agreeing with it: the 1:10m boundaries are generalised by a few km, and sources round
#: coordinates. The record keeps the named unit and the distance is listed.
POINT_TOLERANCE_KM = 5.0


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
_UNSEEN = object()


def _degrees(value: float) -> str:
    """Write a coordinate for a message, to 1e-6° (about 0.1 m)."""
    return repr(round(value, 6))


def _swap_reason(point, code: str | None, country: str, bset: BoundarySet) -> str | None:
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
    lat, lon = _degrees(point.y), _degrees(point.x)
    return (
        f"latitude and longitude look swapped: ({lat}, {lon}) lies in {where}, outside "
        f"{country}, while ({lon}, {lat}) lies in {country}"
    )


@dataclass(frozen=True)
class _PointCheck:
    """A point outside the unit its record names, but near it: the unit it is in, and how far."""

    unit: str | None
    distance_km: float


def _check_point(point, code: str, country: str | None, bset: BoundarySet, located=_UNSEEN):
    """Check a record's point against the unit its code or name gives.

    Returns None when the point lies in the unit (or there is no point), and a
    :class:`_PointCheck` when it lies outside but within
    :data:`POINT_TOLERANCE_KM`. Raises :class:`SwappedCoordinatesError` for a
    point outside the country that lies in it swapped,
    :class:`OutsideCountryError` for a point in another country, and
    :class:`PointConflictError` for a point farther from the unit (in another
    unit, or in none: the sea). ``located`` is the unit of the point when
    already looked up (``_UNSEEN``: not looked up).
    """
    if point is None or getattr(point, "geom_type", "") != "Point" or point.is_empty:
        return None
    if bset.covers(code, point):
        return None
    country = country or bset.unit_country(code) or None
    where = bset.unit_at(point) if located is _UNSEEN else located
    here = bset.unit_country(where) if where is not None else ""
    if country and (where is None or (here and here != country)):
        reason = _swap_reason(point, where, country, bset)
        if reason is not None:
            raise SwappedCoordinatesError(reason)
    distance = bset.distance_km(code, point)
    if distance <= POINT_TOLERANCE_KM:
        return _PointCheck(where, distance)
    named = f"{code} ({bset.unit_name(code)})"
    at = f"({_degrees(point.y)}, {_degrees(point.x)})"
    away = f"{distance:,.1f} km from {named}, the unit the record names"
    if where is None:
        raise PointConflictError(f"the point {at} lies in no unit of {bset.source}, {away}", None)
    lies = f"the point {at} lies in {where} ({bset.unit_name(where)})"
    if country and here and here != country:
        raise OutsideCountryError(f"{lies}, in {here}, not in {country}; {away}")
    raise PointConflictError(f"{lies}, {away}", where)


def _unit_from_point(
    rec: dict, geom, place: str, country: str | None, bset: BoundarySet, located=_UNSEEN
):
    """Find the unit of the record's geometry, or of the settlement it names (None if neither).

    ``located`` is the unit of the record's point when already looked up
    (:meth:`BoundarySet.units_at`), else ``_UNSEEN``.
    """
    if geom is not None and not getattr(geom, "is_empty", True):
        code = bset.unit_at(geom) if located is _UNSEEN else located
        where = bset.unit_country(code) if code is not None else ""
        outside = code is None or bool(where and where != country)
        if country and outside:
            swapped = _swap_reason(geom, code, country, bset)
            if swapped is not None:
                raise SwappedCoordinatesError(swapped)
        if code is None:
            return None
        if country and where and where != country:
            raise OutsideCountryError(
                f"the geometry lies in {code} ({bset.unit_name(code)}), in {where}, not in "
                f"{country}, the record's country"
            )
        return names.Resolution(code, bset.level, "location", "(geometry)")
    if (
        bset.level != "admin1"
        or not country
        or _text(rec.get("locate_as")) not in ("", "settlement")
    ):
        return None
    settlement = _text(rec.get("lookup_name")) or place
    try:
        loc = gazetteer.locate(settlement, country=country)
    except PlaceNotFoundError:
        return None
    code = bset.settlement_unit(loc)
    return names.Resolution(code, bset.level, "settlement location", settlement) if code else None


@dataclass(frozen=True)
class _Found:
    """A record's unit, and the field it was found from.

    ``other_unit`` and ``distance_km`` are set when the record's point and its
    name disagree: the unit not taken (the point's, or the named one when the
    point overrode the name) and the distance from the point to the named unit.
    """

    resolution: names.Resolution
    field: str
    other_unit: str | None = None
    distance_km: float | None = None


@dataclass(frozen=True)
class _Refused:
    """Why a record names no unit: the field to blame, the reason and the fix.

    ``received`` is the value to report when it is not the record's own
    ``field`` (a swapped point is reported as the latitude or WKT read).
    """

    field: str
    reason: str
    fix: str
    received: object = _UNSEEN


#: The columns that alone decide a record's unit when it has no geometry.
_KEY_COLUMNS = ("unit_level", "unit_code", "place", "country", "grouping", "date_start",
                "date_end", "locate_as", "lookup_name")  # fmt: skip
#: Key columns that matter only to a grouping-level record.
_GROUPING_ONLY = ("grouping", "date_start", "date_end")


class _Resolver:
    """Resolve records to units, each distinct name once (see :func:`resolve_units`)."""

    def __init__(self, boundary_set, aliases, point_field) -> None:
        self.boundary_set, self.aliases, self.point_field = boundary_set, aliases, point_field
        self.known: dict[tuple, names.Resolution | MinemapError] = {}

    def bset(self, level: str) -> BoundarySet:
        boundary_set = self.boundary_set
        return boundary_set if (boundary_set and boundary_set.level == level) else embedded(level)

    def name(self, text: str, country: str | None, level: str, bset: BoundarySet):
        """Resolve a name once per distinct (name, country, level, set); the same answer after."""
        key = (text, country, level, id(bset))
        if key not in self.known:
            try:
                self.known[key] = names.resolve(
                    text, country=country, level=level, boundaries=bset, aliases=self.aliases
                )
            except (UnitNotFoundError, GroupingError) as err:
                self.known[key] = err
        found = self.known[key]
        if isinstance(found, MinemapError):
            raise found.with_traceback(None)
        return found

    def record(self, rec: dict, located=_UNSEEN) -> _Found | _Refused:
        """Resolve one record, its geometry included: the reference every fast path agrees with.

        ``located`` is the unit of the record's point when already looked up.
        """
        level, code = rec["unit_level"], _text(rec.get("unit_code"))
        place = _text(rec.get("place"))
        try:
            if level == "grouping":
                comp = grouping_composition(rec)
                if code not in comp.members:
                    raise GroupingError(
                        f"{code!r} is not a member of {rec['grouping']} on {comp.date}: "
                        f"expected one of {comp.members}"
                    )
                return _Found(names.Resolution(code, level, "grouping member", code), "unit_code")
            bset = self.bset(level)
            country = _text(rec.get("country")) or None
            geom = rec.get("geometry")
            if code:
                found = self.name(code, country, level, bset)
                field = "unit_code"
            elif place:
                field = "place"
                try:
                    found = self.name(place, country, level, bset)
                except UnitNotFoundError:
                    # The place may be a settlement ("Izium"), not a unit: the
                    # record's own point, or the settlement's, gives its unit.
                    found = _unit_from_point(rec, geom, place, country, bset, located)
                    if found is None:
                        raise
            elif geom is not None and not getattr(geom, "is_empty", True):
                found = _unit_from_point(rec, geom, place, country, bset, located)
                if found is None:
                    raise UnitNotFoundError(f"the geometry lies in no unit of {bset.source}")
                field = "geometry"
            else:
                raise UnitNotFoundError("the record gives no unit code, place or geometry")
            if found.method == "location":
                return _Found(found, field)
            try:
                near = _check_point(geom, found.code, country, bset, located)
            except PointConflictError as err:
                written = code or place
                if err.unit is not None and names.answers_to(
                    written, err.unit, country=country, boundaries=bset
                ):  # "Kyiv" for the oblast where the city is a unit "Kyiv": the point settles it
                    resolution = names.Resolution(err.unit, level, "point overrode name", written)
                    return _Found(resolution, field, found.code, bset.distance_km(found.code, geom))
                raise
            if near is not None:
                return _Found(found, field, near.unit, near.distance_km)
            return _Found(found, field)
        except PointConflictError as err:
            point_field = self.point_field
            geom = rec["geometry"]
            received = _degrees(geom.y) if point_field == "latitude" else geom.wkt
            fix = (
                "check the coordinates and the place: if the point is right, give the unit it "
                "lies in (or no place); if the place is right, correct the coordinates or leave "
                "them empty"
            )
            return _Refused(point_field, f"point and place disagree: {err}", fix, received)
        except SwappedCoordinatesError as err:
            point_field = self.point_field
            geom = rec["geometry"]
            received = _degrees(geom.y) if point_field == "latitude" else geom.wkt
            return _Refused(point_field, str(err), SWAP_FIXES[point_field], received)
        except OutsideCountryError as err:
            return _Refused("geometry", f"point outside the country: {err}",
                            "correct the coordinates, or the country")  # fmt: skip
        except (UnitNotFoundError, GroupingError) as err:
            field = "unit_code" if code or level == "grouping" else "place"
            fix = "correct the code or name, or add the name to an alias file"
            return _Refused(field, f"unknown unit: {err}", fix)

    def by_name(self, rec: dict) -> _Found | _Refused | None:
        """Resolve a record by its code or place alone, as every record of its key would be.

        Returns None when its unit depends on its geometry: the place names no
        unit, or there is neither code nor place.
        """
        level, code = rec["unit_level"], _text(rec.get("unit_code"))
        place = _text(rec.get("place"))
        if level == "grouping":
            return self.record({**rec, "geometry": None})
        bset = self.bset(level)
        country = _text(rec.get("country")) or None
        try:
            if code:
                return _Found(self.name(code, country, level, bset), "unit_code")
            if place:
                return _Found(self.name(place, country, level, bset), "place")
        except UnitNotFoundError:
            if code:
                return self.record({**rec, "geometry": None})
        except GroupingError:
            return self.record({**rec, "geometry": None})
        return None


def _key_groups(records: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Give each record the number of its distinct key (:data:`_KEY_COLUMNS`).

    Return (numbers, firsts): ``firsts`` are the positions of the first record of each key.
    """
    keys = records.reindex(columns=list(_KEY_COLUMNS))
    # A grouping's members depend on the record's dates; no other unit does.
    not_grouping = keys["unit_level"].ne("grouping").to_numpy(dtype=bool)
    keys.loc[not_grouping, list(_GROUPING_ONLY)] = None
    number = keys.groupby(list(_KEY_COLUMNS), dropna=False, sort=False).ngroup().to_numpy()
    firsts = first_positions(number)
    return number, firsts


def _geometries(records: pd.DataFrame) -> np.ndarray:
    """Return the records' geometries as an object array (None where there is none)."""
    if "geometry" not in records.columns:
        return np.full(len(records), None, dtype=object)
    return np.asarray(records["geometry"].to_numpy(), dtype=object)


def resolve_units(
    records: pd.DataFrame,
    path: str,
    *,
    boundary_set: BoundarySet | None = None,
    aliases: names.Aliases | None = None,
    point_field: str = "geometry",
) -> tuple[pd.DataFrame, pd.DataFrame, list[dict]]:
    """Resolve every record to a unit; reject those that name none.

    A record's unit is its ``unit_code`` (any code form: ``RU-CE``, ``ru_ce``,
    ``UA63``, a p-code of ``boundary_set``), else its ``place`` resolved by name
    (:func:`geo.names.resolve`, narrowed to the record's country), else, for a
    record with geometry, the unit containing it (a polygon: the unit it
    overlaps most). Grouping members must exist in the grouping's composition
    for the record's period. A point in a unit of another country is rejected
    when it gives the unit; a point outside the record's country that lies in
    it with latitude and longitude swapped is rejected on ``point_field``
    (``latitude``, ``wkt`` or ``geometry``: where the point was read from).

    The work is done by column: each distinct (level, code, place, country,
    grouping, dates, locate_as, lookup_name) is resolved once, the points of
    records found by name are tested against their units in one vectorised
    call, and the points that must give their unit are looked up in one bulk
    query. Only records whose point falls outside their unit or country are
    looked at one by one.

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame, list of dict)
        Resolved records (``unit_code`` canonical, ``unit_resolved_by`` says
        how), rejects, and the fuzzy matches that were applied, for reporting.
    """
    n = len(records)
    resolver = _Resolver(boundary_set, aliases, point_field)
    # Each record's outcome is one of ``distinct``: ``which`` holds its index there.
    out = _Outcomes(n)
    if not n:
        return _assemble(records, path, out)
    number, firsts = _key_groups(records)
    heads = rows_of(records.iloc[firsts].drop(columns="geometry", errors="ignore"))
    by_key = [resolver.by_name(rec) for rec in heads]
    key_base = out.add_all(by_key)  # by_key[g] is distinct[key_base + g]
    geoms = _geometries(records)
    has_geom = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    is_point = has_geom & (shapely.get_type_id(geoms) == 0)
    countries = np.array([_text(rec.get("country")) for rec in heads], dtype=object)[number]
    levels = np.array([rec["unit_level"] for rec in heads], dtype=object)[number]
    keyed = np.array([isinstance(o, _Found) for o in by_key], dtype=bool)[number]
    refused = np.array([isinstance(o, _Refused) for o in by_key], dtype=bool)[number]

    # Records whose unit their key alone gives: every record without geometry,
    # and the records of a refused key or a grouping.
    alone = ~has_geom | refused | (levels == "grouping")
    plain = np.flatnonzero(alone & ~keyed & ~refused)
    if len(plain):
        groups = pd.unique(number[plain])
        at = {g: out.add(resolver.record({**heads[g], "geometry": None})) for g in groups.tolist()}
        out.which[plain] = pd.Series(number[plain]).map(at).to_numpy(dtype=np.int64)
    given = alone & (keyed | refused)
    out.which[given] = key_base + number[given]
    slow = np.zeros(n, dtype=bool)
    # A refused grouping record is looked at alone: the message names the record.
    slow |= refused & (levels == "grouping")

    # Records found by name whose point must lie in their unit (or their country).
    check = keyed & ~alone & is_point
    keyed_rest = keyed & ~alone & ~check
    out.which[keyed_rest] = key_base + number[keyed_rest]
    if check.any():
        codes = np.array([o.resolution.code if isinstance(o, _Found) else "" for o in by_key],
                         dtype=object)[number]  # fmt: skip
        for level in pd.unique(levels[check]).tolist():
            sel = np.flatnonzero(check & (levels == level))
            inside = resolver.bset(level).covers_each(codes[sel], geoms[sel])
            out.which[sel[inside]] = key_base + number[sel[inside]]
            slow[sel[~inside]] = True
    # Records whose point gives their unit (or settles that it does not).
    from_point = ~alone & ~keyed & ~refused
    slow |= from_point & ~is_point
    located = np.full(n, _UNSEEN, dtype=object)
    lookup = (from_point & is_point) | (slow & is_point)
    has_place = np.array([bool(_text(rec.get("place"))) for rec in heads], dtype=bool)[number]
    for level in pd.unique(levels[lookup]).tolist():
        sel = np.flatnonzero(lookup & (levels == level))
        bset = resolver.bset(level)
        found = np.array(bset.units_at(geoms[sel]), dtype=object)
        located[sel] = found
        country_of = {c: bset.unit_country(c) for c in pd.unique(found[found != None])}  # noqa: E711
        mapped = pd.Series(found, dtype=object).map(country_of)
        here = np.where(mapped.isna(), "", mapped.astype(object)).astype(object)
        country = countries[sel]
        fine = from_point[sel] & (found != None) & ~((country != "") & (here != "")  # noqa: E711
                                                     & (here != country))  # fmt: skip
        # One outcome per (unit, field the unit is credited to).
        chosen = sel[fine]
        fields = np.where(has_place[chosen], "place", "geometry")
        pairs = pd.MultiIndex.from_arrays([found[fine], fields])
        pair_codes, distinct_pairs = pd.factorize(pairs)
        base = out.add_all(
            _Found(names.Resolution(code, bset.level, "location", "(geometry)"), field)
            for code, field in distinct_pairs
        )
        out.which[chosen] = base + pair_codes
        slow[sel[from_point[sel] & ~fine]] = True
    if slow.any():
        positions = np.flatnonzero(slow)
        for i, rec in zip(positions.tolist(), rows_of(records.iloc[positions]), strict=True):
            out.which[i] = out.add(resolver.record(rec, located[i]))
    return _assemble(records, path, out)


class _Outcomes:
    """Each record's outcome as an index into a list of distinct outcomes."""

    def __init__(self, n: int) -> None:
        self.distinct: list[_Found | _Refused] = []
        self.which = np.full(n, -1, dtype=np.int64)

    def add(self, outcome: _Found | _Refused) -> int:
        self.distinct.append(outcome)
        return len(self.distinct) - 1

    def add_all(self, outcomes) -> int:
        """Append outcomes; return the index of the first."""
        base = len(self.distinct)
        self.distinct.extend(outcomes)
        return base


def _assemble(
    records: pd.DataFrame, path: str, out: _Outcomes
) -> tuple[pd.DataFrame, pd.DataFrame, list[dict]]:
    """Split records by outcome: the resolved ones with their units, the rejects, the fuzzy."""
    if (out.which < 0).any():
        raise AssertionError("a record was left without an outcome")
    distinct = out.distinct
    is_found = np.array([isinstance(o, _Found) for o in distinct], dtype=bool)
    ok = is_found[out.which] if distinct else np.zeros(len(out.which), dtype=bool)
    every = bool(ok.all())
    kept = records.copy(deep=False) if every else records.iloc[np.flatnonzero(ok)]
    chosen = out.which[ok]
    code = np.array([o.resolution.code if isinstance(o, _Found) else None for o in distinct],
                    dtype=object)  # fmt: skip
    method = np.array([o.resolution.method if isinstance(o, _Found) else None for o in distinct],
                      dtype=object)  # fmt: skip
    columns = {"unit_code": code, "unit_resolved_by": method}
    if "geometry" in records.columns:  # where a point and a name disagreed: the other unit
        columns["point_name_other_unit"] = np.array(
            [getattr(o, "other_unit", None) for o in distinct], dtype=object
        )
        columns["point_name_distance_km"] = np.array(
            [getattr(o, "distance_km", None) for o in distinct], dtype=object
        )
    kept = kept.assign(**{
        name: pd.Series(values[chosen] if distinct else [], index=kept.index, dtype=object)
        for name, values in columns.items()
    }).reset_index(drop=True)  # fmt: skip
    refused = np.flatnonzero(~ok)
    rejects = []
    for i, rec in zip(refused.tolist(), rows_of(records.iloc[refused]), strict=True):
        o = distinct[out.which[i]]
        received = rec.get(o.field) if o.received is _UNSEEN else o.received
        rejects.append(reject(path, rec.get("row"), o.field, received, o.reason, o.fix, rec))
    fuzzy = []
    is_fuzzy = np.array([isinstance(o, _Found) and o.resolution.method == "fuzzy"
                         for o in distinct], dtype=bool)  # fmt: skip
    fuzzy_at = np.flatnonzero(is_fuzzy[out.which]) if distinct else np.zeros(0, dtype=np.int64)
    for i, rec in zip(fuzzy_at.tolist(), rows_of(records.iloc[fuzzy_at]), strict=True):
        o = distinct[out.which[i]]
        f = o.resolution
        fuzzy.append({
            "file": path, "row": rec.get("row"), "record_id": rec.get("record_id"),
            "field": o.field, "written": f.matched, "code": f.code,
            "score": f.score, "candidates": f.candidates,
        })  # fmt: skip
    return kept, _frame(rejects), fuzzy


def measure(records: pd.DataFrame, *, boundary_set: BoundarySet | None = None) -> pd.DataFrame:
    """Add unit areas, shares and the km² of percent-of-unit values.

    Adds ``unit_name``, ``unit_area_km2`` (geodesic; a country as the sum of its
    admin-1 units; a grouping member as the sum of its units in the composition
    of the record's period), ``share_of_unit`` (reported km² / unit km²),
    ``composition`` (for grouping records) and ``area_basis`` (how
    ``area_km2`` was obtained). A percent-of-unit value becomes km² as that
    share of the unit's geodesic area. Units of ``boundary_set`` (a user
    boundary set at its level) are measured on that set's geometry.

    Examples
    --------
    >>> import layers
    >>> m = measure(layers.default("contamination").records)
    >>> bool((m["unit_area_km2"] > 0).all())
    True
    """
    out = records.copy()
    unit_area, composition, basis = [], [], []
    for rec in rows_of(out):
        level, code = rec["unit_level"], rec["unit_code"]
        if level == "grouping":
            comp = grouping_composition(rec)
            codes = comp.table.loc[comp.table["member"] == code, "unit_code"]
            unit_area.append(sum(area.unit_area_km2("admin1", c) for c in codes))
            composition.append(comp.describe())
        else:
            unit_area.append(for_level(level, boundary_set).area_km2(code))
            composition.append("")
        unit = rec.get("value_unit")
        if unit == "percent_of_unit":
            basis.append("percent of the unit's geodesic area")
        elif unit in area.AREA_UNITS_KM2:
            basis.append("reported" if unit == "km2" else f"reported in {unit}, converted")
        else:
            basis.append("")
    out["unit_name"] = [
        c if lv == "grouping" else for_level(lv, boundary_set).unit_name(c)
        for lv, c in zip(out["unit_level"], out["unit_code"], strict=True)
    ]
    out["unit_area_km2"] = unit_area
    out["composition"] = composition
    out["area_basis"] = basis
    if "area_km2" in out.columns:
        percent = out["value_unit"].eq("percent_of_unit")
        out.loc[percent, "area_km2"] = (
            out.loc[percent, "value"] / 100 * out.loc[percent, "unit_area_km2"]
        )
        out["share_of_unit"] = out["area_km2"] / out["unit_area_km2"]
    return out


def locate(
    records: pd.DataFrame, path: str, *, boundary_set: BoundarySet | None = None
) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """Place incident records on the map, with the precision of each point.

    ``locate_as`` says how: ``settlement`` looks up ``lookup_name`` (or the place)
    in the gazetteer within the record's country and, for admin-1 records, its
    unit; ``admin1``/``admin0`` take the unit's representative point; ``border``
    the midpoint of the border with ``border_with``; empty: a settlement when
    the place was resolved as one, else the unit's point; ``exact`` keeps the
    record's own geometry (a polygon is placed at its representative point).
    With a user ``boundary_set``, admin-1 units are that set's. A place that
    cannot be found is a reject, never a point at (0, 0).

    Each distinct place is located once; ``exact`` records keep their points
    (polygons' representative points are found in one vectorised call).

    Returns
    -------
    (geopandas.GeoDataFrame, pandas.DataFrame)
        Located records with ``precision``, ``located_by`` and
        ``located_unit``, and the rejects.
    """
    n = len(records)
    # Each record's outcome is one of a few distinct ones: ``which`` indexes ``distinct``.
    distinct: list = []
    which = np.full(n, -1, dtype=np.int64)
    points = np.full(n, None, dtype=object)
    if not n:
        return _located(records, which, distinct, points), _frame([])
    how = _locate_how(records)
    geoms = _geometries(records)
    exact = how == "exact"
    if exact.any():
        sel = np.flatnonzero(exact)
        given = geoms[sel]
        usable = ~(shapely.is_missing(given) | shapely.is_empty(given))
        as_point = np.where(shapely.get_type_id(given) == 0, given, None)
        moved = usable & (as_point == None)  # noqa: E711 - polygons and lines
        as_point[moved] = shapely.point_on_surface(given[moved])
        codes = records["unit_code"].astype(object).to_numpy()[sel]
        number, code_list = pd.factorize(pd.Series(codes, dtype=object), use_na_sentinel=False)
        for code in code_list.tolist():
            distinct.append(gazetteer.Location(None, "exact", "coordinates given", unit_code=code))
        which[sel[usable]] = number[usable]
        if not usable.all():
            reason = "place not found: locate_as is 'exact' but the record has no geometry"
            distinct.append(
                ("locate_as", reason, "correct lookup_name, or locate the record by its region")
            )
            which[sel[~usable]] = len(distinct) - 1
        points[sel[usable]] = as_point[usable]
    rest = np.flatnonzero(~exact)
    if len(rest):
        columns = ["unit_level", "unit_code", "country", "lookup_name", "place", "border_with"]
        keys = records.iloc[rest].reindex(columns=columns)
        keys["how"] = how[rest]
        number = keys.groupby([*columns, "how"], dropna=False, sort=False).ngroup().to_numpy()
        firsts = first_positions(number)
        found = [_locate_one(rec, rec["how"], boundary_set) for rec in rows_of(keys.iloc[firsts])]
        which[rest] = len(distinct) + number
        distinct += found
        located = np.array([isinstance(o, gazetteer.Location) for o in found], dtype=bool)
        at = np.array([o.point if isinstance(o, gazetteer.Location) else None for o in found],
                      dtype=object)  # fmt: skip
        points[rest[located[number]]] = at[number[located[number]]]
    is_found = np.array([isinstance(o, gazetteer.Location) for o in distinct], dtype=bool)
    refused = np.flatnonzero(~is_found[which])
    rejects = [
        _reject(path, rec, *distinct[which[i]])
        for i, rec in zip(refused.tolist(), rows_of(records.iloc[refused]), strict=True)
    ]
    return _located(records, which, distinct, points), _frame(rejects)


def _locate_how(records: pd.DataFrame) -> np.ndarray:
    """How each record is located: its ``locate_as``, else by how its unit was found."""
    n = len(records)
    if "locate_as" in records.columns:
        # Each distinct value stripped once; the records share its text.
        codes, uniques = pd.factorize(records["locate_as"], use_na_sentinel=False)
        stripped = np.array(["" if v is None or v != v else str(v).strip() for v in uniques],
                            dtype=object)  # fmt: skip
        given = stripped[codes] if len(uniques) else np.full(n, "", dtype=object)
    else:
        given = np.full(n, "", dtype=object)
    settled = (
        records["unit_resolved_by"].to_numpy(dtype=object) == "settlement location"
        if "unit_resolved_by" in records.columns
        else np.zeros(n, dtype=bool)
    )
    level = records["unit_level"].to_numpy(dtype=object)
    default = np.where(settled, "settlement", np.where(level == "admin0", "admin0", "admin1"))
    return np.where(given == "", default, given).astype(object)


def _locate_one(rec: dict, how: str, boundary_set: BoundarySet | None):
    """Locate one distinct place: a Location, or (field, reason, fix) when it cannot be found."""
    try:
        # The set that knows the record's unit: the user's, or the embedded one.
        bset = for_level(rec["unit_level"], boundary_set)
        if how == "settlement":
            name = rec.get("lookup_name") or rec["place"]
            return bset.locate_settlement(name, rec["country"], rec["unit_code"])
        if how == "border":
            return gazetteer.border_point(rec["country"], rec["border_with"])
        if how == "admin1":
            return bset.unit_location(rec["unit_code"])
        return for_level("admin0").unit_location(rec["country"])
    except (PlaceNotFoundError, UnitNotFoundError) as err:
        field = "lookup_name" if how == "settlement" else "locate_as"
        return (field, f"place not found: {err}",
                "correct lookup_name, or locate the record by its region")  # fmt: skip
    except MinemapError as err:
        return ("locate_as", str(err), "correct the location fields")


def _located(records: pd.DataFrame, which: np.ndarray, distinct: list, points) -> gpd.GeoDataFrame:
    """Return the located records, with their points, precision, how found and unit.

    ``which`` gives each record's outcome in ``distinct``; records whose
    outcome is not a location are left out.
    """
    is_found = np.array([isinstance(o, gazetteer.Location) for o in distinct], dtype=bool)
    ok = is_found[which] if len(distinct) else np.zeros(len(which), dtype=bool)
    # All kept: the same columns, not copied (copy-on-write keeps the caller's intact).
    rows = records if ok.all() else records.iloc[np.flatnonzero(ok)]
    kept = pd.DataFrame(
        {c: rows[c].reset_index(drop=True) for c in rows.columns if c != "geometry"}, copy=False
    )
    chosen = which[ok]
    added = {}
    for column, attribute in (("precision", "precision"), ("located_by", "matched"),
                              ("located_unit", "unit_code")):  # fmt: skip
        values = np.array([getattr(o, attribute, None) for o in distinct], dtype=object)
        added[column] = pd.Series(values[chosen], dtype=object)
    geometry = gpd.GeoSeries(points[ok], crs="EPSG:4326")
    return gpd.GeoDataFrame(kept.assign(**added), geometry=geometry, copy=False)
