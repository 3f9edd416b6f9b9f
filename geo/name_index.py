"""Lookup tables of a boundary set's codes and names, and the fuzzy search over them.

:func:`index_for` builds, once per :class:`~geo.boundary_sets.BoundarySet`, the
tables :func:`geo.names.resolve` searches stage by stage: codes, names as
written, names after :func:`geo.translit.normalise`, transliteration keys
(:func:`lookup_keys`) and the plain ASCII forms of Latin and Cyrillic names.
:func:`fuzzy_candidates` ranks units by :data:`FUZZY_SCORER` on those plain
forms; :func:`close_enough` keeps a transliteration match only when the
written name and a name of the unit still look alike.
"""

from __future__ import annotations

import gc
import re
import weakref

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from geo import translit
from geo.boundary_sets import BoundarySet
from geo.translit import analyse as _analyse
from geo.translit import normalise

__all__ = [
    "FUZZY_SCORER",
    "TRANSLIT_MIN_SIMILARITY",
    "NameIndex",
    "close_enough",
    "code_key",
    "codes_for",
    "fuzzy_candidates",
    "in_country",
    "index_for",
    "lookup_keys",
    "typo_match",
]

#: The rapidfuzz scorer of the fuzzy stage, on :func:`geo.translit.plain` forms.
FUZZY_SCORER = fuzz.token_sort_ratio

#: A transliteration key match is kept only when the written name and one of
#: the unit's names still look alike (rapidfuzz ratio of their plain ASCII
#: forms): the folded keys are loose enough to join "Xyzzy" to an unrelated unit.
TRANSLIT_MIN_SIMILARITY = 70

_SCRIPT = re.compile(r"[ -~\u0400-\u04ff]+")  # ASCII (normalised Latin) and Cyrillic


class NameIndex:
    """Lookup tables of one boundary set.

    Attributes
    ----------
    codes, exact, normal, keyed : dict of str to set of str
        Unit codes by code (:func:`code_key`), by name as written (case
        folded), by normalised name and by transliteration key.
    plain : dict of str to dict of str to str
        Plain ASCII form of a Latin or Cyrillic name -> {code: name}, for the
        fuzzy stage.
    kinds : dict of str to set of str
        Kinds of unit ("city", "oblast"...) each code's names and types state.
    country : dict of str to str
        Country (ISO alpha-3, or empty) of each code.
    display : dict of str to str
        First name of each code, shown in messages.
    pools : dict
        Fuzzy choices of each country searched, built when first searched.
    """

    def __init__(self) -> None:
        self.codes, self.exact, self.normal, self.keyed = {}, {}, {}, {}  # key -> {codes}
        self.plain: dict[str, dict[str, str]] = {}  # plain form -> {code: name}, for fuzzy
        self.kinds, self.country, self.display, self.pools = {}, {}, {}, {}


_INDEXES: weakref.WeakKeyDictionary[BoundarySet, dict[str | None, NameIndex]] = (
    weakref.WeakKeyDictionary()
)


def index_for(bset: BoundarySet, country: str | None = None) -> NameIndex:
    """Return the lookup tables of a set, built once (cached by the set's identity).

    With ``country``, the tables hold only the units of that country and those
    of no known country: every stage of :func:`geo.names.resolve` narrowed to a
    country finds the same units in them as in the whole set's, and they cost a
    fraction to build (27 oblasts of Ukraine, not the world's 4,600 units).
    Their ``country`` table is always the whole set's.

    Examples
    --------
    >>> from geo.boundary_sets import embedded
    >>> idx = index_for(embedded("admin1"))
    >>> idx is index_for(embedded("admin1")), sorted(idx.normal["kharkiv"])
    (True, ['UA-63'])
    >>> ukraine = index_for(embedded("admin1"), "UKR")
    >>> sorted(ukraine.normal["kharkiv"]), "RU-CE" in ukraine.kinds, "RU-CE" in ukraine.country
    (['UA-63'], False, True)
    """
    built = _INDEXES.setdefault(bset, {})
    whole = codes_for(bset).country
    if country is not None and not any(whole.values()):
        country = None  # a set of unknown countries: one index serves every country
    if country not in built:
        collect = gc.isenabled()
        gc.disable()  # some 300,000 small sets and dicts: collecting meanwhile doubles the time
        try:
            built[country] = _build(bset, country)
        finally:
            if collect:
                gc.enable()
    return built[country]


