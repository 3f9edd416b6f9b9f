"""Safe HTML for maps: escaping, detail tables, stable element ids.

All text that comes from data (place names, sources, notes, titles) passes
through :func:`escape` before it reaches HTML. Tooltip and popup contents are
built from an explicit list of fields, never from "all columns".
"""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Iterable, Sequence

__all__ = [
    "BIDI_CONTROLS",
    "UnsafeElementError",
    "check_elements",
    "detail_table",
    "escape",
    "fmt_number",
    "js_literal",
    "js_string",
    "layer_label",
    "plain_text",
    "stable_ids",
]

# Directional formatting characters can make text display in another order than
# it is stored (e.g. a right-to-left override hiding a file extension); they are
# shown as visible code points instead.
BIDI_CONTROLS = "[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]"
_BIDI_CONTROLS = re.compile(BIDI_CONTROLS)


def escape(value: object) -> str:
    """Escape any value for HTML text or a quoted attribute.

    Also neutralises template syntax (``{{``, ``${``) and bidirectional
    control characters, so the text shows literally wherever it lands.

    Examples
    --------
    >>> escape('<script>alert("x")</script>')
    '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'
    >>> escape("${x} {{y}} `z`")
    '&#36;&#123;x} &#123;&#123;y}} &#96;z&#96;'
    >>> escape(None)
    ''
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = html.escape(str(value), quote=True)
    text = text.replace("`", "&#96;").replace("$", "&#36;").replace("{", "&#123;")
    return _BIDI_CONTROLS.sub(lambda m: f"&lt;U+{ord(m.group()):04X}&gt;", text)


def plain_text(value: object) -> str:
    """Text for a page that writes it as text (DOM text nodes), never as HTML.

    Nothing needs escaping there; only bidirectional control characters are
    made visible, as :func:`escape` does, so the text shows in stored order.

    Examples
    --------
    >>> plain_text("<b>x</b> \u202eexe.pdf"), plain_text(None)
    ('<b>x</b> <U+202E>exe.pdf', '')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return _BIDI_CONTROLS.sub(lambda m: f"<U+{ord(m.group()):04X}>", str(value))


def fmt_number(value: object, digits: int = 1) -> str:
    """Format a number for display with thousands separators; '' for missing.

    Examples
    --------
    >>> fmt_number(14.7), fmt_number(3187), fmt_number(53.1000001), fmt_number(None)
    ('14.7', '3,187', '53.1', '')
    """
    if value is None:
        return ""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(number):
        return ""
    if number.is_integer():
        return f"{int(number):,}"
    return f"{number:,.{digits}f}".rstrip("0").rstrip(".")


def detail_table(rows: Iterable[tuple[str, object]], *, title: str | None = None) -> str:
    """Build an escaped two-column HTML table of label/value pairs.

    Empty values are left out.

    Examples
    --------
    >>> detail_table([("Place", "<b>x</b>"), ("Note", "")], title="A & B")
    '<div class="mm-detail"><h4>A &amp; B</h4><table><tr><th>Place</th><td>&lt;b&gt;x&lt;/b&gt;</td></tr></table></div>'
    """  # noqa: E501
    cells = "".join(
        f"<tr><th>{escape(label)}</th><td>{escape(value)}</td></tr>"
        for label, value in rows
        if escape(value) != ""
    )
    head = f"<h4>{escape(title)}</h4>" if title else ""
    return f'<div class="mm-detail">{head}<table>{cells}</table></div>'


def list_table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """Build an escaped HTML table with a header row.

    Examples
    --------
    >>> list_table(["a"], [["<i>"]])
    '<table class="mm-list"><tr><th>a</th></tr><tr><td>&lt;i&gt;</td></tr></table>'
    """
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{escape(v)}</td>" for v in row) + "</tr>" for row in rows)
    return f'<table class="mm-list"><tr>{head}</tr>{body}</table>'


def js_string(text: str) -> str:
    r"""Return ``text`` as a JavaScript string literal safe inside ``<script>``.

    Examples
    --------
    >>> js_string("</script><b>")
    '"<\\/script><b>"'
    """
    return js_literal(text)


