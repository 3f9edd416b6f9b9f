"""Resolve what a source wrote ("Chechnya", "Donets'k", "Харьков", "RU-CE", "UA63") to a unit.

:func:`resolve` tries six stages, each within the country given; the first that finds wins:

1. ``code``: any code field of the boundary set, ignoring case, spaces, ``-``, ``_``;
2. ``name``: a name in any name field, ignoring case;
3. ``normalised name``: the same after :func:`normalise` (accents, apostrophes, soft
   signs, generic words, adjectival endings: "Kharkivs'ka oblast'" meets "Kharkiv");
4. ``transliteration``: the keys of :func:`geo.translit.keys` (Kharkov meets Харків);
5. ``alias``: a user alias file (:func:`load_aliases`), then ``geo/data/aliases.csv``;
6. ``fuzzy``: the closest name (:data:`FUZZY_SCORER`) if it scores :data:`FUZZY_THRESHOLD`
   and beats the next unit by :data:`FUZZY_MARGIN`; the result gives score and candidates.

Nothing is guessed: several units at one stage raise :class:`AmbiguousNameError`
unless the kind written ("Kyiv city", "Kyiv oblast") or an alias singles one out;
no unit raises :class:`~geo.errors.UnitNotFoundError` with the closest candidates.

Fuzzy threshold
---------------
:data:`FUZZY_THRESHOLD` is 90 on rapidfuzz's ``token_sort_ratio`` (Indel
similarity of the words sorted, 0-100). 90 allows about one slip per ten letters
(a dropped or doubled letter from six letters on, a changed letter from ten:
"Zapoizhzhia" 95.7) and rejects one changed letter in short names (Sumy/Suma 75,
Tula/Tuva 75, Kursk/Kirsk 80), where a slip easily makes another real name. Partial
scorers (``WRatio``) are not used: they score a fragment such as "Don" 90 against
"Donetsk". :data:`FUZZY_MARGIN` (5 points) requires the best unit to stand out.

The lookup tables of a boundary set and the fuzzy search over them are in
:mod:`geo.name_index`.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path

from geo.audit import refusal
from geo.boundary_sets import BoundarySet, embedded
from geo.errors import RecordError, UnitNotFoundError
from geo.mojibake import repair
from geo.name_index import (
    FUZZY_SCORER,
    NameIndex,
    close_enough,
    code_key,
    codes_for,
    fuzzy_candidates,
    in_country,
    lookup_keys,
    typo_match,
)
from geo.name_index import index_for as _index
from geo.translit import analyse as _analyse
from geo.translit import normalise

__all__ = [
    "FUZZY_MARGIN",
    "FUZZY_SCORER",
    "FUZZY_THRESHOLD",
    "Alias",
    "Aliases",
    "AmbiguousNameError",
    "Resolution",
    "answers_to",
    "builtin_aliases",
    "load_alias_files",
    "load_aliases",
    "normalise",
    "resolve",
]

#: Lowest fuzzy score (0-100) applied; see the module docstring for why 90.
FUZZY_THRESHOLD = 90.0
#: Points by which the best fuzzy unit must beat the second best.
FUZZY_MARGIN = 5.0
_CODE_LIKE = re.compile(r"[A-Za-z]{2}(?:[-_][A-Za-z0-9]{1,3}~?|\d+)")  # RU-XX, ru_ce, UA63


class AmbiguousNameError(UnitNotFoundError):
    """A name matches several units; the message lists them and ``candidates`` holds them."""

    def __init__(self, message: str, candidates: tuple[tuple[str, str, float | None], ...] = ()):
        super().__init__(message)
        self.candidates = candidates


@dataclass(frozen=True)
class Resolution:
    """The unit a name resolved to, and how.

    Attributes
    ----------
    code : str
        Unit code (ISO 3166-2 for the embedded admin1, ISO alpha-3 for admin0).
    level : str
        Level of the boundary set, e.g. ``admin1``.
    method : str
        Stage: ``code``, ``name``, ``normalised name``, ``transliteration``, ``alias``, ``fuzzy``.
    matched : str
        The name or code as written.
    score : float or None
        Fuzzy score (0-100) of the unit; None for the exact stages.
    candidates : tuple of (code, name, score)
        For ``fuzzy``, the best units with their closest name and score.
    """

    code: str
    level: str
    method: str
    matched: str
    score: float | None = None
    candidates: tuple[tuple[str, str, float], ...] = ()


def _looks_like_code(text: str) -> bool:
    """Whether text is written like a code (``RU-CE``, ``ru_ce``, ``UA63``, ``CZE``), not a word.

    Ordinary words are never compared with codes: "Nile" is not ``NI-LE``.

    Examples
    --------
    >>> [_looks_like_code(t) for t in ("RU-CE", "ru_ce", "UA63", "CZE", "Nile", "Est")]
    [True, True, True, True, False, False]
    """
    t = str(text).strip()
    if not t or " " in t:
        return False
    return any(ch.isdigit() for ch in t) or "-" in t or "_" in t or (t.isupper() and len(t) <= 6)


@dataclass(frozen=True)
class Alias:
    """One alias: a name a source writes for a unit, and where the alias comes from."""

    alias: str
    code: str
    level: str = ""
    country: str = ""
    note: str = ""
    source: str = ""


class Aliases:
    """A table of aliases, looked up by normalised name, then by transliteration key.

    Parameters
    ----------
    entries : iterable of Alias
        The aliases; see :func:`load_aliases` to read them from a CSV file.
    """

    def __init__(self, entries=()) -> None:
        self.entries = tuple(entries)
        self._normal, self._keyed = {}, {}  # normalised name or key -> [Alias]
        for entry in self.entries:
            folded = normalise(entry.alias)
            keyed = ((self._keyed, k) for k in lookup_keys(folded))
            for table, key in ((self._normal, folded), *keyed):
                table.setdefault(key, []).append(entry)

    def lookup(self, text: str, level: str) -> list[Alias]:
        """Aliases of a level (or of no stated level) that match a name.

        Examples
        --------
        >>> {a.code for a in builtin_aliases().lookup("Kropyvnytskyi region", "admin1")}
        {'UA-35'}
        """
        folded, kinds = _analyse(text)
        found = self._normal.get(folded) or [
            a for k in lookup_keys(folded) for a in self._keyed.get(k, [])
        ]
        found = [a for a in dict.fromkeys(found) if a.level in ("", level)]
        same = [a for a in found if _analyse(a.alias)[1] & kinds]  # "Kyiv city", "Kyiv oblast"
        return same or [a for a in found if not _analyse(a.alias)[1]]


_ALIAS_COLUMNS = {"alias", "code", "level", "country", "note"}
_ALIAS_CHECKS = (
    ("alias", normalise, "expected a name; it is empty or only generic words"),
    ("code", bool, "expected the unit's code"),
    ("level", re.compile(r"(admin\d)?").fullmatch, "expected admin0, admin1... or nothing"),
    ("country", re.compile("([A-Z]{3})?").fullmatch, "expected e.g. 'UKR' or nothing"),
)


def load_aliases(path: str | Path) -> Aliases:
    """Read an alias file: a UTF-8 CSV with columns ``alias,code`` (+ ``level,country,note``).

    ``level`` (``admin1``...) and ``country`` (ISO alpha-3) are optional; an
    alias without a level applies to the boundary set that has its code.

    Raises
    ------
    geo.errors.RecordError
        Naming the file, row and field of a malformed entry.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "aliases.csv"
    >>> _ = path.write_text("alias,code" + chr(10) + "Kharkivshchyna region,UA-63")
    >>> load_aliases(path).lookup("Kharkivshchyna region", "admin1")[0].code
    'UA-63'
    """

    def fail(row, field, value, reason, fix="correct the alias file") -> RecordError:
        return RecordError(str(path), row, field, value, reason, fix)

    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f))
    except UnicodeDecodeError as err:
        bad = err.object[err.start : err.start + 8]
        raise fail(None, None, bad, "the file is not UTF-8 text", "save it as CSV UTF-8") from err
    header = [c.strip().lower() for c in rows[0]] if rows else []
    columns = set(header)
    if {"alias", "code"} - columns or columns - _ALIAS_COLUMNS or len(columns) < len(header):
        reason = "expected a header with columns alias,code and optionally level,country,note"
        raise fail(1, None, ",".join(header), reason, "write the header row 'alias,code'")
    entries, seen = [], {}
    for number, values in enumerate(rows[1:], start=2):
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            reason = f"expected {len(header)} fields ({','.join(header)}), got {len(values)}"
            raise fail(number, None, ",".join(values), reason, "quote names that hold a comma")
        row = dict.fromkeys(_ALIAS_COLUMNS, "") | dict(
            zip(header, map(str.strip, values), strict=True)
        )
        row["country"] = row["country"].upper()
        for column, valid, reason in _ALIAS_CHECKS:
            if not valid(row[column]):
                raise fail(number, column, row[column], reason)
        key = (*_analyse(row["alias"]), row["level"], row["country"])
        if key in seen and seen[key][1] != row["code"]:
            reason = f"alias {row['alias']!r} is {seen[key][1]!r} on row {seen[key][0]}"
            raise fail(number, "code", row["code"], reason, "keep one of the two rows")
        seen[key] = (number, row["code"])
        entries.append(Alias(**row, source=f"{path}, row {number}"))
    return Aliases(entries)


def load_alias_files(paths) -> Aliases | None:
    """Read several user alias files into one table (None when there are none).

    Examples
    --------
    >>> load_alias_files([]) is None
    True
    """
    entries = [entry for path in paths for entry in load_aliases(path).entries]
    return Aliases(entries) if entries else None


@cache
def builtin_aliases() -> Aliases:
    """Return the built-in aliases of ``geo/data/aliases.csv`` (renamed units, short forms).

    Examples
    --------
    >>> {a.code for a in builtin_aliases().lookup("Dnipro oblast", "admin1")}
    {'UA-12'}
    """
    return load_aliases(Path(str(files("geo") / "data" / "aliases.csv")))


def _alias_codes(text: str, idx: NameIndex, bset: BoundarySet, country: str | None,
                 tables: list[Aliases]) -> set[str]:  # fmt: skip
    """Return the units aliases give a name: the user's, else the built-in ones."""
    for table in tables:
        found = set()
        for entry in table.lookup(text, bset.level):
            if entry.code not in idx.country:
                if entry.level and table is not builtin_aliases():
                    raise UnitNotFoundError(
                        f"{entry.source}: alias {entry.alias!r} maps to {entry.code!r}, which is "
                        f"not a unit code of {bset.name!r} ({bset.source}). Fix: correct the code "
                        "or the level in the alias file."
                    )
                continue  # an alias of another boundary set
            if country is None or (entry.country or idx.country[entry.code]) in (country, ""):
                found.add(entry.code)
        if found:
            return found
    return set()


