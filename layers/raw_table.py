"""What reading a file gives before validation (:class:`RawTable`), and the error when it cannot.

:mod:`layers.formats` reads every format into a :class:`RawTable`; a file
that cannot be read at all raises :class:`FileReadError`.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from geo.errors import MinemapError

__all__ = ["FileReadError", "RawTable"]


class FileReadError(MinemapError, ValueError):
    """A file that cannot be read at all.

    Parameters
    ----------
    file : str
        The file as given.
    reason : str
        What is wrong, with what was received and what is accepted.
    fix : str
        What would fix it.

    Examples
    --------
    >>> str(FileReadError("a.csv", "no data rows", "add rows below the header"))
    'a.csv: no data rows. Fix: add rows below the header'
    """

    def __init__(self, file: str, reason: str, fix: str) -> None:
        self.file, self.reason, self.fix = file, reason, fix
        super().__init__(f"{file}: {reason}. Fix: {fix}")


@dataclass(eq=False)
class RawTable:
    """The rows of one table of a file, as text, before any validation.

    Attributes
    ----------
    path : str
        The file given.
    source : str
        What was read, e.g. ``"hazards.gpkg, layer 'sha'"``.
    frame : pandas.DataFrame
        One row per data row or feature; the file's columns, names and order
        kept (a GeoPackage's fid first; GeoJSON's integer feature ids as
        ``id``); every cell a str (``''`` when empty); no geometry column.
    row_numbers : list of int
        Number a user sees for each row: the spreadsheet row for CSV and Excel
        (header row 1; an HXL hashtag row is row 2); blank rows are left out but
        counted. For vector formats, the feature number from 1.
    geometry : geopandas.GeoSeries or None
        Geometry in EPSG:4326, index aligned with ``frame``; missing or empty
        geometries are None. None when the table has no geometry column.
    crs : str or None
        CRS the coordinates were in (``'EPSG:3857'``, or a CRS name): the
        file's, else the ``crs=`` given; None when neither says.
    hxl_tags : dict of str to str
        Column -> normalised HXL hashtag; ``{}`` when the file is not HXL.
    encoding : str or None
        Encoding a CSV file was decoded with (or given for a shapefile).
    format : str
        One of :data:`FORMATS`.
    notes : tuple of str
        What the reader said about the file that a user should know (GDAL's
        warnings, such as a ring it could not close), once each.
    """

    path: str
    source: str
    frame: pd.DataFrame
    row_numbers: list[int]
    geometry: gpd.GeoSeries | None
    crs: str | None
    hxl_tags: dict[str, str]
    encoding: str | None
    format: str
    notes: tuple[str, ...] = ()
