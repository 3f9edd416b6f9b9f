"""The canvas layer for many incidents, in Chromium: hexagons, clusters, records, years, heat.

The default incident records are drawn as a canvas layer by lowering the
marker limit; one record carries hostile text in its place and source, and
sits alone so it can be hovered and clicked at full zoom.
"""

from __future__ import annotations

import datetime as dt

import pytest
import shapely
from playwright.sync_api import expect

import layers
from maps import embed, incident_view
from maps.labels import period_label, year_label
from maps.views import render
from tests.browser.test_escaping_browser import shown
from tests.test_hostile_text import HOSTILE

ALONE = (33.123, 47.456)  # lon, lat: no other record here


@pytest.fixture(scope="module")
def canvas_map(tmp_path_factory: pytest.TempPathFactory):
    records = layers.prepare(layers.default("incidents")).records.copy()
    events = records.index[records["record_type"].eq("event")]
    # The hostile record has a start and an end date: its date travels as day numbers.
    target = next(i for i in events if _dated(records.loc[i]))
    period = period_label(records.loc[target].to_dict())
    records.loc[target, "place"] = HOSTILE
    records.loc[target, "source"] = HOSTILE
    records.loc[target, "geometry"] = shapely.Point(*ALONE)
    mp = pytest.MonkeyPatch()
    mp.setattr(incident_view, "MARKER_LIMIT", 10)
    try:
        html = render(incident_view.incidents_map(records))
    finally:
        mp.undo()
    path = tmp_path_factory.mktemp("canvas") / "incidents.html"
    path.write_text(html, encoding="utf-8")
    years = {}
    for rec in records.to_dict("records"):
        year = year_label(rec)
        years[year] = years.get(year, 0) + 1
    places = records.loc[events].drop(index=target)
    xy = places.geometry.x.round(5).astype(str) + "," + places.geometry.y.round(5).astype(str)
    shared = places[xy.duplicated(keep=False)].geometry.iloc[0]
    return path, len(events), len(records), years, (shared.x, shared.y), period


def _overlapping(years: dict, first: int, last: int) -> int:
    """Records whose year or span of years overlaps first..last (undated ones left out)."""
    n = 0
    for label, count in years.items():
        if label:
            lo, hi = int(label.split("–")[0]), int(label.split("–")[-1])
            n += count if lo <= last and hi >= first else 0
    return n


def _dated(rec) -> bool:
    return isinstance(rec["date_start"], dt.date) and isinstance(rec["date_end"], dt.date)


def _drawn(mp) -> None:
    mp.page.wait_for_function(
        "() => document.querySelector('.folium-map').dataset.mmDrawn === 'true'"
    )


def _items(mp, n: int) -> list[dict]:
    """What the point layer of ``n`` records drew: hexagons, clusters, records."""
    return mp.evaluate_map(
        "let found = null; m.eachLayer((l) => { if (l._items && l.meta.n === arg) found = l; });"
        "return found._items.map((i) => ({kind: i.kind, x: i.x, y: i.y, count: i.count || 1}));",
        n,
    )


def test_canvas_layer_counts_every_record_and_opens_text_only(canvas_map, open_map):
    path, events, _, _, _, period = canvas_map
    mp = open_map(path, ready=".folium-map[data-mm-drawn='true']", screenshot="incidents_canvas")
    _drawn(mp)
    # Low zoom: hexagons hold every record in view; the map is fitted to all of them.
    hexes = _items(mp, events)
    assert hexes and all(i["kind"] == "hex" for i in hexes)
    assert sum(i["count"] for i in hexes) == events
    # A person sees the hexagons: above the background, land or sea.
    for item in hexes[:5]:
        assert mp.pixel(item["x"], item["y"]) not in ("#f5f3ee", "#dde8f0")

    # The hostile record, alone at full zoom: its tooltip and popup show the text literally.
    mp.evaluate_map("m.setView([arg[1], arg[0]], 12, {animate: false});", list(ALONE))
    x, y = mp.evaluate_map(
        "const p = m.latLngToContainerPoint([arg[1], arg[0]]); return [p.x, p.y];", list(ALONE)
    )
    mp.page.mouse.move(x, y)
    tip = mp.tooltip()
    expect(tip).to_be_visible()
    assert shown(HOSTILE) in tip.inner_text()
    # The date, sent as day numbers, reads as minemap labels it elsewhere.
    assert period in tip.inner_text()
    mp.page.mouse.click(x, y)
    pop = mp.popup()
    expect(pop).to_contain_text("Source document")
    expect(pop.locator("script, img, svg, iframe")).to_have_count(0)
    assert pop.inner_text().count(shown(HOSTILE)) == 2
    expect(pop.locator("tr", has_text="As of")).not_to_have_count(0)  # as in an SVG popup
    expect(mp.page.locator(".leaflet-popup")).to_have_css("opacity", "1")
    mp.screenshot("incidents_canvas_popup")
    mp.page.wait_for_timeout(100)
    assert mp.page.evaluate("() => typeof window.__pwned") == "undefined"


def test_clusters_zoom_in_when_clicked(canvas_map, open_map):
    path, events, _, _, shared, _ = canvas_map
    mp = open_map(path, ready=".folium-map[data-mm-drawn='true']")
    _drawn(mp)
    mp.evaluate_map("m.setView([arg[1], arg[0]], 8, {animate: false});", list(shared))
    items = _items(mp, events)
    assert {i["kind"] for i in items} <= {"cluster", "point"}
    clusters = [i for i in items if i["kind"] == "cluster"]
    assert clusters, "records that share a place form a cluster"
    zoom = mp.evaluate_map("return m.getZoom();")
    mp.page.mouse.click(clusters[0]["x"], clusters[0]["y"])
    # The zoom starts when the page has handled the click: wait for it, then for it to end.
    mp.page.wait_for_function(
        f"() => window[document.querySelector('.folium-map').id].getZoom() > {zoom}"
    )
    mp.idle()
    assert mp.evaluate_map("return m.getZoom();") > zoom


