"""Static PNG export of the generated maps, for reports, in headless Chromium.

Each map page is opened offline (requests outside ``file:``/``data:`` are aborted),
drawn at a fixed viewport, made ready for print (zoom, layer and year controls hidden, a
north arrow added: Web Mercator at these scales has north up) and saved as a
full-viewport screenshot at a device pixel ratio: 1600x1000 CSS px at scale 2 is a
3200x2000 px PNG, 270.9 mm wide at 300 dpi. Needs Playwright
(``pip install 'minemap[png]'``) and Debian's Chromium (``apt-get install chromium``).
"""

from __future__ import annotations

import asyncio
import json
import struct
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from geo.errors import MinemapError

__all__ = ["PngExportError", "PngOptions", "export_png", "export_pngs", "parse_size", "png_size"]

#: Chromium flags: headless, no GPU, nothing fetched in the background.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]  # fmt: skip

# Drawn: a vector path or a marker, and no pan, zoom or cluster animation running (the
# folium map is a global named after the map div's id).
_READY_JS = """() => {
  const el = document.querySelector('.folium-map');
  if (!el || el.dataset.mmDrawn !== 'true') return false;
  const m = window[el.id];
  if (!m || m._animatingZoom || (m._panAnim && m._panAnim._inProgress)) return false;
  return !document.querySelector('.leaflet-cluster-anim');
}"""

# Print: no zoom buttons, layer control or year panel; a north arrow (top right), then two frames.
_PRINT_CSS = """.leaflet-control-zoom, .leaflet-control-layers, .mm-years {
  display: none !important; }
.leaflet-bottom.leaflet-right .leaflet-control-attribution { max-width: calc(100vw - 140px); }
.mm-north { background: rgba(255,255,255,0.94); border-radius: 4px; padding: 4px 6px 2px;
  box-shadow: 0 1px 4px rgba(0,0,0,0.35); line-height: 0; }
"""

_NORTH_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="24" height="40" role="img" aria-label="North '
    'arrow"><text x="12" y="12" text-anchor="middle" style="font: bold 13px sans-serif" '
    'fill="#222">N</text><polygon points="12,15 20,38 12,32 4,38" fill="#222"/></svg>'
)

_NORTH_JS = f"""() => {{
  const corner = document.querySelector('.leaflet-top.leaflet-right');
  const arrow = document.createElement('div');
  arrow.className = 'leaflet-control mm-north'; arrow.title = 'North';
  arrow.innerHTML = {json.dumps(_NORTH_SVG)};
  if (corner && !corner.querySelector('.mm-north')) corner.prepend(arrow);
  return new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
}}"""

# What a report needs in the frame: name -> selector (each visible and inside the viewport).
_NEEDED = {"title panel": ".mm-title", "legend": ".mm-legend",
           "scale bar": ".leaflet-control-scale", "attribution": ".leaflet-control-attribution",
           "north arrow": ".mm-north"}  # fmt: skip

_CHECK_JS = """(needed) => {
  const W = document.documentElement.clientWidth, H = document.documentElement.clientHeight;
  const box = (sel) => { const el = document.querySelector(sel);
    return el && el.getClientRects().length ? el.getBoundingClientRect() : null; };
  const boxes = Object.entries(needed).map(([name, sel]) => [name, sel, box(sel)]);
  const problems = boxes.map(([name, sel, r]) => {
    if (!r || !r.width || !r.height) return `${name} (${sel}) is missing`;
    if (r.left < 0 || r.top < 0 || r.right > W + 0.5 || r.bottom > H + 0.5)
      return `${name} does not fit`; }).filter(Boolean);
  boxes.forEach(([n, , a], i) => boxes.slice(i + 1).forEach(([m, , b]) => {
    if (a && b && a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom)
      problems.push(`${n} and ${m} overlap`); }));
  return problems;
}"""


class PngExportError(MinemapError, RuntimeError):
    """A map could not be exported as PNG (no browser, page errors, does not fit)."""


