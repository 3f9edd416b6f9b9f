"""Numbers written with thousands separators, read when the column leaves no doubt.

Spreadsheets and reports write ``1,250,000`` and ``1 250 000``. A comma is
also a decimal mark in much of the world (``1,5``), so a cell alone cannot
always say what it means: ``1,250`` is 1250 or 1.25. :func:`plain_numbers`
looks at a whole column of a number field and rewrites its cells only when
the column shows how it writes numbers:

- spaces (also no-break and narrow no-break spaces) between groups of three
  digits are always thousands separators (``1 250``, ``12 500.5``);
- commas are thousands separators when every cell with a comma is grouped in
  threes (``1,250``, ``12,500,000.5``) and at least one of them can be read no
  other way (two or more commas, or a comma and a decimal point). A column
  whose only commas are ``1,250``-like is left alone: those cells are
  refused, saying both readings.

What was rewritten is said in a note, with an example.
"""

from __future__ import annotations

import re

import pandas as pd

__all__ = ["AMBIGUOUS_COMMA", "plain_numbers"]

_COMMAS = r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?"
_SPACES = r"[+-]?\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:\.\d+)?"

#: A cell that is 1250 with ',' between thousands, or 1.25 with ',' as decimal mark.
AMBIGUOUS_COMMA = re.compile(r"[+-]?\d{1,3},\d{3}")


def plain_numbers(values: pd.Series, name: str) -> tuple[pd.Series | None, list[str]]:
    """Rewrite a number column's grouped cells without their separators (see the module).

    Returns the rewritten column (None when nothing was rewritten) and notes.

    Examples
    --------
    >>> col = pd.Series(["1,250,000", "1,250", "", "17.5"])
    >>> fixed, said = plain_numbers(col, "value")
    >>> fixed.tolist()
    ['1250000', '1250', '', '17.5']
    >>> said[0][:80]
    "value: 2 number(s) written with ',' between thousands (e.g. '1,250,000' read as "
    >>> plain_numbers(pd.Series(["1,250", "2,5"]), "value")
    (None, [])
    >>> plain_numbers(pd.Series(["1 250", "3"]), "value")[0].tolist()
    ['1250', '3']
    """
    text = values.fillna("").astype(str).str.strip()
    out, notes = text.copy(), []
    spaced = text.str.fullmatch(_SPACES).fillna(False).astype(bool)
    if spaced.any():
        out[spaced] = text[spaced].str.replace(r"[ \u00a0\u202f]", "", regex=True)
        notes.append(_said(name, int(spaced.sum()), "spaces", text[spaced].iloc[0],
                           out[spaced].iloc[0]))  # fmt: skip
    comma = text.str.contains(",", regex=False) & ~spaced
    if comma.any():
        grouped = text[comma].str.fullmatch(_COMMAS).fillna(False).astype(bool)
        certain = text[comma].str.count(",").ge(2) | text[comma].str.contains(".", regex=False)
        if grouped.all() and certain.any():
            out[comma] = text[comma].str.replace(",", "", regex=False)
            example = text[comma][certain].iloc[0]
            notes.append(_said(name, int(comma.sum()), "','", example,
                               example.replace(",", "")) + "; the column's other values show "
                         "',' is no decimal mark in it")  # fmt: skip
    if not notes:
        return None, []
    return out, [n + "." for n in notes]


def _said(name: str, n: int, how: str, written: str, read: str) -> str:
    return (f"{name}: {n:,} number(s) written with {how} between thousands (e.g. {written!r} "
            f"read as {read})")  # fmt: skip
