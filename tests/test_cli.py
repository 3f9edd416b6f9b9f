import csv
import io
import subprocess
import sys

import pytest

from maps.cli import main


def test_summary_clearance_by_district_csv(capsys):
    assert main(["summary", "clearance", "--by", "district", "--format", "csv"]) == 0
    out = capsys.readouterr()
    rows = list(csv.DictReader(io.StringIO(out.out)))
    plan = {r["district"]: float(r["planned_km2"]) for r in rows if r["period"] == "2018"}
    assert plan == {
        "Central": 13.9,
        "Eastern": 6.2,
        "Northern Fleet": 4.1,
        "Southern": 14.2,
        "Western": 14.7,
        "Total": 53.1,
    }
    assert "composition" in out.err.lower()


def test_summary_formats(capsys):
    assert main(["summary", "contamination", "--by", "admin1", "--format", "md"]) == 0
    md = capsys.readouterr().out
    assert md.startswith("## Reported contamination by admin-1 unit")
    assert "| RUS | RU-CE | Chechnya |" in md
    assert main(["summary", "incidents", "--by", "admin0", "--format", "json"]) == 0
    assert '"largest_casualty_count": 3187' in capsys.readouterr().out


def test_help_reads_well():
    result = subprocess.run(
        [sys.executable, "-m", "maps.cli", "--help"], capture_output=True, text=True, check=True
    )
    assert "build" in result.stdout and "summary" in result.stdout
    result = subprocess.run(
        [sys.executable, "-m", "maps.cli", "summary", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "or a grouping (ru_military_districts, ru_military_districts_operational," in " ".join(
        result.stdout.split()
    )


def test_bad_arguments_exit_2(capsys):
    assert main(["summary", "clearance", "--by", "oblast"]) == 2
    assert "cannot summarise by 'oblast': expected 'admin0', 'admin1', or a grouping" in (
        capsys.readouterr().err
    )
    assert main(["summary", "minefields"]) == 2
    assert "no layer or layer kind 'minefields' in default.toml: its layers are" in (
        capsys.readouterr().err
    )
    with pytest.raises(SystemExit) as exc:
        main(["summary", "clearance", "--format", "xml"])
    assert exc.value.code == 2


def test_build_writes_to_out_by_default_and_reports_progress(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["build"]) == 0
    for name in (
        "clearance.html",
        "contamination.html",
        "incidents.html",
        "stockpiles.html",
        "index.html",
    ):
        assert (tmp_path / "out" / name).is_file()
    err = capsys.readouterr().err
    assert "minemap: reading contamination.csv as contamination layer 'contamination'" in err
    assert "minemap: done:" in err


def test_help_starts_without_the_heavy_libraries():
    code = (
        "import sys\n"
        "from maps.cli import main\n"
        "for args in (['--help'], ['build', '--help'], ['check', '--help'], ['summary', '--help']):\n"
        "    try:\n"
        "        main(args)\n"
        "    except SystemExit:\n"
        "        pass\n"
        "heavy = [m for m in ('geopandas', 'folium', 'pandas', 'shapely') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert "HEAVY []" in result.stdout


def test_the_cli_lists_of_formats_and_limits_match_the_code():
    import dataclasses

    from layers.limits import ReadLimits
    from maps import cli, tables

    assert cli.SUMMARY_FORMATS == tables.FORMATS
    assert tuple(f.name for f in dataclasses.fields(ReadLimits)) == cli.LIMIT_NAMES
