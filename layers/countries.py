"""Country names, as event files write them, read as ISO 3166-1 alpha-3 codes.

ACLED and UCDP name countries ("Ukraine", "Russia (Soviet Union)"); records
need the code (``UKR``). :func:`codes_for_names` rewrites a ``country``
column's names to codes by the embedded admin-0 table's names (English and
other languages, long and formal names), each distinct name looked up once, and
says in a note what it read, with the counts. A UCDP name's historical part in
brackets ("Russia (Soviet Union)", "Yemen (North Yemen)") is set aside. Names
matched only fuzzily are left as written, so validation rejects them with the
fix: a country is never guessed.
"""

from __future__ import annotations

import re

import pandas as pd

from geo.errors import MinemapError

__all__ = ["codes_for_names"]

_CODE = re.compile(r"[A-Z]{3}")
_BRACKETED = re.compile(r"\s*\([^()]*\)\s*$")


def _code_for(name: str) -> tuple[str | None, str]:
    """Return the ISO3 code of a country name and how it was read, or (None, '')."""
    from geo.names import resolve

    for text, how in ((name, ""), (_BRACKETED.sub("", name), " (the part in brackets set aside)")):
        if not text:
            continue
        try:
            found = resolve(text, level="admin0", fuzzy_threshold=101)
        except MinemapError:
            continue
        return found.code, how
    return None, ""


def codes_for_names(cells: pd.Series, notes: list[str]) -> pd.Series:
    """Rewrite country names in ``cells`` as ISO3 codes; codes and empty cells stay as they are.

    Examples
    --------
    >>> notes = []
    >>> codes_for_names(pd.Series(["Ukraine", "UKR", "Russia (Soviet Union)", ""]), notes).tolist()
    ['UKR', 'UKR', 'RUS', '']
    >>> print(notes[0].split(": ", 2)[2])
    'Ukraine' -> UKR (1), 'Russia (Soviet Union)' -> RUS (the part in brackets set aside) (1)
    """
    text = cells.fillna("").astype(str).str.strip()
    codes, uniques = pd.factorize(text)
    if not len(uniques):
        return cells
    values = list(uniques)
    read: list[str] = []
    unknown: list[str] = []
    counts = pd.Series(codes).value_counts()
    replaced = 0
    for i, name in enumerate(values):
        if not name or _CODE.fullmatch(name):
            continue
        code, how = _code_for(name)
        if code is None:
            unknown.append(name)
            continue
        values[i] = code
        replaced += int(counts.get(i, 0))
        read.append(f"{name!r} -> {code}{how} ({int(counts.get(i, 0)):,})")
    if read:
        more = f" and {len(read) - 10} more" if len(read) > 10 else ""
        notes.append(
            f"country: {replaced:,} cell(s) held country names, read as ISO 3166-1 alpha-3 "
            f"codes: {', '.join(read[:10])}{more}"
        )
    if unknown:
        notes.append(
            f"country: {len(unknown):,} name(s) match no country of the embedded admin-0 table "
            f"({', '.join(repr(n) for n in unknown[:5])}); their rows are rejected; write the "
            "ISO 3166-1 alpha-3 code (e.g. UKR)"
        )
    return pd.Series(pd.array(values, dtype=object)[codes], index=cells.index, dtype=object)
