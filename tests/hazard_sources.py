"""Suspected and confirmed hazard polygons, built in code, and a reference overlay on units.

Mine-action hazard polygons reach minemap as an IMSMA export of suspected (SHA) and
confirmed (CHA) hazard areas, or as minefield records digitised map sheet by map sheet.
Such sets are awkward to sum per admin unit, and this module builds one with each
awkwardness in a known number, so tests can check code against it:

* rows without a polygon (the record exists, the geometry was never digitised): null
  geometry (``None``), about 10 % of the rows;
* 3 empty polygons (``POLYGON EMPTY``: a polygon whose points were deleted);
* 5 % self-intersecting polygons: a digitised outline whose turn points were entered
  with two neighbours swapped, so its ring crosses itself (a "bow-tie"); invalid.
  ``shapely.make_valid`` (method ``linework``) splits most into two lobes (142 of the
  150 for the default seed); where the swap folds the outline back over itself it
  gives one polygon with the folded part as a hole (8), which ``method="structure"``
  fills instead (0.014 km² more over those 8). ``buffer(0)`` keeps only one lobe of a
  bow-tie (10 of the 308 km² lost): a repair that uses it will not match the reference;
* 10 % shifted copies: a hazard digitised twice, once on each of two map sheets, the
  second copy shifted by 3–15 % of the polygon's size (sheet misregistration), with
  its own ``hazard_id``; every copy overlaps its original by at least a quarter of the
  original's area, so summing areas counts that ground twice;
* 1 % multi-part hazards (two disjoint parts in one record);
* 2 % polygons crossing a unit boundary (centred on a boundary shared by two units);
* 5 polygons entirely outside every unit, and 3 partly outside (centred on the outer
  edge of the units), as when a hazard lies across a national border;
* the rest are ordinary: valid, one part, inside one unit.

Hazards also cluster, as minefields do along former front lines: 60 % of the polygons
are drawn around cluster centres (normal offsets, 2–8 km), so unplanned overlaps
between neighbouring polygons happen too. They are not listed as a trait; only the
shifted copies are.

Sizes are log-uniform from 0.005 km² (a single field, 70 m across) to 20 km² (a large
suspected area). Shapes are irregular: 55 % are star-shaped outlines of 5–24 turn
points (random radii, stretched up to 3:1, rotated), 45 % buffered random walks (a
trench line or a belt along a road: 2–8 steps, rounded ends). Each shape is drawn in
kilometres and converted to degrees with the WGS84 radii of curvature at its centre's
latitude, so its geodesic area is its drawn size to within about 0.1 % (bow-ties are
scaled like the outline they were made from; multi-part hazards share the size
between two parts).

Every trait but the nulls and empties is placed by rejection sampling: an ordinary,
bow-tie, multi-part or copied polygon is kept only when its bounding box lies inside
one unit; a crossing one only when its bounding box lies inside the units' union; a
partly outside one only when it meets exactly one unit; an outside one only when it
meets none. So the traits hold exactly, and :func:`hazard_traits` lists the row
positions of each. The same ``n``, ``seed`` and units give the same frame.

Nothing is read from disk or the network. The default units (:func:`hazard_units`) are
six made-up cantons tiling a box around lon 17–19.5°, lat 43.5–45° (Bosnia-like),
made by cutting the box with three straight lines; any clean coverage of units in
EPSG:4326 with a ``code`` column can be passed instead (the benchmark passes a grid).

:func:`independent_overlay` is the reference computation a test compares minemap's
overlay with, written with plain geopandas, shapely and pyproj (see its docstring for
every choice it makes).

Inferred, not confirmed against a real export: the shares of each trait, the column
names (IMSMA exports name them per installation), the share of SHA against CHA and of
each hazard type. ``land_status`` is a label only: ``open`` (still hazardous) or
``closed`` (released or cancelled, still in the export).
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Geod
from shapely.geometry import Polygon

__all__ = [
    "BOX",
    "GEOD",
    "HAZARD_TYPES",
    "TRAITS",
    "geodesic_km2",
    "hazard_polygons",
    "hazard_traits",
    "hazard_units",
    "independent_overlay",
    "repair",
    "trait_counts",
]

GEOD = Geod(ellps="WGS84")

#: The box the default units tile: (min lon, min lat, max lon, max lat).
BOX = (17.0, 43.5, 19.5, 45.0)

HAZARD_TYPES = ("ap_mines", "av_mines", "mines", "cmr", "erw")
_TYPE_SHARES = (0.30, 0.10, 0.25, 0.15, 0.20)

#: The traits :func:`hazard_traits` lists, in the order rows are assigned to them.
#: ``shifted_original`` lists, in the same order as ``shifted_copy``, the ordinary row
#: each copy was made from (an ordinary row, so it is also in ``ordinary``).
TRAITS = (
    "null",
    "empty",
    "self_intersecting",
    "shifted_copy",
    "shifted_original",
    "multipart",
    "crossing",
    "outside",
    "partly_outside",
    "ordinary",
)

MIN_KM2, MAX_KM2 = 0.005, 20.0

# WGS84, for kilometres per degree at a latitude.
_A_KM = 6378.137
_E2 = 0.00669437999014


def trait_counts(n: int) -> dict[str, int]:
    """How many rows of ``n`` carry each trait (``shifted_original``: one per copy).

    Raises ``ValueError`` when ``n`` leaves fewer ordinary rows than copies to make.
    """
    counts = {
        "null": round(0.10 * n),
        "empty": 3,
        "self_intersecting": round(0.05 * n),
        "shifted_copy": round(0.10 * n),
        "multipart": round(0.01 * n),
        "crossing": round(0.02 * n),
        "outside": 5,
        "partly_outside": 3,
    }
    ordinary = n - sum(counts.values())
    if ordinary < counts["shifted_copy"] or ordinary < 1:
        raise ValueError(f"n={n} is too small for the fixed traits and the copies")
    counts["shifted_original"] = counts["shifted_copy"]
    counts["ordinary"] = ordinary
    return {k: counts[k] for k in TRAITS}


# ----------------------------------------------------------------------------- units


def hazard_units() -> gpd.GeoDataFrame:
    """Six made-up cantons tiling :data:`BOX`: columns ``code``, ``name``, geometry.

    Two slanted lines cut the box from south to north and one from west to east. Each
    crossing point is computed once and used by every unit that has it as a corner, so
    neighbours share their edges exactly (same vertices): a clean coverage whose union
    is the box, with no gaps or overlaps.
    """
    x0, y0, x1, y1 = BOX
    north_south = [((17.85, y0), (17.75, y1)), ((18.70, y0), (18.80, y1))]
    west_east = ((x0, 44.30), (x1, 44.15))

    def crossing(a, b):
        (ax, ay), (bx, by) = a
        (cx, cy), (dx, dy) = b
        den = (ax - bx) * (cy - dy) - (ay - by) * (cx - dx)
        t = ((ax - cx) * (cy - dy) - (ay - cy) * (cx - dx)) / den
        return (ax + t * (bx - ax), ay + t * (by - ay))

    south = [(x0, y0), *(line[0] for line in north_south), (x1, y0)]
    north = [(x0, y1), *(line[1] for line in north_south), (x1, y1)]
    middle = [west_east[0], *(crossing(line, west_east) for line in north_south), west_east[1]]
    shapes = []
    for row, (low, high) in enumerate(((south, middle), (middle, north))):
        for col in range(3):
            ring = [low[col], low[col + 1], high[col + 1], high[col]]
            shapes.append((row, col, Polygon(ring)))
    codes = [f"CT-{i + 1:02d}" for i in range(6)]
    names = ["Bregovac", "Lipnica", "Zaravan", "Gornji Vrh", "Srednja Dolina", "Istočna Rijeka"]
    return gpd.GeoDataFrame(
        {"code": codes, "name": names},
        geometry=[shape for _, _, shape in shapes],
        crs="EPSG:4326",
    )


# ---------------------------------------------------------------------------- shapes


def _km_per_degree(lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Kilometres per degree of longitude and of latitude at ``lat`` (WGS84)."""
    phi = np.radians(lat)
    w = 1.0 - _E2 * np.sin(phi) ** 2
    meridian = _A_KM * (1.0 - _E2) / w**1.5
    normal = _A_KM / np.sqrt(w)
    return normal * np.cos(phi) * math.pi / 180.0, meridian * math.pi / 180.0


