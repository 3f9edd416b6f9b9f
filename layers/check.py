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
from layers.prepare import BEYOND_EXACT, Prepared, counts_text, prepare
from layers.presets import Rules
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

    left_out: int = 0
    duplicates: int = 0
    disagreements: list[tuple[str, int]] = field(default_factory=list)
    matched: list[tuple[str, int]] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        """Rows rejected (a row with several problems counts once; rows of several files too)."""
        if not len(self.rejects):
            return 0
        return int(self.rejects.groupby(["file", "row"], sort=False).ngroups)

    @classmethod
    def of(cls, path: str, prepared: Prepared) -> CheckResult:
        """Return the result of a prepared layer."""
        return cls(
            path=path, kind=prepared.kind, rows_read=prepared.rows_read,
            accepted=len(prepared.records), rejects=prepared.rejects, fuzzy=prepared.fuzzy,
            mapping=prepared.mapping, unmapped=prepared.unmapped, notes=prepared.notes,
            left_out=prepared.left_out, duplicates=prepared.duplicates,
            disagreements=disagreements(prepared.records),
            matched=beyond_exact(prepared.records),
        )  # fmt: skip

    def counts(self) -> str:
        """Say how many rows were read, left out, accepted, rejected and merged as duplicates."""
        return counts_text(self.rows_read, self.left_out, self.accepted, self.rejected,
                           self.duplicates)  # fmt: skip

    def reasons(self) -> list[tuple[str, str, int]]:
        """(field, reason, rows) counts, most frequent first."""
        if not len(self.rejects):
            return []
        counts = Counter(
            (f, r.split(":")[0].split(" (")[0])
            for f, r in zip(self.rejects["field"], self.rejects["reason"], strict=True)
        )
        return [(f, r, n) for (f, r), n in counts.most_common()]


def beyond_exact(records: pd.DataFrame) -> list[tuple[str, int]]:
    """Count the accepted records whose name found its unit beyond its exact form, by how."""
    if records.empty or "unit_resolved_by" not in records.columns:
        return []
    counts = records["unit_resolved_by"].astype(object).value_counts()
    return [(how, int(counts[how])) for how in BEYOND_EXACT if how in counts.index]


def disagreements(records: pd.DataFrame) -> list[tuple[str, int]]:
    """Count the accepted records whose point and place disagreed, by the rule that settled it.

    Examples
    --------
    >>> frame = pd.DataFrame({"unit_resolved_by": ["name", "point overrode name", "name"],
    ...                       "point_name_distance_km": [None, 12.5, 0.4]})
    >>> for what, n in disagreements(frame):
    ...     print(n, what)
    1 the point overrode the name (the name fits the point's unit too)
    1 the point lies outside the named unit, within 5.0 km: the name kept
    """
    from layers.points import POINT_TOLERANCE_KM, SEA_KM

    if records.empty or "unit_resolved_by" not in records.columns:
        return []
    how = records["unit_resolved_by"].astype(object)
    away = (pd.to_numeric(records["point_name_distance_km"]).fillna(0).gt(0)
            if "point_name_distance_km" in records
            else pd.Series(False, index=records.index))  # fmt: skip
    rules = [
        ("the point overrode the name (the name fits the point's unit too)",
         how.eq("point overrode name")),
        (f"the point lies outside the named unit, within {POINT_TOLERANCE_KM} km: the name kept",
         away & ~how.isin(["point overrode name", "point at sea"])
         & ~how.str.endswith("(flagged)")),
        (f"the point lies at sea, within {SEA_KM} km (12 nautical miles) of the unit given",
         how.eq("point at sea")),
        ("the point lies far from the named unit: flagged, the name kept (point_place = flag)",
         how.str.endswith("(flagged)")),
    ]  # fmt: skip
    return [(what, int(mask.sum())) for what, mask in rules if mask.any()]


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
    rules: Rules | None = None,
    **read_options: object,
) -> CheckResult:
    """Read, validate and resolve a file as a build would; never raise for bad input.

    A file that cannot be read at all gives a result with ``error`` set.
    Rows in = accepted + rejected (+ rows a project's ``where`` leaves out), always.
    """
    try:
        layer = read(path, kind, mapping=mapping, rules=rules, **read_options)
        prepared = prepare(layer, boundary_set=boundary_set, aliases=aliases)
    except MinemapError as err:
        return CheckResult(path=str(path), kind=kind, error=str(err))
    return CheckResult.of(str(path), prepared)
