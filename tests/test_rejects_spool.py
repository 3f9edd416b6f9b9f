"""Rejects spooled to disk partition by partition, and rejects.csv written from them."""

import pandas as pd

from layers.rejects_spool import SpooledRejects, write_rejects_csv
from maps.safetext import csv_text


def _rejects(file, rows, extra):
    frame = pd.DataFrame({"file": file, "row": rows, "field": "date_start", "value": "=cmd|' /C calc'!A0",
                          "reason": "not a date", "fix": "write a date"})  # fmt: skip
    for name, value in extra.items():
        frame[name] = value
    return frame


def test_rejects_csv_from_memory_and_spools_is_the_whole_table_written_at_once(tmp_path):
    held = _rejects("a.csv", [2, 2, 5], {"original.place": "Kyiv"})
    spool = SpooledRejects.temporary()
    first = _rejects("p/part-0.csv", [3], {"original.note\nx": "=1+1"})
    second = _rejects("p/part-1.csv", [4, 9], {"original.place": "<b>x</b>"})
    for part in (first, pd.DataFrame(columns=first.columns), second):
        spool.add(part)
    assert (spool.rows, spool.problems, len(spool.files)) == (3, 3, 2)
    path = tmp_path / "rejects.csv"
    write_rejects_csv(path, held, [spool])
    whole = pd.concat([held, first, second], ignore_index=True)
    assert path.read_text(encoding="utf-8") == csv_text(whole)
    # Every formula-like cell is neutralised, the header's too.
    text = path.read_text(encoding="utf-8")
    assert "'=cmd" in text and ",'=1+1" in text and '"original.note\nx"' in text
    assert ",=1+1" not in text


def test_a_spool_removes_its_folder_when_no_longer_used():
    spool = SpooledRejects.temporary()
    spool.add(_rejects("a.csv", [2], {}))
    folder = spool.folder
    assert folder.is_dir()
    del spool
    assert not folder.exists()
