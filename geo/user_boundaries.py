"""A user's own boundary file as a :class:`~geo.boundary_sets.BoundarySet`, validated.

:func:`load_boundaries` reads a GeoPackage (any layer), Shapefile (zipped or not),
GeoJSON or KML, reprojects it to EPSG:4326, recognises the HDX COD-AB, geoBoundaries
and GADM schemas (:func:`detect_schema`) and checks the units (:func:`validate`).

Overlaps and gaps of at most 0.01 km² (1 ha) are not reported: that is the least
area that changes a figure in km² to two decimals, the finest figures minemap
joins; it is far above numerical noise (coordinates rounded to 1e-7°, 1 cm, or
reprojected leave < 1e-4 km² along 1,000 km of border); the 4,596 embedded Natural
Earth 1:10m admin-1 units show no overlap at all and, per country, no gap but three
enclaves (Lesotho, San Marino, Madha); and borders digitised twice 1 m apart leave about
0.001 km² per km, so such slivers along 10 km of border or more are reported.
"""

from __future__ import annotations

import functools
import math
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from shapely.geometry import Polygon

from geo import boundaries
from geo import boundary_knowledge as knowledge
from geo.area import area_km2
from geo.boundary_sets import BoundarySet
from geo.errors import MinemapError
from geo.mojibake import looks_mojibake
from geo.overlay import polygonal as _polygonal

__all__ = ["GAP_TOLERANCE_KM2", "OVERLAP_TOLERANCE_KM2", "BoundaryFileError", "Finding",
           "ValidationReport", "detect_schema", "load_boundaries", "validate"]  # fmt: skip

_VECTOR = "a GeoPackage, Shapefile (or a .zip of one), GeoJSON or KML"


#: Overlaps between two units of at most this area (km²) are not reported.
OVERLAP_TOLERANCE_KM2 = 0.01
#: Gaps between units of at most this area (km²) are not reported.
GAP_TOLERANCE_KM2 = 0.01


class BoundaryFileError(MinemapError, ValueError):
    """A boundary file cannot be used as it is; the message says how to fix it."""


@dataclass(frozen=True)
class Finding:
    """One problem in a boundary set.

    Its ``kind`` (``invalid``, ``empty``, ``overlap``, ``gap``), the unit ``codes``
    (the unit, the overlapping pair, the units around a gap), ``what`` is wrong, the
    measure ``area_km2`` (geodesic: after repair, of the overlap, of the gap) and a
    ``point`` ``(lon, lat)`` inside the overlap or gap.
    """

    kind: str
    codes: tuple[str, ...]
    what: str
    area_km2: float
    point: tuple[float, float] | None = None

    def line(self) -> str:
        """Say the finding in one human-readable line."""
        where = f" at lon {self.point[0]:.5f}, lat {self.point[1]:.5f}" if self.point else ""
        return f"{self.kind} {' / '.join(self.codes)}: {self.what}: {self.area_km2:.2f} km²{where}"


