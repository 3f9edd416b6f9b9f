"""The generated maps and index in headless Chromium, with the network blocked.

Expected counts and texts are derived from the prepared default layers, not
hard-coded, except where a spec value is checked (the Western district's 14.7
km² and the 2018-01-01 composition of the 2018 plan).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from playwright.sync_api import expect

from geo.boundary_sets import embedded
from layers import summary
from maps.labels import year_label
from tests.defaults import MAPS, SUMMARIES, default_summaries

pytestmark = pytest.mark.browser

STEMS = list(MAPS)
CHOROPLETH_STEMS = [s for s in STEMS if s != "incidents"]
BACKGROUND = "Countries (background)"
BOUNDARY_CREDIT = "Natural Earth"


@dataclass
class Unit:
    """A unit drawn as one choropleth path: its name and the source files of its figures."""

    name: str
    sources: set[str]


@dataclass
class Expected:
    """What a map must show, derived from the prepared layers."""

    units: list[Unit]
    legend_title: str
    layers: list[str]
    choropleth_layer: str | None = None
    credits: list[str] = field(default_factory=lambda: [BOUNDARY_CREDIT])
    #: Layers listed in the layer control but off when the map opens.
    hidden_layers: list[str] = field(default_factory=list)
    ready: str = "path.mm-choropleth"


def _clearance(records) -> tuple[Expected, object]:
    planned = records[records["unit_level"].eq("grouping") & records["measure"].eq("planned_area")]
    latest = planned["date_start"].dropna().max()
    period = planned[planned["date_start"].eq(latest)]
    year = str(latest.year)
    title = f"Planned clearance {year} (km²)"
    units = [Unit(r["unit_code"], {r["source_file"]}) for r in period.to_dict("records")]
    layers = [BACKGROUND, title, "Federal subjects (Natural Earth admin-1)", "Place labels"]
    return Expected(units, title, layers, choropleth_layer=title), latest


def _contamination(records) -> Expected:
    table = summary.contamination(records, "admin1").table
    regional = records[records["unit_level"].eq("admin1")]
    units = [
        Unit(
            r["unit_name"],
            set(regional.loc[regional["unit_code"].eq(r["unit_code"]), "source_file"]),
        )
        for r in table.to_dict("records")
    ]
    layers = [BACKGROUND, "Regions without a regional figure"]
    if records["unit_level"].eq("admin0").any():
        layers.append("Country-level figures")
    layers.append("Place labels")
    layers.append("Reported contamination (km², highest estimate)")
    # A layer per year of estimate, off at first: dated years in order, then undated.
    dated = regional[regional["area_km2"].notna()]
    years = sorted({year_label(r) for r in dated.to_dict("records")})
    hidden = [f"Estimates dated {y} (km², highest)" for y in years if y]
    if "" in years:
        hidden.append("Estimates with no stated date (km², highest)")
    return Expected(
        units,
        "Reported contaminated area (km²)",
        layers,
        choropleth_layer=layers[-1],
        hidden_layers=hidden,
    )


def _incidents(records) -> Expected:
    layers = [BACKGROUND]
    if (records["record_type"].eq("event") & records["unit_level"].eq("admin1")).any():
        layers.append("Events per admin-1 unit")
    placed = records[~records["precision"].eq("admin0")]  # country-level ones: badges
    for record_type, name in (
        ("event", "Events and reported use (clustered)"),
        ("aggregate", "Casualty and attack counts (aggregates, clustered)"),
    ):
        if placed["record_type"].eq(record_type).any():
            layers.append(name)
    if records["precision"].eq("admin0").any():
        layers.append("Records given for a whole country (count, years)")
    return Expected(
        [], "Incidents", layers, credits=[BOUNDARY_CREDIT, "GeoNames"], ready=".marker-cluster"
    )


def _stockpiles(records) -> Expected:
    declared = records[
        records["status"].eq("declared") & records["munition_category"].eq("cluster_munitions")
    ]
    units = [
        Unit(group["unit_name"].iloc[0], set(group["source_file"]))
        for _code, group in declared.groupby("country", sort=True)
    ]
    layers = [BACKGROUND, "Declared cluster munitions (count)", "Place labels"]
    return Expected(units, "Declared cluster munitions", layers, choropleth_layer=layers[1])


@pytest.fixture(scope="session")
def expected(prepared) -> dict[str, Expected]:
    clearance, _ = _clearance(prepared["clearance"].records)
    return {
        "clearance": clearance,
        "contamination": _contamination(prepared["contamination"].records),
        "incidents": _incidents(prepared["incidents"].records),
        "stockpiles": _stockpiles(prepared["stockpiles"].records),
    }


@pytest.fixture
def open_stem(built, expected, open_map):
    """Open one generated map by file stem and wait until its layers are drawn."""

    def _open(stem: str, *, screenshot: bool = False):
        return open_map(
            built.out / f"{stem}.html",
            ready=expected[stem].ready,
            screenshot=stem if screenshot else None,
        )

    return _open


def test_expectations_cover_every_map(expected):
    assert set(expected) == set(MAPS)
    assert all(expected[s].units for s in CHOROPLETH_STEMS)


def _names_by_path(mp, count: int) -> list[str]:
    """Hover each choropleth path in turn; the bold unit name of its tooltip."""
    names = []
    paths = mp.page.locator("path.mm-choropleth")
    for i in range(count):
        tip = mp.hover(paths.nth(i))
        names.append(tip.locator("b").first.inner_text().strip())
    return names


# -------------------------------------------------------------- every map


@pytest.mark.parametrize("stem", STEMS)
def test_opens_offline_without_errors(stem, open_stem):
    mp = open_stem(stem, screenshot=True)
    expect(mp.page.locator(".leaflet-interactive").first).to_be_visible()
    mp.assert_clean()
    # Every script, style and image is inlined: the page fetches nothing but itself.
    fetched = [u for u in mp.requested if not u.startswith("data:")]
    assert fetched == [mp.url]


@pytest.mark.parametrize("stem", STEMS)
def test_title_and_legend(stem, open_stem, expected):
    mp = open_stem(stem)
    title = mp.page.locator(".leaflet-control.mm-title h1")
    expect(title).to_have_count(1)
    expect(title).not_to_be_empty()
    legend = mp.page.locator(".leaflet-control.mm-legend")
    expect(legend).to_have_count(1)
    expect(legend).to_be_visible()
    expect(legend.locator("h2")).to_have_text(expected[stem].legend_title)
    # Controls (title, legend, zoom, layers, scale, attribution) fit the window and
    # do not cover one another.
    boxes = mp.page.locator(".leaflet-control").evaluate_all(
        "els => els.map(e => { const r = e.getBoundingClientRect();"
        " return [e.className, r.left, r.top, r.right, r.bottom]; })"
    )
    width, height = mp.page.viewport_size["width"], mp.page.viewport_size["height"]
    for name, left, top, right, bottom in boxes:
        assert left >= 0 and top >= 0 and right <= width and bottom <= height, name
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            apart = a[3] <= b[1] or b[3] <= a[1] or a[4] <= b[2] or b[4] <= a[2]
            assert apart, f"{a[0]!r} overlaps {b[0]!r}"
    # Every colour drawn is explained by a legend swatch.
    swatches = set(
        legend.locator(".mm-swatch").evaluate_all(
            "els => els.map(e => getComputedStyle(e).backgroundColor)"
        )
    )
    drawn = mp.page.locator(
        "path.mm-choropleth"
        if expected[stem].units
        else ".leaflet-overlay-pane path.leaflet-interactive"
    )
    fills = drawn.evaluate_all(
        "els => els.map(e => { const s = document.createElement('span');"
        " s.style.color = e.getAttribute('fill'); document.body.appendChild(s);"
        " const c = getComputedStyle(s).color; s.remove(); return c; })"
    )
    assert fills
    assert set(fills) <= swatches


@pytest.mark.parametrize("stem", STEMS)
def test_choropleth_path_count(stem, open_stem, expected):
    mp = open_stem(stem)
    expect(mp.page.locator("path.mm-choropleth")).to_have_count(len(expected[stem].units))


@pytest.mark.parametrize("stem", CHOROPLETH_STEMS)
def test_hover_shows_unit_name(stem, open_stem, expected):
    units = expected[stem].units
    mp = open_stem(stem)
    names = _names_by_path(mp, len(units))
    assert sorted(names) == sorted(u.name for u in units)


@pytest.mark.parametrize("stem", CHOROPLETH_STEMS)
def test_click_opens_popup_with_source(stem, open_stem, expected):
    units = {u.name: u for u in expected[stem].units}
    mp = open_stem(stem)
    paths = mp.page.locator("path.mm-choropleth")
    seen = []
    for i in range(len(units)):
        pop = mp.click(paths.nth(i))
        # The popup is headed by the unit's name ("Western military district", "Chechnya (RU-CE)").
        heading = pop.locator("h4").first.inner_text()
        name = max((n for n in units if heading.startswith(n)), key=len, default=None)
        assert name is not None, f"popup {heading!r} names no expected unit"
        seen.append(name)
        expect(pop.locator("th", has_text=re.compile(r"^Source$"))).not_to_have_count(0)
        expect(pop.locator("th", has_text="Source document")).not_to_have_count(0)
        for source_file in units[name].sources:
            expect(pop).to_contain_text(source_file)
        mp.close_popup()
    assert sorted(seen) == sorted(units)


@pytest.mark.parametrize("stem", STEMS)
def test_layer_control_lists_layers(stem, open_stem, expected):
    mp = open_stem(stem)
    listing = mp.layer_control()
    labels = listing.locator("label")
    expect(labels).to_have_text(expected[stem].layers + expected[stem].hidden_layers)
    for i in range(labels.count()):
        box = expect(labels.nth(i).locator("input"))
        box.not_to_be_checked() if i >= len(expected[stem].layers) else box.to_be_checked()
    if expected[stem].choropleth_layer:
        # Switching the choropleth layer off and on removes and redraws its paths.
        n = len(expected[stem].units)
        toggle = labels.filter(has_text=expected[stem].choropleth_layer)
        expect(toggle).to_have_count(1)
        toggle.locator("input").uncheck()
        expect(mp.page.locator("path.mm-choropleth")).to_have_count(0)
        toggle.locator("input").check()
        expect(mp.page.locator("path.mm-choropleth")).to_have_count(n)


@pytest.mark.parametrize("stem", STEMS)
def test_scale_bar_and_attribution(stem, open_stem, expected):
    mp = open_stem(stem)
    scale = mp.page.locator(".leaflet-control-scale")
    expect(scale).to_have_count(1)
    expect(scale).to_be_visible()
    expect(scale.locator(".leaflet-control-scale-line").first).to_have_text(
        re.compile(r"^\d+ k?m$")
    )
    attribution = mp.page.locator(".leaflet-control-attribution")
    expect(attribution).to_be_visible()
    for credit in expected[stem].credits:
        expect(attribution).to_contain_text(credit)


# -------------------------------------------------------------- clearance


def test_clearance_western_popup_and_composition_date(open_stem, expected, prepared):
    _, latest = _clearance(prepared["clearance"].records)
    assert latest.isoformat() == "2018-01-01"
    mp = open_stem("clearance")
    legend = mp.page.locator(".mm-legend")
    expect(legend).to_contain_text("2018-01-01")
    names = _names_by_path(mp, len(expected["clearance"].units))
    assert "Western" in names
    pop = mp.click(mp.page.locator("path.mm-choropleth").nth(names.index("Western")))
    expect(pop).to_contain_text("Western military district")
    expect(pop.locator('tr:has(> th:text-is("Planned clearance")) > td')).to_have_text("14.7 km²")
    expect(pop).to_contain_text("2018-01-01")


# -------------------------------------------------------------- incidents

_MARKERS_JS = """() => {
  const m = window[document.querySelector('.folium-map').id];
  const box = m.getContainer().getBoundingClientRect();
  const out = [];
  m.eachLayer((l) => {
    if (!(l instanceof L.CircleMarker) || !l._path) return;
    const p = m.latLngToContainerPoint(l.getLatLng());
    const x = box.left + p.x, y = box.top + p.y;
    if (document.elementFromPoint(x, y) === l._path) out.push([x, y]);
  });
  return out;
}"""

_CLUSTERS_JS = """() => Array.from(document.querySelectorAll('.marker-cluster')).map((e) => {
  const r = e.getBoundingClientRect();
  return [parseInt(e.innerText, 10), r.left + r.width / 2, r.top + r.height / 2];
})"""


def _settle(mp) -> None:
    mp.page.evaluate(
        "() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))"
    )
    mp.idle()


def test_incident_markers_account_for_every_record(open_stem, prepared):
    records = prepared["incidents"].records
    mp = open_stem("incidents")
    clustered = sum(n for n, _x, _y in mp.page.evaluate(_CLUSTERS_JS))
    # Marker paths; the shaded units below them are paths too (class mm-per-unit).
    single = mp.page.locator(".leaflet-overlay-pane path.leaflet-interactive:not(.mm-per-unit)")
    # Records given for a whole country are counted on its badge, one badge per country.
    badges = mp.page.locator(".mm-badge-inner")
    national = records[records["precision"].eq("admin0")]
    expect(badges).to_have_count(national["country"].nunique())
    on_badges = sum(int(n) for n in badges.evaluate_all(
        "els => els.map(e => e.getAttribute('data-mm-count'))"))  # fmt: skip
    assert on_badges == len(national)
    assert clustered + single.count() + on_badges == len(records)


def test_incident_markers_carry_layer_class(open_stem):
    # Unclustered markers are drawn as paths with their layer's class (mm-event or
    # mm-aggregate), like the polygons of the other maps.
    mp = open_stem("incidents")
    single = mp.page.locator(".leaflet-overlay-pane path.leaflet-interactive:not(.mm-per-unit)")
    assert single.count() > 0
    classes = single.evaluate_all("els => els.map(e => e.getAttribute('class'))")
    assert all(re.search(r"\bmm-(event|aggregate)\b", c) for c in classes), classes


def test_incident_units_are_shaded_by_their_events(open_stem, prepared):
    records = prepared["incidents"].records
    events = records[records["record_type"].eq("event") & records["unit_level"].eq("admin1")]
    mp = open_stem("incidents")
    units = mp.page.locator(".leaflet-overlay-pane path.mm-per-unit")
    countries = set(events["country"])
    assert units.count() > events["unit_code"].nunique()  # units without events are drawn too
    code = events["unit_code"].value_counts().index[0]
    n = int((events["unit_code"] == code).sum())
    # One path per unit of the events' countries, in the boundary table's order.
    frame = embedded("admin1").frame
    drawn = frame.loc[frame["country"].isin(countries) | frame["code"].isin(set(events["unit_code"])),
                      "code"].tolist()  # fmt: skip
    assert units.count() == len(drawn)
    tip = mp.hover(units.nth(drawn.index(code)))
    expect(tip).to_contain_text(f"{embedded('admin1').unit_name(code)}: {n} event(s)")


@pytest.mark.parametrize("which", ["largest", "smallest"])
def test_incident_cluster_then_marker_popup(which, open_stem, prepared):
    records = prepared["incidents"].records
    places = set(records["place"])
    mp = open_stem("incidents")
    clusters = sorted(mp.page.evaluate(_CLUSTERS_JS), key=lambda c: (c[0], c[1], c[2]))
    assert clusters
    _n, x, y = clusters[-1] if which == "largest" else clusters[0]
    before = {tuple(p) for p in mp.page.evaluate(_MARKERS_JS)}
    target = None
    for _attempt in range(8):
        mp.page.mouse.click(x, y)
        _settle(mp)
        new = [p for p in mp.page.evaluate(_MARKERS_JS) if tuple(p) not in before]
        if new:
            # A marker that came out of the cluster (spiderfied or unclustered by zooming).
            target = min(new, key=lambda p: (p[0] - x) ** 2 + (p[1] - y) ** 2)
            break
        # Zoomed in to smaller clusters: follow the one nearest the click.
        clusters = mp.page.evaluate(_CLUSTERS_JS)
        assert clusters, "the cluster neither spiderfied nor split into markers or clusters"
        _n, x, y = min(clusters, key=lambda c: (c[1] - x) ** 2 + (c[2] - y) ** 2)
        before = {tuple(p) for p in mp.page.evaluate(_MARKERS_JS)}
    assert target is not None, "no marker came out of the cluster after 8 clicks"
    mp.page.mouse.move(*target)
    # The marker's tooltip (a unit's sticky tooltip may still be open below it).
    named = re.compile("|".join(re.escape(p) for p in sorted(places, key=len, reverse=True)))
    tip = mp.tooltip().filter(has_text=named)
    expect(tip).to_have_count(1)
    expect(tip).to_be_visible()
    mp.page.mouse.click(*target)
    pop = mp.popup()
    expect(pop).to_be_visible()
    expect(pop).to_contain_text("Located as")
    expect(pop.locator("th", has_text=re.compile(r"^Source$"))).to_have_count(1)
    text = pop.inner_text()
    assert any(f in text for f in set(records["source_file"]))


# ------------------------------------------------------------------ index


def test_index_page(built, open_map, prepared):
    out = built.out
    mp = open_map(out / "index.html", ready="section.mm-summary", screenshot="index")
    hrefs = mp.page.locator("a[href]").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert {f"{stem}.html" for stem in MAPS} <= set(hrefs)
    for href in hrefs:
        parts = urlsplit(href)
        if parts.scheme in ("http", "https", "mailto") or not parts.path:
            continue
        assert (out / unquote(parts.path)).is_file(), f"index links to missing {href}"
    items = default_summaries()
    assert len(items) == len(SUMMARIES)
    sections = mp.page.locator("section.mm-summary")
    expect(sections).to_have_count(len(SUMMARIES))
    expect(sections.locator("h2")).to_have_text([s.title for s in items.values()])
    for i, item in enumerate(items.values()):
        expect(sections.nth(i).locator("tbody tr")).to_have_count(len(item.table))
    mp.assert_clean()


def test_index_links_open_the_maps(built, open_map):
    mp = open_map(built.out / "index.html", ready="section.mm-summary")
    stem = next(iter(MAPS))
    mp.page.locator(f'a[href="{stem}.html"]').click()
    expect(mp.page).to_have_url(Path(built.out / f"{stem}.html").as_uri())
    expect(mp.page.locator(".mm-legend")).to_be_visible()


def test_contamination_has_a_layer_per_year_of_estimate(open_stem, expected, prepared):
    records = prepared["contamination"].records
    regional = records[records["unit_level"].eq("admin1") & records["area_km2"].notna()]
    years = [year_label(r) for r in regional.to_dict("records")]
    mp = open_stem("contamination")
    for title in expected["contamination"].hidden_layers:
        year = "" if "no stated date" in title else title.split(" ")[2]
        recs = regional[[y == year for y in years]]
        toggle = mp.layer_control().locator("label", has_text=title).locator("input")
        toggle.check()
        paths = mp.page.locator("path.mm-choropleth-year")
        expect(paths).to_have_count(recs["unit_code"].nunique())
        # A year's popup lists that year's estimates, and only those.
        pop = mp.click(paths.first)
        blocks = pop.locator("h4", has_text="Record ")
        expect(blocks).not_to_have_count(0)
        for i in range(blocks.count()):
            assert blocks.nth(i).inner_text().removeprefix("Record ") in set(recs["record_id"])
        mp.close_popup()
        mp.layer_control().locator("label", has_text=title).locator("input").uncheck()
        expect(paths).to_have_count(0)
