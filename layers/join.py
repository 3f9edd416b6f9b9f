"""Join layer records to boundary units: check codes, measure, locate, draw.

Records name their unit by ``unit_level`` and ``unit_code`` (and ``grouping``).
The functions here turn them into geometry and measures, and return the
records they could not use as rejects with a reason, never dropping one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely

from geo import area, gazetteer, groupings, names
from geo.audit import refusal
from geo.boundary_sets import BoundarySet, for_level
from geo.errors import (
    GroupingError,
    MinemapError,
    PlaceNotFoundError,
    UnitNotFoundError,
    reject,
)
from layers.frames import first_positions, geometries_of, rejects_frame, rows_of
from layers.points import (
    SWAP_FIXES,
    UNSEEN,
    OutsideCountryError,
    PointConflictError,
    SwappedCoordinatesError,
    at_sea,
    check_point,
    degrees,
    swap_reason,
)

__all__ = ["grouping_composition", "measure", "resolve_units", "unit_names"]


def _text(value: object) -> str:
    """Return a cell as text: '' for missing values (None, NaN)."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value).strip()


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


def _unit_from_point(
    rec: dict, geom, place: str, country: str | None, bset: BoundarySet, located=UNSEEN
):
    """Find the unit of the record's geometry, or of the settlement it names (None if neither).

    ``located`` is the unit of the record's point when already looked up
    (:meth:`BoundarySet.units_at`), else ``UNSEEN``.
    """
    if geom is not None and not getattr(geom, "is_empty", True):
        code = bset.unit_at(geom) if located is UNSEEN else located
        where = bset.unit_country(code) if code is not None else ""
        outside = code is None or bool(where and where != country)
        if country and outside:
            swapped = swap_reason(geom, code, country, bset)
            if swapped is not None:
                raise SwappedCoordinatesError(swapped)
        if code is not None and bset.builtin and (why := refusal(code)) is not None:
            raise UnitNotFoundError(f"the point lies in {code}, which cannot be joined: {why}")
        if code is None:
            if geom.geom_type != "Point":
                return None
            code, km = at_sea(geom, country, bset)
            return names.Resolution(code, bset.level, "point at sea", "(geometry)", score=km)
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


class _OtherLevel(UnitNotFoundError):
    """A record's level is not that of the layer's user boundary set."""


def _answers(written: str, code: str, country: str | None, bset: BoundarySet) -> bool:
    """Say whether a written name fits unit ``code`` too: its name, or a region covering it."""
    return names.answers_to(written, code, country=country, boundaries=bset) or names.covers(
        written, code, country=country, boundaries=bset
    )


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
    received: object = UNSEEN


#: The columns that alone decide a record's unit when it has no geometry.
_KEY_COLUMNS = ("unit_level", "unit_code", "place", "country", "grouping", "date_start",
                "date_end", "locate_as", "lookup_name")  # fmt: skip
#: Key columns that matter only to a grouping-level record.
_GROUPING_ONLY = ("grouping", "date_start", "date_end")


