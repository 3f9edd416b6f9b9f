"""A year control for maps with a layer per year: one year at a time, or all years.

The layers share one classification (the map draws them so); the control
shows one of them with a slider and earlier/later buttons, or the layer of all
years, and keeps the layer control in step (``minemapLayers.yearStepper`` in
``maps/templates/layers.js``).
"""

from __future__ import annotations

from collections.abc import Sequence

from branca.element import MacroElement
from jinja2 import Template

from maps.safehtml import js_literal
from maps.scripts import LayersScript

__all__ = ["YearStepper"]


class YearStepper(LayersScript, MacroElement):
    """Step through ``steps`` (label, layer) one at a time; ``base`` is all years."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        minemapLayers.yearStepper({{ this._parent.get_name() }}, {{ this.labels_js }},
            [{{ this.step_names }}], {{ this.base.get_name() }}, {{ this.options_js }});
        {% endmacro %}
        """
    )

    def __init__(
        self,
        steps: Sequence[tuple[str, object]],
        base: object,
        *,
        title: str = "Year shown",
        all_label: str = "all years",
        position: str = "topright",
    ) -> None:
        super().__init__()
        self._name = "YearStepper"
        if not steps:
            raise ValueError("a year control needs at least one year")
        self.labels_js = js_literal([label for label, _ in steps])
        self.layers = [layer for _, layer in steps]
        self.base = base
        self.options_js = js_literal({"title": title, "allLabel": all_label, "position": position})

    def render(self, **kwargs: object) -> None:
        """Name the layers (known once they are part of the map), then write the script."""
        self.step_names = ", ".join(layer.get_name() for layer in self.layers)
        super().render(**kwargs)
