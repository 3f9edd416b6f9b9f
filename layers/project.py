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
import math
from dataclasses import dataclass, field
from pathlib import Path

import pyproj

from layers import kinds
from layers.engine_spec import EngineSpec, engine_spec
from layers.limits import ReadLimits, limits_from
from layers.mapping import GEOMETRY_FIELDS, ColumnMapping
from layers.presets import BUILTIN, Preset, Rules, load_preset
from layers.schema import schema
from layers.toml_checks import (
    CONTROL,
    MAX_PROJECT_BYTES,
    MAX_TEXT_LENGTH,
    QUOTED,
    Checker,
    ProjectError,
    got,
    key_name,
    parse,
    text_problem,
)

__all__ = ["DEFAULT_SUMMARY_LEVELS", "MAX_PROJECT_BYTES", "MAX_TEXT_LENGTH", "BoundarySpec",
           "GroupingSpec", "LayerSpec", "MapSpec", "Project", "ProjectError", "load_project",
           "text_problem"]  # fmt: skip

EMBEDDED = ("admin0", "admin1")


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
    encoding: str | None = None
    inherit_names: bool = True
    credit: str | None = None

    def load(self):
        """Load and validate the boundary file: ``(BoundarySet, ValidationReport)``."""
        from geo.user_boundaries import load_boundaries

        return load_boundaries(
            self.path, level=self.level, code_field=self.code_field, name_fields=self.name_fields,
            country=self.country, layer=self.layer, name=self.name, encoding=self.encoding,
            inherit=self.inherit_names, credit=self.credit,
        )  # fmt: skip


@dataclass(frozen=True)
class LayerSpec:
    """A layer file (or files) named in a project, with how to read and resolve it.

    ``path`` is the first file, ``paths`` all of them when several are named;
    ``rules`` the source preset, row filters, value maps and date format
    (:class:`layers.presets.Rules`); ``dedupe_on`` the fields on which records
    of several files are the same (:func:`layers.merge.merge`); ``point_place``
    what becomes of a record whose point lies far from the unit it names
    (``reject``, or ``flag``: kept, listed).
    """

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
    limits: ReadLimits | None = None
    paths: tuple[Path, ...] = ()
    rules: Rules = field(default_factory=Rules)
    dedupe_on: tuple[str, ...] = ()
    point_place: str = "reject"

    @property
    def files(self) -> tuple[Path, ...]:
        """Every file of the layer: ``path``, or each of a list of them."""
        return self.paths or (self.path,)

    @property
    def read_options(self) -> dict[str, object]:
        """Keyword arguments of :func:`layers.read` that say how to read the file."""
        return {"layer": self.layer, "sheet": self.sheet, "encoding": self.encoding,
                "delimiter": self.delimiter, "crs": self.crs, "limits": self.limits}  # fmt: skip


@dataclass(frozen=True)
class MapSpec:
    """A map to draw from a project layer."""

    layer: str
    title: str | None = None


@dataclass(frozen=True)
class GroupingSpec:
    """A grouping a project defines: its id, assignments file, title and source."""

    id: str
    path: Path
    title: str
    source: str
    level: str = "admin1"

    def define(self) -> None:
        """Read the assignments; define the grouping for this run (:func:`geo.groupings.define`)."""
        from geo import groupings

        table = groupings.read_assignments(self.path)
        groupings.define(self.id, table, title=self.title, source=self.source, level=self.level)


#: Levels a project's tables are summarised by when it does not say.
DEFAULT_SUMMARY_LEVELS = ("admin1", "admin0")


@dataclass(frozen=True)
class Project:
    """A parsed project file.

    ``summary_levels`` are the levels (``admin0``, ``admin1``, grouping ids or
    aliases) its layers are summarised by, each layer by those its kind offers;
    ``sources`` a CSV listing the documents the figures come from (columns
    ``source_file``, ``title``, ``publisher``, ``published``), shown on the
    index page; ``title_given`` whether the file names its ``title`` (a map
    without its own title is then titled "<project title>: <map title>");
    ``presets`` its own source presets.
    """

    path: Path
    title: str
    boundaries: dict[str, BoundarySpec] = field(default_factory=dict)
    alias_files: tuple[Path, ...] = ()
    layers: tuple[LayerSpec, ...] = ()
    maps: tuple[MapSpec, ...] = ()
    groupings: tuple[GroupingSpec, ...] = ()
    summary_levels: tuple[str, ...] = DEFAULT_SUMMARY_LEVELS
    sources: Path | None = None
    presets: tuple[Preset, ...] = ()
    title_given: bool = False
    engine: EngineSpec = field(default_factory=EngineSpec)

    def layer(self, name: str) -> LayerSpec:
        """Return the layer called ``name``."""
        for spec in self.layers:
            if spec.name == name:
                return spec
        raise KeyError(name)


