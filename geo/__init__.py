"""Where things are: boundaries, groupings, names, gazetteer, areas and joins.

``geo`` knows geometry and measures; it never draws (see ``maps``).
"""

from geo.area import area_km2, country_area_km2, share_of_unit, to_km2, unit_area_km2
from geo.boundaries import BOUNDARY_VERSION, admin0, admin1, display_geometry, units
from geo.errors import (
    GroupingError,
    MinemapError,
    PlaceNotFoundError,
    RecordError,
    UnitNotFoundError,
)
from geo.gazetteer import ATTRIBUTION as GEONAMES_ATTRIBUTION
from geo.gazetteer import Location, locate
from geo.groupings import Composition, composition, composition_for_period, dissolve
from geo.names import Aliases, AmbiguousNameError, Resolution, load_aliases, resolve
from geo.user_boundaries import BoundaryFileError, ValidationReport, load_boundaries

__all__ = [
    "BOUNDARY_VERSION",
    "GEONAMES_ATTRIBUTION",
    "Aliases",
    "AmbiguousNameError",
    "BoundaryFileError",
    "Composition",
    "GroupingError",
    "Location",
    "MinemapError",
    "PlaceNotFoundError",
    "RecordError",
    "Resolution",
    "UnitNotFoundError",
    "ValidationReport",
    "admin0",
    "admin1",
    "area_km2",
    "composition",
    "composition_for_period",
    "country_area_km2",
    "display_geometry",
    "dissolve",
    "load_aliases",
    "load_boundaries",
    "locate",
    "resolve",
    "share_of_unit",
    "to_km2",
    "unit_area_km2",
    "units",
]
