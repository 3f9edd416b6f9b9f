"""Where things are: boundaries, groupings, names, gazetteer, areas and joins.

``geo`` knows geometry and measures; it never draws (see ``maps``).

Names are loaded from their modules when first used, so that importing one
light module of the package (its errors, say) does not load geopandas.
"""

from __future__ import annotations

import importlib

#: Each exported name -> (module, attribute).
_EXPORTS = {
    "Aliases": ("geo.names", "Aliases"),
    "AmbiguousNameError": ("geo.names", "AmbiguousNameError"),
    "BOUNDARY_VERSION": ("geo.boundaries", "BOUNDARY_VERSION"),
    "BoundaryFileError": ("geo.user_boundaries", "BoundaryFileError"),
    "Composition": ("geo.groupings", "Composition"),
    "GEONAMES_ATTRIBUTION": ("geo.gazetteer", "ATTRIBUTION"),
    "GroupingError": ("geo.errors", "GroupingError"),
    "Location": ("geo.gazetteer", "Location"),
    "MinemapError": ("geo.errors", "MinemapError"),
    "PlaceNotFoundError": ("geo.errors", "PlaceNotFoundError"),
    "RecordError": ("geo.errors", "RecordError"),
    "Resolution": ("geo.names", "Resolution"),
    "UnitNotFoundError": ("geo.errors", "UnitNotFoundError"),
    "ValidationReport": ("geo.user_boundaries", "ValidationReport"),
    "admin0": ("geo.boundaries", "admin0"),
    "admin1": ("geo.boundaries", "admin1"),
    "area_km2": ("geo.area", "area_km2"),
    "composition": ("geo.groupings", "composition"),
    "composition_for_period": ("geo.groupings", "composition_for_period"),
    "country_area_km2": ("geo.area", "country_area_km2"),
    "display_geometry": ("geo.boundaries", "display_geometry"),
    "dissolve": ("geo.groupings", "dissolve"),
    "load_aliases": ("geo.names", "load_aliases"),
    "load_boundaries": ("geo.user_boundaries", "load_boundaries"),
    "locate": ("geo.gazetteer", "locate"),
    "resolve": ("geo.names", "resolve"),
    "share_of_unit": ("geo.area", "share_of_unit"),
    "to_km2": ("geo.area", "to_km2"),
    "unit_area_km2": ("geo.area", "unit_area_km2"),
    "units": ("geo.boundaries", "units"),
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> object:
    """Load an exported name from its module on first use."""
    try:
        module, attr = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
