"""Source presets: how the files a source publishes map to a layer, written as data.

A preset is a TOML file (the built-in ones in ``layers/data/presets/``: ACLED,
UCDP GED, HDX files with HXL hashtags); a project may add its own with
``presets = ["my_source.toml"]``. It says:

- ``recognise``: columns that, all present, mark a file as the source's
  (``recognise_hashtags = true``: any file with an HXL hashtag row);
- ``columns`` (field -> the source's column or ``#hashtag``),
  ``fallback_columns`` (used only for a field the file does not give by its own
  names or hashtags) and ``constants``;
- ``values``: per field, the source's values and the field's value for each
  (ACLED's "Remote explosive/landmine/IED" -> ``casualty``);
- ``compose``: per field, templates over the source's columns, the first whose
  columns are all filled is used (``["ACLED, citing {source}", "ACLED"]``);
- ``precision``: the column giving how precisely the source placed each event,
  with the map precision and the source's own words for each code;
- ``popup``: the source's columns shown in each record's popup;
- ``credit``: the source as the map credits it;
- ``synonyms``: whether fields are still found by common column names
  (``lat``, ``Oblast``) besides the preset's own columns; off by default, as
  a source's columns are known (ACLED's ``year`` is no ``as_of``).

:func:`choose` picks the preset of a file (the project's ``format``, or the
first whose columns the file has); :class:`Applied` (from :func:`apply`)
holds the rows with the preset's and the project's rules applied, and notes
saying what was done.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

import numpy as np
import pandas as pd

from geo.errors import RecordError
from layers.mapping import GEOMETRY_FIELDS, ColumnMapping, column_key
from layers.schema import schema
from layers.toml_checks import Checker, got, parse

__all__ = ["BUILTIN", "Precision", "Preset", "Rules", "builtin", "choose", "find_column",
           "load_preset"]  # fmt: skip

#: Built-in presets, in the order they are tried on a file.
BUILTIN = ("acled", "ucdp-ged", "hxl")

#: Precision levels a preset may give a source's codes (see :mod:`layers.locate`).
LEVELS = ("exact", "settlement", "admin1", "admin0")

#: Columns a preset adds to each record: the source's precision in its own words, and the
#: map precision it stands for.
SOURCE_PRECISION, PRECISION_AS = "source_precision", "precision_as"

_KEYS = {"name", "title", "kind", "credit", "recognise", "recognise_hashtags", "synonyms", "popup",
         "columns", "fallback_columns", "constants", "values", "compose", "precision"}  # fmt: skip
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


@dataclass(frozen=True)
class Precision:
    """A source's column of location precision codes: code -> map level, and its words."""

    column: str
    levels: Mapping[str, str]
    labels: Mapping[str, str]


@dataclass(frozen=True)
class Preset:
    """How a source's files map to a layer (see the module docstring)."""

    name: str
    title: str
    kind: str
    path: Path
    credit: str = ""
    recognise: tuple[str, ...] = ()
    recognise_hashtags: bool = False
    columns: Mapping[str, str] = field(default_factory=dict)
    fallback_columns: Mapping[str, str] = field(default_factory=dict)
    constants: Mapping[str, str] = field(default_factory=dict)
    values: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    compose: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    precision: Precision | None = None
    popup: tuple[str, ...] = ()
    synonyms: bool = False

    def recognises(self, columns: Sequence[str], hxl_tags: Mapping[str, str]) -> bool:
        """Say whether a file with these columns (and hashtags) is this source's."""
        if self.recognise:
            keys = {column_key(c) for c in columns}
            return all(column_key(c) in keys for c in self.recognise)
        return self.recognise_hashtags and bool(hxl_tags)


@dataclass(frozen=True)
class Rules:
    """What a project says about a layer's rows, over its preset.

    ``format``: a built-in preset's name, a preset file, ``"none"`` (no
    preset) or None (recognised from the columns); ``where``: column -> the
    values a row must hold to be kept; ``values``: per field, value maps that
    extend (and win over) the preset's; ``date_format``: a strptime format for
    dates not written as ISO; ``years``: the year columns of a wide table
    (:mod:`layers.wide`).
    """

    format: str | Path | None = None
    where: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    values: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    date_format: str | None = None
    presets: tuple[Preset, ...] = ()
    years: tuple[str, ...] = ()