_TOP_KEYS = {"title", "boundaries", "aliases", "layers", "maps", "limits", "groupings",
             "summaries", "sources", "presets", "engine"}  # fmt: skip
_LAYER_KEYS = {"name", "kind", "path", "boundaries", "columns", "constants", "layer", "sheet",
               "encoding", "delimiter", "crs", "format", "where", "values", "date_format",
               "dedupe_on", "point_place", "years"}  # fmt: skip
_BOUNDARY_KEYS = {"path", "level", "layer", "code_field", "name_fields", "country", "encoding",
                  "inherit_names", "credit"}  # fmt: skip


def _flag(check: Checker, key: str, table: dict, name: str, default: bool) -> bool:
    """Read a true/false option."""
    value = table.get(name, default)
    if not isinstance(value, bool):
        check.fail(f"{key}.{name}", f"expected true or false, {got(value)}",
                   f"write {name} = {str(default).lower()}")  # fmt: skip
    return value


def _encoding(check: Checker, key: str, table: dict) -> str | None:
    """Read an encoding option, checked against Python's codecs."""
    text = check.option(table, key, "encoding")
    if text is not None:
        try:
            codecs.lookup(text)
        except LookupError:
            check.fail(f"{key}.encoding", f"unknown encoding {text!r}", 'use "utf-8" or "cp1251"')
    return text


def _boundaries(check: Checker, data: dict) -> dict[str, BoundarySpec]:
    fix = 'write each set as a table [boundaries.NAME] with path = "units.gpkg"'
    found = {}
    for name, table in check.table("boundaries", data.get("boundaries", {}), None, fix).items():
        key = key_name("boundaries", name)
        check.name(key, name, "name the set in plain text, e.g. [boundaries.ukr]")
        if name in EMBEDDED:
            check.fail(key, f"{name!r} is the name of embedded boundaries", "choose another name")
        check.table(key, table, _BOUNDARY_KEYS, fix)
        level, names = table.get("level"), table.get("name_fields")
        if level is not None and (isinstance(level, bool) or not isinstance(level, (str, int))):
            check.fail(f"{key}.level", f"expected an admin level, {got(level)}",
                       'write e.g. level = "admin1" (or 1)')  # fmt: skip
        if names is not None:
            fix = 'write a list of columns, e.g. name_fields = ["ADM1_EN", "ADM1_UA"]'
            if not isinstance(names, list) or not names:
                check.fail(f"{key}.name_fields",
                           f"expected an array of columns, {got(names)}", fix)  # fmt: skip
            names = tuple(check.string(f"{key}.name_fields[{i}]", n, fix)
                          for i, n in enumerate(names))  # fmt: skip
        found[name] = BoundarySpec(
            name=name, path=check.path(f"{key}.path", table.get("path"), boundaries=True),
            level=level, layer=check.option(table, key, "layer"), name_fields=names,
            code_field=check.option(table, key, "code_field"),
            country=check.option(table, key, "country"),
            encoding=_encoding(check, key, table),
            inherit_names=_flag(check, key, table, "inherit_names", True),
            credit=check.title(f"{key}.credit", table.get("credit")),
        )  # fmt: skip
    return found


def _aliases(check: Checker, data: dict) -> tuple[Path, ...]:
    fix = 'write [aliases] with files = ["aliases.csv"], a list in brackets'
    files = check.table("aliases", data.get("aliases", {}), {"files"}, fix).get("files", [])
    if not isinstance(files, list):
        check.fail("aliases.files", f"expected an array of paths, {got(files)}", fix)
    return tuple(check.path(f"aliases.files[{i}]", p) for i, p in enumerate(files))


def _constant(check: Checker, key: str, value: object) -> str:
    """Return a constant as text: from a string, a finite number or a date."""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return str(value)
    if type(value) is datetime.date:
        return value.isoformat()
    check.fail(key, f"expected a string, a finite number or a date, {got(value)}",
               "write the value " + QUOTED.format("country", "UKR"))  # fmt: skip