def _fitting(found: list[str], kinds: frozenset[str], idx: NameIndex) -> list[str]:
    """Return the units whose kind fits the kind written; the one of that kind if one is."""
    fit = [c for c in found if not kinds or not idx.kinds[c] or idx.kinds[c] & kinds]
    same = [c for c in fit if idx.kinds[c] & kinds]
    return same if len(same) == 1 else fit


def _pick(
    idx: NameIndex, bset: BoundarySet, text: str, method: str, found: list[str]
) -> Resolution:
    """Return the one unit found, or raise :class:`AmbiguousNameError` listing them."""
    if len(found) == 1:
        return Resolution(found[0], bset.level, method, text)
    candidates = tuple((c, idx.display[c], None) for c in found)
    raise AmbiguousNameError(
        f"{text!r} matches {len(found)} {bset.level} units by {method}: {found} "
        f"({_listed(idx, candidates)}). Fix: give the country of the record, write the "
        f"unit's code, or add '{text},{found[0]}' (with the code meant) to an alias file.",
        candidates,
    )


def _listed(idx: NameIndex, candidates) -> str:
    return ", ".join(
        f"{code} {idx.display[code]!r}" + (f" as {name!r}" if name != idx.display[code] else "")
        + (f" ({score:g})" if score is not None else f" in {idx.country[code] or '?'}")
        for code, name, score in candidates
    ) or "none"  # fmt: skip


