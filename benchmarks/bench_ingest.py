"""Benchmark ingesting an ACLED export: ``minemap check`` and ``minemap build`` of N event rows.

Run (minemap installed, e.g. ``pip install -e .``)::

    python benchmarks/bench_ingest.py [--rows N ...] [--repeat K] [--out DIR] [--json FILE]
                                      [--columns FIELD=COLUMN ...] [--set FIELD=VALUE ...]

For each N (default 1,000,000) it writes ``acled.csv``, N synthetic events in
the columns and order of an ACLED export (explosions/remote violence in ten
Ukrainian oblasts, 2022-2024, each point drawn uniformly inside its oblast's
embedded admin-1 polygon), and a project naming it as an incidents layer. It
then runs ``minemap check --project`` and ``minemap build`` of that project,
each as a child process measured with ``os.wait4`` through the launcher of
``bench_build.py`` (CPU seconds user + system, wall seconds, peak RSS of the
child alone), ``--repeat`` times, and prints per command the median CPU and
wall seconds, rows per CPU second and per wall second, the largest peak RSS,
and how many rows the command read, accepted and rejected (from the output of
``minemap check``, from ``build.json`` of the build). The same N always gives
the same file. ``--columns`` and ``--set`` add a column mapping and constants to
the project, for a minemap that does not recognise ACLED exports by itself.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import shapely
from bench_build import minemap_command, run_child, source_version, table
from machine import cpu_model, package_versions, usable_cores

import geo

SEED = 20221224
PACKAGES = ("minemap", "pandas", "pyarrow", "numpy", "shapely", "geopandas")
PROJECT = """\
title = "ACLED ingest benchmark"
[[layers]]
name = "events"
kind = "incidents"
path = "acled.csv"
"""

#: The columns of an ACLED export, in its order.
COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
)  # fmt: skip

#: ACLED's name of each oblast, its embedded admin-1 code, its share of the rows, and two
#: (admin2, admin3, location) of it for the text columns (the point does not follow them).
OBLASTS = {
    "Donetsk": ("UA-14", 0.30, [("Kramatorskyi", "Kramatorska", "Kramatorsk"),
                                ("Pokrovskyi", "Pokrovska", "Pokrovsk")]),
    "Kharkiv": ("UA-63", 0.15, [("Kharkivskyi", "Kharkivska", "Kharkiv"),
                                ("Kupianskyi", "Kupianska", "Kupiansk")]),
    "Zaporizhia": ("UA-23", 0.13, [("Zaporizkyi", "Zaporizka", "Zaporizhia"),
                                   ("Polohivskyi", "Orikhivska", "Orikhiv")]),
    "Kherson": ("UA-65", 0.12, [("Khersonskyi", "Khersonska", "Kherson"),
                                ("Beryslavskyi", "Beryslavska", "Beryslav")]),
    "Mykolaiv": ("UA-48", 0.04, [("Mykolaivskyi", "Mykolaivska", "Mykolaiv"),
                                 ("Bashtanskyi", "Snihurivska", "Snihurivka")]),
    "Luhansk": ("UA-09", 0.07, [("Sievierodonetskyi", "Sievierodonetska", "Sievierodonetsk"),
                                ("Svativskyi", "Svativska", "Svatove")]),
    "Sumy": ("UA-59", 0.08, [("Sumskyi", "Sumska", "Sumy"),
                             ("Shostkynskyi", "Seredyno-Budska", "Seredyna-Buda")]),
    "Chernihiv": ("UA-74", 0.03, [("Chernihivskyi", "Chernihivska", "Chernihiv"),
                                  ("Novhorod-Siverskyi", "Semenivska", "Semenivka")]),
    "Dnipropetrovsk": ("UA-12", 0.06, [("Nikopolskyi", "Nikopolska", "Nikopol"),
                                       ("Nikopolskyi", "Marhanetska", "Marhanets")]),
    "Kyiv": ("UA-32", 0.02, [("Buchanskyi", "Buchanska", "Bucha"),
                             ("Vyshhorodskyi", "Ivankivska", "Ivankiv")]),
}  # fmt: skip

SUB_EVENTS = ["Remote explosive/landmine/IED", "Shelling/artillery/missile attack"]
#: actor1 and its inter1 code; actor2 and its inter2 code.
ACTORS1 = [("Military Forces of Russia (2000-)", "State forces"),
           ("Unidentified Armed Group (Ukraine)", "Political militia")]  # fmt: skip
ACTORS2 = [("Civilians (Ukraine)", "Civilians"),
           ("Military Forces of Ukraine (2019-)", "State forces")]  # fmt: skip
#: The first words of the notes, by sub-event type; the last, by fatalities.
ACTIONS = [" a landmine detonated near ", " Russian forces shelled "]
CASUALTIES = ["No casualties reported.", "1 killed.", "2 killed.", "3 killed."]


def _take(values: list[str], index: np.ndarray) -> pa.Array:
    """A string column: ``values[index]`` for each row, without Python objects per row."""
    return pc.take(pa.array(values, pa.string()), pa.array(index))


def _points(geom, n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """``n`` points uniform (in degrees) inside ``geom``, 4 decimals as ACLED writes them.

    Rejection sampling in the bounding box; the test is on the rounded coordinates, so
    every point written lies inside the polygon.
    """
    shapely.prepare(geom)
    x0, y0, x1, y1 = geom.bounds
    xs, ys, have = [], [], 0
    while have < n:
        m = int((n - have) * 2.5) + 64
        x = np.round(rng.uniform(x0, x1, m), 4)
        y = np.round(rng.uniform(y0, y1, m), 4)
        inside = shapely.contains_xy(geom, x, y)
        xs.append(x[inside])
        ys.append(y[inside])
        have += int(inside.sum())
    return np.concatenate(xs)[:n], np.concatenate(ys)[:n]


def acled_table(n: int, seed: int = SEED) -> pa.Table:
    """``n`` ACLED-shaped rows of explosions in Ukraine, the same for the same ``n`` and seed."""
    rng = np.random.default_rng(seed)
    names = list(OBLASTS)
    units = geo.admin1().set_index("code").geometry
    oblast = rng.choice(len(names), n, p=[OBLASTS[k][1] for k in names])
    lat, lon = np.empty(n), np.empty(n)
    for i, name in enumerate(names):
        rows = np.flatnonzero(oblast == i)
        lon[rows], lat[rows] = _points(units[OBLASTS[name][0]], len(rows), rng)
    place = oblast * 2 + rng.integers(0, 2, n)  # one of the two places of the oblast
    places = [p for k in names for p in OBLASTS[k][2]]
    day = np.datetime64("2022-01-01") + rng.integers(0, 1096, n).astype("timedelta64[D]")
    date = pc.cast(pa.array(day), pa.string())
    sub = (rng.random(n) < 0.2).astype(np.int8)  # 80 % landmine/IED, 20 % shelling
    a1 = (rng.random(n) < 0.1).astype(np.int8)
    a2 = (rng.random(n) < 0.4).astype(np.int8)
    fatalities = rng.choice(4, n, p=[0.7, 0.15, 0.1, 0.05])
    epoch = day.astype("datetime64[s]").astype(np.int64)
    empty = pa.nulls(n, pa.string())
    admin1 = _take(names, oblast)
    location = _take([p[2] for p in places], place)
    # "On 2023-03-13, Russian forces shelled Kramatorsk (Donetsk). 1 killed."
    notes = ["On ", date, ",", _take(ACTIONS, sub), location, " (", admin1, "). "]
    notes.append(_take(CASUALTIES, fatalities))
    columns = {
        "event_id_cnty": pc.binary_join_element_wise(
            "UKR", pc.cast(pa.array(np.arange(1, n + 1) + 100_000), pa.string()), ""
        ),
        "event_date": date,
        "year": day.astype("datetime64[Y]").astype(np.int64) + 1970,
        "time_precision": rng.choice([1, 2, 3], n, p=[0.8, 0.15, 0.05]),
        "disorder_type": _take(["Political violence"], np.zeros(n, np.int8)),
        "event_type": _take(["Explosions/Remote violence"], np.zeros(n, np.int8)),
        "sub_event_type": _take(SUB_EVENTS, sub),
        "actor1": _take([a for a, _ in ACTORS1], a1),
        "assoc_actor_1": empty,
        "inter1": _take([i for _, i in ACTORS1], a1),
        "actor2": _take([a for a, _ in ACTORS2], a2),
        "assoc_actor_2": empty,
        "inter2": _take([i for _, i in ACTORS2], a2),
        "interaction": _take([f"{i}-{j}" for _, i in ACTORS1 for _, j in ACTORS2], a1 * 2 + a2),
        "civilian_targeting": _take(["Civilian targeting", ""], a2),
        "iso": np.full(n, 804),
        "region": _take(["Europe"], np.zeros(n, np.int8)),
        "country": _take(["Ukraine"], np.zeros(n, np.int8)),
        "admin1": admin1,
        "admin2": _take([p[0] for p in places], place),
        "admin3": _take([p[1] for p in places], place),
        "location": location,
        "latitude": lat,
        "longitude": lon,
        "geo_precision": rng.choice([1, 2, 3], n, p=[0.6, 0.3, 0.1]),
        "source": _take(["Ukrainska Pravda"], np.zeros(n, np.int8)),
        "source_scale": _take(["National"], np.zeros(n, np.int8)),
        "notes": pc.binary_join_element_wise(*notes, ""),
        "fatalities": fatalities,
        "tags": empty,
        # Uploaded 1-14 days after the event, at some second of the day.
        "timestamp": epoch + rng.integers(86_400, 15 * 86_400, n),
    }
    return pa.table([pa.array(columns[c]) for c in COLUMNS], names=list(COLUMNS))


def write_acled(n: int, path: Path) -> float:
    """Write ``n`` rows to ``path`` as an ACLED export CSV; return the seconds it took."""
    start = time.perf_counter()
    options = pacsv.WriteOptions(quoting_style="needed")
    pacsv.write_csv(acled_table(n), path, write_options=options)
    return time.perf_counter() - start


# ``minemap check`` prints per file: "PATH (KIND): N rows read, A accepted, R rejected".
_CHECKED = re.compile(r"\((?P<kind>[\w-]+)\): (?P<read>\d+) rows read, (?P<accepted>\d+) "
                      r"accepted, (?P<rejected>\d+) rejected")  # fmt: skip
_REASON = re.compile(r"^\s+(\d+) x (.+)$")
_NOTE = re.compile(r"^\s+note: (.+)$")
_REFUSED = re.compile(r"could not be read: (.+)$|^minemap: error: (.+)$", re.MULTILINE)
_STATUS = re.compile(r"^\[bench_ingest\] exit status (-?\d+)$", re.MULTILINE)
#: Runs ``"$@"`` and appends its exit status to its output, exiting 0 itself: ``run_child``
#: treats any other status as a failure and exits, while ``minemap check`` exits 1 when it
#: rejects a row and both commands exit 2 when they refuse the file. ``os.wait4`` on the
#: shell counts the child it waited for (CPU adds up; peak RSS is the larger of the two),
#: and the shell itself adds about a millisecond and 2 MiB.
_WRAPPER = 'status=0; "$@" || status=$?; echo "[bench_ingest] exit status $status"'


def outcome(name: str, log: Path, out: Path) -> dict[str, object]:
    """Exit status, rows read, accepted and rejected, and reasons, of one run of ``name``.

    ``check``: from its output (and the reasons it lists); ``build``: from ``build.json``.
    A file refused outright (exit status 2) has no counts and its error instead. Any
    other status, or output without counts, ends the benchmark with the output.
    """
    text = log.read_text(encoding="utf-8", errors="replace")
    status = int(_STATUS.findall(text)[-1]) if _STATUS.search(text) else None
    found = _CHECKED.search(text)
    if status == 2 and (refused := _REFUSED.search(text)):
        return {"status": 2, "read": None, "accepted": None, "rejected": None,
                "error": (refused[1] or refused[2]).strip()}  # fmt: skip
    if name == "check" and status in (0, 1) and found:
        counts = {k: int(v) for k, v in found.groupdict().items() if k != "kind"}
        reasons = [f"{int(m[1]):>9,} x {m[2]}" for m in map(_REASON.match, text.splitlines())
                   if m]  # fmt: skip
        notes = [m[1] for m in map(_NOTE.match, text.splitlines()) if m]
        return {"status": status, **counts, "reasons": reasons, "notes": notes}
    if name == "build" and status == 0 and (out / "build.json").is_file():
        layer = json.loads((out / "build.json").read_text(encoding="utf-8"))["layers"]["events"]
        return {"status": 0, "read": layer["rows_read"], "accepted": layer["accepted"],
                "rejected": layer["rejected"]}  # fmt: skip
    sys.exit(f"minemap {name} failed (exit status {status}); its output ({log}):\n{text}")


def commands(i: int) -> dict[str, tuple[list[str], str]]:
    """Each command measured (run in the size's folder), and its output file or folder."""
    minemap = minemap_command()
    rejects, out = f"check-{i}-rejects.csv", f"build-{i}"
    return {
        "check": ([*minemap, "check", "--project", "project.toml", "--rejects", rejects], rejects),
        "build": ([*minemap, "build", "project.toml", "--out", out], out),
    }


def measure(n: int, folder: Path, repeat: int) -> list[dict[str, object]]:
    """Run check and build ``repeat`` times each on ``folder``'s project; their figures."""
    runs: dict[str, list] = {"check": [], "build": []}
    found: dict[str, dict] = {}
    for i in range(repeat):
        for name, (cmd, out) in commands(i).items():
            log = folder / f"{name}-{i}.log"
            print(
                f"minemap {name}, {n:,} rows, run {i + 1} of {repeat}", file=sys.stderr, flush=True
            )
            runs[name].append(run_child(["sh", "-c", _WRAPPER, "sh", *cmd], folder, log))
            found[name] = outcome(name, log, folder / out)
            if i < repeat - 1:  # keep the outputs of the last run only
                path = folder / out
                shutil.rmtree(path) if path.is_dir() else path.unlink(missing_ok=True)
    results = []
    for name, done in runs.items():
        cpu = statistics.median(r.cpu for r in done)
        wall = statistics.median(r.wall for r in done)
        results.append({
            "rows": n, "command": f"minemap {name}", "cpu_s": cpu, "wall_s": wall,
            "rows_per_cpu_s": n / cpu, "rows_per_wall_s": n / wall,
            "peak_rss_mib": max(r.rss for r in done),
            "cpu_s_runs": [r.cpu for r in done], "wall_s_runs": [r.wall for r in done],
            "rss_mib_runs": [r.rss for r in done], **found[name],
        })  # fmt: skip
    return results


def machine() -> dict[str, object]:
    """Date, machine, Python, package versions and minemap's source version."""
    return {
        "date": dt.datetime.now().astimezone().isoformat(timespec="minutes"),
        "source": source_version(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu": cpu_model(),
        "cores": usable_cores(),
        "versions": package_versions(PACKAGES),
    }


def _count(value: int | None) -> str:
    return "refused" if value is None else f"{value:,}"


def report(info: dict, written: list[str], results: list[dict], repeat: int) -> str:
    """The plain-text table of every size and command; check's notes and reasons for rejects."""
    versions = ", ".join(f"{k} {v}" for k, v in info["versions"].items())
    lines = [
        f"minemap ACLED ingest benchmark, {info['date']}",
        f"Python {info['python']} on {info['platform']}; {info['cpu']}; {info['cores']} cores",
        f"minemap source: {info['source']}; {versions}",
        f"CPU (user + sys) and wall: median of {repeat} run(s); peak RSS: largest of them "
        "(MiB = 2^20 bytes); rows: rows in the CSV",
        *written,
        "",
    ]
    rows = []
    for r in results:
        read = r["accepted"] is not None  # a refused file: no row was read
        rows.append([
            f"{r['rows']:,}", r["command"], f"{r['cpu_s']:.2f}", f"{r['wall_s']:.2f}",
            f"{r['rows_per_cpu_s']:,.0f}" if read else "-",
            f"{r['rows_per_wall_s']:,.0f}" if read else "-",
            f"{r['peak_rss_mib']:,.0f}", _count(r["accepted"]), _count(r["rejected"]),
        ])  # fmt: skip
    headers = ["rows", "command", "CPU s", "wall s", "rows/CPU s", "rows/wall s",
               "peak RSS MiB", "accepted", "rejected"]  # fmt: skip
    lines.append(table(headers, rows))
    for r in results:
        if r.get("error"):
            lines += ["", f"{r['command']} refused the file of {r['rows']:,} rows: {r['error']}"]
        if r.get("notes"):
            lines += ["", f"{r['command']}, {r['rows']:,} rows: notes"]
            lines += [f"  {note}" for note in r["notes"]]
        if r.get("reasons"):
            lines += ["", f"{r['command']}, {r['rows']:,} rows: rejected (field: reason)"]
            lines += r["reasons"]
    return "\n".join(lines)


_FIELD = re.compile(r"^[a-z_][a-z0-9_]*$")


def project_text(columns: list[str], constants: list[str]) -> str:
    """The project file: :data:`PROJECT`, with ``[layers.columns]`` and ``[layers.constants]``."""
    text = PROJECT
    for table_name, items in (("columns", columns), ("constants", constants)):
        pairs = [item.partition("=") for item in items]
        if bad := [f for f, sep, _ in pairs if not sep or not _FIELD.match(f.strip())]:
            sys.exit(f"--{'set' if table_name == 'constants' else 'columns'}: expected "
                     f"FIELD=VALUE, got {bad[0]!r}")  # fmt: skip
        if pairs:
            text += f"\n[layers.{table_name}]\n"
            # A JSON string is a TOML basic string.
            text += "".join(f"{f.strip()} = {json.dumps(v.strip())}\n" for f, _, v in pairs)
    return text


def main(argv: list[str] | None = None) -> int:
    """Write the files, run the commands, print the table; write ``--json``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add = parser.add_argument
    add(
        "--rows",
        type=int,
        nargs="+",
        default=[1_000_000],
        metavar="N",
        help="sizes to measure (default: 1000000)",
    )
    add("--repeat", type=int, default=1, metavar="K", help="runs of each command (default 1)")
    add(
        "--out",
        type=Path,
        default=None,
        metavar="DIR",
        help="keep the CSV files, projects, logs and outputs here "
        "(default: a temporary folder, deleted)",
    )
    add(
        "--json",
        type=Path,
        default=None,
        metavar="FILE",
        help="also write the figures of every run as JSON ('-': stdout)",
    )
    add(
        "--columns",
        action="append",
        default=[],
        metavar="FIELD=COLUMN",
        help="add to the project's [layers.columns], e.g. place=admin1 (repeatable)",
    )
    add(
        "--set",
        action="append",
        default=[],
        metavar="FIELD=VALUE",
        dest="constants",
        help="add to the project's [layers.constants], e.g. record_type=event (repeatable)",
    )
    args = parser.parse_args(argv)
    if args.repeat < 1 or min(args.rows) < 1:
        parser.error("--rows and --repeat must be at least 1")
    project = project_text(args.columns, args.constants)
    base = args.out or Path(tempfile.mkdtemp(prefix="minemap-ingest-"))
    info = machine()
    results, written = [], []
    try:
        for n in args.rows:
            folder = base / f"rows-{n}"
            folder.mkdir(parents=True, exist_ok=True)
            seconds = write_acled(n, folder / "acled.csv")
            (folder / "project.toml").write_text(project, encoding="utf-8")
            size = (folder / "acled.csv").stat().st_size / 2**20
            written.append(f"acled.csv of {n:,} rows: {size:,.1f} MiB, written in {seconds:.2f} s")
            print(written[-1], file=sys.stderr, flush=True)
            results += measure(n, folder, args.repeat)
    finally:
        if args.out is None:
            shutil.rmtree(base, ignore_errors=True)
    print(report(info, written, results, args.repeat))
    if args.json:
        figures = {"machine": info, "repeat": args.repeat, "project": project,
                   "results": results}  # fmt: skip
        text = json.dumps(figures, indent=1)
        if str(args.json) == "-":
            print(text)
        else:
            args.json.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
