"""A project's ``[engine]``: where its layers are prepared (this process, or a Dask cluster)."""

from __future__ import annotations

from dataclasses import dataclass

from layers.toml_checks import Checker, got

__all__ = ["EngineSpec", "engine_spec"]

_ENGINE_KEYS = {"kind", "scheduler", "workers", "memory_limit", "points_on_map", "partition_rows"}


@dataclass(frozen=True)
class EngineSpec:
    """Where a project's layers are prepared: ``local`` (this process) or ``dask``.

    ``dask`` runs on ``scheduler`` (a dask.distributed address) when given,
    else on a LocalCluster of ``workers`` processes of ``memory_limit`` each;
    its maps draw at most ``points_on_map`` records (the most recent) as points.
    A Parquet file of several row groups is read in partitions of whole row
    groups of about ``partition_rows`` rows each.
    """

    kind: str = "local"
    scheduler: str | None = None
    workers: int = 2
    memory_limit: str = "2GiB"
    points_on_map: int = 10_000
    partition_rows: int = 250_000


def engine_spec(check: Checker, data: dict) -> EngineSpec:
    """Return the project's ``[engine]`` (the local engine when it has none)."""
    if "engine" not in data:
        return EngineSpec()
    fix = 'write [engine] with kind = "dask" (and scheduler, workers, memory_limit, points_on_map)'
    table = check.table("engine", data["engine"], _ENGINE_KEYS, fix)
    kind = table.get("kind", "local")
    if kind not in ("local", "dask"):
        check.fail("engine.kind", f"expected 'local' or 'dask', {got(kind)}", fix)
    scheduler = table.get("scheduler")
    if scheduler is not None:
        check.string("engine.scheduler", scheduler, 'write scheduler = "tcp://10.0.0.5:8786"')
    numbers = {}
    for name, default in (("workers", 2), ("points_on_map", 10_000), ("partition_rows", 250_000)):
        value = table.get(name, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            check.fail(f"engine.{name}", f"expected a whole number of at least 1, {got(value)}",
                       f"write {name} = {default}")  # fmt: skip
        numbers[name] = value
    memory = table.get("memory_limit", "2GiB")
    check.string("engine.memory_limit", memory, 'write memory_limit = "2GiB"')
    return EngineSpec(kind, scheduler, numbers["workers"], memory, numbers["points_on_map"],
                      numbers["partition_rows"])  # fmt: skip
