"""The admin-1 audit (geo/data/admin1_audit.csv) lists every embedded code a join cannot trust.

The placeholder and duplicate rules are written here again, independently of
geo/data/make_admin1_audit.py, and applied to the embedded data: a new
placeholder or shared code in the data fails these tests until the audit is
redone. Name resolution is not tested here, so wiring ``refusal`` into it does
not change what these tests see.
"""

import csv
import re
import subprocess
import sys
from collections import Counter

import pytest

from geo import audit
from geo.boundary_sets import embedded
from tests._paths import ROOT

AUDIT = ROOT / "geo" / "data" / "admin1_audit.csv"
SCRIPT = ROOT / "geo" / "data" / "make_admin1_audit.py"
COLUMNS = ["code", "country", "name", "problem", "joinable", "reason"]
PROBLEMS = {"placeholder", "duplicate", "merged", "wrong_code"}


@pytest.fixture(scope="module")
def frame():
    return embedded("admin1").frame


@pytest.fixture(scope="module")
def rows():
    with open(AUDIT, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == COLUMNS
        return {row["code"]: row for row in reader}


def _placeholders(codes):
    # Natural Earth's "-99-..." and "...~" codes, and anything not of the form XX-...
    return {c for c in codes if c.startswith("-99") or "~" in c or not re.match(r"[A-Z]{2}-", c)}


def test_audit_file_has_one_row_per_code():
    with open(AUDIT, encoding="utf-8", newline="") as f:
        codes = [row["code"] for row in csv.DictReader(f)]
    assert [c for c, n in Counter(codes).items() if n > 1] == []


def test_every_placeholder_code_in_the_data_is_listed(frame, rows):
    placeholders = _placeholders(set(frame["code"]))
    assert len(placeholders) >= 188  # RU-X01~, SY-X01~, TJ-X01~, -99-X04~ ...
    assert sorted(placeholders - set(rows)) == []
    assert {rows[c]["problem"] for c in placeholders} == {"placeholder"}
    assert {rows[c]["joinable"] for c in placeholders} == {"no"}


def test_every_code_shared_by_several_features_is_listed(frame, rows):
    counts = Counter(frame["code"])
    shared = {c for c, n in counts.items() if n > 1} - _placeholders(counts)
    assert {"BA-BIH", "AF-PAR", "IE-D"} <= shared
    assert sorted(shared - set(rows)) == []
    assert {rows[c]["problem"] for c in shared} <= {"duplicate", "merged"}


def test_every_listed_code_exists_in_the_embedded_data(frame, rows):
    features = frame.groupby("code")
    known = set(frame["code"])
    assert sorted(set(rows) - known) == []
    for code, row in rows.items():
        unit = features.get_group(code)
        assert row["problem"] in PROBLEMS, code
        assert row["country"] == unit["country"].iloc[0], code
        assert row["reason"].strip(), code
        joinable = row["joinable"]
        if row["problem"] in ("placeholder", "merged", "wrong_code"):
            assert joinable == "no", code
        elif joinable not in ("no", "all"):
            # A duplicate whose keeper is named by its Natural Earth adm1_code.
            assert len(unit) > 1, code
            assert joinable.split(" ", 1)[0] in set(unit["adm1_code"]), (code, joinable)


def test_bosnia_federation_cantons_are_a_merged_unit_that_is_not_joinable(frame, rows):
    bih = frame[frame["country"] == "BIH"]
    cantons = bih[bih["type_en"] == "Canton"]
    code, n = Counter(cantons["code"]).most_common(1)[0]
    assert (code, n) == ("BA-BIH", 9)  # nine of the Federation's ten cantons share one code
    assert rows[code]["problem"] == "merged"
    assert rows[code]["joinable"] == "no"
    # The tenth canton, Posavina, carries Republika Srpska's code.
    posavina = cantons[cantons["name"] == "Posavina"]["code"].tolist()
    assert posavina == ["BA-SRP"]
    assert rows["BA-SRP"]["joinable"] == "no"


def test_refusal_speaks_for_every_unit_that_is_not_joinable(rows):
    refused = [code for code, row in rows.items() if row["joinable"] == "no"]
    assert "BA-BIH" in refused
    for code in refused:
        sentence = audit.refusal(code)
        assert isinstance(sentence, str), code
        assert code in sentence, code
        assert "user boundary set" in sentence, code
    assert "9 cantons" in audit.refusal("BA-BIH")


def test_refusal_is_none_for_joinable_and_unflagged_codes(rows):
    assert audit.refusal("UA-14") is None
    assert audit.refusal("XX-NOT-A-CODE") is None
    joinable = [code for code, row in rows.items() if row["joinable"] != "no"]
    assert "IE-D" in joinable
    assert [code for code in joinable if audit.refusal(code) is not None] == []


def test_flagged_units_reads_the_audit_file(rows):
    flagged = audit.flagged_units()
    assert flagged == {code: (row["problem"], row["reason"]) for code, row in rows.items()}
    assert audit.flagged_units() is flagged  # read once


def test_audit_file_is_what_the_script_makes_of_the_current_data():
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "UNCHECKED" not in done.stdout
    assert "STALE" not in done.stdout
