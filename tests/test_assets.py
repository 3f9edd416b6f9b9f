"""Tests for maps.assets (offline inlining of folium's CDN assets). No network."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

import folium
import pytest
from folium import plugins

from maps import assets
from maps.assets import AssetError, external_urls, inline

VENDOR = Path(assets.__file__).resolve().parent / "vendor"
MANIFEST = json.loads((VENDOR / "manifest.json").read_text(encoding="utf-8"))
CACHED = ("_manifest", "_read", "_data_uri", "_css", "_js", "_leaflet_icon_shim")


def _clear_caches() -> None:
    for name in CACHED:
        getattr(assets, name).cache_clear()


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _pkg_dir(pkg: dict) -> str:
    return f"{pkg['name'].lstrip('@').replace('/', '-')}-{pkg['version']}"


def _styles(html: str) -> list[str]:
    return re.findall(r"<style[^>]*>(.*?)</style>", html, re.DOTALL)


def _cluster_heat_map() -> folium.Map:
    m = folium.Map(location=[0, 0], zoom_start=3, tiles=None)
    cluster = plugins.MarkerCluster().add_to(m)
    for i in range(3):
        folium.CircleMarker([i, i], radius=5).add_to(cluster)
    plugins.HeatMap([[0.0, 0.0, 1.0], [1.0, 1.0, 0.5]]).add_to(m)
    return m


def _folium_urls() -> set[str]:
    classes = [
        folium.Map,
        plugins.MarkerCluster,
        plugins.FastMarkerCluster,
        plugins.HeatMap,
        plugins.Fullscreen,
        plugins.MiniMap,
    ]
    return {url for cls in classes for _, url in [*cls.default_js, *cls.default_css]}


# --- vendor folder / manifest -------------------------------------------------


def test_manifest_url_entries_point_to_files_with_matching_sha256():
    assert MANIFEST["urls"], "manifest has no URL entries"
    for url, entry in MANIFEST["urls"].items():
        path = VENDOR / entry["file"]
        assert path.is_file(), f"{url}: {path} missing"
        assert _sha256(path) == entry["sha256"], f"{url}: {path} sha256 mismatch"
        assert (VENDOR / entry["license_file"]).is_file(), f"{url}: licence file missing"
        assert {"package", "version", "license", "npm_integrity"} <= entry.keys()
        if entry["source"] == "npm":
            assert entry["npm_integrity"].startswith("sha512-")


def test_every_vendored_file_matches_its_package_hash():
    listed = set()
    for pkg in MANIFEST["packages"]:
        for item in pkg["files"]:
            path = VENDOR / _pkg_dir(pkg) / item.get("as", item["path"])
            listed.add(path)
            assert _sha256(path) == item["sha256"], path
    on_disk = {
        p
        for p in VENDOR.rglob("*")
        if p.is_file()
        and p.name not in {"manifest.json", "update.py", "README.md"}
        and "__pycache__" not in p.parts
    }
    assert on_disk == listed, "vendor folder holds files the manifest does not list"


def test_manifest_covers_every_folium_url_used_by_minemap():
    known = set(MANIFEST["urls"]) | set(MANIFEST["dropped"])
    assert _folium_urls() - known == set()


# --- inline() -----------------------------------------------------------------


def test_inline_cluster_and_heatmap_leaves_no_external_url():
    html = _cluster_heat_map().get_root().render()
    assert len(external_urls(html)) >= 14  # sanity: folium really uses CDNs
    out = inline(html)
    assert external_urls(out) == []
    assert not re.search(r"""<(script|link)\b[^>]*(src|href)\s*=\s*["']?(https?:)?//""", out, re.I)
    assert "L.markerClusterGroup" in out
    assert "L.heatLayer" in out
    assert "leaflet.awesome.rotate.min.css not vendored" in out  # dropped, documented


def test_fontawesome_fonts_become_woff2_data_uris():
    out = inline(folium.Map(tiles=None).get_root().render())
    (fa_css,) = [s for s in _styles(out) if "Font Awesome 6 Free" in s]
    fonts = re.findall(r'url\("data:font/woff2;base64,([A-Za-z0-9+/=]+)"\)', fa_css)
    solid = (VENDOR / "fortawesome-fontawesome-free-6.2.0/webfonts/fa-solid-900.woff2").read_bytes()
    assert len(fonts) == 3
    assert solid in {base64.b64decode(f) for f in fonts}
    for css in _styles(out):
        for ref in re.findall(r"""url\(\s*["']?([^"')]*)""", css):
            assert ref.startswith(("data:", "#")), f"relative url() left: {ref[:60]}"


