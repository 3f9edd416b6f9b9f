"""Place incident records on the map: a point per record, with how precisely it is placed.

Each distinct place is located once (a settlement in the gazetteer, a unit's
representative point, a border's midpoint); records that give their own
coordinates (``locate_as = "exact"``) keep them. A place that cannot be found
is a reject, never a point at (0, 0).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo import gazetteer
from geo.boundary_sets import BoundarySet, for_level
from geo.errors import MinemapError, PlaceNotFoundError, UnitNotFoundError, reject
from layers.frames import first_positions, geometries_of, rejects_frame, rows_of

__all__ = ["locate"]


def _reject(path: str, rec: dict, field: str, reason: str, fix: str) -> dict:
    return reject(path, rec.get("row"), field, rec.get(field), reason, fix, rec)


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
        return _located(records, which, distinct, points), rejects_frame([])
    how = _locate_how(records)
    geoms = geometries_of(records)
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
    return _located(records, which, distinct, points), rejects_frame(rejects)


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
