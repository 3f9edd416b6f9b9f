"""Check layer files without drawing: what was read, accepted and rejected, and why.

:func:`check_file` reads, validates and resolves one file exactly as a build
would, and returns the counts, the rejects and the fuzzy matches applied.
``minemap check`` prints them and writes the rejects file.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from geo.boundary_sets import BoundarySet
from geo.errors import REJECT_COLUMNS, MinemapError
from geo.names import Aliases
from layers import kinds
from layers.mapping import ColumnMapping
from layers.prepare import prepare
from layers.read import read

__all__ = ["CheckResult", "check_file", "guess_kind"]


@dataclass
class CheckResult:
    """The outcome of checking one file."""

    path: str
    kind: str | None
    rows_read: int = 0
    accepted: int = 0
    rejects: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=REJECT_COLUMNS))
    fuzzy: list[dict] = field(default_factory=list)
    mapping: dict[str, str] = field(default_factory=dict)
    unmapped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def rejected(self) -> int:
        """Rows rejected (a row with several problems counts once)."""
        return int(self.rejects["row"].nunique()) if len(self.rejects) else 0

    def reasons(self) -> list[tuple[str, str, int]]:
        """(field, reason, rows) counts, most frequent first."""
        if not len(self.rejects):
            return []
        counts = Counter(
            (f, r.split(":")[0].split(" (")[0])
            for f, r in zip(self.rejects["field"], self.rejects["reason"], strict=True)
        )
        return [(f, r, n) for (f, r), n in counts.most_common()]


def guess_kind(path: str | Path) -> str | None:
    """Guess the layer kind from a file's name, if it names exactly one.

    Examples
    --------
    >>> guess_kind("ukraine_incidents_2024.csv"), guess_kind("data.csv")
    ('incidents', None)
    """
    stem = Path(path).stem.lower()
    found = [k for k in kinds.names() if k in stem or k.rstrip("s") in stem]
    return found[0] if len(found) == 1 else None


def check_file(
    path: str | Path,
    kind: str,
    *,
    mapping: ColumnMapping | None = None,
    boundary_set: BoundarySet | None = None,
    aliases: Aliases | None = None,
    **read_options: object,
) -> CheckResult:
    """Read, validate and resolve a file as a build would; never raise for bad input.

    A file that cannot be read at all gives a result with ``error`` set.
    Rows in = accepted + rejected, always.
    """
    result = CheckResult(path=str(path), kind=kind)
    try:
        layer = read(path, kind, mapping=mapping, **read_options)
        prepared = prepare(layer, boundary_set=boundary_set, aliases=aliases)
    except MinemapError as err:
        result.error = str(err)
        return result
    result.rows_read = prepared.rows_read
    result.accepted = len(prepared.records)
    result.rejects = prepared.rejects
    result.fuzzy = prepared.fuzzy
    result.mapping = layer.mapping
    result.unmapped = layer.unmapped
    result.notes = layer.notes
    return result
