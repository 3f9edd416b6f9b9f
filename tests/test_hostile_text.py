"""Hostile text in every text field of every layer reaches no map as markup."""

import pytest

import layers
from layers.schema import schema
from maps import views

HOSTILE = (
    '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'
    '"><svg onload=window.__pwned=3>javascript:window.__pwned=4 `{{7*7}}` ${window.__pwned=5} \u202e'
)
DRAW = {
    "clearance": views.clearance_map,
    "contamination": views.contamination_map,
    "incidents": views.incidents_map,
    "stockpiles": views.stockpiles_map,
}
# Fields that decide how a record is drawn rather than what text it shows.
STRUCTURAL = {
    "record_id", "country", "unit_level", "unit_code", "grouping", "hazard_type", "status",
    "land_use", "part_of", "value_unit", "value_qualifier", "measure", "record_role",
    "record_type", "event_type", "locate_as", "lookup_name", "border_with", "civilian_status",
    "munition_category", "munition_class", "date_start", "date_end",
}  # fmt: skip


@pytest.mark.parametrize("kind", list(DRAW))
def test_hostile_text_in_every_field_is_escaped(kind):
    records = layers.prepare(layers.default(kind)).records.copy()
    text_fields = [
        f.name for f in schema(kind).fields if f.type == "string" and f.name not in STRUCTURAL
    ]
    for field in text_fields:
        records[field] = HOSTILE
    page = views.render(DRAW[kind](records))
    for raw in (
        "<script>window.__pwned",
        'onerror="window.__pwned',
        "<svg onload",
        "{{7*7}}",
        "${window",
    ):
        assert raw not in page, (kind, raw)
    assert "\u202e" not in page
    # The text is still there, escaped, for people to read.
    assert "window.__pwned=1" in page


@pytest.mark.parametrize("kind", list(DRAW))
def test_every_element_of_a_hostile_map_carries_only_escaped_text(kind):
    from maps.safehtml import check_elements

    records = layers.prepare(layers.default(kind)).records.copy()
    for field in [
        f.name for f in schema(kind).fields if f.type == "string" and f.name not in STRUCTURAL
    ]:
        records[field] = "{{7*7}} {% raw %} <b onmouseover=x>"
    fmap = DRAW[kind](records)
    assert check_elements(fmap.get_root()) >= 8  # every element walked, none refused
    page = views.render(fmap)
    assert "{% raw %}" not in page and "{{7*7}}" not in page


def test_render_refuses_raw_text_handed_to_folium():
    import folium

    from maps.safehtml import UnsafeElementError

    fmap = views.stockpiles_map(layers.prepare(layers.default("stockpiles")).records)
    folium.FeatureGroup(name="Planned {{7*7}}").add_to(fmap)
    with pytest.raises(UnsafeElementError, match=r"FeatureGroup.layer_name holds template syntax"):
        views.render(fmap)
    fmap = views.stockpiles_map(layers.prepare(layers.default("stockpiles")).records)
    folium.FeatureGroup(name="<img src=x onerror=alert(1)>").add_to(fmap)
    with pytest.raises(UnsafeElementError, match=r"layer_name is not escaped HTML"):
        views.render(fmap)


def test_a_tile_url_template_is_refused():
    from geo.errors import OptionError

    records = layers.prepare(layers.default("stockpiles")).records
    with pytest.raises(OptionError, match=r"no tile provider called '\{\{7\*7\}\}'"):
        views.stockpiles_map(records, tiles="{{7*7}}")
    fmap = views.stockpiles_map(records, tiles="OpenStreetMap Mapnik")
    assert "tile.openstreetmap.org" in views.render(fmap, assets_mode="cdn")