@dataclass
class ValidationReport:
    """What :func:`validate` found in a boundary set.

    The number of ``units`` checked; :class:`Finding` lists ``invalid`` (repaired),
    ``empty``, ``overlaps`` (pairs) and ``gaps``; ``notes`` on how the file was read
    (not problems); the tolerances: overlaps and gaps of at most
    ``overlap_tolerance_km2`` and ``gap_tolerance_km2`` were not reported.

    Examples
    --------
    >>> ValidationReport(units=2).lines()
    ['2 units: no problem found (ignored: overlaps ≤ 0.01 km², gaps ≤ 0.01 km²)']
    >>> pair = Finding("overlap", ("UA63", "UA65"), "units overlap", 1.234, (36.1, 49.2))
    >>> report = ValidationReport(units=2, overlaps=[pair])
    >>> report.ok, report.lines()[1]
    (False, 'overlap UA63 / UA65: units overlap: 1.23 km² at lon 36.10000, lat 49.20000')
    """

    units: int
    invalid: list[Finding] = field(default_factory=list)
    empty: list[Finding] = field(default_factory=list)
    overlaps: list[Finding] = field(default_factory=list)
    gaps: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    overlap_tolerance_km2: float = OVERLAP_TOLERANCE_KM2
    gap_tolerance_km2: float = GAP_TOLERANCE_KM2

    @property
    def findings(self) -> list[Finding]:
        """All findings: invalid, empty, overlaps, gaps."""
        return [*self.invalid, *self.empty, *self.overlaps, *self.gaps]

    @property
    def ok(self) -> bool:
        """True when nothing was found (notes do not count)."""
        return not self.findings

    def lines(self) -> list[str]:
        """Say the report: a summary line, one line per finding, then the notes."""
        tol = f"ignored: overlaps ≤ {self.overlap_tolerance_km2:g} km², "
        tol += f"gaps ≤ {self.gap_tolerance_km2:g} km²"
        found = f"{len(self.invalid)} invalid geometry repaired, {len(self.empty)} empty, "
        found += f"{len(self.overlaps)} overlap(s), {len(self.gaps)} gap(s)"
        head = f"{self.units} units: {'no problem found' if self.ok else found} ({tol})"
        return [head, *(f.line() for f in self.findings), *(f"note: {n}" for n in self.notes)]


def detect_schema(columns, level: int | None = None) -> dict:
    """Recognise an HDX COD-AB, geoBoundaries or GADM schema from column names.

    - HDX COD-AB: ``ADM{n}_PCODE`` is the code; every ``ADM{n}_xx`` (``_EN``,
      ``_REF``, ``_UA``...) and ``ADM{n}ALT*`` column holds names, English first;
      ``ADM0_PCODE`` is the country.
    - geoBoundaries: ``shapeISO`` is the code (``shapeID`` where it is empty),
      ``shapeName`` the name, ``shapeGroup`` the country, ``shapeType`` the level.
    - GADM: ``GID_{n}`` is the code (``HASC_{n}``, ``CC_{n}``, ``ISO_1`` other codes),
      ``NAME_{n}``, ``VARNAME_{n}``, ``NL_NAME_{n}`` names, ``GID_0`` the country.

    Column names are matched in any case; the fields of ``level`` (an int) are
    taken, by default of the highest level present.

    Returns
    -------
    dict
        ``schema`` (``"HDX COD-AB"``, ``"geoBoundaries"``, ``"GADM"`` or None),
        ``levels`` present, ``level`` (``"admin{n}"``, None if in ``level_field``
        or absent), ``code_field``, ``code_fallback`` (where the code is empty),
        ``code_fields``, ``name_fields`` (display name first), ``country_field``.

    Examples
    --------
    >>> s = detect_schema(["ADM0_EN", "ADM0_PCODE", "ADM1_UA", "ADM1_EN", "ADM1_PCODE",
    ...                    "ADM1ALT1EN", "geometry"])
    >>> s["schema"], s["level"], s["code_field"], s["name_fields"], s["country_field"]
    ('HDX COD-AB', 'admin1', 'ADM1_PCODE', ['ADM1_EN', 'ADM1_UA', 'ADM1ALT1EN'], 'ADM0_PCODE')
    >>> s = detect_schema(["shapeName", "shapeISO", "shapeID", "shapeGroup", "shapeType"])
    >>> s["schema"], s["code_field"], s["code_fallback"], s["level_field"]
    ('geoBoundaries', 'shapeISO', 'shapeID', 'shapeType')
    >>> s = detect_schema(["GID_0", "COUNTRY", "GID_1", "NAME_1", "VARNAME_1", "NL_NAME_1"])
    >>> s["schema"], s["level"], s["code_field"], s["name_fields"], s["country_field"]
    ('GADM', 'admin1', 'GID_1', ['NAME_1', 'VARNAME_1', 'NL_NAME_1'], 'GID_0')
    >>> detect_schema(["pcode", "name"])["schema"] is None
    True
    """
    cols = {str(c).lower(): str(c) for c in columns}
    found = dict.fromkeys(["schema", "level", "code_field", "code_fallback", "country_field"])
    found.update(level_field=None, code_fields=[], name_fields=[], levels=[])
    for schema, code_re in (("HDX COD-AB", r"adm(\d)_pcode"), ("GADM", r"gid_(\d)")):
        levels = sorted({int(m.group(1)) for c in cols if (m := re.fullmatch(code_re, c))})
        if not levels:
            continue
        n = levels[-1] if level is None else level
        found.update(schema=schema, levels=levels)
        if n not in levels:
            return found
        if schema == "GADM":
            names = [f"name_{n}", f"varname_{n}", f"nl_name_{n}", *(["country"] if n == 0 else [])]
            codes = [f"gid_{n}", f"hasc_{n}", f"cc_{n}", *(["iso_1"] if n == 1 else [])]
            country = "gid_0"
        else:
            names = [c for c in cols if re.fullmatch(rf"adm{n}_[a-z]{{2,3}}", c)]
            names.sort(key=lambda c: c != f"adm{n}_en")  # English first, then file order
            names += [c for c in cols if re.fullmatch(rf"adm{n}alt\d+[a-z]{{2,3}}", c)]
            codes, country = [f"adm{n}_pcode"], "adm0_pcode"
        found.update(level=f"admin{n}", code_field=cols[codes[0]],
                     code_fields=[cols[c] for c in codes if c in cols],
                     name_fields=[cols[c] for c in names if c in cols],
                     country_field=cols.get(country))  # fmt: skip
        return found
    if "shapename" in cols and ("shapeiso" in cols or "shapeid" in cols):
        code_fields = [cols[c] for c in ("shapeiso", "shapeid") if c in cols]
        found.update(schema="geoBoundaries", code_field=code_fields[0],
                     code_fallback=code_fields[1] if len(code_fields) == 2 else None,
                     code_fields=code_fields, name_fields=[cols["shapename"]],
                     country_field=cols.get("shapegroup"),
                     level_field=cols.get("shapetype"))  # fmt: skip
    return found


