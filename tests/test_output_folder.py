"""A build's output folder is written whole or not at all, and holds only that build's files."""

from __future__ import annotations

import errno
import hashlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from geo.errors import OutputError
from maps.cli import main
from maps.output import OutputFolder
from tests._paths import ROOT as REPO

EXAMPLE = REPO / "notebooks" / "example_project" / "project.toml"


def _snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A default build, and its files' digests."""
    out = tmp_path_factory.mktemp("built") / "out"
    assert main(["build", "--out", str(out)]) == 0
    return out, _snapshot(out)


def test_a_killed_rebuild_leaves_the_previous_output_intact(built, tmp_path):
    first, digests = built
    out = tmp_path / "out"
    os.rename(first, out)  # the module's build, moved here so other tests keep theirs
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "maps.cli", "build", "--out", str(out)],
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        staged: list[Path] = []
        # Wait (on the condition, bounded) until the rebuild has written some maps.
        for _ in range(6000):
            staged = [p for d in tmp_path.glob(".out.building-*") for p in d.rglob("*.html")]
            if len(staged) >= 2 or proc.poll() is not None:
                break
            time.sleep(0.02)
        assert proc.poll() is None, "the rebuild ended before it could be killed"
        assert len(staged) >= 2
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert _snapshot(out) == digests
        # The next build clears what the killed one left, and replaces the output.
        assert main(["build", "--out", str(out)]) == 0
        assert not list(tmp_path.glob(".out.*"))
        assert _snapshot(out) == digests  # the same inputs give the same bytes
    finally:
        os.rename(out, first)


def test_two_projects_built_in_turn_leave_only_the_second_ones_files(built, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["build", "--out", str(out)]) == 0
    assert set(_snapshot(out)) == set(built[1])
    assert main(["build", str(EXAMPLE), "--out", str(out)]) == 0
    example_files = set(_snapshot(out))
    assert "contamination.html" in example_files
    # The default build's other maps and tables are gone, not left beside the example's.
    assert not {"clearance.html", "stockpiles.html", "summaries/clearance_by_district.csv"} & (
        example_files
    )
    manifest = (out / "build.json").read_text(encoding="utf-8")
    assert '"project": "project.toml"' in manifest


def test_a_folder_of_other_files_is_refused_and_left_alone(tmp_path, capsys):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    assert main(["build", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "holds files that minemap did not write (e.g. 'notes.txt')" in err
    assert "Fix: pass a new or empty folder, or remove those files" in err
    assert [p.name for p in out.iterdir()] == ["notes.txt"]


def test_the_current_folder_is_refused(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["build", "--out", "."]) == 2
    assert "is the current folder or one above it" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_a_full_disk_is_a_clear_error_and_the_previous_output_stays(built, monkeypatch, capsys):
    out, digests = built
    real = Path.write_text
    calls = []

    def full(self, *args, **kwargs):
        calls.append(self)
        if len(calls) == 5:
            raise OSError(errno.ENOSPC, "No space left on device", str(self))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", full)
    assert main(["build", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "the disk is full. Fix: free some space, or pass --out on another disk" in err
    assert _snapshot(out) == digests
    assert not list(out.parent.glob(".out.*"))


def test_a_read_only_folder_is_a_clear_error(tmp_path, monkeypatch, capsys):
    def denied(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(tmp_path))

    monkeypatch.setattr(tempfile, "mkdtemp", denied)
    assert main(["build", "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "permission denied (the folder is read-only). Fix: pass --out in a folder" in err


def test_a_swap_cut_short_is_put_back_by_the_next_build(tmp_path):
    previous = tmp_path / ".out.previous"
    previous.mkdir()
    (previous / "build.json").write_text('{"generator": "minemap"}', encoding="utf-8")
    folder = OutputFolder(tmp_path / "out")
    assert (tmp_path / "out" / "build.json").exists()  # restored before anything else
    folder.write("a.txt", "x")
    folder.commit()
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["a.txt"]
    assert not previous.exists()


@pytest.mark.parametrize("name", ["../x", "/abs", "a/../../b", ""])
def test_output_names_stay_inside_the_folder(tmp_path, name):
    folder = OutputFolder(tmp_path / "out")
    with pytest.raises(ValueError, match="output names are relative paths inside the folder"):
        folder.write(name, "x")
    folder.abort()


def test_a_file_given_as_out_is_refused(tmp_path):
    (tmp_path / "out").write_text("x", encoding="utf-8")
    with pytest.raises(OutputError, match="is a file, not a folder"):
        OutputFolder(tmp_path / "out")


def test_the_output_folder_has_the_permissions_of_any_new_folder(tmp_path):
    folder = OutputFolder(tmp_path / "out")
    folder.write("a.txt", "x")
    folder.commit()
    (tmp_path / "plain").mkdir()
    assert (tmp_path / "out").stat().st_mode == (tmp_path / "plain").stat().st_mode
