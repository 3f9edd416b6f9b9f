"""Static PNG export (maps.png, ``minemap build --png``) in headless Chromium.

The clearance and incidents maps of the session build are exported with one
browser at the default 1600x1000 CSS px, scale 2. The page each screenshot is
taken of is inspected just before the screenshot (a spy on ``Page.screenshot``):
title, legend, scale bar, attribution and north arrow visible, zoom and layer
controls hidden. The PNGs are decoded by Chromium itself (a canvas on a data:
URL), so no image library is needed.
"""

from __future__ import annotations

import base64
import json
import sys
import time
from pathlib import Path

import pytest
from playwright.sync_api import Page

from maps.cli import main
from maps.png import PngExportError, PngOptions, export_png, export_pngs, png_size
from tests.defaults import MAPS

pytestmark = pytest.mark.browser

STEMS = ["clearance", "incidents"]
OPTIONS = PngOptions()  # 1600x1000 CSS px at scale 2

# What the page shows just before the screenshot.
_FRAME_JS = """() => {
  const W = document.documentElement.clientWidth, H = document.documentElement.clientHeight;
  const shown = (sel) => { const el = document.querySelector(sel);
    if (!el || !el.getClientRects().length) return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && r.left >= 0 && r.top >= 0 && r.right <= W && r.bottom <= H; };
  const sels = {title: '.mm-title', legend: '.mm-legend', scale: '.leaflet-control-scale',
    attribution: '.leaflet-control-attribution', north: '.mm-north', zoom: '.leaflet-control-zoom',
    layers: '.leaflet-control-layers', years: '.mm-years'};
  const out = Object.fromEntries(Object.entries(sels).map(([k, s]) => [k, shown(s)]));
  out.titleText = document.querySelector('.mm-title h1').textContent;
  out.hasYears = !!document.querySelector('.mm-years');
  out.legendText = document.querySelector('.mm-legend').textContent;
  out.northText = document.querySelector('.mm-north svg text').textContent;
  out.northInTopRight = !!document.querySelector('.leaflet-top.leaflet-right > .mm-north');
  out.swatches = [...document.querySelectorAll('.mm-legend .mm-swatch')]
    .map((s) => getComputedStyle(s).backgroundColor).filter((c) => c.startsWith('rgb('));
  out.viewport = [W, H, window.devicePixelRatio];
  return out;
}"""

# Sampled colours of a PNG decoded by Chromium: {colour "r,g,b": count}, width, height.
_COLOURS_JS = """(step) => {
  const img = document.getElementById('png');
  const c = document.createElement('canvas');
  c.width = img.naturalWidth; c.height = img.naturalHeight;
  const g = c.getContext('2d'); g.drawImage(img, 0, 0);
  const d = g.getImageData(0, 0, c.width, c.height).data, counts = {};
  for (let y = 0; y < c.height; y += step) for (let x = 0; x < c.width; x += step) {
    const i = (y * c.width + x) * 4, key = `${d[i]},${d[i + 1]},${d[i + 2]}`;
    counts[key] = (counts[key] || 0) + 1;
  }
  return {counts, width: c.width, height: c.height};
}"""


@pytest.fixture(scope="module")
def exported(built, tmp_path_factory):
    """Clearance and incidents as PNG, with the page state seen before each screenshot."""
    out = tmp_path_factory.mktemp("png")
    frames: dict[str, dict] = {}
    original = Page.screenshot

    def spy(self, *args, **kwargs):
        frames[Path(self.url).stem] = self.evaluate(_FRAME_JS)
        return original(self, *args, **kwargs)

    pairs = [(built.out / f"{stem}.html", out / f"{stem}.png") for stem in STEMS]
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(Page, "screenshot", spy)
        start = time.perf_counter()
        paths = export_pngs(pairs, OPTIONS)
        seconds = time.perf_counter() - start
    print(f"exported {len(paths)} PNGs of {OPTIONS.pixel_size} px in {seconds:.1f} s")
    return dict(zip(STEMS, paths, strict=True)), frames


def decoded(browser, path: Path, step: int = 8) -> dict:
    """The PNG at ``path`` decoded in Chromium: sampled colour counts and its size."""
    page = browser.new_page()
    try:
        data = base64.b64encode(path.read_bytes()).decode()
        page.set_content(f'<img id="png" src="data:image/png;base64,{data}">')
        page.wait_for_function("() => document.getElementById('png').complete")
        return page.evaluate(_COLOURS_JS, step)
    finally:
        page.close()


@pytest.mark.parametrize("stem", STEMS)
def test_png_has_the_size_asked_for(stem, exported):
    paths, _ = exported
    assert paths[stem].name == f"{stem}.png" and paths[stem].is_file()
    assert png_size(paths[stem]) == (3200, 2000) == OPTIONS.pixel_size
    assert OPTIONS.print_size_mm() == (270.9, 169.3)


@pytest.mark.parametrize("stem", STEMS)
def test_png_is_not_blank_and_shows_the_legend_colours(stem, exported, browser):
    paths, frames = exported
    image = decoded(browser, paths[stem])
    assert (image["width"], image["height"]) == (3200, 2000)
    counts = image["counts"]
    assert len(counts) >= 100, f"only {len(counts)} distinct colours: blank?"
    assert max(counts.values()) / sum(counts.values()) < 0.8, "one colour fills the image"
    swatches = frames[stem]["swatches"]
    assert swatches
    for css in swatches:
        rgb = [int(v) for v in css[4:-1].split(",")]
        near = [
            k
            for k in counts
            if all(abs(a - int(b)) <= 2 for a, b in zip(rgb, k.split(","), strict=True))
        ]
        assert near, f"legend colour {css} not in the PNG"