def _mapping(check: Checker, key: str, table: dict, kind: str) -> ColumnMapping:
    known = set(schema(kind).names) | set(GEOMETRY_FIELDS)
    found: dict[str, dict[str, str]] = {}
    examples = {"columns": '{ place = "Oblast" }', "constants": '{ country = "UKR" }'}
    for part, example in examples.items():
        fix = f"write it like {part} = {example}"
        found[part] = {}
        for name, value in check.table(f"{key}.{part}", table.get(part, {}), None, fix).items():
            where = key_name(f"{key}.{part}", name)
            if name not in known:
                check.fail(where, f"{name!r} is not a field of the {kind} layer",
                           f"use one of {sorted(known)}")  # fmt: skip
            value = _constant(check, where, value) if part == "constants" else value
            found[part][name] = check.string(where, value, fix)
    for name in sorted(set(found["columns"]) & set(found["constants"])):
        check.fail(key_name(f"{key}.constants", name),
                   f"{name!r} has both a column ({found['columns'][name]!r}) and a constant",
                   "keep one of them")  # fmt: skip
    return ColumnMapping(fields=found["columns"], constants=found["constants"])


def _read_options(check: Checker, key: str, table: dict) -> dict[str, str | None]:
    options = ("layer", "sheet", "encoding", "delimiter", "crs")
    found = {option: check.option(table, key, option) for option in options}
    found["encoding"] = _encoding(check, key, table)
    text = found["delimiter"]
    if text is not None and (len(text) != 1 or text in '"\r\n' or CONTROL.match(text.strip())):
        check.fail(f"{key}.delimiter", f"expected one character, not a quote or line break, "
                   f"{got(text)}", 'use e.g. ";" or "\\t"')  # fmt: skip
    if (text := found["crs"]) is not None:
        try:
            pyproj.CRS.from_user_input(text)
        except pyproj.exceptions.CRSError:
            check.fail(f"{key}.crs", f"{text!r} is not a CRS pyproj knows", 'use "EPSG:32637"')
    return found


def _presets(check: Checker, data: dict) -> tuple[Preset, ...]:
    """Read the project's own source presets (``presets = ["my_source.toml"]``)."""
    fix = 'write presets = ["my_source.toml"], a list of preset files'
    items = data.get("presets", [])
    if not isinstance(items, list):
        check.fail("presets", f"expected an array of paths, {got(items)}", fix)
    found = tuple(load_preset(check.path(f"presets[{i}]", p)) for i, p in enumerate(items))
    names = [p.name for p in found]
    for i, name in enumerate(names):
        if name in BUILTIN or name in names[:i]:
            check.fail(f"presets[{i}]", f"a preset is already called {name!r}",
                       "give the preset its own name = \"...\"")  # fmt: skip
    return found


#: Files a folder given as a layer's path is read as: the partitions of a dataset.
PARTITION_SUFFIXES = (".parquet", ".geoparquet", ".csv")


def _paths(check: Checker, key: str, value: object) -> tuple[Path, ...]:
    """Return a layer's file, or its files: ``path = "a.csv"`` or ``path = ["a.csv", "b.csv"]``.

    A glob (``"events/*.parquet"``) or a folder (its Parquet and CSV files) names
    the partitions of a dataset, in the order of their names.
    """
    if isinstance(value, str) and (any(c in value for c in "*?[") or (check.base / value).is_dir()):
        fix = 'write path = "events/*.parquet", or the folder of the partitions'
        text = check.string(f"{key}.path", value, fix)
        target = check.base / text
        found = (sorted(p for p in target.iterdir() if p.suffix.lower() in PARTITION_SUFFIXES)
                 if target.is_dir() else sorted(check.base.glob(text)))  # fmt: skip
        found = [p for p in found if p.is_file()]
        if not found and target.is_dir():
            check.fail(f"{key}.path", f"{text!r} is a folder holding no partition file "
                       f"({', '.join(PARTITION_SUFFIXES)})", fix)  # fmt: skip
        if not found:
            check.fail(f"{key}.path", f"no file matches {text!r} (looked in {check.base})", fix)
        return tuple(p.resolve() for p in found)
    if isinstance(value, list):
        if not value:
            check.fail(f"{key}.path", "the list of files is empty", 'write path = ["a.csv"]')
        paths = tuple(check.path(f"{key}.path[{i}]", p) for i, p in enumerate(value))
        if len(set(paths)) < len(paths):
            check.fail(f"{key}.path", "a file is named twice", "name each file once")
        return paths
    return (check.path(f"{key}.path", value),)


