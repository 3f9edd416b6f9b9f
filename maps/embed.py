"""Embeddable map snippets: one HTML fragment to paste into a report or web page.

:func:`snippet` wraps a whole map page (as :func:`maps.views.render` returns
it) in a ``<figure>`` holding an ``<iframe srcdoc="...">``. The map runs in its
own sandboxed document: its ids, scripts and styles cannot clash with the host
page or with a second map on the same page, and without ``allow-same-origin``
the map cannot read or change the host page. The figure keeps a fixed aspect
ratio as its container resizes; all sizing is in inline styles, so the snippet
needs no stylesheet from the host.

:class:`MapHTML` shows a rendered map in a notebook with no network (its
``_repr_html_`` is the snippet of the inlined page); :func:`display` draws it.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from pathlib import Path

import folium

from maps import views
from maps.safehtml import escape

__all__ = ["SANDBOX", "MapHTML", "display", "snippet"]

#: What the framed map may do: run its scripts and open links in new windows.
#: No ``allow-same-origin``: the map gets an opaque origin and cannot touch the host page.
SANDBOX = "allow-scripts allow-popups"

_FIGURE_STYLE = "margin:1em 0;padding:0;width:100%;max-width:100%;box-sizing:border-box"
_CAPTION_STYLE = "margin:0.3em 0 0 0;font-size:0.9em;color:#444"
_IFRAME_STYLE = (
    "position:absolute;top:0;left:0;width:100%;height:100%;border:0;margin:0;padding:0;"
    "display:block"
)


def _number(value: float) -> str:
    """Format a CSS number: at most 6 decimals, no trailing zeros (deterministic).

    Examples
    --------
    >>> _number(1.6), _number(62.5), _number(100 / 3), _number(2.0)
    ('1.6', '62.5', '33.333333', '2')
    """
    return f"{value:.6f}".rstrip("0").rstrip(".")


def _check(page_html: object, title: object, aspect_ratio: object, min_height_px: object) -> None:
    if not isinstance(page_html, str) or not page_html.strip():
        raise TypeError(
            f"page_html must be a non-empty str (a whole map page), got {type(page_html).__name__}"
            f"{' (empty)' if isinstance(page_html, str) else ''}; "
            "to fix, pass maps.views.render(fmap) or the text of a written map file"
        )
    if not isinstance(title, str) or not title.strip():
        raise ValueError(
            f"title must be a non-empty str, got {title!r}; to fix, pass the map's title: "
            "it is the caption and the iframe's accessible name"
        )
    if (
        isinstance(aspect_ratio, bool)
        or not isinstance(aspect_ratio, (int, float))
        or not math.isfinite(aspect_ratio)
        or aspect_ratio <= 0
    ):
        raise ValueError(
            f"aspect_ratio must be a finite number > 0 (width / height), got {aspect_ratio!r}; "
            "to fix, pass e.g. 16 / 10 or 4 / 3"
        )
    if isinstance(min_height_px, bool) or not isinstance(min_height_px, int) or min_height_px < 0:
        raise ValueError(
            f"min_height_px must be an int >= 0 (CSS pixels), got {min_height_px!r}; "
            "to fix, pass e.g. 320, or 0 for no minimum"
        )


def snippet(
    page_html: str, *, title: str, aspect_ratio: float = 16 / 10, min_height_px: int = 320
) -> str:
    r"""Wrap a whole map page in an HTML fragment to paste into any page.

    Parameters
    ----------
    page_html : str
        A complete HTML page, e.g. ``maps.views.render(fmap, assets_mode="inline")``.
    title : str
        Shown as the caption and used as the iframe's accessible name (escaped).
    aspect_ratio : float
        Width / height of the map; kept as the container resizes.
    min_height_px : int
        The map is never shorter than this (CSS pixels), on narrow containers.

    Returns
    -------
    str
        ``<figure class="minemap-embed">`` with a box of the given aspect ratio
        (CSS ``aspect-ratio``, and a ``padding-top`` spacer for browsers without
        it), a lazily loaded, sandboxed ``<iframe srcdoc>`` holding the page
        (attribute-escaped, so nothing in it can end the attribute) and a
        ``<figcaption>``. No ids, so several snippets can share a page; the same
        arguments always give the same text.

    Raises
    ------
    TypeError
        If ``page_html`` is not a non-empty string.
    ValueError
        If ``title`` is empty or ``aspect_ratio`` or ``min_height_px`` is out of range.

    Examples
    --------
    >>> import re
    >>> s = snippet("<p class='x'>Map & key</p>", title='A "map" <b>')
    >>> re.findall(r"<(\w+)", s)
    ['figure', 'div', 'div', 'iframe', 'figcaption']
    >>> print(re.search(r'srcdoc="([^"]*)"', s).group(1))
    &lt;p class=&#x27;x&#x27;&gt;Map &amp; key&lt;/p&gt;
    >>> html.unescape(re.search(r'srcdoc="([^"]*)"', s).group(1))
    "<p class='x'>Map & key</p>"
    >>> for name in ("title", "loading", "sandbox", "referrerpolicy"):
    ...     print(name, re.search(f' {name}="([^"]*)"', s).group(1))
    title A &quot;map&quot; &lt;b&gt;
    loading lazy
    sandbox allow-scripts allow-popups
    referrerpolicy no-referrer
    >>> print(re.search(r"<figcaption[^>]*>(.*)</figcaption>", s).group(1))
    A &quot;map&quot; &lt;b&gt;
    >>> re.findall(r"aspect-ratio:[^;]*|min-height:[^;\"]*|padding-top:[^;\"]*", s)
    ['aspect-ratio:1.6', 'min-height:320px', 'padding-top:62.5%']
    >>> " id=" in s, s == snippet("<p class='x'>Map & key</p>", title='A "map" <b>')
    (False, True)
    """
    _check(page_html, title, aspect_ratio, min_height_px)
    ratio = _number(float(aspect_ratio))
    spacer = _number(100 / float(aspect_ratio))
    box_style = f"position:relative;width:100%;aspect-ratio:{ratio};min-height:{min_height_px}px"
    label = escape(title)
    return (
        f'<figure class="minemap-embed" style="{_FIGURE_STYLE}">'
        f'<div class="minemap-embed-box" style="{box_style}">'
        # Gives the box its height where aspect-ratio is unknown; where it is known the
        # two agree, so the box is exactly width / ratio (or min_height_px) either way.
        f'<div class="minemap-embed-spacer" style="padding-top:{spacer}%" aria-hidden="true">'
        "</div>"
        f'<iframe srcdoc="{html.escape(page_html, quote=True)}" title="{label}" loading="lazy"'
        f' sandbox="{SANDBOX}" referrerpolicy="no-referrer" style="{_IFRAME_STYLE}"></iframe>'
        "</div>"
        f'<figcaption class="minemap-embed-caption" style="{_CAPTION_STYLE}">{label}</figcaption>'
        "</figure>"
    )


@dataclass(frozen=True, repr=False)
class MapHTML:
    """A rendered map page that shows itself offline in notebooks.

    Parameters
    ----------
    page : str
        The whole map page (inlined assets, so it needs no network).
    title : str
        Caption and accessible name of the embedded map.
    aspect_ratio : float
        Width / height of the embedded map.
    min_height_px : int
        Minimum height of the embedded map (CSS pixels).

    Examples
    --------
    >>> m = MapHTML("<!DOCTYPE html><p>map</p>", title="Demo")
    >>> m
    MapHTML(title='Demo', 25 characters)
    >>> m._repr_html_() == m.snippet() == snippet(m.page, title="Demo")
    True
    """

    page: str
    title: str
    aspect_ratio: float = 16 / 10
    min_height_px: int = 320

    def __post_init__(self) -> None:
        _check(self.page, self.title, self.aspect_ratio, self.min_height_px)

    def __repr__(self) -> str:
        # The page is often megabytes: never print it.
        return f"MapHTML(title={self.title!r}, {len(self.page):,} characters)"

    def snippet(self) -> str:
        """Return the embeddable fragment (see :func:`snippet`)."""
        return snippet(
            self.page,
            title=self.title,
            aspect_ratio=self.aspect_ratio,
            min_height_px=self.min_height_px,
        )

    def _repr_html_(self) -> str:
        """Notebook display: the snippet, which loads nothing from the network."""
        return self.snippet()

    def save(self, path: str | Path, *, embed: bool = False) -> Path:
        """Write the page (or, with ``embed=True``, the snippet) as UTF-8; return the path.

        Parameters
        ----------
        path : str or pathlib.Path
            File to write; its folder must exist.
        embed : bool
            Write the snippet to paste into another page instead of the whole page.

        Examples
        --------
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp())
        >>> MapHTML("<p>map</p>", title="Demo").save(folder / "demo.html").read_text()
        '<p>map</p>'
        """
        path = Path(path)
        if not path.parent.is_dir():
            raise FileNotFoundError(
                f"cannot save map to {path}: folder {path.parent} does not exist; "
                "to fix, create it first or choose another path"
            )
        path.write_text(self.snippet() if embed else self.page, encoding="utf-8", newline="\n")
        return path


def display(
    fmap: folium.Map, *, title: str, aspect_ratio: float = 16 / 10, min_height_px: int = 320
) -> MapHTML:
    """Render a map with inlined assets and wrap it for offline notebook display.

    Parameters
    ----------
    fmap : folium.Map
        A map, e.g. from :func:`maps.views.incidents_map`.
    title : str
        Caption and accessible name.
    aspect_ratio, min_height_px
        As for :func:`snippet`.

    Examples
    --------
    >>> from maps.assets import external_urls
    >>> m = display(folium.Map(tiles=None), title="Empty")
    >>> external_urls(m.page)
    []
    """
    if not isinstance(fmap, folium.Map):
        raise TypeError(
            f"display() needs a folium.Map, got {type(fmap).__name__}; to fix, pass a map "
            "from maps.views, or wrap a rendered page with MapHTML(page, title=...)"
        )
    page = views.render(fmap, assets_mode="inline")
    return MapHTML(page, title=title, aspect_ratio=aspect_ratio, min_height_px=min_height_px)