@dataclass(frozen=True)
class PngOptions:
    """Size and browser of a PNG export.

    Parameters
    ----------
    width, height : int
        Viewport in CSS pixels: the map is laid out (and fitted) at this size.
    scale : float
        Device pixel ratio: the PNG is ``width * scale`` by ``height * scale`` pixels.
    chromium : str
        Chromium executable.
    timeout_s : float
        Seconds to wait for the browser to start, the page to draw and the screenshot.

    Examples
    --------
    >>> PngOptions(width=800, height=500, scale=1).pixel_size
    (800, 500)
    """

    width: int = 1600
    height: int = 1000
    scale: float = 2.0
    chromium: str = "/usr/bin/chromium"
    timeout_s: float = 60

    def __post_init__(self) -> None:
        if not all(type(v) is int and 100 <= v <= 10_000 for v in (self.width, self.height)):
            raise ValueError(
                f"PNG width and height must be whole CSS px from 100 to 10000, got "
                f"{self.width!r}x{self.height!r}; e.g. PngOptions(width=1600, height=1000)"
            )
        if not 0.25 <= self.scale <= 8 or not self.timeout_s > 0:
            raise ValueError(
                f"PNG scale must be from 0.25 to 8 (got {self.scale!r}) and timeout_s positive "
                f"(got {self.timeout_s!r}); e.g. scale=2 for 3200x2000 px from 1600x1000 CSS px"
            )

    @property
    def pixel_size(self) -> tuple[int, int]:
        """Size of the PNG in pixels: ``(width * scale, height * scale)``, rounded."""
        return round(self.width * self.scale), round(self.height * self.scale)

    def print_size_mm(self, dpi: float = 300) -> tuple[float, float]:
        """Return the printed size ``(width, height)`` in mm at ``dpi``, to 0.1 mm.

        Examples
        --------
        >>> PngOptions().print_size_mm()
        (270.9, 169.3)
        >>> PngOptions(width=800, height=500, scale=1).print_size_mm(dpi=150)
        (135.5, 84.7)
        """
        w, h = self.pixel_size
        return round(w / dpi * 25.4, 1), round(h / dpi * 25.4, 1)


def parse_size(text: str) -> tuple[int, int]:
    """Parse a ``WIDTHxHEIGHT`` size in CSS pixels, e.g. ``"1600x1000"``.

    Examples
    --------
    >>> parse_size("800x500")
    (800, 500)
    >>> parse_size(" 1600 X 1000 ")
    (1600, 1000)
    >>> parse_size("800")
    Traceback (most recent call last):
    ...
    ValueError: PNG size must be WIDTHxHEIGHT in CSS pixels, got '800'; e.g. 1600x1000
    """
    parts = text.strip().lower().split("x")
    if len(parts) != 2 or not all(p.strip().isdigit() for p in parts):
        raise ValueError(
            f"PNG size must be WIDTHxHEIGHT in CSS pixels, got {text!r}; e.g. 1600x1000"
        )
    return int(parts[0]), int(parts[1])


def png_size(data: bytes | str | Path) -> tuple[int, int]:
    r"""Width and height in pixels of a PNG (bytes or a file), from its IHDR chunk.

    Examples
    --------
    >>> header = b"\x89PNG\r\n\x1a\n" + struct.pack(">I4sII", 13, b"IHDR", 3200, 2000)
    >>> png_size(header + bytes(5))
    (3200, 2000)
    """
    if not isinstance(data, bytes):
        with open(data, "rb") as f:
            data = f.read(24)
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        raise ValueError("not a PNG file: expected the PNG signature and an IHDR chunk")
    return struct.unpack(">II", data[16:24])


#: Screenshots taken until two in a row are the same (software raster can lag the page).
SETTLE_TRIES = 8


def _settled_screenshot(page) -> bytes:
    """Take a screenshot of the page once painting has settled.

    Without a GPU, Chromium rasterises a large page in tiles and a screenshot
    can catch some tiles unpainted; two identical screenshots in a row mean
    the page is fully painted.
    """
    shot = page.screenshot(animations="disabled", caret="hide")
    for _ in range(SETTLE_TRIES):
        page.wait_for_timeout(100)
        again = page.screenshot(animations="disabled", caret="hide")
        if again == shot:
            break
        shot = again
    return shot


