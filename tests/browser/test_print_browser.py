"""A report printed to PDF with a map in it: no controls, legend and credits kept, colours kept.

The report page holds the incidents map's embed (clusters and a year panel) and
is printed by Chromium (``page.pdf``) as a reader's "print to PDF" would; the PDF
is then read back: its text (what was printed) and its pixels (rasterised with
pdfium). Browsers drop background colours in print unless a page asks to keep
them, which turned cluster bubbles white; the map's print stylesheet keeps them.
"""

from __future__ import annotations

import numpy as np
import pypdfium2 as pdfium
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

_REPORT = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Report</title>
<style>body {{ margin: 0; font: 12pt Georgia, serif; }} article {{ max-width: 680px; }}</style>
</head><body><article><h1>Field report</h1><p>Before the map.</p>
{snippet}
<p>After the map.</p></article></body></html>
"""


def _greenish(image: np.ndarray) -> int:
    """Pixels of the cluster bubbles' greens (leaflet.markercluster's small and medium)."""
    r, g, b = (image[..., i].astype(int) for i in range(3))
    return int(((g - r > 25) & (g - b > 40)).sum())


@pytest.fixture(scope="module")
def printed(built, browser, tmp_path_factory):
    folder = tmp_path_factory.mktemp("print")
    snippet = (built.out / "incidents.embed.html").read_text(encoding="utf-8")
    report = folder / "report.html"
    report.write_text(_REPORT.format(snippet=snippet), encoding="utf-8")
    context = browser.new_context(viewport={"width": 800, "height": 1000})
    try:
        page = context.new_page()
        page.goto(report.as_uri(), wait_until="load")
        frame = page.frame_locator("iframe")
        expect(frame.locator(".folium-map[data-mm-drawn='true']")).to_be_attached()
        expect(frame.locator(".marker-cluster").first).to_be_visible()
        on_screen = page.screenshot()
        pdf = folder / "report.pdf"
        page.pdf(path=str(pdf), format="A4", print_background=False)
        inner = next(f for f in page.frames if f != page.main_frame)
        page.emulate_media(media="print")
        hidden = inner.evaluate(
            """() => ['.leaflet-control-zoom', '.leaflet-control-layers', '.mm-years',
                      '.mm-toggle'].map(s => Array.from(document.querySelectorAll(s))
                      .every(e => getComputedStyle(e).display === 'none'))"""
        )
    finally:
        context.close()
    doc = pdfium.PdfDocument(str(pdf))
    text = "".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    image = np.asarray(doc[0].render(scale=2).to_pil().convert("RGB"))
    return {"text": text, "image": image, "hidden": hidden, "screen": on_screen, "pdf": pdf}


def test_printed_maps_have_no_controls(printed):
    assert all(printed["hidden"])
    text = printed["text"]
    for control in ("Years shown", "records shown", "All", "None"):
        assert control not in text, control
    # What a printed map needs is there: its title, legend and credits.
    for kept in ("Incidents and reported use", "casualty", "Natural Earth"):
        assert kept in text, kept


def test_printed_clusters_keep_their_colours(printed):
    # Printed with backgrounds off, as browsers print by default: the bubbles stay green.
    assert _greenish(printed["image"]) > 200
