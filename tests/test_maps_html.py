"""HTML checks without a browser: self-contained, escaped, deterministic, complete."""

import csv
import json

import pytest

import layers
from maps import assets, views
from maps.build import build
from tests.defaults import MAPS, SUMMARIES

HOSTILE = '<script>window.__pwned=1</script><img src=x onerror="alert(1)">{{7*7}}${x}`'


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("build")
    messages = []
    result = build(out, progress=messages.append)
    return out, result, messages


def test_build_writes_every_output(built):
    out, _, messages = built
    for stem in MAPS:
        assert (out / f"{stem}.html").stat().st_size > 10_000
    for kind, by in SUMMARIES:
        for ext in ("csv", "md", "html"):
            assert (out / "summaries" / f"{kind}_by_{by}.{ext}").exists()
    assert (out / "index.html").exists()
    assert messages[0].startswith("reading contamination.csv") and messages[-1].startswith("done")


def test_rejects_file_is_written_even_when_empty(built):
    out, result, _ = built
    with open(out / "rejects.csv", encoding="utf-8") as f:
        header = next(csv.reader(f))
    assert header[:6] == ["file", "row", "record_id", "field", "received", "reason"]
    assert result.rejects.empty


def test_build_manifest_counts_rows(built):
    out, _, _ = built
    manifest = json.loads((out / "build.json").read_text())
    for kind in layers.KINDS:
        counts = manifest["layers"][kind]
        assert counts["rows_read"] == counts["accepted"] + counts["rejected"]
    assert "Natural Earth" in manifest["boundaries"]["admin1"]["source"]


@pytest.mark.parametrize("stem", list(MAPS))
def test_maps_need_no_network(built, stem):
    page = (built[0] / f"{stem}.html").read_text(encoding="utf-8")
    assert assets.external_urls(page) == []
    assert "<script src=" not in page


@pytest.mark.parametrize("stem", list(MAPS))
def test_maps_carry_sources_legend_scale_and_credits(built, stem):
    page = (built[0] / f"{stem}.html").read_text(encoding="utf-8")
    assert "mm-legend" in page
    assert '"maxZoom": 12' in page or "maxZoom" in page
    assert "Made with Natural Earth" in page
    assert "Source document" in page
    assert "L.control.scale" in page


def test_incident_map_credits_geonames(built):
    page = (built[0] / "incidents.html").read_text(encoding="utf-8")
    assert "GeoNames" in page and "CC BY 4.0" in page


def test_clearance_map_says_which_composition(built):
    page = (built[0] / "clearance.html").read_text(encoding="utf-8")
    assert "(operational division), as in force on 2018-01-01" in page


def test_index_links_every_map_and_table(built):
    page = (built[0] / "index.html").read_text(encoding="utf-8")
    for stem in MAPS:
        assert f'href="{stem}.html"' in page
    assert page.count('class="mm-summary"') == len(SUMMARIES)
    assert "GeoNames" in page


def test_rendering_is_deterministic():
    records = layers.prepare(layers.default("clearance")).records
    first = views.render(views.clearance_map(records))
    second = views.render(views.clearance_map(records))
    assert first == second


def test_cdn_mode_keeps_links():
    records = layers.prepare(layers.default("stockpiles")).records
    page = views.render(views.stockpiles_map(records), assets_mode="cdn")
    assert any("leaflet" in url for url in assets.external_urls(page))


def test_user_text_is_escaped_in_map_html():
    records = layers.prepare(layers.default("contamination")).records.copy()
    records.loc[records["unit_code"].eq("RU-IN"), "place"] = HOSTILE
    records.loc[records["unit_code"].eq("RU-IN"), "note"] = HOSTILE
    page = views.render(views.contamination_map(records))
    assert "<script>window.__pwned" not in page
    assert 'onerror="alert' not in page
    assert "{{7*7}}" not in page
    # Escaped once for HTML, then written as a JavaScript string: shown literally in the popup.
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in page
    assert "</script>window" not in page
