"""The built-in project's maps and summaries, as tests expect them (stems are layer names)."""

from __future__ import annotations

from layers import kinds
from layers.project import load_project
from maps.build import DEFAULT_PROJECT, prepare_project, summaries

DEFAULT = load_project(DEFAULT_PROJECT)

#: Map file stem -> title, in the order the index lists them.
MAPS = {m.layer: m.title for m in DEFAULT.maps}

#: (layer, by) of every summary table, in the order the index shows them.
SUMMARIES = [
    (layer.name, by)
    for layer in DEFAULT.layers
    for by in kinds.get(layer.kind).summary_by(DEFAULT.summary_levels)
]


def default_summaries():
    """Every summary of the built-in project: ``(layer, by) -> Summary``."""
    return summaries(prepare_project(DEFAULT))
