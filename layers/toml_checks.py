"""Checks of a project file's TOML values: each error names the file and the key.

:func:`parse` reads the file (UTF-8, at most :data:`MAX_PROJECT_BYTES`);
a :class:`Checker` checks tables, strings, names (:func:`text_problem`) and
paths. :mod:`layers.project` says which keys a project has.
"""

from __future__ import annotations

import codecs
import datetime
import json
import re
import sys
from pathlib import Path
from typing import NoReturn

from geo.errors import MinemapError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = ["CONTROL", "MAX_PROJECT_BYTES", "MAX_TEXT_LENGTH", "QUOTED", "TABLES", "Checker",
           "ProjectError", "got", "key_name", "parse", "text_problem"]  # fmt: skip

#: Largest project file read (bytes): a project file is a few kilobytes.
MAX_PROJECT_BYTES = 1_000_000
#: Longest name of a layer or boundary set (characters): names are labels.
MAX_TEXT_LENGTH = 1000
# Control characters, and bidirectional embeddings, overrides and isolates.
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


class ProjectError(MinemapError, ValueError):
    """A project file is malformed; the message names the file and the key."""

    def __init__(self, file: str, key: str, reason: str, fix: str) -> None:
        self.file, self.key, self.reason, self.fix = file, key, reason, fix
        super().__init__(f"{file}: {key}: {reason}. Fix: {fix}")


TABLES = {".csv", ".tsv", ".txt", ".xlsx", ".xls", ".ods"}  # tables hold no boundaries
TYPES = {bool: "a boolean", int: "an integer", float: "a float", str: "a string",
          dict: "a table", list: "an array", datetime.date: "a date",
          datetime.datetime: "a date-time", datetime.time: "a time"}  # fmt: skip
QUOTED = 'in quotes, e.g. {} = "{}"'


def got(value: object) -> str:
    """Say what was received: its TOML type and its value, cut to 60 characters.

    Examples
    --------
    >>> got(5), got({}), got("x" * 100)[:24]
    ('got an integer (5)', 'got a table ({})', "got a string ('xxxxxxxxx")
    """
    text = repr(value)
    text = text if len(text) <= 60 else text[:57] + "..."
    what = TYPES.get(type(value), type(value).__name__)
    return "got nothing (the key is missing)" if value is None else f"got {what} ({text})"


def key_name(prefix: str, name: str) -> str:
    """Return the key ``prefix.name``, the name in quotes when TOML needs them.

    Examples
    --------
    >>> key_name("boundaries", "ukr_adm1"), key_name("boundaries", "a b")
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
    found = CONTROL.search(text)
    at = found and f"U+{ord(found.group()):04X} at position {found.start() + 1}"
    return f"it holds the control character {at}" if found else None


class Checker:
    """Check the values of one project file; every error names the file and the key."""

    def __init__(self, file: str, base: Path) -> None:
        self.file, self.base = file, base

    def fail(self, key: str, reason: str, fix: str) -> NoReturn:
        """Raise a ProjectError naming the file and ``key``."""
        raise ProjectError(self.file, key, reason, fix)

    def table(self, key: str, value: object, allowed: set[str] | None, fix: str) -> dict:
        """Return ``value``, a TOML table with no key but ``allowed`` (any if None)."""
        if not isinstance(value, dict):
            self.fail(key, f"expected a table, {got(value)}", fix)
        if allowed is not None and (extra := sorted(set(value) - allowed)):
            self.fail(key, f"unknown key(s) {extra}", f"use only {sorted(allowed)}")
        return value

    def tables(self, key: str, value: object, fix: str) -> list[dict]:
        """Return ``value``, an array of tables (``[[key]]``)."""
        if not isinstance(value, list):
            self.fail(key, f"expected an array of tables, {got(value)}", fix)
        for i, item in enumerate(value):
            self.table(f"{key}[{i}]", item, None, fix)
        return value

    def string(self, key: str, value: object, fix: str) -> str:
        """Return ``value``, a string that is not blank and holds no NUL."""
        if not isinstance(value, str) or not value.strip():
            what = "got an empty string" if isinstance(value, str) else got(value)
            self.fail(key, f"expected a string, {what}", fix)
        if "\x00" in value:
            self.fail(key, f"the text holds a NUL character ({got(value)})", "remove it")
        return value

    def name(self, key: str, value: object, fix: str = "") -> str:
        """Return ``value``, a name as :func:`text_problem` requires."""
        fix = fix or "write the name as plain text " + QUOTED.format("name", "Hazards 2024")
        text = self.string(key, value, fix)
        if problem := text_problem(text):
            self.fail(key, f"the name {text[:60]!r} cannot be used: {problem}", fix)
        return text

    def title(self, key: str, value: object) -> str | None:
        """Return ``value``, a title: any string (escaped where it is shown), or None."""
        if value is not None and not isinstance(value, str):
            fix = "write the title as text " + QUOTED.format("title", "Hazards 2024")
            self.fail(key, f"expected a string, {got(value)}", fix)
        return value

    def option(self, table: dict, key: str, name: str) -> str | None:
        """Return the string ``table[name]``, or None when absent."""
        value = table.get(name)
        fix = f"write {name} " + QUOTED.format(name, "...") + ", or leave it out"
        return None if value is None else self.string(f"{key}.{name}", value, fix)

    def path(self, key: str, value: object, *, boundaries: bool = False) -> Path:
        """Return the path ``value`` (relative to the project file) of a file that exists."""
        fix = "write the path relative to the project file " + QUOTED.format("path", "x.csv")
        text = self.string(key, value, fix)
        if CONTROL.search(text):
            self.fail(key, f"the path holds a control character ({got(text)})", fix)
        if boundaries and Path(text).suffix.lower() in TABLES:
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
            self.fail(key, f"{text!r} is {what}", "name a file " + QUOTED.format("path", "x.csv"))
        return target


def parse(file: str, path: Path) -> dict:
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
