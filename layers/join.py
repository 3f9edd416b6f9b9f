"""Join layer records to boundary units: check codes, measure, locate, draw.

Records name their unit by ``unit_level`` and ``unit_code`` (and ``grouping``).
The functions here turn them into geometry and measures, and return the
records they could not use as rejects with a reason, never dropping one.
"""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
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
from layers.frames import rows_of

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


def _check_point(point, code: str, country: str | None, bset: BoundarySet) -> None:
    """Raise :class:`SwappedCoordinatesError` for the point of a unit found by code or name.

    A point in its unit costs one test on a prepared polygon; a point elsewhere
    is kept, unless it lies outside the country and the swapped point in it.
    """
    if not country or point is None or getattr(point, "geom_type", "") != "Point":
        return
    if point.is_empty or bset.covers(code, point):
        return
    where = bset.unit_at(point)
    if where is not None and bset.unit_country(where) in (country, ""):
        return
    reason = _swap_reason(point, where, country, bset)
    if reason is not None:
        raise SwappedCoordinatesError(reason)


def _unit_from_point(
    rec: dict, geom, place: str, country: str | None, bset: BoundarySet, found: dict
):
    """Find the unit of the record's geometry, or of the settlement it names (None if neither).

    ``found`` holds the units of the layer's points, looked up at once
    (:meth:`BoundarySet.units_at`), by ``id`` of the point.
    """
    if geom is not None and not getattr(geom, "is_empty", True):
        code = found[id(geom)] if id(geom) in found else bset.unit_at(geom)
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