class _Resolver:
    """Resolve records to units, each distinct name once (see :func:`resolve_units`)."""

    def __init__(self, boundary_set, aliases, point_field, point_place: str = "reject") -> None:
        self.boundary_set, self.aliases, self.point_field = boundary_set, aliases, point_field
        self.flag = point_place == "flag"
        self.known: dict[tuple, names.Resolution | MinemapError] = {}

    @staticmethod
    def flagged(found: names.Resolution, field: str, err) -> _Found:
        """Keep the named unit of a record whose point lies elsewhere: flagged, not rejected."""
        how = f"{found.method}; point elsewhere (flagged)"
        resolution = names.Resolution(found.code, found.level, how, found.matched)
        return _Found(resolution, field, err.unit, err.distance_km)

    def bset(self, level: str) -> BoundarySet:
        """Return the set a record of ``level`` resolves on: the layer's, never another silently.

        A layer with a user boundary set resolves its records of that set's level
        on it, and country records (admin0) on the embedded countries; a record of
        another level is refused, naming both levels.
        """
        boundary_set = self.boundary_set
        if boundary_set is not None and boundary_set.level == level:
            return boundary_set
        if boundary_set is not None and level != "admin0":
            raise _OtherLevel(
                f"the record's unit_level is {level}, but the layer's boundaries "
                f"{boundary_set.name!r} are {boundary_set.level} units; it is not resolved on "
                f"other boundaries. Fix: write unit_level {boundary_set.level} (or leave it "
                "empty), or give the boundary set's level in the project (level = ...)"
            )
        return for_level(level)

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

    def record(self, rec: dict, located=UNSEEN) -> _Found | _Refused:
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
            if found.method == "point at sea":  # the score is the distance to the unit given
                return _Found(found, field, None, found.score)
            try:
                near = check_point(geom, found.code, country, bset, located)
            except PointConflictError as err:
                written = code or place
                if err.unit is not None and _answers(written, err.unit, country, bset):
                    # "Kyiv" for the oblast where the city is a unit "Kyiv", "Crimea" for
                    # Sevastopol: the point settles it
                    resolution = names.Resolution(err.unit, level, "point overrode name", written)
                    return _Found(resolution, field, found.code, err.distance_km)
                if self.flag:
                    return self.flagged(found, field, err)
                raise
            except SwappedCoordinatesError:
                raise
            except OutsideCountryError as err:
                if self.flag:
                    return self.flagged(found, field, err)
                raise
            if near is not None:
                return _Found(found, field, near.unit, near.distance_km)
            return _Found(found, field)
        except PointConflictError as err:
            point_field = self.point_field
            geom = rec["geometry"]
            received = degrees(geom.y) if point_field == "latitude" else geom.wkt
            fix = (
                "check the coordinates and the place: if the point is right, give the unit it "
                "lies in (or no place); if the place is right, correct the coordinates or leave "
                "them empty"
            )
            return _Refused(point_field, f"point and place disagree: {err}", fix, received)
        except SwappedCoordinatesError as err:
            point_field = self.point_field
            geom = rec["geometry"]
            received = degrees(geom.y) if point_field == "latitude" else geom.wkt
            return _Refused(point_field, str(err), SWAP_FIXES[point_field], received)
        except OutsideCountryError as err:
            return _Refused("geometry", f"point outside the country: {err}",
                            "correct the coordinates, or the country")  # fmt: skip
        except _OtherLevel as err:
            return _Refused("unit_level", str(err).split(". Fix: ")[0],
                            str(err).split(". Fix: ")[1])  # fmt: skip
        except (UnitNotFoundError, GroupingError) as err:
            geom = rec.get("geometry")
            if not code and not place and geom is not None and level != "grouping":
                point_field = self.point_field
                received = (degrees(geom.y) if point_field == "latitude" and
                            geom.geom_type == "Point" else geom.wkt)  # fmt: skip
                fix = "check the coordinates; or name the unit in place (or unit_code)"
                return _Refused(point_field, f"unknown unit: {err}", fix, received)
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
        try:
            bset = self.bset(level)
        except UnitNotFoundError:  # a level the layer's boundaries do not have: refused
            return self.record({**rec, "geometry": None})
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


def resolve_units(
    records: pd.DataFrame,
    path: str,
    *,
    boundary_set: BoundarySet | None = None,
    aliases: names.Aliases | None = None,
    point_field: str = "geometry",
    point_place: str = "reject",
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
    A point far from the unit its record names, in another unit or country, is
    rejected; with ``point_place = "flag"`` the record keeps the named unit and
    says ``...; point elsewhere (flagged)``, with the point's unit and distance.

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
    resolver = _Resolver(boundary_set, aliases, point_field, point_place)
    # Each record's outcome is one of ``distinct``: ``which`` holds its index there.
    out = _Outcomes(n)
    if not n:
        return _assemble(records, path, out)
    number, firsts = _key_groups(records)
    heads = rows_of(records.iloc[firsts].drop(columns="geometry", errors="ignore"))
    by_key = [resolver.by_name(rec) for rec in heads]
    key_base = out.add_all(by_key)  # by_key[g] is distinct[key_base + g]
    geoms = geometries_of(records)
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
    located = np.full(n, UNSEEN, dtype=object)
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
        if bset.builtin:  # a point in a Natural Earth unit that stands for no one unit
            barred = [c for c in pd.unique(found[found != None]) if refusal(c)]  # noqa: E711
            fine &= ~np.isin(found, barred)
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


def unit_names(records: pd.DataFrame, boundary_set: BoundarySet | None = None) -> pd.Series:
    """Name each record's unit as the set it resolved on names it (a grouping's member as is).

    Each distinct (level, code) is looked up once.
    """
    keys = records[["unit_level", "unit_code"]].astype(object)
    number, pairs = pd.factorize(pd.MultiIndex.from_frame(keys))
    names = np.array([code if level == "grouping" or code is None
                      else for_level(level, boundary_set).unit_name(code)
                      for level, code in pairs], dtype=object)  # fmt: skip
    return pd.Series(names[number] if len(pairs) else [], index=records.index, dtype=object)


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
        received = rec.get(o.field) if o.received is UNSEEN else o.received
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
    return kept, rejects_frame(rejects), fuzzy


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
            if isinstance(rec.get("area_measured"), (bool, np.bool_)) and rec["area_measured"]:
                basis.append("measured (geodesic area of the polygon, WGS84)")
            else:
                basis.append("reported" if unit == "km2" else f"reported in {unit}, converted")
        else:
            basis.append("")
    out["unit_name"] = unit_names(out, boundary_set)
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