def _level_name(value) -> str:
    match = re.fullmatch(r"(?:admin|adm)?\s*(\d)", str(value).strip(), flags=re.I)
    if match is None:
        raise BoundaryFileError(f"unknown admin level {value!r}: expected 'admin0', 'admin1', "
                                "'admin2'... Fix: pass level='admin1' (or the level of the "
                                "units in the file).")  # fmt: skip
    return f"admin{match.group(1)}"


def _text(series: pd.Series) -> pd.Series:
    """Cells as stripped strings, '' when missing; integral floats without '.0'."""
    if pd.api.types.is_float_dtype(series) and series.dropna().apply(float.is_integer).all():
        series = series.astype("Int64")
    return series.astype("string").fillna("").str.strip().astype(object)


def _has_cpg(path: Path) -> bool | None:
    """Say whether a shapefile (or a zip of one) has a .cpg file; None for other formats."""
    suffix = path.suffix.lower()
    if suffix == ".shp":
        return any(
            p.suffix.lower() == ".cpg" and p.stem == path.stem for p in path.parent.iterdir()
        )
    if suffix == ".zip":
        with zipfile.ZipFile(path) as archive:
            names = [n.lower() for n in archive.namelist()]
        return any(n.endswith(".cpg") for n in names) if any(n.endswith(".shp") for n in names) \
            else None  # fmt: skip
    return None


