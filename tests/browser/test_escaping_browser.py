"""Hostile text in a layer shows literally in the browser and never runs.

A copy of the default contamination layer gets script, markup, template and
bidi-override strings in its free-text fields; the map drawn from it is opened
offline in Chromium, every choropleth popup is clicked and every tooltip hovered,
then the popup and tooltip of every feature that has one is opened through Leaflet's own events.
"""

from __future__ import annotations

import csv
from importlib.resources import files
from pathlib import Path

import pytest
from playwright.sync_api import expect

import layers
from layers import summary
from maps import views

pytestmark = pytest.mark.browser

RLO = "\u202e"
HOSTILE = [
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=2">',
    '"><svg onload=window.__pwned=3>',
    "javascript:window.__pwned=4",
    "`${window.__pwned=7}` and ``backticks``",
    "{{7*7}}",
    "${window.__pwned=5}",
    "</script><script>window.__pwned=6</script>",
    f"invoice{RLO}fdp.exe",
]
TEXT_FIELDS = ["place", "estimated_by", "source", "source_quote", "note"]
HOSTILE_SOURCE_FILE = f"report{RLO}txt.exe"


def shown(text: str) -> str:
    """How a hostile string must read on the page: bidi overrides made visible."""
    return text.replace(RLO, "<U+202E>")


def _hostile_rows() -> tuple[list[str], list[dict[str, str]]]:
    source = files("layers") / "data" / "contamination.csv"
    with source.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        header, rows = list(reader.fieldnames or []), list(reader)
    slot = 0
    for row in rows:
        for name in TEXT_FIELDS:
            row[name] = HOSTILE[slot % len(HOSTILE)]
            slot += 1
    regional = [r for r in rows if r["unit_level"] == "admin1"]
    regional[-1]["source_file"] = HOSTILE_SOURCE_FILE
    # Every hostile string lands in a regional record, whose popup is clicked.
    placed = {r[name] for r in regional for name in TEXT_FIELDS}
    assert placed == set(HOSTILE)
    return header, rows


@pytest.fixture(scope="module")
def hostile_map(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    folder = tmp_path_factory.mktemp("hostile")
    header, rows = _hostile_rows()
    csv_path = folder / "contamination.csv"
    with csv_path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    prepared = layers.prepare(layers.read(csv_path, "contamination"))
    assert prepared.rejects.empty, prepared.rejects.to_string()
    assert len(prepared.records) == len(rows)
    units = len(summary.contamination(prepared.records, "admin1").table)
    html_path = folder / "contamination.html"
    html = views.render(views.contamination_map(prepared.records))
    html_path.write_text(html, encoding="utf-8")
    return html_path, units


# Open every feature's tooltip and popup through Leaflet's events (as a hover and
# a click do), whatever its layer; return the popup texts.
_OPEN_ALL_JS = """(injected) => {
  const m = window[document.querySelector('.folium-map').id];
  const features = [];
  const bound = (l) => Object.values(l._eventParents || {}).some((g) => g.getPopup && g.getPopup());
  m.eachLayer((l) => { if (l.feature && l.getBounds && bound(l)) features.push(l); });
  const texts = [];
  let popups = 0, tooltips = 0, elements = 0;
  for (const l of features) {
    const latlng = l.getBounds().getCenter();
    l.fire('mouseover', {latlng}, true);
    const t = document.querySelector('.leaflet-tooltip-pane .leaflet-tooltip');
    if (t) { tooltips += 1; texts.push(t.innerText); elements += t.querySelectorAll(injected).length; }
    l.fire('mouseout', {latlng}, true);
    l.fire('click', {latlng}, true);
    const p = document.querySelector('.leaflet-popup-pane .leaflet-popup-content');
    if (p) { popups += 1; texts.push(p.innerText); elements += p.querySelectorAll(injected).length; }
    m.closePopup();
  }
  return {features: features.length, popups, tooltips, elements, texts};
}"""

_INJECTED = "script, img, svg, iframe, object, embed, a[href^='javascript']"


def test_hostile_text_is_shown_literally_and_never_runs(hostile_map, open_map):
    path, units = hostile_map
    mp = open_map(path, ready="path.mm-choropleth", screenshot="hostile_contamination")
    page = mp.page
    paths = page.locator("path.mm-choropleth")
    expect(paths).to_have_count(units)

    texts = []
    for i in range(units):
        tip = mp.hover(paths.nth(i))
        expect(tip.locator(_INJECTED)).to_have_count(0)
        mp.reset_view()
        pop = mp.click(paths.nth(i))
        expect(pop).to_contain_text("Source document")
        expect(pop.locator(_INJECTED)).to_have_count(0)
        texts.append(pop.inner_text())
        if i == 0:
            mp.screenshot("hostile_contamination_popup")
        mp.close_popup()
    clicked = "\n".join(texts)
    for text in [*HOSTILE, HOSTILE_SOURCE_FILE]:
        assert shown(text) in clicked, f"{text!r} does not show literally in a popup"
    assert RLO not in clicked
    assert "<script>window.__pwned=1</script>" in clicked

    opened = page.evaluate(_OPEN_ALL_JS, _INJECTED)
    assert opened["popups"] == opened["tooltips"] == opened["features"] > units
    assert opened["elements"] == 0
    assert RLO not in "\n".join(opened["texts"])

    # Nothing ran and nothing was fetched (an injected <img src=x> would load file:.../x).
    page.evaluate("() => new Promise((r) => setTimeout(r, 100))")
    assert page.evaluate("() => typeof window.__pwned") == "undefined"
    assert [u for u in mp.requested if not u.startswith("data:")] == [mp.url]
    mp.assert_clean()
