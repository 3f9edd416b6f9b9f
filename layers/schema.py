"""Layer schemas: Frictionless Table Schema files (the built-in ones in ``layers/schema/``).

A schema names each field of a layer file with its type and constraints
(required, unique, enum, minimum, pattern). :func:`load_schema` reads one
file; :func:`schema` returns the schema of a registered layer kind
(:mod:`layers.kinds`); :mod:`layers.read` validates rows against it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

__all__ = ["KINDS", "Field", "Schema", "load_schema", "schema"]

#: The built-in layer kinds; :func:`layers.kinds.names` lists every registered one.
KINDS = ("contamination", "clearance", "incidents", "stockpiles")


@dataclass(frozen=True)
class Field:
    """One field of a layer schema."""

    name: str
    type: str
    description: str
    required: bool = False
    unique: bool = False
    enum: tuple[str, ...] | None = None
    minimum: float | None = None
    pattern: str | None = None


@dataclass(frozen=True)
class Schema:
    """A layer schema: its kind, title, description and ordered fields."""

    kind: str
    title: str
    description: str
    fields: tuple[Field, ...]

    @property
    def names(self) -> list[str]:
        """Field names in schema order."""
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        """Return the field called ``name``."""
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.kind} schema has no field {name!r}")


def schema(kind: str) -> Schema:
    """Return the schema of a registered layer kind.

    Examples
    --------
    >>> s = schema("clearance")
    >>> s.names[:3]
    ['record_id', 'place', 'country']
    >>> s.field("measure").required
    True
    """
    from layers import kinds  # the registry imports this module

    return kinds.get(kind).schema


def load_schema(path, kind: str) -> Schema:
    """Read a Frictionless Table Schema file as the schema of layer kind ``kind``."""
    with path.open(encoding="utf-8") as f:
        raw = json.load(f)
    fields = []
    for item in raw["fields"]:
        cons = item.get("constraints", {})
        enum = cons.get("enum")
        fields.append(
            Field(
                name=item["name"],
                type=item["type"],
                description=item.get("description", ""),
                required=bool(cons.get("required", False)),
                unique=bool(cons.get("unique", False)),
                enum=tuple(enum) if enum is not None else None,
                minimum=cons.get("minimum"),
                pattern=cons.get("pattern"),
            )
        )
    return Schema(
        kind=kind, title=raw["title"], description=raw["description"], fields=tuple(fields)
    )
