"""A table of a column per year: one record per unit and year, totals per year and their change."""

from __future__ import annotations

import pandas as pd

from layers.pipeline import prepare_project, summaries
from layers.project import load_project


def test_a_wide_table_reads_as_records_by_year_with_per_year_totals(tmp_path):
    (tmp_path / "wide.csv").write_text(
        "Oblast,Area 2015 (ha),Area 2019 (ha),Area 2022 (ha)\n"
        "Kharkiv,1000,800,\nKherson,500,,700\n",
        encoding="utf-8",
    )
    (tmp_path / "project.toml").write_text(
        '[[layers]]\nname = "areas"\nkind = "contamination"\npath = "wide.csv"\n'
        'years = ["Area 2015 (ha)", "Area 2019 (ha)", "Area 2022 (ha)"]\n'
        'constants = { country = "UKR", hazard_type = "mines", status = "estimate", '
        'source = "Report 2023" }\n',
        encoding="utf-8",
    )
    done = prepare_project(load_project(tmp_path / "project.toml"))
    p = done.layers["areas"]
    assert (p.rows_read, len(p.records), p.rejected, p.left_out) == (4, 4, 0, 0)
    assert sorted(p.records["record_id"]) == [
        "wide-row-2-2015",
        "wide-row-2-2019",
        "wide-row-3-2015",
        "wide-row-3-2022",
    ]
    assert set(p.records["value_unit"]) == {"ha"}
    said = [n for n in p.notes if n.startswith("years: 2 row(s) x 3 year column(s)")]
    assert said and said[0].endswith("2 empty cell(s) are no figure for that year and give no "
                                     "record")  # fmt: skip
    table = summaries(done)[("areas", "admin1_and_year")].table
    rows = table[["unit", "year", "high_km2", "change_km2"]].values.tolist()
    assert rows[0] == ["UA-63", 2015, 10.0, rows[0][3]] and pd.isna(rows[0][3])
    assert rows[1] == ["UA-63", 2019, 8.0, -2.0]
    assert rows[3] == ["UA-65", 2022, 7.0, 2.0]
    ranged = summaries(done)[("areas", "admin1")]
    assert any(n.startswith("2 unit(s) have estimates of different years") for n in ranged.notes)
    # By country: each year's units summed, and no change between sums of other units.
    country = summaries(done)[("areas", "admin0_and_year")]
    rows = country.table[["year", "basis", "high_km2"]].values.tolist()
    assert rows == [[2015, "sum of 2 unit(s)", 15.0], [2019, "sum of 1 unit(s)", 8.0],
                    [2022, "sum of 1 unit(s)", 7.0]]  # fmt: skip
    assert country.table["change_km2"].isna().all()
    assert any(n.startswith("change_km2 is left empty in 2 row(s)") for n in country.notes)
