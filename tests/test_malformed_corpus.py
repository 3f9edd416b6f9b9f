"""Every malformed input of tests/malformed.py reaches the user as a message, never a traceback.

Each case runs through the command line, ``maps.cli.main``, in this process:
``minemap check FILE`` for a layer file, ``minemap check --project`` and
``minemap build`` for a project. A run is bounded in time (SIGALRM; faulthandler
ends the process if a C call does not return) and in the growth of the process's
peak memory. For each run: nothing escapes ``main`` and no "Traceback" is
printed; the exit status is 0, 1 or 2 as the README says; a status of 2 comes
with a message naming the file; where a file was read, rows in = accepted +
rejected and the rejects file holds one (file, row) per rejected row; no Python
warning reaches the user (a terminal would show its source file and line).
"""

from __future__ import annotations

import csv
import faulthandler
import re
import resource
import signal
import sys
import traceback
import warnings
from dataclasses import dataclass
from pathlib import Path

import pytest

from layers.project import ProjectError, load_project
from maps.cli import main
from tests.malformed import CASES, Case

SECONDS = 60  # a run still going after this long is stopped, and fails
MEMORY_MB = 768  # how much a run may raise the process's peak memory
_ROWS = re.compile(r"^(.*) \((\w+)\): (\d+) rows read, (\d+) accepted, (\d+) rejected$", re.M)
_BUILD_REJECTS = re.compile(r"minemap: (\d+) input row\(s\) rejected")
_HIDDEN = (DeprecationWarning, PendingDeprecationWarning, ImportWarning, ResourceWarning)


class _Timeout(BaseException):
    """A run went on longer than SECONDS."""


def _alarm(signum, frame):
    raise _Timeout(f"still running after {SECONDS} s")


@dataclass
class Run:
    """What one command did: status, output, an escaped exception, warnings, memory."""

    argv: list[str]
    status: object
    out: str
    err: str
    crash: str | None
    warned: list[str]
    grew_mb: float

    @property
    def text(self) -> str:
        return self.out + self.err


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_cli(argv: list[str], capsys) -> Run:
    """Run ``minemap ARGV`` in this process, bounded in time; never raise."""
    capsys.readouterr()
    before, crash, status = _peak_mb(), None, None
    previous = signal.signal(signal.SIGALRM, _alarm)
    faulthandler.dump_traceback_later(SECONDS * 2, exit=True, file=sys.__stderr__)
    signal.alarm(SECONDS)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("default")  # as a user's terminal shows them
        try:
            status = main(argv)
        except SystemExit as exit:
            status = exit.code
        except KeyboardInterrupt:
            raise
        except BaseException:  # anything at all: it would reach the user as a traceback
            crash = traceback.format_exc()
        finally:
            signal.alarm(0)
            faulthandler.cancel_dump_traceback_later()
            signal.signal(signal.SIGALRM, previous)
    out, err = capsys.readouterr()
    warned = [f"{w.category.__name__}: {w.message} ({Path(w.filename).name}:{w.lineno})"
              for w in caught if not issubclass(w.category, _HIDDEN)]  # fmt: skip
    return Run(argv, status, out, err, crash, warned, _peak_mb() - before)


def _tail(text: str, lines: int = 12) -> str:
    return "\n".join(text.rstrip().splitlines()[-lines:])


def _files_named(case: Case, folder: Path, target: Path) -> set[str]:
    names = {target.name, *(p.name for p in folder.iterdir())}
    return names | {Path(o).name for o in case.options if o.startswith("{dir}")}


def _rejected_rows(path: Path) -> dict[str, set[str]]:
    """(file -> rows) in a rejects file."""
    csv.field_size_limit(sys.maxsize)
    found: dict[str, set[str]] = {}
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            found.setdefault(row["file"], set()).add(row["row"])
    return found


