"""The disk cache gives back exactly what it was given, and never trusts a bad file."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from geo import cache


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv("MINEMAP_CACHE_DIR", str(tmp_path))
    return tmp_path


def _shapes():
    holed = shapely.Polygon([(0, 0), (3, 0), (3, 3), (0, 3)], [[(1, 1), (2, 1), (2, 2), (1, 1)]])
    multi = shapely.MultiPolygon([shapely.box(10, 10, 11, 11), shapely.box(12, 10, 13, 11)])
    return np.array([holed, multi, shapely.Polygon(), shapely.box(0.1 / 3, 1e-9, 179.99, 89.9)])


def _counted(calls):
    def compute():
        calls.append(1)
        return _shapes()

    return compute


def test_second_call_reads_the_same_coordinates_bit_for_bit(folder):
    calls = []
    first = cache.cached_geometries("t", ("a", 0.1), 4, _counted(calls))
    again = cache.cached_geometries("t", ("a", 0.1), 4, _counted(calls))
    assert len(calls) == 1
    assert len(list(folder.glob("t-*.wkb"))) == 1
    for a, b in zip(first, again, strict=True):
        assert shapely.to_wkb(a) == shapely.to_wkb(b)


def test_other_parameters_compute_again(folder):
    calls = []
    cache.cached_geometries("t", ("a", 0.1), 4, _counted(calls))
    cache.cached_geometries("t", ("a", 0.2), 4, _counted(calls))
    cache.cached_geometries("t", ("b", 0.1), 4, _counted(calls))
    assert len(calls) == 3


@pytest.mark.parametrize("damage", [b"", b"not a cache file", None])
def test_a_damaged_file_is_computed_again_and_replaced(folder, damage):
    calls = []
    cache.cached_geometries("t", (1,), 4, _counted(calls))
    (path,) = folder.glob("t-*.wkb")
    data = path.read_bytes()
    path.write_bytes(data[:-7] if damage is None else damage)  # None: cut short
    got = cache.cached_geometries("t", (1,), 4, _counted(calls))
    assert len(calls) == 2
    assert path.read_bytes() == data
    assert shapely.equals_exact(got, _shapes(), tolerance=0).all()


def test_a_file_with_another_count_is_not_used(folder):
    calls = []
    cache.cached_geometries("t", (1,), 4, _counted(calls))
    cache.cached_geometries("t", (1,), 5, _counted(calls))
    assert len(calls) == 2


def test_off_and_unwritable_folders_compute_each_time(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setenv("MINEMAP_CACHE_DIR", "off")
    assert cache.cache_dir() is None
    cache.cached_geometries("t", (1,), 4, _counted(calls))
    blocker = tmp_path / "file"
    blocker.write_text("a file where the folder would be")
    monkeypatch.setenv("MINEMAP_CACHE_DIR", str(blocker / "cache"))
    got = cache.cached_geometries("t", (1,), 4, _counted(calls))
    assert len(calls) == 2
    assert shapely.equals_exact(got, _shapes(), tolerance=0).all()


def test_default_folder_follows_xdg(monkeypatch, tmp_path):
    monkeypatch.delenv("MINEMAP_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.cache_dir() == tmp_path / "minemap"
