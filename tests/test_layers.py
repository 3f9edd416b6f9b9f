import csv
import re

import pytest

import layers
from geo import RecordError, resolve
from layers.schema import KINDS, schema
from tests._paths import ROOT

DATA = ROOT / "layers" / "data"
NUMERIC = (
    "value",
    "quantity",
    "casualties",
    "killed",
    "injured",
    "outcome_unknown",
    "children",
    "attacks",
)
WORDS = {"a quarter": 25, "a civilian": 1, "one": 1, "two": 2, "six": 6, "nine": 9, "a dozen": 12}


def _rows(kind):
    with open(DATA / f"{kind}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize("kind", KINDS)
def test_default_layer_has_the_schema_columns_in_order(kind):
    with open(DATA / f"{kind}.csv", encoding="utf-8", newline="") as f:
        header = next(csv.reader(f))
    assert header == schema(kind).names


@pytest.mark.parametrize("kind", KINDS)
def test_default_layer_is_valid_and_complete(kind):
    layer = layers.default(kind)
    assert layer.rejects.empty, layer.rejects.to_string()
    assert len(layer.records) == layer.rows_read > 0
    prepared = layers.prepare(layer)
    assert prepared.rejects.empty, prepared.rejects.to_string()


@pytest.mark.parametrize("kind", KINDS)
def test_every_record_names_a_known_source_document(kind):
    with open(DATA / "sources.csv", encoding="utf-8", newline="") as f:
        sources = {r["source_file"] for r in csv.DictReader(f)}
    for row in _rows(kind):
        assert row["source"].strip(), row["record_id"]
        assert row["source_file"] in sources, row["record_id"]
        assert row["source_quote"].strip(), row["record_id"]


def _numbers_in(text):
    found = {float(n.replace(",", "")) for n in re.findall(r"\d[\d,]*(?:\.\d+)?", text)}
    found |= {float(v) for w, v in WORDS.items() if w in text.lower()}
    million = re.findall(r"(\d+(?:\.\d+)?) million", text)
    found |= {float(m) * 1e6 for m in million}
    return found


@pytest.mark.parametrize("kind", KINDS)
def test_every_figure_appears_in_its_source_quote(kind):
    """A figure is traceable: its number is written in the quoted source sentence."""
    for row in _rows(kind):
        numbers = _numbers_in(row["source_quote"])
        for field in NUMERIC:
            if row.get(field):
                assert float(row[field]) in numbers, (row["record_id"], field, row[field])


def test_chechnya_estimates_that_disagree_are_all_kept():
    records = layers.default("contamination").records
    chechnya = records[records["unit_code"].eq("RU-CE") & records["land_use"].eq("all")]
    assert {14.0, 245.0, 100.0} <= set(chechnya["value"])
    assert chechnya["record_id"].is_unique
    assert chechnya["source"].nunique() >= 3


def test_land_use_parts_point_to_their_whole():
    records = layers.default("contamination").records
    parts = records[records["land_use"].ne("all")]
    assert set(parts["land_use"]) == {"farmland", "woodland"}
    assert set(parts["part_of"]) <= set(records["record_id"])


def test_places_as_written_resolve_to_the_recorded_unit():
    """Where the place as written is a region's name, name resolution agrees with the curated code."""
    checked = 0
    for kind in ("contamination", "clearance", "incidents"):
        for row in _rows(kind):
            if row["unit_level"] != "admin1" or row.get("locate_as") == "settlement":
                continue
            try:
                found = resolve(row["place"], country=row["country"])
            except LookupError:
                continue  # a phrase ("neighboring Ingushetia"), not a name
            assert found.code == row["unit_code"], row["record_id"]
            checked += 1
    assert checked >= 5


def test_2018_plan_has_five_districts_and_a_stated_total():
    records = layers.default("clearance").records
    plan = records[records["record_id"].str.startswith("ru-2018-plan")]
    figures = plan[plan["record_role"].eq("figure")].set_index("unit_code")["value"].to_dict()
    assert figures == {
        "Western": 14.7,
        "Southern": 14.2,
        "Central": 13.9,
        "Eastern": 6.2,
        "Northern Fleet": 4.1,
    }
    total = plan[plan["record_role"].eq("reported_total")].iloc[0]
    assert (total["value"], total["value_qualifier"]) == (53.0, "more than")


# ------------------------------------------------------------------ bad input

HEADER = schema("contamination").names


def _write(tmp_path, rows, header=HEADER):
    path = tmp_path / "contamination.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    return path


def _good(**change):
    row = dict(_rows("contamination")[0])
    row.update(change)
    return row


def test_bad_rows_are_rejected_with_file_row_field_reason_and_fix(tmp_path):
    rows = [
        _good(record_id="ok"),
        _good(record_id="bad-number", value="fourteen"),
        _good(record_id="negative", value="-3"),
        _good(record_id="bad-enum", hazard_type="landmines"),
        _good(record_id="bad-date", date_start="2010-13-01"),
        _good(record_id="ok"),
        _good(record_id="reversed", date_start="2011-01-01", date_end="2010-01-01"),
        _good(record_id="no-unit", value_unit=""),
    ]
    layer = layers.read(_write(tmp_path, rows), "contamination")
    assert list(layer.records["record_id"]) == ["ok"]
    assert layer.rows_read == len(layer.records) + layer.rejects["row"].nunique() == 8
    by_id = layer.rejects.set_index("record_id")
    assert by_id.loc["bad-number", "reason"] == "expected a number"
    assert by_id.loc["bad-number", "row"] == 3
    assert by_id.loc["bad-number", "field"] == "value"
    assert by_id.loc["negative", "reason"] == "expected a value >= 0"
    assert by_id.loc["bad-enum", "reason"].startswith("expected one of 'ap_mines', 'av_mines'")
    assert by_id.loc["bad-date", "fix"] == "write date_start like 2018-12-31"
    assert by_id.loc["ok", "reason"] == "duplicate of row 2"
    assert by_id.loc["reversed", "reason"] == "date_end is before date_start"
    assert by_id.loc["no-unit", "reason"] == "an area value and its unit are required"
    # The original row travels with the reject.
    assert by_id.loc["bad-number", "received"] == "fourteen"
    assert {f"original.{h}" for h in HEADER} <= set(layer.rejects.columns)


def test_missing_required_column_is_an_error_naming_file_and_column(tmp_path):
    header = [h for h in HEADER if h != "hazard_type"]
    row = {k: v for k, v in _good().items() if k != "hazard_type"}
    path = _write(tmp_path, [row], header)
    with pytest.raises(
        RecordError,
        match=r"contamination\.csv, row 1, field 'hazard_type': the contamination layer needs the column\(s\) \['hazard_type'\].*Fix: add the column",
    ):
        layers.read(path, "contamination")


def test_unknown_unit_is_rejected_not_dropped(tmp_path):
    layer = layers.read(
        _write(tmp_path, [_good(record_id="x", unit_code="RU-XX")]), "contamination"
    )
    prepared = layers.prepare(layer)
    assert prepared.records.empty
    reject = prepared.rejects.iloc[0]
    assert (reject["record_id"], reject["field"]) == ("x", "unit_code")
    assert reject["reason"].startswith("unknown unit: unknown admin1 code(s) ['RU-XX']")


def test_utf8_bom_is_accepted(tmp_path):
    path = _write(tmp_path, [_good(record_id="bom")])
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert list(layers.read(path, "contamination").records["record_id"]) == ["bom"]


def test_thousands_separators_are_read_when_the_column_leaves_no_doubt(tmp_path):
    # A spreadsheet's 1,250,000 and 1 250 (no-break space) are read, and a note says so; a
    # column whose only comma cell is 1,250 (1250, or 1.25 with a decimal comma) is refused.
    rows = [_good(record_id="a", value="1,250,000", value_unit="m2"),
            _good(record_id="b", value="1,250", value_unit="m2"),
            _good(record_id="c", value="3\u00a0500", value_unit="m2"),
            _good(record_id="d", value="17.5", value_unit="m2")]  # fmt: skip
    layer = layers.read(_write(tmp_path, rows), "contamination")
    assert layer.rejects.empty
    values = dict(zip(layer.records["record_id"], layer.records["value"], strict=True))
    assert values == {"a": 1_250_000, "b": 1_250, "c": 3_500, "d": 17.5}
    said = " ".join(layer.notes)
    assert (
        "value: 2 number(s) written with ',' between thousands (e.g. '1,250,000' read as "
        "1250000)" in said
    )
    assert "value: 1 number(s) written with spaces between thousands" in said
    alone = layers.read(
        _write(tmp_path, [_good(record_id="e", value="1,250"), _good(record_id="f", value="2.5")]),
        "contamination",
    )
    (reject,) = alone.rejects.to_dict("records")
    assert (reject["record_id"], reject["field"], reject["received"]) == ("e", "value", "1,250")
    assert reject["reason"].startswith("1,250 may be 1250 (',' between thousands) or 1.25")
    assert reject["fix"] == "write value as 1250 or 1.25"
    # A decimal comma column (1,5) is no thousands column: refused as before.
    decimal = layers.read(_write(tmp_path, [_good(record_id="g", value="1,5"),
                                            _good(record_id="h", value="1,250,000")]),
                          "contamination")  # fmt: skip
    assert sorted(decimal.rejects["record_id"]) == ["g", "h"]
