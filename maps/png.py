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
import struct
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from geo.errors import MinemapError
from maps.scripts import script_text

__all__ = ["PngExportError", "PngOptions", "export_png", "export_pngs", "parse_size", "png_size"]

#: Chromium flags: headless, no GPU, nothing fetched in the background.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]  # fmt: skip

# What a report needs in the frame: name -> selector (each visible and inside the viewport).
_NEEDED = {"title panel": ".mm-title", "legend": ".mm-legend",
           "scale bar": ".leaflet-control-scale", "attribution": ".leaflet-control-attribution",
           "north arrow": ".mm-north"}  # fmt: skip


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
            page.add_script_tag(content=script_text("print.js"))
            page.wait_for_function("() => minemapPrint.ready()")
        except error as err:
            raise PngExportError(
                f"{html}: no map layer was drawn within {options.timeout_s:g} s "
                f"({str(err).splitlines()[0]}); expected a map written by minemap build"
                + (f"; the page logged: {'; '.join(errors[:5])}" if errors else "")
            ) from err
        page.add_style_tag(content=script_text("print.css"))
        page.evaluate("() => minemapPrint.addNorthArrow()")
        page.wait_for_function("() => minemapPrint.ready()")  # laid out again: settled
        if errors:
            raise PngExportError(
                f"{html}: the page logged {len(errors)} error(s): {'; '.join(errors[:5])}; "
                "expected none. Export maps built offline (--assets inline, no --tiles)"
            )
        problems = page.evaluate("(needed) => minemapPrint.check(needed)", _NEEDED)
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