def _strings(check: Checker, key: str, table: dict, fix: str) -> dict[str, str]:
    return {str(k): check.string(f"{key}.{k}", v, fix) for k, v in table.items()}


def load_preset(path: str | Path) -> Preset:
    """Read and check a preset file; a ProjectError names the file and the key.

    Examples
    --------
    >>> p = load_preset(files("layers") / "data" / "presets" / "acled.toml")
    >>> p.name, p.columns["killed"], p.values["event_type"]["Remote explosive/landmine/IED"]
    ('acled', 'fatalities', 'casualty')
    """
    path = Path(str(path))
    data = parse(str(path), path)
    check = Checker(str(path), path.parent)
    check.table("top level", data, _KEYS, "see the presets in layers/data/presets/")
    name = check.name("name", data.get("name", path.stem))
    kind = check.string("kind", data.get("kind", "incidents"), 'write kind = "incidents"')
    try:
        sch = schema(kind)
    except Exception as err:
        check.fail("kind", f"unknown layer kind {kind!r} ({err})", 'write kind = "incidents"')
    known = set(sch.names) | set(GEOMETRY_FIELDS)
    fix = 'write it like columns = { place = "admin1" }'
    parts = {}
    for part in ("columns", "fallback_columns", "constants"):
        parts[part] = _strings(check, part, check.table(part, data.get(part, {}), None, fix), fix)
        for target in parts[part]:
            if target not in known:
                check.fail(f"{part}.{target}", f"{target!r} is not a field of the {kind} layer",
                           f"use one of {sorted(known)}")  # fmt: skip
    values = {}
    for target, table in check.table("values", data.get("values", {}), None, fix).items():
        if target not in known:
            check.fail(f"values.{target}", f"{target!r} is not a field of the {kind} layer",
                       f"use one of {sorted(known)}")  # fmt: skip
        values[target] = _strings(check, f"values.{target}", check.table(
            f"values.{target}", table, None, 'write [values.event_type] "Source value" = "casualty"'
        ), "write the field's value in quotes")  # fmt: skip
    compose = {}
    for target, templates in check.table("compose", data.get("compose", {}), None, fix).items():
        templates = [templates] if isinstance(templates, str) else templates
        if not isinstance(templates, list) or not templates:
            check.fail(
                f"compose.{target}",
                f"expected a template or a list of them, {got(templates)}",
                'write source = ["ACLED, citing {source}", "ACLED"]',
            )
        compose[target] = tuple(check.string(f"compose.{target}", t, "write a template")
                                for t in templates)  # fmt: skip
    precision = None
    if "precision" in data:
        table = check.table(
            "precision",
            data["precision"],
            {"column", "levels", "labels"},
            'write [precision] column = "geo_precision", levels = {...}',
        )
        levels = _strings(check, "precision.levels", check.table(
            "precision.levels", table.get("levels", {}), None, 'write levels = { "1" = "exact" }'
        ), "write a level in quotes")  # fmt: skip
        for code, level in levels.items():
            if level not in LEVELS:
                check.fail(f"precision.levels.{code}", f"unknown level {level!r}",
                           f"use one of {list(LEVELS)}")  # fmt: skip
        labels = _strings(check, "precision.labels", check.table(
            "precision.labels", table.get("labels", {}), None, 'write labels = { "1" = "..." }'
        ), "write the words in quotes")  # fmt: skip
        column = check.string("precision.column", table.get("column"), 'write column = "..."')
        precision = Precision(column, levels, labels)

    def names(key: str) -> tuple[str, ...]:
        items = data.get(key, [])
        if not isinstance(items, list):
            check.fail(key, f"expected an array of column names, {got(items)}", f"write {key} = []")
        return tuple(check.string(f"{key}[{i}]", c, "write a column name") for i, c in
                     enumerate(items))  # fmt: skip

    hashtags, synonyms = data.get("recognise_hashtags", False), data.get("synonyms", False)
    for key, value in (("recognise_hashtags", hashtags), ("synonyms", synonyms)):
        if not isinstance(value, bool):
            check.fail(key, f"expected true or false, {got(value)}", f"write {key} = true")
    return Preset(
        name=name, title=check.title("title", data.get("title", name)) or name, kind=kind,
        path=path, credit=check.title("credit", data.get("credit", "")) or "",
        recognise=names("recognise"), recognise_hashtags=hashtags, columns=parts["columns"],
        fallback_columns=parts["fallback_columns"], constants=parts["constants"],
        values=values, compose=compose, precision=precision, popup=names("popup"),
        synonyms=synonyms,
    )  # fmt: skip


