"""One pipeline: the default data is a built-in project, and a new layer kind is one entry."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from geo.boundary_sets import embedded
from layers import kinds
from layers.summary import Summary
from maps import registry, views
from maps.build import DEFAULT_PROJECT, build
from maps.cli import main
from tests._paths import ROOT

EXAMPLE = ROOT / "notebooks" / "example_project" / "project.toml"


def _shape(out) -> set[str]:
    """The output files, with each layer's stem and each summary level written as a role."""
    manifest = json.loads((out / "build.json").read_text(encoding="utf-8"))
    stems = "|".join(map(re.escape, manifest["layers"]))
    levels = "|".join(map(re.escape, manifest["summary_levels"]))
    shape = set()
    for path in out.rglob("*"):
        if path.is_file():
            name = str(path.relative_to(out))
            name = re.sub(
                rf"^summaries/({stems})_by_({levels})\.", "summaries/{layer}_by_{by}.", name
            )
            shape.add(re.sub(rf"^({stems})\.", "{layer}.", name))
    return shape


def test_the_default_build_and_a_project_build_write_the_same_outputs(tmp_path):
    default, example = tmp_path / "default", tmp_path / "example"
    build(default)
    build(example, project=EXAMPLE)
    assert _shape(default) == _shape(example) == {
        "index.html", "build.json", "rejects.csv", "records.csv", "fuzzy_matches.csv", "name_matches.csv",
        "{layer}.html",
        "{layer}.embed.html", "summaries/{layer}_by_{by}.csv", "summaries/{layer}_by_{by}.md",
        "summaries/{layer}_by_{by}.html",
    }  # fmt: skip
    keys = [json.loads((o / "build.json").read_text(encoding="utf-8")) for o in (default, example)]
    assert list(keys[0]) == list(keys[1])
    assert list(keys[0]["layers"]["contamination"]) == list(keys[1]["layers"]["contamination"])
    assert keys[0]["project"] == "built-in" and keys[1]["project"] == "project.toml"


