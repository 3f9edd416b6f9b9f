"""A map built from an ACLED export, opened in Chromium as a planner would."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from maps.build import build_project
from tests import event_sources as es

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def acled_map(tmp_path_factory):
    folder = tmp_path_factory.mktemp("acled")
    path = es.write_acled_export(folder)
    (folder / "project.toml").write_text(
        f'title = "ACLED events, Ukraine"\n[[layers]]\nname = "events"\nkind = "incidents"\n'
        f'path = "{path.name}"\n',
        encoding="utf-8",
    )
    build_project(folder / "project.toml", folder / "out")
    return folder / "out" / "events.html"


def test_an_acled_event_popup_shows_the_source_fields_and_credit(acled_map, open_map):
    mp = open_map(acled_map, ready="path.mm-event", screenshot="acled_events")
    expect(mp.page.locator(".leaflet-control-attribution")).to_contain_text(
        "ACLED, Armed Conflict Location & Event Data (acleddata.com)"
    )
    expect(mp.page.locator(".mm-title, .leaflet-control").first).to_be_visible()
    assert "ACLED events, Ukraine: Incidents" in mp.page.content()
    pop = mp.click(mp.page.locator(".leaflet-overlay-pane path.mm-event").first)
    expect(pop).to_contain_text("sub_event_type (as the source writes it)")
    expect(pop).to_contain_text("Source's precision")
    expect(pop).to_contain_text("ACLED geo_precision")
    expect(pop).to_contain_text("ACLED, citing ")
    mp.screenshot("acled_event_popup")


def test_the_units_are_shaded_by_acled_events(acled_map, open_map):
    mp = open_map(acled_map, ready="path.mm-per-unit")
    units = mp.page.locator(".leaflet-overlay-pane path.mm-per-unit")
    assert units.count() == 27  # every admin-1 unit of Ukraine in Natural Earth
    labels = mp.layer_control().locator("label")
    expect(labels.filter(has_text="Events per admin-1 unit")).to_have_count(1)
