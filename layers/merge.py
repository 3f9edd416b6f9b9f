"""Several files of one layer as one: overlapping downloads merged, duplicates said once.

An ACLED or UCDP user downloads by period, and periods overlap. A project
layer may name several files (``path = ["a.csv", "b.csv"]``); each is read and
prepared on its own (its rejects name it), then :func:`merge` joins them in
the order given. With ``dedupe_on`` (fields, e.g. ``["record_id"]``) a record
that repeats an earlier one on those fields is left out, the first kept, and
one note says how many, from which files, and how many of them differ in
other fields (a source revising an event), with an example. Without it, a
``record_id`` that an earlier file already has is a reject: two records never
silently count twice.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo.errors import REJECT_COLUMNS, reject
from layers.frames import rejects_frame, rows_of
from layers.prepare import Prepared

__all__ = ["merge"]

# Columns that tell where a record was read, not what it says.
_WHERE = {"row", "file", "source_file", "geometry"}


def _differing(records: pd.DataFrame, dup: np.ndarray, first: np.ndarray) -> tuple[int, str]:
    """How many duplicates differ from the record they repeat, and an example of how."""
    compared = [
        c for c in records.columns if c not in _WHERE and not str(c).startswith("original.")
    ]
    values = records[compared].astype(object)
    texts = values.where(values.notna(), "").astype(str)
    hashes = pd.util.hash_pandas_object(texts, index=False).to_numpy()
    differ = hashes[dup] != hashes[first]
    if not differ.any():
        return 0, ""
    k = int(np.flatnonzero(differ)[0])
    a, b = texts.iloc[first[k]], texts.iloc[dup[k]]
    changed = [f"{c} {a[c]!r} -> {b[c]!r}" for c in compared if a[c] != b[c]][:3]
    return int(differ.sum()), f" (e.g. {records['record_id'].iloc[dup[k]]}: {', '.join(changed)})"


def _first_of(codes: np.ndarray) -> np.ndarray:
    """For each position, the first position with the same code."""
    first = np.full(codes.max() + 1 if len(codes) else 0, len(codes), dtype=np.int64)
    np.minimum.at(first, codes, np.arange(len(codes)))
    return first[codes]


def _merged_overlay(parts: list[Prepared]) -> dict | None:
    """Join the overlays of hazard files: pieces (each tagged with its file), times added."""
    infos = [(p.path, p.records.attrs.get("overlay")) for p in parts]
    infos = [(path, info) for path, info in infos if info]
    if not infos:
        return None
    first = infos[0][1]
    return {
        **first,
        "pieces": pd.concat([info["pieces"].assign(file=path) for path, info in infos],
                            ignore_index=True),
        "seconds": sum(info["seconds"] for _, info in infos),
        "polygons": sum(info["polygons"] for _, info in infos),
        "units": max(info["units"] for _, info in infos),
        "unit_names": {k: v for _, info in infos for k, v in info["unit_names"].items()},
        "unit_countries": {k: v for _, info in infos for k, v in info["unit_countries"].items()},
    }  # fmt: skip


def _without_pieces_of(overlay: dict | None, dropped: pd.DataFrame) -> dict | None:
    """Drop the pieces of the records left out (their file and record_id name them)."""
    if overlay is None or dropped.empty:
        return overlay
    pieces = overlay["pieces"]
    gone = set(zip(dropped["file"].astype(str), dropped["record_id"].astype(str), strict=True))
    keys = zip(pieces["file"].astype(str), pieces["record_id"].astype(str), strict=True)
    return {**overlay, "pieces": pieces[[k not in gone for k in keys]].reset_index(drop=True)}


def merge(parts: list[Prepared], *, dedupe_on: tuple[str, ...] = ()) -> Prepared:
    """Join the prepared files of one layer, in order; see the module docstring.

    Records gain a ``file`` column (the file each was read from).

    Examples
    --------
    >>> import layers
    >>> one = layers.prepare(layers.default("clearance"))
    >>> both = merge([one, one], dedupe_on=("record_id",))
    >>> len(both.records) == len(one.records), both.duplicates == len(one.records)
    (True, True)
    """
    frames = []
    for part in parts:
        records = part.records.copy()
        records.attrs = {}  # a hazard layer's overlay is merged below, not compared by concat
        records["file"] = part.path
        frames.append(records)
    records = pd.concat(frames, ignore_index=True)
    overlay = _merged_overlay(parts)
    records["file"] = records["file"].astype("category")
    notes = [f"{part.path}: {note}" for part in parts for note in part.notes]
    rejects = [p.rejects for p in parts if not p.rejects.empty]
    left_out = sum(p.left_out for p in parts)
    files = records["file"].astype(str).to_numpy(dtype=object)
    duplicates = 0
    if dedupe_on:
        missing = [f for f in dedupe_on if f not in records.columns]
        if missing:
            raise KeyError(missing)
        key = records[list(dedupe_on)].astype(str)
        first_of = _first_of(key.groupby(list(dedupe_on), sort=False).ngroup().to_numpy())
        dup = np.flatnonzero(first_of != np.arange(len(first_of)))
        if len(dup):
            first = first_of[dup]
            pairs = pd.Series(list(zip(files[dup], files[first], strict=True))).value_counts(
                sort=False
            )
            said = "; ".join(f"{n:,} of {a} repeat {b}" for (a, b), n in pairs.items())
            changed, example = _differing(records, dup, first)
            notes.append(
                f"dedupe_on {list(dedupe_on)}: {len(dup):,} record(s) repeat an earlier record "
                f"and were left out, the first kept ({said}); {changed:,} of them differ in "
                f"other fields{example}"
            )
            duplicates = len(dup)
            overlay = _without_pieces_of(overlay, records.iloc[dup])
            records = records.drop(index=dup).reset_index(drop=True)
    else:
        first_row = _first_of(pd.factorize(records["record_id"].astype(str))[0])
        dup = np.flatnonzero(first_row != np.arange(len(first_row)))
        if len(dup):
            rows = records["row"].to_numpy()
            found = [
                reject(files[i], rec.get("row"), "record_id", rec.get("record_id"),
                       f"the record_id is also that of row {rows[first_row[i]]} of "
                       f"{files[first_row[i]]}",
                       'to keep one record of each, write dedupe_on = ["record_id"] in the '
                       "project's layer; else make the ids unique", rec)
                for i, rec in zip(dup.tolist(), rows_of(records.iloc[dup]), strict=True)
            ]  # fmt: skip
            rejects.append(rejects_frame(found))
            overlay = _without_pieces_of(overlay, records.iloc[dup])
            records = records.drop(index=dup).reset_index(drop=True)
    if overlay is not None:
        records.attrs["overlay"] = overlay
    rejected = (pd.concat(rejects, ignore_index=True) if rejects
                else pd.DataFrame(columns=REJECT_COLUMNS))  # fmt: skip
    first = parts[0]
    return Prepared(
        kind=first.kind, path=" + ".join(p.path for p in parts), records=records,
        rejects=rejected, rows_read=sum(p.rows_read for p in parts),
        fuzzy=[m for p in parts for m in p.fuzzy], boundary_set=first.boundary_set, notes=notes,
        left_out=left_out, duplicates=duplicates, preset=first.preset, mapping=first.mapping,
        unmapped=sorted({c for p in parts for c in p.unmapped}),
    )  # fmt: skip