def _rules(check: Checker, key: str, table: dict, kind: str, own: tuple[Preset, ...]) -> Rules:
    """Read a layer's source preset, row filters, value maps and date format."""
    fmt = table.get("format")
    if fmt is not None:
        fmt = check.string(f"{key}.format", fmt, 'write format = "acled"')
        names = [*(p.name for p in own), *BUILTIN, "none"]
        if fmt.lower().endswith(".toml"):
            fmt = check.path(f"{key}.format", fmt)
            load_preset(fmt)  # checked now, with its own file named
        elif fmt not in names:
            check.fail(f"{key}.format", f"no preset called {fmt!r}",
                       f"use one of {names}, or a preset file (.toml)")  # fmt: skip
    fix = 'write where = { sub_event_type = "Remote explosive/landmine/IED" }'
    where = {}
    for column, wanted in check.table(f"{key}.where", table.get("where", {}), None, fix).items():
        wanted = [wanted] if isinstance(wanted, str) else wanted
        if not isinstance(wanted, list) or not wanted:
            check.fail(key_name(f"{key}.where", column),
                       f"expected a value or a list of values, {got(wanted)}", fix)  # fmt: skip
        where[column] = tuple(check.string(key_name(f"{key}.where", column), v, fix)
                              for v in wanted)  # fmt: skip
    known = set(schema(kind).names)
    fix = 'write values = { event_type = { "Remote explosive/landmine/IED" = "casualty" } }'
    values = {}
    for target, table_ in check.table(f"{key}.values", table.get("values", {}), None, fix).items():
        where_ = key_name(f"{key}.values", target)
        if target not in known:
            check.fail(where_, f"{target!r} is not a field of the {kind} layer",
                       f"use one of {sorted(known)}")  # fmt: skip
        values[target] = {str(k): check.string(key_name(where_, k), v, fix)
                          for k, v in check.table(where_, table_, None, fix).items()}  # fmt: skip
    date_format = check.option(table, key, "date_format")
    if date_format is not None and "%" not in date_format:
        check.fail(f"{key}.date_format", f"{date_format!r} is not a date format",
                   'write it with % codes, e.g. date_format = "%d.%m.%Y"')  # fmt: skip
    items = table.get("years", [])
    if not isinstance(items, list):
        check.fail(f"{key}.years", f"expected an array of column names, {got(items)}",
                   'write years = ["2015", "2019", "2022"]')  # fmt: skip
    years = tuple(check.string(f"{key}.years[{i}]", y, "write the column name in quotes")
                  for i, y in enumerate(items))  # fmt: skip
    return Rules(format=fmt, where=where, values=values, date_format=date_format, presets=own,
                 years=years)  # fmt: skip


def _dedupe_on(check: Checker, key: str, table: dict, kind: str) -> tuple[str, ...]:
    fix = 'write dedupe_on = ["record_id"], fields of the layer'
    items = table.get("dedupe_on", [])
    if not isinstance(items, list):
        check.fail(f"{key}.dedupe_on", f"expected an array of fields, {got(items)}", fix)
    known = set(schema(kind).names)
    for i, item in enumerate(items):
        if not isinstance(item, str) or item not in known:
            check.fail(f"{key}.dedupe_on[{i}]", f"{item!r} is not a field of the {kind} layer",
                       f"use some of {sorted(known)}")  # fmt: skip
    return tuple(items)


def _point_place(check: Checker, key: str, table: dict) -> str:
    """Read what becomes of a record whose point lies far from the unit it names."""
    value = table.get("point_place", "reject")
    if value not in ("reject", "flag"):
        check.fail(f"{key}.point_place", f"expected \"reject\" or \"flag\", {got(value)}",
                   'write point_place = "flag" to keep such records, listed')  # fmt: skip
    return value


def _limits(check: Checker, data: dict) -> ReadLimits | None:
    """Return the project's ``[limits]`` on reading each layer file (see :class:`ReadLimits`)."""
    if "limits" not in data:
        return None
    try:
        return limits_from(
            check.table("limits", data["limits"], None, "write [limits] max_rows = N")
        )
    except ValueError as err:
        check.fail("limits", str(err), "write positive numbers, e.g. max_rows = 10_000_000")


