"""value_map: a choropleth of any value over any units; classes for thousands of units."""

from __future__ import annotations

import itertools
import json
import re

import numpy as np
import pytest

from geo import admin1
from geo.area import area_km2
from maps.choropleth import JENKS_SAMPLE, classify
from maps.views import render, value_map


def test_many_values_are_classed_fast_and_deterministically():
    values = np.random.default_rng(7).lognormal(3, 1.5, 4 * JENKS_SAMPLE)
    colours, legend = classify(values)
    again, legend_again = classify(values)
    assert colours == again and legend == legend_again
    # Every value is in a class; classes are ordered and cover min to max.
    assert len(legend) == 5
    first_low = legend[0][1].split(" – ")[0]
    last_high = legend[-1][1].split(" – ")[1]
    assert first_low == f"{values.min():,.1f}".rstrip("0").rstrip(".")
    assert last_high == f"{values.max():,.1f}".rstrip("0").rstrip(".")
    by_colour = {}
    for colour, value in zip(colours, values, strict=True):
        by_colour.setdefault(colour, []).append(value)
    spans = sorted((min(v), max(v)) for v in by_colour.values())
    assert all(a[1] < b[0] for a, b in itertools.pairwise(spans))


@pytest.fixture(scope="module")
def caucasus():
    frame = admin1()
    frame = frame[frame["code"].str.match(r"^(GE|AM|AZ)-")][["code", "name", "geometry"]]
    return frame.assign(value=[area_km2(g) for g in frame.geometry])


def test_value_map_draws_every_unit_with_escaped_text(caucasus):
    frame = caucasus.copy()
    frame.loc[frame.index[0], "name"] = "<script>alert(1)</script>"
    frame.loc[frame.index[1], "value"] = np.nan
    html = render(
        value_map(frame, "value", title="Area <b>", unit=" km²", source="Natural Earth & co")
    )
    assert "<script>alert(1)" not in html
    # Escaped for HTML, then written in a script as a string.
    assert "Area <b>" not in html and "Area &lt;b&gt;" in html
    assert f"{len(frame) - 1} units; 1 without a value are not drawn." in html
    layers = {}
    for match in re.finditer(r"minemapLayers\.polygons\(\s*\w+, \w+, ", html):
        options, _ = json.JSONDecoder().raw_decode(html, match.end())
        layers[options["style"]["className"]] = options["tips"]
    tips = layers["mm-choropleth"]
    assert len(tips) == len(frame) - 1
    assert tips[0].startswith("<b>&lt;script&gt;alert(1)&lt;/script&gt;</b>: ")


def test_value_map_names_missing_columns(caucasus):
    with pytest.raises(ValueError, match="no column"):
        value_map(caucasus.drop(columns="name"), "value", title="x")
