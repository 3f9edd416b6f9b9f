"""Maps that read well at any size: no panel over another, the data in view, nothing of zero size.

Every default map is opened alone and as an embed pasted into an article, at a
phone's size, a report column's, a small laptop's and a desktop's. What the
reader sees is asserted from the DOM: the boxes of the panels and Leaflet's
controls (title, legend, years, layers, zoom, scale, attribution) meet nowhere
and stay inside the map, the data's bounds are in view at the zoom the map was
fitted to, and no control has zero size.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.defaults import MAPS

pytestmark = pytest.mark.browser

#: (viewport width, height): a phone, a report column, a small laptop, a desktop.
SIZES = [(390, 844), (760, 475), (1024, 600), (1600, 1000)]

#: Boxes of every control, the overlaps between controls of different corners, those
#: outside the map, and the fit: the map's zoom, the zoom it was fitted to, its view.
_LAYOUT_JS = """() => {
  const el = document.querySelector('.folium-map');
  const m = window[el.id];
  const box = el.getBoundingClientRect();
  const name = e => Array.from(e.classList).filter(c => c.startsWith('mm-') ||
    c.startsWith('leaflet-control-')).join('.') || e.className;
  const items = [];
  for (const corner of el.querySelectorAll('.leaflet-control-container > div')) {
    for (const e of corner.children) {
      if (!e.getClientRects().length) continue;
      items.push({corner: corner.className, name: name(e), r: e.getBoundingClientRect()});
    }
  }
  const overlaps = [], outside = [], empty = [];
  items.forEach((a, i) => {
    const r = a.r;
    if (r.width < 1 || r.height < 1) empty.push(a.name);
    if (r.left < box.left - 0.5 || r.top < box.top - 0.5 || r.right > box.right + 0.5 ||
        r.bottom > box.bottom + 0.5) outside.push(a.name);
    items.slice(i + 1).forEach(b => {
      const q = b.r;
      if (a.corner !== b.corner && r.left < q.right - 0.5 && q.left < r.right - 0.5 &&
          r.top < q.bottom - 0.5 && q.top < r.bottom - 0.5) overlaps.push(a.name + ' / ' + b.name);
    });
  });
  const [[s, w], [n, e]] = JSON.parse(el.getAttribute('data-mm-bounds'));
  const v = m.getBounds();
  const dx = (e - w) * 0.01, dy = (n - s) * 0.01;
  return {
    names: items.map(a => a.name), overlaps, outside, empty,
    size: [box.width, box.height],
    zoom: m.getZoom(), fitted: parseFloat(el.getAttribute('data-mm-fit-zoom')),
    inView: v.getWest() <= w + dx && v.getEast() >= e - dx && v.getSouth() <= s + dy &&
            v.getNorth() >= n - dy,
    view: [v.getWest(), v.getSouth(), v.getEast(), v.getNorth()], bounds: [w, s, e, n]
  };
}"""

_ARTICLE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Report</title>
<style>body {{ margin: 0; font: 17px/1.6 Georgia, serif; }}
article {{ max-width: 760px; margin: 0 auto; padding: 0 12px; box-sizing: content-box; }}</style>
</head><body><article><h1>Field report</h1><p>Text before the map.</p>
{snippet}
<p>Text after the map.</p></article></body></html>
"""


def _assert_laid_out(layout: dict, where: str) -> None:
    assert layout["size"][0] > 0 and layout["size"][1] > 0, where
    assert not layout["empty"], (where, layout["empty"])
    assert not layout["overlaps"], (where, layout["overlaps"])
    assert not layout["outside"], (where, layout["outside"])
    for needed in ("mm-title", "leaflet-control-attribution", "leaflet-control-scale"):
        assert any(needed in n for n in layout["names"]), (where, needed, layout["names"])
    assert layout["zoom"] == layout["fitted"], (where, layout)
    assert layout["inView"], (where, layout["view"], layout["bounds"])


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize("stem", MAPS)
def test_a_map_alone_is_laid_out_for_its_size(built, browser, stem, size):
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    try:
        page = context.new_page()
        page.goto((built.out / f"{stem}.html").as_uri(), wait_until="load")
        expect(page.locator(".folium-map[data-mm-drawn='true']")).to_be_attached()
        _assert_laid_out(page.evaluate(_LAYOUT_JS), f"{stem} at {size}")
    finally:
        context.close()


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize("stem", MAPS)
def test_an_embed_in_an_article_is_laid_out_for_its_column(built, browser, tmp_path, stem, size):
    snippet = (built.out / f"{stem}.embed.html").read_text(encoding="utf-8")
    host = tmp_path / "article.html"
    host.write_text(_ARTICLE.format(snippet=snippet), encoding="utf-8")
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    try:
        page = context.new_page()
        page.goto(host.as_uri(), wait_until="load")
        frame = page.frame_locator("iframe")
        expect(frame.locator(".folium-map[data-mm-drawn='true']")).to_be_attached()
        inner = next(f for f in page.frames if f != page.main_frame)
        layout = inner.evaluate(_LAYOUT_JS)
        # The map is as wide as the article's column (760 px at most), 16:10.
        assert layout["size"][0] == min(760, size[0] - 24), layout["size"]
        _assert_laid_out(layout, f"{stem} embedded at {size}")
    finally:
        context.close()


@pytest.mark.parametrize("size", [(390, 844), (1024, 600)], ids=["390x844", "1024x600"])
def test_a_popup_opened_under_the_title_pans_clear_of_it(built, browser, size):
    # A popup opened at a point under the title panel (as a tap on a unit there opens one)
    # pans the map until the whole popup is clear of the title and inside the map (on a
    # phone, narrower than the 420 px a popup may take), as on a laptop.
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    try:
        page = context.new_page()
        page.goto((built.out / "contamination.html").as_uri(), wait_until="load")
        expect(page.locator(".folium-map[data-mm-drawn='true']")).to_be_attached()
        page.evaluate("""() => {
          const el = document.querySelector('.folium-map'), m = window[el.id];
          const title = el.querySelector('.mm-title').getBoundingClientRect();
          const box = el.getBoundingClientRect();
          const at = m.containerPointToLatLng([title.left - box.left + 30,
                                               title.bottom - box.top - 10]);
          L.popup({maxWidth: 420}).setLatLng(at)
            .setContent('<p>' + 'A unit popup with a few lines. '.repeat(6) + '</p>').openOn(m);
        }""")
        clear = """() => {
          const el = document.querySelector('.folium-map');
          const p = el.querySelector('.leaflet-popup-content-wrapper');
          if (!p) return false;
          const r = p.getBoundingClientRect(), t = el.querySelector('.mm-title')
            .getBoundingClientRect(), b = el.getBoundingClientRect();
          const meets = r.left < t.right && t.left < r.right && r.top < t.bottom && t.top < r.bottom;
          return !meets && r.top >= b.top && r.bottom <= b.bottom && r.left >= b.left &&
            r.right <= b.right;
        }"""
        page.wait_for_function(clear, timeout=10_000)
    finally:
        context.close()
