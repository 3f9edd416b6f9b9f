"""Maps fitted to the size they are read at: a phone shows the data, not a zoom-12 corner."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.defaults import MAPS

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}

# The map's view and the data's bounds (the map's fitted bounds are in its script).
_VIEW_JS = """() => {
  const m = window[document.querySelector('.folium-map').id];
  const b = m.getBounds();
  return {zoom: m.getZoom(), west: b.getWest(), east: b.getEast(), south: b.getSouth(),
          north: b.getNorth()};
}"""


@pytest.mark.parametrize("stem", MAPS)
def test_a_map_opened_on_a_phone_shows_its_data(built, browser, stem):
    context = browser.new_context(viewport=PHONE, device_scale_factor=1)
    try:
        page = context.new_page()
        page.goto((built.out / f"{stem}.html").as_uri(), wait_until="load")
        expect(page.locator(".folium-map[data-mm-drawn='true']")).to_be_attached()
        view = page.evaluate(_VIEW_JS)
        # At most zoom 6 on these country and region maps (zoom 12 before: a 10 km view).
        assert view["zoom"] <= 6, view
        shown = page.locator(".leaflet-overlay-pane path, .leaflet-marker-pane *, "
                             ".marker-cluster").count()  # fmt: skip
        assert shown > 0, view
    finally:
        context.close()
