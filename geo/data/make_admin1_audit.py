"""Recompute ``geo/data/admin1_audit.csv``: embedded admin-1 codes a join cannot trust.

Maintainer script, not used at run time. Usage (from the repository root)::

    python geo/data/make_admin1_audit.py           # rewrite the CSV, print counts
    python geo/data/make_admin1_audit.py --check   # exit 1 if the CSV is out of date

Two problems are found by computing over the whole embedded table (``code`` of
``geo.boundary_sets.embedded("admin1").frame``, after ``corrections.csv``):

``placeholder``
    the code ends in ``~`` or starts with ``-99`` (Natural Earth's own codes), or
    is not of the ISO 3166-2 form: two capital letters, ``-``, one to three
    capital letters or digits.
``duplicate``
    two or more features carry the code (and it is not a placeholder).

Every duplicate has a hand-checked verdict in :data:`DUPLICATES`: which feature,
if any, is the unit ISO 3166-2 gives the code to (``joinable``), with the
evidence. A duplicate that the data gains and that has no verdict yet is written
as not joinable and printed as UNCHECKED; a verdict whose features no longer
match the data is printed as STALE and treated the same way.

Two more problems cannot be seen in the table alone and are listed by hand in
:data:`EXTRA` (the script stops if the data no longer matches them):

``merged``
    one Natural Earth unit that stands for several real units (``BA-BIH``: nine
    cantons of the Federation of Bosnia and Herzegovina).
``wrong_code``
    a single feature carrying the ISO 3166-2 code of another unit (``BA-SRP``:
    Natural Earth gives Posavina canton the code of Republika Srpska).

The extra list holds what was found while checking the duplicates' countries; it
is not a full check of every code against ISO 3166-2.

Column ``joinable``: ``no`` (nothing may be joined on the code), ``all`` (the
features together are the unit the code stands for), or ``ADM1_CODE (name)``
(only that feature is the unit; the others are other units).

Sources: ISO 3166-2 lists as carried by Debian iso-codes (read with PyPI
``pycountry`` 26.2.16, not a dependency of minemap), the Wikipedia pages
"ISO 3166-2:XX" and their change lists (BA, IR, KZ, LV, SD, AZ, MD), and, for
which feature is which, the features' own GeoNames/HASC/FIPS attributes and the
embedded GeoNames places lying in them.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
from collections import Counter
from pathlib import Path

# The facts checked, each with its source: a module beside this script.
from admin1_audit_facts import DUPLICATES, EXTRA, PLACEHOLDER_NOTES, PREFIX_NOTES

HERE = Path(__file__).parent
OUT = HERE / "admin1_audit.csv"
COLUMNS = ("code", "country", "name", "problem", "joinable", "reason")
PROBLEMS = ("placeholder", "duplicate", "merged", "wrong_code")
ISO_FORM = re.compile(r"[A-Z]{2}-[A-Z0-9]{1,3}")


def is_placeholder(code: str) -> bool:
    """Whether a code is a Natural Earth placeholder or not of the ISO 3166-2 form."""
    return code.endswith("~") or code.startswith("-99") or not ISO_FORM.fullmatch(code)


def _placeholder_reason(code: str, feature) -> str:
    """Reason sentence of a placeholder code, from the feature's own attributes."""
    label = str(feature["name"] or "").strip() or str(feature["note"] or "").strip() or "unnamed"
    if code.startswith("-99"):
        kind = "'-99', Natural Earth's mark for a feature without an ISO 3166-1 country"
    elif code.endswith("~"):
        kind = "'~' suffix"
    else:
        kind = "not of the form XX-ABC"
    note = PLACEHOLDER_NOTES.get(code) or PREFIX_NOTES.get(code[:2], "")
    return (
        f"Natural Earth's unit {code} ({label}, {feature['adm1_code']}) has a Natural Earth "
        f"placeholder code ({kind}), not an ISO 3166-2 code, so no ISO-coded record can carry "
        f"it (checked against the ISO 3166-2 code form){'; ' + note if note else ''}."
    )


