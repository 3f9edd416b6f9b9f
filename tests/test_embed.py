"""Embeddable snippets without a browser: escaped, isolated, round-tripping, deterministic."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import folium
import pytest

from maps import assets, embed, views
from maps.build import load_default

HOSTILE_TITLE = (
    "<script>window.__pwned=1</script> \"double\" 'single' </iframe></figure>"
    '<img src=x onerror="window.__pwned=2"> & {{7*7}} ${x}'
)
# A page that tries to break out of the srcdoc attribute and into the host page.
HOSTILE_PAGE = (
    '<!DOCTYPE html><html><body><p title="x">"></iframe><script>window.__pwned=3</script>'
    "&quot; &amp;lt; ' <!-- --> </figure></body></html>"
)


class _Tags(HTMLParser):
    """Start tags with decoded attributes, and decoded text per enclosing tag."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: dict[str, str] = {}
        self._open: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._open.append(tag)

    def handle_endtag(self, tag):
        assert self._open and self._open[-1] == tag, f"</{tag}> closes {self._open}"
        self._open.pop()

    def handle_data(self, data):
        if self._open:
            self.text[self._open[-1]] = self.text.get(self._open[-1], "") + data

    def one(self, tag: str) -> dict[str, str | None]:
        found = [attrs for name, attrs in self.tags if name == tag]
        assert len(found) == 1, f"{len(found)} <{tag}> tags"
        return found[0]


def _srcdoc(fragment: str) -> str:
    """The srcdoc attribute as written (still escaped)."""
    return re.search(r' srcdoc="([^"]*)"', fragment).group(1)


@pytest.fixture(scope="module")
def page() -> str:
    """A real inlined map page (clearance)."""
    records = load_default()["clearance"].records
    return views.render(views.clearance_map(records), assets_mode="inline")


# ------------------------------------------------------------------ escaping


def test_hostile_title_is_escaped_in_caption_and_title_attribute():
    fragment = embed.snippet(HOSTILE_PAGE, title=HOSTILE_TITLE)
    parsed = _Tags(fragment)
    # Only the snippet's own elements: nothing in the title or page became a tag.
    assert [tag for tag, _ in parsed.tags] == ["figure", "div", "div", "iframe", "figcaption"]
    assert parsed.one("iframe")["title"] == HOSTILE_TITLE
    assert parsed.text["figcaption"] == HOSTILE_TITLE
    outside = fragment.replace(_srcdoc(fragment), "")
    for raw in ("<script", "</iframe></figure><img", '"double"', "'single'", "{{", "${"):
        assert raw not in outside


def test_hostile_page_stays_inside_the_srcdoc_attribute():
    fragment = embed.snippet(HOSTILE_PAGE, title="Map")
    attrs = _Tags(fragment).one("iframe")
    assert attrs["srcdoc"] == HOSTILE_PAGE
    # html.escape(quote=True): no raw quote, angle bracket or ampersand is left.
    assert not re.search(r"[\"'<>]|&(?!(amp|lt|gt|quot|#x27);)", _srcdoc(fragment))


def test_srcdoc_round_trips_a_real_page(page):
    fragment = embed.snippet(page, title="Planned clearance")
    assert html.unescape(_srcdoc(fragment)) == page
    assert _Tags(fragment).one("iframe")["srcdoc"] == page


# ------------------------------------------------------------- the wrapper


def test_iframe_attributes_and_sizing():
    fragment = embed.snippet(HOSTILE_PAGE, title="Map", aspect_ratio=4 / 3, min_height_px=200)
    parsed = _Tags(fragment)
    iframe = parsed.one("iframe")
    assert iframe["loading"] == "lazy"
    assert iframe["sandbox"] == "allow-scripts allow-popups"
    assert "allow-same-origin" not in fragment
    assert iframe["referrerpolicy"] == "no-referrer"
    assert "src" not in iframe
    assert parsed.one("figure")["class"] == "minemap-embed"
    box = parsed.tags[1][1]["style"]
    assert "aspect-ratio:1.333333" in box and "min-height:200px" in box
    assert "padding-top:75%" in parsed.tags[2][1]["style"]