def js_literal(data: object) -> str:
    r"""Return JSON-able ``data`` as a JavaScript literal safe inside ``<script>``.

    Inside a script element only ``</`` (which could close it) and ``<!--``
    (which changes how the rest is parsed) are dangerous; both are escaped in
    every string, as are the line separators U+2028 and U+2029.

    Examples
    --------
    Folium and branca compile the script of every element they render as a
    Jinja2 template a second time, so ``{{``, ``{%`` and ``{#`` in a string
    would be evaluated at build time: their ``{`` is written ``\\u007b``,
    which reads the same in JavaScript. (JSON's own braces are never followed
    by ``{``, ``%`` or ``#``.)

    Examples
    --------
    >>> js_literal({"a": ["</script><b>", "<!--", 1.5, None]})
    '{"a":["<\\/script><b>","\\u003c!--",1.5,null]}'
    >>> js_literal(["{{7*7}}", "{% raw %}", "{#", "{a}"])
    '["\\u007b{7*7}}","\\u007b% raw %}","\\u007b#","{a}"]'
    """
    literal = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return _TEMPLATE_OPEN.sub(
        r"\\u007b",
        literal.replace("</", "<\\/")
        .replace("<!", "\\u003c!")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029"),
    )


#: What opens a Jinja2 expression, statement or comment.
_TEMPLATE_OPEN = re.compile(r"\{(?=[{%#])")


def layer_label(text: object) -> str:
    """Return a layer's name as folium and Leaflet's layer control need it.

    Leaflet writes a layer name into the layer control as HTML, and folium
    passes it through a template: the name is HTML-escaped text, which also
    holds no template syntax.

    Examples
    --------
    >>> layer_label("Planned {{7*7}} <img src=x onerror=alert(1)>")
    'Planned &#123;&#123;7*7}} &lt;img src=x onerror=alert(1)&gt;'
    """
    return escape(text)


class UnsafeElementError(RuntimeError):
    """A map element holds text that folium would evaluate as a template, or raw HTML.

    This is a defect in the code that built the element (text reached folium
    without going through this module), never a problem of the input data.
    """


#: Attributes of branca elements that are structure, not text.
_STRUCTURE = frozenset({"_parent", "_children", "_template", "_env"})


def _strings(value: object, depth: int = 0):
    """Yield every string inside ``value`` (lists, tuples, dicts), a few levels deep."""
    if isinstance(value, str):
        yield value
    elif depth < 4 and isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item, depth + 1)
    elif depth < 4 and isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key, depth + 1)
            yield from _strings(item, depth + 1)


def check_elements(root: object) -> int:
    """Check every element below ``root`` (a folium map or figure) before it is rendered.

    No text attribute may hold template syntax (``{{``, ``{%``, ``{#``), which
    folium would evaluate; a layer's name must be escaped HTML (no ``<``,
    ``>`` or ``"``), since Leaflet's layer control inserts it as HTML.

    Returns
    -------
    int
        The number of elements checked.

    Raises
    ------
    UnsafeElementError
        Naming the element, the attribute and the text.

    Examples
    --------
    >>> import folium
    >>> m = folium.Map(tiles=None)
    >>> _ = folium.FeatureGroup(name=layer_label("<b>{{x}}</b>")).add_to(m)
    >>> check_elements(m) >= 2
    True
    >>> _ = folium.FeatureGroup(name="{{x}}").add_to(m)
    >>> check_elements(m)
    Traceback (most recent call last):
    ...
    maps.safehtml.UnsafeElementError: FeatureGroup.layer_name holds template syntax: '{{x}}'
    """
    stack, seen = [root], 0
    while stack:
        element = stack.pop()
        seen += 1
        kind = type(element).__name__
        for attr, value in vars(element).items():
            if attr in _STRUCTURE:
                continue
            for text in _strings(value):
                if _TEMPLATE_OPEN.search(text):
                    raise UnsafeElementError(f"{kind}.{attr} holds template syntax: {text[:80]!r}")
        name = getattr(element, "layer_name", None)
        if isinstance(name, str) and any(c in name for c in '<>"'):
            raise UnsafeElementError(f"{kind}.layer_name is not escaped HTML: {name[:80]!r}")
        stack.extend(getattr(element, "_children", {}).values())
    return seen


_ID = re.compile(r"\b([a-z][a-z0-9_]*?)_([0-9a-f]{32})(?![0-9a-f])")


def stable_ids(document: str) -> str:
    """Replace folium's random element ids by ids numbered in order of appearance.

    Folium names every element ``<kind>_<32 random hex digits>``; numbering them
    makes the same map give the same bytes.

    Examples
    --------
    >>> stable_ids("map_" + "a" * 32 + " geo_json_" + "b" * 32 + "_styler map_" + "a" * 32)
    'map_1 geo_json_2_styler map_1'
    """
    seen: dict[str, str] = {}

    def number(match: re.Match) -> str:
        key = match.group(2)
        if key not in seen:
            seen[key] = str(len(seen) + 1)
        return f"{match.group(1)}_{seen[key]}"

    return _ID.sub(number, document)
