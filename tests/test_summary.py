import pandas as pd
import pytest

import layers
from geo.errors import GroupingError
from layers import incident_summary, summary


@pytest.fixture(scope="module")
def prepared():
    return {kind: layers.prepare(layers.default(kind)) for kind in layers.KINDS}


def test_contamination_by_admin1_shows_the_range_never_a_pick(prepared):
    table = summary.contamination(prepared["contamination"].records, "admin1").table.set_index(
        "unit_code"
    )
    chechnya = table.loc["RU-CE"]
    records = prepared["contamination"].records
    whole = records[records["unit_code"].eq("RU-CE") & records["land_use"].eq("all")]
    assert chechnya["estimates"] == len(whole)
    assert chechnya["low_km2"] == whole["area_km2"].min() == 14.0
    assert chechnya["high_km2"] == whole["area_km2"].max()
    assert chechnya["high_share_pct"] == pytest.approx(
        100 * chechnya["high_km2"] / 16170.574, rel=1e-5
    )


def test_land_use_parts_are_not_added(prepared):
    result = summary.contamination(prepared["contamination"].records, "admin1")
    assert any("land-use part" in n for n in result.notes)
    assert 165.0 not in set(result.table["high_km2"])


def test_contamination_by_country_keeps_country_figures_apart(prepared):
    table = summary.contamination(prepared["contamination"].records, "admin0").table.set_index(
        "country"
    )
    russia = table.loc["RUS"]
    assert russia["regional_units"] == 2
    assert russia["regional_low_km2"] == pytest.approx(14 + 20)
    assert "not_known" in russia["without_value"]
    ukraine = table.loc["UKR"]
    # "almost a quarter" of Ukraine's area (its 27 admin-1 units), never added to regional sums.
    from geo import country_area_km2

    assert ukraine["country_high_km2"] == pytest.approx(0.25 * country_area_km2("UKR"), rel=1e-9)


def test_clearance_by_district_lists_the_2018_plan_and_its_total(prepared):
    result = summary.clearance(prepared["clearance"].records, "district")
    table = result.table
    plan = table[table["period"].eq("2018")].set_index("district")["planned_km2"].to_dict()
    assert plan == {
        "Central": 13.9,
        "Eastern": 6.2,
        "Northern Fleet": 4.1,
        "Southern": 14.2,
        "Western": 14.7,
        "Total": 53.1,
    }
    assert set(table.loc[table["period"].eq("2018"), "composition_date"]) == {"2018-01-01"}
    assert any("more than 53" in n for n in result.notes)
    assert any("Northern Fleet 4" in n for n in result.notes)


def test_clearance_by_country_adds_district_figures(prepared):
    table = summary.clearance(prepared["clearance"].records, "admin0").table
    row = table[table["unit_code"].eq("RUS") & table["period"].eq("2018")].iloc[0]
    assert row["planned_km2"] == pytest.approx(53.1)


def test_incident_counts_of_overlapping_periods_are_not_added(prepared):
    result = incident_summary.incidents(prepared["incidents"].records, "admin0")
    russia = result.table.set_index("unit").loc["RUS"]
    assert russia["largest_casualty_count"] == 3187
    assert "ru-1994-2016-casualties" in russia["largest_count_period"]
    assert any("not added" in n for n in result.notes)


def test_incidents_by_admin1_says_what_it_leaves_out(prepared):
    result = incident_summary.incidents(prepared["incidents"].records, "admin1")
    assert any("not shown by admin1" in n for n in result.notes)
    assert "RU-CE" in set(result.table["unit"])


def test_stockpiles_add_declared_types_per_country(prepared):
    records = prepared["stockpiles"].records
    table = summary.stockpiles(records).table.set_index("country")
    bulgaria = records[records["country"].eq("BGR") & records["status"].eq("declared")]
    assert table.loc["BGR", "declared_cluster_munitions"] == bulgaria["quantity"].sum()
    assert table.loc["MKD", "declared_cluster_munitions"] == 1438


def test_unknown_level_is_an_error(prepared):
    with pytest.raises(
        GroupingError,
        match=r"cannot summarise by 'oblast': expected 'admin0', 'admin1', or a grouping: "
        r"ru_military_districts, ru_military_districts_operational, district, or one the "
        r"project defines\. Fix: use one of those",
    ):
        summary.contamination(prepared["contamination"].records, "oblast")


def test_a_grouping_defined_at_run_time_is_a_summary_level(prepared, monkeypatch):
    import datetime as dt

    import pandas as pd

    from geo import groupings

    # Defined for this test only: the registry of run-time groupings is put back after it.
    monkeypatch.setattr(groupings, "_DEFINED", {})

    table = pd.DataFrame(
        {
            "unit_code": ["RU-CE", "RU-IN", "RU-DA", "RU-CE"],
            "member": ["East", "West", "East", "Caucasus"],
            "valid_from": [dt.date(2000, 1, 1)] * 3 + [dt.date(2016, 1, 1)],
            "valid_to": [dt.date(2015, 12, 31), None, None, None],
            "disputed": [False] * 4,
        }
    )
    groupings.define("test_caucasus", table, title="Test sector", source="tests")
    item = summary.contamination(prepared["contamination"].records, "test_caucasus")
    assert item.title == "Reported contamination by Test sector (sum of unit ranges)"
    rows = item.table.set_index("test_caucasus")
    # Chechnya's estimates dated up to 2015 are in East; later and undated ones in Caucasus.
    assert rows[["units", "estimates", "low_km2", "high_km2"]].to_dict("index") == {
        "Caucasus": {"units": "RU-CE", "estimates": 2, "low_km2": 100.0, "high_km2": 245.0},
        "East": {"units": "RU-CE", "estimates": 2, "low_km2": 14.0, "high_km2": 250.0},
        "West": {"units": "RU-IN", "estimates": 1, "low_km2": 20.0, "high_km2": 20.0},
    }
    assert "3 record(s) outside the units of test_caucasus are not in members." in item.notes
    assert any(n.startswith("Members: Test sector, as in force on") for n in item.notes)
    with pytest.raises(GroupingError, match="is an embedded grouping"):
        groupings.define("district", table, title="x", source="x")


def test_a_records_cell_lists_the_first_ids_and_counts_the_rest(prepared, monkeypatch):
    # A unit of a million records lists the first ids and says how many there are in all,
    # the same whether its records were counted at once or in parts.
    records = prepared["incidents"].records
    monkeypatch.setattr(incident_summary, "IDS_IN_CELL", 2)
    whole = incident_summary.incidents(records, "admin0").table.set_index("unit")
    half = len(records) // 2
    parts = incident_summary.combine_incidents(
        incident_summary.incident_partial(records.iloc[:half], "admin0"),
        incident_summary.incident_partial(records.iloc[half:], "admin0"),
    )
    combined = incident_summary.finish_incidents(parts).table.set_index("unit")
    pd.testing.assert_frame_equal(whole, combined)
    n = int(records["country"].eq("RUS").sum())
    first = sorted(records.loc[records["country"].eq("RUS"), "record_id"])[:2]
    assert whole.loc["RUS", "records"] == (
        f"{first[0]};{first[1]};… ({n:,} in all: records.csv gives each record with its unit)"
    )
