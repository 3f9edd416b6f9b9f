"""A corpus of hostile strings and a project that carries them everywhere a user's text can go.

Every string that could run calls ``__mm(n)`` (n its number in the corpus), so
a page that defines ``window.__mm`` counts executions; every template
expression would write ``MMEVAL`` or create the sentinel folder. The project
puts the strings into every free-text field of every layer kind, into layer
names, map titles, the project title and column names (a mapped column and
unmapped ones), and into place names of rows that are then rejected.
"""

from __future__ import annotations

import csv
import json
from importlib.resources import files
from pathlib import Path

from layers.schema import schema

#: Fields that decide where and how a record is drawn; the rest are free text.
STRUCTURAL = {
    "record_id", "place", "country", "unit_level", "unit_code", "grouping", "hazard_type",
    "status", "land_use", "part_of", "value_unit", "value_qualifier", "measure", "record_role",
    "record_type", "event_type", "locate_as", "lookup_name", "border_with", "civilian_status",
    "munition_category", "munition_class", "date_start", "date_end",
}  # fmt: skip

KINDS = ("contamination", "clearance", "incidents", "stockpiles")

#: Characters that a project refuses in a layer name (they are refused, not escaped).
_CONTROL = (
    {chr(c) for c in range(32)}
    | {"\x7f"}
    | set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
)


def corpus(sentinel: Path) -> list[str]:
    """Return the hostile strings; a template that runs would create ``sentinel``."""
    s = str(sentinel).replace("\\", "/")
    return [
        # markup and event handlers
        "<script>__mm(1)</script>",
        "<img src=x onerror=__mm(2)>",
        "<svg onload=__mm(3)>",
        "<svg><script>__mm(4)</script></svg>",
        '<iframe srcdoc="<script>parent.__mm(5)</script>"></iframe>',
        "<details open ontoggle=__mm(6)>x</details>",
        "<input autofocus onfocus=__mm(7)>",
        "<video><source onerror=__mm(8)></video>",
        "<body onload=__mm(9)>",
        "<math><mtext><table><mglyph><style><img src=x onerror=__mm(10)>",
        '<noscript><p title="</noscript><img src=x onerror=__mm(11)>">',
        '<!--<img src="--><img src=x onerror=__mm(12)>',
        "<![CDATA[><img src=x onerror=__mm(13)>]]>",
        "<svg><animate onbegin=__mm(14) attributeName=x dur=1s>",
        "<marquee onstart=__mm(15)>x</marquee>",
        "<img src=x onerror=&#95;&#95;mm(16)>",
        "&lt;img src=x onerror=__mm(17)&gt;",
        '<object data="javascript:__mm(18)"></object>',
        '<base href="javascript:__mm(19)//">',
        '<meta http-equiv=refresh content="0;url=javascript:__mm(20)">',
        # links
        "javascript:__mm(21)",
        " JaVaScRiPt:__mm(22)",
        "jav&#x09;ascript:__mm(23)",
        "[click](javascript:__mm(24))",
        '<a href="javascript:__mm(25)">click</a>',
        "data:text/html,<script>__mm(26)</script>",
        # breaking out of attributes, strings, elements
        '"><img src=x onerror=__mm(27)>',
        "'><img src=x onerror=__mm(28)>",
        '" onmouseover="__mm(29)',
        "' onmouseover='__mm(30)",
        "</script><script>__mm(31)</script>",
        "</style><img src=x onerror=__mm(32)>",
        "</textarea><img src=x onerror=__mm(33)>",
        "</title><img src=x onerror=__mm(34)>",
        '"; __mm(35); //',
        "'); __mm(36); //",
        '"}]});__mm(37);//',
        '\\"; __mm(38); //',
        "\u2028__mm(39)\u2029",
        # templates of every kind
        "{{7*7}} {{ 'MM' ~ 'EVAL' }}",
        f"{{{{ cycler.__init__.__globals__.os.mkdir('{s}') }}}}",
        "{% raw %}x",
        "{% endraw %}",
        "{# unclosed comment",
        "{%- if true %}MM{{ 'EV' }}AL{% endif %}",
        "${__mm(46)}",
        "`${__mm(47)}`",
        "{{constructor.constructor('__mm(48)')()}}",
        "#{7*7} <%= 7*7 %>",
        # spreadsheet formulas
        "=1+1",
        '=HYPERLINK("http://x.invalid","y")',
        "+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "\t=1+1",
        "\r=1+1",
        "=cmd|' /C notepad'!'A1'",
        # terminal and display control
        "\x1b[2J\x1b[31mred",
        "\x1b]0;window title\x07",
        "back\x08\x08space",
        "\u202eexe.pdf",
        "\u2066isolate\u2069",
        "zero\u200bwidth",
        # Markdown
        "![x](http://x.invalid/y.png)",
        "| a | b |",
        "# heading *bold* _em_",
        # names that are paths
        "../../outside",
        "/absolute/path",
        "index",
        "build",
        "CON",
        "a/b\\c",
        # text that is fine but unusual
        "Ω≈ç√ 𝕏 حقل ألغام 🙂",
        "null",
        "'; DROP TABLE records; --",
        "x" * 100_000,
    ]