def _read_text(path: Path, layer: str, encoding: str | None, notes: list[str]) -> gpd.GeoDataFrame:
    """Read a layer, in the encoding given, else GDAL's; a .dbf of UTF-8 without .cpg is told.

    A shapefile without a .cpg is read by GDAL as ISO-8859-1. When its text then
    reads as UTF-8 bytes shown in that code page (mojibake, :mod:`geo.mojibake`)
    and no text is left unexplained, it is read again as UTF-8. The report says
    which encoding was used and why.
    """
    if encoding is not None:
        notes.append(f"text read as {encoding}, as given (encoding=)")
        return gpd.read_file(path, layer=layer, engine="pyogrio", encoding=encoding)
    frame = gpd.read_file(path, layer=layer, engine="pyogrio")
    cpg = _has_cpg(path)
    if cpg is None:
        return frame
    used = pyogrio.read_info(path, layer=layer).get("encoding") or "unknown"
    if cpg:
        notes.append(f"text read as {used}, as the shapefile's .cpg file says")
        return frame
    texts = [v for c in frame.columns if c != frame.geometry.name
             and pd.api.types.is_string_dtype(frame[c]) for v in frame[c]]  # fmt: skip
    foreign, repairable, example = looks_mojibake(texts)
    if foreign and repairable == foreign:
        notes.append(
            f"text read as UTF-8: the shapefile has no .cpg file, and its {foreign} non-ASCII "
            f"text(s) read as {used} (GDAL's default) were UTF-8 bytes (e.g. {example})"
        )
        return gpd.read_file(path, layer=layer, engine="pyogrio", encoding="UTF-8")
    why = (f"; {repairable} of its {foreign} non-ASCII texts would read as UTF-8, not all: "
           "pass encoding= if names look wrong" if repairable else "")  # fmt: skip
    notes.append(f"text read as {used}: the shapefile has no .cpg file{why}")
    return frame


def _read(
    path: Path, layer: str | None, notes: list[str], encoding: str | None = None
) -> tuple[gpd.GeoDataFrame, str]:
    """Read the layer of units (the only polygon layer when none is named), in EPSG:4326."""
    if not path.exists():
        raise BoundaryFileError(f"no boundary file at {str(path)!r}. Fix: check the path.")
    layers = dict(pyogrio.list_layers(path))  # errors: see _file_errors
    polygonal = [n for n, t in layers.items() if t and ("Polygon" in t or t == "Unknown")]
    if not (layer in layers if layer else len(layers) == 1 or len(polygonal) == 1):
        raise BoundaryFileError(
            f"{path.name!r}: {f'no layer {layer!r}' if layer else f'{len(layers)} layers'} "
            f"(layers and geometry: {layers}); expected one layer of polygons, or a layer named. "
            "Fix: pass the layer of the units as layer=."
        )
    layer = layer or (polygonal[0] if len(polygonal) == 1 else next(iter(layers)))
    frame = _read_text(path, layer, encoding, notes)
    if (table := not isinstance(frame, gpd.GeoDataFrame)) or frame.empty:  # a CSV is a table
        what = "geometry: it is a table, not boundaries" if table else "features"
        fix = f"export the boundary polygons to {_VECTOR}" if table else "check it"
        raise BoundaryFileError(f"{path.name!r}, layer {layer!r}, has no {what}. Fix: {fix}.")
    if frame.crs is None:
        xmin, ymin, xmax, ymax = frame.total_bounds
        if not (-180 <= xmin <= xmax <= 360 and -90 <= ymin <= ymax <= 90):
            raise BoundaryFileError(
                f"{path.name!r} has no coordinate reference system (CRS) and its coordinates "
                f"(x {xmin:.6g} to {xmax:.6g}, y {ymin:.6g} to {ymax:.6g}) are not longitude/"
                "latitude: expected a CRS in the file. Fix: add it to the file, e.g. the "
                "Shapefile's .prj, or `ogr2ogr -a_srs EPSG:<code> out.gpkg in.shp`."
            )
        notes.append("the file has no CRS; its coordinates are lon/lat: read as EPSG:4326")
        return frame.set_crs(4326), layer
    if frame.crs.to_epsg() != 4326:
        notes.append(f"reprojected from {frame.crs.to_string()} to EPSG:4326")
    return frame.to_crs(4326), layer


