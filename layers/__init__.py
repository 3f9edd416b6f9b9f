"""Layers of records: reported contamination, clearance, incidents, stockpiles.

Each layer is a table whose schema lives in ``layers/schema/`` and whose
default records, curated from public reports with their sources, live in
``layers/data/``.
"""

from geo.errors import REJECT_COLUMNS
from layers.prepare import Prepared, prepare
from layers.read import Layer, default, defaults, read
from layers.schema import KINDS, Schema, schema

__all__ = [
    "KINDS",
    "REJECT_COLUMNS",
    "Layer",
    "Prepared",
    "Schema",
    "default",
    "defaults",
    "prepare",
    "read",
    "schema",
]