@functools.cache
def builtin(name: str) -> Preset:
    """Return a built-in preset (:data:`BUILTIN`) by name (read once)."""
    return load_preset(files("layers") / "data" / "presets" / f"{name}.toml")


def choose(
    rules: Rules, columns: Sequence[str], hxl_tags: Mapping[str, str], kind: str, path: str
) -> tuple[Preset | None, str | None]:
    """Pick a file's preset: the one ``rules.format`` names, or the first that recognises it.

    Returns the preset (or None) and a note saying how it was chosen.

    Raises
    ------
    RecordError
        ``format`` names no preset, or one for another layer kind.
    """
    fmt = rules.format
    if fmt == "none":
        return None, None
    own = {p.name: p for p in rules.presets}
    if isinstance(fmt, Path):
        preset = load_preset(fmt)
        return preset, f"read with the preset {preset.name!r} ({fmt.name}), as the project says"
    if fmt is not None:
        if fmt in own:
            preset = own[fmt]
        elif fmt in BUILTIN:
            preset = builtin(fmt)
        else:
            known = [*own, *BUILTIN, "none"]
            raise RecordError(path, None, "format", fmt, f"no preset called {fmt!r}",
                              f"use one of {known}, or a preset file")  # fmt: skip
        if preset.kind != kind:
            raise RecordError(path, None, "format", fmt,
                              f"the preset {fmt!r} is for {preset.kind} layers, not {kind}",
                              "use it for a layer of its kind")  # fmt: skip
        return preset, f"read with the preset {preset.name!r} ({preset.title}), as the project says"
    for preset in [*rules.presets, *(builtin(n) for n in BUILTIN)]:
        if preset.kind == kind and preset.recognises(columns, hxl_tags):
            why = (f"its columns {list(preset.recognise)}" if preset.recognise
                   else "its HXL hashtag row")  # fmt: skip
            return preset, (
                f"recognised as {preset.title} by {why}: read with the preset {preset.name!r} "
                f'({preset.path.name}); to read it without, write format = "none"'
            )
    return None, None


def find_column(name: str, columns: Sequence[str], hxl_tags: Mapping[str, str]) -> str | None:
    """Find the file's column a preset or project names: by hashtag, exact or folded name.

    Examples
    --------
    >>> find_column("EVENT_DATE", ["event_date"], {})
    'event_date'
    >>> find_column("#geo+lat", ["y"], {"y": "#geo+lat"})
    'y'
    """
    if name.startswith("#"):
        from layers.hxl import normalise_hxl_tag

        tag = normalise_hxl_tag(name)
        return next((c for c, t in hxl_tags.items() if t == tag), None)
    if name in columns:
        return name
    key = column_key(name)
    return next((c for c in columns if column_key(c) == key), None)


def _fill(
    template: str, frame: pd.DataFrame, found: Mapping[str, str]
) -> tuple[pd.Series, pd.Series]:
    """Fill a template row by row; say whether every column it reads was filled."""
    out = pd.Series("", index=frame.index, dtype=object)
    filled = pd.Series(True, index=frame.index)
    pos = 0
    for match in _PLACEHOLDER.finditer(template):
        out = out + template[pos : match.start()]
        cells = frame[found[match.group(1)]].fillna("").astype(str).str.strip()
        out = out + cells
        filled &= cells.ne("")
        pos = match.end()
    return out + template[pos:], filled