def test_css_relative_images_resolved_from_css_location():
    html = '<link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css"/>'
    out = inline(html)
    layers = (VENDOR / "leaflet-1.9.3/dist/images/layers.png").read_bytes()
    assert f'url("data:image/png;base64,{base64.b64encode(layers).decode()}")' in out
    assert out.startswith("<style>")
    assert out.endswith("</style>")


def test_leaflet_default_icon_gets_data_uris():
    out = inline(
        '<script src="https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"></script>'
    )
    assert 'L.Icon.Default.mergeOptions({iconUrl:"data:image/png;base64,' in out


def test_attribute_order_quotes_and_protocol_relative_urls():
    html = (
        "<head><script type='text/javascript'"
        " src='//code.jquery.com/jquery-3.7.1.min.js'></script>\n"
        "<link href=https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/MarkerCluster.css"
        " rel=stylesheet></head>"
    )
    out = inline(html)
    assert external_urls(out) == []
    assert out.startswith("<head><script>/*! jQuery v3.7.1")
    assert ".leaflet-cluster-anim" in out
    assert out.count("</script>") == 1
    assert out.count("<style>") == 1


@pytest.mark.parametrize(
    "tag",
    [
        '<script src="https://unpkg.com/leaflet-draw@1.0.4/dist/leaflet.draw.js"></script>',
        '<link rel="stylesheet" href="https://unpkg.com/leaflet-draw@1.0.4/dist/leaflet.draw.css"/>',
    ],
)
def test_unknown_cdn_url_raises_asset_error_naming_url(tag):
    html = f"<head>{tag}</head>"
    url = re.search(r'(?:src|href)="([^"]+)"', tag).group(1)
    with pytest.raises(AssetError, match=re.escape(url) + r".*update\.py"):
        inline(html)
    assert issubclass(AssetError, ValueError)


def test_protocol_relative_unknown_url_raises():
    with pytest.raises(AssetError, match=re.escape("//example.org/lib.js")):
        inline('<script src="//example.org/lib.js"></script>')


def test_local_and_inline_content_left_untouched():
    html = (
        '<script src="local.js"></script><script>var u = "https://evil.example/x.js";'
        " var t = '<script src=\"https://evil.example/y.js\">';</script>"
    )
    assert inline(html) == html
    assert external_urls(html) == []


def test_external_urls_finds_script_link_and_img():
    html = (
        '<script src="https://a.example/a.js"></script><link rel="icon" href="//b.example/b.ico">'
        '<img alt="x" src="http://c.example/c.png"><img src="data:image/png;base64,AAAA">'
        '<script src="https://a.example/a.js"></script>'
    )
    assert external_urls(html) == [
        "https://a.example/a.js",
        "//b.example/b.ico",
        "http://c.example/c.png",
    ]


def test_output_is_deterministic():
    def normalised_render() -> str:
        return re.sub(r"_[0-9a-f]{32}", "_ID", _cluster_heat_map().get_root().render())

    first = inline(normalised_render())
    _clear_caches()
    second = inline(normalised_render())
    assert first == second
    assert inline(first) == first  # idempotent: nothing external left to replace


# --- </script> break-out ------------------------------------------------------


@pytest.fixture
def fake_vendor(tmp_path, monkeypatch):
    """A throw-away vendor folder with one JS file containing ``</script>``."""
    js = 'var s = "</script><script>alert(1)</script>"; var r = /<\\/script>/; // </SCRIPT>\n'
    (tmp_path / "evil").mkdir()
    (tmp_path / "evil" / "evil.js").write_text(js, encoding="utf-8")
    entry = {
        "package": "evil",
        "version": "1.0.0",
        "file": "evil/evil.js",
        "sha256": "",
        "license": "MIT",
        "npm_integrity": None,
    }
    (tmp_path / "manifest.json").write_text(
        json.dumps({"urls": {"https://cdn.example/evil.js": entry}, "dropped": {}}),
        encoding="utf-8",
    )
    _clear_caches()
    monkeypatch.setattr(assets, "VENDOR_DIR", tmp_path)
    yield js
    monkeypatch.undo()
    _clear_caches()


def test_inlined_script_cannot_break_out(fake_vendor):
    out = inline('<body><script src="https://cdn.example/evil.js"></script><p>after</p></body>')
    assert len(re.findall(r"</script", out, re.I)) == 1  # only the closing tag we wrote
    assert out.endswith("</script><p>after</p></body>")
    assert '"<\\/script><script>alert(1)<\\/script>"' in out
    assert fake_vendor.replace("</", "<\\/") in out


def test_no_vendored_js_contains_script_end_or_comment_open():
    for url, entry in MANIFEST["urls"].items():
        if entry["file"].endswith(".js"):
            text = (VENDOR / entry["file"]).read_text(encoding="utf-8").lower()
            assert "</script" not in text, url
            assert "<!--" not in text, url