@pytest.mark.parametrize("stem", STEMS)
def test_title_legend_and_north_arrow_in_frame_controls_hidden(stem, exported):
    _, frames = exported
    frame = frames[stem]
    assert frame["viewport"] == [1600, 1000, 2]
    assert frame["title"] and frame["titleText"] == MAPS[stem]
    assert frame["legend"] and frame["legendText"].strip()
    if stem == "clearance":
        assert "Source: Landmine Monitor" in frame["legendText"]
    assert frame["scale"] and frame["attribution"]
    assert frame["north"] and frame["northInTopRight"] and frame["northText"] == "N"
    assert not frame["zoom"] and not frame["layers"]
    # The incidents map has a year panel on screen; a print shows every year, without it.
    assert frame["hasYears"] == (stem == "incidents") and not frame["years"]


def test_same_input_same_size(exported, built, tmp_path):
    paths, _ = exported
    again = export_png(built.out / "clearance.html", tmp_path / "again.png", OPTIONS)
    assert png_size(again) == png_size(paths["clearance"])


def test_map_that_does_not_fit_raises_and_writes_nothing(built, tmp_path):
    png = tmp_path / "small.png"
    with pytest.raises(PngExportError, match=r"does not fit|overlap") as err:
        export_png(built.out / "clearance.html", png, PngOptions(width=300, height=200, scale=1))
    assert "--png-size" in str(err.value)
    assert not png.exists()


@pytest.mark.parametrize(
    ("injected", "expected"),
    [
        ('<script>console.error("boom")</script>', "boom"),
        ('<img src="https://example.org/tile.png" alt="">', "network request (blocked)"),
    ],
)
def test_page_errors_and_network_requests_raise(built, tmp_path, injected, expected):
    page = tmp_path / "bad.html"
    html = (built.out / "clearance.html").read_text(encoding="utf-8")
    page.write_text(html.replace("</body>", f"{injected}</body>", 1), encoding="utf-8")
    with pytest.raises(PngExportError, match="logged") as err:
        export_png(page, tmp_path / "bad.png", PngOptions(width=800, height=500, scale=1))
    assert expected in str(err.value)
    assert not (tmp_path / "bad.png").exists()


def test_a_page_without_a_map_raises(built, tmp_path):
    with pytest.raises(PngExportError, match="no map layer was drawn within 3 s"):
        export_png(built.out / "index.html", tmp_path / "index.png", PngOptions(timeout_s=3))


def test_missing_chromium_and_playwright_say_how_to_install(built, tmp_path, monkeypatch):
    html = built.out / "clearance.html"
    with pytest.raises(PngExportError, match=r"apt-get install chromium"):
        export_png(html, tmp_path / "x.png", PngOptions(chromium=str(tmp_path / "chromium")))
    monkeypatch.setitem(sys.modules, "playwright.sync_api", None)
    with pytest.raises(PngExportError, match=r"pip install 'minemap\[png\]'"):
        export_png(html, tmp_path / "x.png")


def test_cli_build_png(tmp_path, capsys):
    out = tmp_path / "out"
    argv = ["build", "--out", str(out), "--png", "--png-size", "800x500", "--png-scale", "1"]
    assert main(argv) == 0
    for stem in MAPS:
        assert png_size(out / f"{stem}.png") == (800, 500)
    manifest = json.loads((out / "build.json").read_text(encoding="utf-8"))
    assert manifest["pngs"] == [f"{stem}.png" for stem in MAPS]
    assert manifest["png"] == {"css_px": [800, 500], "scale": 1.0, "size_px": [800, 500]}
    err = capsys.readouterr().err
    assert "exporting 4 PNG(s) of 800x500 px (67.7x42.3 mm at 300 dpi)" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--png", "--png-size", "800"], "argument --png-size: PNG size must be WIDTHxHEIGHT"),
        (["--png", "--png-size", "50x50"], "must be whole CSS px from 100 to 10000"),
        (["--png-size", "800x500"], "add --png"),
    ],
)
def test_cli_bad_png_options_exit_2(tmp_path, capsys, args, message):
    with pytest.raises(SystemExit) as exc:
        main(["build", "--out", str(tmp_path / "out"), *args])
    assert exc.value.code == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_cli_png_with_tiles_is_refused_before_building(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["build", "--out", str(out), "--png", "--tiles", "CartoDB Positron"]) == 2
    assert "PNG export draws the maps offline" in capsys.readouterr().err
    assert not out.exists()


def test_png_shows_the_data_painted_not_only_the_legend(built, browser, tmp_path):
    """Chechnya's fill covers many pixels of the contamination PNG, not just a legend swatch."""
    png = export_png(built.out / "contamination.html", tmp_path / "contamination.png")
    counts = decoded(browser, png, step=4)["counts"]
    # The highest class at fill opacity 0.85 over the land colour.
    fill, land = (0xBD, 0x00, 0x26), (0xF5, 0xF3, 0xEE)
    blend = [f * 0.85 + b * 0.15 for f, b in zip(fill, land, strict=True)]
    near = sum(
        n
        for k, n in counts.items()
        if all(abs(a - int(b)) <= 3 for a, b in zip(blend, k.split(","), strict=True))
    )
    # A legend swatch is about 28x24 device px (some 40 samples at step 4); Chechnya far more.
    assert near > 400, f"only {near} samples of the data colour: the map is not fully painted"
