"""The hostile project's maps (tests/hostile.py) run none of their text in Chromium.

Every payload that could run calls ``__mm(n)``; the page counts the calls.
Each map is opened offline, every layer of its layer control is switched off
and on with real clicks, every bound tooltip and popup is opened through
Leaflet (as a hover or click opens it), and the year panel's buttons are
pressed (hovering and clicking features with the mouse is tested on the
default maps in test_hostile_all_maps_browser.py and test_maps_browser.py). A canary image
whose load fails is added last: once its error handler has run, so would
have any handler a payload put in the page before it.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

HOOK = "window.__mmHits = []; window.__mm = function (n) { window.__mmHits.push(n); };"

# Open every tooltip and popup bound on the map through Leaflet's own code path.
_OPEN_ALL_JS = """() => {
  const m = window[document.querySelector('.folium-map').id];
  const layers = [];
  const walk = (l) => { layers.push(l); if (l.getLayers) { l.getLayers().forEach(walk); } };
  m.eachLayer(walk);
  let opened = 0;
  const content = (c, target) => (typeof c === 'function' ? c(target) : c);
  for (const l of new Set(layers)) {
    const popup = l.getPopup && l.getPopup();
    const tooltip = l.getTooltip && l.getTooltip();
    const targets = l.feature ? [l] : (l.getLayers ? l.getLayers().filter((c) => c.feature) : [l]);
    for (const t of targets) {
      if (popup) {
        L.popup(popup.options).setLatLng(m.getCenter()).setContent(content(popup._content, t)).openOn(m);
        opened += 1;
      }
      if (tooltip) {
        const tip = L.tooltip().setLatLng(m.getCenter()).setContent(content(tooltip._content, t));
        tip.addTo(m); m.removeLayer(tip);
        opened += 1;
      }
    }
  }
  m.closePopup();
  return opened;
}"""

_CANARY_JS = """() => {
  const img = document.createElement('img');
  img.onerror = () => { window.__mmCanary = true; };
  img.src = 'data:image/png;base64,AAAA';  // fails to decode, with no request
  document.body.appendChild(img);
}"""

READY = "path.mm-choropleth, .marker-cluster, path.mm-event, path.mm-aggregate, canvas"


def _maps(out):
    return sorted(
        p for p in out.glob("*.html") if p.name != "index.html" and ".embed." not in p.name
    )


def test_no_hostile_text_runs_in_any_map(hostile_build, open_map):
    pages = _maps(hostile_build["out"])
    assert len(pages) == 4
    for path in pages:
        mp = open_map(path, ready=READY, init_script=HOOK)
        page = mp.page
        items = mp.layer_control().locator("input")
        assert items.count() >= 2
        for i in range(items.count()):  # off and on again, with the mouse
            items.nth(i).click()
            items.nth(i).click()
        assert page.evaluate(_OPEN_ALL_JS) >= 2
        for years in page.locator(".mm-years").all():  # opened, if the map folded it
            if "mm-folded" in (years.get_attribute("class") or ""):
                years.locator(".mm-toggle").click()
            for button in years.locator("button:not(.mm-toggle)").all():
                button.click()
        page.evaluate(_CANARY_JS)
        page.wait_for_function("() => window.__mmCanary === true")
        assert page.evaluate("() => window.__mmHits") == [], path.name
        mp.screenshot(f"hostile_corpus_{path.stem[:30]}")
        mp.assert_clean()


def test_the_index_page_runs_nothing(hostile_build, open_map):
    mp = open_map(hostile_build["out"] / "index.html", ready="h1", init_script=HOOK)
    expect(mp.page.locator("a")).not_to_have_count(0)
    mp.page.evaluate(_CANARY_JS)
    mp.page.wait_for_function("() => window.__mmCanary === true")
    assert mp.page.evaluate("() => window.__mmHits") == []
    assert "<script>__mm(1)</script>" in mp.page.inner_text("body")  # read literally