def _by_code_alone(bset: BoundarySet, text: str, country: str | None) -> Resolution | None:
    """Resolve a code that names exactly one unit of the country, from the code tables alone.

    The answer :func:`resolve` gives at its first stage (no kind of unit is
    written in a code, so every unit found fits), without building the tables
    of names; None when that stage would not settle it alone.
    """
    if not _looks_like_code(text) or _analyse(text)[1]:
        return None
    idx = codes_for(bset)
    if country and any(idx.country.values()) and country not in idx.country.values():
        return None  # resolve() says why
    found = [c for c in idx.codes.get(code_key(text), ()) if in_country(idx, c, country)]
    return Resolution(found[0], bset.level, "code", text) if len(found) == 1 else None


def answers_to(
    name: str, code: str, *, country: str | None = None, boundaries: BoundarySet | None = None
) -> bool:
    """Say whether unit ``code`` is one of the units ``name`` matches, by its name or a spelling.

    The exact stages of :func:`resolve` (name, normalised name,
    transliteration), all of them, whichever would win: "Kyiv" answers to the
    city of Kyiv and to Kyiv Oblast.

    Examples
    --------
    >>> answers_to("Kyiv", "UA-32", country="UKR"), answers_to("Kyiv", "UA-30", country="UKR")
    (True, True)
    >>> answers_to("Kharkiv", "UA-14", country="UKR")
    False
    """
    bset = boundaries if boundaries is not None else embedded("admin1")
    text = str(name).strip()
    idx = _index(bset, country.strip().upper() if country else None)
    folded, _kinds = _analyse(text)
    found = set(idx.exact.get(text.casefold(), ())) | set(idx.normal.get(folded, ()))
    found |= close_enough(text, {c for k in lookup_keys(folded) for c in idx.keyed.get(k, ())}, idx)
    return code in found