def apply_where(
    frame: pd.DataFrame, numbers: list[int], rules: Rules, hxl_tags: Mapping[str, str], path: str
) -> tuple[pd.DataFrame, list[int], np.ndarray | None, list[str]]:
    """Keep the rows whose cells hold one of the values ``rules.where`` gives for their column.

    Returns the rows kept, their numbers, their positions in ``frame`` (None:
    all kept) and a note.
    """
    if not rules.where:
        return frame, numbers, None, []
    keep = np.ones(len(frame), dtype=bool)
    said = []
    for name, wanted in rules.where.items():
        column = find_column(name, list(frame.columns), hxl_tags)
        if column is None:
            raise RecordError(path, 1, "where", name, f"the where filter names a column "
                              f"{name!r} the file does not have",
                              f"use one of the file's columns: {list(frame.columns)}")  # fmt: skip
        cells = frame[column].fillna("").astype(str).str.strip()
        keep &= cells.isin(list(wanted)).to_numpy(dtype=bool)
        said.append(f"{column} = {' or '.join(repr(w) for w in wanted)}")
    left_out = int((~keep).sum())
    note = (f"where {' and '.join(said)}: {int(keep.sum()):,} of {len(frame):,} row(s) kept; "
            f"{left_out:,} left out as the project asks (listed nowhere else)")  # fmt: skip
    kept = np.flatnonzero(keep)
    frame = frame.iloc[kept].reset_index(drop=True)
    numbers = [n for n, k in zip(numbers, keep.tolist(), strict=True) if k]
    return frame, numbers, kept, [note]


def mapping_for(
    preset: Preset | None,
    user: ColumnMapping,
    columns: Sequence[str],
    hxl_tags: Mapping[str, str],
    notes: list[str],
) -> tuple[ColumnMapping, dict[str, str]]:
    """Return a layer's column mapping: the preset's, the project's winning field by field.

    A project constant for a field wins over the preset's column for it. The
    preset's columns the file lacks are skipped, and said in ``notes``.
    Returns the mapping and the fallback columns found (field -> column).
    """
    if preset is None:
        return user, {}
    fields: dict[str, str] = {}
    missing = []
    for target, name in preset.columns.items():
        if target in user.fields or target in user.constants:
            continue
        column = find_column(name, columns, hxl_tags)
        if column is None:
            missing.append(name)
            continue
        fields[target] = column
    if missing:
        notes.append(f"the file lacks the preset {preset.name!r}'s column(s) {missing}; "
                     "the fields they give are left to the file's other columns")  # fmt: skip
    fallback = {}
    for target, name in preset.fallback_columns.items():
        column = find_column(name, columns, hxl_tags)
        if column is not None and target not in user.fields and target not in user.constants:
            fallback[target] = column
    fields.update(user.fields)
    constants = {k: v for k, v in preset.constants.items() if k not in fields}
    constants.update(user.constants)
    return ColumnMapping(fields=fields, constants=constants), fallback


def map_values(
    frame: pd.DataFrame,
    maps: Mapping[str, Mapping[str, str]],
    whose: Mapping[str, str],
    notes: list[str],
) -> None:
    """Rewrite each mapped field's values by its value map (keys matched ignoring case).

    ``whose`` says for each field whose map it is ("the preset 'acled'", "the
    project"), for the notes. Values the map lacks are left as written.
    """
    for target, table in maps.items():
        if target not in frame.columns or not table:
            continue
        folded = {k.strip().casefold(): v for k, v in table.items()}
        cells = frame[target].fillna("").astype(str).str.strip()
        codes, uniques = pd.factorize(cells)
        mapped = np.array([folded.get(u.casefold(), u) for u in uniques], dtype=object)
        counts = np.bincount(codes[codes >= 0], minlength=len(uniques))
        changed = [(u, mapped[i], int(counts[i])) for i, u in enumerate(uniques)
                   if u.casefold() in folded]  # fmt: skip
        left = [(u, int(counts[i])) for i, u in enumerate(uniques)
                if u and u.casefold() not in folded and u not in folded.values()]  # fmt: skip
        frame[target] = pd.Series(mapped[codes], index=frame.index, dtype=object)
        if changed:
            shown = ", ".join(f"{u!r} -> {v} ({n:,})" for u, v, n in changed[:8])
            more = f" and {len(changed) - 8} more" if len(changed) > 8 else ""
            notes.append(
                f"{target}: values mapped by the value map of {whose[target]}: {shown}{more}"
            )
        if left:
            shown = ", ".join(f"{u!r} ({n:,})" for u, n in left[:5])
            notes.append(
                f"{target}: {sum(n for _, n in left):,} cell(s) hold values the value map does "
                f"not have ({shown}); they are kept as written (rejected unless valid); add them "
                f"to the project's values.{target}, or leave their rows out with where"
            )