def _countries(values: pd.Series) -> pd.Series:
    """ISO alpha-3 codes from alpha-3 or alpha-2 values (COD-AB ``ADM0_PCODE``), else ''."""
    alpha2 = boundaries.alpha2_to_alpha3()
    alpha3 = set(boundaries.admin0()["code"]) | set(alpha2.values())
    return _text(values).str.upper().map(lambda v: v if v in alpha3 else alpha2.get(v, ""))


def _country_column(frame, column, country, path, notes) -> pd.Series:
    given = "" if country is None else str(country).strip().upper()
    if given and _countries(pd.Series([given])).iloc[0] != given:
        raise BoundaryFileError(
            f"unknown country code {country!r}: expected an ISO 3166-1 alpha-3 code such as "
            "'UKR'. Fix: pass the three-letter code of the country as country=."
        )
    found = _countries(frame[column]) if column else pd.Series("", index=frame.index)
    if given and (other := sorted(set(found) - {given, ""})):
        raise BoundaryFileError(
            f"{path.name!r}: {column!r} gives the countries {other}, not {given!r} as "
            "country= says. Fix: check that this is the right file, or leave out country=."
        )
    if (found == "").any() and not given:
        notes.append(f"{int((found == '').sum())} unit(s) of unknown country: pass country=")
    return found.where(found != "", given)


def _codes(frame, schema, code_field, columns, path) -> tuple[pd.Series, str]:
    column = code_field or schema["code_field"]
    codes = _text(frame[column])
    if code_field is None and schema["code_fallback"]:
        codes = codes.where(codes != "", _text(frame[schema["code_fallback"]]))
    if blank := [i + 1 for i, c in enumerate(codes) if not c]:
        raise BoundaryFileError(
            f"{path.name!r}: {len(blank)} feature(s) have no code in {column!r}: features "
            f"{blank[:20]} (1 = first feature). Fix: fill in the codes, or name another code "
            "field with code_field=."
        )
    if dup := sorted(codes[codes.duplicated()].unique()):
        raise BoundaryFileError(
            f"{path.name!r}: {len(dup)} code(s) in {column!r} are used by several features: "
            f"{dup[:20]}; expected one feature per unit. Fix: name another code field with "
            f"code_field= (columns: {columns}), or dissolve the features of each unit into one."
        )
    return codes, column


def _file_errors(load):
    """Raise BoundaryFileError for a file GDAL, PROJ, GEOS or pandas fail on; warnings as notes."""

    @functools.wraps(load)
    def checked(path, **options):
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", RuntimeWarning)  # GDAL's, e.g. a ring not closed
                units, report = load(path, **options)
        except (RuntimeError, OSError, ValueError, TypeError, shapely.errors.GEOSException) as exc:
            name = Path(path).name
            if isinstance(exc, MinemapError):  # a message of ours: say which file it is about
                raise exc if name in str(exc) else BoundaryFileError(f"{name!r}: {exc}") from None
            why = f"cannot read {name!r} as a vector file ({str(exc)[:300]})"
            raise BoundaryFileError(f"{why}: expected {_VECTOR}. Fix: export it to one.") from None
        report.notes += [f"while reading: {w.message}" for w in caught]
        return units, report

    return checked