@cache
def _covers_table() -> tuple[tuple[str, str, str], ...]:
    with open(str(files("geo") / "data" / "name_covers.csv"), encoding="utf-8", newline="") as f:
        return tuple((r["country"], r["name"], r["covers"]) for r in csv.DictReader(f))


def covers(
    name: str, code: str, *, country: str | None = None, boundaries: BoundarySet | None = None
) -> bool:
    """Say whether a region's name also covers unit ``code`` (``geo/data/name_covers.csv``).

    "Crimea", the peninsula, takes in Sevastopol, a unit of its own: a record
    written "Crimea" with its point in Sevastopol is Sevastopol's, settled by
    its point (:mod:`layers.join`).

    Examples
    --------
    >>> covers("Crimea", "UA-40", country="UKR"), covers("Crimea", "UA-63", country="UKR")
    (True, False)
    """
    folded = str(name).strip().casefold()
    return any(
        folded == written.casefold()
        and (not country or country == where)
        and answers_to(covered, code, country=where, boundaries=boundaries)
        for where, written, covered in _covers_table()
    )


def resolve(
    name: str,
    *,
    country: str | None = None,
    level: str = "admin1",
    boundaries: BoundarySet | None = None,
    aliases: Aliases | None = None,
    fuzzy_threshold: float = FUZZY_THRESHOLD,
) -> Resolution:
    """Resolve a unit name or code, within a country when one is given.

    Parameters
    ----------
    name : str
        The name or code as the source writes it.
    country : str, optional
        ISO alpha-3 code that narrows every stage (Donetsk in UKR, not RUS);
        units of unknown country (empty) in a user set are kept.
    level : str
        Level of the embedded boundary set searched when ``boundaries`` is not given.
    boundaries : BoundarySet, optional
        The units to search; its own level wins over ``level``.
    aliases : Aliases, optional
        User aliases (:func:`load_aliases`), tried before the built-in ones.
    fuzzy_threshold : float
        Lowest fuzzy score applied (0-100); above 100 turns the fuzzy stage off.

    Raises
    ------
    UnitNotFoundError
        No unit matches; the message lists the closest names with codes and scores.
    AmbiguousNameError
        Several units match at the first stage that finds any.

    Examples
    --------
    >>> resolve("Chechnya").code, resolve("ua63").code, resolve("ua63").method
    ('RU-CE', 'UA-63', 'code')
    >>> resolve("Donets'k Oblast", country="UKR").code, resolve("Днепропетровск").method
    ('UA-14', 'transliteration')
    >>> found = resolve("Zapoizhzhia", country="UKR")
    >>> found.code, found.method, found.score
    ('UA-23', 'fuzzy', 95.7)
    >>> resolve("Czech Republic", level="admin0").code
    'CZE'
    """
    bset = boundaries if boundaries is not None else embedded(level)
    found = _resolve(name, bset, country, aliases, fuzzy_threshold)
    if bset.builtin and (why := refusal(found.code)) is not None:
        # A Natural Earth code that stands for no one unit (geo/data/admin1_audit.csv).
        raise UnitNotFoundError(f"{name!r} resolves to {found.code}, which cannot be joined: {why}")
    return found