def assert_handled(run: Run, case: Case, names: set[str], statuses: tuple[int, ...]) -> None:
    """The checks every run must pass, whatever the input."""
    where = f"minemap {' '.join(run.argv)}"
    if run.crash:
        pytest.fail(f"{where}: an exception escaped main():\n{_tail(run.crash)}", pytrace=False)
    assert "Traceback" not in run.text, f"{where} printed a traceback:\n{_tail(run.text, 30)}"
    assert run.status in statuses, f"{where}: exit status {run.status!r}\n{_tail(run.text)}"
    if run.status == 2:
        assert any(n in run.text for n in names), f"{where}: exit 2 names no file:\n{run.text}"
    if case.expect:
        assert re.search(case.expect, run.text), f"{where}: no {case.expect!r} in:\n{run.text}"
    assert run.grew_mb < MEMORY_MB, f"{where}: peak memory grew {run.grew_mb:.0f} MB"
    assert not run.warned, f"{where}: warnings reached the user: {run.warned}"


def assert_counts(run: Run, rejects: Path) -> int:
    """Rows in = accepted + rejected, as printed and in the rejects file; return rows rejected.

    Two layers may read one file: the rows rejected are the distinct (file, row) pairs.
    """
    lines = _ROWS.findall(run.out)
    if run.status in (0, 1):
        assert lines, f"a status of {run.status} but no file read:\n{run.out}"
    if not lines:
        return 0
    assert rejects.exists(), f"no rejects file written:\n{run.out}"
    found = _rejected_rows(rejects)
    for path, _kind, n, accepted, rejected in lines:
        assert int(n) == int(accepted) + int(rejected), f"{path}: rows in != accepted + rejected"
        rows = {
            (f, r) for f, rs in found.items() for r in rs if f == path or f.startswith(path + ",")
        }
        assert len(rows) == int(rejected), f"{path}: {rejected} rejected, {len(rows)} in {rejects}"
    total = sum(len(rows) for rows in found.values())
    assert (run.status == 1) == (total > 0) or run.status == 2, (
        f"status {run.status}, {total} rejected"
    )
    return total


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_malformed_input_is_a_message_not_a_traceback(case, tmp_path, capsys):
    folder = tmp_path / "case"
    folder.mkdir()
    target = case.build(folder)
    names, rejects = _files_named(case, folder, target), tmp_path / "r.csv"
    if case.project:
        argv = ["check", "--project", str(target)]
    else:
        argv = ["check", str(target), "--kind", case.kind, "--country", "UKR"]
        argv += [o.format(dir=folder) for o in case.options]
    check = run_cli([*argv, "--rejects", str(rejects)], capsys)
    assert_handled(check, case, names, (0, 1, 2))
    rejected = assert_counts(check, rejects)
    if not case.project:
        return
    before = set(tmp_path.rglob("*"))
    out = tmp_path / "out"
    build = run_cli(["build", str(target), "--out", str(out)], capsys)
    assert_handled(build, case, names, (0, 2))
    assert (build.status == 2) == (check.status == 2), f"check {check.status}, build {build.status}"
    outside = {p for p in tmp_path.rglob("*") if out not in (p, *p.parents)} - before
    assert not outside, f"the build wrote outside its folder: {sorted(map(str, outside))}"
    if build.status == 0:
        said = _BUILD_REJECTS.search(build.err)
        assert (out / "rejects.csv").exists() and said, build.err
        assert int(said.group(1)) == rejected, f"build rejected {said.group(1)}, check {rejected}"


@pytest.mark.parametrize("case", [c for c in CASES if c.project], ids=lambda c: c.name)
def test_a_project_file_is_loaded_or_refused_with_a_project_error(case, tmp_path):
    folder = tmp_path / "case"
    folder.mkdir()
    try:
        load_project(case.build(folder))
        return
    except ProjectError as err:
        error = err
    assert str(error) == f"{error.file}: {error.key}: {error.reason}. Fix: {error.fix}"
    assert error.file.endswith("p.toml") and error.key and error.reason and error.fix


def test_the_corpus_has_80_cases_or_more_with_distinct_names():
    names = [c.name for c in CASES]
    assert len(names) >= 80 and len(set(names)) == len(names)
    assert sum(c.project for c in CASES) >= 30 and sum(not c.project for c in CASES) >= 80
