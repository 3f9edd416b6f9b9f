"""Name folding: normalisation, Cyrillic to Latin transliteration, matching keys.

:func:`normalise` folds case, accents, apostrophes, soft signs and generic words
("Kharkivs'ka oblast'" -> "kharkiv", "Харківська область" -> "харків");
:func:`analyse` also says which kind of unit the generic words name.

Sources write the same Ukrainian or Russian unit in several romanisations:
Kharkiv (Ukrainian national system), Khar'kov (BGN/PCGN from Russian), Charkow
(German), Har'kov... :func:`transliterate` romanises Cyrillic under one named
system (:data:`SYSTEMS`), :func:`variants` under every system that fits the
text's language, and :func:`fold` reduces any spelling, Latin or Cyrillic, to a
matching key on which the usual variants meet:

- digraphs: kh/h/x (х), g/h (г), zh, ch, sh, shch, ts/tz/cz/c (ц), ž/č/š (ISO 9);
- y/i/j, ie/ye/je/e, yi/ï, ia/ya/ja/â, iu/yu/ju/û: the vowels e, i, o, y, j fold
  to one, since Ukrainian і stands where Russian has о or е (Kharkiv/Kharkov,
  Kyiv/Kiev, Rivne/Rovno);
- apostrophes and soft signs are dropped, double letters written once;
- per word, trailing vowels are dropped (Zaporizhzhia/Zaporozhye, Odesa), then
  a final ``-sk``/``-tsk`` and the vowels before it (Donetsk/Donets'ka/Донецкая,
  Tomsk/Tomskaya, Khmelnytskyi/Khmelny-).

The key is lossy on purpose: it is used only to find candidate units, and a
key shared by two units is reported as ambiguous, never resolved by a guess.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache, partial

__all__ = [
    "SYSTEMS",
    "analyse",
    "detect_language",
    "fold",
    "keys",
    "normalise",
    "plain",
    "transliterate",
    "variants",
]

#: Transliteration systems: name -> (languages, description).
SYSTEMS: dict[str, tuple[tuple[str, ...], str]] = {
    "kmu2010": (("uk",), "Ukrainian national system, Cabinet of Ministers resolution 55 (2010)"),
    "bgn_pcgn_uk": (("uk",), "BGN/PCGN 1965 for Ukrainian"),
    "bgn_pcgn_ru": (("ru",), "BGN/PCGN 1947 for Russian"),
    "gost_7_79_b": (("ru", "uk"), "GOST 7.79-2000 system B (ASCII)"),
    "iso9": (("ru", "uk"), "ISO 9:1995 (GOST 7.79 system A), scientific, with diacritics"),
    "loose": (("ru", "uk"), "plain ASCII as typed by hand: no apostrophes or soft signs"),
}


def _table(letters: str, latin: str) -> dict[str, str]:
    """Map each letter to the word at its place in ``latin`` ("-" for nothing)."""
    return dict(zip(letters, (w.replace("-", "") for w in latin.split()), strict=True))


_CYR = "абвгдежзийклмнопрстуфхцчшщъыьэюяёіїєґ"
_COMMON = _table(
    _CYR, "a b v g d e zh z i y k l m n o p r s t u f kh ts ch sh shch - y - e yu ya e i yi ye g"
)
_UK = {**_COMMON, "г": "h", "и": "y", "'": "", "’": "", "ʼ": ""}
_GOST = {**_COMMON, "х": "x", "ц": "cz", "щ": "shh", "й": "j", "ь": "`"}
_ISO9 = _table(
    _CYR + "’'", "a b v g d e ž z i j k l m n o p r s t u f h c č š ŝ ʺ y ʹ è û â ë ì ï ê g̀ ’ ’"
)
_TABLES: dict[str, dict[str, dict[str, str]]] = {
    "kmu2010": {"uk": {**_UK, "ь": "", "є": "ie", "ї": "i", "й": "i", "ю": "iu", "я": "ia"}},
    "bgn_pcgn_uk": {"uk": {**_UK, "ь": "’", "'": "”", "’": "”", "ʼ": "”"}},
    "bgn_pcgn_ru": {"ru": {**_COMMON, "ъ": "”", "ь": "’", "ё": "ë"}},
    "gost_7_79_b": {
        "ru": {**_GOST, "ъ": "``", "ы": "y`", "э": "e`", "ё": "yo"},
        "uk": {**_GOST, "и": "y`", "ґ": "g`", "'": "'", "’": "'"},
    },
    "iso9": {"ru": _ISO9, "uk": _ISO9},
    "loose": {"ru": _COMMON, "uk": {**_UK, "ь": ""}},
}
_APOSTROPHES = "'’‘`ʼʹ′´\u02bb"
_WORD_START = r"(?<![^\W\d_])(?<![\'’ʼ])"  # not after a letter or an apostrophe
# Positional rules, applied before the letter table: (pattern, replacement of each letter).
_POSITIONAL = {
    "kmu2010": [
        (re.compile(_WORD_START + "[єїйюяЄЇЙЮЯ]"), _table("єїйюя", "ye yi y yu ya")),
        (re.compile("(?<=[зЗ])[гГ]"), {"г": "gh"}),
    ],
    "bgn_pcgn_ru": [
        (
            re.compile(f"(?:{_WORD_START}|(?<=[аеёиоуыэюяйъьАЕЁИОУЫЭЮЯЙЪЬ]))[еёЕЁ]"),
            {"е": "ye", "ё": "yë"},
        )
    ],
    "gost_7_79_b": [(re.compile("[цЦ](?=[еиыйіїєЕИЫЙІЇЄ])"), {"ц": "c"})],
}


def _case(rep: str, upper: bool) -> str:
    return rep[:1].upper() + rep[1:] if upper else rep


def _positional(forms: dict[str, str], match: re.Match) -> str:
    return _case(forms[match[0].lower()], match[0].isupper())


_TRANSLATE = {
    (system, lang): str.maketrans(
        {**table, **{k.upper(): _case(v, True) for k, v in table.items() if k.isalpha()}}
    )
    for system, tables in _TABLES.items()
    for lang, table in tables.items()
}
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_UK_ONLY = re.compile(r"[іїєґІЇЄҐ]")
_RU_ONLY = re.compile(r"[ыэёъЫЭЁЪ]")
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def detect_language(text: str) -> str | None:
    """Return ``"uk"`` or ``"ru"`` when letters give the language away, else None.

    Examples
    --------
    >>> detect_language("Харків"), detect_language("Тверь, Орёл"), detect_language("Донецк")
    ('uk', 'ru', None)
    """
    if _UK_ONLY.search(text):
        return "uk"
    if _RU_ONLY.search(text):
        return "ru"
    return None


def transliterate(text: str, system: str = "kmu2010", language: str | None = None) -> str:
    """Romanise the Cyrillic letters of ``text`` under one system; other characters are kept.

    Parameters
    ----------
    text : str
        Text in any script.
    system : str
        A key of :data:`SYSTEMS`.
    language : {"uk", "ru"}, optional
        Language of the text; detected from its letters (і, ї, є, ґ: Ukrainian;
        ы, э, ё, ъ: Russian) when omitted, else the system's first language
        (Russian for the systems that cover both: Cyrillic without those letters
        is more often Russian, e.g. "Донецк", "Николаев").

    Examples
    --------
    >>> transliterate("Харківська область")
    'Kharkivska oblast'
    >>> transliterate("Запоріжжя"), transliterate("Київ"), transliterate("Знам'янка")
    ('Zaporizhzhia', 'Kyiv', 'Znamianka')
    >>> transliterate("Донецьк", "bgn_pcgn_uk"), transliterate("Харьков", "bgn_pcgn_ru")
    ('Donets’k', 'Khar’kov')
    >>> transliterate("Чечня", "iso9"), transliterate("Чечня", "gost_7_79_b")
    ('Čečnâ', 'Chechnya')
    >>> transliterate("Николаев", "bgn_pcgn_ru"), transliterate("Николаев", "loose")
    ('Nikolayev', 'Nikolaev')
    """
    if system not in SYSTEMS:
        raise ValueError(
            f"unknown transliteration system {system!r}: expected one of {sorted(SYSTEMS)}. "
            "Fix: pick a system from geo.translit.SYSTEMS."
        )
    languages = SYSTEMS[system][0]
    lang = language or detect_language(text) or languages[0]
    if lang not in _TABLES[system]:
        lang = languages[0]
    for pattern, forms in _POSITIONAL.get(system, ()):
        text = pattern.sub(partial(_positional, forms), text)
    return text.translate(_TRANSLATE[system, lang])


def variants(text: str) -> tuple[str, ...]:
    """All romanisations of a text under the systems of its language (Latin text: itself).

    Examples
    --------
    >>> variants("Луганськ")  # no і, ї, є, ґ: read as Ukrainian and as Russian
    ('Luhansk', 'Luhans’k', 'Lugans’k', 'Lugans`k', 'Lugansʹk', 'Lugansk')
    >>> variants("Kharkiv")
    ('Kharkiv',)
    """
    if not _CYRILLIC.search(text):
        return (text,)
    detected = detect_language(text)
    found: dict[str, None] = {}
    for system, (languages, _) in SYSTEMS.items():
        for lang in languages:
            if detected in (None, lang):
                found[transliterate(text, system, lang)] = None
    return tuple(found)


_PLAIN = str.maketrans(
    {
        **_table("žčšŝâûêïëèìßłøæœ", "zh ch sh shch ya yu ye yi e e i ss l o ae oe"),
        **dict.fromkeys(_APOSTROPHES + 'ʺ”“"'),
    }
)
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_DIGRAPHS = (
    ("shch", "SC"), ("tsch", "C"), ("sch", "S"), ("zh", "Z"), ("ch", "C"), ("sh", "S"),
    ("kh", "h"), ("ts", "c"), ("tz", "c"), ("cz", "c"), ("ph", "f"), ("x", "ks"),
)  # fmt: skip
_LETTERS = str.maketrans("eoyjgw", "iiiihv")
_DOUBLE = re.compile(r"(.)\1+")
_ENDING = re.compile(r"(?<=\w\w)(?:[aiu]*[scz]k)?[aiu]*\b")  # vowels, -sk and vowels before it


@lru_cache(maxsize=1 << 17)
def plain(text: str) -> str:
    """Lower-case ASCII form: Cyrillic romanised loosely, accents and apostrophes dropped.

    Letters of other scripts are dropped.

    Examples
    --------
    >>> plain("Donets'k Oblast'"), plain("Харьков"), plain("Côte d’Ivoire")
    ('donetsk oblast', 'kharkov', 'cote divoire')
    """
    if _CYRILLIC.search(text):
        text = transliterate(text, "loose")
    text = text.lower().translate(_PLAIN)
    if not text.isascii():
        text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    return _NOT_ALNUM.sub(" ", text).strip()


def fold(text: str) -> str:
    """Return the matching key of a spelling; see the module docstring for what it folds.

    Examples
    --------
    >>> fold("Kharkiv") == fold("Kharkov") == fold("Харків") == fold("Харьков")
    True
    >>> fold("Zaporizhzhia") == fold("Zaporozhye") == fold("Запоріжжя") == fold("Запорожье")
    True
    >>> fold("Donets'k") == fold("Донецк") == fold("Donetska"), fold("Luhansk") == fold("Lugansk")
    (True, True)
    >>> fold("Kyiv") == fold("Kiev"), fold("Chechnya") == fold("Chechnia") == fold("Чечня")
    (True, True)
    >>> fold("Mykolaiv") == fold("Nikolaev")  # different words: an alias or name field joins them
    False
    """
    text = plain(text)
    for old, new in _DIGRAPHS:
        text = text.replace(old, new)
    text = text.translate(_LETTERS)
    return _ENDING.sub("", _DOUBLE.sub(r"\1", text)).replace(" ", "")


# Systems whose spellings can fold to different keys; kmu2010, bgn_pcgn_uk,
# bgn_pcgn_ru and iso9 spellings fold to the key of the "loose" spelling.
_KEY_SYSTEMS = ("loose", "gost_7_79_b")


def keys(text: str) -> frozenset[str]:
    """Folded keys of every romanisation of a text (see :func:`variants` and :func:`fold`).

    Examples
    --------
    >>> sorted(keys("Київ"))
    ['kiv']
    >>> keys("Kiev") == keys("Kyiv") == keys("Киев")
    True
    >>> all(fold(v) in keys("Щёлково, Хмельницький") for v in variants("Щёлково, Хмельницький"))
    True
    """
    if not _CYRILLIC.search(text):
        return frozenset((fold(text),)) - {""}
    detected = detect_language(text)
    spelt = {
        transliterate(text, system, lang)
        for system in _KEY_SYSTEMS
        for lang in SYSTEMS[system][0]
        if detected in (None, lang)
    }
    return frozenset(map(fold, spelt)) - {""}


# Words that say what kind of unit a name is, not which one, with that kind
# (compared after apostrophes and soft signs are dropped: "область" as "област").
_DROP = re.compile("['’‘`ʼʹ′´\u02bbьъ]")
_KINDS = {
    "oblast": "oblast oblasti oblasty obl область обл области",
    "region": "region регион регіон province",  # any kind but a city
    "republic": "republic respublika республика республіка resp респ",
    "krai": "krai kray край territory",
    "okrug": "okrug округ okr aok ао",
    "city": "city misto gorod місто город м г municipality miska міська gorsovet горсовет",
}
_REGION = frozenset(("oblast", "republic", "krai", "okrug"))
_KIND_WORDS = {
    _DROP.sub("", word): _REGION if kind == "region" else frozenset((kind,))
    for kind, words in _KINDS.items()
    for word in words.split()
}
_OTHER = (
    "of the autonomous avtonomna avtonomnaya avtonomnaia avtonomnyy avtonomnyi avtonomnyj "
    "автономна автономная автономний автономный автономной автономного federal federalnogo "
    "znacheniya федерального значения rada рада district governorate muhafazat"
)
_OTHER_GENERIC = frozenset(_DROP.sub("", w) for w in _OTHER.split())
_GENERIC = frozenset(_KIND_WORDS) | _OTHER_GENERIC
_SPLIT = re.compile(r"[\s\-_.,;:()\[\]/\"«»“”–—]+")
_STRESS = re.compile("[\u0300\u0301]")
# Adjectival endings of unit names ("Kharkivs'ka", "Харьковская", "Krasnodarskiy"),
# stripped before a kind word; and the "-shchyna" region nickname ("Харківщина").
_ADJECTIVE = re.compile(
    r"(?<=\w{3})(?:(?:ts|s|z|c)k(?:a|aya|aja|aia|iy|ij|ii|yy|yi|y|i)|[цсз]к(?:а|ая|ий|ій|ый))$"
)
_NICKNAME = re.compile(r"(?<=\w{3})(?:щина|shchyna|shchina)\b")


@lru_cache(maxsize=1 << 18)
def analyse(text: str) -> tuple[str, frozenset[str]]:
    """Return the :func:`normalise` form of a name and the kinds of unit it names.

    Kinds are ``oblast`` (oblast, область, -shchyna), ``republic``, ``krai``,
    ``okrug`` and ``city`` (city, місто, город, misto, м., г.); "region" and
    "province" say any kind but a city.

    Examples
    --------
    >>> analyse("city of Kyiv"), analyse("Київщина")
    (('kyiv', frozenset({'city'})), ('київ', frozenset({'oblast'})))
    """
    text = str(text).casefold().replace("ё", "е")
    if not text.isascii():
        if _CYRILLIC.search(text):
            text = unicodedata.normalize("NFD", text)  # drop stress marks, keep й, ї
            text = unicodedata.normalize("NFC", _STRESS.sub("", text))
        else:
            text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    words = [w for w in _SPLIT.split(_DROP.sub("", text)) if w]
    if _GENERIC.isdisjoint(words) and not ("щина" in text or "shch" in text):
        if len(words) == 1 and _CYRILLIC.search(words[0]):
            # A region's adjective alone ("Кировская", "Донецька") is its name without the
            # kind word ("область", "край"), as FIAS and ministry lists write it.
            return _ADJECTIVE.sub("", words[0]), frozenset()
        return " ".join(words), frozenset()
    kinds, out = set(), []
    for i, word in enumerate(words):
        if word in _GENERIC:
            kinds |= _KIND_WORDS.get(word, frozenset())
            continue
        following = next((w for w in words[i + 1 :] if w not in _OTHER_GENERIC), "")
        if following in _KIND_WORDS:
            word = _ADJECTIVE.sub("", word)
        elif _NICKNAME.search(word):
            word = _NICKNAME.sub("", word)
            kinds.add("oblast")
        out.append(word)
    return " ".join(out), frozenset(kinds)


def normalise(text: str) -> str:
    """Return a name folded for matching: case, accents, apostrophes, generic words.

    Generic words (oblast, область, обл., region, republic, республика, krai,
    okrug, autonomous, city, місто, город, м., г., of, the...) are dropped, and so
    is the adjectival ending of the word before one of them (-s'ka, -ska,
    -skaya, -tska, -skiy; -ська, -цька, -ская, -ский), so that an oblast's name
    meets its centre's. Stress marks are dropped, ``ё`` becomes ``е``; other
    Cyrillic letters are kept (й, ї).

    Examples
    --------
    >>> normalise("Donets'k Oblast")
    'donetsk'
    >>> normalise("Kharkivs'ka oblast'"), normalise("Харківська область")
    ('kharkiv', 'харків')
    >>> normalise("Харьковская обл."), normalise("Krasnodarskiy Kray"), normalise("Харківщина")
    ('харков', 'krasnodar', 'харків')
    >>> normalise("Chechen Republic"), normalise("м. Київ"), normalise("")
    ('chechen', 'київ', '')
    """
    return analyse(text)[0]
