"""The global admin-1 choropleth in Chromium: 4,596 units on a canvas, coarse then fine."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from geo import admin1
from geo.area import area_km2
from maps.choropleth import PALETTES
from maps.views import render, value_map

# The choropleth's features on the map and their vertices as drawn now.
_LAYER_JS = """
let n = 0, vertices = 0;
const count = (a) => Array.isArray(a) ? a.reduce((s, x) => s + count(x), 0) : 1;
m.eachLayer((l) => {
  if (l.feature && l.options.className === 'mm-choropleth') { n += 1; vertices += count(l.getLatLngs()); }
});
return {n, vertices};
"""


def _close(seen: str, fill: str, *, over: str, opacity: float, tolerance: int = 6) -> bool:
    """Whether ``seen`` is ``fill`` at ``opacity`` over ``over`` (each channel within ``tolerance``)."""

    def rgb(c: str) -> list[int]:
        return [int(c[i : i + 2], 16) for i in (1, 3, 5)]

    blend = [f * opacity + b * (1 - opacity) for f, b in zip(rgb(fill), rgb(over), strict=True)]
    return all(abs(s - b) <= tolerance for s, b in zip(rgb(seen), blend, strict=True))


@pytest.fixture(scope="module")
def world_map(tmp_path_factory: pytest.TempPathFactory):
    frame = admin1()[["code", "name", "geometry"]]
    frame = frame.assign(value=[area_km2(g) for g in frame.geometry])
    html = render(
        value_map(
            frame, "value", title="Area of admin-1 units", unit=" km²", source="Natural Earth"
        )
    )
    path = tmp_path_factory.mktemp("world") / "world.html"
    path.write_text(html, encoding="utf-8")
    return path, frame


def test_world_choropleth_draws_every_unit_and_refines_when_zoomed(world_map, open_map):
    path, frame = world_map
    mp = open_map(path, ready=".folium-map[data-mm-drawn='true']", screenshot="value_map_world")
    # Thousands of units are drawn on a canvas, not as SVG paths.
    expect(mp.page.locator("path.mm-choropleth")).to_have_count(0)
    coarse = mp.evaluate_map(_LAYER_JS)
    assert coarse["n"] == len(frame)
    # From zoom 5 the finer geometry is drawn: more vertices for the same units.
    unit = frame[frame["code"].eq("UA-14")].iloc[0]
    centre = unit.geometry.representative_point()
    mp.evaluate_map("m.setView([arg[1], arg[0]], 6, {animate: false});", [centre.x, centre.y])
    fine = mp.evaluate_map(_LAYER_JS)
    assert fine["n"] == len(frame) and fine["vertices"] > 2 * coarse["vertices"]

    # Hover and click reach the unit drawn on the canvas.
    x, y = mp.evaluate_map(
        "const p = m.latLngToContainerPoint([arg[1], arg[0]]); return [p.x, p.y];",
        [centre.x, centre.y],
    )
    # What a person sees there is the unit's class colour, not the background under it.
    fill = mp.evaluate_map(
        "let c = null; m.eachLayer((l) => { if (l.feature && l.options.className === 'mm-choropleth'"
        " && l.getBounds().contains([arg[1], arg[0]]) && !c) c = l.options.fillColor; }); return c;",
        [centre.x, centre.y],
    )
    assert fill in PALETTES["YlOrRd"]
    seen = mp.pixel(x, y)
    assert seen != "#f5f3ee", "the background is drawn over the units"
    assert _close(seen, fill, over="#f5f3ee", opacity=0.85), (seen, fill)
    mp.page.mouse.move(x, y)
    expect(mp.tooltip()).to_contain_text(unit["name"])
    mp.page.mouse.click(x, y)
    pop = mp.popup()
    expect(pop).to_contain_text("UA-14")
    expect(pop).to_contain_text("Natural Earth")
    mp.screenshot("value_map_world_popup")
