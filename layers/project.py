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

import codecs
import datetime
import json
import math
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

import pyproj

from geo.errors import MinemapError
from layers.mapping import GEOMETRY_FIELDS, ColumnMapping
from layers.schema import KINDS, schema

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = ["MAX_PROJECT_BYTES", "MAX_TEXT_LENGTH", "BoundarySpec", "LayerSpec", "MapSpec",
           "Project", "ProjectError", "load_project", "text_problem"]  # fmt: skip

EMBEDDED = ("admin0", "admin1")
#: Largest project file read (bytes): a project file is a few kilobytes.
MAX_PROJECT_BYTES = 1_000_000
#: Longest name of a layer or boundary set (characters): names are labels.
MAX_TEXT_LENGTH = 1000
# Control characters, and bidirectional embeddings, overrides and isolates.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


class ProjectError(MinemapError, ValueError):
    """A project file is malformed; the message names the file and the key."""

    def __init__(self, file: str, key: str, reason: str, fix: str) -> None:
        self.file, self.key, self.reason, self.fix = file, key, reason, fix
        super().__init__(f"{file}: {key}: {reason}. Fix: {fix}")


@dataclass(frozen=True)
class BoundarySpec:
    """A user boundary set named in a project."""

    name: str
    path: Path
    level: str | int | None = None
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


_TOP_KEYS = {"title", "boundaries", "aliases", "layers", "maps"}
_LAYER_KEYS = {"name", "kind", "path", "boundaries", "columns", "constants", "layer", "sheet",
               "encoding", "delimiter", "crs"}  # fmt: skip
_BOUNDARY_KEYS = {"path", "level", "layer", "code_field", "name_fields", "country"}
_TABLES = {".csv", ".tsv", ".txt", ".xlsx", ".xls", ".ods"}  # tables hold no boundaries
_TYPES = {bool: "a boolean", int: "an integer", float: "a float", str: "a string",
          dict: "a table", list: "an array", datetime.date: "a date",
          datetime.datetime: "a date-time", datetime.time: "a time"}  # fmt: skip
_QUOTED = 'in quotes, e.g. {} = "{}"'


def _got(value: object) -> str:
    """Say what was received: its TOML type and its value, cut to 60 characters.

    Examples
    --------
    >>> _got(5), _got({}), _got("x" * 100)[:24]
    ('got an integer (5)', 'got a table ({})', "got a string ('xxxxxxxxx")
    """
    text = repr(value)
    text = text if len(text) <= 60 else text[:57] + "..."
    what = _TYPES.get(type(value), type(value).__name__)
    return "got nothing (the key is missing)" if value is None else f"got {what} ({text})"


def _key(prefix: str, name: str) -> str:
    """Return the key ``prefix.name``, the name in quotes when TOML needs them.

    Examples
    --------
    >>> _key("boundaries", "ukr_adm1"), _key("boundaries", "a b")
    ('boundaries.ukr_adm1', 'boundaries."a b"')
    """
    return f"{prefix}.{name if re.fullmatch(r'[A-Za-z0-9_-]+', name) else json.dumps(name)}"


def text_problem(text: str) -> str | None:
    r"""Say what makes ``text`` unfit as a name shown to users, or None.

    A name must not be blank, must hold at most :data:`MAX_TEXT_LENGTH`
    characters and no control character (U+0000-U+001F, U+007F-U+009F) or
    bidirectional embedding, override or isolate (U+202A-U+202E, U+2066-U+2069),
    which can rewrite a terminal line or reverse the text around it. Any other
    text is kept as given.

    Examples
    --------
    >>> text_problem("Хазарди: Харків (2024)") is None
    True
    >>> text_problem("   "), text_problem("a\u202eb")
    ('it is empty', 'it holds the control character U+202E at position 2')
    """
    if not text.strip():
        return "it is empty"
    if len(text) > MAX_TEXT_LENGTH:
        return f"it is {len(text)} characters long, more than {MAX_TEXT_LENGTH}"
    found = _CONTROL.search(text)
    at = found and f"U+{ord(found.group()):04X} at position {found.start() + 1}"
    return f"it holds the control character {at}" if found else None