def code_key(text: object) -> str:
    """Return a code without spaces, ``-`` and ``_``, upper case: the key codes meet on.

    Examples
    --------
    >>> code_key("ua-63"), code_key(" RU_CE ")
    ('UA63', 'RUCE')
    """
    return re.sub(r"[\s_\-]", "", str(text)).upper()


def lookup_keys(folded: str) -> frozenset[str]:
    """Return the transliteration keys of a normalised name.

    There are none for short names ("Nev.") or names in other scripts.

    Examples
    --------
    >>> lookup_keys("nev"), lookup_keys("東京")
    (frozenset(), frozenset())
    >>> sorted(lookup_keys("kharkov") & lookup_keys("харків"))
    ['harkiv']
    """
    return translit.keys(folded) if len(folded) > 3 and _SCRIPT.fullmatch(folded) else frozenset()


def in_country(idx: NameIndex, code: str, country: str | None) -> bool:
    """Tell whether a unit lies in the country given (any, when None; unknown always does)."""
    return country is None or idx.country.get(code) in (country, "")


def close_enough(text: str, found: set[str], idx: NameIndex) -> set[str]:
    """Keep the units of which a name scores :data:`TRANSLIT_MIN_SIMILARITY` against the text."""
    if not found:
        return found
    written = translit.plain(normalise(text))
    kept = set()
    for plain_name, owners in idx.plain.items():
        for code in found & set(owners):
            if fuzz.ratio(written, plain_name) >= TRANSLIT_MIN_SIMILARITY:
                kept.add(code)
    return kept


def fuzzy_candidates(
    idx: NameIndex, text: str, country: str | None
) -> tuple[tuple[str, str, float], ...]:
    """Return the five best units by fuzzy score: (code, closest name, score), best first.

    Examples
    --------
    >>> from geo.boundary_sets import embedded
    >>> fuzzy_candidates(index_for(embedded("admin1")), "Zapoizhzhia", "UKR")[0]
    ('UA-23', 'Zaporizhzhia', 95.7)
    """
    query = translit.plain(normalise(text))
    if country not in idx.pools:
        items = [(p, {c: n for c, n in owners.items() if in_country(idx, c, country)})
                 for p, owners in idx.plain.items()]  # fmt: skip
        idx.pools[country] = ([p for p, o in items if o], [o for _, o in items if o])
    choices, owners = idx.pools[country]
    best: dict[str, tuple[float, str]] = {}
    hits = process.extract(query, choices, scorer=FUZZY_SCORER, limit=None, score_cutoff=50)
    for _, score, i in hits if query else ():
        for code, name in owners[i].items():
            best.setdefault(code, (score, name))  # hits come best first
    ranked = sorted(best.items(), key=lambda item: (-item[1][0], item[0]))[:5]
    return tuple((code, name, round(score, 1)) for code, (score, name) in ranked)


#: Most letters a hand-typed name may have wrong (Levenshtein edits of its plain form) for
#: :func:`typo_match`: one in a name of fewer than 6 letters, two in a longer one.
TYPO_EDITS = (1, 2)


def typo_match(idx: NameIndex, text: str, country: str | None) -> tuple[str, str, int] | None:
    """Find the unit of the country whose name is one or two letters from ``text``, or None.

    Only within a country; the unit must be the only one that close, and every
    other unit at least two edits farther ("Vonyn" is one letter from Volyn and
    three or more from every other oblast). Returns (code, name, edits).

    Examples
    --------
    >>> from geo.boundary_sets import embedded
    >>> typo_match(index_for(embedded("admin1")), "Vonyn", "UKR")
    ('UA-07', 'Volyn', 1)
    >>> typo_match(index_for(embedded("admin1")), "Vonyn", None) is None
    True
    """
    query = translit.plain(normalise(text))
    if not country or len(query) < 4:
        return None
    fuzzy_candidates(idx, text, country)  # fills the country's pool
    choices, owners = idx.pools[country]
    most = TYPO_EDITS[0] if len(query) < 6 else TYPO_EDITS[1]
    best: dict[str, tuple[int, str]] = {}
    hits = process.extract(query, choices, scorer=Levenshtein.distance, limit=None,
                           score_cutoff=most + 2)  # fmt: skip
    for _, edits, i in hits:
        for code, name in owners[i].items():
            if code not in best or edits < best[code][0]:
                best[code] = (int(edits), name)
    ranked = sorted(best.items(), key=lambda item: (item[1][0], item[0]))
    if not ranked or ranked[0][1][0] > most:
        return None
    code, (edits, name) = ranked[0]
    if len(ranked) > 1 and ranked[1][1][0] < edits + 2:
        return None
    return code, name, edits


