"""Exceptions raised by minemap, named after the domain object that is wrong.

Every message says what was received, what was expected and how to fix it;
:class:`RecordError` also carries the file, row and field of the bad value.
"""

from __future__ import annotations

__all__ = [
    "GroupingError",
    "MinemapError",
    "PlaceNotFoundError",
    "RecordError",
    "UnitNotFoundError",
]


class MinemapError(Exception):
    """Base class of every error minemap raises on purpose."""


class UnitNotFoundError(MinemapError, LookupError):
    """A unit code or name does not match any boundary unit."""


class PlaceNotFoundError(MinemapError, LookupError):
    """A place name is not in the gazetteer (within the country given)."""


class GroupingError(MinemapError, ValueError):
    """A grouping is unknown, or its composition is not defined for a date."""


class RecordError(MinemapError, ValueError):
    """A value in an input record is wrong.

    Parameters
    ----------
    file : str
        File the record was read from.
    row : int or None
        Row number in that file (1 is the header row of a CSV file).
    field : str or None
        Column (field) holding the bad value.
    value : object
        The value received.
    reason : str
        What is wrong, including what was expected.
    fix : str
        What would fix it.
    """

    def __init__(
        self,
        file: str,
        row: int | None,
        field: str | None,
        value: object,
        reason: str,
        fix: str,
    ) -> None:
        self.file = file
        self.row = row
        self.field = field
        self.value = value
        self.reason = reason
        self.fix = fix
        where = file
        if row is not None:
            where += f", row {row}"
        if field is not None:
            where += f", field {field!r}"
        super().__init__(f"{where}: {reason} (got {value!r}). Fix: {fix}")