@_file_errors
def load_boundaries(path, *, level=None, code_field: str | None = None, name_fields=None,
                    country: str | None = None, layer: str | None = None,
                    name: str | None = None, encoding: str | None = None,
                    inherit: bool = True, credit: str | None = None,
                    ) -> tuple[BoundarySet, ValidationReport]:  # fmt: skip
    """Read a boundary file as a boundary set, validated.

    Parameters
    ----------
    path : str or pathlib.Path
        GeoPackage, Shapefile (or a .zip holding one), GeoJSON, KML...
    level, code_field, name_fields : optional
        ``"admin1"`` (or ``1``), the column of unit codes, the columns of names
        (display name first): from the schema by default, needed otherwise.
    country : str, optional
        ISO alpha-3 code of the country when the file gives none (error if it
        gives another).
    layer : str, optional
        Layer to read; needed when the file has several layers of polygons.
    name : str, optional
        Name of the set; default the file name without extensions.
    encoding : str, optional
        Encoding of the file's text (a shapefile's .dbf); by default its .cpg
        file's, else UTF-8 when GDAL's ISO-8859-1 reading shows UTF-8 bytes.
    inherit : bool
        Let admin-1 units that are units of the embedded set (by overlap) also
        answer to its names and codes (:func:`geo.boundary_knowledge.inherit`); False: the file's
        own names and codes only.
    credit : str, optional
        The set's credit and licence as maps show it; by default the
        publisher's licence for a recognised schema (:data:`LICENCES`).

    Returns
    -------
    (BoundarySet, ValidationReport)
        Units in EPSG:4326 with ``code``, ``name``, ``country`` and the file's
        columns (``code``, ``name``, ``country`` of the file become ``*_file``),
        invalid geometry repaired; and what :func:`validate` found.

    Raises
    ------
    BoundaryFileError
        When the file cannot be used as it is; the message says why and the fix.

    Examples
    --------
    >>> import tempfile, geo
    >>> path = Path(tempfile.mkdtemp()) / "geo.gpkg"
    >>> geo.admin1(["GEO"]).rename(columns={"code": "unit_code"}).to_file(path)
    >>> units, report = load_boundaries(path, level="admin1", code_field="unit_code",
    ...                                 name_fields=["name", "name_en"], country="GEO")
    >>> len(units.frame), units.frame["code"].iloc[0][:3], report.ok, units.level
    (12, 'GE-', True, 'admin1')
    """
    path, notes = Path(path), []
    frame, layer = _read(path, layer, notes, encoding)
    columns = [c for c in frame.columns if c != frame.geometry.name]
    schema = detect_schema(columns, level=None if level is None else int(_level_name(level)[5:]))
    if code_field is None and schema["code_field"] is None:
        found = f"{schema['schema']} schema, levels {schema['levels']}" if schema["schema"] else ""
        raise BoundaryFileError(
            f"{path.name!r}: no code column known ({found or 'schema not recognised'}); expected "
            "HDX COD-AB ADM1_PCODE..., geoBoundaries shapeISO/shapeName or GADM GID_1/NAME_1...; "
            f"columns found: {columns}. Fix: pass level= of the file, or name the fields, e.g. "
            "code_field='pcode', name_fields=['name_en']."
        )
    if missing := [c for c in [code_field, *(name_fields or [])] if c and c not in columns]:
        raise BoundaryFileError(
            f"{path.name!r} has no column(s) {missing}; columns found: {columns}. "
            "Fix: name columns of the file in code_field= and name_fields=."
        )
    codes, code_col = _codes(frame, schema, code_field, columns, path)
    names = list(name_fields or schema["name_fields"] or [code_col])
    if schema["schema"] == "GADM":  # GADM writes "NA" for a missing name
        frame[names] = frame[names].mask(frame[names] == "NA", "")
    display = codes.copy()  # the first name that is not empty, else the code
    for column in reversed(names):
        display = _text(frame[column]).where(_text(frame[column]) != "", display)
    unit_country = _country_column(frame, schema["country_field"], country, path, notes)
    level_field = schema["level_field"]
    levels = sorted(set(_text(frame[level_field])) - {""}) if level_field else []
    if level is None and schema["level"] is None and len(levels) != 1:
        raise BoundaryFileError(
            f"{path.name!r}: the admin level of the units is not known (level=None; levels in the "
            f"file: {levels}). Fix: pass level='admin1' (or the level of the units)."
        )
    clash = {c: f"{c}_file" for c in ("code", "name", "country") if c in columns}
    frame = frame.rename(columns=clash)
    frame.insert(0, "code", codes.to_numpy())
    frame.insert(1, "name", display.to_numpy())
    frame.insert(2, "country", unit_country.to_numpy())
    geometry, report = validate(frame)
    report.notes[:0] = notes
    source = f"user boundaries {path.name}, layer {layer!r}, "
    source += f"{schema['schema']} schema" if schema["schema"] else "fields named by the user"
    licence = credit if credit is not None else knowledge.LICENCES.get(schema["schema"])
    dated = [c for c in columns if c.lower() in ("validon", "date") and frame[c].nunique() == 1]
    if schema["schema"] == "HDX COD-AB" and dated:
        source += f", valid on {str(frame[dated[0]].iloc[0])[:10]}"
    code_fields = [code_col, *schema["code_fields"]]
    level_name = _level_name(level if level is not None else schema["level"] or levels[0])
    if schema["code_fallback"] and code_field is None:
        empty = int((_text(frame[f"{schema['code_field']}"]) == "").sum()) if (
            schema["code_field"] in frame.columns) else 0  # fmt: skip
        if empty:
            report.notes.append(
                f"{empty} unit(s) have no {schema['code_field']}: their "
                f"{schema['code_fallback']} is their code (an id, not an ISO code)"
            )
    frame = frame.set_geometry(geometry)
    knowledge.shared_names(frame, report)
    knowledge.placeholder_codes(frame, code_col, report)
    knowledge.outside_country(frame, report)
    inherited = ([], [])
    if inherit and level_name == "admin1":
        inherited = knowledge.inherit(frame, level_name, report)
    if level_name not in ("admin0", "admin1"):
        knowledge.parents(frame, columns, report)
        knowledge.vintage(frame, level_name, report)
    return BoundarySet(
        name=name or re.sub(r"(\.(zip|shp|gpkg|geojson|json|kml))+$", "", path.name, flags=re.I),
        level=level_name,
        frame=frame,
        source=source + f" (code {code_col})" + (f"; {licence}" if licence else ""),
        code_fields=tuple(dict.fromkeys(["code", *(clash.get(c, c) for c in code_fields),
                                         *inherited[0]])),
        name_fields=tuple(dict.fromkeys(["name", *(clash.get(c, c) for c in names),
                                         *inherited[1]])),
    ), report  # fmt: skip