def _merge(table: dict[str, set[str]], key: str, codes: set[str]) -> None:
    table.setdefault(key, set()).update(codes)


def _code_tables(bset: BoundarySet, idx: NameIndex, frame=None) -> list[str]:
    """Fill the tables of codes and countries of ``idx`` from ``frame`` (default: the set's).

    Returns the codes of ``frame`` in order.
    """
    frame = bset.frame if frame is None else frame
    codes = [str(c) for c in frame["code"]]
    countries = [c if isinstance(c, str) else "" for c in frame["country"].tolist()]
    idx.country = dict(zip(codes, countries, strict=True))
    for column in bset.code_fields:
        for code, value in zip(codes, frame[column].tolist(), strict=True):
            if value is not None and value == value and str(value).strip() not in ("", "-99"):
                _merge(idx.codes, code_key(value), {code})
    return codes


_CODES: weakref.WeakKeyDictionary[BoundarySet, NameIndex] = weakref.WeakKeyDictionary()


def codes_for(bset: BoundarySet) -> NameIndex:
    """Return a set's tables of codes and countries alone, built once (a fraction of the index).

    Its ``codes`` and ``country`` are those of :func:`index_for`; its other
    tables are empty. A code that names one unit is resolved with it, with no
    need for the names.
    """
    if None in _INDEXES.get(bset, {}):
        return _INDEXES[bset][None]
    if bset not in _CODES:
        idx = NameIndex()
        _code_tables(bset, idx)
        _CODES[bset] = idx
    return _CODES[bset]


def _build(bset: BoundarySet, country: str | None) -> NameIndex:
    """Build the tables of a set's units, or of those in ``country`` or of no known country."""
    frame, idx = bset.frame, NameIndex()
    if country is not None:
        known = frame["country"].where(frame["country"].notna(), "").astype(str)
        frame = frame[known.isin([country, ""]).to_numpy()]
    codes = _code_tables(bset, idx, frame)
    if country is not None:
        idx.country = codes_for(bset).country  # the whole set's: aliases and messages need it
    idx.kinds = {c: set() for c in codes}
    names = map(str, reversed(frame["name"].tolist()))
    idx.display = dict(zip(reversed(codes), names, strict=True))  # the first name of a code
    by_name: dict[str, set[str]] = {}  # each name once, with the units that carry it
    for column in bset.name_fields:
        for code, value in zip(codes, frame[column].tolist(), strict=True):
            for name in value.split("|") if isinstance(value, str) else ():
                name = name.strip()
                if name in by_name:
                    by_name[name].add(code)
                elif name:
                    by_name[name] = {code}
    for code, wrong in bset.name_errors().items():
        for name in wrong if code in idx.kinds else ():
            by_name.get(name, set()).discard(code)
    for column in ("type", "type_en") if "type_en" in frame else ():  # Natural Earth unit types
        for code, value in zip(codes, frame[column].tolist(), strict=True):
            idx.kinds[code] |= _analyse(value)[1] if isinstance(value, str) else set()
    label: dict[str, str] = {}
    for name, units in by_name.items():
        folded, kinds = _analyse(name)
        if folded and units:
            for code in units if kinds else ():
                idx.kinds[code] |= kinds
            _merge(idx.exact, name.casefold(), units)
            _merge(idx.normal, folded, units)
            label.setdefault(folded, name)
    for folded, units in idx.normal.items():
        for key in lookup_keys(folded):
            _merge(idx.keyed, key, units)
        if _SCRIPT.fullmatch(folded):  # fuzzy matching: Latin and Cyrillic names
            owners = idx.plain.setdefault(translit.plain(folded), {})
            for code in units:
                owners.setdefault(code, label[folded])
    idx.plain.pop("", None)
    return idx
