"""Make folium HTML self-contained by inlining vendored JS/CSS assets.

folium writes ``<script src="https://cdn...">`` and ``<link rel="stylesheet"
href="https://cdn...">`` tags. :func:`inline` replaces every such tag whose URL
is listed in ``maps/vendor/manifest.json`` by the content of the vendored file
(see ``maps/vendor/README.md``), so the map opens with no network at all.
Images and fonts referenced from CSS become base64 ``data:`` URIs.
"""

from __future__ import annotations

import base64
import functools
import html as html_lib
import json
import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path

__all__ = ["AssetError", "external_urls", "inline"]

VENDOR_DIR = Path(__file__).resolve().parent / "vendor"

# Fixed table rather than ``mimetypes`` so the output does not depend on the host.
_MIME = {".png": "image/png", ".gif": "image/gif", ".jpg": "image/jpeg", ".svg": "image/svg+xml"}
_MIME |= {".woff2": "font/woff2", ".woff": "font/woff", ".ttf": "font/ttf"}
_EXTERNAL = re.compile(r"^\s*(?:https?:)?//", re.IGNORECASE)
_CSS_URL = re.compile(r"""url\(\s*(["']?)(.*?)\1\s*\)""", re.DOTALL)
_STYLE_END = re.compile(r"</(style)", re.IGNORECASE)
# Leaflet finds its default icon via the CSS url() of .leaflet-default-icon-path, which fails for
# data: URIs (markers would load "marker-icon.png" beside the HTML). Paths relative to leaflet.js.
_LEAFLET_ICONS = {
    "iconUrl": "images/marker-icon.png",
    "iconRetinaUrl": "images/marker-icon-2x.png",
    "shadowUrl": "images/marker-shadow.png",
}
_FIX_HINT = (
    "to fix, add the npm package and file to 'packages' in maps/vendor/manifest.json "
    "(with this URL under its 'urls') and run `python maps/vendor/update.py`, "
    "or write the map with --assets cdn"
)


class AssetError(ValueError):
    """An asset referenced by the HTML cannot be inlined from ``maps/vendor``."""


@functools.lru_cache(maxsize=1)
def _manifest() -> tuple[dict[str, dict], dict[str, dict]]:
    data = json.loads((VENDOR_DIR / "manifest.json").read_text(encoding="utf-8"))
    return data["urls"], data.get("dropped", {})


def _key(url: str) -> str:
    """Normalise a CDN URL for manifest lookup (``//x`` and ``http://x`` -> ``https://x``)."""
    url = url.strip()
    if url.startswith("//"):
        return "https:" + url
    if url.lower().startswith("http://"):
        return "https://" + url[7:]
    return url


@functools.lru_cache(maxsize=128)
def _read(rel: str) -> bytes:
    """Bytes of a vendored file given its path relative to ``maps/vendor``."""
    path = (VENDOR_DIR / rel).resolve()
    if VENDOR_DIR.resolve() not in path.parents or not path.is_file():
        raise AssetError(f"vendored file {rel!r} is missing; run `python maps/vendor/update.py`")
    return path.read_bytes()


@functools.lru_cache(maxsize=128)
def _data_uri(rel: str) -> str:
    mime = _MIME.get(posixpath.splitext(rel)[1].lower())
    if mime is None:
        raise AssetError(f"no MIME type known for {rel!r}; extend maps.assets._MIME")
    return f"data:{mime};base64,{base64.b64encode(_read(rel)).decode('ascii')}"


@functools.lru_cache(maxsize=128)
def _css(rel: str) -> str:
    """Vendored CSS with every relative ``url()`` turned into a ``data:`` URI."""

    def embed(match: re.Match[str]) -> str:
        ref = match.group(2).strip()
        if not ref or ref.startswith(("data:", "#")):
            return match.group(0)
        if _EXTERNAL.match(ref) or re.match(r"^[a-z][a-z0-9+.-]*:", ref, re.IGNORECASE):
            raise AssetError(f"{rel} references {ref}, which cannot be inlined")
        target = posixpath.normpath(
            posixpath.join(posixpath.dirname(rel), re.split(r"[?#]", ref)[0])
        )
        return f'url("{_data_uri(target)}")'

    text = _CSS_URL.sub(embed, _read(rel).decode("utf-8"))
    return _STYLE_END.sub(r"<\\/\1", text)


@functools.lru_cache(maxsize=128)
def _js(rel: str) -> str:
    r"""Vendored JS made safe to sit inside ``<script>...</script>``.

    ``</`` becomes ``<\/``, which means the same inside JS string literals,
    regex literals and comments (the only places it occurs in the vendored
    files), so no ``</script>`` can end the element early. ``<!--`` could
    switch the HTML parser into its "double escaped" script state; no vendored
    file contains it, and a file that does is rejected rather than mangled.
    """
    text = _read(rel).decode("utf-8")
    if "<!--" in text:
        raise AssetError(f"{rel} contains '<!--' and cannot be inlined safely")
    return text.replace("</", "<\\/")


