"""Map a file's columns to a layer schema: by name, by HXL hashtag, or explicitly.

Users' files name their columns as they please ("Oblast", "area_ha", "lat",
"#adm1+code"). :func:`map_columns` finds, for every schema field, the column
that holds it, in this order: an explicit mapping (from a project file), the
field's own name, an HXL hashtag, a known synonym. A column whose name carries
an area unit (``area_ha``, ``area_sq_mi``) also sets ``value_unit``. Constants
given for a whole file (``country = "UKR"``) give the field for every row, over a
column of the same name (a note says how many of its cells differed).
Columns that map to no field are listed, never dropped silently.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from geo.errors import RecordError
from layers.schema import Schema

__all__ = ["HXL_FIELDS", "SYNONYMS", "ColumnMapping", "column_key", "map_columns"]

#: Extra fields a user file may carry besides the schema's: point coordinates
#: and geometry as WKT. They are read into geometry, not kept as fields.
GEOMETRY_FIELDS = ("latitude", "longitude", "wkt")

#: Common column names (after :func:`column_key`) for schema fields.
SYNONYMS: dict[str, str] = {
    "id": "record_id", "record id": "record_id", "uid": "record_id", "event id": "record_id",
    "hazard id": "record_id", "incident id": "record_id",
    "location": "place", "place name": "place", "region": "place", "oblast": "place",
    "province": "place", "governorate": "place", "district": "place", "admin1": "place",
    "adm1": "place", "adm1 name": "place", "adm1 en": "place", "region name": "place",
    "iso3": "country", "country code": "country", "country iso3": "country",
    "adm0 pcode": "country",
    "iso 3166 2": "unit_code", "iso code": "unit_code", "pcode": "unit_code", "p code": "unit_code",
    "adm1 pcode": "unit_code", "unit": "unit_code", "admin code": "unit_code",
    "area": "value", "size": "value", "value km2": "value",
    "unit of area": "value_unit", "area unit": "value_unit",
    "hazard": "hazard_type", "contamination type": "hazard_type", "threat": "hazard_type",
    "date": "date_start", "event date": "date_start", "start date": "date_start",
    "end date": "date_end", "year": "as_of", "period": "as_of", "reporting period": "as_of",
    "deaths": "killed", "fatalities": "killed", "dead": "killed", "injuries": "injured",
    "wounded": "injured", "casualty": "casualties", "total casualties": "casualties",
    "device type": "device", "item": "device", "reference": "source", "citation": "source",
    "lat": "latitude", "y": "latitude", "lon": "longitude", "lng": "longitude", "long": "longitude",
    "x": "longitude", "geometry wkt": "wkt", "geom": "wkt", "the geom": "wkt",
}  # fmt: skip

#: HXL hashtags (normalised, attributes sorted) for schema fields.
HXL_FIELDS: dict[str, str] = {
    "#meta+id": "record_id", "#event+id": "record_id", "#id": "record_id",
    "#adm1+name": "place", "#loc+name": "place", "#adm2+name": "place",
    "#adm1+code": "unit_code", "#adm1+pcode": "unit_code",
    "#country+code": "country", "#country+code+iso3": "country", "#country+iso3": "country",
    "#geo+lat": "latitude", "#geo+lon": "longitude", "#geo+wkt": "wkt",
    "#date": "date_start", "#date+start": "date_start", "#date+end": "date_end",
    "#affected+killed": "killed", "#affected+injured": "injured",
    "#affected+casualties": "casualties", "#affected+children": "children",
    "#meta+source": "source", "#meta+url": "source", "#event+type": "event_type",
    "#description": "note", "#meta+note": "note",
}  # fmt: skip

# Area units a column name may end with, and the schema's unit code for them.
_AREA_SUFFIXES = {
    "km2": "km2", "sq km": "km2", "sqkm": "km2", "km 2": "km2", "km²": "km2",
    "ha": "ha", "hectares": "ha", "hectare": "ha",
    "m2": "m2", "sq m": "m2", "sqm": "m2", "m²": "m2", "square metres": "m2", "square meters": "m2",
    "sq mi": "sq_mi", "sqmi": "sq_mi", "square miles": "sq_mi", "mi2": "sq_mi",
    "acres": "acre", "acre": "acre", "ac": "acre",
    "га": "ha", "км2": "km2", "км²": "km2", "кв км": "km2", "м2": "m2", "кв м": "m2",
}  # fmt: skip
_AREA_WORDS = ("area", "size", "value", "contaminated", "hazard area", "planned", "cleared",
               "площадь", "площа")  # fmt: skip


def column_key(name: str) -> str:
    """Fold a column name for matching: case, accents, separators.

    Examples
    --------
    >>> column_key("  Area_HA "), column_key("ADM1_PCODE"), column_key("Площадь, га")
    ('area ha', 'adm1 pcode', 'площадь га')
    """
    text = unicodedata.normalize("NFKC", str(name)).casefold().strip()
    return re.sub(r"[\s_\-./(),:;]+", " ", text).strip()


@dataclass(frozen=True)
class ColumnMapping:
    """How a file's columns map to schema fields.

    Attributes
    ----------
    fields : dict
        Schema field -> file column (or HXL hashtag, written ``#tag+attr``).
    constants : dict
        Schema field -> value for every row (e.g. ``{"country": "UKR"}``).
    """

    fields: Mapping[str, str] = field(default_factory=dict)
    constants: Mapping[str, str] = field(default_factory=dict)


@dataclass
class Mapped:
    """A file's rows with schema field names, and how each field was found."""

    frame: pd.DataFrame
    how: dict[str, str]
    unmapped: list[str]
    notes: list[str] = field(default_factory=list)


def _area_unit(key: str) -> str | None:
    for suffix, unit in sorted(_AREA_SUFFIXES.items(), key=lambda kv: -len(kv[0])):
        if key.endswith(" " + suffix) or key == suffix:
            stem = key[: -len(suffix)].strip()
            if not stem or any(stem.startswith(w) or stem.endswith(w) for w in _AREA_WORDS):
                return unit
    return None


def _known_field(
    target: str, value: object, wanted: set[str], sch: Schema, path: str, what: str
) -> None:
    if target not in wanted:
        raise RecordError(
            path, None, target, value,
            f"{what} {target!r}, which is not a field of the {sch.kind} layer",
            f"use one of {sorted(wanted)}",
        )  # fmt: skip


def map_columns(
    frame: pd.DataFrame,
    sch: Schema,
    *,
    path: str,
    hxl_tags: Mapping[str, str] | None = None,
    mapping: ColumnMapping | None = None,
    synonyms: bool = True,
) -> Mapped:
    """Rename a file's columns to the schema's fields.

    Parameters
    ----------
    frame : pandas.DataFrame
        The file's rows, every cell a string, original column names.
    sch : Schema
        Schema of the layer kind.
    path : str
        File name, for error messages.
    hxl_tags : mapping, optional
        Column -> normalised HXL hashtag, for HXL-tagged files.
    mapping : ColumnMapping, optional
        Explicit mapping and constants (from a project file).
    synonyms : bool
        Find fields by common column names (:data:`SYNONYMS`); off when a
        source preset says which column is which (ACLED's ``year`` is no
        ``as_of``).

    Raises
    ------
    RecordError
        An explicit mapping names a column (or hashtag) the file does not have,
        or two columns claim one field.

    Examples
    --------
    >>> from layers.schema import schema
    >>> raw = pd.DataFrame({"Oblast": ["Kharkiv"], "Area (ha)": ["12.5"]})
    >>> m = map_columns(raw, schema("contamination"), path="x.csv")
    >>> m.frame[["place", "value", "value_unit"]].values.tolist()
    [['Kharkiv', '12.5', 'ha']]
    >>> m.how["value_unit"]
    "from the column name 'Area (ha)'"
    """
    mapping = mapping or ColumnMapping()
    tags = dict(hxl_tags or {})
    by_tag = {tag: col for col, tag in tags.items()}
    wanted = set(sch.names) | set(GEOMETRY_FIELDS)
    chosen: dict[str, str] = {}
    how: dict[str, str] = {}
    for target, source in mapping.fields.items():
        _known_field(target, source, wanted, sch, path, "the mapping names")
        column = by_tag.get(source) if source.startswith("#") else source
        if column not in frame.columns:
            raise RecordError(
                path, 1, target, source,
                f"the mapping for {target!r} names a column the file does not have",
                f"use one of the file's columns: {list(frame.columns)}",
            )  # fmt: skip
        chosen[target] = column
        how[target] = f"mapped from {source!r}"
    units_from_names: dict[str, str] = {}
    fields = sorted(wanted)

    def same_name(column: str, key: str) -> tuple[str | None, str]:
        snake = key.replace(" ", "_")
        if snake in wanted:
            return snake, "same name"
        # Shapefiles cut column names to 10 characters ("hazard_typ").
        if len(column) == 10:
            longer = [f for f in fields if f.startswith(snake) and len(f) > 10]
            if len(longer) == 1:
                return longer[0], f"Shapefile name {column!r} (cut to 10 characters)"
        return None, ""

    def by_tag(column: str, _key: str) -> tuple[str | None, str]:
        tag = tags.get(column)
        return (HXL_FIELDS[tag], f"HXL hashtag {tag}") if tag in HXL_FIELDS else (None, "")

    def by_synonym(column: str, key: str) -> tuple[str | None, str]:
        if key in SYNONYMS:
            return SYNONYMS[key], f"column {column!r}"
        unit = _area_unit(key)
        if unit is not None:
            units_from_names[column] = unit
            return "value", f"column {column!r}"
        return None, ""

    # Tiers: a column named like the field wins over a hashtag, which wins
    # over a synonym; two columns of the same tier for one field are an error.
    for tier in (same_name, by_tag, by_synonym) if synonyms else (same_name, by_tag):
        found: dict[str, str] = {}
        for column in frame.columns:
            if column in chosen.values():
                continue
            target, reason = tier(column, column_key(column))
            if target is None or target not in wanted or target in chosen:
                continue
            if target in found:
                raise RecordError(
                    path, 1, target, [found[target], column],
                    f"two columns could hold {target!r}",
                    "name the one to use in the project file's column mapping",
                )  # fmt: skip
            found[target] = column
            how[target] = reason
        chosen.update(found)
    out = pd.DataFrame(
        {target: frame[column] for target, column in chosen.items()}, index=frame.index
    )
    value_column = chosen.get("value")
    if value_column in units_from_names and "value_unit" not in chosen:
        out["value_unit"] = units_from_names[value_column]
        how["value_unit"] = f"from the column name {value_column!r}"
    notes = []
    for target, constant in mapping.constants.items():
        _known_field(target, constant, wanted, sch, path, "a constant is given for")
        if target in mapping.fields:
            raise RecordError(
                path, None, target, [mapping.fields[target], constant],
                f"both a column ({mapping.fields[target]!r}) and a constant ({constant!r}) are "
                f"given for {target!r}",
                "keep one of them in the project file",
            )  # fmt: skip
        if target in out.columns:
            cells = out[target].fillna("").astype(str).str.strip()
            other = cells.ne("") & cells.ne(str(constant))
            if other.any():  # the constant replaces what the file says: say so
                shown = ", ".join(repr(v) for v in pd.unique(cells[other])[:3])
                notes.append(
                    f"{target}: the constant {constant!r} is used for every row, over column "
                    f"{chosen[target]!r}, whose {int(other.sum()):,} cell(s) said otherwise "
                    f"({shown}); to keep the file's values, remove the constant"
                )
            how[target] = f"constant {constant!r} (over column {chosen[target]!r})"
        else:
            how[target] = f"constant {constant!r}"
        out[target] = str(constant)
    unmapped = [c for c in frame.columns if c not in chosen.values()]
    return Mapped(frame=out, how=how, unmapped=unmapped, notes=notes)
