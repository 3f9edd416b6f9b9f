"""minemap's browser code (``maps/templates/*.js``), put in a page once and never templated.

Folium compiles what its elements render as Jinja2 templates; a page script
added here is written as it is, so its code is never evaluated as a template.
Map elements call the functions these scripts define with their data as JSON
literals (:func:`maps.safehtml.js_literal`).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from branca.element import Element, Figure

__all__ = ["LayersScript", "PageScript", "add_page_script", "script_text"]

_TEMPLATES = Path(__file__).parent / "templates"


@cache
def script_text(name: str) -> str:
    """Return the text of ``maps/templates/<name>``."""
    return (_TEMPLATES / name).read_text(encoding="utf-8")


class PageScript(Element):
    """A ``<script>`` element holding one of minemap's scripts, written as it is."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self._name = "PageScript"
        self.script = name

    def render(self, **kwargs: object) -> str:
        """Write the script element (the scripts hold no ``</script>``)."""
        return f"<script>\n{script_text(self.script)}\n</script>"


def add_page_script(figure: Figure, name: str) -> None:
    """Put script ``name`` in the head of ``figure`` (a map's root), once."""
    key = f"minemap_{Path(name).stem}"
    if key not in figure.header._children:
        figure.header.add_child(PageScript(name), name=key)


class LayersScript:
    """Mixin of map elements that call ``minemapLayers`` (``templates/layers.js``)."""

    def render(self, **kwargs: object) -> None:
        """Put ``layers.js`` in the page, then render the element."""
        add_page_script(self.get_root(), "layers.js")
        super().render(**kwargs)