@functools.lru_cache(maxsize=128)
def _leaflet_icon_shim(js_rel: str) -> str:
    base = posixpath.dirname(js_rel)
    opts = ",".join(
        f'{name}:"{_data_uri(posixpath.join(base, path))}"' for name, path in _LEAFLET_ICONS.items()
    )
    return (
        "<script>/* minemap: Leaflet default marker icons as data: URIs */"
        f'L.Icon.Default.imagePath="";L.Icon.Default.mergeOptions({{{opts}}});</script>'
    )


class _TagScanner(HTMLParser):
    """Collect script/link/img start tags with their character span.

    ``html.parser`` treats ``<script>``/``<style>`` bodies as raw text, so URLs
    quoted inside inline JavaScript are not mistaken for tags. For a
    ``<script>`` the span runs to the end of its ``</script>`` tag.
    """

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=False)
        self._text = text
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.tags: list[tuple[str, int, int, dict[str, str]]] = []
        self.feed(text)
        self.close()

    def _offset(self) -> int:
        line, col = self.getpos()
        return self._line_starts[line - 1] + col

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "link", "img"):
            start = self._offset()
            end = start + len(self.get_starttag_text() or "")
            values = {name.lower(): value or "" for name, value in attrs}
            self.tags.append((tag, start, -1 if tag == "script" else end, values))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self.tags and self.tags[-1][0] == "script" and self.tags[-1][2] < 0:
            name, start, _, attrs = self.tags[-1]
            self.tags[-1] = (name, start, self._text.index(">", self._offset()) + 1, attrs)


def _tag_url(tag: str, attrs: dict[str, str]) -> str | None:
    return attrs.get("href") if tag == "link" else attrs.get("src")


def external_urls(html: str) -> list[str]:
    """List the network URLs an HTML page would load through its tags.

    Parameters
    ----------
    html : str
        A full HTML document, e.g. ``folium.Map().get_root().render()``.

    Returns
    -------
    list of str
        Every ``http://``, ``https://`` or protocol-relative ``//`` URL found
        in a ``<script src>``, ``<link href>`` or ``<img src>`` attribute, in
        document order, without duplicates. Text inside inline scripts and
        styles is not inspected.
    """
    urls = (_tag_url(tag, attrs) for tag, _, _, attrs in _TagScanner(html).tags)
    return list(dict.fromkeys(u.strip() for u in urls if u and _EXTERNAL.match(u)))


def inline(html: str) -> str:
    """Replace CDN script/stylesheet tags by the vendored file contents.

    Parameters
    ----------
    html : str
        A full HTML document as rendered by folium.

    Returns
    -------
    str
        The same document where each ``<script src=URL></script>`` becomes
        ``<script>...</script>`` and each ``<link rel="stylesheet" href=URL>``
        becomes ``<style>...</style>`` for URLs in the manifest; URLs listed
        under ``dropped`` in the manifest are replaced by an HTML comment.
        Everything else is left byte-for-byte unchanged, and the result only
        depends on the input and the vendored files.

    Raises
    ------
    AssetError
        If a script or link tag points to an http(s) or ``//`` URL that is
        not in the manifest (all such URLs are named in the message), or a
        vendored file is missing or cannot be inlined safely.
    """
    urls, dropped = _manifest()
    parts: list[str] = []
    missing: list[str] = []
    pos = 0
    for tag, start, end, attrs in _TagScanner(html).tags:
        url = _tag_url(tag, attrs) if tag != "img" else None
        if not url:
            continue
        key = _key(url)
        if key in urls:
            rel = urls[key]["file"]
            if tag == "script":
                if end < 0:
                    raise AssetError(f"<script src={url!r}> has no closing </script>")
                repl = f"<script>{_js(rel)}</script>"
                if urls[key]["package"] == "leaflet" and rel.endswith("/leaflet.js"):
                    repl += _leaflet_icon_shim(rel)
            elif "stylesheet" in attrs.get("rel", "").lower().split():
                media = attrs.get("media")
                media_attr = f' media="{html_lib.escape(media)}"' if media else ""
                repl = f"<style{media_attr}>{_css(rel)}</style>"
            else:
                raise AssetError(
                    f"<link rel={attrs.get('rel')!r} href={url!r}> is not a stylesheet"
                )
        elif key in dropped:
            name = posixpath.basename(key).replace("--", "-")
            repl = f"<!-- minemap: {name} not vendored, see maps/vendor/README.md -->"
        else:
            if _EXTERNAL.match(url):
                missing.append(url.strip())
            continue
        parts += [html[pos:start], repl]
        pos = end
    if missing:
        listed = ", ".join(dict.fromkeys(missing))
        raise AssetError(f"asset URL(s) not in maps/vendor/manifest.json: {listed}; {_FIX_HINT}")
    parts.append(html[pos:])
    return "".join(parts)
