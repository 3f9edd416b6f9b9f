"""Project files and `minemap build PROJECT` / `minemap check` on the worked example."""

import csv
import html
import shutil
from pathlib import Path

import pytest

from layers.project import ProjectError, load_project
from maps.build import build_project
from maps.cli import main
from tests._paths import ROOT

EXAMPLE = ROOT / "notebooks" / "example_project"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("project")
    return out, build_project(EXAMPLE / "project.toml", out)


def test_example_project_builds_its_maps_and_summaries(built):
    out, _ = built
    assert (out / "contamination.html").exists()
    assert (out / "incidents.html").exists()
    # A snippet to paste into a page, beside each map, embedding that map.
    for stem in ("contamination", "incidents"):
        snippet = (out / f"{stem}.embed.html").read_text(encoding="utf-8")
        assert snippet.startswith("<") and "srcdoc=" in snippet
        assert "data-mm-drawn" in html.unescape(snippet)
    assert (out / "summaries" / "contamination_by_admin1.csv").exists()
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "Example project: North Caucasus contamination" in page


def test_cyrillic_names_hectares_and_aliases_resolve(built):
    out, _ = built
    with open(out / "summaries" / "contamination_by_admin1.csv", encoding="utf-8") as f:
        rows = {r["unit_code"]: r for r in csv.DictReader(f)}
    # 24,500 ha and 1,400 ha and 10,000 ha of Chechnya ("Чеченская Республика", "Чечня", "Чечнья" by alias).
    assert rows["RU-CE"]["estimates"] == "3"
    assert float(rows["RU-CE"]["low_km2"]) == pytest.approx(14.0)
    assert float(rows["RU-CE"]["high_km2"]) == pytest.approx(245.0)
    assert float(rows["RU-IN"]["high_km2"]) == pytest.approx(20.0)


def test_rows_in_equal_accepted_plus_rejected(built):
    _, result = built
    with open(result.out / "rejects.csv", encoding="utf-8") as f:
        rejects = list(csv.DictReader(f))
    by_file = {Path(r["file"]).name: r for r in rejects}
    assert set(by_file) == {"contamination_ru.csv", "incidents_hxl.csv"}
    assert by_file["contamination_ru.csv"]["row"] == "6"
    assert by_file["contamination_ru.csv"]["received"] == "Атлантида"
    assert "Closest names" in by_file["contamination_ru.csv"]["reason"]
    assert by_file["incidents_hxl.csv"]["row"] == "5"  # header row 1, hashtag row 2
    assert "not in the GeoNames gazetteer" in by_file["incidents_hxl.csv"]["reason"]


def test_check_command_reports_and_exits_1(tmp_path, capsys):
    rejects = tmp_path / "rejects.csv"
    status = main(["check", "--project", str(EXAMPLE / "project.toml"), "--rejects", str(rejects)])
    out = capsys.readouterr().out
    assert status == 1
    assert "contamination_ru.csv (contamination): 5 rows read, 4 accepted, 1 rejected" in out
    assert "incidents_hxl.csv (incidents): 3 rows read, 2 accepted, 1 rejected" in out
    with open(rejects, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [r["row"] for r in rows] == ["6", "5"]
    assert {"original.Регион", "file", "row", "field", "received", "reason", "fix"} <= set(rows[0])


def test_check_exits_0_when_nothing_is_rejected(tmp_path, capsys):
    status = main(
        [
            "check",
            str(ROOT / "layers" / "data" / "clearance.csv"),
            "--rejects",
            str(tmp_path / "r.csv"),
        ]
    )
    assert status == 0
    assert "17 rows read, 17 accepted, 0 rejected" in capsys.readouterr().out


def test_check_exits_2_when_a_file_cannot_be_read(tmp_path, capsys):
    bad = tmp_path / "incidents.png"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 32)
    status = main(["check", str(bad), "--rejects", str(tmp_path / "r.csv")])
    assert status == 2
    assert "could not be read" in capsys.readouterr().out


def test_check_needs_a_kind(tmp_path, capsys):
    path = tmp_path / "data.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    assert main(["check", str(path), "--rejects", str(tmp_path / "r.csv")]) == 2
    assert "Fix: pass --kind" in capsys.readouterr().out


