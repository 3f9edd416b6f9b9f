"""A layer's partitions: each of its files, and a large Parquet file by runs of its row groups.

The Dask engine (:mod:`layers.engine`) prepares a task per partition. A file
of a glob or folder is one; a (Geo)Parquet file of several row groups is cut
into runs of whole row groups, read with ``row_groups=`` by
:func:`layers.formats.read_table` (rows keep their numbers in the file).
"""

from __future__ import annotations

from pathlib import Path

from layers.project import LayerSpec

__all__ = ["partition_items"]


def partition_items(spec: LayerSpec, partition_rows: int) -> list[tuple[Path, tuple | None]]:
    """Split a layer into partitions: each file, and a Parquet file by its row groups.

    A Parquet file of several row groups is cut into runs of whole row groups
    of at least ``partition_rows`` rows (the last may be smaller); a partition
    ``(path, (first, stop))`` reads row groups ``first`` to ``stop - 1``, and
    ``(path, None)`` the whole file.
    """
    items = []
    for path in spec.files:
        sizes = _row_group_sizes(path)
        cuts, start, rows = [], 0, 0
        for i, n in enumerate(sizes):
            rows += n
            if rows >= partition_rows or i == len(sizes) - 1:
                cuts.append((start, i + 1))
                start, rows = i + 1, 0
        items += [(path, cut) for cut in cuts] if len(cuts) > 1 else [(path, None)]
    return items


def _row_group_sizes(path: Path) -> list[int]:
    """Rows of each row group of a Parquet file; ``[]`` for other files (and unreadable ones)."""
    if path.suffix.lower() not in (".parquet", ".geoparquet"):
        return []
    import pyarrow.parquet as pq

    try:
        meta = pq.ParquetFile(path).metadata
    except (OSError, ValueError):  # the reader says what is wrong, on a worker
        return []
    return [meta.row_group(i).num_rows for i in range(meta.num_row_groups)]