def test_year_filter_and_heat_layer(canvas_map, open_map):
    path, _events, total, years, _, _ = canvas_map
    mp = open_map(path, ready=".folium-map[data-mm-drawn='true']")
    _drawn(mp)
    # One year panel filters both canvas layers (events and aggregate counts).
    status = mp.page.locator(".mm-years-status")
    expect(status).to_have_text(f"{total:,} records shown")
    # One year, by overlap: a record of a span of years shows in each year of it.
    spans = sorted(label for label in years if "–" in label)
    year = int(spans[-1].split("–")[-1])  # the last year of a span: not its label's first
    panel = mp.page.locator(".mm-years")
    if "mm-folded" in (panel.get_attribute("class") or ""):
        panel.locator(".mm-toggle").click()
    panel.locator(".mm-years-undated").uncheck()
    panel.locator(".mm-years-from").select_option(str(year))
    panel.locator(".mm-years-to").select_option(str(year))
    n = _overlapping(years, year, year)
    assert n > years.get(str(year), 0)  # more than the records labelled that year alone
    expect(status).to_have_text(f"{n:,} record{'' if n == 1 else 's'} shown")
    panel.locator(".mm-years-all").click()
    expect(status).to_have_text(f"{total:,} records shown")

    control = mp.layer_control()
    heat = control.locator("label", has_text="Events and reported use: heat map").locator("input")
    heat.check()
    expect(mp.page.locator("canvas.leaflet-heatmap-layer")).to_have_count(1)
    mp.screenshot("incidents_canvas_heat")
    heat.uncheck()
    expect(mp.page.locator("canvas.leaflet-heatmap-layer")).to_have_count(0)


def test_canvas_layer_draws_inside_a_sandboxed_embed(canvas_map, open_map, tmp_path):
    """A report's page with the snippet: the map draws in its frame (opaque origin)."""
    path, *_ = canvas_map
    snippet = embed.snippet(path.read_text(encoding="utf-8"), title="Incidents")
    host = tmp_path / "host.html"
    host.write_text(
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Host</title></head>"
        f"<body><h1>Report</h1>{snippet}</body></html>",
        encoding="utf-8",
    )
    mp = open_map(host, ready="figure.minemap-embed iframe")
    frame = mp.page.frame_locator("figure.minemap-embed iframe")
    expect(frame.locator(".folium-map[data-mm-drawn='true']")).to_have_count(1)
    expect(frame.locator("canvas.mm-points").first).to_be_attached()
    expect(frame.locator(".mm-years-status")).to_contain_text("records shown")


_SVG_POPUPS_JS = """() => {
  const m = window[document.querySelector('.folium-map').id];
  const found = {};
  const read = (html) => {
    const box = document.createElement('div');
    box.innerHTML = html;
    found[box.querySelector('h4').textContent] = [...box.querySelectorAll('tr')]
      .map((tr) => [tr.children[0].textContent, tr.children[1].textContent]);
  };
  const walk = (l) => {
    if (l.recordPopups) { l.recordPopups.forEach(read); return; }  // a country's badges
    if (l.getPopup && l.getPopup() && typeof l.getPopup()._content === 'string') {
      read(l.getPopup()._content);
    }
    if (l.getLayers) { l.getLayers().forEach(walk); }
  };
  m.eachLayer(walk);
  return found;
}"""

_CANVAS_POPUPS_JS = """() => {
  const m = window[document.querySelector('.folium-map').id];
  const found = {};
  m.eachLayer((l) => {
    if (!l._popup || !l.meta) { return; }
    for (let i = 0; i < l.meta.n; i += 1) {
      const box = l._popup(i);
      found[box.querySelector('h4').textContent] = [...box.querySelectorAll('tr')]
        .map((tr) => [tr.children[0].textContent, tr.children[1].textContent]);
    }
  });
  return found;
}"""


def test_a_record_reads_the_same_in_a_small_and_a_large_layer(tmp_path, open_map):
    records = layers.prepare(layers.default("incidents")).records
    svg = tmp_path / "svg.html"
    svg.write_text(render(incident_view.incidents_map(records)), encoding="utf-8")
    mp = pytest.MonkeyPatch()
    mp.setattr(incident_view, "MARKER_LIMIT", 0)
    try:
        canvas_html = render(incident_view.incidents_map(records))
    finally:
        mp.undo()
    canvas = tmp_path / "canvas.html"
    canvas.write_text(canvas_html, encoding="utf-8")
    small = open_map(svg, ready=".folium-map[data-mm-drawn='true']").page.evaluate(_SVG_POPUPS_JS)
    large = open_map(canvas, ready=".folium-map[data-mm-drawn='true']")
    _drawn(large)
    large = large.page.evaluate(_CANVAS_POPUPS_JS)
    assert len(small) == len(records) and set(small) == set(large)
    for title, rows in small.items():
        assert large[title] == rows, title
    # Every row the popup declares is shown where the record has it, e.g. quotes and notes.
    labels = {label for rows in small.values() for label, _ in rows}
    assert {"Reported actor", "Quote", "Note", "Located by", "As of"} <= labels