def test_no_ids_so_two_snippets_can_share_a_page(page):
    fragment = embed.snippet(page, title="One")
    outside = fragment.replace(_srcdoc(fragment), "")
    assert not any("id" in attrs for _, attrs in _Tags(fragment).tags)
    assert " id=" not in outside


def test_snippet_is_deterministic(page):
    first = embed.snippet(page, title="Planned clearance")
    assert embed.snippet(page, title="Planned clearance") == first
    fmap = folium.Map(location=[50, 30], zoom_start=4, tiles=None)
    assert embed.display(fmap, title="A").snippet() == embed.display(fmap, title="A").snippet()


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"page_html": b"<html>"}, TypeError, "page_html must be a non-empty str"),
        ({"page_html": "  "}, TypeError, "(empty)"),
        ({"title": ""}, ValueError, "title must be a non-empty str"),
        ({"title": None}, ValueError, "title must be a non-empty str"),
        ({"aspect_ratio": 0}, ValueError, "aspect_ratio must be a finite number > 0"),
        ({"aspect_ratio": float("nan")}, ValueError, "aspect_ratio"),
        ({"aspect_ratio": "16/10"}, ValueError, "aspect_ratio"),
        ({"min_height_px": -1}, ValueError, "min_height_px must be an int >= 0"),
        ({"min_height_px": 320.5}, ValueError, "min_height_px"),
    ],
)
def test_bad_arguments_say_what_and_how_to_fix(kwargs, error, words):
    args = {"page_html": "<p>map</p>", "title": "Map", **kwargs}
    with pytest.raises(error, match=re.escape(words)) as info:
        embed.snippet(args.pop("page_html"), **args)
    assert "to fix" in str(info.value)


# ------------------------------------------------------------------ MapHTML


def test_repr_html_is_the_snippet_and_needs_no_network(page):
    shown = embed.MapHTML(page, title="Planned clearance")
    fragment = shown._repr_html_()
    assert fragment == embed.snippet(page, title="Planned clearance")
    assert assets.external_urls(html.unescape(_srcdoc(fragment))) == []
    assert assets.external_urls(fragment) == []
    # Unlike folium's own notebook display, which loads Leaflet from a CDN.
    fmap = folium.Map(tiles=None)
    assert assets.external_urls(html.unescape(_srcdoc(fmap._repr_html_())))
    assert (
        assets.external_urls(html.unescape(_srcdoc(embed.display(fmap, title="A")._repr_html_())))
        == []
    )


def test_repr_is_short(page):
    text = repr(embed.MapHTML(page, title="Planned clearance"))
    assert text.startswith("MapHTML(title='Planned clearance', ") and len(text) < 80


def test_save_writes_the_page_or_the_snippet(tmp_path, page):
    shown = embed.MapHTML(page, title="Planned clearance", aspect_ratio=2.0)
    # Bytes, not read_text(): the inlined vendor CSS has CR LF line ends, kept as they are.
    assert shown.save(tmp_path / "map.html").read_bytes() == page.encode("utf-8")
    written = shown.save(str(tmp_path / "map.embed.html"), embed=True)
    assert written.read_bytes() == shown.snippet().encode("utf-8")
    assert "aspect-ratio:2;" in shown.snippet()
    with pytest.raises(FileNotFoundError, match="does not exist; to fix"):
        shown.save(tmp_path / "missing" / "map.html")


def test_display_renders_inline_and_checks_its_argument():
    fmap = folium.Map(tiles=None)
    shown = embed.display(fmap, title="Empty", min_height_px=0)
    assert shown.page == views.render(fmap, assets_mode="inline")
    assert shown.min_height_px == 0
    with pytest.raises(TypeError, match=r"needs a folium\.Map"):
        embed.display("<html></html>", title="x")
    with pytest.raises(ValueError, match="title"):
        embed.MapHTML(shown.page, title=" ")
