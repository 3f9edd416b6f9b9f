"""Benchmark minemap's maps against folium peers in headless Chromium, on the same data.

Run from anywhere (minemap installed with its ``bench`` and ``png`` extras, so
matplotlib for ``explore()`` and Playwright are there; Chromium at
``/usr/bin/chromium`` or given with ``--chromium``)::

    python benchmarks/bench_browser.py [--cases choropleth,incidents100k,incidents1m]
        [--tools minemap,minemap_points_only,explore,folium_choropleth,fastmarkercluster]
        [--repeat N] [--timeout S] [--out DIR] [--keep]

Cases (see benchmarks/README.md, "Browser benchmark"):

* ``choropleth``: the 4,596 embedded Natural Earth admin-1 units, each valued by
  its geodesic area in km² (:func:`geo.area.area_km2`). Peers:
  ``GeoDataFrame.explore(column="value")`` and ``folium.Choropleth`` on a plain
  ``folium.Map``; minemap: ``maps.views.value_map``.
* ``incidents100k`` / ``incidents1m``: 100,000 / 1,000,000 synthetic incident
  events resampled from the embedded ones and scattered around them
  (deterministic). Peer: ``folium.plugins.FastMarkerCluster``; minemap:
  ``maps.views.incidents_map`` (popup fields for every record) and, on the
  coordinates alone as the peer gets them, ``maps.pointcloud.PointCloud``.

Every page is opened in a fresh Chromium (so memory is not shared between
pages) with a 1280x800 viewport and no network: ``file:`` and ``data:`` URLs
load, CDN URLs that ``maps/vendor/manifest.json`` lists are served from the
vendored copies, d3 (which branca's colour-scale legend loads, and minemap does
not vendor) gets a do-nothing stand-in (:data:`D3_STUB`), and every other request
is aborted and reported. No page has tiles. A page that does not draw within
``--timeout`` seconds (default 600; the zoom steps get as long again) is
reported as "timeout".

What each figure means:

* **HTML MB**: size of the page file (1 MB = 10^6 bytes). minemap's pages are
  self-contained (scripts and styles inlined); the peers' pages link their
  assets from CDNs, as folium writes them, and are served here from local files,
  so their size does not include Leaflet & co.
* **build s**: Python time to make the map and write its HTML (once per page,
  not repeated).
* **first draw s**: ``performance.now()`` (time since navigation start) once
  the page's layers are drawn and no zoom or cluster animation runs, and still
  so two animation frames later. "Drawn" is :data:`DRAWN_JS`, polled every
  animation frame: for minemap, the ``data-mm-drawn="true"`` mark its maps set
  once every layer is drawn (and, for the choropleth, one ``path.mm-choropleth``
  per unit, unless the units are drawn on a canvas); for explore() and
  folium.Choropleth, one
  ``path.leaflet-interactive`` per unit; for FastMarkerCluster, a
  ``.marker-cluster`` icon.
* **zoom step ms**: median time of six zoom steps (three in, three out) from
  a common view of the data, each ``map.setZoom(z +/- 1, {animate: false})``
  until two animation frames have run (and markercluster's animation ended).
* **browser MB**: proportional set size (PSS, from ``/proc/PID/smaps_rollup``;
  RSS where that is missing) summed over every process of that browser, after
  the first draw and a forced garbage collection. **peak MB**: the highest such
  sum sampled every 0.2 s from launch to the end of the zoom steps.
* **JS heap MB**: the page's ``JSHeapUsedSize`` (Chrome DevTools protocol)
  after the same garbage collection.

With ``--repeat N`` every page is opened N times and medians are reported. The
results go to ``DIR/results.json``; the HTML pages are deleted unless ``--keep``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import mimetypes
import os
import platform
import posixpath
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import folium
import folium.plugins
import geopandas as gpd
import numpy as np
import pandas as pd
from machine import cpu_model, package_versions, usable_cores
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page as PlaywrightPage
from playwright.sync_api import Playwright, Route, sync_playwright

import geo
import layers
from geo import area
from maps import base, views
from maps.pointcloud import FieldRoles, PointCloud

REPO = Path(__file__).resolve().parents[1]
VENDOR_DIR = Path(views.__file__).resolve().parent / "vendor"
VIEWPORT = {"width": 1280, "height": 800}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
PACKAGES = ("minemap", "folium", "branca", "geopandas", "shapely", "playwright")
SEED = 20251122
ZOOM_STEPS = (1, 1, 1, -1, -1, -1)
MINEMAP = "minemap"
#: minemap's point layer on the coordinates alone, what FastMarkerCluster is given.
MINEMAP_POINTS = "minemap (points only)"

# ---------------------------------------------------------------- data


def admin1_values() -> gpd.GeoDataFrame:
    """Every embedded admin-1 unit with ``value`` = its geodesic area in km²."""
    frame = geo.admin1()[["code", "name", "geometry"]].copy()
    frame["value"] = [area.area_km2(g) for g in frame.geometry]
    return frame


def located_events() -> gpd.GeoDataFrame:
    """The embedded incident records, located as ``minemap build`` does; events only."""
    records = layers.prepare(layers.default("incidents")).records
    return records[records["record_type"].eq("event")].reset_index(drop=True)


#: Standard deviation of the scatter (degrees) by how precisely a record is placed.
_SIGMA = {"exact": 0.3, "settlement": 0.3, "border": 0.5, "admin1": 0.8, "admin0": 1.5}


def synthetic_incidents(n: int, seed: int = SEED) -> gpd.GeoDataFrame:
    """``n`` incident events shaped like the located records ``incidents_map`` takes.

    Rows of the embedded events are drawn with replacement; each point moves by a
    gaussian step (sigma 0.3-1.5 degrees by precision) and is clipped to the
    events' bounding box grown by one degree (Ukraine, Russia, the Caucasus,
    Syria, Libya, Sudan, Yemen, Afghanistan...). Coordinates are rounded to 5
    decimals (about 1 m); each row gets a unique ``record_id`` and a date between
    2014 and 2025. The same ``n`` and ``seed`` give the same frame.
    """
    events = located_events()
    rng = np.random.default_rng(seed)
    pick = rng.integers(0, len(events), n)
    frame = events.iloc[pick].reset_index(drop=True)
    x0, y0 = events.geometry.x.to_numpy()[pick], events.geometry.y.to_numpy()[pick]
    sigma = frame["precision"].map(_SIGMA).fillna(1.0).to_numpy()
    minx, miny, maxx, maxy = events.total_bounds
    x = np.clip(x0 + rng.normal(0, sigma), minx - 1, maxx + 1).round(5)
    y = np.clip(y0 + rng.normal(0, sigma), miny - 1, maxy + 1).round(5)
    first, last = np.datetime64("2014-01-01"), np.datetime64("2025-12-31")
    days = int((last - first) // np.timedelta64(1, "D"))
    start = first + rng.integers(0, days + 1, n).astype("timedelta64[D]")
    end = np.minimum(start + rng.integers(0, 31, n).astype("timedelta64[D]"), last)
    frame["record_id"] = [f"synthetic-{i:07d}" for i in range(n)]
    frame["row"] = np.arange(2, n + 2)
    frame["date_start"] = pd.to_datetime(start).date
    frame["date_end"] = pd.to_datetime(end).date
    frame["as_of"] = np.datetime_as_string(start, unit="D")
    return frame.set_geometry(gpd.points_from_xy(x, y, crs=events.crs))


# ---------------------------------------------------------------- pages


@dataclass
class Page:
    """One HTML page to open, and how to tell that it has drawn its layers."""

    tool: str
    path: Path
    build_s: float
    drawn: dict  # arguments of DRAWN_JS


@dataclass
class PageSpec:
    """How to write one tool's page of a case, and its drawn predicate."""

    tool: str
    make: Callable[[Path], str | None]  # returns the HTML, or writes the path itself
    drawn: Callable[[Path], dict]  # the written page -> arguments of DRAWN_JS

    def build(self, path: Path) -> Page:
        """Write the page and time it (making the map, rendering, writing)."""
        start = time.perf_counter()
        html = self.make(path)
        if html is not None:
            path.write_text(html, encoding="utf-8")
        return Page(self.tool, path, time.perf_counter() - start, self.drawn(path))


