"""Execute notebooks/worked_example.ipynb and check what it shows.

The notebook is run in a fresh ``python3`` kernel (ipykernel) with a temporary
working directory. Each check reads the output of one cell, found by its cell
id, so the test breaks when the API the notebook demonstrates changes.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient

import layers

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "worked_example.ipynb"


def _text(cell) -> str:
    """Printed text and plain-text results of a code cell."""
    parts = []
    for out in cell.get("outputs", []):
        if out["output_type"] == "stream":
            parts.append(out["text"])
        elif out["output_type"] in ("execute_result", "display_data"):
            parts.append(out["data"].get("text/plain", ""))
    return "\n".join(parts)


@pytest.fixture(scope="module")
def committed():
    return nbformat.read(NOTEBOOK, as_version=4)


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    if "python3" not in KernelSpecManager().find_kernel_specs():
        pytest.fail(
            "no 'python3' Jupyter kernel: install ipykernel (pip install -e '.[test]') "
            "or run `python -m ipykernel install --sys-prefix`"
        )
    cwd = tmp_path_factory.mktemp("notebook-cwd")
    before = sorted(p.name for p in NOTEBOOK.parent.iterdir())
    nb = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(cwd)}}
    ).execute()
    # The notebook writes only to its own temporary folder, which its last cell deletes.
    assert sorted(p.name for p in NOTEBOOK.parent.iterdir()) == before
    assert list(cwd.iterdir()) == []
    return {cell.id: cell for cell in nb.cells}


def test_committed_notebook_has_no_outputs_and_uses_python3(committed):
    assert committed.metadata.kernelspec.name == "python3"
    for cell in committed.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"cell {cell.id} has stored outputs"
            assert cell.execution_count is None, f"cell {cell.id} has an execution count"
    nbformat.validate(committed)


def test_no_cell_writes_to_stderr(executed):
    # Warnings raised in the kernel (deprecations, pandas, shapely) appear on stderr.
    for cell_id, cell in executed.items():
        for out in cell.get("outputs", []):
            if out["output_type"] == "stream":
                assert out["name"] == "stdout", f"cell {cell_id} wrote to stderr: {out['text']}"


def test_read_shows_rows_read(executed):
    text = _text(executed["read"])
    for kind in ("clearance", "contamination"):
        layer = layers.default(kind)
        assert f"{kind}: {layer.rows_read} rows read, {len(layer.records)} accepted" in text


def test_rejects_show_the_bad_row(executed):
    text = _text(executed["rejects"])
    rows_read = layers.default("contamination").rows_read
    assert f"{rows_read} rows read, {rows_read - 1} accepted" in text
    assert "ru-in-2017-01-remaining" in text
    assert "about 20" in text


def test_resolve_shows_codes(executed):
    text = _text(executed["resolve"])
    assert '"Donets\'k Oblast" -> UA-14 (admin1' in text
    assert "'Chechnya' -> RU-CE (admin1" in text
    error = _text(executed["resolve-error"])
    assert "UnitNotFoundError" in error
    assert "Donbas" in error


def test_composition_is_for_mid_2018(executed):
    text = _text(executed["composition"])
    assert "as in force on 2018-06-30" in text
    assert "Northern Fleet 4" in text
    assert "UA-40, UA-43" in text
    assert "Unchanged through 2018: True" in text


def test_district_areas_cover_russia(executed):
    text = _text(executed["district-areas"])
    for member in ("Western", "Northern Fleet", "Southern", "Central", "Eastern"):
        assert member in text
    found = re.search(r"Sum of districts: ([\d,]+) km².*admin-1 units: ([\d,]+) km²", text)
    assert found, text
    districts, russia = (float(g.replace(",", "")) for g in found.groups())
    assert 16.5e6 < districts <= russia < districts + 100


def test_contamination_summary_shows_chechnya_range(executed):
    text = _text(executed["contamination-summary"])
    assert re.search(r"RU-CE\s+Chechnya\s+4\s+14\.0\s+250\.0", text), text
    assert "land-use part" in text


def test_clearance_by_district(executed):
    text = _text(executed["district-summary"])
    assert "Northern Fleet" in text
    assert re.search(r"Total\s+2018\s+2018-01-01\s+.*53\.1", text), text
    assert "more than 53 km2" in text


def test_map_is_saved_and_shown(executed):
    assert "self-contained" in _text(executed["map-save"])
    results = [o for o in executed["map-show"].outputs if o["output_type"] == "execute_result"]
    assert len(results) == 1
    html = results[0]["data"]["text/html"]
    assert "<iframe" in html
    assert "Planned clearance by Russian military district" in html
