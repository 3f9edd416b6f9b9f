"""Hostile text in every text field of every default layer never runs in any map.

Every free-text field of every record gets script, markup, template and bidi
strings; each map is opened offline in Chromium and the content of every bound
tooltip and popup (GeoJSON features and clustered markers alike) is put into
the page the way Leaflet does, with innerHTML. Nothing may run, no element may
be created, and the text must read literally.
"""

from __future__ import annotations

import pytest

import layers
from layers.schema import schema
from maps import views

pytestmark = pytest.mark.browser

HOSTILE = (
    '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'
    '"><svg onload=window.__pwned=3> {{7*7}} ${window.__pwned=5} `x`'
)
DRAW = {
    "clearance": (views.clearance_map, "path.mm-choropleth"),
    "contamination": (views.contamination_map, "path.mm-choropleth"),
    "incidents": (views.incidents_map, ".marker-cluster, path.mm-event, path.mm-aggregate"),
    "stockpiles": (views.stockpiles_map, "path.mm-choropleth"),
}
STRUCTURAL = {
    "record_id", "country", "unit_level", "unit_code", "grouping", "hazard_type", "status",
    "land_use", "part_of", "value_unit", "value_qualifier", "measure", "record_role",
    "record_type", "event_type", "locate_as", "lookup_name", "border_with", "civilian_status",
    "munition_category", "munition_class", "date_start", "date_end",
}  # fmt: skip

# Collect the content of every popup and tooltip bound on the map, whatever the
# layer (GeoJSON feature, marker in a cluster), and set it with innerHTML on an
# element in the page, as Leaflet does when it opens them.
_ALL_CONTENT_JS = """(injected) => {
  const map = window[document.querySelector('.folium-map').id];
  const layers = [];
  const walk = (l) => { layers.push(l); if (l.getLayers) { l.getLayers().forEach(walk); } };
  map.eachLayer(walk);
  const host = document.createElement('div');
  document.body.appendChild(host);
  let pieces = 0, elements = 0, texts = [];
  const check = (content, layer) => {
    if (typeof content === 'function') { content = content(layer); }
    if (content instanceof HTMLElement) { content = content.innerHTML; }
    if (typeof content !== 'string') { return; }
    host.innerHTML = content;
    pieces += 1;
    elements += host.querySelectorAll(injected).length;
    texts.push(host.innerText);
  };
  for (const l of new Set(layers)) {
    const popup = l.getPopup && l.getPopup();
    const tooltip = l.getTooltip && l.getTooltip();
    const targets = l.feature ? [l] : (l.getLayers ? l.getLayers().filter((c) => c.feature) : [l]);
    for (const target of targets) {
      if (popup) { check(popup.options && popup._content, target); }
      if (tooltip) { check(tooltip._content, target); }
    }
  }
  host.remove();
  return {pieces, elements, texts};
}"""

_INJECTED = "script, img, svg, iframe, object, embed, a[href^='javascript']"


@pytest.mark.parametrize("kind", list(DRAW))
def test_every_map_shows_hostile_text_literally(kind, tmp_path, open_map):
    draw, ready = DRAW[kind]
    records = layers.prepare(layers.default(kind)).records.copy()
    for field in (
        f.name for f in schema(kind).fields if f.type == "string" and f.name not in STRUCTURAL
    ):
        records[field] = HOSTILE
    path = tmp_path / f"hostile_{kind}.html"
    path.write_text(views.render(draw(records)), encoding="utf-8")
    mp = open_map(path, ready=ready)
    found = mp.page.evaluate(_ALL_CONTENT_JS, _INJECTED)
    assert found["pieces"] >= 10  # at least a tooltip and a popup for five features
    assert found["elements"] == 0
    assert any("<script>window.__pwned=1</script>" in t for t in found["texts"])
    mp.page.evaluate("() => new Promise((r) => setTimeout(r, 100))")
    assert mp.page.evaluate("() => typeof window.__pwned") == "undefined"
    mp.assert_clean()