def minemap_drawn(paths: str | None = None, n: int = 0, fallback_any: str | None = None):
    """Drawn predicate for a minemap page.

    minemap sets ``data-mm-drawn="true"`` on the map container once all its
    layers are drawn: a page whose HTML mentions the flag waits for it, and for
    ``n`` elements matching ``paths`` if given, unless it has none of them and
    a canvas in the map pane (the layer is drawn on a canvas). A page from
    before the flag waits for the paths, or for an element matching
    ``fallback_any``.
    """

    def drawn(path: Path) -> dict:
        text = path.read_text(encoding="utf-8")
        flagged = "mmDrawn" in text or "data-mm-drawn" in text
        args = {"flag": flagged, "paths": paths, "n": n}
        return args if flagged else {**args, "any": fallback_any}

    return drawn


def peer_drawn(**args) -> Callable[[Path], dict]:
    """Drawn predicate for a peer's page: fixed arguments of DRAWN_JS."""
    return lambda _path: args


INTERACTIVE_PATHS = ".leaflet-map-pane path.leaflet-interactive"


def plain_map() -> folium.Map:
    """A folium map with no tiles for the peers.

    Its ``maxZoom`` is 18, what folium's default OpenStreetMap layer would give:
    markercluster refuses a map with no maximum zoom, and a map without tiles has
    none.
    """
    return folium.Map(tiles=None, maxZoom=18)


