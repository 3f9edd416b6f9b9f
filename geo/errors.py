"""Exceptions raised by minemap, named after the domain object that is wrong.

Every message says what was received, what was expected and how to fix it;
:class:`RecordError` also carries the file, row and field of the bad value.
"""

from __future__ import annotations

__all__ = [
    "REJECT_COLUMNS",
    "GroupingError",
    "MinemapError",
    "OptionError",
    "OutputError",
    "PlaceNotFoundError",
    "RecordError",
    "UnitNotFoundError",
    "reject",
]

#: Columns of a rejects table; the rejected row's own columns follow, each
#: prefixed with ``original.``.
REJECT_COLUMNS = ["file", "row", "record_id", "field", "received", "reason", "fix"]


def reject(
    file: str, row: object, field: str, received: object, reason: str, fix: str, original: dict
) -> dict:
    """One row of a rejects table: where, what was received, why, how to fix, the row itself.

    Examples
    --------
    >>> r = reject("a.csv", 3, "value", "x", "expected a number", "write a number",
    ...            {"record_id": "r1", "value": "x"})
    >>> r["row"], r["record_id"], r["original.value"]
    (3, 'r1', 'x')
    """
    return {
        "file": file,
        "row": row,
        "record_id": original.get("record_id", ""),
        "field": field,
        "received": received,
        "reason": reason,
        "fix": fix,
        **{f"original.{k}": v for k, v in original.items() if k != "row"},
    }


class MinemapError(Exception):
    """Base class of every error minemap raises on purpose."""


class OptionError(MinemapError, ValueError):
    """An option of a command or function is not one that minemap accepts."""


class OutputError(MinemapError, OSError):
    """An output cannot be written: the folder is not minemap's, read-only, or the disk full."""


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
