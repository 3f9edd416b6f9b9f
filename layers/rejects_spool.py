"""Rejected rows kept on disk, one file per partition: a cluster's rejects without holding them all.

A layer prepared on a Dask cluster (:mod:`layers.engine`) may reject millions
of rows. The driver takes them from the workers one partition at a time and
writes each partition's rejects to a file of its own in a temporary folder; a
build then writes ``rejects.csv`` from those files in partition order
(:func:`write_rejects_csv`), so the driver holds one partition's rejects at a
time, never the whole layer's. The counts (rows, problems) are kept beside the
files, so that every figure a build reports (rows in = accepted + rejected)
is known without reading them back.
"""

from __future__ import annotations

import shutil
import tempfile
import weakref
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from geo.errors import REJECT_COLUMNS

__all__ = ["SpooledRejects", "rows_rejected", "write_rejects_csv"]


def rows_rejected(rejects: pd.DataFrame) -> int:
    """Rows rejected in a table of problems: a row with several problems counts once.

    Examples
    --------
    >>> rows_rejected(pd.DataFrame({"file": ["a", "a", "b"], "row": [2, 2, 2]}))
    2
    """
    if rejects.empty:
        return 0
    return int(rejects.groupby(["file", "row"], sort=False).ngroups)


@dataclass
class SpooledRejects:
    """A layer's rejects as files of one partition each, in partition order, with their counts.

    Examples
    --------
    >>> spool = SpooledRejects.temporary()
    >>> spool.add(pd.DataFrame({"file": ["p1.csv"], "row": [2], "field": ["date_start"],
    ...                         "value": ["x"], "reason": ["not a date"], "fix": ["a date"]}))
    >>> spool.add(pd.DataFrame(columns=REJECT_COLUMNS))  # a partition with no reject
    >>> spool.rows, spool.problems, len(spool.files)
    (1, 1, 1)
    >>> spool.frame()["row"].tolist()
    [2]
    """

    folder: Path
    files: list[Path] = field(default_factory=list)
    rows: int = 0
    problems: int = 0
    columns: list[str] = field(default_factory=list)

    @classmethod
    def temporary(cls) -> SpooledRejects:
        """Make a spool in a new temporary folder, removed when the spool is no longer used."""
        spool = cls(Path(tempfile.mkdtemp(prefix="minemap-rejects-")))
        weakref.finalize(spool, shutil.rmtree, spool.folder, True)
        return spool

    def add(self, rejects: pd.DataFrame, index: int | None = None) -> None:
        """Keep one partition's rejects (nothing for a partition with none).

        ``index`` is the partition's place in the layer, for partitions taken
        as they finish; the spool reads them back in that order. By default,
        after those already added.
        """
        if rejects.empty:
            return
        index = len(self.files) if index is None else index
        path = self.folder / f"part-{index:09d}.pkl"
        rejects.reset_index(drop=True).to_pickle(path)
        self.files = sorted([*self.files, path])
        self.rows += rows_rejected(rejects)
        self.problems += len(rejects)
        self.columns += [c for c in rejects.columns if c not in self.columns]

    def frames(self) -> Iterator[pd.DataFrame]:
        """Each partition's rejects in turn, in partition order."""
        for path in self.files:
            yield pd.read_pickle(path)

    def frame(self) -> pd.DataFrame:
        """Every reject in one table (for small layers and tests: it holds them all)."""
        parts = list(self.frames())
        if not parts:
            return pd.DataFrame(columns=REJECT_COLUMNS)
        return pd.concat(parts, ignore_index=True)


def write_rejects_csv(path: Path, held: pd.DataFrame, spools: Iterable[SpooledRejects]) -> None:
    """Write ``rejects.csv``: the rejects held in memory, then each spool's partitions in turn.

    Every part is written with the columns of all of them (a column a part
    lacks is empty), cells neutralised as :func:`maps.safetext.csv_text` does.
    """
    from maps.safetext import csv_text

    spools = [s for s in spools if s.files]
    columns = list(held.columns) if len(held.columns) else list(REJECT_COLUMNS)
    for spool in spools:
        columns += [c for c in spool.columns if c not in columns]
    parts = [held] if len(held) or not spools else []
    with path.open("w", encoding="utf-8", newline="") as sink:
        sink.write(csv_text(pd.DataFrame(columns=columns)))
        for part in _chain(parts, spools):
            sink.write(csv_text(part.reindex(columns=columns), header=False))


def _chain(held: list[pd.DataFrame], spools: list[SpooledRejects]) -> Iterator[pd.DataFrame]:
    yield from (p for p in held if len(p))
    for spool in spools:
        yield from spool.frames()
