"""Place labels: each unit's name inside it, where it fits, never over another label."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

_LABELS_JS = """() => Array.from(document.querySelectorAll('.mm-place[data-mm-shown]'))
  .map(e => { const r = e.getBoundingClientRect();
              return [e.textContent, r.left, r.top, r.right, r.bottom]; })"""


@pytest.fixture
def open_stem(built, open_map):
    return lambda stem: open_map(built.out / f"{stem}.html",
                                 ready=".folium-map[data-mm-drawn='true']")  # fmt: skip


def _apart(boxes) -> bool:
    return all(
        a[3] <= b[1] or b[3] <= a[1] or a[4] <= b[2] or b[4] <= a[2]
        for i, a in enumerate(boxes) for b in boxes[i + 1:]
    )  # fmt: skip


def test_districts_are_named_on_the_map_and_the_labels_can_be_switched_off(open_stem):
    mp = open_stem("clearance")
    shown = mp.page.locator(".mm-place[data-mm-shown]")
    expect(shown.first).to_be_visible()
    labels = mp.page.evaluate(_LABELS_JS)
    assert {"Western", "Central", "Eastern"} <= {t for t, *_ in labels}
    assert _apart(labels)
    toggle = mp.layer_control().locator("label", has_text="Place labels").locator("input")
    toggle.uncheck()
    expect(mp.page.locator(".mm-place")).to_have_count(0)
    toggle.check()
    expect(shown.first).to_be_visible()


def test_a_small_unit_is_named_once_zoomed_in_to_it(open_stem):
    mp = open_stem("contamination")
    names = mp.page.locator(".mm-place")
    expect(names).not_to_have_count(0)
    chechnya = mp.page.locator(".mm-place", has_text="Chechnya")
    mp.page.evaluate(
        "() => { const m = window[document.querySelector('.folium-map').id];"
        " m.setView([43.4, 45.7], 8, {animate: false}); }"
    )
    expect(chechnya).to_have_attribute("data-mm-shown", "1")
    assert _apart(mp.page.evaluate(_LABELS_JS))