def audit_rows(frame) -> tuple[list[dict[str, str]], list[str]]:
    """Rows of the audit for an admin-1 frame, and warnings (unchecked or stale verdicts)."""
    warnings: list[str] = []
    by_code: dict[str, list] = {}
    for feature in frame.sort_values("adm1_code").to_dict("records"):
        by_code.setdefault(feature["code"], []).append(feature)

    def row(code: str, problem: str, joinable: str, reason: str) -> dict[str, str]:
        features = by_code[code]
        countries = {f["country"] for f in features}
        if len(countries) != 1:
            raise SystemExit(f"{code} is carried by features of several countries {countries}")
        if joinable == "no" and not reason.startswith(f"Natural Earth's unit {code} "):
            raise SystemExit(f'the reason of {code} must begin with "Natural Earth\'s unit {code}"')
        if not reason.endswith("."):
            raise SystemExit(f"the reason of {code} must be a sentence ending with '.'")
        return {
            "code": code,
            "country": countries.pop(),
            "name": " | ".join(str(f["name"] or "") for f in features),
            "problem": problem,
            "joinable": joinable,
            "reason": reason,
        }

    rows = []
    for code, features in by_code.items():
        adm1 = tuple(f["adm1_code"] for f in features)
        if is_placeholder(code):
            rows.append(row(code, "placeholder", "no", _placeholder_reason(code, features[0])))
        elif len(features) > 1 and code in EXTRA:
            continue  # a merged unit, listed below
        elif len(features) > 1:
            verdict = DUPLICATES.get(code)
            if verdict is not None and verdict[0] == adm1:
                rows.append(row(code, "duplicate", verdict[1], verdict[2]))
                continue
            warnings.append(f"{'STALE' if verdict else 'UNCHECKED'} duplicate {code}: {adm1}")
            names = ", ".join(f"{f['name']} ({f['adm1_code']})" for f in features)
            rows.append(
                row(
                    code,
                    "duplicate",
                    "no",
                    f"Natural Earth's unit {code} is {len(features)} features ({names}) that "
                    "have not been checked against ISO 3166-2, so none is trusted with the code.",
                )
            )
    for code, (problem, adm1, reason) in EXTRA.items():
        found = tuple(f["adm1_code"] for f in by_code.get(code, []))
        if found != adm1:
            raise SystemExit(
                f"EXTRA verdict for {code} expects features {adm1}, the data has {found}: "
                "check it again and update EXTRA"
            )
        rows.append(row(code, problem, "no", reason))
    for code in DUPLICATES:
        if code not in by_code or len(by_code[code]) < 2:
            warnings.append(f"STALE verdict {code}: no longer a duplicate in the data")
    rows.sort(key=lambda r: r["code"])
    return rows, warnings


def to_csv(rows: list[dict[str, str]]) -> str:
    """Return the audit as CSV text."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    """Write (or check) the audit and print its counts; 1 when ``--check`` finds it stale."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check the CSV is current")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(HERE.parents[1]))  # run from a checkout without installing
    from geo.boundary_sets import embedded

    frame = embedded("admin1").frame
    rows, warnings = audit_rows(frame)
    text = to_csv(rows)
    problems = Counter(r["problem"] for r in rows)
    print(f"{len(frame)} admin-1 features, {frame['code'].nunique()} codes; {len(rows)} flagged")
    for problem in PROBLEMS:
        features = sum((frame["code"] == r["code"]).sum() for r in rows if r["problem"] == problem)
        print(f"  {problem:12} {problems[problem]:4} codes {features:5} features")
    kinds = Counter(
        r["joinable"] if r["joinable"] in ("no", "all") else "one feature" for r in rows
    )
    print("  joinable: " + ", ".join(f"{k} {kinds[k]}" for k in ("no", "all", "one feature")))
    for warning in warnings:
        print("  " + warning)
    if args.check:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if current != text:
            print(f"{OUT.name} is out of date: run python geo/data/make_admin1_audit.py")
            return 1
        print(f"{OUT.name} is up to date")
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