def choropleth_specs(frame: gpd.GeoDataFrame) -> list[PageSpec]:
    """minemap's value map, explore() and folium.Choropleth of the same frame."""
    n = int((~frame.geometry.is_empty).sum())  # one SVG path per (multi)polygon

    def minemap_page(_path: Path) -> str:
        fmap = views.value_map(frame, "value", title="Area of admin-1 units", unit=" km²")
        return views.render(fmap)

    def explore_page(path: Path) -> None:
        frame.explore(column="value", tiles=None).save(path)

    def folium_page(_path: Path) -> str:
        fmap = plain_map()
        folium.Choropleth(
            geo_data=frame,
            data=frame[["code", "value"]],
            columns=["code", "value"],
            key_on="feature.properties.code",
        ).add_to(fmap)
        fmap.fit_bounds(_leaflet_bounds(frame))
        return fmap.get_root().render()

    return [
        PageSpec(MINEMAP, minemap_page, minemap_drawn(paths="path.mm-choropleth", n=n)),
        PageSpec("explore()", explore_page, peer_drawn(paths=INTERACTIVE_PATHS, n=n)),
        PageSpec("folium.Choropleth", folium_page, peer_drawn(paths=INTERACTIVE_PATHS, n=n)),
    ]


def incident_specs(frame: gpd.GeoDataFrame) -> list[PageSpec]:
    """minemap's incidents map, minemap's point layer alone, and FastMarkerCluster.

    ``minemap`` is the incidents map a user gets: every record carries its
    popup fields (id, event, place, date, hazard, source...). ``minemap (points
    only)`` gets exactly what FastMarkerCluster gets, the coordinates: the same
    map shell (title, background, legend-free) with a point layer of no fields.
    """

    def minemap_page(_path: Path) -> str:
        return views.render(views.incidents_map(frame))

    def points_page(_path: Path) -> str:
        bounds = tuple(float(v) for v in frame.total_bounds)
        fmap = base.new_map(bounds, title=f"{len(frame):,} points")
        base.add_background(fmap, bounds)
        PointCloud(
            frame.geometry.x.to_numpy(),
            frame.geometry.y.to_numpy(),
            [],
            name="points",
            roles=FieldRoles(tooltip_fields=[], popup_fields=[]),
        ).add_to(fmap)
        return views.render(fmap)

    def cluster_page(_path: Path) -> str:
        fmap = plain_map()
        points = np.column_stack([frame.geometry.y, frame.geometry.x]).tolist()
        folium.plugins.FastMarkerCluster(data=points).add_to(fmap)
        fmap.fit_bounds(_leaflet_bounds(frame))
        return fmap.get_root().render()

    drawn_before_flag = ".leaflet-map-pane .marker-cluster, .leaflet-map-pane canvas"
    return [
        PageSpec(MINEMAP, minemap_page, minemap_drawn(fallback_any=drawn_before_flag)),
        PageSpec(MINEMAP_POINTS, points_page, minemap_drawn(fallback_any=drawn_before_flag)),
        PageSpec("FastMarkerCluster", cluster_page, peer_drawn(any=".marker-cluster")),
    ]


def _leaflet_bounds(frame: gpd.GeoDataFrame) -> list[list[float]]:
    minx, miny, maxx, maxy = (float(v) for v in frame.total_bounds)
    return [[miny, minx], [maxy, maxx]]


def common_view(frame: gpd.GeoDataFrame, min_zoom: int = 2) -> dict:
    """The view every page of a case starts its zoom steps from.

    The centre of the data's bounds at the largest whole zoom at which they fit
    the viewport (Web Mercator), at least ``min_zoom`` (minemap's maps do not
    zoom out further). Whole zooms, since the pages snap zoom differently.
    """
    minx, miny, maxx, maxy = (float(v) for v in frame.total_bounds)

    def mercator_y(lat: float) -> float:
        lat = max(min(lat, 85.0511), -85.0511)
        return np.log(np.tan(np.pi / 4 + np.radians(lat) / 2)) / (2 * np.pi)

    width = max((maxx - minx) / 360, 1e-9)
    height = max(mercator_y(maxy) - mercator_y(miny), 1e-9)
    fit = min(
        np.log2(VIEWPORT["width"] / (256 * width)), np.log2(VIEWPORT["height"] / (256 * height))
    )
    return {"center": [(miny + maxy) / 2, (minx + maxx) / 2], "zoom": max(int(fit), min_zoom)}


