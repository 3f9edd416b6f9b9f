"""Prepare a project's large layers on a Dask cluster: partitions read and counted on workers.

``[engine] kind = "dask"`` in a project (or ``minemap build --engine dask``)
prepares each incident or hazards layer of several partitions
(:mod:`layers.partitions`: the files of a glob, folder or list, and the runs of
row groups of a large Parquet file) on a dask.distributed cluster: the one at
``scheduler``, else a LocalCluster of ``workers`` processes.

Each partition is read, validated, resolved to units and located, or overlaid
with the units and measured, on a worker by the same code as the local engine
(:func:`layers.pipeline.prepare_file`). The worker returns what is small: its
partial summaries by admin1, admin0 and the project's groupings
(:mod:`layers.incident_summary`, :mod:`layers.hazard_summary`), its hexagon
counts (:mod:`layers.hexagons`), its notes and its most recent records up to
the map's limit. A tree reduction (``dask.bag``, 8 at a time) combines them;
the summaries are finished from the combined parts, as the local engine
finishes its one part. Nothing collects every record on the driver.

Each partition's rejects and record-id hashes stay on the workers until the
driver takes the rejects, one partition at a time, to disk
(:class:`layers.rejects_spool.SpooledRejects`) and the ids are checked across
partitions (:mod:`layers.record_ids`). Rows in = accepted + rejected is checked.

Every other layer (small tables, other kinds, a layer of one partition) is
prepared on the driver as by the local engine, and the notes say so.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.errors import REJECT_COLUMNS, MinemapError
from layers import kinds, summary
from layers.engine_spec import EngineSpec
from layers.hazard_summary import HazardPartial, combine_hazards, finish_hazards, hazard_partial
from layers.hexagons import (
    BY_H3,
    HEXAGON_PRECISIONS,
    combine_hexagons,
    hexagon_counts,
    hexagon_summary,
)
from layers.incident_summary import (
    GroupingPartial,
    IncidentPartial,
    combine_grouping,
    combine_incidents,
    finish_grouping,
    finish_incidents,
    grouping_partial,
    incident_partial,
)
from layers.partitions import partition_items
from layers.prepare import Prepared
from layers.project import LayerSpec
from layers.record_ids import id_hashes, ids_frame, repeated_ids, repeats_said, without_repeats
from layers.rejects_spool import SpooledRejects

__all__ = ["EngineError", "Part", "client", "finish", "on_cluster", "partition_items",
           "partitions", "prepare_on_cluster", "reduction", "spool_rejects"]  # fmt: skip

#: How each kind of partial count is combined, and finished into a summary.
_COMBINE = {IncidentPartial: combine_incidents, GroupingPartial: combine_grouping,
            HazardPartial: combine_hazards}  # fmt: skip
_FINISH = {IncidentPartial: finish_incidents, GroupingPartial: finish_grouping,
           HazardPartial: finish_hazards}  # fmt: skip

#: Levels the cluster always summarises; a project's groupings are summarised too.
LEVELS = summary.UNIT_LEVELS


class EngineError(MinemapError, RuntimeError):
    """The Dask engine cannot run: Dask is not installed, or the scheduler cannot be reached."""


@dataclass
class Part:
    """What a worker returns for one partition, or several combined (in file order)."""

    rows_read: int = 0
    accepted: int = 0
    left_out: int = 0
    rejected: int = 0
    problems: int = 0
    rejects: pd.DataFrame | None = None  # one partition's; taken to the driver on their own
    fuzzy: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    partials: dict = field(default_factory=dict)
    unit_events: pd.Series | None = None
    unit_killed: pd.Series | None = None
    recent: gpd.GeoDataFrame | None = None
    files: int = 0
    duplicates: int = 0
    ids: pd.DataFrame | None = None  # one partition's accepted ids: id_hash (h1, h2), part, row
    repeats: list = field(default_factory=list)  # (this file, first file, count) of repeats
    hexagons: pd.DataFrame | None = None  # records per H3 cell (layers.hexagons)
    overlay: dict | None = None  # a hazards layer's overlay facts (layers.hazards)
    placed: int = 0  # records placed at a point of their own: those the hexagons count


def on_cluster(spec: LayerSpec, engine: EngineSpec) -> bool:
    """Whether the engine prepares ``spec`` on the cluster: incidents in several partitions."""
    return (kinds.get(spec.kind).reach in ("locate", "overlay")
            and tuple(spec.dedupe_on) in ((), ("record_id",))
            and len(partition_items(spec, engine.partition_rows)) > 1)  # fmt: skip


def _recent(records: gpd.GeoDataFrame, keep: int) -> gpd.GeoDataFrame:
    """Keep the ``keep`` most recent records (by end, else start date; record order on ties)."""

    def dates(name):
        if name not in records.columns:  # hazard polygons may have no dates: record order
            return pd.Series(pd.NaT, index=records.index)
        return pd.to_datetime(records[name], errors="coerce")

    when = dates("date_end").fillna(dates("date_start"))
    key = pd.DataFrame({"when": when.to_numpy(), "order": records["_order"].to_numpy()})
    ranked = key.sort_values(["when", "order"], ascending=[False, True], na_position="last",
                             kind="stable")  # fmt: skip
    return records.iloc[ranked.index.to_numpy()[:keep]]


def _one(item, spec, project_path, boundary_set, aliases, limits, keep, repeated=None,
         levels=(), grouping_specs=()) -> Part:  # fmt: skip
    """Prepare one partition on a worker and keep what is small.

    Its incidents are counted by admin1, admin0 and each grouping of
    ``levels`` (a project's own groupings, ``grouping_specs``, are defined on
    the worker first).

    ``repeated`` (from :func:`repeated_ids`) names record ids that an earlier
    partition also has: this partition's later copies are rejected, or left
    out with the layer's ``dedupe_on = ["record_id"]``, as the local engine's
    merge of several files does (:func:`layers.merge.merge`).
    """
    from layers.pipeline import prepare_file

    for grouping in grouping_specs:
        grouping.define()
    index, (path, row_groups) = item
    p = prepare_file(spec, path, project_path, boundary_set, aliases, limits, row_groups)
    repeats = []
    if repeated is not None and len(repeated):
        p, repeats = without_repeats(p, index, repeated, spec)
    records = p.records
    part = Part(
        rows_read=p.rows_read, accepted=len(records), left_out=p.left_out,
        rejected=p.rejected, problems=len(p.rejects), rejects=p.rejects, fuzzy=list(p.fuzzy),
        notes=list(p.notes), files=1, duplicates=p.duplicates, repeats=repeats,
        ids=id_hashes(records).assign(part=index, row=records["row"].to_numpy(dtype=np.int64)),
    )  # fmt: skip
    if kinds.get(spec.kind).reach == "overlay":  # hazard polygons: sums and unions per unit
        part.partials = {by: hazard_partial(records, by) for by in LEVELS}
        info = records.attrs.get("overlay") or {}
        part.overlay = {k: info[k] for k in _OVERLAY_KEPT if k in info}
    else:
        level = boundary_set.level if boundary_set is not None else "admin1"
        events = records[records["record_type"].eq("event") & records["unit_level"].eq(level)]
        killed = pd.to_numeric(events.get("killed"), errors="coerce")
        part.partials = {
            **{by: incident_partial(records, by) for by in LEVELS},
            **{by: grouping_partial(records, by) for by in levels if by not in LEVELS},
        }
        part.unit_events = events.groupby("unit_code").size()
        part.unit_killed = killed.groupby(events["unit_code"]).sum()
        part.hexagons = hexagon_counts(records)
        part.placed = int(records["precision"].isin(HEXAGON_PRECISIONS).sum())
    if keep and len(records):
        tagged = records.assign(_order=np.arange(len(records)) + index * 10**12)
        tagged.attrs = {}  # the partition's pieces stay on the worker
        part.recent = _recent(tagged, keep)
    return part


#: The pieces of no polygon: a cluster's drawn polygons carry none (the workers summed them).
_NO_PIECES = pd.DataFrame({"polygon": pd.Series(dtype="int64"), "code": pd.Series(dtype=object),
                           "area_km2": pd.Series(dtype=float), "geometry": pd.Series(dtype=object),
                           "record_id": pd.Series(dtype=object)})  # fmt: skip

#: What a hazards partition says of its overlay (build.json gives it per layer).
_OVERLAY_KEPT = ("source", "level", "seconds", "polygons", "units", "unit_names", "unit_countries")


def _add_overlay(mine: dict | None, theirs: dict | None) -> dict | None:
    """Combine two partitions' overlay facts: seconds and polygons added, names joined."""
    if not theirs or not mine:
        return mine or theirs
    out = {**theirs, **mine}
    for key in ("seconds", "polygons"):
        out[key] = mine.get(key, 0) + theirs.get(key, 0)
    for key in ("unit_names", "unit_countries"):
        out[key] = {**theirs.get(key, {}), **mine.get(key, {})}
    out["units"] = max(mine.get("units", 0), theirs.get("units", 0))
    return out


