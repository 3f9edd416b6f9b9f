"""Two embedded map snippets on one host page, in headless Chromium with the network blocked.

The host page is what a report author makes: their own title, text and styles,
with the ``<stem>.embed.html`` snippets of the session build pasted in. Each map
must draw inside its own sandboxed iframe, leave the host page alone and keep
its aspect ratio as the page is resized.
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from maps import embed
from tests.defaults import MAPS

from .conftest import _IDLE_JS, SCREENSHOTS

pytestmark = pytest.mark.browser

HOST_TITLE = "Host report: mine action in 2024"
# (stem, what shows the map has drawn inside its frame)
EMBEDDED = [("clearance", "path.mm-choropleth"), ("incidents", ".marker-cluster")]
IFRAMES = "figure.minemap-embed iframe"

_HOST = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font: 16px/1.5 Georgia, serif; margin: 24px; color: #111; }}
.map, .leaflet-container, .folium-map {{ outline: 3px solid red; }}  /* must not reach the maps */
</style></head><body>
<h1 id="host-heading">{title}</h1>
<p id="host-intro" class="map">Text of the report before the first map.</p>
{first}
<p id="host-between">Text between the two maps.</p>
{second}
<p id="host-after">Text after the maps.</p>
<script>window.hostMarker = 42;</script>
</body></html>
"""

# What the host page looks like from its own scripts.
_HOST_STATE_JS = """() => ({
  title: document.title,
  texts: ['host-heading', 'host-intro', 'host-between', 'host-after']
    .map((id) => document.getElementById(id).textContent),
  children: Array.from(document.body.children).map((e) => e.tagName),
  marker: window.hostMarker,
  leaflet: typeof window.L,
  leaked: document.querySelectorAll('.folium-map, .leaflet-container, script[src], link').length,
})"""


@pytest.fixture(scope="module")
def host_page(built, tmp_path_factory):
    """A host page with the clearance and incidents snippets the build wrote."""
    manifest = json.loads((built.out / "build.json").read_text(encoding="utf-8"))
    assert manifest["embeds"] == [f"{stem}.embed.html" for stem in MAPS]
    first, second = (
        (built.out / f"{stem}.embed.html").read_text(encoding="utf-8") for stem, _ in EMBEDDED
    )
    path = tmp_path_factory.mktemp("host") / "report.html"
    path.write_text(_HOST.format(title=HOST_TITLE, first=first, second=second), encoding="utf-8")
    return path


def _sizes(page) -> list[tuple[float, float]]:
    return page.locator(IFRAMES).evaluate_all(
        "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.width, r.height]; })"
    )


def _screenshot(page, name: str) -> None:
    """Save the whole host page, with both maps drawn, as ``<name>.png``.

    Chromium does not paint out-of-process frames outside the viewport into a
    ``full_page`` screenshot, so the viewport is made as tall as the page instead.
    """
    size = page.viewport_size
    height = page.evaluate("() => document.documentElement.scrollHeight")
    page.set_viewport_size({"width": size["width"], "height": height})
    for handle in page.locator(IFRAMES).element_handles():
        frame = handle.content_frame()
        frame.wait_for_function(_IDLE_JS)
    page.evaluate("() => window.scrollTo(0, 0)")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png")
    page.set_viewport_size(size)