def _points_located(rows: list[dict], boundary_set: BoundarySet | None) -> dict[int, str | None]:
    """Look up at once the unit of every point of records that give no unit code or place.

    Keyed by ``id`` of the point. (A record whose place resolves needs no lookup;
    one whose place does not is looked up on its own.)
    """
    by_set: dict[int, tuple[BoundarySet, list]] = {}
    for rec in rows:
        geom, level = rec.get("geometry"), rec["unit_level"]
        given = _text(rec.get("unit_code")) or _text(rec.get("place"))
        if level == "grouping" or given or geom is None:
            continue
        if getattr(geom, "geom_type", "") == "Point" and not geom.is_empty:
            bset = for_level(level, boundary_set)
            by_set.setdefault(id(bset), (bset, []))[1].append(geom)
    found: dict[int, str | None] = {}
    for bset, points in by_set.values():
        found.update(zip(map(id, points), bset.units_at(points), strict=True))
    return found


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

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame, list of dict)
        Resolved records (``unit_code`` canonical, ``unit_resolved_by`` says
        how), rejects, and the fuzzy matches that were applied, for reporting.
    """
    keep, rejects, fuzzy = [], [], []
    known: dict[tuple, names.Resolution | MinemapError] = {}

    def resolve(text: str, country: str | None, level: str, bset: BoundarySet):
        """Resolve a name once per distinct (name, country, level, set); the same answer after."""
        key = (text, country, level, id(bset))
        if key not in known:
            try:
                known[key] = names.resolve(
                    text, country=country, level=level, boundaries=bset, aliases=aliases
                )
            except (UnitNotFoundError, GroupingError) as err:
                known[key] = err
        found = known[key]
        if isinstance(found, MinemapError):
            raise found.with_traceback(None)
        return found

    rows = rows_of(records)
    located = _points_located(rows, boundary_set)
    for rec in rows:
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
                rec["unit_resolved_by"] = "grouping member"
            else:
                bset = (
                    boundary_set
                    if (boundary_set and boundary_set.level == level)
                    else embedded(level)
                )
                country = _text(rec.get("country")) or None
                geom = rec.get("geometry")
                if code:
                    found = resolve(code, country, level, bset)
                    field = "unit_code"
                elif place:
                    field = "place"
                    try:
                        found = resolve(place, country, level, bset)
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
                if found.method != "location":
                    _check_point(geom, found.code, country, bset)
                rec["unit_code"] = found.code
                rec["unit_resolved_by"] = found.method
                if found.method == "fuzzy":
                    fuzzy.append({
                        "file": path, "row": rec.get("row"), "record_id": rec.get("record_id"),
                        "field": field, "written": found.matched, "code": found.code,
                        "score": found.score, "candidates": found.candidates,
                    })  # fmt: skip
        except SwappedCoordinatesError as err:
            lat = _degrees(rec["geometry"].y)
            received = lat if point_field == "latitude" else rec["geometry"].wkt
            rejects.append(reject(path, rec.get("row"), point_field, received, str(err),
                                  SWAP_FIXES[point_field], rec))  # fmt: skip
            continue
        except OutsideCountryError as err:
            rejects.append(_reject(path, rec, "geometry", f"point outside the country: {err}",
                                   "correct the coordinates, or the country"))  # fmt: skip
            continue
        except (UnitNotFoundError, GroupingError) as err:
            field = "unit_code" if code or level == "grouping" else "place"
            fix = "correct the code or name, or add the name to an alias file"
            rejects.append(_reject(path, rec, field, f"unknown unit: {err}", fix))
            continue
        keep.append(rec)
    columns = [
        *records.columns,
        *(["unit_resolved_by"] if "unit_resolved_by" not in records.columns else []),
    ]
    kept = pd.DataFrame(keep, columns=columns)
    if isinstance(records, gpd.GeoDataFrame):
        kept = gpd.GeoDataFrame(kept, geometry="geometry", crs=records.crs)
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

    Returns
    -------
    (geopandas.GeoDataFrame, pandas.DataFrame)
        Located records with ``precision``, ``located_by`` and
        ``located_unit``, and the rejects.
    """
    rows, points, rejects = [], [], []
    for rec in rows_of(records):
        how = _text(rec.get("locate_as"))
        if not how:
            settled = rec.get("unit_resolved_by") == "settlement location"
            how = (
                "settlement"
                if settled
                else ("admin0" if rec["unit_level"] == "admin0" else "admin1")
            )
        try:
            # The set that knows the record's unit: the user's, or the embedded one.
            bset = for_level(rec["unit_level"], boundary_set)
            if how == "exact":
                geom = rec.get("geometry")
                if geom is None or geom.is_empty:
                    raise PlaceNotFoundError("locate_as is 'exact' but the record has no geometry")
                point = geom if geom.geom_type == "Point" else geom.representative_point()
                loc = gazetteer.Location(
                    point, "exact", "coordinates given", unit_code=rec["unit_code"]
                )
            elif how == "settlement":
                name = rec.get("lookup_name") or rec["place"]
                loc = bset.locate_settlement(name, rec["country"], rec["unit_code"])
            elif how == "border":
                loc = gazetteer.border_point(rec["country"], rec["border_with"])
            elif how == "admin1":
                loc = bset.unit_location(rec["unit_code"])
            else:
                loc = for_level("admin0").unit_location(rec["country"])
        except (PlaceNotFoundError, UnitNotFoundError) as err:
            field = "lookup_name" if how == "settlement" else "locate_as"
            rejects.append(
                _reject(
                    path,
                    rec,
                    field,
                    f"place not found: {err}",
                    "correct lookup_name, or locate the record by its region",
                )
            )
            continue
        except MinemapError as err:
            rejects.append(_reject(path, rec, "locate_as", str(err), "correct the location fields"))
            continue
        rows.append(
            {
                **rec,
                "precision": loc.precision,
                "located_by": loc.matched,
                "located_unit": loc.unit_code,
            }
        )
        points.append(loc.point)
    frame = (
        gpd.GeoDataFrame(rows, geometry=points, crs="EPSG:4326")
        if rows
        else gpd.GeoDataFrame(
            columns=[*records.columns, "precision", "located_by", "located_unit"],
            geometry=gpd.GeoSeries([], crs="EPSG:4326"),
        )
    )
    return frame, _frame(rejects)
