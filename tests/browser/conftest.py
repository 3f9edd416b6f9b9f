"""Real-browser fixtures: one build per session, headless Chromium, network blocked.

Every page opened through :func:`open_map` runs with all requests that do not
start with ``file:`` or ``data:`` aborted; its console errors, page errors and
aborted requests are asserted empty when the test ends. The maps must work
with no network at all (their scripts and styles are inlined, there are no tiles).
"""

from __future__ import annotations

import re
import shutil
import struct
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect, sync_playwright

from maps import build as build_mod

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
VIEWPORT = {"width": 1280, "height": 800}
REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO_ROOT / "test-output" / "screenshots"
#: Milliseconds Playwright waits for a selector or an expectation.
TIMEOUT_MS = 10_000

# The folium map object: folium declares it as a global named after the map div's id.
_MAP = "window[document.querySelector('.folium-map').id]"

# True when no pan or zoom animation (Leaflet) or cluster animation (markercluster) runs.
_IDLE_JS = f"""() => {{
  const m = {_MAP};
  if (!m || m._animatingZoom || (m._panAnim && m._panAnim._inProgress)) return false;
  return !document.querySelector('.leaflet-cluster-anim');
}}"""

# A point (page coordinates) inside the viewport where ``el`` is the topmost element,
# so a real mouse event there reaches it: not under a control, popup or other layer.
_POINT_JS = """(el) => {
  const r = el.getBoundingClientRect();
  const W = document.documentElement.clientWidth, H = document.documentElement.clientHeight;
  for (let n = 2; n <= 64; n *= 2) {
    for (let i = 1; i < n; i += 1) {
      for (let j = 1; j < n; j += 1) {
        if (n > 2 && i % 2 === 0 && j % 2 === 0) continue;  // tried at a coarser grid
        const x = r.left + (r.width * i) / n, y = r.top + (r.height * j) / n;
        if (x < 1 || y < 1 || x > W - 1 || y > H - 1) continue;
        if (document.elementFromPoint(x, y) === el) return [x, y];
      }
    }
  }
  return null;
}"""

# Fit the map (without animation) to the Leaflet layer drawn as SVG element ``el``.
_FIT_TO_JS = f"""(el) => {{
  const m = {_MAP};
  let found = null;
  m.eachLayer((l) => {{ if (l._path === el) found = l; }});
  if (!found || !found.getBounds) return false;
  m.fitBounds(found.getBounds(), {{animate: false, padding: [60, 60]}});
  return true;
}}"""