class _Checker:
    """Check the values of one project file; every error names the file and the key."""

    def __init__(self, file: str, base: Path) -> None:
        self.file, self.base = file, base

    def fail(self, key: str, reason: str, fix: str) -> NoReturn:
        raise ProjectError(self.file, key, reason, fix)

    def table(self, key: str, value: object, allowed: set[str] | None, fix: str) -> dict:
        """Return ``value``, a TOML table with no key but ``allowed`` (any if None)."""
        if not isinstance(value, dict):
            self.fail(key, f"expected a table, {_got(value)}", fix)
        if allowed is not None and (extra := sorted(set(value) - allowed)):
            self.fail(key, f"unknown key(s) {extra}", f"use only {sorted(allowed)}")
        return value

    def tables(self, key: str, value: object, fix: str) -> list[dict]:
        """Return ``value``, an array of tables (``[[key]]``)."""
        if not isinstance(value, list):
            self.fail(key, f"expected an array of tables, {_got(value)}", fix)
        for i, item in enumerate(value):
            self.table(f"{key}[{i}]", item, None, fix)
        return value

    def string(self, key: str, value: object, fix: str) -> str:
        """Return ``value``, a string that is not blank and holds no NUL."""
        if not isinstance(value, str) or not value.strip():
            got = "got an empty string" if isinstance(value, str) else _got(value)
            self.fail(key, f"expected a string, {got}", fix)
        if "\x00" in value:
            self.fail(key, f"the text holds a NUL character ({_got(value)})", "remove it")
        return value

    def name(self, key: str, value: object, fix: str = "") -> str:
        """Return ``value``, a name as :func:`text_problem` requires."""
        fix = fix or "write the name as plain text " + _QUOTED.format("name", "Hazards 2024")
        text = self.string(key, value, fix)
        if problem := text_problem(text):
            self.fail(key, f"the name {text[:60]!r} cannot be used: {problem}", fix)
        return text

    def title(self, key: str, value: object) -> str | None:
        """Return ``value``, a title: any string (escaped where it is shown), or None."""
        if value is not None and not isinstance(value, str):
            fix = "write the title as text " + _QUOTED.format("title", "Hazards 2024")
            self.fail(key, f"expected a string, {_got(value)}", fix)
        return value

    def option(self, table: dict, key: str, name: str) -> str | None:
        """Return the string ``table[name]``, or None when absent."""
        value = table.get(name)
        fix = f"write {name} " + _QUOTED.format(name, "...") + ", or leave it out"
        return None if value is None else self.string(f"{key}.{name}", value, fix)

    def path(self, key: str, value: object, *, boundaries: bool = False) -> Path:
        """Return the path ``value`` (relative to the project file) of a file that exists."""
        fix = "write the path relative to the project file " + _QUOTED.format("path", "x.csv")
        text = self.string(key, value, fix)
        if _CONTROL.search(text):
            self.fail(key, f"the path holds a control character ({_got(text)})", fix)
        if boundaries and Path(text).suffix.lower() in _TABLES:
            reason = f"{text!r} is a table, not a boundary file: boundaries are polygons read "
            reason += "from a GeoPackage, Shapefile (or a .zip of one), GeoJSON or KML"
            self.fail(key, reason, "export the boundary polygons to a GeoPackage and name it")
        target = self.base / text
        try:
            exists, is_file, is_dir = target.exists(), target.is_file(), target.is_dir()
            target = target.resolve()
        except (OSError, RuntimeError, ValueError) as err:
            self.fail(key, f"cannot look up {text!r} ({err})", fix)
        if not exists:
            self.fail(key, f"no such file {text!r} (looked in {self.base})", fix)
        if not is_file:
            what = "a folder" if is_dir else "not a regular file (a device, pipe or socket)"
            self.fail(key, f"{text!r} is {what}", "name a file " + _QUOTED.format("path", "x.csv"))
        return target