def _rings(x: np.ndarray, y: np.ndarray, idx: np.ndarray) -> np.ndarray:
    return shapely.polygons(shapely.linearrings(np.column_stack([x, y]), indices=idx))


def _star_coords(rng: np.random.Generator, m: int):
    """Turn points of ``m`` star-shaped outlines around the origin, and their ring index."""
    k = rng.integers(5, 25, m)
    idx = np.repeat(np.arange(m), k)
    start = np.repeat(np.cumsum(k) - k, k)
    j = np.arange(idx.size) - start
    # Jitter of at most 0.35 of a step keeps the angles in order and every gap below pi:
    # the outline is simple and contains the origin.
    angle = 2 * np.pi * (j + rng.uniform(-0.35, 0.35, idx.size)) / k[idx]
    radius = np.exp(rng.normal(0.0, 0.3, idx.size))
    stretch = rng.uniform(1.0, 3.0, m)[idx]
    turn = rng.uniform(0, np.pi, m)[idx]
    u, v = radius * np.cos(angle) * stretch, radius * np.sin(angle)
    x = u * np.cos(turn) - v * np.sin(turn)
    y = u * np.sin(turn) + v * np.cos(turn)
    return x, y, idx, k


def _walks(rng: np.random.Generator, m: int) -> np.ndarray:
    """``m`` buffered random walks from the origin (trench lines, belts along a road)."""
    steps = rng.integers(2, 9, m)
    idx = np.repeat(np.arange(m), steps + 1)
    first = np.cumsum(steps + 1) - (steps + 1)
    turn = rng.normal(0.0, 0.9, idx.size)
    turn[first] = rng.uniform(0, 2 * np.pi, m)
    length = rng.uniform(0.5, 1.5, idx.size)
    length[first] = 0.0  # each walk starts at the origin

    def running(values):  # cumulative sum restarted at each walk's first point
        total = np.cumsum(values)
        return total - np.repeat(total[first] - values[first], steps + 1)

    heading = running(turn)
    x, y = running(length * np.cos(heading)), running(length * np.sin(heading))
    lines = shapely.linestrings(np.column_stack([x, y]), indices=idx)
    return shapely.buffer(lines, rng.uniform(0.15, 0.6, m), quad_segs=3)


