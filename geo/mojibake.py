"""Text decoded with the wrong code page ("mojibake"), told and repaired.

UTF-8 bytes read as Latin-1 or Windows-1252 turn "Донецька" into
"Ð”Ð¾Ð½ÐµÑ†ÑŒÐºÐ°" and "Goražde" into "GoraÅ¾de": a shapefile's .dbf without a
.cpg file is read so by GDAL. :func:`repair` undoes it when the text encodes
back to bytes in that code page and those bytes are valid UTF-8 that is not
ASCII; text that does not (real Latin-1 names like "Ærø", or Cyrillic) is left
alone: valid UTF-8 sequences almost never arise by chance from real text.
"""

from __future__ import annotations

__all__ = ["looks_mojibake", "repair"]

_PAGES = ("latin-1", "cp1252")


def repair(text: str) -> str | None:
    """Return the text as it was before being read in the wrong code page, or None.

    Examples
    --------
    >>> repair("Ð”Ð¾Ð½ÐµÑ†ÑŒÐºÐ°"), repair("GoraÅ¾de"), repair("Goražde"), repair("Ærø")
    ('Донецька', 'Goražde', None, None)
    """
    if text.isascii():
        return None
    for page in _PAGES:
        try:
            fixed = text.encode(page).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if fixed != text and not fixed.isascii():
            return fixed
    return None


def looks_mojibake(values) -> tuple[int, int, str | None]:
    """Count the non-ASCII texts among ``values`` and those :func:`repair` repairs, with one.

    Returns (non-ASCII texts, repairable texts, an example ``'bad' -> 'good'``).

    Examples
    --------
    >>> looks_mojibake(["Kyiv", "Ð”Ð¾Ð½ÐµÑ†ÑŒÐºÐ°", "Ð¥Ð°Ñ€ÐºÑ–Ð²Ñ"])
    (2, 1, "'Ð”Ð¾Ð½ÐµÑ†ÑŒÐºÐ°' -> 'Донецька'")
    """
    foreign = repairable = 0
    example = None
    for value in values:
        if not isinstance(value, str) or value.isascii():
            continue
        foreign += 1
        fixed = repair(value)
        if fixed is not None:
            repairable += 1
            example = example or f"{value!r} -> {fixed!r}"
    return foreign, repairable, example