@dataclass
class MapPage:
    """A page of a generated file, with what it tried to fetch and the errors it raised."""

    context: BrowserContext
    page: Page
    url: str = ""
    aborted: list[str] = field(default_factory=list)
    requested: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    initial_view: dict | None = None

    # ------------------------------------------------------------- checks

    def problems(self) -> list[str]:
        """Console errors, uncaught page errors and aborted (network) requests so far."""
        return (
            [f"console error: {m}" for m in self.console_errors]
            + [f"page error: {m}" for m in self.page_errors]
            + [f"network request (aborted): {u}" for u in self.aborted]
        )

    def assert_clean(self) -> None:
        """No console error, no page error and no request outside file:/data: URLs."""
        problems = self.problems()
        assert not problems, f"{self.url}:\n" + "\n".join(problems)

    # ---------------------------------------------------------- the map

    def idle(self) -> None:
        """Wait until no pan, zoom or cluster animation is running."""
        self.page.wait_for_function(_IDLE_JS, timeout=TIMEOUT_MS)

    def evaluate_map(self, body: str, arg: object = None) -> object:
        """Evaluate ``(m, arg) => body`` with ``m`` the page's Leaflet map."""
        return self.page.evaluate(f"(arg) => {{ const m = {_MAP}; {body} }}", arg)

    def reset_view(self) -> None:
        """Go back (without animation) to the view the map opened with."""
        assert self.initial_view is not None
        self.evaluate_map(
            "m.setView([arg.lat, arg.lng], arg.zoom, {animate: false});", self.initial_view
        )
        self.idle()

    def point_in(self, target: Locator, *, fit: bool = True) -> tuple[float, float]:
        """A point where ``target`` is the topmost element; zooms to it if needed."""
        point = target.evaluate(_POINT_JS)
        if point is None and fit and target.evaluate(_FIT_TO_JS):
            self.idle()
            point = target.evaluate(_POINT_JS)
        assert point is not None, f"no point of {target} can be reached by the mouse"
        return point[0], point[1]

    def tooltip(self) -> Locator:
        """The open tooltip."""
        return self.page.locator(".leaflet-tooltip-pane .leaflet-tooltip")

    def popup(self) -> Locator:
        """The content of the open popup."""
        return self.page.locator(".leaflet-popup-pane .leaflet-popup-content")

    def hover(self, target: Locator) -> Locator:
        """Move the mouse over ``target`` and return its (visible) tooltip."""
        x, y = self.point_in(target)
        self.page.mouse.move(x, y)
        tip = self.tooltip()
        expect(tip).to_have_count(1)
        expect(tip).to_be_visible()
        return tip

    def click(self, target: Locator) -> Locator:
        """Click ``target`` (a real mouse click) and return the popup it opens."""
        x, y = self.point_in(target)
        self.page.mouse.click(x, y)
        pop = self.popup()
        expect(pop).to_have_count(1)
        expect(pop).to_be_visible()
        # Fully faded in (Leaflet fades popups in), so a screenshot shows it.
        expect(self.page.locator(".leaflet-popup")).to_have_css("opacity", "1")
        return pop

    def close_popup(self) -> None:
        """Close the open popup with its close button and restore the initial view."""
        self.page.locator(".leaflet-popup-close-button").click()
        expect(self.popup()).to_have_count(0)
        self.idle()
        self.reset_view()

    def pixel(self, x: float, y: float) -> str:
        """The colour painted at page point (x, y), as ``#rrggbb`` (what a person sees)."""
        png = self.page.screenshot(clip={"x": int(x), "y": int(y), "width": 1, "height": 1})
        pos, data, colour_type = 8, b"", None
        while pos < len(png):
            length = struct.unpack(">I", png[pos : pos + 4])[0]
            kind, body = png[pos + 4 : pos + 8], png[pos + 8 : pos + 8 + length]
            if kind == b"IHDR":
                colour_type = body[9]
            elif kind == b"IDAT":
                data += body
            pos += 12 + length
        assert colour_type in (2, 6), f"unexpected PNG colour type {colour_type}"
        row = zlib.decompress(data)  # one row: a filter byte, then RGB(A)
        return "#" + row[1:4].hex()

    def screenshot(self, name: str) -> Path:
        """Save the page as ``test-output/screenshots/<name>.png`` for a person to look at."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=path)
        return path

    def layer_control(self) -> Locator:
        """Expand the (collapsed) layer control by hovering it; return its list."""
        control = self.page.locator(".leaflet-control-layers")
        control.hover()
        expect(control).to_have_class(re.compile(r"\bleaflet-control-layers-expanded\b"))
        return self.page.locator(".leaflet-control-layers-list")


def _open(browser: Browser, path: Path, ready: str, init_script: str | None = None) -> MapPage:
    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1, service_workers="block")
    context.set_default_timeout(TIMEOUT_MS)
    if init_script:
        context.add_init_script(init_script)
    page = context.new_page()
    mp = MapPage(context=context, page=page, url=path.as_uri())

    def route(route_) -> None:
        url = route_.request.url
        if url.startswith(("file:", "data:")):
            route_.continue_()
        else:
            mp.aborted.append(url)
            route_.abort()

    context.route("**/*", route)
    page.on("request", lambda r: mp.requested.append(r.url))
    page.on("websocket", lambda ws: mp.aborted.append(ws.url))
    page.on("console", lambda m: mp.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: mp.page_errors.append(str(e)))
    page.goto(mp.url, wait_until="load")
    expect(page.locator(ready).first).to_be_attached()
    if page.locator(".folium-map").count():
        mp.idle()
        mp.initial_view = mp.evaluate_map(
            "const c = m.getCenter(); return {lat: c.lat, lng: c.lng, zoom: m.getZoom()};"
        )
    page.evaluate("() => document.fonts.ready.then(() => true)")
    return mp


# ----------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> build_mod.BuildResult:
    """The default build (maps, summaries, index), written once per session."""
    return build_mod.build(tmp_path_factory.mktemp("build"), assets_mode="inline")


@pytest.fixture(scope="session")
def prepared() -> dict:
    """The prepared default layers, to derive expected counts and texts from."""
    return build_mod.load_default()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Debian Chromium; missing Chromium fails the run (never skips)."""
    if not CHROMIUM.exists() or not shutil.which(str(CHROMIUM)):
        pytest.fail(
            f"{CHROMIUM} not found: the browser tests need Debian's Chromium; "
            "install it with `apt-get install chromium`",
            pytrace=False,
        )
    with sync_playwright() as pw:
        try:
            chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        except Exception as err:  # an unusable Chromium must fail, not skip, the run
            pytest.fail(
                f"could not start {CHROMIUM} ({err}); reinstall it with `apt-get install chromium`",
                pytrace=False,
            )
        yield chromium
        chromium.close()


@pytest.fixture
def open_map(browser: Browser) -> Iterator[Callable[..., MapPage]]:
    """Open a local file offline and wait until it is drawn.

    ``open_map(path, ready=selector, screenshot=name)`` waits for ``selector``
    (e.g. ``path.mm-choropleth``) and for the map to be idle, and saves a
    screenshot to ``test-output/screenshots/<name>.png`` when ``name`` is given;
    ``init_script`` runs in every frame before the page's own scripts.
    When the test ends, every opened page is checked: no console error, no page
    error, no aborted request.
    """
    opened: list[MapPage] = []

    def _open_map(
        path: Path, *, ready: str, screenshot: str | None = None, init_script: str | None = None
    ) -> MapPage:
        mp = _open(browser, Path(path), ready, init_script)
        opened.append(mp)
        if screenshot:
            mp.screenshot(screenshot)
        return mp

    yield _open_map
    problems = [p for mp in opened if mp.problems() for p in (mp.url, *mp.problems())]
    for mp in opened:
        mp.context.close()
    assert not problems, "\n".join(problems)