def _parse(file: str, path: Path) -> dict:
    """Read a project file as TOML; a ProjectError says why it cannot be."""

    def fail(reason: str, fix: str = "save it as UTF-8, the encoding of TOML files") -> NoReturn:
        raise ProjectError(file, "-", reason, fix)

    try:
        exists, is_file, is_dir = path.exists(), path.is_file(), path.is_dir()
        if is_file:
            with open(path, "rb") as f:
                raw = f.read(MAX_PROJECT_BYTES + 1)
    except (OSError, ValueError) as err:
        fail(f"cannot be read ({getattr(err, 'strerror', None) or err})", "check the path")
    if not exists:
        fail("no such file", "check the path of the project file")
    if not is_file:
        what = "a folder" if is_dir else "a device, pipe or socket"
        fail(f"this is {what}, not a project file", "give the path of the project's .toml")
    if len(raw) > MAX_PROJECT_BYTES:
        fail(f"more than {MAX_PROJECT_BYTES:,} bytes", "give the project's .toml file")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or raw[:64].count(0) > 8:
        fail("the file is not UTF-8 text (it looks like UTF-16)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        fail(f"the file is not UTF-8 text (byte 0x{raw[err.start]:02x} at offset {err.start})")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        fail(f"not valid TOML: {err}", "correct the syntax")
    except RecursionError:
        fail("not valid TOML: arrays or tables nested too deeply", "write it as in the README")


def _boundaries(check: _Checker, data: dict) -> dict[str, BoundarySpec]:
    fix = 'write each set as a table [boundaries.NAME] with path = "units.gpkg"'
    found = {}
    for name, table in check.table("boundaries", data.get("boundaries", {}), None, fix).items():
        key = _key("boundaries", name)
        check.name(key, name, "name the set in plain text, e.g. [boundaries.ukr]")
        if name in EMBEDDED:
            check.fail(key, f"{name!r} is the name of embedded boundaries", "choose another name")
        check.table(key, table, _BOUNDARY_KEYS, fix)
        level, names = table.get("level"), table.get("name_fields")
        if level is not None and (isinstance(level, bool) or not isinstance(level, (str, int))):
            check.fail(f"{key}.level", f"expected an admin level, {_got(level)}",
                       'write e.g. level = "admin1" (or 1)')  # fmt: skip
        if names is not None:
            fix = 'write a list of columns, e.g. name_fields = ["ADM1_EN", "ADM1_UA"]'
            if not isinstance(names, list) or not names:
                check.fail(f"{key}.name_fields",
                           f"expected an array of columns, {_got(names)}", fix)  # fmt: skip
            names = tuple(check.string(f"{key}.name_fields[{i}]", n, fix)
                          for i, n in enumerate(names))  # fmt: skip
        found[name] = BoundarySpec(
            name=name, path=check.path(f"{key}.path", table.get("path"), boundaries=True),
            level=level, layer=check.option(table, key, "layer"), name_fields=names,
            code_field=check.option(table, key, "code_field"),
            country=check.option(table, key, "country"),
        )  # fmt: skip
    return found


def _aliases(check: _Checker, data: dict) -> tuple[Path, ...]:
    fix = 'write [aliases] with files = ["aliases.csv"], a list in brackets'
    files = check.table("aliases", data.get("aliases", {}), {"files"}, fix).get("files", [])
    if not isinstance(files, list):
        check.fail("aliases.files", f"expected an array of paths, {_got(files)}", fix)
    return tuple(check.path(f"aliases.files[{i}]", p) for i, p in enumerate(files))


def _constant(check: _Checker, key: str, value: object) -> str:
    """Return a constant as text: from a string, a finite number or a date."""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return str(value)
    if type(value) is datetime.date:
        return value.isoformat()
    check.fail(key, f"expected a string, a finite number or a date, {_got(value)}",
               "write the value " + _QUOTED.format("country", "UKR"))  # fmt: skip


def _mapping(check: _Checker, key: str, table: dict, kind: str) -> ColumnMapping:
    known = set(schema(kind).names) | set(GEOMETRY_FIELDS)
    found: dict[str, dict[str, str]] = {}
    examples = {"columns": '{ place = "Oblast" }', "constants": '{ country = "UKR" }'}
    for part, example in examples.items():
        fix = f"write it like {part} = {example}"
        found[part] = {}
        for name, value in check.table(f"{key}.{part}", table.get(part, {}), None, fix).items():
            where = _key(f"{key}.{part}", name)
            if name not in known:
                check.fail(where, f"{name!r} is not a field of the {kind} layer",
                           f"use one of {sorted(known)}")  # fmt: skip
            value = _constant(check, where, value) if part == "constants" else value
            found[part][name] = check.string(where, value, fix)
    return ColumnMapping(fields=found["columns"], constants=found["constants"])


def _read_options(check: _Checker, key: str, table: dict) -> dict[str, str | None]:
    options = ("layer", "sheet", "encoding", "delimiter", "crs")
    found = {option: check.option(table, key, option) for option in options}
    if (text := found["encoding"]) is not None:
        try:
            codecs.lookup(text)
        except LookupError:
            check.fail(f"{key}.encoding", f"unknown encoding {text!r}", 'use "utf-8" or "cp1251"')
    text = found["delimiter"]
    if text is not None and (len(text) != 1 or text in '"\r\n' or _CONTROL.match(text.strip())):
        check.fail(f"{key}.delimiter", f"expected one character, not a quote or line break, "
                   f"{_got(text)}", 'use e.g. ";" or "\\t"')  # fmt: skip
    if (text := found["crs"]) is not None:
        try:
            pyproj.CRS.from_user_input(text)
        except pyproj.exceptions.CRSError:
            check.fail(f"{key}.crs", f"{text!r} is not a CRS pyproj knows", 'use "EPSG:32637"')
    return found


def _layers(check: _Checker, data: dict, bounds: dict) -> list[LayerSpec]:
    fix = "write each layer as a [[layers]] table with name, kind and path"
    specs: list[LayerSpec] = []
    for i, table in enumerate(check.tables("layers", data.get("layers", []), fix)):
        key = f"layers[{i}]"
        check.table(key, table, _LAYER_KEYS, fix)
        name = check.name(f"{key}.name", table.get("name", f"layer{i + 1}"))
        if same := [j for j, s in enumerate(specs) if s.name == name]:
            check.fail(f"{key}.name", f"layer name {name!r} is also the name of layers[{same[0]}]",
                       "give each layer its own name")  # fmt: skip
        kind = table.get("kind")
        if not isinstance(kind, str) or kind not in KINDS:
            what = f"unknown layer kind {kind!r}" if isinstance(kind, str) else ""
            check.fail(f"{key}.kind", what or f"expected a layer kind, {_got(kind)}",
                       f"use one of {list(KINDS)}")  # fmt: skip
        where = table.get("boundaries", "admin1")
        if not isinstance(where, str) or (where not in EMBEDDED and where not in bounds):
            what = f"no boundaries called {where!r}" if isinstance(where, str) else ""
            check.fail(f"{key}.boundaries", what or f"expected a boundary set, {_got(where)}",
                       f"use 'admin1', 'admin0' or one of {sorted(bounds)}")  # fmt: skip
        specs.append(LayerSpec(
            name=name, kind=kind, path=check.path(f"{key}.path", table.get("path")),
            mapping=_mapping(check, key, table, kind), boundaries=where,
            **_read_options(check, key, table),
        ))  # fmt: skip
    return specs


def _maps(check: _Checker, data: dict, names: list[str]) -> list[MapSpec]:
    fix = 'write each map as a [[maps]] table with layer = "NAME"'
    maps: list[MapSpec] = []
    for i, table in enumerate(check.tables("maps", data.get("maps", []), fix)):
        key = f"maps[{i}]"
        layer = check.table(key, table, {"layer", "title"}, fix).get("layer")
        if not isinstance(layer, str) or layer not in names:
            what = f"no layer called {layer!r}" if isinstance(layer, str) else ""
            check.fail(f"{key}.layer", what or f"expected a layer name, {_got(layer)}",
                       f"use one of {names}")  # fmt: skip
        if same := [j for j, m in enumerate(maps) if m.layer == layer]:
            check.fail(f"{key}.layer", f"layer {layer!r} already has a map (maps[{same[0]}])",
                       "draw each layer once")  # fmt: skip
        maps.append(MapSpec(layer=layer, title=check.title(f"{key}.title", table.get("title"))))
    return maps


def load_project(path: str | Path) -> Project:
    r"""Read and check a project file.

    Every key is checked before anything is read: the tables and arrays the
    README shows, strings where text is expected, names as
    :func:`text_problem` requires, paths of files that exist.

    Parameters
    ----------
    path : str or pathlib.Path
        The project's TOML file (UTF-8, at most :data:`MAX_PROJECT_BYTES`).

    Returns
    -------
    Project

    Raises
    ------
    ProjectError
        The file cannot be read or is not TOML; a key is unknown, of the wrong
        type or value; a file it names is missing; a layer names unknown
        boundaries; a map names an unknown layer; no layer is named.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "p.toml").write_text("[[layers]]\nname = 5\n", encoding="utf-8")
    >>> try:
    ...     load_project(folder / "p.toml")
    ... except ProjectError as err:
    ...     print(err.key, err.reason)
    layers[0].name expected a string, got an integer (5)
    """
    path = Path(path)
    data = _parse(str(path), path)
    check = _Checker(str(path), path.parent)
    check.table("top level", data, _TOP_KEYS, "see the README's 'Project file'")
    title = check.title("title", data.get("title", path.stem))
    bounds = _boundaries(check, data)
    alias_files = _aliases(check, data)
    specs = _layers(check, data, bounds)
    names = [s.name for s in specs]
    maps = _maps(check, data, names)
    if not specs:
        check.fail("layers", "the project names no layer", fix="add a [[layers]] table")
    maps = maps or [MapSpec(layer=n) for n in names]
    return Project(path=path, title=title, boundaries=bounds, alias_files=alias_files,
                   layers=tuple(specs), maps=tuple(maps))  # fmt: skip