# ---------------------------------------------------------------- offline assets


#: A do-nothing stand-in for d3 3.5.5, which branca's colour-scale legend loads from cdnjs
#: and minemap does not vendor. Every property of it and every call on it give it back,
#: so the legend code runs through without drawing (and without throwing: with d3
#: missing, folium.Choropleth's page stops before adding its layer to the map).
D3_STUB = """(function () {
    var d3 = new Proxy(function () {}, {
        get: function (target, key) {
            return key === Symbol.toPrimitive ? function () { return 0; } : d3;
        },
        apply: function () { return d3; }
    });
    window.d3 = d3;
})();"""
STUBS = {"https://cdnjs.cloudflare.com/ajax/libs/d3/3.5.5/d3.min.js": (D3_STUB, "text/javascript")}


class VendoredAssets:
    """Answer CDN requests from ``maps/vendor`` so that pages load with no network.

    A URL listed in the manifest gets its vendored file; a URL beside one (a font
    or image that a vendored stylesheet references relatively) gets the file at
    the same relative place in the vendored package, if it exists. URLs the
    manifest lists as dropped get an empty body, URLs in :data:`STUBS` their stub;
    anything else is aborted.
    """

    def __init__(self) -> None:
        manifest = json.loads((VENDOR_DIR / "manifest.json").read_text(encoding="utf-8"))
        self.urls = {url: entry["file"] for url, entry in manifest["urls"].items()}
        self.dropped = set(manifest.get("dropped", {}))
        self.aborted: list[str] = []
        self.stubbed: list[str] = []

    @staticmethod
    def key(url: str) -> str:
        """The manifest's form of a URL: ``https:``, no query or fragment."""
        url = url.strip().split("#")[0].split("?")[0]
        if url.startswith("//"):
            return "https:" + url
        if url.lower().startswith("http://"):
            return "https://" + url[7:]
        return url

    def file_for(self, url: str) -> Path | None:
        """The vendored file that answers ``url``, if any."""
        key = self.key(url)
        if key in self.urls:
            return VENDOR_DIR / self.urls[key]
        target = urlsplit(key)
        for known, rel in self.urls.items():
            base = urlsplit(known)
            if base.netloc != target.netloc:
                continue
            relative = posixpath.relpath(target.path, posixpath.dirname(base.path))
            package = rel.split("/")[0]
            candidate = posixpath.normpath(posixpath.join(posixpath.dirname(rel), relative))
            if candidate.startswith(package + "/") and (VENDOR_DIR / candidate).is_file():
                return VENDOR_DIR / candidate
        return None

    def handle(self, route: Route) -> None:
        """Playwright route handler for every request of a page."""
        url = route.request.url
        if url.startswith(("file:", "data:")):
            route.continue_()
            return
        path = self.file_for(url)
        headers = {"Access-Control-Allow-Origin": "*"}  # fonts load in CORS mode
        if path is not None:
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            route.fulfill(path=path, content_type=kind, headers=headers)
        elif self.key(url) in self.dropped:
            self.stubbed.append(url)
            route.fulfill(body="", content_type="text/css", headers=headers)
        elif self.key(url) in STUBS:
            self.stubbed.append(url)
            body, kind = STUBS[self.key(url)]
            route.fulfill(body=body, content_type=kind, headers=headers)
        else:
            self.aborted.append(url)
            route.abort()


# ---------------------------------------------------------------- browser processes


def _parents() -> dict[int, int]:
    """pid -> parent pid of every process (from ``/proc/PID/stat``)."""
    parents = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        # The command name (2nd field) is in parentheses and may hold spaces.
        parents[int(entry.name)] = int(stat[stat.rindex(")") + 2 :].split()[1])
    return parents


def browser_pids() -> list[int]:
    """Processes of the running Chromium: this process's descendants below Playwright's driver.

    Playwright runs a driver (node) as a child of this process, and the driver
    launches Chromium; only one browser runs at a time here, so every process
    below the driver belongs to it.
    """
    children: dict[int, list[int]] = {}
    for pid, parent in _parents().items():
        children.setdefault(parent, []).append(pid)
    found: list[int] = []
    todo = [pid for driver in children.get(os.getpid(), []) for pid in children.get(driver, [])]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        found.append(pid)
    return found