def _overlaps(codes, geoms, keep, tree, tolerance) -> list[Finding]:
    first, second = tree.query(geoms[keep], predicate="intersects")
    a, b = keep[first[first < second]], keep[second[first < second]]
    shared = shapely.intersection(geoms[a], geoms[b])
    found = []
    for k in np.flatnonzero(shapely.area(shared) > 0):
        part = _polygonal(shared[k])
        if (area := area_km2(part)) > tolerance:
            at = shapely.point_on_surface(part)
            pair = (codes[a[k]], codes[b[k]])
            found.append(Finding("overlap", pair, "units overlap", area, (at.x, at.y)))
    return found


def _gaps(codes, geoms, keep, tree, tolerance) -> list[Finding]:
    """Holes in the union of all units that are not holes of one unit."""
    union = shapely.union_all(geoms[keep])
    holes = [Polygon(r) for p in shapely.get_parts(union) for r in p.interiors]
    own = [Polygon(r) for g in geoms[keep] for p in shapely.get_parts(g) for r in p.interiors]
    own_tree, found = shapely.STRtree(own), []
    for hole in holes:
        at = shapely.point_on_surface(hole)
        # A hole of the union inside a hole of a unit is that hole when as large.
        if any(math.isclose(own[i].area, hole.area, rel_tol=1e-9) for i in own_tree.query(at)):
            continue
        if (area := area_km2(hole)) > tolerance:
            around = tuple(sorted(codes[keep[i]] for i in tree.query(hole, predicate="intersects")))
            what = "gap between units (a hole in their union that no unit has)"
            found.append(Finding("gap", around, what, area, (at.x, at.y)))
    return found