def _layers(
    check: Checker, data: dict, bounds: dict, own: tuple[Preset, ...] = ()
) -> list[LayerSpec]:
    fix = "write each layer as a [[layers]] table with name, kind and path"
    limits = _limits(check, data)
    specs: list[LayerSpec] = []
    for i, table in enumerate(check.tables("layers", data.get("layers", []), fix)):
        key = f"layers[{i}]"
        check.table(key, table, _LAYER_KEYS, fix)
        name = check.name(f"{key}.name", table.get("name", f"layer{i + 1}"))
        if same := [j for j, s in enumerate(specs) if s.name == name]:
            check.fail(f"{key}.name", f"layer name {name!r} is also the name of layers[{same[0]}]",
                       "give each layer its own name")  # fmt: skip
        kind = table.get("kind")
        if not isinstance(kind, str) or kind not in kinds.names():
            what = f"unknown layer kind {kind!r}" if isinstance(kind, str) else ""
            check.fail(f"{key}.kind", what or f"expected a layer kind, {got(kind)}",
                       f"use one of {list(kinds.names())}")  # fmt: skip
        where = table.get("boundaries", "admin1")
        if not isinstance(where, str) or (where not in EMBEDDED and where not in bounds):
            what = f"no boundaries called {where!r}" if isinstance(where, str) else ""
            check.fail(f"{key}.boundaries", what or f"expected a boundary set, {got(where)}",
                       f"use 'admin1', 'admin0' or one of {sorted(bounds)}")  # fmt: skip
        paths = _paths(check, key, table.get("path"))
        specs.append(LayerSpec(
            name=name, kind=kind, path=paths[0], paths=paths if len(paths) > 1 else (),
            mapping=_mapping(check, key, table, kind), boundaries=where,
            **_read_options(check, key, table), limits=limits,
            rules=_rules(check, key, table, kind, own),
            dedupe_on=_dedupe_on(check, key, table, kind),
            point_place=_point_place(check, key, table),
        ))  # fmt: skip
    return specs


def _maps(check: Checker, data: dict, names: list[str]) -> list[MapSpec]:
    fix = 'write each map as a [[maps]] table with layer = "NAME"'
    maps: list[MapSpec] = []
    for i, table in enumerate(check.tables("maps", data.get("maps", []), fix)):
        key = f"maps[{i}]"
        layer = check.table(key, table, {"layer", "title"}, fix).get("layer")
        if not isinstance(layer, str) or layer not in names:
            what = f"no layer called {layer!r}" if isinstance(layer, str) else ""
            check.fail(f"{key}.layer", what or f"expected a layer name, {got(layer)}",
                       f"use one of {names}")  # fmt: skip
        if same := [j for j, m in enumerate(maps) if m.layer == layer]:
            check.fail(f"{key}.layer", f"layer {layer!r} already has a map (maps[{same[0]}])",
                       "draw each layer once")  # fmt: skip
        maps.append(MapSpec(layer=layer, title=check.title(f"{key}.title", table.get("title"))))
    return maps


def _groupings(check: Checker, data: dict) -> tuple[GroupingSpec, ...]:
    fix = 'write each as [groupings.ID] with path = "members.csv", title and source'
    found = []
    for gid, table in check.table("groupings", data.get("groupings", {}), None, fix).items():
        key = key_name("groupings", gid)
        check.table(key, table, {"path", "title", "source", "level"}, fix)
        found.append(GroupingSpec(
            id=check.name(key, gid), path=check.path(f"{key}.path", table.get("path")),
            title=check.title(f"{key}.title", table.get("title", gid)),
            source=check.title(f"{key}.source", table.get("source", "the project's own file")),
            level=check.string(f"{key}.level", table.get("level", "admin1"), fix),
        ))  # fmt: skip
    return tuple(found)


def _summary_levels(check: Checker, data: dict, own: tuple[GroupingSpec, ...]) -> tuple[str, ...]:
    from layers.summary import levels

    fix = 'write [summaries] by = ["admin1", "admin0", "district"]'
    table = check.table("summaries", data.get("summaries", {}), {"by"}, fix)
    by = table.get("by", list(DEFAULT_SUMMARY_LEVELS))
    known = [*levels(), *(g.id for g in own)]
    if not isinstance(by, list) or not by:
        check.fail("summaries.by", f"expected a list of levels, {got(by)}", fix)
    for i, level in enumerate(by):
        if level not in known:
            check.fail(f"summaries.by[{i}]", f"unknown level {level!r}", f"use some of {known}")
    return tuple(by)


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
    data = parse(str(path), path)
    check = Checker(str(path), path.parent)
    check.table("top level", data, _TOP_KEYS, "see the README's 'Project file'")
    title = check.title("title", data.get("title", path.stem))
    bounds = _boundaries(check, data)
    alias_files = _aliases(check, data)
    own_presets = _presets(check, data)
    specs = _layers(check, data, bounds, own_presets)
    names = [s.name for s in specs]
    maps = _maps(check, data, names)
    if not specs:
        check.fail("layers", "the project names no layer", fix="add a [[layers]] table")
    maps = maps or [MapSpec(layer=n) for n in names]
    own = _groupings(check, data)
    sources = check.path("sources", data["sources"]) if "sources" in data else None
    return Project(path=path, title=title, boundaries=bounds, alias_files=alias_files,
                   layers=tuple(specs), maps=tuple(maps), groupings=own,
                   summary_levels=_summary_levels(check, data, own), sources=sources,
                   presets=own_presets, title_given="title" in data,
                   engine=engine_spec(check, data))  # fmt: skip