def _memory_kb(pid: int) -> int:
    """PSS of a process in kB, or RSS where ``smaps_rollup`` cannot be read; 0 if gone."""
    for name, field_name in (("smaps_rollup", "Pss:"), ("status", "VmRSS:")):
        try:
            for line in Path(f"/proc/{pid}/{name}").read_text().splitlines():
                if line.startswith(field_name):
                    return int(line.split()[1])
        except (OSError, ValueError):
            continue
    return 0


def browser_memory_mb() -> float:
    """Summed PSS (MB) of every process of the running browser."""
    return sum(_memory_kb(pid) for pid in browser_pids()) / 1024


class PeakMemory(threading.Thread):
    """Sample the browser's summed PSS every ``interval`` seconds; keep the highest."""

    def __init__(self, interval: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.interval = interval
        self.peak_mb = 0.0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.wait(self.interval):
            self.peak_mb = max(self.peak_mb, browser_memory_mb())

    def stop(self) -> float:
        self._stop_event.set()
        self.join()
        return self.peak_mb


@contextmanager
def watchdog(seconds: float) -> Iterator[None]:
    """Kill this run's browser processes if the block takes longer than ``seconds``.

    Calls like ``page.evaluate`` have no timeout of their own; killing the
    browser makes a stuck call raise, and the page is reported as a timeout.
    """
    timer = threading.Timer(seconds, _kill_browser)
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


def _kill_browser() -> None:
    for pid in browser_pids():
        with suppress(OSError):
            os.kill(pid, signal.SIGKILL)


# ---------------------------------------------------------------- measuring a page

DRAWN_JS = """
({flag, paths, n, any}) => {
    const map = document.querySelector('.folium-map');
    if (!map) return false;
    if (flag && map.dataset.mmDrawn !== 'true') return false;
    if (paths) {
        const count = document.querySelectorAll(paths).length;
        // A flagged minemap page may draw the layer on a canvas: then no such path exists.
        const onCanvas = flag && count === 0 && document.querySelector('.leaflet-map-pane canvas');
        if (count < n && !onCanvas) return false;
    }
    if (any && !document.querySelector(any)) return false;
    // The view has settled: no zoom animation (e.g. a fitBounds after the layers were
    // added) and no markercluster animation is running.
    return !document.querySelector('.leaflet-zoom-anim, .leaflet-cluster-anim');
}
"""

FRAMES_JS = f"""
async (args) => {{
    const drawn = {DRAWN_JS.strip()};
    for (let i = 0; i < 2; i++) await new Promise(r => requestAnimationFrame(r));
    // null when the page is no longer drawn: an animation started meanwhile.
    return drawn(args) ? performance.now() : null;
}}
"""

COUNTS_JS = """
() => ({
    paths: document.querySelectorAll('.leaflet-map-pane path').length,
    interactive_paths:
        document.querySelectorAll('.leaflet-map-pane path.leaflet-interactive').length,
    mm_choropleth_paths: document.querySelectorAll('path.mm-choropleth').length,
    clusters: document.querySelectorAll('.marker-cluster').length,
    canvases: document.querySelectorAll('.leaflet-map-pane canvas').length,
    mm_drawn: (document.querySelector('.folium-map') || {dataset: {}}).dataset.mmDrawn || null,
})
"""

ZOOM_JS = """
async ({center, zoom, steps}) => {
    const map = window[document.querySelector('.folium-map').id];
    const frame = () => new Promise(r => requestAnimationFrame(r));
    const settle = async () => {
        while (document.querySelector('.leaflet-cluster-anim')) await frame();
        await frame();
        await frame();
    };
    map.setView(center, zoom, {animate: false});
    await settle();
    const start = map.getZoom();
    const times = [];
    for (const step of steps) {
        const t0 = performance.now();
        map.setZoom(map.getZoom() + step, {animate: false});
        await settle();
        times.push(performance.now() - t0);
    }
    return {start, times};
}
"""


@dataclass
class Measurement:
    """One opening of one page."""

    status: str = "ok"  # ok, timeout, error
    draw_s: float | None = None
    zoom_ms: list[float] = field(default_factory=list)
    start_zoom: float | None = None
    browser_mb: float | None = None
    peak_mb: float | None = None
    js_heap_mb: float | None = None
    aborted: list[str] = field(default_factory=list)
    stubbed: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    counts: dict = field(default_factory=dict)  # elements once drawn, or at a timeout (COUNTS_JS)
    detail: str = ""


def _is_timeout(exc: Exception) -> bool:
    return "Timeout" in type(exc).__name__ or "Timeout" in str(exc)


def measure(
    pw: Playwright, page_def: Page, view: dict, chromium: str, timeout_s: float
) -> Measurement:
    """Open one page in a fresh browser and measure it (see the module docstring)."""
    result = Measurement()
    assets = VendoredAssets()
    browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
    sampler = PeakMemory()
    sampler.start()
    page = None
    try:
        context = browser.new_context(viewport=VIEWPORT)
        context.route("**/*", assets.handle)
        page = context.new_page()
        page.on("pageerror", lambda e: result.page_errors.append(str(e)[:200]))
        cdp = context.new_cdp_session(page)
        cdp.send("Performance.enable")
        with watchdog(timeout_s + 30):
            page.goto(page_def.path.as_uri(), wait_until="commit", timeout=timeout_s * 1e3)
            result.draw_s = wait_until_drawn(page, page_def.drawn, timeout_s)
            result.counts = page.evaluate(COUNTS_JS)
        _measure_memory(cdp, result)
        with watchdog(timeout_s):
            zoom = page.evaluate(ZOOM_JS, {**view, "steps": list(ZOOM_STEPS)})
        result.start_zoom, result.zoom_ms = zoom["start"], zoom["times"]
    except PlaywrightError as exc:
        timed_out = _is_timeout(exc) or not browser.is_connected()
        result.status = "timeout" if timed_out else "error"
        result.detail = str(exc).splitlines()[0][:300]
        if page is not None and browser.is_connected() and not result.counts:
            # What the page had drawn when it was given up on, to tell why.
            with suppress(PlaywrightError), watchdog(30):
                result.counts = page.evaluate(COUNTS_JS)
    finally:
        result.peak_mb = sampler.stop()
        result.aborted, result.stubbed = assets.aborted, assets.stubbed
        with suppress(PlaywrightError):
            browser.close()
    return result


def wait_until_drawn(page: PlaywrightPage, drawn: dict, timeout_s: float) -> float:
    """Seconds from navigation start until the page is drawn and two frames later still is.

    A zoom animation starts one frame after ``fitBounds`` is called, so a page
    can look drawn for a frame and then animate; the check is repeated until the
    page is still drawn after its two frames.
    """
    deadline = time.monotonic() + timeout_s
    while True:
        left_ms = max(deadline - time.monotonic(), 0.001) * 1e3
        page.wait_for_function(DRAWN_JS, arg=drawn, polling="raf", timeout=left_ms)
        now_ms = page.evaluate(FRAMES_JS, drawn)
        if now_ms is not None:
            return now_ms / 1e3


def _measure_memory(cdp, result: Measurement) -> None:
    """Collect garbage, then read the JS heap and the browser's summed PSS."""
    cdp.send("HeapProfiler.collectGarbage")
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    result.js_heap_mb = metrics.get("JSHeapUsedSize", 0) / 2**20
    result.browser_mb = browser_memory_mb()


# ---------------------------------------------------------------- cases and report


@dataclass
class Case:
    """A benchmark case: its data, its pages, and minemap's targets against a peer."""

    name: str
    title: str
    data: Callable[[], gpd.GeoDataFrame]
    specs: Callable[[gpd.GeoDataFrame], list[PageSpec]]
    peer: str  # the peer the targets are set against
    targets: dict[str, float]  # metric -> highest allowed minemap/peer ratio


CASES = {
    "choropleth": Case(
        "choropleth",
        "4,596 admin-1 units, value = geodesic area (km²)",
        admin1_values,
        choropleth_specs,
        "explore()",
        {"html_mb": 1 / 10, "draw_s": 1 / 2, "zoom_ms": 1 / 3},
    ),
    "incidents100k": Case(
        "incidents100k",
        "100,000 synthetic incident events",
        lambda: synthetic_incidents(100_000),
        incident_specs,
        "FastMarkerCluster",
        {"html_mb": 1 / 2, "draw_s": 1 / 2},
    ),
    "incidents1m": Case(
        "incidents1m",
        "1,000,000 synthetic incident events",
        lambda: synthetic_incidents(1_000_000),
        incident_specs,
        "FastMarkerCluster",
        {"draw_s": 1 / 5, "browser_mb": 1 / 3},
    ),
}

#: Table columns: metric key -> (heading, format).
COLUMNS = {
    "html_mb": ("HTML MB", "{:.2f}"),
    "build_s": ("build s", "{:.1f}"),
    "draw_s": ("first draw s", "{:.2f}"),
    "zoom_ms": ("zoom step ms", "{:.0f}"),
    "browser_mb": ("browser MB", "{:.0f}"),
    "peak_mb": ("peak MB", "{:.0f}"),
    "js_heap_mb": ("JS heap MB", "{:.1f}"),
}


def _median(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def summarise(page_def: Page, runs: list[Measurement]) -> dict:
    """Median figures of a page over its repeats (None where no run finished)."""
    ok = [r for r in runs if r.status == "ok"]
    return {
        "tool": page_def.tool,
        "status": "ok" if ok else runs[0].status,
        "html_mb": page_def.path.stat().st_size / 1e6,
        "build_s": page_def.build_s,
        "draw_s": _median([r.draw_s for r in ok]),
        "zoom_ms": _median([statistics.median(r.zoom_ms) for r in ok if r.zoom_ms]),
        "browser_mb": _median([r.browser_mb for r in ok]),
        "peak_mb": _median([r.peak_mb for r in runs]),
        "js_heap_mb": _median([r.js_heap_mb for r in ok]),
    }


def _cell(value: float | None, fmt: str, status: str) -> str:
    return fmt.format(value) if value is not None else status


def table(rows: list[dict]) -> str:
    """Fixed-width table, one row per tool."""
    head = ["tool", *(h for h, _ in COLUMNS.values())]
    body = [
        [row["tool"], *(_cell(row[k], fmt, row["status"]) for k, (_, fmt) in COLUMNS.items())]
        for row in rows
    ]
    widths = [max(len(r[i]) for r in [head, *body]) for i in range(len(head))]
    lines = [
        "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(r, widths, strict=True))
        )
        for r in [head, *body]
    ]
    return "\n".join(lines)


def ratios(rows: list[dict], case: Case) -> tuple[list[str], dict]:
    """minemap/peer ratio of every metric for every peer, and the targets' verdicts.

    Every minemap page of the case (the full map and, for incidents, the point
    layer alone) is set against every peer; verdicts are keyed by minemap page.
    """
    ours_rows = [r for r in rows if r["tool"].startswith(MINEMAP)]
    lines, verdicts = [], {}
    if not ours_rows:
        return ["no minemap page measured: no ratios"], verdicts
    for ours in ours_rows:
        for peer in (r for r in rows if not r["tool"].startswith(MINEMAP)):
            parts = []
            for key, (heading, _) in COLUMNS.items():
                if ours[key] is not None and peer[key]:
                    parts.append(f"{heading} {ours[key] / peer[key]:.2f}")
            lines.append(f"{ours['tool']}/{peer['tool']}: " + (", ".join(parts) or "n/a"))
            if peer["tool"] != case.peer:
                continue
            for key, limit in case.targets.items():
                heading = COLUMNS[key][0]
                if ours[key] is None:
                    verdict, ratio = "FAIL", None  # minemap did not finish
                elif peer[key] is None:
                    verdict, ratio = "n/a", None  # the peer did not finish
                else:
                    ratio = ours[key] / peer[key]
                    verdict = "PASS" if ratio <= limit else "FAIL"
                verdicts.setdefault(ours["tool"], {})[key] = {
                    "ratio": ratio,
                    "limit": limit,
                    "verdict": verdict,
                }
                shown = f"{ratio:.3f}" if ratio is not None else "-"
                lines.append(
                    f"  target {heading} <= 1/{round(1 / limit)} of {peer['tool']}: "
                    f"ratio {shown} -> {verdict}"
                )
    return lines, verdicts


def machine_info(chromium: str) -> dict:
    """Cores, load, CPU, browser and package versions, minemap's commit."""
    cpu = cpu_model()
    versions = package_versions(PACKAGES)
    chromium_version = subprocess.run(
        [chromium, "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    return {
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="minutes"),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu": cpu,
        "cores": usable_cores(),
        "load_average": os.getloadavg(),
        "memory_gb": os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1e9,
        "chromium": chromium_version,
        "versions": versions,
        "commit": _git("rev-parse", "--short", "HEAD"),
        "uncommitted": _git("status", "--porcelain", "--", "geo", "layers", "maps").splitlines(),
    }


def _git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=False)
    return done.stdout.strip() if done.returncode == 0 else "unknown"


