"""Layer kinds: what each kind of layer is, declared once in a registry.

A :class:`LayerKind` names its schema (a Frictionless Table Schema file), the
values a file may leave out, the rules across fields its rows follow, how its
records reach units (resolved and measured, or located as points), the
summaries it offers and the map it draws. The map is a view looked up by name
in :mod:`maps.views`, so this package never imports ``maps``.

Adding a kind is one :func:`register` call with its schema file, plus a view
(:func:`maps.views.register_view`)::

    from layers import kinds
    kinds.register(kinds.LayerKind(name="uxo_finds", schema_file=Path("uxo_finds.json"),
                                   title="UXO finds", reach="locate", view="uxo_finds"))
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from importlib.resources import files
from pathlib import Path

from geo.errors import MinemapError
from layers import area_summaries, incident_summary, land_release, summary, validate
from layers.schema import Schema, load_schema

__all__ = ["REACHES", "LayerKind", "UnknownKindError", "get", "names", "register"]

#: How a kind's records reach units: ``measure`` (resolved to units, areas
#: measured), ``locate`` (resolved, then placed as points) or ``overlay``
#: (polygons split across the units they cover, :mod:`geo.overlay`).
REACHES = ("measure", "locate", "overlay")


class UnknownKindError(MinemapError, ValueError):
    """A layer kind that is not registered."""


@dataclass(frozen=True)
class LayerKind:
    """One kind of layer.

    Parameters
    ----------
    name : str
        Its id, as a project's ``kind =`` names it.
    schema_file : path
        Its Frictionless Table Schema (JSON).
    title : str
        What its maps and tables are of, e.g. "Reported contamination".
    defaults : mapping of str to str
        Value of a column when the file has no such column.
    checks : sequence of callables
        Rules over several fields of one row (:data:`layers.validate.RowCheck`),
        besides :data:`layers.validate.COMMON_CHECKS`.
    area_values : bool
        ``value`` and ``value_unit`` are areas, normalised to ``area_km2``.
    measure_polygons : bool
        A polygon given without a value takes its geodesic area.
    reach : {"measure", "locate", "overlay"}
        How records reach units (:data:`REACHES`).
    summarise : callable, optional
        ``summarise(records, by) -> layers.summary.Summary``.
    summary_levels : sequence of str
        Unit levels it is summarised by (``admin0``, ``admin1``).
    by_groupings : bool
        Whether it is summarised by groupings too.
    also : mapping of str to callable
        Further summaries by each unit level, by suffix: ``also[suffix](records,
        by)`` returns a summary, or None when the records do not give one.
    view : str
        Name of its map view (:func:`maps.views.register_view`); "" for none.
    map_title : str
        Title of its map when a project gives none.
    default_data : path, optional
        Its embedded default records, if it has any.
    """

    name: str
    schema_file: Path
    title: str
    defaults: Mapping[str, str] = field(default_factory=dict)
    checks: Sequence[validate.RowCheck] = ()
    area_values: bool = False
    measure_polygons: bool = False
    reach: str = "measure"
    summarise: Callable[..., summary.Summary] | None = None
    summary_levels: Sequence[str] = ("admin1", "admin0")
    by_groupings: bool = True
    also: Mapping[str, Callable[..., summary.Summary | None]] = field(default_factory=dict)
    view: str = ""
    map_title: str = ""
    default_data: Path | None = None

    def __post_init__(self) -> None:
        if self.reach not in REACHES:
            raise ValueError(f"kind {self.name!r}: reach must be one of {REACHES}")

    @cached_property
    def schema(self) -> Schema:
        """Its schema, loaded once."""
        return load_schema(self.schema_file, self.name)

    @property
    def row_checks(self) -> tuple[validate.RowCheck, ...]:
        """Every rule its rows follow: the common ones, then its own."""
        return (*validate.COMMON_CHECKS, *self.checks)

    def summary_by(self, levels: Sequence[str]) -> list[str]:
        """Return the levels of ``levels`` it is summarised by, in their order.

        Examples
        --------
        >>> get("stockpiles").summary_by(["admin0", "admin1", "district"])
        ['admin0']
        >>> get("incidents").summary_by(["admin1", "district"])
        ['admin1', 'district']
        """
        if self.summarise is None:
            return []
        return [
            by
            for by in levels
            if by in self.summary_levels or (self.by_groupings and by not in summary.UNIT_LEVELS)
        ]


_REGISTRY: dict[str, LayerKind] = {}


def register(kind: LayerKind) -> LayerKind:
    """Add a layer kind (or replace the one of its name); return it."""
    _REGISTRY[kind.name] = kind
    return kind


def names() -> tuple[str, ...]:
    """Names of the registered kinds, built-in ones first.

    Examples
    --------
    >>> names()[:4]
    ('contamination', 'clearance', 'incidents', 'stockpiles')
    """
    return tuple(_REGISTRY)


def get(name: str) -> LayerKind:
    """Return the kind called ``name``.

    Raises
    ------
    UnknownKindError
        When no kind of that name is registered.
    """
    try:
        return _REGISTRY[name]
    except (KeyError, TypeError):
        raise UnknownKindError(
            f"unknown layer kind {name!r}: expected one of {list(_REGISTRY)}. "
            "Fix: use one of those kinds"
        ) from None


def _builtin(name: str) -> Path:
    return files("layers") / "schema" / f"{name}.json"


def _data(name: str) -> Path:
    return files("layers") / "data" / f"{name}.csv"


register(LayerKind(
    name="contamination", schema_file=_builtin("contamination"), title="Reported contamination",
    defaults={"land_use": "all"}, checks=(validate.area_value, validate.magnitude),
    area_values=True, measure_polygons=True, summarise=summary.contamination,
    view="contamination", map_title="Reported contamination by region",
    default_data=_data("contamination"),
))  # fmt: skip
register(LayerKind(
    name="clearance", schema_file=_builtin("clearance"), title="Clearance",
    defaults={"record_role": "figure"}, checks=(validate.magnitude,), area_values=True,
    summarise=summary.clearance, view="clearance", map_title="Planned clearance",
    default_data=_data("clearance"),
))  # fmt: skip
register(LayerKind(
    name="incidents", schema_file=_builtin("incidents"), title="Incidents",
    checks=(validate.location,), reach="locate", summarise=incident_summary.incidents,
    view="incidents", map_title="Incidents and reported use of mines and cluster munitions",
    default_data=_data("incidents"),
))  # fmt: skip
register(LayerKind(
    name="stockpiles", schema_file=_builtin("stockpiles"), title="Stockpiles",
    summarise=lambda records, by: summary.stockpiles(records), summary_levels=("admin0",),
    by_groupings=False, view="stockpiles",
    map_title="Declared stockpiles of cluster munitions",
    default_data=_data("stockpiles"),
))  # fmt: skip
register(LayerKind(
    name="hazards", schema_file=_builtin("hazards"), title="Hazard areas (SHA, CHA)",
    defaults={"hazard_type": "unknown"}, reach="overlay", summarise=area_summaries.hazards,
    by_groupings=False, also={"land_release": land_release.from_hazards}, view="hazards",
    map_title="Suspected and confirmed hazardous areas",
))  # fmt: skip
register(LayerKind(
    name="land_release", schema_file=_builtin("land_release"),
    title="Land release (cancelled, reduced, cleared)", defaults={"hazard_type": "unknown"},
    summarise=land_release.reported, by_groupings=False, view="land_release",
    map_title="Land release: cancelled, reduced, cleared and remaining",
))  # fmt: skip
