"""Embedded admin-1 codes that a join cannot trust, read from ``geo/data/admin1_audit.csv``.

Natural Earth's admin-1 file gives some units placeholder codes (``RU-X01~``,
``-99-X04~``), gives one code to several features (``AF-PAR`` is both Parwan
and Panjshir), stands one code for several real units (``BA-BIH`` is nine
cantons of the Federation of Bosnia and Herzegovina) or gives a unit another
unit's code (``BA-SRP``, Republika Srpska's code, is on Posavina canton). The
audit file lists them with a reason and whether a record may be joined on the
code; ``geo/data/make_admin1_audit.py`` recomputes it when the data changes.

This module only reads the CSV (standard library, no geometry), so any part of
:mod:`geo` can ask it.
"""

from __future__ import annotations

import csv
from functools import cache
from importlib.resources import files

__all__ = ["flagged_units", "refusal"]

#: What a user can do instead, said after the reason of every refusal.
_FIX = (
    "Give the unit you mean with a user boundary set (geo.load_boundaries), whose codes "
    "are joined as they are."
)


@cache
def _rows() -> dict[str, dict[str, str]]:
    """Rows of the audit file by code, read once."""
    with (files("geo") / "data" / "admin1_audit.csv").open(encoding="utf-8", newline="") as f:
        return {row["code"]: row for row in csv.DictReader(f)}


@cache
def flagged_units() -> dict[str, tuple[str, str]]:
    """Return every flagged embedded admin-1 code with its problem and reason.

    Returns
    -------
    dict of str to (str, str)
        Code -> (problem, reason). The problem is ``placeholder``, ``duplicate``
        (several features share the code), ``merged`` (one unit stands for
        several real units) or ``wrong_code`` (the unit carries another unit's
        ISO 3166-2 code). The dict is cached: do not change it.

    Examples
    --------
    >>> flagged_units()["BA-BIH"][0]
    'merged'
    >>> flagged_units()["AF-PAR"][0], flagged_units()["RU-X01~"][0]
    ('duplicate', 'placeholder')
    >>> "UA-14" in flagged_units()
    False
    """
    return {code: (row["problem"], row["reason"]) for code, row in _rows().items()}


def refusal(code: str) -> str | None:
    """Return the sentence to show when a record joins onto a unit that is not joinable.

    Parameters
    ----------
    code : str
        An embedded admin-1 code.

    Returns
    -------
    str or None
        Why nothing can be joined on the code and what to do instead, for a
        code whose audit row says ``joinable`` ``no``; None for any other code,
        including duplicates where the audit names the feature that keeps the
        code or says all the features together are the unit.

    Examples
    --------
    >>> refusal("BA-BIH").startswith("Natural Earth's unit BA-BIH stands for 9 cantons")
    True
    >>> "a user boundary set" in refusal("BA-BIH")
    True
    >>> refusal("UA-14") is None, refusal("IE-D") is None
    (True, True)
    """
    row = _rows().get(code)
    if row is None or row["joinable"] != "no":
        return None
    return f"{row['reason']} {_FIX}"
