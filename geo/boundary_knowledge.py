"""What a user's boundary set is checked against, and what it takes over, from the embedded units.

:func:`geo.user_boundaries.load_boundaries` reads the file; these say in its
report what a join would otherwise get wrong (codes that are fillers, names two
units share, units outside their country, the vintage of a set), give units
below admin-1 their admin-1 unit, and let admin-1 units that are Natural Earth's
answer to its names and codes (:func:`inherit`). Each adds a line to the report.
"""

from __future__ import annotations

import re

import geopandas as gpd
import numpy as np
import shapely

from geo.boundary_sets import embedded

__all__ = ["INHERIT_SHARE", "LICENCES", "VINTAGES", "inherit", "outside_country", "parents",
           "placeholder_codes", "shared_names", "vintage"]  # fmt: skip

#: The credit and licence of the boundary sets whose schema is recognised, as their
#: publishers state them (a project's ``credit`` replaces it).
LICENCES = {
    "HDX COD-AB": "OCHA Common Operational Datasets (COD-AB) via HDX, licence CC BY-IGO 3.0",
    "geoBoundaries": "geoBoundaries (www.geoboundaries.org), licence CC BY 4.0 (gbOpen; check "
    "the release's own licence)",
    "GADM": "GADM (gadm.org), free for academic and other non-commercial use, not to be "
    "redistributed",
}


#: Codes that stand for no unit: "-99" and "N/A" style fillers, Natural Earth's "~" codes.
_PLACEHOLDER = re.compile(r"(-?9+|n/?a|null|none|nan|0+|x+|\?+|-99.*|.*~)", re.I)


def placeholder_codes(frame: gpd.GeoDataFrame, column: str, report) -> None:
    """Say which units carry a placeholder code: records joined by it would land on a filler."""
    bad = [c for c in frame["code"] if _PLACEHOLDER.fullmatch(str(c).strip())]
    if bad:
        report.notes.append(
            f"{len(bad)} unit(s) carry a placeholder code in {column!r} ({', '.join(bad[:5])}): "
            "a record giving that code would join a filler, not a unit; give the units real codes"
        )


def outside_country(frame: gpd.GeoDataFrame, report) -> None:
    """Say which units lie outside the country the set gives them (a mislabelled or shifted unit).

    A unit whose representative point is farther than 25 km from every embedded
    admin-1 unit of its country (a country measured as its admin-1 units,
    Crimea with Ukraine) is named.
    """
    units = embedded("admin1")
    known = set(units.frame["country"])
    far = []
    for code, country, geom in zip(frame["code"], frame["country"], frame.geometry, strict=True):
        if country not in known or geom is None or geom.is_empty:
            continue
        point = shapely.point_on_surface(geom)
        inside = units.unit_at(point)
        if inside is not None and units.unit_country(inside) == country:
            continue
        if units.nearest_unit(point, country=country, within_km=25) is None:
            far.append(f"{code} ({country})")
    if far:
        report.notes.append(
            f"{len(far)} unit(s) lie more than 25 km outside the country the file gives them: "
            f"{', '.join(far[:10])}; check the country field or the coordinates"
        )


def parents(frame: gpd.GeoDataFrame, columns: list[str], report) -> None:
    """Give each unit below admin-1 its admin-1 unit (``parent_admin1``), and say how.

    From the file's own admin-1 code column (COD ``ADM1_PCODE``, GADM ``GID_1``)
    when it has one; else the embedded admin-1 unit holding most of the unit's
    area (a unit straddling two is named in the report).
    """
    own = next((c for c in columns if c.lower() in ("adm1_pcode", "gid_1")), None)
    if own is not None:
        frame["parent_admin1"] = frame[own].astype("string").fillna("").str.strip().to_numpy()
        report.notes.append(f"admin-1 unit of each unit: the file's {own!r}")
        return
    ne = embedded("admin1")
    mine = shapely.make_valid(np.asarray(frame.geometry.values))
    theirs = np.asarray(ne.frame.geometry.values)
    a, b = shapely.STRtree(theirs).query(mine, predicate="intersects")
    shared = shapely.area(shapely.intersection(mine[a], theirs[b]))
    share = shared / np.maximum(shapely.area(mine[a]), 1e-12)
    parent = np.full(len(frame), "", dtype=object)
    best = np.zeros(len(frame))
    codes = ne.frame["code"].to_numpy(dtype=object)
    for i, j, k in zip(a.tolist(), b.tolist(), share.tolist(), strict=True):
        if k > best[i]:
            best[i], parent[i] = k, codes[j]
    frame["parent_admin1"] = parent
    split = [f"{c} ({best[i]:.0%} in {parent[i]})" for i, c in enumerate(frame["code"])
             if parent[i] and best[i] < 0.9]  # fmt: skip
    report.notes.append(
        f"admin-1 unit of each unit (the file gives none): the {ne.source} unit holding most of "
        f"its area; {len(split)} unit(s) have less than 90 % in it"
        + (f": {', '.join(split[:10])}" if split else "")
    )