def _scaled(shapes: np.ndarray, km2: np.ndarray, measured: np.ndarray | None = None):
    """``shapes`` scaled about the origin to ``km2`` each (``measured``: their area now)."""
    area = shapely.area(shapes) if measured is None else measured
    coords, idx = shapely.get_coordinates(shapes, return_index=True)
    out = shapes.copy()
    return shapely.set_coordinates(out, coords * np.sqrt(km2 / area)[idx, None])


def _sizes(rng: np.random.Generator, m: int) -> np.ndarray:
    return np.exp(rng.uniform(math.log(MIN_KM2), math.log(MAX_KM2), m))


def _ordinary_shapes(rng: np.random.Generator, km2: np.ndarray) -> np.ndarray:
    m = km2.size
    star = rng.random(m) < 0.55
    out = np.empty(m, dtype=object)
    x, y, idx, _ = _star_coords(rng, int(star.sum()))
    out[star] = _rings(x, y, idx)
    out[~star] = _walks(rng, int((~star).sum()))
    return _scaled(out, km2)


def _bowtie_shapes(rng: np.random.Generator, km2: np.ndarray) -> np.ndarray:
    """Star outlines with two neighbouring turn points swapped, kept when invalid."""
    out = np.empty(km2.size, dtype=object)
    todo = np.arange(km2.size)
    while todo.size:
        x, y, idx, k = _star_coords(rng, todo.size)
        area = shapely.area(_rings(x, y, idx))
        start = np.cumsum(k) - k
        a = start + rng.integers(0, k - 1)  # swap turn points a and a + 1 of each ring
        x[a], x[a + 1] = x[a + 1].copy(), x[a].copy()
        y[a], y[a + 1] = y[a + 1].copy(), y[a].copy()
        shapes = _scaled(_rings(x, y, idx), km2[todo], area)
        bad = ~shapely.is_valid(shapes)
        out[todo[bad]] = shapes[bad]
        todo = todo[~bad]
    return out


