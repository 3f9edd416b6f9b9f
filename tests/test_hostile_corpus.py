"""A project whose every user text is hostile builds safe, whole outputs (tests/hostile.py)."""

from __future__ import annotations

import csv
import json
import re

from maps.safetext import FORMULA_PREFIXES

_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def _texts(out):
    return {p: p.read_text(encoding="utf-8") for p in out.rglob("*") if p.is_file()}


def test_the_corpus_is_large_and_reaches_every_place(hostile_build):
    assert len(hostile_build["strings"]) >= 60
    assert hostile_build["status"] == 0, hostile_build["stderr"]
    assert hostile_build["check_status"] == 1  # the rows with hostile places are rejected
    manifest = json.loads((hostile_build["out"] / "build.json").read_text(encoding="utf-8"))
    n = len(hostile_build["strings"])
    for layer in manifest["layers"].values():
        assert layer["rows_read"] == 2 * n
        assert layer["rows_read"] == layer["accepted"] + layer["rejected"]
        assert layer["accepted"] == n  # the text did not make rows vanish
    assert len(manifest["maps"]) == 4


def test_no_template_runs_and_nothing_is_written_outside_out(hostile_build):
    base, out = hostile_build["base"], hostile_build["out"]
    assert not hostile_build["sentinel"].exists()
    for path, text in _texts(out).items():
        assert "MMEVAL" not in text, path
    after = sorted(str(p.relative_to(base)) for p in base.rglob("*"))
    outside = [p for p in after if not p.startswith(("work/out", "work/r.csv"))]
    assert outside == [*hostile_build["before"], "work"]
    assert sorted(p.name for p in (base / "work").iterdir()) == ["out", "r.csv"]


def test_file_names_are_slugs_and_links_are_local(hostile_build):
    out = hostile_build["out"]
    for path in out.rglob("*"):
        assert re.fullmatch(r"[a-z0-9_.-]+", path.name), path
    index = (out / "index.html").read_text(encoding="utf-8")
    hrefs = re.findall(r'href="([^"]*)"', index)
    assert len(hrefs) >= 5
    for href in hrefs:
        assert re.fullmatch(r"[a-z0-9_-]+\.(html|csv)", href), href


def test_no_csv_cell_is_a_formula(hostile_build):
    out = hostile_build["out"]
    files = [*out.rglob("*.csv"), out.parent / "r.csv"]
    cells = 0
    for path in files:
        with path.open(encoding="utf-8", newline="") as f:
            for row in csv.reader(f):
                for cell in row:
                    cells += 1
                    if cell.startswith(FORMULA_PREFIXES):
                        assert _NUMBER.fullmatch(cell), (path.name, cell[:60])
    assert cells > 1000
    rejects = (out / "rejects.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK(" in rejects  # still there for people to read


def test_markdown_holds_no_html(hostile_build):
    mds = list(hostile_build["out"].rglob("*.md"))
    assert mds
    for path in mds:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"<[a-zA-Z!/?]", text), path
        assert not re.search(r"(?<!\\)\]\(javascript:", text), path  # a link, unescaped


def test_the_text_reaches_the_maps_escaped(hostile_build):
    pages = [p for p in hostile_build["out"].glob("*.html") if not p.name.endswith(".embed.html")]
    pages = [p for p in pages if p.name != "index.html"]
    assert len(pages) == 4
    assert sum("onerror=__mm" in p.read_text(encoding="utf-8") for p in pages) >= 3
    for path in pages:
        page = path.read_text(encoding="utf-8")
        # The records' text is shown (as text): a payload, or the long or unusual strings.
        assert any(m in page for m in ("__mm(", "x" * 1000, "DROP TABLE", "Ω≈ç√")), path.name
        for raw in ("<img src=x onerror=__mm", "<svg onload=__mm", "{{7*7}}", "{% raw %}"):
            assert raw not in page, (path.name, raw)
        assert "\u202e" not in page


def test_terminal_output_holds_no_control_characters(hostile_build):
    both = hostile_build["stdout"] + hostile_build["stderr"]
    assert "<script>__mm(1)</script>" in both  # a layer name, shown as text
    for stream in ("stdout", "stderr"):
        text = hostile_build[stream]
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]", text), stream
    assert "\\x1b[2J" in both