def test_summary_works_on_any_project_and_by_any_grouping(tmp_path, capsys):
    assert main(["summary", "contamination", "--by", "admin1", str(EXAMPLE)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Reported contamination by admin-1 unit (range of estimates)")
    assert "Chechnya" in out and "Ingush" in out
    assert main(["summary", "contamination", str(EXAMPLE), "--by", "ru_military_districts"]) == 0
    assert "Reported contamination by Russian military district (legal division)" in (
        capsys.readouterr().out
    )
    # A grouping the project defines: two sectors of the North Caucasus.
    folder = tmp_path / "project"
    folder.mkdir()
    for name in ("contamination_ru.csv", "aliases.csv"):
        (folder / name).write_bytes((EXAMPLE.parent / name).read_bytes())
    (folder / "sectors.csv").write_text(
        "unit_code,member,valid_from,valid_to\n"
        "RU-CE,East sector,2000-01-01,\nRU-IN,West sector,2000-01-01,\n",
        encoding="utf-8",
    )
    text = EXAMPLE.read_text(encoding="utf-8").split('[[layers]]\nname = "incidents"')[0]
    text = text.split("[[layers]]", 1)
    text = (
        text[0]
        + '[groupings.sectors]\npath = "sectors.csv"\ntitle = "Demining sector"\n'
        + 'source = "Operator plan, 2024"\n\n[summaries]\nby = ["admin1", "sectors"]\n\n'
        + "[[layers]]"
        + text[1]
    )
    (folder / "project.toml").write_text(text, encoding="utf-8")
    args = ["summary", "contamination", "--by", "sectors", str(folder / "project.toml")]
    assert main([*args, "--format", "csv"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert rows[0] == "sectors,units,estimates,low_km2,high_km2,records"
    assert [r.split(",")[:5] for r in rows[1:]] == [
        ["East sector", "RU-CE", "3", "14.0", "245.0"],
        ["West sector", "RU-IN", "1", "20.0", "20.0"],
    ]
    result = build(tmp_path / "out", project=folder / "project.toml")
    names = {p.name for p in result.files}
    assert "contamination_by_sectors.csv" in names and "contamination_by_admin0.csv" not in names


# ------------------------------------------------------------ a fifth kind

TEAMS_SCHEMA = {
    "title": "Demining teams",
    "description": "Teams deployed per region (a kind defined outside the package).",
    "fields": [
        {"name": "record_id", "type": "string", "constraints": {"required": True, "unique": True}},
        {"name": "place", "type": "string", "constraints": {"required": True}},
        {"name": "country", "type": "string", "constraints": {"required": True}},
        {"name": "unit_level", "type": "string", "constraints": {"enum": ["admin1", "admin0"]}},
        {"name": "unit_code", "type": "string"},
        {"name": "grouping", "type": "string"},
        {"name": "teams", "type": "integer", "constraints": {"required": True, "minimum": 0}},
        {"name": "as_of", "type": "string"},
        {"name": "date_start", "type": "date"},
        {"name": "date_end", "type": "date"},
        {"name": "source", "type": "string", "constraints": {"required": True}},
        {"name": "source_file", "type": "string"},
    ],
}


def _teams_summary(records: pd.DataFrame, by: str) -> Summary:
    table = records.groupby("unit_code", as_index=False)["teams"].sum()
    return Summary(f"Demining teams by {by}", table, ["Teams as deployed on the date given."])


def _teams_view(records, *, title, boundary_set, tiles):
    units = records.groupby(["unit_code", "unit_name"], as_index=False)["teams"].sum()
    frame = embedded("admin1").units(units["unit_code"])[["code", "name", "geometry"]]
    frame = frame.merge(units.rename(columns={"unit_code": "code"})[["code", "teams"]], on="code")
    return views.value_map(frame, "teams", title=title, unit=" teams", tiles=tiles)


@pytest.fixture
def teams_kind(tmp_path):
    schema = tmp_path / "teams.json"
    schema.write_text(json.dumps(TEAMS_SCHEMA), encoding="utf-8")
    kind = kinds.register(kinds.LayerKind(
        name="demining_teams", schema_file=schema, title="Demining teams",
        summarise=_teams_summary, view="demining_teams", map_title="Demining teams by region",
    ))  # fmt: skip
    registry.register_view("demining_teams", _teams_view)
    yield kind
    del kinds._REGISTRY["demining_teams"]
    del registry._VIEWS["demining_teams"]


def test_a_fifth_layer_kind_from_outside_the_package_builds_a_map(teams_kind, tmp_path):
    (tmp_path / "teams.csv").write_text(
        "record_id,place,country,teams,source\n"
        "t1,Kharkiv,UKR,12,Operator report\nt2,Donetsk,UKR,30,Operator report\n"
        "t3,Atlantis,UKR,4,Operator report\nt4,Odesa,UKR,-1,Operator report\n",
        encoding="utf-8",
    )
    (tmp_path / "p.toml").write_text(
        'title = "Teams"\n[[layers]]\nname = "Teams 2024"\nkind = "demining_teams"\n'
        'path = "teams.csv"\n',
        encoding="utf-8",
    )
    result = build(tmp_path / "out", project=tmp_path / "p.toml")
    out = tmp_path / "out"
    page = (out / "teams_2024.html").read_text(encoding="utf-8")
    assert "Demining teams by region" in page and "Kharkiv" in page
    manifest = json.loads((out / "build.json").read_text(encoding="utf-8"))
    assert manifest["layers"]["teams_2024"] == {
        "name": "Teams 2024", "kind": "demining_teams", "rows_read": 4, "accepted": 2,
        "rejected": 2,
    }  # fmt: skip
    table = (out / "summaries" / "teams_2024_by_admin1.csv").read_text(encoding="utf-8")
    assert table.splitlines() == ["unit_code,teams", "UA-14,30", "UA-63,12"]
    reasons = set(result.rejects["field"])
    assert reasons == {"place", "teams"}  # Atlantis is no unit; -1 teams is below the minimum


def test_an_unknown_kind_is_a_clear_error(tmp_path):
    (tmp_path / "t.csv").write_text("record_id\nx\n", encoding="utf-8")
    (tmp_path / "p.toml").write_text(
        '[[layers]]\nname = "t"\nkind = "demining_teams"\npath = "t.csv"\n', encoding="utf-8"
    )
    assert main(["check", "--project", str(tmp_path / "p.toml")]) == 2


def test_the_built_in_project_is_a_plain_project_file():
    text = DEFAULT_PROJECT.read_text(encoding="utf-8")
    assert text.count("[[layers]]") == 4 and text.count("[[maps]]") == 4
