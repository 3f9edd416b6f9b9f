"""A wide table of a column per year: one classification, and a year control that steps through it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from maps.build import build_project

pytestmark = pytest.mark.browser

WIDE = """\
Oblast,Area 2015 (ha),Area 2019 (ha),Area 2022 (ha)
Kharkiv,1000,800,2500
Kherson,500,,700
Donetsk,3000,2800,9000
Zaporizhia,,100,1500
"""
PROJECT = """\
[[layers]]
name = "areas"
kind = "contamination"
path = "wide.csv"
years = ["Area 2015 (ha)", "Area 2019 (ha)", "Area 2022 (ha)"]
constants = { country = "UKR", hazard_type = "mines", status = "estimate", source = "Report 2023" }

[[maps]]
layer = "areas"
"""

# Units drawn in a year's layer, by fill colour (one path per unit).
_FILLS_JS = """(cls) => Array.from(document.querySelectorAll('path.' + cls))
  .map(p => p.getAttribute('fill')).sort()"""


@pytest.fixture(scope="module")
def wide_map(tmp_path_factory):
    folder = tmp_path_factory.mktemp("wide")
    (folder / "wide.csv").write_text(WIDE, encoding="utf-8")
    (folder / "project.toml").write_text(PROJECT, encoding="utf-8")
    build_project(folder / "project.toml", folder / "out")
    return folder / "out" / "areas.html"


def test_the_year_control_steps_through_years_in_one_classification(wide_map, open_map):
    mp = open_map(wide_map, ready=".folium-map[data-mm-drawn='true']")
    stepper = mp.page.locator(".mm-stepper")
    expect(stepper).to_have_attribute("data-mm-year", "all")
    expect(mp.page.locator("path.mm-choropleth")).to_have_count(4)
    all_years = mp.page.evaluate(_FILLS_JS, "mm-choropleth")
    # Earlier from "all years" is the latest year: 2022 has a figure for all four units,
    # and each is the unit's highest of all years, so the fills are the same colours.
    stepper.locator(".mm-prev").click()
    expect(stepper).to_have_attribute("data-mm-year", "2022")
    expect(mp.page.locator("path.mm-choropleth")).to_have_count(0)
    expect(mp.page.locator("path.mm-choropleth-year")).to_have_count(4)
    assert mp.page.evaluate(_FILLS_JS, "mm-choropleth-year") == all_years
    stepper.locator(".mm-prev").click()
    expect(stepper).to_have_attribute("data-mm-year", "2019")
    expect(mp.page.locator("path.mm-choropleth-year")).to_have_count(3)  # Kherson has none
    stepper.locator(".mm-slider").fill("0")
    expect(stepper).to_have_attribute("data-mm-year", "2015")
    expect(stepper.locator("output")).to_have_text("2015")
    expect(mp.page.locator("path.mm-choropleth-year")).to_have_count(3)  # nor Zaporizhia
    # 2015's Donetsk (30 km²) is lighter than 2022's (90 km²): the same classes, not rescaled.
    assert mp.page.evaluate(_FILLS_JS, "mm-choropleth-year") != all_years[:3]
    stepper.locator(".mm-next").click()
    stepper.locator(".mm-next").click()
    stepper.locator(".mm-next").click()
    expect(stepper).to_have_attribute("data-mm-year", "all")
    expect(mp.page.locator("path.mm-choropleth")).to_have_count(4)
    # The layer control follows: the year layers are unticked again.
    ticked = (
        mp.layer_control().locator("label", has_text="Estimates dated").locator("input:checked")
    )
    expect(ticked).to_have_count(0)
    expect(
        mp.layer_control().locator("label", has_text="highest estimate").locator("input")
    ).to_be_checked()
    mp.assert_clean()