def names(strings: list[str]) -> list[str]:
    """Strings a project accepts as layer names (no control or directional characters)."""
    return [t for t in strings if t.strip() and not (set(t) & _CONTROL) and len(t) < 1000]


def _rows(kind: str) -> list[dict[str, str]]:
    with (files("layers") / "data" / f"{kind}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def free_text_fields(kind: str) -> list[str]:
    """The free-text fields of a layer kind."""
    return [f.name for f in schema(kind).fields if f.type == "string" and f.name not in STRUCTURAL]


def write_project(folder: Path, strings: list[str]) -> Path:
    """Write a project whose layers carry every string in every free-text field; return its path.

    Each layer has one accepted row per string (a default record with every
    free-text field set to it) and one row per string whose ``place`` is the
    string and no unit code (rejected: no unit has that name). The ``source`` column is
    renamed to a hostile column name and mapped back; two unmapped columns
    have hostile names too.
    """
    folder.mkdir(parents=True, exist_ok=True)
    layer_names = names(strings)
    column = "=cmd|' /C calc'!A0 <img src=x onerror=__mm(90)> {{7*7}}"
    extras = ["<svg onload=__mm(91)>", "\x1b[2J{{ 'MM' ~ 'EVAL' }}"]
    toml = [f"title = {json.dumps('Project ' + strings[1] + strings[40])}", ""]
    for k, kind in enumerate(KINDS):
        base = [r for r in _rows(kind) if r["unit_level"] != "grouping" or kind == "clearance"]
        if kind == "clearance":
            base = [
                r for r in base if r["unit_level"] == "grouping" and r["measure"] == "planned_area"
            ]
        rows = []
        for i, text in enumerate(strings):
            row = dict(base[i % len(base)])
            row["record_id"] = f"H{k}-{i}"
            for field in free_text_fields(kind):
                row[field] = text
            if kind == "clearance":
                row["date_end"] = ""  # the period label then comes from the free-text as_of
            rows.append(row)
            rejected = dict(row, record_id=f"H{k}-{i}-place", place=text, unit_code="")
            if "lookup_name" in rejected:
                rejected["lookup_name"] = text
            rows.append(rejected)
        header = [column if c == "source" else c for c in rows[0]] + extras
        path = folder / f"{kind}.csv"
        with path.open("w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(header)
            for row in rows:
                writer.writerow(
                    [*row.values(), *(strings[(k + j) % len(strings)] for j in range(2))]
                )
        name = layer_names[(7 * k) % len(layer_names)]
        title = strings[(5 * k + 2) % len(strings)]
        toml += [
            "[[layers]]",
            f"name = {json.dumps(name)}",
            f'kind = "{kind}"',
            f'path = "{kind}.csv"',
            f"columns = {{ source = {json.dumps(column)} }}",
            "",
            "[[maps]]",
            f"layer = {json.dumps(name)}",
            f"title = {json.dumps(title)}",
            "",
        ]
    project = folder / "project.toml"
    project.write_text("\n".join(toml), encoding="utf-8")
    return project
