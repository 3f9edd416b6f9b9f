"""Project files: which layers to read, how their columns map, which boundaries and maps.

A project is a TOML file (see the README's "Project file" section)::

    title = "Ukraine: reported contamination and incidents"

    [boundaries.ukr_adm1]            # a user boundary set (or use the embedded "admin1")
    path = "ukr_adm1.gpkg"
    code_field = "ADM1_PCODE"        # optional: detected for COD-AB, geoBoundaries, GADM

    [aliases]
    files = ["aliases.csv"]          # CSV alias,code confirming names

    [[layers]]
    name = "hazards"
    kind = "contamination"
    path = "hazards.csv"
    boundaries = "ukr_adm1"
    columns = { place = "Oblast", value = "Area (ha)" }
    constants = { country = "UKR", source = "Operator X, SHA export, May 2024" }

    [[maps]]
    layer = "hazards"

Paths are relative to the project file. Every error names the file and the key.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from geo.errors import MinemapError
from layers.mapping import ColumnMapping
from layers.schema import KINDS

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = ["BoundarySpec", "LayerSpec", "MapSpec", "Project", "ProjectError", "load_project"]

EMBEDDED = ("admin0", "admin1")


class ProjectError(MinemapError, ValueError):
    """A project file is malformed; the message names the file and the key."""

    def __init__(self, file: str, key: str, reason: str, fix: str) -> None:
        self.file, self.key = file, key
        super().__init__(f"{file}: {key}: {reason}. Fix: {fix}")


@dataclass(frozen=True)
class BoundarySpec:
    """A user boundary set named in a project."""

    name: str
    path: Path
    level: str | None = None
    layer: str | None = None
    code_field: str | None = None
    name_fields: tuple[str, ...] | None = None
    country: str | None = None

    def load(self):
        """Load and validate the boundary file: ``(BoundarySet, ValidationReport)``."""
        from geo.user_boundaries import load_boundaries

        return load_boundaries(
            self.path, level=self.level, code_field=self.code_field, name_fields=self.name_fields,
            country=self.country, layer=self.layer, name=self.name,
        )  # fmt: skip


@dataclass(frozen=True)
class LayerSpec:
    """A layer file named in a project, with how to read and resolve it."""

    name: str
    kind: str
    path: Path
    mapping: ColumnMapping
    boundaries: str = "admin1"
    layer: str | None = None
    sheet: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    crs: str | None = None

    @property
    def read_options(self) -> dict[str, str | None]:
        """Keyword arguments of :func:`layers.read` that say how to read the file."""
        return {"layer": self.layer, "sheet": self.sheet, "encoding": self.encoding,
                "delimiter": self.delimiter, "crs": self.crs}  # fmt: skip


@dataclass(frozen=True)
class MapSpec:
    """A map to draw from a project layer."""

    layer: str
    title: str | None = None


@dataclass(frozen=True)
class Project:
    """A parsed project file."""

    path: Path
    title: str
    boundaries: dict[str, BoundarySpec] = field(default_factory=dict)
    alias_files: tuple[Path, ...] = ()
    layers: tuple[LayerSpec, ...] = ()
    maps: tuple[MapSpec, ...] = ()

    def layer(self, name: str) -> LayerSpec:
        """Return the layer called ``name``."""
        for spec in self.layers:
            if spec.name == name:
                return spec
        raise KeyError(name)


_LAYER_KEYS = {"name", "kind", "path", "boundaries", "columns", "constants", "layer", "sheet",
               "encoding", "delimiter", "crs"}  # fmt: skip
_BOUNDARY_KEYS = {"path", "level", "layer", "code_field", "name_fields", "country"}


def _strings(file: str, key: str, value: object) -> dict[str, str]:
    if not isinstance(value, dict) or not all(
        isinstance(v, (str, int, float)) for v in value.values()
    ):
        raise ProjectError(file, key, f"expected a table of field = value, got {value!r}",
                           'write it like { place = "Oblast" }')  # fmt: skip
    return {str(k): str(v) for k, v in value.items()}


def _unknown(file: str, key: str, table: dict, allowed: set[str]) -> None:
    extra = sorted(set(table) - allowed)
    if extra:
        raise ProjectError(file, key, f"unknown key(s) {extra}", f"use only {sorted(allowed)}")


def load_project(path: str | Path) -> Project:
    """Read and check a project file.

    Raises
    ------
    ProjectError
        Malformed TOML, an unknown key or kind, a missing file, a layer that
        names unknown boundaries, or a map that names an unknown layer.
    """
    path = Path(path)
    file = str(path)
    base = path.parent
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ProjectError(
            file, "-", "no such file", "check the path of the project file"
        ) from None
    except tomllib.TOMLDecodeError as err:
        raise ProjectError(file, "-", f"not valid TOML: {err}", "correct the syntax") from None
    _unknown(file, "top level", data, {"title", "boundaries", "aliases", "layers", "maps"})

    def existing(key: str, value: object) -> Path:
        if not isinstance(value, str):
            raise ProjectError(
                file, key, f"expected a path, got {value!r}", "write the path as a string"
            )
        target = (base / value).resolve()
        if not target.exists():
            raise ProjectError(file, key, f"no such file {value!r} (looked in {base})",
                               "write the path relative to the project file")  # fmt: skip
        return target

    bounds = {}
    for name, table in data.get("boundaries", {}).items():
        key = f"boundaries.{name}"
        if name in EMBEDDED:
            raise ProjectError(
                file, key, f"{name!r} is the name of the embedded boundaries", "choose another name"
            )
        _unknown(file, key, table, _BOUNDARY_KEYS)
        bounds[name] = BoundarySpec(
            name=name,
            path=existing(f"{key}.path", table.get("path")),
            level=table.get("level"),
            layer=table.get("layer"),
            code_field=table.get("code_field"),
            name_fields=tuple(table["name_fields"]) if "name_fields" in table else None,
            country=table.get("country"),
        )
    aliases = data.get("aliases", {})
    _unknown(file, "aliases", aliases, {"files"})
    alias_files = tuple(
        existing(f"aliases.files[{i}]", p) for i, p in enumerate(aliases.get("files", []))
    )
    specs = []
    for i, table in enumerate(data.get("layers", [])):
        key = f"layers[{i}]"
        _unknown(file, key, table, _LAYER_KEYS)
        kind = table.get("kind")
        if kind not in KINDS:
            raise ProjectError(
                file, f"{key}.kind", f"unknown layer kind {kind!r}", f"use one of {list(KINDS)}"
            )
        where = table.get("boundaries", "admin1")
        if where not in EMBEDDED and where not in bounds:
            raise ProjectError(file, f"{key}.boundaries", f"no boundaries called {where!r}",
                               f"use 'admin1', 'admin0' or one of {sorted(bounds)}")  # fmt: skip
        specs.append(
            LayerSpec(
                name=str(table.get("name", f"layer{i + 1}")),
                kind=kind,
                path=existing(f"{key}.path", table.get("path")),
                mapping=ColumnMapping(
                    fields=_strings(file, f"{key}.columns", table.get("columns", {})),
                    constants=_strings(file, f"{key}.constants", table.get("constants", {})),
                ),
                boundaries=where,
                layer=table.get("layer"),
                sheet=table.get("sheet"),
                encoding=table.get("encoding"),
                delimiter=table.get("delimiter"),
                crs=table.get("crs"),
            )
        )
    names = [s.name for s in specs]
    if len(set(names)) != len(names):
        raise ProjectError(
            file, "layers", f"layer names repeat: {names}", "give each layer its own name"
        )
    maps = []
    for i, table in enumerate(data.get("maps", [])):
        _unknown(file, f"maps[{i}]", table, {"layer", "title"})
        if table.get("layer") not in names:
            raise ProjectError(file, f"maps[{i}].layer", f"no layer called {table.get('layer')!r}",
                               f"use one of {names}")  # fmt: skip
        maps.append(MapSpec(layer=table["layer"], title=table.get("title")))
    if not maps:
        maps = [MapSpec(layer=n) for n in names]
    return Project(
        path=path,
        title=str(data.get("title", path.stem)),
        boundaries=bounds,
        alias_files=alias_files,
        layers=tuple(specs),
        maps=tuple(maps),
    )
