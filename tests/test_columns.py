"""Parsing a column at once gives, cell by cell, what the one-cell parser gives."""

import datetime as dt
import itertools

import pandas as pd
import pytest

from layers.columns import parse_column
from layers.schema import Field
from layers.validate import MAX_COUNT, _check_value

CELLS = [
    "", " ", "0", "-0", "7", " 42 ", "+5", "007", "3.0", "1.5", ".5", "5.", "1e3", "1E-2", "-2.5",
    "1_000", "1,5", "nan", "NaN", "inf", "-Infinity", "1e400", "2e9", "2000000000", "99999999999999999999",
    "٣", "x", "12a", "2018-12-31", "2018-02-30", "20181231", "2018-1-5", "0000-01-01", "1500-06-01",
    "casualty", "attack", "bogus", "UKR", "ukr", "U1", "\u00a07\u00a0",
]  # fmt: skip

FIELDS = [
    Field("value", "number", "a figure", minimum=0),
    Field("value", "number", "a figure", required=True),
    Field("killed", "integer", "people killed", minimum=0),
    Field("killed", "integer", "people killed", required=True),
    Field("date_start", "date", "first day"),
    Field("event_type", "string", "what happened", enum=("casualty", "attack", "")),
    Field("country", "string", "ISO alpha-3", required=True, pattern="[A-Z]{3}"),
    Field("note", "string", "a note"),
]


@pytest.mark.parametrize("field", FIELDS, ids=lambda f: f"{f.name}-{f.type}-{f.required}")
def test_bulk_parsing_matches_the_one_cell_parser(field):
    cells = [a + b for a, b in itertools.product(["", " "], CELLS)]
    bound = MAX_COUNT if field.type == "integer" else None
    values, problems = parse_column(pd.Series(cells), field, _check_value, bound=bound)
    if isinstance(values, pd.Series):  # a text field: its texts, missing as NaN
        assert field.type == "string"
        values = values.astype(object).where(values.notna(), None).tolist()
    found = {pos: (text, reason, fix) for pos, text, reason, fix in problems}
    for pos, cell in enumerate(cells):
        value, reason, fix = _check_value(cell.strip(), field)
        assert (values[pos], type(values[pos])) == (value, type(value)), cell
        assert found.get(pos) == ((cell.strip(), reason, fix) if reason else None), cell
    assert any(isinstance(v, dt.date) for v in values) == (field.type == "date")