def test_two_maps_on_one_host_page(host_page, open_map):
    mp = open_map(host_page, ready=IFRAMES)
    page = mp.page
    page.set_viewport_size({"width": 1200, "height": 800})
    expect(page.locator(IFRAMES)).to_have_count(2)
    before = page.evaluate(_HOST_STATE_JS)

    # Each map draws inside its own frame. Only that its layers exist is checked here, not
    # that they are in view: see test_map_shown_later_opens_fitted_to_its_data.
    for i, (stem, ready) in enumerate(EMBEDDED):
        page.locator(IFRAMES).nth(i).scroll_into_view_if_needed()
        frame = page.frame_locator(IFRAMES).nth(i)
        expect(frame.locator(ready).first).to_be_attached()
        expect(frame.locator(".leaflet-control.mm-title h1")).to_have_text(
            page.locator("figure.minemap-embed figcaption").nth(i).inner_text()
        )
        # The host page's styles do not reach into the frame.
        outline = frame.locator(".folium-map").evaluate("e => getComputedStyle(e).outlineStyle")
        assert outline == "none", stem
        # No same-origin: the map cannot read or change the host page.
        blocked = frame.locator("body").evaluate(
            "() => { try { return window.parent.document.title; } catch (e) { return e.name; } }"
        )
        assert blocked == "SecurityError", stem
    expect(page.frame_locator(IFRAMES).nth(0).locator("path.mm-choropleth")).not_to_have_count(0)
    expect(page.frame_locator(IFRAMES).nth(1).locator(".marker-cluster")).not_to_have_count(0)

    # The host page is untouched: title, its own elements, its globals.
    after = page.evaluate(_HOST_STATE_JS)
    assert after == before
    assert after["title"] == HOST_TITLE
    assert after["texts"][0] == HOST_TITLE
    assert after["marker"] == 42
    assert after["leaflet"] == "undefined"
    assert after["leaked"] == 0
    assert after["children"] == ["H1", "P", "FIGURE", "P", "FIGURE", "P", "SCRIPT"]

    # Resizing the page keeps each map's aspect ratio (16 / 10 by default).
    wide = _sizes(page)
    _screenshot(page, "embed_two_maps")
    page.set_viewport_size({"width": 600, "height": 800})
    page.wait_for_function(
        f"w => Array.from(document.querySelectorAll('{IFRAMES}'))"
        ".every(e => e.getBoundingClientRect().width < w)",
        arg=wide[0][0],
    )
    narrow = _sizes(page)
    ratio = 16 / 10
    for (w1, h1), (w2, h2) in zip(wide, narrow, strict=True):
        assert w2 < w1 * 0.6
        assert w1 / h1 == pytest.approx(ratio, abs=0.01)
        assert w2 / h2 == pytest.approx(ratio, abs=0.01)
        assert h2 / h1 == pytest.approx(w2 / w1, rel=0.01)
    # The maps inside follow their frames.
    for i, (stem, _) in enumerate(EMBEDDED):
        frame = page.frame_locator(IFRAMES).nth(i)
        inner = frame.locator(".folium-map").evaluate("e => [e.clientWidth, e.clientHeight]")
        assert inner == pytest.approx(list(narrow[i]), abs=1), stem
    _screenshot(page, "embed_two_maps_narrow")
    mp.assert_clean()
    assert [u for u in mp.requested if not u.startswith(("data:", "about:"))] == [mp.url]


def test_min_height_holds_on_narrow_pages(tmp_path, open_map):
    page_html = "<!DOCTYPE html><html><body style='margin:0'><p>map</p></body></html>"
    fragment = embed.snippet(page_html, title="Narrow", min_height_px=320)
    host = tmp_path / "narrow.html"
    host.write_text(
        f"<!DOCTYPE html><html><head><title>n</title></head><body>{fragment}</body></html>",
        encoding="utf-8",
    )
    mp = open_map(host, ready=IFRAMES)
    mp.page.set_viewport_size({"width": 360, "height": 700})
    mp.page.wait_for_function(
        f"() => document.querySelector('{IFRAMES}').getBoundingClientRect().width < 360"
    )
    width, height = _sizes(mp.page)[0]
    assert width < 360 and height == pytest.approx(320, abs=0.5)
    expect(mp.page.frame_locator(IFRAMES).first.locator("p")).to_have_text("map")


def test_errors_inside_a_frame_are_caught(tmp_path, open_map):
    """The no-error checks see the frames: an error inside a snippet is reported."""
    page_html = (
        "<!DOCTYPE html><html><body><p>x</p>"
        "<script>console.error('frame console error'); null.boom;</script></body></html>"
    )
    host = tmp_path / "failing.html"
    host.write_text(
        "<!DOCTYPE html><html><head><title>f</title></head><body>"
        f"{embed.snippet(page_html, title='Failing')}</body></html>",
        encoding="utf-8",
    )
    mp = open_map(host, ready=IFRAMES)
    expect(mp.page.frame_locator(IFRAMES).first.locator("p")).to_have_text("x")
    mp.page.wait_for_timeout(200)
    assert any("frame console error" in m for m in mp.console_errors), mp.console_errors
    assert any("null" in m for m in mp.page_errors), mp.page_errors
    # Expected here; cleared so the fixture's end-of-test check passes.
    mp.console_errors.clear()
    mp.page_errors.clear()


_ZOOM_JS = """() => { const m = window[document.querySelector('.folium-map').id];
  return [m.getZoom(), m.getMaxZoom()]; }"""


def test_map_shown_later_opens_fitted_to_its_data(built, tmp_path, open_map):
    fragment = (built.out / "clearance.embed.html").read_text(encoding="utf-8")
    host = tmp_path / "details.html"
    host.write_text(
        "<!DOCTYPE html><html><head><title>d</title></head><body>"
        f"<details><summary>Show the map</summary>{fragment}</details></body></html>",
        encoding="utf-8",
    )
    mp = open_map(host, ready=IFRAMES)
    frame = mp.page.frame_locator(IFRAMES).first
    expect(frame.locator("path.mm-choropleth").first).to_be_attached()
    mp.page.locator("summary").click()
    expect(mp.page.locator(IFRAMES)).to_be_visible()
    zoom, max_zoom = frame.locator("body").evaluate(_ZOOM_JS)
    assert zoom < max_zoom, f"the map opened at zoom {zoom} (its maximum)"
    expect(frame.locator("path.mm-choropleth").first).to_be_visible()