def _resolve(name, bset: BoundarySet, country, aliases, fuzzy_threshold) -> Resolution:
    """Resolve a name on ``bset`` (:func:`resolve`, before the audit of embedded codes)."""
    text = str(name).strip()
    country = country.strip().upper() if country else None
    quick = _by_code_alone(bset, text, country)
    if quick is not None:
        return quick
    idx = _index(bset, country)
    if country and any(idx.country.values()) and country not in idx.country.values():
        raise UnitNotFoundError(
            f"country {country!r} has no units in {bset.name!r}: expected an ISO 3166-1 alpha-3 "
            "code such as 'UKR'. Fix: correct the record's country."
        )
    tables = [t for t in (aliases, builtin_aliases()) if t is not None]
    alias_args = (text, idx, bset, country, tables)
    folded, kinds = _analyse(text)
    stages = (
        ("code", lambda: idx.codes.get(code_key(text), ()) if _looks_like_code(text) else ()),
        ("name", lambda: idx.exact.get(text.casefold(), ())),
        ("normalised name", lambda: idx.normal.get(folded, ())),
        (
            "transliteration",
            lambda: close_enough(
                text, {c for k in lookup_keys(folded) for c in idx.keyed.get(k, ())}, idx
            ),
        ),
        ("alias", lambda: _alias_codes(*alias_args)),
    )
    scope = f" in {country}" if country else ""
    fallback = None
    for method, finder in stages:
        found = sorted(c for c in finder() if in_country(idx, c, country))
        fit = _fitting(found, kinds, idx)
        if found and not fit:  # "Altai Krai" names only the Republic here: try later stages
            fallback = fallback or (method, found)
        elif len(fit) > 1 and len(ok := [c for c in fit if c in _alias_codes(*alias_args)]) == 1:
            return Resolution(ok[0], bset.level, "alias", text)  # an alias settles a tie
        elif fit:
            return _pick(idx, bset, text, method, fit)
    if fallback:
        method, found = fallback
        if kinds == {"city"} and all(idx.kinds[c] and "city" not in idx.kinds[c] for c in found):
            # "Kyiv-city" on a set without the city: its oblast is another unit, never taken.
            shown = ", ".join(f"{c} {idx.display.get(c, c)!r}" for c in found)
            raise UnitNotFoundError(
                f"{text!r} names a city, but the units{scope} of {bset.name!r} of that name are "
                f"not cities ({shown}): the set has no unit for the city. Fix: use boundaries "
                "with the city as a unit, or write the region's own name if the region is meant."
            )
        return _pick(idx, bset, text, method, found)
    fixed = repair(text)  # UTF-8 read as Latin-1 ("GoraÅ¾de"): the name as written
    if fixed is not None:
        try:
            found = _resolve(fixed, bset, country, aliases, fuzzy_threshold)
        except UnitNotFoundError:
            pass
        else:
            return Resolution(found.code, bset.level, "mojibake repaired", text, found.score,
                              found.candidates)  # fmt: skip
    candidates = () if _CODE_LIKE.fullmatch(text) else fuzzy_candidates(idx, text, country)
    close = [c for c in candidates if candidates[0][2] - c[2] < FUZZY_MARGIN]
    if candidates and candidates[0][2] >= fuzzy_threshold and len(close) == 1:
        return Resolution(candidates[0][0], bset.level, "fuzzy", text, candidates[0][2], candidates)
    if fuzzy_threshold <= 100 and (typo := typo_match(idx, text, country)) is not None:
        # One or two letters wrong, and no other unit of the country as close: reported as fuzzy.
        score = next((c[2] for c in candidates if c[0] == typo[0]), 0.0)
        return Resolution(typo[0], bset.level, "fuzzy", text, score, candidates)
    # A long name is quoted cut short (the rejects table keeps it whole).
    shown = text if len(text) <= 200 else text[:200] + "…"
    if candidates and candidates[0][2] >= fuzzy_threshold:
        raise AmbiguousNameError(
            f"{shown!r} matches {len(close)} {bset.level} units{scope} by fuzzy match within "
            f"{FUZZY_MARGIN:g} points: {_listed(idx, close)}. Fix: write the unit's code, or add "
            f"'{shown},{close[0][0]}' (with the code meant) to an alias file to confirm one.",
            candidates,
        )
    best = candidates[0][0] if candidates else "CODE"
    if _CODE_LIKE.fullmatch(text):
        raise UnitNotFoundError(
            f"unknown {bset.level} code(s) [{shown!r}]{scope}: no unit of {bset.name!r} has this "
            "code or name. Fix: correct the code, or write the unit's name."
        )
    err = UnitNotFoundError(
        f"no {bset.level} unit{scope} matches {shown!r}. Closest names: "
        f"{_listed(idx, candidates[:3])}; none scores {fuzzy_threshold:g} or more. Fix: correct "
        f"the spelling or write the unit's code; if {best} is meant, add '{shown},{best}' to an "
        "alias file to confirm it."
    )
    err.candidates = candidates
    raise err
