"""Display labels for the coded values of the layer schemas."""

from __future__ import annotations

from layers.periods import period_label, year_label
from maps.safehtml import fmt_number

__all__ = ["HAZARDS", "PRECISION", "SOURCE_PLACED", "figure_text", "label", "located_text",
           "period_label", "year_label"]  # fmt: skip

#: IMAS hazard terms for the ``hazard_type`` codes.
HAZARDS = {
    "ap_mines": "Anti-personnel mines",
    "av_mines": "Anti-vehicle mines",
    "mines": "Mines (anti-personnel and anti-vehicle)",
    "cmr": "Cluster munition remnants",
    "erw": "Explosive remnants of war",
    "ied": "Improvised explosive devices",
    "mixed": "Mines and ERW",
    "unknown": "Unknown",
}

#: How a located point was placed.
PRECISION = {
    "exact": "exact coordinates",
    "settlement": "settlement (GeoNames point)",
    "admin1": "region (representative point)",
    "border": "border (midpoint of the shared border)",
    "admin0": "country (representative point)",
}

#: How precisely a source placed coordinates it gives (a preset's precision levels).
SOURCE_PLACED = {
    "exact": "the source's coordinates, of the place named",
    "settlement": "the source's coordinates, near the place named",
    "admin1": "the source's coordinates, standing for a region",
    "admin0": "the source's coordinates, standing for the country",
}


def located_text(rec: dict) -> str:
    """Say how a record is placed: by minemap (a settlement, a region's point) or by its source.

    A record read with a source preset that gives its own precision
    (``source_precision``) and its coordinates is placed by its source.

    Examples
    --------
    >>> located_text({"precision": "settlement", "located_by": "Kharkiv"})
    'settlement (GeoNames point)'
    >>> located_text({"precision": "admin1", "located_by": "coordinates given",
    ...               "source_precision": "ACLED geo_precision 3: a larger region"})
    "the source's coordinates, standing for a region"
    """
    level = rec.get("precision")
    words = rec.get("source_precision")
    by_source = rec.get("located_by") == "coordinates given" and isinstance(words, str) and words
    if by_source and level in SOURCE_PLACED:
        return SOURCE_PLACED[level]
    return PRECISION.get(level, level)


_UNITS = {
    "km2": "km²",
    "ha": "ha",
    "m2": "m²",
    "sq_mi": "sq mi",
    "acre": "acres",
    "percent_of_unit": "% of the unit's area",
    "count": "",
    "tonnes": "tonnes",
}


def label(code: object) -> str:
    """Readable form of a snake_case code.

    Examples
    --------
    >>> label("remaining_to_clear"), label(None)
    ('remaining to clear', '')
    """
    if code is None or code != code:
        return ""
    return str(code).replace("_", " ")


def figure_text(value: object, unit: object, qualifier: object = "") -> str:
    """Write a reported figure as the source gives it: qualifier, value and unit.

    Examples
    --------
    >>> figure_text(100, "km2", "more than")
    'more than 100 km²'
    >>> figure_text(25, "percent_of_unit", "almost")
    "almost 25 % of the unit's area"
    >>> figure_text(None, None)
    ''
    """
    number = fmt_number(value)
    if not number:
        return ""
    unit_text = _UNITS.get(unit, label(unit)) if isinstance(unit, str) else ""
    qual = f"{qualifier} " if isinstance(qualifier, str) and qualifier else ""
    return f"{qual}{number} {unit_text}".strip()