def _combine(parts, *, keep: int) -> Part:
    """Combine parts in order: counts added, notes joined, the most recent kept.

    The rejects themselves are not combined: the driver takes them partition
    by partition (:func:`spool_rejects`).
    """
    parts = [p for p in list(parts) if p is not None]
    out = Part()
    for p in parts:
        out.rows_read += p.rows_read
        out.accepted += p.accepted
        out.left_out += p.left_out
        out.files += p.files
        out.rejected += p.rejected
        out.problems += p.problems
        out.duplicates += p.duplicates
        out.repeats += p.repeats
        out.placed += p.placed
        if p.hexagons is not None:
            out.hexagons = combine_hexagons(out.hexagons, p.hexagons)
        out.fuzzy += p.fuzzy
        out.notes += [n for n in p.notes if n not in out.notes]
        for by, counted in p.partials.items():
            mine = out.partials.get(by)
            add = _COMBINE[type(counted)]
            out.partials[by] = counted if mine is None else add(mine, counted)
        for name in ("unit_events", "unit_killed"):
            mine, theirs = getattr(out, name), getattr(p, name)
            if theirs is not None:
                setattr(out, name, theirs if mine is None else mine.add(theirs, fill_value=0))
        out.overlay = _add_overlay(out.overlay, p.overlay)
        if p.recent is not None:
            both = p.recent if out.recent is None else pd.concat([out.recent, p.recent])
            out.recent = _recent(both, keep)
    return out


