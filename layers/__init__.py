"""Layers of records: reported contamination, clearance, incidents, stockpiles.

Each layer is a table whose schema lives in ``layers/schema/`` and whose
default records, curated from public reports with their sources, live in
``layers/data/``. Users' own files in any common format are read with
:func:`read` (column mapping: :mod:`layers.mapping`; project files:
:mod:`layers.project`) and checked with :func:`check_file`.
"""

from geo.errors import REJECT_COLUMNS
from layers import kinds
from layers.check import CheckResult, check_file
from layers.formats import FileReadError, read_table
from layers.mapping import ColumnMapping
from layers.prepare import Prepared, prepare
from layers.project import Project, ProjectError, load_project
from layers.read import Layer, default, defaults, read
from layers.schema import KINDS, Schema, schema

__all__ = [
    "KINDS",
    "REJECT_COLUMNS",
    "CheckResult",
    "ColumnMapping",
    "FileReadError",
    "Layer",
    "Prepared",
    "Project",
    "ProjectError",
    "Schema",
    "check_file",
    "default",
    "defaults",
    "kinds",
    "load_project",
    "prepare",
    "read",
    "read_table",
    "schema",
]