def compose(
    frame: pd.DataFrame,
    raw: pd.DataFrame,
    preset: Preset,
    mapping: ColumnMapping,
    hxl_tags: Mapping[str, str],
    notes: list[str],
) -> None:
    """Fill the preset's composed fields (unless the project gives them) from its templates."""
    for target, templates in preset.compose.items():
        if target in mapping.constants or (
            target in mapping.fields and mapping.fields[target] not in preset.columns.values()
        ):
            continue
        out = pd.Series("", index=raw.index, dtype=object)
        done = pd.Series(False, index=raw.index)
        for template in templates:
            names = _PLACEHOLDER.findall(template)
            found = {n: find_column(n, list(raw.columns), hxl_tags) for n in names}
            if any(c is None for c in found.values()):
                continue
            text, filled = _fill(template, raw, found)
            use = filled & ~done
            out[use] = text[use]
            done |= use
        frame[target] = out.to_numpy()
        notes.append(f"{target}: written from the file's columns by the preset {preset.name!r} "
                     f"({' | '.join(templates)})")  # fmt: skip


def precision_columns(raw: pd.DataFrame, preset: Preset, hxl_tags: Mapping[str, str]):
    """Return the source's precision of each row in its words, and the map level it means."""
    spec = preset.precision
    column = find_column(spec.column, list(raw.columns), hxl_tags) if spec else None
    if column is None:
        return None
    # Each distinct code looked up once.
    number, codes = pd.factorize(raw[column].fillna("").astype(str).str.strip())
    codes = [str(c) for c in codes]
    words = np.array([spec.labels.get(c, f"{spec.column} {c}" if c else "") for c in codes] or
                     [""], dtype=object)  # fmt: skip
    levels = np.array([spec.levels.get(c, "") for c in codes] or [""], dtype=object)
    return (pd.Series(words[number], index=raw.index, dtype="category"),
            pd.Series(levels[number], index=raw.index, dtype=object))  # fmt: skip


def country_level(
    frame: pd.DataFrame,
    raw: pd.DataFrame,
    preset: Preset,
    hxl_tags: Mapping[str, str],
    notes: list[str],
) -> None:
    """Count the events a source placed only at country level for the country.

    UCDP gives such an event (``where_prec`` 6) the country's central point;
    that point lies in some province, which the event is not about. A row whose
    precision level is ``admin0`` and that names no unit of its own becomes a
    country record (``unit_level = "admin0"``); its point is still drawn, as
    the country's.
    """
    found = precision_columns(raw, preset, hxl_tags)
    if found is None or "country" not in frame.columns:
        return
    words, levels = found
    whole = levels.eq("admin0").to_numpy(dtype=bool)
    if "unit_code" in frame.columns:
        whole &= frame["unit_code"].fillna("").astype(str).str.strip().eq("").to_numpy(dtype=bool)
    if not whole.any():
        return
    frame["unit_level"] = np.where(whole, "admin0", frame.get("unit_level", "")).astype(object)
    place = frame["place"] if "place" in frame.columns else pd.Series("", index=frame.index)
    frame["place"] = np.where(whole & place.fillna("").astype(str).str.strip().eq(""),
                              frame["country"], place).astype(object)  # fmt: skip
    k = int(np.flatnonzero(whole)[0])
    notes.append(f"unit_level: {int(whole.sum()):,} record(s) the source placed at country level "
                 f"({words.iloc[k]}) are counted for the country, not for the admin-1 unit their "
                 "point lies in")  # fmt: skip


def carried(raw: pd.DataFrame, preset: Preset | None, hxl_tags: Mapping[str, str]) -> dict:
    """Columns kept beside each record: the source's precision and its popup columns."""
    if preset is None:
        return {}
    out = {}
    found = precision_columns(raw, preset, hxl_tags)
    if found is not None:
        out[SOURCE_PRECISION], out[PRECISION_AS] = found
    for name in preset.popup:
        column = find_column(name, list(raw.columns), hxl_tags)
        if column is not None:
            # Few distinct values in many rows (event types, outlets): kept as categories.
            out[f"original.{column}"] = raw[column].fillna("").astype(str).astype("category")
    return out