@contextlib.contextmanager
def client(engine: EngineSpec) -> Iterator[object]:
    """Connect to the engine's scheduler, or start a LocalCluster; close what was started."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as err:
        raise EngineError(
            f'the dask engine needs Dask ({err}). Fix: pip install "minemap[dask]", or use '
            'kind = "local"'
        ) from None
    if engine.scheduler:
        try:
            with Client(engine.scheduler, timeout="30s") as c:
                yield c
        except OSError as err:
            raise EngineError(
                f"cannot reach the Dask scheduler {engine.scheduler!r} ({err}). Fix: start it, "
                "or give its address as tcp://HOST:8786, or leave scheduler out for a local cluster"
            ) from None
        return
    # The dashboard on a free port: two clusters on one machine never compete for 8787.
    with LocalCluster(n_workers=engine.workers, threads_per_worker=1, processes=True,
                      memory_limit=engine.memory_limit, dashboard_address=":0") as cluster, \
            Client(cluster) as c:  # fmt: skip
        yield c


def prepare_on_cluster(
    spec: LayerSpec,
    project_path,
    boundary_set,
    aliases,
    *,
    engine: EngineSpec,
    limits=None,
    dask_client=None,
    levels=(),
    grouping_specs=(),
) -> Prepared:
    """Prepare an incident layer of several partitions on the cluster (see the module).

    ``levels`` are those it is summarised by (admin1 and admin0 always; a
    grouping's id or alias), ``grouping_specs`` the project's own groupings.
    """
    from layers.pipeline import shown_path

    def run(parts):  # the reduction; the rejects taken as partitions finish; the ids kept
        return _run(parts, keep=engine.points_on_map, dask_client=dask_client)

    counted = {"levels": tuple(levels), "grouping_specs": tuple(grouping_specs)}
    total, spool, ids = run(partitions(spec, project_path, boundary_set, aliases, engine=engine,
                                       limits=limits, **counted))  # fmt: skip
    shown = [shown_path(path, project_path)
             for path, _ in partition_items(spec, engine.partition_rows)]  # fmt: skip
    repeated = repeated_ids(ids, shown, dask_client)
    del ids  # the workers let the hashes go
    if len(repeated):  # prepared again, the later copies of repeated ids taken out
        total, spool, _ids = run(partitions(spec, project_path, boundary_set, aliases,
                                            engine=engine, limits=limits, repeated=repeated,
                                            **counted))  # fmt: skip
        total.notes.append(
            f"{len(repeated):,} record id(s) are in more than one partition: the partitions were "
            "prepared a second time, without the later copies."
        )
    return finish(total, spec, project_path, boundary_set, engine, spool)


def _run(parts, *, keep: int, dask_client):
    """Run the partitions: the combined part, the rejects spooled, each partition's id hashes.

    On a cluster each partition's rejects are taken to the driver as soon as the
    partition is done, and released on the worker, so a worker holds the
    rejects of the partitions in flight only; the id hashes (24 bytes a record)
    stay on the workers, as futures, for :func:`layers.record_ids.repeated_ids`.
    """
    reduced = reduction(parts, keep=keep)
    # Unfused, so that these and the reduction share the partitions' tasks: each runs once.
    rejects = parts.map(_rejects_of).to_delayed(optimize_graph=False)
    ids = parts.map_partitions(ids_frame).to_delayed(optimize_graph=False)
    spool = SpooledRejects.temporary()
    if dask_client is None:
        import dask

        total, taken, ids = dask.compute(reduced, rejects, ids, optimize_graph=False)
        for index, frames in enumerate(taken):
            for frame in frames:
                spool.add(frame, index)
        return total, spool, ids
    from dask.distributed import as_completed

    futures = dask_client.compute([reduced, *rejects, *ids], optimize_graph=False)
    total, taken, ids = futures[0], futures[1 : 1 + len(rejects)], futures[1 + len(rejects) :]
    index = {f.key: i for i, f in enumerate(taken)}
    for future in as_completed(taken):
        for frame in future.result():
            spool.add(frame, index[future.key])
        future.release()
    del taken
    return total.result(), spool, ids


def partitions(spec: LayerSpec, project_path, boundary_set, aliases, *, engine: EngineSpec,
               limits=None, repeated=None, levels=(), grouping_specs=()):  # fmt: skip
    """Make the layer's partitions as a ``dask.bag`` of :class:`Part`, one task per partition.

    ``repeated`` (:func:`repeated_ids`) names record ids an earlier partition
    has: each partition then leaves out its later copies.
    """
    import dask.bag as db

    items = list(enumerate(partition_items(spec, engine.partition_rows)))
    bag = db.from_sequence(items, npartitions=len(items))
    one = partial(_one, spec=spec, project_path=project_path, boundary_set=boundary_set,
                  aliases=aliases, limits=limits, keep=engine.points_on_map, levels=levels,
                  grouping_specs=grouping_specs)  # fmt: skip
    return bag.map(one, repeated=repeated)


def reduction(parts, *, keep: int):
    """Build the tree reduction of a bag of parts (a ``dask.bag`` Item), 8 at a time."""
    return parts.reduction(partial(_combine, keep=keep), partial(_combine, keep=keep),
                           split_every=8)  # fmt: skip


def _rejects_of(part: Part) -> pd.DataFrame:
    return part.rejects if part.rejects is not None else pd.DataFrame(columns=REJECT_COLUMNS)


def spool_rejects(parts, dask_client) -> SpooledRejects:
    """Take each partition's rejects to the driver in turn and write them to a spool on disk."""
    spool = SpooledRejects.temporary()
    for one in parts.map(_rejects_of).to_delayed():
        frames = one.compute() if dask_client is None else dask_client.compute(one).result()
        for frame in frames:
            spool.add(frame)
        del frames
    return spool


def finish(
    total: Part, spec: LayerSpec, project_path, boundary_set, engine: EngineSpec,
    spool: SpooledRejects,
) -> Prepared:  # fmt: skip
    """Make the layer's Prepared from the combined part: rejects, summaries, drawn records.

    Rows in must equal rows accepted plus rows rejected, and the spool must
    hold every reject the workers counted; else the run is refused.
    """
    if total.rows_read != total.accepted + total.rejected + total.duplicates or (
        spool.rows, spool.problems) != (total.rejected, total.problems):  # fmt: skip
        raise EngineError(
            f"the cluster's counts do not add up for layer {spec.name!r}: {total.rows_read:,} rows "
            f"read, {total.accepted:,} accepted, {total.rejected:,} rejected by the workers and "
            f"{spool.rows:,} rejected rows taken to the driver. Fix: run the build again; if it "
            "persists, report it with the layer's files"
        )
    recent = total.recent
    if recent is None:  # no record accepted
        recent = gpd.GeoDataFrame({"_order": []}, geometry=gpd.GeoSeries([], crs="EPSG:4326"))
    recent = recent.sort_values("_order", kind="stable").drop(columns="_order")
    recent.attrs["engine"] = {
        "accepted": total.accepted, "shown": len(recent),
        "unit_events": total.unit_events, "unit_killed": total.unit_killed,
        "hexagons": total.hexagons,
    }  # fmt: skip
    summaries = {by: _FINISH[type(part)](part) for by, part in total.partials.items()}
    if total.hexagons is not None:
        summaries[BY_H3] = hexagon_summary(
            total.hexagons,
            layer_records=total.accepted,
            left_to_units=total.accepted - total.placed,
        )
    where = (f"scheduler {engine.scheduler}" if engine.scheduler
             else f"a local cluster of {engine.workers} worker(s)")  # fmt: skip
    hazards = total.overlay is not None
    if hazards:  # the map shades units by the cluster's table; build.json gives the overlay
        recent.attrs["overlay"] = {**total.overlay, "pieces": _NO_PIECES}
        recent.attrs["engine"]["hazards"] = summaries
        recent.attrs["engine"]["unit_ids"] = {k: r["ids"] for k, r in total.partials[
            total.overlay.get("level", "admin1") if total.overlay.get("level") in LEVELS
            else "admin1"].rows.items()}  # fmt: skip
    drawn = (f"the maps draw {len(recent):,} of {total.accepted:,} polygons (the most recent; "
             "undated ones last, in file order) and shade units by all of them (sums, and unions "
             "measured once combined)." if hazards
             else f"the maps draw the {len(recent):,} most recent of {total.accepted:,} records "
             "as points, and shade units by all of them.")  # fmt: skip
    notes = [
        *total.notes,
        f"Prepared on a Dask cluster ({where}): {total.files} partitions read, "
        f"checked and counted on its workers; summaries by {', '.join(total.partials)} combine "
        f"their counts; {drawn}",
        f"Rows in = accepted + rejected: {total.rows_read:,} = {total.accepted:,} + "
        f"{total.rejected:,} (rejects written partition by partition)."
        if not total.duplicates
        else f"Rows in = accepted + rejected + duplicates left out: {total.rows_read:,} = "
        f"{total.accepted:,} + {total.rejected:,} + {total.duplicates:,} (rejects written "
        "partition by partition).",
        repeats_said(total, spec),
    ]
    if hazards:
        notes.append("Land release per year from the polygons' status dates is not made on the "
                     "cluster; the local engine makes it.")  # fmt: skip
    if total.accepted > len(recent):
        notes.append(f"records.csv lists the {len(recent):,} records drawn, not all "
                     f"{total.accepted:,}.")  # fmt: skip
    from layers.pipeline import shown_path

    shown = spec.files[0] if len(spec.files) == 1 else spec.files[0].parent
    return dataclasses.replace(
        Prepared(spec.kind, shown_path(shown, project_path), recent,
                 pd.DataFrame(columns=REJECT_COLUMNS), total.rows_read),
        fuzzy=total.fuzzy, boundary_set=boundary_set, notes=notes, left_out=total.left_out,
        accepted=total.accepted, summaries=summaries, spool=spool, duplicates=total.duplicates,
    )  # fmt: skip