def _project(tmp_path, text):
    shutil.copy(EXAMPLE / "contamination_ru.csv", tmp_path / "c.csv")
    path = tmp_path / "p.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "title = 'x'\n[[layers]]\nkind = 'mines'\npath = 'c.csv'\n",
            r"layers\[0\]\.kind: unknown layer kind 'mines'",
        ),
        (
            "[[layers]]\nkind = 'contamination'\npath = 'missing.csv'\n",
            r"layers\[0\]\.path: no such file 'missing.csv'",
        ),
        (
            "[[layers]]\nkind = 'contamination'\npath = 'c.csv'\nboundaries = 'ukr'\n",
            r"no boundaries called 'ukr'",
        ),
        (
            "[[layers]]\nkind = 'contamination'\npath = 'c.csv'\ncolour = 'red'\n",
            r"unknown key\(s\) \['colour'\]",
        ),
        ("[[maps]]\nlayer = 'x'\n", r"maps\[0\]\.layer: no layer called 'x'"),
        ("title = \n", r"not valid TOML"),
    ],
)
def test_project_file_errors_name_file_and_key(tmp_path, text, message):
    with pytest.raises(ProjectError, match=message):
        load_project(_project(tmp_path, text))


def test_project_with_a_user_boundary_set_uses_its_pcodes(tmp_path):
    """A COD-AB-like boundary file: units resolve to its p-codes, by code and by Ukrainian name."""
    from geo import admin1

    ukraine = admin1(["UKR"])[["code", "name_en", "name_uk", "geometry"]].copy()
    ukraine["ADM1_PCODE"] = ukraine["code"].str.replace("-", "", regex=False)
    ukraine = ukraine.rename(columns={"name_en": "ADM1_EN", "name_uk": "ADM1_UA"})
    ukraine["ADM0_EN"], ukraine["ADM0_PCODE"] = "Ukraine", "UA"
    ukraine.drop(columns="code").to_file(tmp_path / "ukr_adm1.gpkg", engine="pyogrio")
    with open(tmp_path / "hazards.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["id", "Oblast", "pcode", "Area (ha)", "hazard_type", "status", "source"])
        writer.writerow(["h1", "Харківська область", "", "1500", "mines", "estimate", "test"])
        writer.writerow(["h2", "", "UA14", "250", "mines", "estimate", "test"])
        writer.writerow(["h3", "Nowhere oblast", "", "5", "mines", "estimate", "test"])
    (tmp_path / "p.toml").write_text(
        """
title = "Ukraine with p-codes"
[boundaries.ukr]
path = "ukr_adm1.gpkg"
[[layers]]
name = "hazards"
kind = "contamination"
path = "hazards.csv"
boundaries = "ukr"
constants = { country = "UKR" }
""",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = build_project(tmp_path / "p.toml", out)
    with open(out / "summaries" / "hazards_by_admin1.csv", encoding="utf-8") as f:
        rows = {r["unit_code"]: r for r in csv.DictReader(f)}
    assert set(rows) == {"UA63", "UA14"}
    assert float(rows["UA63"]["high_km2"]) == pytest.approx(15.0)
    assert rows["UA63"]["unit_name"] == "Kharkiv"
    assert list(result.rejects["record_id"]) == ["h3"]
    assert (out / "hazards.html").exists()
    report = (out / "boundaries_ukr.txt").read_text(encoding="utf-8")
    assert "COD-AB" in report


def test_a_read_limit_is_set_in_the_project_and_raised_on_the_command_line(tmp_path, capsys):
    from maps.cli import main

    rows = "\n".join(f"r{i},Chechnya,RUS,mines,estimate,{i + 1},km2,Report {i}" for i in range(3))
    (tmp_path / "c.csv").write_text(
        "record_id,place,country,hazard_type,status,value,value_unit,source\n" + rows + "\n",
        encoding="utf-8",
    )
    project = tmp_path / "p.toml"
    project.write_text(
        '[limits]\nmax_rows = 2\n\n[[layers]]\nname = "c"\nkind = "contamination"\npath = "c.csv"\n',
        encoding="utf-8",
    )
    assert main(["check", "--project", str(project), "--rejects", str(tmp_path / "r.csv")]) == 2
    out = capsys.readouterr().out
    assert "has more than 2 data rows; the limit is 2" in out
    assert "--limit max_rows=N (minemap check or build), [limits] max_rows = N" in out
    args = ["check", "--project", str(project), "--rejects", str(tmp_path / "r.csv")]
    assert main([*args, "--limit", "max_rows=3"]) == 0
    assert "3 rows read, 3 accepted, 0 rejected" in capsys.readouterr().out
    assert main([*args, "--limit", "rows=3"]) == 2
    assert (
        "--limit: no limit called 'rows'; the limits are max_file_bytes" in capsys.readouterr().err
    )
    project.write_text('[limits]\nmax_rows = "many"\n', encoding="utf-8")
    with pytest.raises(ProjectError, match=r"limits: max_rows: 'many' is not a number"):
        load_project(project)
