"""A project's layers read, validated and prepared, and its summaries: the steps before drawing.

:func:`prepare_project` loads a project's groupings, boundary sets and
aliases, then reads and prepares each layer; :func:`summaries` summarises the
prepared layers by the levels the project asks for. ``minemap build`` draws
maps from them (:mod:`maps.build`); ``minemap summary`` needs nothing more.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.resources import files

import layers
from layers import area_summaries, kinds
from layers.hexagons import BY_H3
from layers.limits import ReadLimits
from layers.memory import release
from layers.prepare import Prepared
from layers.project import LayerSpec, Project, load_project

__all__ = ["DEFAULT_PROJECT", "PreparedProject", "load_default", "prepare_layer", "prepare_project",
           "summaries"]  # fmt: skip

#: The embedded default data as a project file.
DEFAULT_PROJECT = files("layers") / "data" / "default.toml"


@dataclass
class PreparedProject:
    """A project with its boundary sets loaded and every layer prepared."""

    project: Project
    layers: dict[str, Prepared]
    boundary_sets: dict = field(default_factory=dict)
    reports: dict[str, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def shown_path(path, project_path) -> str:
    """Name a layer's file as published outputs do: relative to the project file."""
    try:
        return str(path.relative_to(project_path.resolve().parent))
    except ValueError:
        return path.name


def _as_the_project_names_it(prepared: Prepared, path, project_path) -> Prepared:
    """Name the layer's file in its rejects as the project does, relative to the project file.

    The file is read by its full path; outputs that may be published (rejects,
    fuzzy matches) name it relative to the project, never by the local folders.
    """
    full, shown = str(path), shown_path(path, project_path)
    if prepared.rejects.empty and not prepared.fuzzy:
        return dataclasses.replace(prepared, path=shown)
    rejects = prepared.rejects.assign(
        file=prepared.rejects["file"].astype(str).str.replace(full, shown, regex=False)
    )
    fuzzy = [{**m, "file": str(m["file"]).replace(full, shown)} for m in prepared.fuzzy]
    return dataclasses.replace(prepared, path=shown, rejects=rejects, fuzzy=fuzzy)


def prepare_project(
    project: Project,
    *,
    limits: ReadLimits | None = None,
    say: Callable[[str], None] = lambda _msg: None,
    only: set[str] | None = None,
    engine=None,
) -> PreparedProject:
    """Load a project's boundary sets, groupings and aliases, then read and prepare each layer.

    ``limits`` bound reading each layer file, over the project's own ``[limits]``;
    ``only`` names the layers to prepare (all by default). ``say`` is told each
    step; the text holds names from the project, so a terminal sink shows its
    control characters (:func:`maps.safetext.terminal_text`).
    """
    from geo.names import load_alias_files

    for grouping in project.groupings:
        say(f"defining grouping {grouping.id!r} from {grouping.path.name}")
        grouping.define()
    done = PreparedProject(project, {})
    for name, spec in project.boundaries.items():
        say(f"loading and validating boundaries {name!r}")
        done.boundary_sets[name], report = spec.load()
        done.reports[name] = report.lines()
    aliases = load_alias_files(project.alias_files)
    engine = engine or project.engine
    wanted = [s for s in project.layers if only is None or s.name in only]
    with _engine_client(engine, wanted, say) as dask_client:
        for spec in wanted:
            _prepare_into(done, spec, project, aliases, limits, say, engine, dask_client)
    return done


def _engine_client(engine, specs, say):
    """Open a Dask client when the engine is dask and a layer runs on the cluster; else none."""
    import contextlib

    from layers import engine as cluster

    if engine.kind != "dask" or not any(cluster.on_cluster(s, engine) for s in specs):
        return contextlib.nullcontext(None)
    say(
        "starting the Dask engine"
        + (
            f" on {engine.scheduler}"
            if engine.scheduler
            else f" (a local cluster of {engine.workers} workers)"
        )
    )
    return cluster.client(engine)


def _prepare_into(done, spec, project, aliases, limits, say, engine, dask_client) -> None:
    """Prepare one layer (on the cluster when the engine runs it) and say how it went."""
    from layers import engine as cluster

    shown = spec.name
    bset = done.boundary_sets.get(spec.boundaries)
    if dask_client is not None and cluster.on_cluster(spec, engine):
        n = len(cluster.partition_items(spec, engine.partition_rows))
        say(f"preparing {shown!r}: {n} partitions on the Dask cluster")
        p = cluster.prepare_on_cluster(
            spec, project.path, bset, aliases, engine=engine, limits=limits,
            dask_client=dask_client, levels=kinds.get(spec.kind).summary_by(project.summary_levels),
            grouping_specs=project.groupings,
        )  # fmt: skip
    else:
        p = prepare_layer(spec, project.path, bset, aliases, limits=limits, say=say)
        if engine.kind == "dask":
            p.notes.append("Prepared on this machine, not the Dask cluster: the cluster takes "
                           "incident layers of several partitions (files, or row groups of a "
                           "Parquet file).")  # fmt: skip
    done.layers[spec.name] = p
    done.notes += [f"Layer {spec.name!r}: {note}" for note in p.notes]
    for note in p.notes:
        say(f"{shown}: {note}")
    say(f"{shown}: {p.counts()}")
    release()  # what reading and preparing freed, before the next layer or the maps


