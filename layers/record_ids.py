"""Record ids checked across the partitions of a layer on a Dask cluster.

The local engine's merge of several files (:func:`layers.merge.merge`)
rejects a record whose ``record_id`` an earlier file has, or leaves it out
with ``dedupe_on = ["record_id"]``. On a cluster no process sees every id:
each partition hashes its accepted ids to 128 bits (:func:`id_hashes`), the
cluster counts them (:func:`repeated_ids`), and only repeated ids reach the
driver; the partitions are then prepared again, each leaving out its later
copies (:func:`without_repeats`).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from layers.prepare import Prepared
from layers.project import LayerSpec

__all__ = ["id_hashes", "ids_frame", "repeated_ids", "repeats_said", "without_repeats"]


def without_repeats(p: Prepared, index: int, repeated: pd.DataFrame, spec: LayerSpec):
    """Take out of ``p`` the records whose id an earlier partition has; say from which file."""
    from geo.errors import reject
    from layers.frames import rejects_frame, rows_of

    records = p.records
    hashes = id_hashes(records)
    first = repeated.reindex(pd.MultiIndex.from_frame(hashes))
    later = first["part"].notna().to_numpy() & ~(
        (first["part"].to_numpy() == index) & (first["row"].to_numpy() == records["row"].to_numpy())
    )
    if not later.any():
        return p, []
    files = first["file"].to_numpy()[later]
    repeats = pd.Series(files).value_counts(sort=False)
    said = [(p.path, str(f), int(n)) for f, n in repeats.items()]
    kept = records[~later].reset_index(drop=True)
    if "overlay" in records.attrs:  # a hazard's pieces go with it
        info = records.attrs["overlay"]
        pieces = info["pieces"]
        gone = set(records["record_id"][later].astype(str))
        kept.attrs = {**records.attrs, "overlay": {
            **info, "pieces": pieces[~pieces["record_id"].astype(str).isin(gone)]}}  # fmt: skip
    if spec.dedupe_on:
        return dataclasses.replace(
            p, records=kept, duplicates=p.duplicates + int(later.sum())
        ), said
    rows = first["row"].to_numpy()[later]
    found = [
        reject(p.path, rec.get("row"), "record_id", rec.get("record_id"),
               f"the record_id is also that of row {int(row)} of {file}",
               'to keep one record of each, write dedupe_on = ["record_id"] in the project\'s '
               "layer; else make the ids unique", rec)
        for rec, row, file in zip(rows_of(records[later]), rows, files, strict=True)
    ]  # fmt: skip
    rejects = pd.concat([p.rejects, rejects_frame(found)], ignore_index=True)
    return dataclasses.replace(p, records=kept, rejects=rejects), []


def id_hashes(records: pd.DataFrame) -> pd.DataFrame:
    """Two 64-bit hashes of each record id (``h1``, ``h2``): 128 bits stand for the id.

    Comparing the hashes, not the ids, keeps 24 bytes per record on the workers
    for the check across partitions; two different ids share both hashes with
    a chance of about 1e-21 in 30 million.
    """
    ids = records["record_id"].astype(str).to_numpy(dtype=object)
    return pd.DataFrame({
        "h1": pd.util.hash_array(ids, hash_key="minemap-ids-0001"),
        "h2": pd.util.hash_array(ids, hash_key="minemap-ids-0002"),
    })  # fmt: skip


def repeated_ids(frames: list, shown: list[str], dask_client) -> pd.DataFrame:
    """Find record ids accepted in more than one partition, and the partition and row of the first.

    ``frames`` are each partition's id hashes (:func:`ids_frame`; futures on
    a cluster). They are counted on the cluster (``dask.dataframe``: a count
    per first hash, split over partitions); only the ids whose first hash
    repeats come to the driver, which compares both hashes (128 bits,
    :func:`id_hashes`). Returns a table indexed by the hashes (``h1``, ``h2``)
    with ``part``, ``row`` and ``file`` of the first copy (``shown`` names each
    partition's file) and ``parts``, every partition holding one, in order.
    """
    import dask
    import dask.dataframe as dd

    frames = [dask.delayed(f) if isinstance(f, pd.DataFrame) else f for f in frames]
    meta = pd.DataFrame(
        {
            "h1": pd.Series(dtype="uint64"),
            "h2": pd.Series(dtype="uint64"),
            "part": pd.Series(dtype="int64"),
            "row": pd.Series(dtype="int64"),
        }
    )
    ids = dd.from_delayed(frames, meta=meta, verify_meta=False)
    # Counted by the first hash alone (one 64-bit column: light to shuffle); the few
    # candidates are then compared by both hashes on the driver.
    counted = ids["h1"].value_counts(split_out=max(1, len(frames) // 8))
    many = counted[counted > 1]
    many = many.compute() if dask_client is None else dask_client.compute(many).result()
    index = pd.MultiIndex.from_arrays([pd.Series(dtype="uint64")] * 2, names=["h1", "h2"])
    empty = pd.DataFrame({"part": pd.Series(dtype="int64"), "row": pd.Series(dtype="int64"),
                          "file": pd.Series(dtype=object), "parts": pd.Series(dtype=object)},
                         index=index)  # fmt: skip
    if not len(many):
        return empty
    copies = ids.map_partitions(_among, set(many.index.tolist()), meta=meta)
    copies = copies.compute() if dask_client is None else dask_client.compute(copies).result()
    copies = copies[copies.duplicated(["h1", "h2"], keep=False)]  # both hashes repeat
    if copies.empty:
        return empty
    copies = copies.sort_values(["part", "row"], kind="stable")
    first = copies.groupby(["h1", "h2"], sort=False)[["part", "row"]].first()
    first["parts"] = copies.groupby(["h1", "h2"], sort=False)["part"].agg(list)
    first["file"] = [shown[int(p)] for p in first["part"]]
    return first


def _among(frame: pd.DataFrame, wanted: set) -> pd.DataFrame:
    """Keep the rows of ``frame`` whose first hash is in ``wanted``."""
    return frame[frame["h1"].isin(wanted)]


def repeats_said(total, spec: LayerSpec) -> str:
    """Say how record ids were checked across partitions, and what repeated (``total``: a Part)."""
    if total.duplicates:
        pairs = (
            pd.DataFrame(total.repeats, columns=["a", "b", "n"])
            .groupby(["a", "b"], sort=False)["n"]
            .sum()
        )
        said = "; ".join(f"{n:,} of {a} repeat {b}" for (a, b), n in pairs.items())
        return (
            f"dedupe_on {list(spec.dedupe_on)}: {total.duplicates:,} record(s) repeat a "
            f"record of an earlier partition and were left out, the first kept ({said})."
        )
    return (
        f"Record ids were checked across the {total.files} partitions: a record_id that an "
        "earlier partition has is rejected (its row names the first)."
    )


def ids_frame(parts: list) -> pd.DataFrame:
    """Join the id hashes of a bag partition's parts (:class:`layers.engine.Part`)."""
    frames = [p.ids for p in parts if p.ids is not None]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        {"h1": np.array([], dtype=np.uint64), "h2": np.array([], dtype=np.uint64),
         "part": np.array([], dtype=np.int64), "row": np.array([], dtype=np.int64)})  # fmt: skip