def _multipart_shapes(rng: np.random.Generator, km2: np.ndarray) -> np.ndarray:
    """Two star outlines of half the size each, far enough apart never to meet."""
    m = km2.size
    x, y, idx, _ = _star_coords(rng, 2 * m)
    parts = _scaled(_rings(x, y, idx), np.repeat(km2 / 2, 2))
    coords, where = shapely.get_coordinates(parts, return_index=True)
    reach = np.zeros(2 * m)
    np.maximum.at(reach, where, np.hypot(coords[:, 0], coords[:, 1]))
    gap = 1.1 * (reach[0::2] + reach[1::2])
    direction = rng.uniform(0, 2 * np.pi, m)
    second = where % 2 == 1
    coords[second, 0] += (gap * np.cos(direction))[where[second] // 2]
    coords[second, 1] += (gap * np.sin(direction))[where[second] // 2]
    parts = shapely.set_coordinates(parts.copy(), coords)
    return shapely.multipolygons(parts, indices=np.repeat(np.arange(m), 2))


def _placed(shapes_km: np.ndarray, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Shapes drawn in km around the origin, moved to centres in degrees."""
    coords, idx = shapely.get_coordinates(shapes_km, return_index=True)
    kx, ky = _km_per_degree(lat)
    coords = np.column_stack([lon[idx] + coords[:, 0] / kx[idx], lat[idx] + coords[:, 1] / ky[idx]])
    return shapely.set_coordinates(shapes_km.copy(), coords)


# ------------------------------------------------------------------------- placement


class _Place:
    """Where polygons may go: the units, their union, their shared and outer edges."""

    def __init__(self, units: gpd.GeoDataFrame, rng: np.random.Generator, n: int):
        self.rng = rng
        self.geoms = np.asarray(units.geometry.values, dtype=object)
        self.tree = shapely.STRtree(self.geoms)
        self.union = shapely.union_all(self.geoms)
        shapely.prepare(self.union)
        self.bounds = self.union.bounds
        outer = self.union.boundary
        edges = shapely.get_parts(shapely.union_all(shapely.boundary(self.geoms)))
        edges = shapely.get_parts(shapely.line_merge(shapely.difference(edges, outer)))
        self.inner = edges[shapely.length(edges) > 0]
        self.outer = shapely.get_parts(shapely.line_merge(outer))
        x0, y0, x1, y1 = self.bounds
        n_clusters = max(3, n // 40)  # 75 clusters for 3,000 polygons
        self.clusters = np.column_stack(
            [rng.uniform(x0, x1, n_clusters), rng.uniform(y0, y1, n_clusters)]
        )
        self.spread = rng.uniform(2.0, 8.0, n_clusters)

    def inside(self, m: int) -> tuple[np.ndarray, np.ndarray]:
        """Centres: 60 % around cluster centres, the others uniform in the bounds."""
        x0, y0, x1, y1 = self.bounds
        lon, lat = self.rng.uniform(x0, x1, m), self.rng.uniform(y0, y1, m)
        near = self.rng.random(m) < 0.6
        c = self.rng.integers(0, len(self.clusters), int(near.sum()))
        kx, ky = _km_per_degree(self.clusters[c, 1])
        lon[near] = self.clusters[c, 0] + self.rng.normal(0, self.spread[c]) / kx
        lat[near] = self.clusters[c, 1] + self.rng.normal(0, self.spread[c]) / ky
        return lon, lat

    def on(self, lines: np.ndarray, m: int) -> tuple[np.ndarray, np.ndarray]:
        """Centres uniform along ``lines`` (each line chosen by its length)."""
        length = shapely.length(lines)
        pick = self.rng.choice(len(lines), m, p=length / length.sum())
        points = shapely.line_interpolate_point(lines[pick], self.rng.random(m), normalized=True)
        return shapely.get_x(points), shapely.get_y(points)

    def outside(self, m: int) -> tuple[np.ndarray, np.ndarray]:
        """Centres in a band 0.05–0.5 degrees beyond the bounds, on any side."""
        x0, y0, x1, y1 = self.bounds
        lon = self.rng.uniform(x0 - 0.5, x1 + 0.5, m)
        lat = self.rng.uniform(y0 - 0.5, y1 + 0.5, m)
        side = self.rng.integers(0, 4, m)
        away = self.rng.uniform(0.05, 0.5, m)
        lon = np.where(side == 0, x0 - away, np.where(side == 1, x1 + away, lon))
        lat = np.where(side == 2, y0 - away, np.where(side == 3, y1 + away, lat))
        return lon, lat

    def unit_of_box(self, geoms: np.ndarray) -> np.ndarray:
        """The unit (position) whose interior holds each geometry's box, else -1."""
        found = np.full(len(geoms), -1)
        hit = self.tree.query(shapely.envelope(geoms), predicate="within")
        found[hit[0]] = hit[1]
        return found

    def units_met(self, geoms: np.ndarray) -> np.ndarray:
        """How many units each geometry intersects (touching counts)."""
        hit = self.tree.query(geoms, predicate="intersects")
        return np.bincount(hit[0], minlength=len(geoms))

    def place(self, shapes_km: np.ndarray, where, keep, what: str) -> np.ndarray:
        """Move each shape to a centre from ``where(m)`` until ``keep(placed)`` holds."""
        out = np.empty(len(shapes_km), dtype=object)
        todo = np.arange(len(shapes_km))
        for _ in range(200):
            if not todo.size:
                return out
            lon, lat = where(todo.size)
            placed = _placed(shapes_km[todo], lon, lat)
            ok = keep(placed)
            out[todo[ok]] = placed[ok]
            todo = todo[~ok]
        raise ValueError(f"could not place {todo.size} {what} polygons: units too small?")


def hazard_polygons(
    n: int = 3000, seed: int = 7, units: gpd.GeoDataFrame | None = None
) -> gpd.GeoDataFrame:
    """``n`` hazard polygons over ``units`` (default :func:`hazard_units`), EPSG:4326.

    Columns ``hazard_id`` (``SHA-000123``: status and row number), ``status``
    (``SHA``/``CHA``), ``hazard_type`` (one of :data:`HAZARD_TYPES`), ``land_status``
    (``open``/``closed``) and geometry. The traits (see the module docstring and
    :func:`trait_counts`) are on rows in random order; :func:`hazard_traits` lists the
    rows of each. ``units`` must be polygons in EPSG:4326 whose union is one polygon
    (a coverage without holes), large enough to hold a 20 km² polygon.
    """
    counts = trait_counts(n)
    units = hazard_units() if units is None else units
    rng = np.random.default_rng(seed)
    place = _Place(units, rng, n)

    kinds = np.repeat(
        [t for t in TRAITS if t != "shifted_original"],
        [counts[t] for t in TRAITS if t != "shifted_original"],
    )
    kinds = kinds[rng.permutation(n)]
    rows = {t: np.flatnonzero(kinds == t) for t in TRAITS if t != "shifted_original"}
    geoms = np.full(n, None, dtype=object)
    geoms[rows["empty"]] = shapely.from_wkt("POLYGON EMPTY")

    def in_one_unit(placed):
        return place.unit_of_box(placed) >= 0

    r = rows["ordinary"]
    geoms[r] = place.place(
        _ordinary_shapes(rng, _sizes(rng, r.size)), place.inside, in_one_unit, "ordinary"
    )
    r = rows["self_intersecting"]
    geoms[r] = place.place(
        _bowtie_shapes(rng, _sizes(rng, r.size)), place.inside, in_one_unit, "bow-tie"
    )
    r = rows["multipart"]
    geoms[r] = place.place(
        _multipart_shapes(rng, _sizes(rng, r.size)), place.inside, in_one_unit, "multi-part"
    )

    def crosses(placed):
        return shapely.contains(place.union, shapely.envelope(placed))

    r = rows["crossing"]
    geoms[r] = place.place(
        _ordinary_shapes(rng, _sizes(rng, r.size)),
        lambda m: place.on(place.inner, m),
        crosses,
        "crossing",
    )

    r = rows["partly_outside"]
    geoms[r] = place.place(
        _ordinary_shapes(rng, _sizes(rng, r.size)),
        lambda m: place.on(place.outer, m),
        lambda placed: place.units_met(placed) == 1,
        "partly outside",
    )
    r = rows["outside"]
    geoms[r] = place.place(
        _ordinary_shapes(rng, _sizes(rng, r.size)),
        place.outside,
        lambda placed: place.units_met(placed) == 0,
        "outside",
    )

    # Shifted copies of ordinary rows, each in its original's unit, each overlapping it.
    copies = rows["shifted_copy"]
    originals = np.empty(copies.size, dtype=int)
    todo = np.arange(copies.size)
    pool = rng.permutation(rows["ordinary"])
    used = 0
    for _ in range(200):
        if not todo.size:
            break
        if used + todo.size > pool.size:
            raise ValueError("not enough ordinary polygons to copy")
        source = pool[used : used + todo.size]
        used += todo.size
        original = geoms[source]
        size = np.sqrt(shapely.area(original))  # in degrees; the shift is relative to it
        shift = rng.uniform(0.03, 0.15, todo.size) * size
        angle = rng.uniform(0, 2 * np.pi, todo.size)
        coords, idx = shapely.get_coordinates(original, return_index=True)
        coords = coords + np.column_stack([shift * np.cos(angle), shift * np.sin(angle)])[idx]
        copy = shapely.set_coordinates(original.copy(), coords)
        same_unit = place.unit_of_box(copy) == place.unit_of_box(original)
        common = shapely.area(shapely.intersection(copy, original))
        ok = same_unit & (common >= 0.25 * shapely.area(original))
        geoms[copies[todo[ok]]] = copy[ok]
        originals[todo[ok]] = source[ok]
        todo = todo[~ok]
    else:
        raise ValueError("could not place the shifted copies")

    status = rng.choice(["SHA", "CHA"], n, p=[0.65, 0.35])
    hazard_type = rng.choice(HAZARD_TYPES, n, p=_TYPE_SHARES)
    land_status = rng.choice(["open", "closed"], n, p=[0.85, 0.15])
    # A copy is the same hazard digitised again: same status and type, its own id.
    for column in (status, hazard_type, land_status):
        column[copies] = column[originals]
    frame = gpd.GeoDataFrame(
        {
            "hazard_id": [f"{s}-{i + 1:06d}" for i, s in enumerate(status)],
            "status": status,
            "hazard_type": hazard_type,
            "land_status": land_status,
        },
        geometry=gpd.GeoSeries(geoms, crs="EPSG:4326"),
    )
    traits = {t: sorted(int(i) for i in rows[t]) for t in rows}
    order = np.argsort(copies, kind="stable")
    traits["shifted_copy"] = [int(i) for i in copies[order]]
    traits["shifted_original"] = [int(i) for i in originals[order]]
    frame.attrs["hazard_traits"] = {t: traits[t] for t in TRAITS}
    return frame


def hazard_traits(frame: gpd.GeoDataFrame) -> dict[str, list[int]]:
    """Row positions (0-based, in ``frame``'s order) of each trait of :data:`TRAITS`.

    Read from ``frame.attrs``, where :func:`hazard_polygons` put them: a frame filtered
    or reordered since no longer matches them, so pass the frame as returned.
    ``shifted_copy`` is ascending; ``shifted_original[i]`` is the row
    ``shifted_copy[i]`` was copied from. The other lists are ascending.
    """
    try:
        traits = frame.attrs["hazard_traits"]
    except KeyError:
        raise KeyError("this frame was not made by hazard_polygons()") from None
    return {t: list(traits[t]) for t in TRAITS}


# ------------------------------------------------------------------ reference overlay


def geodesic_km2(geometries) -> np.ndarray:
    """Geodesic area on the WGS84 ellipsoid, km², of each geometry (None/empty: 0).

    Polygons are first oriented with exteriors counter-clockwise
    (``shapely.orient_polygons``): ``Geod.geometry_area_perimeter`` returns a signed
    area and sums the parts of a multi-polygon with their signs, so parts wound in
    opposite directions would cancel. The absolute value is taken after.
    """
    geoms = np.asarray(geometries, dtype=object)
    out = np.zeros(len(geoms))
    have = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    oriented = shapely.orient_polygons(geoms[have], exterior_cw=False)
    out[have] = [abs(GEOD.geometry_area_perimeter(g)[0]) / 1e6 for g in oriented]
    return out


def _polygonal(geoms: np.ndarray) -> np.ndarray:
    """The polygonal parts of each geometry, as one (multi-)polygon, or None if none."""
    parts, idx = shapely.get_parts(geoms, return_index=True)
    while True:  # a GeometryCollection may hold multi-polygons: explode until flat
        kind = shapely.get_type_id(parts)
        nested = np.isin(kind, (4, 5, 6, 7))
        if not nested.any():
            break
        inner, inner_idx = shapely.get_parts(parts[nested], return_index=True)
        parts = np.concatenate([parts[~nested], inner])
        idx = np.concatenate([idx[~nested], idx[nested][inner_idx]])
    keep = (shapely.get_type_id(parts) == 3) & ~shapely.is_empty(parts)
    parts, idx = parts[keep], idx[keep]
    order = np.argsort(idx, kind="stable")
    parts, idx = parts[order], idx[order]
    out = np.full(len(geoms), None, dtype=object)
    counts = np.bincount(idx, minlength=len(geoms))
    single = counts[idx] == 1
    out[idx[single]] = parts[single]
    multi = ~single
    if multi.any():
        owners, inverse = np.unique(idx[multi], return_inverse=True)
        out[owners] = shapely.multipolygons(parts[multi], indices=inverse)
    return out


def repair(geometries) -> gpd.GeoSeries:
    """Each polygon made valid, polygonal parts only; null where nothing polygonal is left.

    ``shapely.make_valid`` with its default method (``linework``): a bow-tie becomes a
    multi-polygon of its lobes, both kept; a valid polygon is returned unchanged. Lines
    and points it may produce from collapsed rings (zero area) are dropped. The index
    of ``geometries`` is kept.
    """
    series = gpd.GeoSeries(geometries)
    geoms = np.asarray(series.values, dtype=object)
    have = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    fixed = np.full(len(geoms), None, dtype=object)
    fixed[have] = _polygonal(shapely.make_valid(geoms[have]))
    return gpd.GeoSeries(fixed, index=series.index, crs=series.crs)


def _in_4326(frame):
    if frame.crs is None:
        return frame.set_crs("EPSG:4326")
    return frame if frame.crs.equals("EPSG:4326") else frame.to_crs("EPSG:4326")


def independent_overlay(polygons, units: gpd.GeoDataFrame) -> pd.DataFrame:
    """Hazard area per unit, the reference a test compares minemap's overlay with.

    Written independently of minemap, with plain geopandas, shapely and pyproj.

    Parameters
    ----------
    polygons : GeoSeries or GeoDataFrame
        Hazard polygons; null, empty and invalid geometries allowed. Without a CRS they
        are taken to be EPSG:4326; in another CRS they are reprojected to it.
    units : GeoDataFrame
        Admin units with a ``code`` column, assumed to form a coverage (no overlaps:
        where units overlap, ground in both is counted in each, and the outside row
        comes out too small, even negative). CRS handled as for ``polygons``.

    Returns
    -------
    DataFrame
        One row per unit, in ``units``' order (units no polygon reaches included, with
        zeros), then a row with ``code == ""`` for the ground outside every unit.
        Columns:

        * ``polygons``: distinct polygons with a polygonal piece in the unit (a polygon
          that only touches the unit along its edge or at a point has no such piece:
          ``geopandas.overlay(keep_geom_type=True)`` drops line and point pieces);
          in the outside row, polygons with part of their area outside the units'
          union (``difference`` with the union has positive area);
        * ``sum_km2``: sum of the geodesic areas of the pieces in the unit: overlapping
          polygons count each time. Outside row: the total area of the repaired
          polygons minus the sum of ``sum_km2`` over the units (so the column sums to
          the total by construction);
        * ``union_km2``: geodesic area of the union of the unit's pieces (ground
          counted once). Outside row: geodesic area of the union of the polygons'
          parts outside the units' union, measured on that geometry;
        * ``overlap_km2``: ``sum_km2 - union_km2``, not clipped at zero: where nothing
          overlaps it is noise, of either sign (see below).

    Notes
    -----
    Steps, in order:

    1. Null and empty geometries are dropped (a record without ground).
    2. :func:`repair`: ``shapely.make_valid`` (method ``linework``), polygonal parts
       kept; polygons left with no polygonal part are dropped.
    3. ``geopandas.overlay(polygons, units, how="intersection", keep_geom_type=True)``:
       every polygon cut by every unit it meets, pairwise (polygons overlapping one
       another stay separate pieces). Its own ``make_valid`` has nothing left to do.
    4. Areas: :func:`geodesic_km2` (WGS84 ellipsoid, ``Geod.geometry_area_perimeter``,
       exteriors oriented counter-clockwise first, absolute value), km² = m² / 1e6.
    5. Per unit: counts, sums and the union of the pieces (``shapely.union_all``).

    The total area is the sum of :func:`geodesic_km2` of the repaired polygons.

    Cutting is planar in degrees, measuring geodesic, so pieces do not add up exactly
    to the whole: an edge cut at a unit boundary gets a new vertex on the straight
    line in lon/lat, and the geodesic through that vertex differs from the geodesic
    of the uncut edge (bulging poleward by about ``L**2 * tan(lat) / (8 * R)``: 0.5 m
    for a 5 km edge at 44°N). For :func:`hazard_polygons` over :func:`hazard_units`
    the pieces inside the units plus the parts outside (measured on their geometry)
    differ from the total by 6e-5 km² (1e-8 of it); this is why the outside row's
    ``sum_km2`` (by subtraction) and ``union_km2`` (by geometry) differ by about that
    much. A union adds vertices where pieces cross, with the same effect on
    ``union_km2``. An implementation that cuts or measures otherwise (on geodesic
    edges, in an equal-area projection) should agree to about 1e-6, not 1e-12.
    """
    if isinstance(polygons, gpd.GeoDataFrame):
        polygons = polygons.geometry
    polygons = _in_4326(gpd.GeoSeries(polygons).reset_index(drop=True))
    units = _in_4326(units[["code", "geometry"]].reset_index(drop=True))

    fixed = repair(polygons)
    kept = ~(fixed.isna() | fixed.is_empty)
    polys = gpd.GeoDataFrame(
        {"polygon": np.flatnonzero(kept.to_numpy())}, geometry=fixed[kept].values, crs=4326
    )
    total = float(geodesic_km2(polys.geometry.values).sum())

    pieces = gpd.overlay(polys, units, how="intersection", keep_geom_type=True)
    pieces["km2"] = geodesic_km2(pieces.geometry.values)
    pieces = pieces[pieces["km2"] > 0]
    grouped = pieces.groupby("code", sort=False)
    per_unit = pd.DataFrame(
        {
            "polygons": grouped["polygon"].nunique(),
            "sum_km2": grouped["km2"].sum(),
            "union_km2": grouped.geometry.agg(
                lambda g: geodesic_km2([shapely.union_all(g.values)])[0]
            ),
        }
    )
    per_unit = per_unit.reindex(units["code"]).fillna(0.0)
    per_unit["polygons"] = per_unit["polygons"].astype("int64")
    per_unit = per_unit.reset_index()

    coverage = shapely.union_all(units.geometry.values)
    shapely.prepare(coverage)
    geoms = polys.geometry.values
    out_parts = shapely.difference(geoms[~shapely.within(geoms, coverage)], coverage)
    out_parts = out_parts[geodesic_km2(out_parts) > 0]
    outside = {
        "code": "",
        "polygons": len(out_parts),
        "sum_km2": total - float(per_unit["sum_km2"].sum()),
        "union_km2": float(geodesic_km2([shapely.union_all(out_parts)])[0]),
    }
    result = pd.concat([per_unit, pd.DataFrame([outside])], ignore_index=True)
    result["overlap_km2"] = result["sum_km2"] - result["union_km2"]
    return result[["code", "polygons", "sum_km2", "union_km2", "overlap_km2"]]