#: Unit counts of known vintages of a country's boundaries at a level: (country, level) ->
#: [(units, vintage)]. Ukraine's raions: 490 before the reform the Verkhovna Rada adopted on
#: 17 July 2020 (resolution 807-IX, "On the formation and liquidation of raions", draft 3650),
#: 136 after it (decentralization.ua; Ukrainian News, 17 July 2020).
VINTAGES = {
    ("UKR", "admin2"): [
        (490, "raions before the 2020 reform"),
        (136, "raions since the 2020 reform (resolution 807-IX)"),
    ]
}


def vintage(frame: gpd.GeoDataFrame, level: str, report) -> None:
    """Say which vintage of a country's units the set's count matches, when one is known."""
    for country, count in frame["country"].value_counts().items():
        known = VINTAGES.get((country, level))
        if not known:
            continue
        near = [(n, what) for n, what in known if abs(count - n) <= max(3, n * 0.05)]
        said = f"{near[0][1]} ({near[0][0]})" if near else "no known vintage"
        report.notes.append(
            f"{count} {level} units of {country}: the count of {said}; known: "
            + "; ".join(f"{n} {what}" for n, what in known)
        )


def shared_names(frame: gpd.GeoDataFrame, report) -> None:
    """Say which display names several units of one country share: no name joins them."""
    shared = frame.groupby(["country", "name"], sort=True)["code"].agg(list)
    for (country, name), codes in shared[shared.str.len() > 1].items():
        report.notes.append(
            f"duplicate name {name!r}{' in ' + country if country else ''}: units "
            f"{', '.join(codes)} share it, so a record giving that name is refused as ambiguous "
            "(give the code); a known error of some releases: check the file"
        )


#: Share of its area a user unit and an embedded unit must each have in common to be the same
#: unit, when names and codes are carried over (:func:`inherit`).
INHERIT_SHARE = 0.5


def inherit(frame: gpd.GeoDataFrame, level: str, report) -> tuple[list[str], list[str]]:
    """Carry the embedded units' names and codes over to the user units that are the same units.

    A user unit and an embedded Natural Earth unit are the same unit when each
    has at least :data:`INHERIT_SHARE` of its area in common with the other. The
    user unit then also answers to the embedded unit's codes (ISO 3166-2, HASC,
    and any crosswalk codes) and names in every language: columns
    ``inherited_<field>`` are added to ``frame``. Returns the code and name
    columns added; the report says how many units inherited.
    """
    ne = embedded(level)
    countries = set(frame["country"]) - {""}
    pool = ne.frame if not countries else ne.frame[ne.frame["country"].isin(countries)]
    if pool.empty:
        return [], []
    mine = shapely.make_valid(np.asarray(frame.geometry.values))
    theirs = np.asarray(pool.geometry.values)
    a, b = shapely.STRtree(theirs).query(mine, predicate="intersects")
    shared = shapely.area(shapely.intersection(mine[a], theirs[b]))
    share_mine = shared / np.maximum(shapely.area(mine[a]), 1e-12)
    share_theirs = shared / np.maximum(shapely.area(theirs[b]), 1e-12)
    same = (share_mine >= INHERIT_SHARE) & (share_theirs >= INHERIT_SHARE)
    match = np.full(len(frame), -1, dtype=np.int64)
    match[a[same]] = b[same]
    found = match >= 0
    if not found.any():
        report.notes.append(f"no unit is one of the {ne.source} units (by overlap): names and "
                            "codes are this set's own only")  # fmt: skip
        return [], []
    rows = pool.iloc[match[found]]
    codes = [c for c in ne.code_fields if c in pool.columns]
    names = [c for c in ne.name_fields if c in pool.columns]
    wrong = ne.name_errors()  # names the embedded set lists under the wrong unit: not carried
    for column in (*codes, *names):
        values = np.full(len(frame), "", dtype=object)
        texts = rows[column].fillna("").astype(str).tolist()
        if column in names:
            texts = ["|".join(n for n in t.split("|") if n.strip() not in wrong.get(c, ()))
                     for t, c in zip(texts, rows["code"], strict=True)]  # fmt: skip
        values[found] = texts
        frame[f"inherited_{column}"] = values
    rest = int((~found).sum())
    report.notes.append(
        f"{int(found.sum())} of {len(frame)} units are units of {ne.source} (each has at least "
        f"{INHERIT_SHARE:.0%} of its area in common with the other): they also answer to its "
        "names and codes (ISO 3166-2, HASC and any crosswalk code)"
        + (f"; {rest} are not: their own names and codes only" if rest else "")
    )
    return [f"inherited_{c}" for c in codes], [f"inherited_{c}" for c in names]
