"""What a reader is shown carries words, not internal ids, and numbers without exponents.

Every default map is opened; its panels, layer names, tooltips and popups (every
one the page holds, shown or not) are read as text, as are the summaries (HTML and
Markdown) and the index page. None may show an id minemap or its schemas use
internally (a field name, a coded value, a grouping or composition id) or a
number in exponent notation ("8.9e-05").
"""

from __future__ import annotations

import html
import json
import re
from importlib.resources import files

import pytest
from playwright.sync_api import expect

from layers import kinds
from tests.defaults import MAPS

pytestmark = pytest.mark.browser

_TEXTS_JS = """() => {
  const out = [document.title];
  const controls = document.querySelector('.leaflet-control-container');
  out.push(controls.textContent);
  const parse = s => new DOMParser().parseFromString(s, 'text/html').body.textContent;
  for (const t of window.minemapTexts || []) out.push(parse(t));
  return out;
}"""

_EXPONENT = re.compile(r"(?<![\\w.])\\d+(?:\\.\\d+)?[eE][-+]?\\d+(?![\\w])")


def _internal_ids() -> set[str]:
    """Field names, coded values, kind, grouping and composition ids that hold a '_'."""
    ids = set()
    for name in kinds.names():
        schema = json.loads(kinds.get(name).schema_file.read_text(encoding="utf-8"))
        ids.add(name)
        for f in schema["fields"]:
            ids.add(f["name"])
            ids.update(v for v in f.get("constraints", {}).get("enum", []) if isinstance(v, str))
    groupings = json.loads((files("geo") / "data" / "groupings.json").read_text("utf-8"))
    for gid, spec in groupings.items():
        ids.add(gid)
        ids.update(c.get("id", "") for c in spec.get("compositions", []) if isinstance(c, dict))
    return {i for i in ids if "_" in i}


IDS = _internal_ids()
_ID_RE = re.compile(
    r"(?<![\w-])(" + "|".join(sorted(map(re.escape, IDS), key=len, reverse=True)) + r")(?![\w-])"
)


def _problems(texts: list[str]) -> list[str]:
    found = []
    for text in texts:
        for m in _ID_RE.finditer(text):
            found.append(f"id {m.group(1)!r} in …{text[max(m.start() - 40, 0) : m.end() + 20]}…")
        for m in _EXPONENT.finditer(text):
            found.append(
                f"exponent {m.group(0)!r} in …{text[max(m.start() - 40, 0) : m.end() + 20]}…"
            )
    return sorted(set(found))


def test_the_id_list_is_real():
    assert {"ru_military_districts", "remaining_to_clear", "unit_code", "ap_mines"} <= IDS


@pytest.mark.parametrize("stem", MAPS)
def test_a_map_shows_words_not_ids(built, open_map, stem):
    mp = open_map(built.out / f"{stem}.html", ready=".folium-map[data-mm-drawn='true']")
    expect(mp.page.locator(".mm-legend")).to_have_count(1)
    texts = mp.page.evaluate(_TEXTS_JS)
    assert len(texts) > 3
    assert _problems(texts) == []


def test_summaries_and_the_index_show_words_not_ids(built):
    pages = [*built.out.glob("summaries/*.html"), *built.out.glob("summaries/*.md"),
             built.out / "index.html"]  # fmt: skip
    assert len(pages) > 5
    texts = []
    for page in pages:
        raw = page.read_text(encoding="utf-8")
        text = html.unescape(re.sub(r"<[^>]+>", " ", raw))
        texts.append(text.replace("\\\\_", "_"))  # Markdown escapes underscores
    assert _problems(texts) == []