def _export_one(browser, html: Path, png: Path, options: PngOptions, error: type) -> Path:
    context = browser.new_context(
        viewport={"width": options.width, "height": options.height},
        device_scale_factor=options.scale,
        service_workers="block",
    )
    context.set_default_timeout(options.timeout_s * 1000)
    errors: list[str] = []

    def route(route_) -> None:  # offline: only file: and data: URLs load
        if route_.request.url.startswith(("file:", "data:")):
            return route_.continue_()
        errors.append(f"network request (blocked): {route_.request.url}")
        return route_.abort()

    try:
        context.route("**/*", route)
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
        try:
            page.goto(html.resolve().as_uri(), wait_until="load")
            page.evaluate("() => document.fonts.ready.then(() => true)")
            page.wait_for_function(_READY_JS)
        except error as err:
            raise PngExportError(
                f"{html}: no map layer was drawn within {options.timeout_s:g} s "
                f"({str(err).splitlines()[0]}); expected a map written by minemap build"
                + (f"; the page logged: {'; '.join(errors[:5])}" if errors else "")
            ) from err
        page.add_style_tag(content=_PRINT_CSS)
        page.evaluate(_NORTH_JS)  # and two animation frames: drawn with the print CSS
        if errors:
            raise PngExportError(
                f"{html}: the page logged {len(errors)} error(s): {'; '.join(errors[:5])}; "
                "expected none. Export maps built offline (--assets inline, no --tiles)"
            )
        problems = page.evaluate(_CHECK_JS, _NEEDED)
        if problems:
            raise PngExportError(
                f"{html}, {options.width}x{options.height} CSS px: the {'; the '.join(problems)}; "
                "expected each in full. Use a larger size (--png-size, e.g. 1600x1000)"
            )
        png.parent.mkdir(parents=True, exist_ok=True)
        png.write_bytes(_settled_screenshot(page))
    finally:
        context.close()
    return png


def _export_all(pairs: list[tuple[Path, Path]], options: PngOptions) -> list[Path]:
    from playwright.sync_api import Error, sync_playwright

    with sync_playwright() as pw:
        try:
            browser = pw.chromium.launch(
                executable_path=options.chromium,
                args=CHROMIUM_ARGS,
                timeout=options.timeout_s * 1e3,
            )
        except Error as err:
            raise PngExportError(
                f"could not start {options.chromium} ({str(err).splitlines()[0]}); expected "
                "headless Chromium; reinstall Debian's chromium (apt-get install chromium)"
            ) from err
        try:
            return [_export_one(browser, h, p, options, Error) for h, p in pairs]
        finally:
            browser.close()


def export_pngs(
    pairs: Iterable[tuple[str | Path, str | Path]], options: PngOptions = PngOptions()
) -> list[Path]:
    """Export several maps with one browser; return the PNG files written, in order.

    Parameters
    ----------
    pairs : iterable of (path, path)
        Map HTML file and PNG file to write, per map.
    options : PngOptions
        Viewport, scale, browser and timeout.

    Raises
    ------
    PngExportError
        Playwright or Chromium missing; a page that logs an error, requests the network,
        draws no layer, or whose title, legend, scale bar, credits or north arrow do not fit.
    """
    pairs = [(Path(h), Path(p)) for h, p in pairs]
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as err:
        raise PngExportError("PNG export needs Playwright, which is not installed; "
                             "install it with: pip install 'minemap[png]'") from err  # fmt: skip
    if not Path(options.chromium).is_file():
        raise PngExportError(
            f"Chromium not found at {options.chromium}; PNG export needs it: "
            "install Debian's chromium (apt-get install chromium) or set PngOptions(chromium=...)"
        )
    for html, _png in pairs:
        if not html.is_file():
            raise PngExportError(f"{html}: no such map file; expected a map: run minemap build")
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return _export_all(pairs, options)
    # Playwright's sync API cannot run inside a running asyncio loop (Jupyter): use a thread.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_export_all, pairs, options).result()


def export_png(
    html_path: str | Path, png_path: str | Path, options: PngOptions = PngOptions()
) -> Path:
    """Export one map as a PNG of ``options.pixel_size`` px (a browser of its own)."""
    return export_pngs([(html_path, png_path)], options)[0]
