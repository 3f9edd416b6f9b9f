"""The output folder of a build, written whole or not at all.

A build writes into a staging folder beside ``--out`` and swaps it in at the
end, so a build that fails or is killed leaves the previous output as it was,
and no file of a previous build survives a new one. ``--out`` must be a new
or empty folder, or one that minemap wrote (it has minemap's ``build.json``):
a folder of other files is refused rather than replaced.

The swap is two renames (previous output aside, new output in place); a
build killed between them leaves the previous output as
``.<name>.previous`` beside ``--out``, which the next build puts back first.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import tempfile
from pathlib import Path

from geo.errors import OutputError
from maps.safetext import terminal_text

__all__ = ["GENERATOR", "OutputFolder", "write_whole"]

#: The ``generator`` of every ``build.json`` minemap writes.
GENERATOR = "minemap"


def _is_minemap_output(folder: Path) -> bool:
    """Whether ``folder`` holds a ``build.json`` that minemap wrote."""
    try:
        manifest = json.loads((folder / "build.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(manifest, dict) and (
        manifest.get("generator") == GENERATOR or {"boundaries", "layers", "maps"} <= set(manifest)
    )


def _describe(err: OSError, what: str, option: str = "--out") -> OutputError:
    """Turn an OSError met while ``what`` into an OutputError with the fix for its cause."""
    if err.errno == errno.ENOSPC:
        reason, fix = "the disk is full", f"free some space, or pass {option} on another disk"
    elif err.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        reason, fix = (
            "permission denied (the folder is read-only)",
            f"pass {option} in a folder you can write to",
        )
    else:
        reason, fix = err.strerror or str(err), f"check that the folder {option} names exists"
    where = terminal_text(err.filename) if err.filename else what
    return OutputError(f"cannot write the output while {what} ({where}): {reason}. Fix: {fix}")


def write_whole(path: str | Path, text: str, *, option: str) -> None:
    """Write one UTF-8 file (LF line ends) whole or not at all, beside nothing else.

    Written as ``.<name>.partial`` and renamed over ``path``; an OSError (disk
    full, read-only folder) becomes an OutputError whose fix names ``option``.
    """
    target = Path(path)
    partial = target.with_name(f".{target.name}.partial")
    try:
        partial.write_text(text, encoding="utf-8", newline="\n")
        os.replace(partial, target)
    except OSError as err:
        partial.unlink(missing_ok=True)
        raise _describe(err, f"writing {target.name}", option) from None


class OutputFolder:
    """A staging folder beside ``out`` that becomes ``out`` when :meth:`commit` is called.

    Parameters
    ----------
    out : str or pathlib.Path
        The folder the build is for.

    Raises
    ------
    geo.errors.OutputError
        When ``out`` is a file, the current folder or one above it, holds files
        minemap did not write, or its parent cannot be written.
    """

    def __init__(self, out: str | Path) -> None:
        self.out = Path(out)
        target = self.out.resolve()
        shown = terminal_text(self.out)
        if (
            target == Path(target.anchor)
            or target in Path.cwd().resolve().parents
            or (target == Path.cwd().resolve())
        ):
            raise OutputError(
                f"--out {shown!r} is the current folder or one above it; a build replaces its "
                "output folder whole. Fix: pass a folder of its own, e.g. --out out"
            )
        self._previous = target.parent / f".{target.name}.previous"
        if not target.exists() and self._previous.is_dir():
            os.rename(self._previous, target)  # a swap that was cut short: put it back
        if target.exists() and not target.is_dir():
            raise OutputError(f"--out {shown!r} is a file, not a folder. Fix: pass a folder")
        if target.is_dir() and any(target.iterdir()) and not _is_minemap_output(target):
            first = terminal_text(sorted(p.name for p in target.iterdir())[0])
            raise OutputError(
                f"--out {shown!r} holds files that minemap did not write (e.g. {first!r}) and no "
                "build.json of minemap's; a build replaces its output folder whole. "
                "Fix: pass a new or empty folder, or remove those files"
            )
        self.target = target
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            for stale in target.parent.glob(f".{target.name}.building-*"):
                shutil.rmtree(stale, ignore_errors=True)  # left by a killed build
            self.staging = Path(
                tempfile.mkdtemp(prefix=f".{target.name}.building-", dir=target.parent)
            )
            # mkdtemp makes the folder private (0700); the output is a folder like any
            # other the user makes, readable as the umask allows (a web server, say).
            umask = os.umask(0)
            os.umask(umask)
            self.staging.chmod(0o777 & ~umask)
        except OSError as err:
            raise _describe(err, "creating the staging folder") from None

    def path(self, name: str) -> Path:
        """Where output ``name`` (a relative path of plain parts) is written during the build."""
        relative = Path(name)
        if relative.is_absolute() or ".." in relative.parts or not relative.parts:
            raise ValueError(f"output names are relative paths inside the folder, got {name!r}")
        return self.staging / relative

    def write(self, name: str, text: str) -> Path:
        """Write one UTF-8 text file (LF line ends); return its final path in ``out``."""
        path = self.path(name)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
        except OSError as err:
            self.abort()
            raise _describe(err, f"writing {name}") from None
        return self.target / name

    def write_with(self, name: str, writer) -> Path:
        """Write one file by calling ``writer(path)``; return its final path in ``out``."""
        path = self.path(name)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            writer(path)
        except OSError as err:
            self.abort()
            raise _describe(err, f"writing {name}") from None
        return self.target / name

    def commit(self) -> None:
        """Replace ``out`` by what was written; the previous output is removed."""
        try:
            if self.target.exists():
                os.rename(self.target, self._previous)
            os.rename(self.staging, self.target)
        except OSError as err:
            if self._previous.is_dir() and not self.target.exists():
                os.rename(self._previous, self.target)
            self.abort()
            raise _describe(err, "moving the new output into place") from None
        shutil.rmtree(self._previous, ignore_errors=True)

    def abort(self) -> None:
        """Remove the staging folder; ``out`` stays as it was."""
        shutil.rmtree(self.staging, ignore_errors=True)