def prepare_layer(
    spec: LayerSpec,
    project_path,
    boundary_set=None,
    aliases=None,
    *,
    limits: ReadLimits | None = None,
    say: Callable[[str], None] = lambda _msg: None,
) -> Prepared:
    """Read and prepare a project layer: each of its files, merged when several.

    Rejects name each file relative to the project file; several files are
    merged in the order given (:func:`layers.merge.merge`, with the layer's
    ``dedupe_on``).
    """
    from layers.merge import merge

    parts = []
    for path in spec.files:
        say(f"reading {path.name} as {spec.kind} layer {spec.name!r}")
        parts.append(prepare_file(spec, path, project_path, boundary_set, aliases, limits))
    if len(parts) == 1 and not spec.dedupe_on:
        return parts[0]
    return merge(parts, dedupe_on=spec.dedupe_on)


def prepare_file(
    spec: LayerSpec,
    path,
    project_path,
    boundary_set=None,
    aliases=None,
    limits: ReadLimits | None = None,
    row_groups: tuple[int, int] | None = None,
) -> Prepared:
    """Read and prepare one file of a project layer (one partition of a dataset).

    ``row_groups`` reads only those row groups of a Parquet file (a partition of a large file).
    """
    options = {**spec.read_options, **({"limits": limits} if limits else {}),
               **({"row_groups": row_groups} if row_groups else {})}  # fmt: skip
    level = boundary_set.level if boundary_set is not None else "admin1"
    layer = layers.read(path, spec.kind, mapping=spec.mapping, rules=spec.rules,
                        default_level=level, **options)  # fmt: skip
    prepared = layers.prepare(
        layer, boundary_set=boundary_set, aliases=aliases, point_place=spec.point_place
    )
    return _as_the_project_names_it(prepared, path, project_path)


def load_default() -> dict[str, Prepared]:
    """Read, validate and prepare every layer of the built-in project, by layer name."""
    return prepare_project(load_project(DEFAULT_PROJECT)).layers


def summaries(done: PreparedProject) -> dict[tuple[str, str], layers.summary.Summary]:
    """Every summary of a prepared project: ``(layer name, by) -> Summary``.

    Each layer is summarised by the project's levels that its kind offers
    (:meth:`layers.kinds.LayerKind.summary_by`); a layer with no record by none.
    """
    out = {}
    for spec in done.project.layers:
        prepared = done.layers[spec.name]
        records = prepared.records
        kind = kinds.get(spec.kind)
        if records.empty:
            continue
        said = _as_the_source_counts(prepared.preset)
        for by in kind.summary_by(done.project.summary_levels):
            if prepared.summaries is not None:  # made on a cluster from all the records
                if by in prepared.summaries:
                    out[(spec.name, by)] = item = prepared.summaries[by]
                    item.notes += said
                continue
            out[(spec.name, by)] = item = kind.summarise(records, by)
            item.notes += said
            if spec.rules.years and kind.area_values and by in ("admin1", "admin0"):
                # A table of a column per year: totals per year and the change between them.
                out[(spec.name, f"{by}_and_year")] = area_summaries.by_year(records, by)
            if by in layers.summary.UNIT_LEVELS:
                for suffix, make in kind.also.items():
                    if (more := make(records, by)) is not None:
                        more.notes += said
                        out[(spec.name, f"{by}_{suffix}")] = more
        if prepared.summaries is not None and BY_H3 in prepared.summaries:  # on a cluster
            out[(spec.name, BY_H3)] = prepared.summaries[BY_H3]
    return out


def _as_the_source_counts(preset) -> list[str]:
    """Say which of a source's columns a summary's counts are (ACLED's fatalities are killed)."""
    if preset is None:
        return []
    fields = [f for f in ("killed", "injured", "casualties") if f in preset.columns]
    counts = [f"{f} = {preset.title}'s {preset.columns[f]!r}" for f in fields]
    return [f"Counts as the source calls them: {'; '.join(counts)}."] if counts else []