def validate(units: BoundarySet | gpd.GeoDataFrame, *,
             overlap_tolerance_km2: float = OVERLAP_TOLERANCE_KM2,
             gap_tolerance_km2: float = GAP_TOLERANCE_KM2,
             ) -> tuple[gpd.GeoSeries, ValidationReport]:  # fmt: skip
    """Repair units (EPSG:4326, with ``code``); report invalid or empty geometry, overlaps, gaps.

    Returns the repaired geometry (2D, polygonal) and a :class:`ValidationReport`.
    Invalid geometry is repaired with :func:`shapely.make_valid` (polygonal parts
    kept) and reported with :func:`shapely.is_valid_reason`. Pairs of units are
    found with an STRtree. Gaps are holes in the union of the units that no unit
    has (a lake inside one unit is none); a sliver open to the outside is not a
    hole and is not found. Areas are geodesic (:func:`geo.area.area_km2`);
    overlaps and gaps of at most the tolerances (km²) are not reported.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> frame = gpd.GeoDataFrame({"code": ["A", "B"]},
    ...                          geometry=[box(0, 0, 1, 1), box(0.9, 0, 2, 1)], crs=4326)
    >>> [(f.codes, round(f.area_km2)) for f in validate(frame)[1].overlaps]
    [(('A', 'B'), 1231)]
    """
    frame = units.frame if isinstance(units, BoundarySet) else units
    if frame.crs is None or frame.crs.to_epsg() != 4326:
        raise BoundaryFileError(
            f"units to validate are in CRS {frame.crs}: expected EPSG:4326. "
            "Fix: reproject them first with .to_crs(4326)."
        )
    codes = _text(frame["code"]).tolist()
    geoms = shapely.force_2d(np.asarray(frame.geometry.values))
    wrong = np.flatnonzero(~np.isin(shapely.get_type_id(geoms), [-1, 3, 6, 7]))
    if len(wrong):  # -1, 3, 6, 7: missing, polygon, multipolygon, collection
        raise BoundaryFileError(
            f"{len(wrong)} unit(s) are {sorted(set(frame.geom_type.iloc[wrong]))}, not polygons "
            f"(codes {[codes[i] for i in wrong[:5]]}...). Fix: read the layer of polygons (layer=)."
        )
    report = ValidationReport(len(codes), overlap_tolerance_km2=overlap_tolerance_km2,
                              gap_tolerance_km2=gap_tolerance_km2)  # fmt: skip
    repaired = geoms.copy()
    for i in np.flatnonzero(~shapely.is_valid(geoms) & ~shapely.is_missing(geoms)):
        repaired[i] = _polygonal(shapely.make_valid(geoms[i]))
        what = f"invalid geometry ({shapely.is_valid_reason(geoms[i])}) repaired with "
        what += "shapely.make_valid, polygonal parts kept; area after repair"
        report.invalid.append(Finding("invalid", (codes[i],), what, area_km2(repaired[i])))
    for i in np.flatnonzero(shapely.get_type_id(repaired) == 7):  # valid collection
        repaired[i] = _polygonal(repaired[i])
    for i in np.flatnonzero(shapely.is_missing(repaired) | shapely.is_empty(repaired)):
        report.empty.append(Finding("empty", (codes[i],), "empty geometry", 0.0))
        repaired[i] = Polygon()
    keep = np.flatnonzero(~shapely.is_empty(repaired))
    tree = shapely.STRtree(repaired[keep])
    report.overlaps = _overlaps(codes, repaired, keep, tree, overlap_tolerance_km2)
    report.gaps = _gaps(codes, repaired, keep, tree, gap_tolerance_km2)
    return gpd.GeoSeries(repaired, index=frame.index, crs=4326), report
