"""Resolve what a source wrote ("Chechnya", "Donets'k", "RU-CE", "UA63") to a unit code.

Resolution tries, in order: the code itself (ISO 3166-2 with or without dash,
any case; ISO alpha-3/alpha-2 for countries), an exact name in any name field
of the boundary data, the same after normalisation (case, accents, apostrophes,
words such as "Oblast" or "Republic"), then the alias table
``geo/data/aliases.csv``. Nothing is guessed: a name that matches no unit, or
several, raises an error that lists the closest candidates.
"""

from __future__ import annotations

import csv
import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from geo import boundaries
from geo.errors import UnitNotFoundError

__all__ = ["AmbiguousNameError", "Resolution", "normalise", "resolve"]

# Words that say what kind of unit a name is, not which one.
_GENERIC_WORDS = frozenset(
    [
        "oblast",
        "oblasti",
        "oblast'",
        "region",
        "province",
        "governorate",
        "muhafazat",
        "republic",
        "respublika",
        "autonomous",
        "okrug",
        "krai",
        "kray",
        "district",
        "city",
        "municipality",
        "of",
        "the",
        "область",
        "обл",
        "республика",
        "республіка",
        "край",
        "регион",
        "регіон",
        "автономная",
        "автономна",
    ]
)
_APOSTROPHES = "'’‘`ʼʹ′´\u02bb"
_PUNCT = re.compile(r"[\s\-_.,;:()\[\]/\"«»“”]+")


class AmbiguousNameError(UnitNotFoundError):
    """A name matches several units; the message lists them."""


@dataclass(frozen=True)
class Resolution:
    """The unit a name resolved to, and how.

    Attributes
    ----------
    code : str
        Unit code (ISO 3166-2 for admin1, ISO alpha-3 for admin0).
    level : str
        ``admin0`` or ``admin1``.
    method : str
        ``code``, ``name``, ``normalised name`` or ``alias``.
    matched : str
        The name or code that matched.
    """

    code: str
    level: str
    method: str
    matched: str


def normalise(text: str) -> str:
    """Return a name folded for matching: case, accents, apostrophes, generic words.

    Examples
    --------
    >>> normalise("Donets'k Oblast")
    'donetsk'
    >>> normalise("Харківська область")
    'харківська'
    >>> normalise("Chechen Republic")
    'chechen'
    >>> normalise("")
    ''
    """
    text = unicodedata.normalize("NFKD", str(text).casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.translate({ord(c): None for c in _APOSTROPHES})
    words = [w for w in _PUNCT.split(text) if w and w not in _GENERIC_WORDS]
    return " ".join(words)


def _code_key(text: str) -> str:
    return re.sub(r"[\s_\-]", "", str(text)).upper()


@cache
def _aliases() -> dict[tuple[str, str], list[str]]:
    table: dict[tuple[str, str], list[str]] = {}
    with (files("geo") / "data" / "aliases.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            table.setdefault((row["level"], normalise(row["alias"])), []).append(row["code"])
    return table


@cache
def _index(level: str) -> dict[str, dict]:
    """Lookup tables of one level: code keys, exact names, normalised names."""
    if level == "admin1":
        frame = boundaries.names_table()
        name_fields = boundaries.NAME_FIELDS
    elif level == "admin0":
        frame = boundaries.admin0().drop(columns="geometry")
        frame["ISO_A2_code"] = frame["ISO_A2"].where(frame["ISO_A2"] != "-99", "")
        name_fields = (
            "name",
            "ADMIN",
            "NAME_LONG",
            "FORMAL_EN",
            "NAME_ALT",
            "NAME_SORT",
            "NAME_EN",
            "NAME_RU",
            "NAME_UK",
            "NAME_AR",
            "NAME_FR",
            "NAME_DE",
            "NAME_ES",
            "SOVEREIGNT",
        )
    else:
        raise ValueError(f"level must be 'admin0' or 'admin1', got {level!r}")
    codes: dict[str, set[str]] = {}
    exact: dict[str, set[str]] = {}
    normal: dict[str, set[str]] = {}
    countries: dict[str, str] = {}
    for row in frame.to_dict("records"):
        code = row["code"]
        countries[code] = row["country"]
        keys = [code] + ([row["ADM0_A3"], row["ISO_A2_code"]] if level == "admin0" else [])
        for key in keys:
            if key:
                codes.setdefault(_code_key(key), set()).add(code)
        for field in name_fields:
            value = row.get(field)
            if not isinstance(value, str) or not value:
                continue
            for name in value.split("|"):
                name = name.strip()
                if name:
                    exact.setdefault(name.casefold(), set()).add(code)
                    folded = normalise(name)
                    if folded:
                        normal.setdefault(folded, set()).add(code)
    return {"codes": codes, "exact": exact, "normal": normal, "country": countries}


def _in_country(found: set[str], country: str | None, level: str) -> set[str]:
    if country is None:
        return found
    where = _index(level)["country"]
    return {c for c in found if where[c] == country}


def _pick(found: set[str], name: str, level: str, method: str) -> Resolution | None:
    if not found:
        return None
    if len(found) > 1:
        raise AmbiguousNameError(
            f"{name!r} matches {len(found)} {level} units by {method}: {sorted(found)}. "
            "Fix: give the country of the record, or write the unit's code."
        )
    return Resolution(code=next(iter(found)), level=level, method=method, matched=name)


def resolve(name: str, *, country: str | None = None, level: str = "admin1") -> Resolution:
    """Resolve a unit name or code, within a country when one is given.

    Parameters
    ----------
    name : str
        The name or code as the source writes it.
    country : str, optional
        ISO alpha-3 code that narrows the lookup (Donetsk in UKR, not RUS).
    level : {"admin1", "admin0"}
        Boundary level to search.

    Raises
    ------
    UnitNotFoundError
        No unit matches; the message lists the closest names.
    AmbiguousNameError
        Several units match.

    Examples
    --------
    >>> resolve("Chechnya").code
    'RU-CE'
    >>> resolve("ua63").code, resolve("ua63").method
    ('UA-63', 'code')
    >>> resolve("Donets'k Oblast", country="UKR").code
    'UA-14'
    >>> resolve("Харківська область").code
    'UA-63'
    >>> resolve("Czech Republic", level="admin0").code
    'CZE'
    """
    index = _index(level)
    text = str(name).strip()
    by_code = _in_country(index["codes"].get(_code_key(text), set()), country, level)
    for found, method in (
        (by_code, "code"),
        (_in_country(index["exact"].get(text.casefold(), set()), country, level), "name"),
        (
            _in_country(index["normal"].get(normalise(text), set()), country, level),
            "normalised name",
        ),
        (_in_country(set(_aliases().get((level, normalise(text)), [])), country, level), "alias"),
    ):
        result = _pick(found, text, level, method)
        if result is not None:
            return result
    scope = f" in {country}" if country else ""
    pool = [n for n, cs in index["normal"].items() if _in_country(cs, country, level)]
    close = difflib.get_close_matches(normalise(text), pool, n=3, cutoff=0.6)
    hint = ""
    if close:
        found = ", ".join(f"{n!r} ({'/'.join(sorted(index['normal'][n]))})" for n in close)
        hint = f" Closest names: {found}."
    raise UnitNotFoundError(
        f"no {level} unit{scope} matches {text!r}.{hint} Fix: correct the spelling, give the "
        "unit's code, or add the name to an alias file."
    )
