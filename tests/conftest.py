"""Shared fixtures: geometry cases (empty, holed, multi-part, antimeridian)."""

from __future__ import annotations

import os
import tempfile

import pytest

# Tests never write to the user's cache (geo.cache): one fresh folder per session.
os.environ["MINEMAP_CACHE_DIR"] = tempfile.mkdtemp(prefix="minemap-test-cache-")
from shapely.geometry import MultiPolygon, Polygon, box


@pytest.fixture
def geometries():
    """Named geometry cases every area or drawing function must handle."""
    outer = box(10, 10, 12, 12)
    hole = box(10.5, 10.5, 11.5, 11.5)
    return {
        "empty": Polygon(),
        "square": outer,
        "holed": Polygon(outer.exterior.coords, [hole.exterior.coords]),
        "hole": hole,
        "multi": MultiPolygon([box(0, 0, 1, 1), box(2, 0, 3, 1)]),
        "part": box(0, 0, 1, 1),
        # 179°E to 181°E: a polygon across the antimeridian, written with x > 180.
        "antimeridian": box(179, -1, 181, 1),
        "antimeridian_twin": box(-1, -1, 1, 1),
    }


@pytest.fixture(scope="session")
def hostile_build(tmp_path_factory):
    """Build a project whose every user text is hostile (see tests/hostile.py).

    Returns a dict: ``base`` (the folder holding everything), ``out`` (the
    build), ``sentinel`` (created only if a template ran), ``strings``,
    ``check`` (stdout and stderr of ``minemap check --project``) and
    ``before`` (the files under ``base`` before the build).
    """
    import contextlib
    import io

    from maps.cli import main
    from tests.hostile import corpus, write_project

    base = tmp_path_factory.mktemp("hostile")
    sentinel = base / "template_ran"
    strings = corpus(sentinel)
    project = write_project(base / "project", strings)
    before = sorted(str(p.relative_to(base)) for p in base.rglob("*"))
    out = base / "work" / "out"
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        status = main(["build", str(project), "--out", str(out)])
        check_status = main(
            ["check", "--project", str(project), "--rejects", str(out.parent / "r.csv")]
        )
    return {
        "base": base, "out": out, "sentinel": sentinel, "strings": strings, "status": status,
        "check_status": check_status, "stdout": stdout.getvalue(), "stderr": stderr.getvalue(),
        "before": before,
    }  # fmt: skip
