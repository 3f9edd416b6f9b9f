"""Display labels for the coded values of the layer schemas."""

from __future__ import annotations

from layers.periods import period_label, year_label
from maps.safehtml import fmt_number

__all__ = ["HAZARDS", "PRECISION", "SOURCE_PLACED", "cell_text", "column_label", "columns_worded",
           "figure_text",
           "label", "located_text", "period_label", "year_label"]  # fmt: skip

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


#: Words of column names written otherwise than in lower case (and units in parentheses).
_WORDS = {"km2": "(km²)", "pct": "(%)", "ieds": "IEDs", "sha": "SHA", "cha": "CHA", "id": "ID",
          "iso3": "ISO3", "erw": "ERW"}  # fmt: skip
#: Column names whose words alone would mislead.
_COLUMNS = {"as_of": "As of (source's words)", "unit": "Unit code", "unit_code": "Unit code",
            "name": "Name", "unit_name": "Unit", "records": "Records (ids)"}  # fmt: skip


def column_label(name: object) -> str:
    """Name a table column in words, with its unit ('high_km2' -> 'High (km²)').

    CSV and JSON keep the column names; HTML and Markdown show these labels.

    Examples
    --------
    >>> column_label("regional_low_km2"), column_label("high_share_pct")
    ('Regional low (km²)', 'High share (%)')
    >>> column_label("ieds_destroyed"), column_label("unit_code"), column_label("district")
    ('IEDs destroyed', 'Unit code', 'District')
    """
    text = str(name)
    if text in _COLUMNS:
        return _COLUMNS[text]
    words = [_WORDS.get(w, w) for w in text.split("_") if w]
    if not words:
        return text
    first = words[0]
    words[0] = first[:1].upper() + first[1:] if first == first.lower() else first
    return " ".join(words)


#: Coded values of the schemas a table cell may hold, in words.
_CODES = {**HAZARDS, **{k: v for k, v in PRECISION.items()}}


def cell_text(column: str, text: str) -> str:
    """Write a table cell's coded values in words (hazard types, statuses), else as given.

    Examples
    --------
    >>> cell_text("hazard_types", "ap_mines;erw")
    'Anti-personnel mines; Explosive remnants of war'
    >>> cell_text("status", "remaining_to_clear"), cell_text("place", "Grozny_City")
    ('remaining to clear', 'Grozny_City')
    """
    if column == "without_value":  # "mines: not_known; cmr: none"
        pairs = [part.split(": ", 1) for part in text.split("; ") if part]
        return "; ".join(f"{HAZARDS.get(p[0], label(p[0]))}: {label(p[-1])}" for p in pairs)
    if column in ("hazard_type", "hazard_types"):
        return "; ".join(HAZARDS.get(part, label(part)) for part in text.split(";") if part)
    if column in ("status", "measure", "event_type", "record_type", "statuses", "measures",
                  "event_types") and "_" in text:  # fmt: skip
        return "; ".join(label(part) for part in text.split(";"))
    return text


def columns_worded(text: str, columns) -> str:
    """Write the table's column names in a note as their labels, quoted.

    Examples
    --------
    >>> columns_worded("change_km2: the high figure less the last", ["high_km2", "change_km2"])
    "'Change (km²)': the high figure less the last"
    """
    import re

    names = sorted((str(c) for c in columns if "_" in str(c)), key=len, reverse=True)
    if not names:
        return text
    pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, names)) + r")(?![\w-])")
    return pattern.sub(lambda m: f"'{column_label(m.group(1))}'", text)
