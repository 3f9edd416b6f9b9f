"""Numbers as people read them: no exponent notation, no float noise, in tables and pages."""

from __future__ import annotations

import re

from maps.build import build

EXPONENT = re.compile(r"(?<![\w.])\d+(?:\.\d+)?[eE][-+]?\d+(?![\w.])")
NOISE = re.compile(r"\d\.\d*(?:0{6,}|9{6,})\d")  # 867.8100000000001, 0.30000000000000004


def test_summaries_and_the_index_write_no_exponent_and_no_float_noise(tmp_path):
    result = build(tmp_path / "out", assets_mode="inline")
    pages = [*sorted((result.out / "summaries").iterdir()), result.out / "index.html",
             result.out / "records.csv"]  # fmt: skip
    assert len(pages) > 10
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert not EXPONENT.findall(text), (page.name, EXPONENT.findall(text)[:5])
        assert not NOISE.findall(text), (page.name, NOISE.findall(text)[:5])