def slug(tool: str) -> str:
    """A tool's name for ``--tools`` and file names: ``explore()`` -> ``explore``."""
    return re.sub(r"[^a-z0-9]+", "_", tool.lower()).strip("_")


def _report_run(tool: str, number: int, run: Measurement) -> None:
    drawn = f", drawn {run.draw_s:.2f} s" if run.draw_s is not None else ""
    detail = f" ({run.detail})" if run.detail else ""
    print(f"  {tool} #{number}: {run.status}{drawn}{detail}", flush=True)
    if run.status != "ok" and run.counts:
        print(f"    on the page: {run.counts}")
    for label, urls in (("aborted", run.aborted), ("stubbed", run.stubbed)):
        if urls:
            print(f"    {label}: {', '.join(sorted(set(urls)))}")
    if run.page_errors:
        print(f"    page errors: {len(run.page_errors)}, first: {run.page_errors[0]}")


def run_case(pw: Playwright, case: Case, args: argparse.Namespace) -> dict:
    """Build each page of a case, open it ``--repeat`` times, print and return the results."""
    print(f"\n== {case.name}: {case.title}", flush=True)
    start = time.perf_counter()
    frame = case.data()
    view = common_view(frame)
    print(
        f"data ready in {time.perf_counter() - start:.1f} s; zoom steps start at zoom "
        f"{view['zoom']}, centre {view['center'][0]:.2f}, {view['center'][1]:.2f}",
        flush=True,
    )
    rows, runs_json, files = [], {}, {}
    for spec in case.specs(frame):
        if args.tools and slug(spec.tool) not in args.tools:
            continue
        page_def = spec.build(args.out / f"{case.name}_{slug(spec.tool)}.html")
        print(
            f"  {spec.tool}: built in {page_def.build_s:.1f} s, "
            f"{page_def.path.stat().st_size / 1e6:.2f} MB",
            flush=True,
        )
        runs = [
            measure(pw, page_def, view, args.chromium, args.timeout) for _ in range(args.repeat)
        ]
        for number, run in enumerate(runs, 1):
            _report_run(spec.tool, number, run)
        rows.append(summarise(page_def, runs))
        runs_json[spec.tool] = [asdict(r) for r in runs]
        files[spec.tool] = page_def.path.name
    print()
    print(table(rows))
    lines, verdicts = ratios(rows, case)
    print("\n".join(lines), flush=True)
    return {
        "title": case.title,
        "view": view,
        "rows": rows,
        "verdicts": verdicts,
        "runs": runs_json,
        "pages": files,
    }


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--cases",
        default=",".join(CASES),
        help=f"comma-separated, from {', '.join(CASES)} (default: all)",
    )
    parser.add_argument(
        "--tools",
        default="",
        help="comma-separated, from minemap, explore, folium_choropleth, "
        "fastmarkercluster (default: all of each case)",
    )
    parser.add_argument("--repeat", type=int, default=1, help="openings per page (default 1)")
    parser.add_argument(
        "--timeout",
        type=float,
        default=600.0,
        help="seconds a page may take to draw, and to zoom (default 600)",
    )
    parser.add_argument("--out", type=Path, help="folder for results.json (default: temporary)")
    parser.add_argument("--keep", action="store_true", help="keep the HTML pages in --out")
    parser.add_argument("--chromium", default="/usr/bin/chromium", help="Chromium executable")
    args = parser.parse_args(argv)
    args.cases = [c.strip() for c in args.cases.split(",") if c.strip()]
    args.tools = [slug(t) for t in args.tools.split(",") if t.strip()]
    unknown = [c for c in args.cases if c not in CASES]
    if unknown:
        parser.error(f"unknown case(s) {', '.join(unknown)}; choose from {', '.join(CASES)}")
    args.out = args.out or Path(tempfile.mkdtemp(prefix="minemap-bench-browser-"))
    args.out.mkdir(parents=True, exist_ok=True)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    info = machine_info(args.chromium)
    print(f"minemap browser benchmark, {info['date']}")
    print(
        f"Python {info['python']} on {info['platform']}; {info['cpu']}; {info['cores']} cores; "
        f"{info['memory_gb']:.0f} GB"
    )
    print("Load average (1, 5, 15 min): " + ", ".join(f"{v:.2f}" for v in info["load_average"]))
    print(f"{info['chromium']}; " + ", ".join(f"{k} {v}" for k, v in info["versions"].items()))
    print(
        f"minemap commit {info['commit']}"
        + (
            f" with uncommitted changes in {len(info['uncommitted'])} file(s)"
            if info["uncommitted"]
            else ""
        )
    )
    print(f"Repeats: {args.repeat} (medians); timeout {args.timeout:.0f} s per page and phase")
    print(
        "minemap pages are self-contained (assets inlined); the peers' CDN links are served "
        "from the vendored copies in maps/vendor, so their HTML size excludes those assets."
    )
    results = {"machine": info, "repeat": args.repeat, "cases": {}}
    with sync_playwright() as pw:
        for name in args.cases:
            results["cases"][name] = run_case(pw, CASES[name], args)
    info["load_average_end"] = os.getloadavg()
    (args.out / "results.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    if not args.keep:
        for path in args.out.glob("*.html"):
            path.unlink()
    print("\nLoad average at end: " + ", ".join(f"{v:.2f}" for v in info["load_average_end"]))
    print(f"Results: {args.out / 'results.json'}" + (" (HTML pages kept)" if args.keep else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
