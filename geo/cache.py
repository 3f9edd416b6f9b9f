"""A disk cache for geometry derived from the embedded data, keyed by what it was made from.

Some results take a second or more to compute and never change for the same
inputs: the world's countries simplified together for a map background is the
example. :func:`cached_geometries` keeps them in a folder as WKB (exact: the
same coordinates, bit for bit, as computing them again), under a name made from
a SHA-256 of everything they depend on — the bytes of the data file, the
parameters, and the shapely and GEOS versions — so a change of any of them
computes afresh. Nothing else is trusted from the folder: a file that cannot be
read, or holds the wrong number of geometries, is computed again and replaced.

The folder is ``$MINEMAP_CACHE_DIR``, else ``$XDG_CACHE_HOME/minemap``, else
``~/.cache/minemap``. ``MINEMAP_CACHE_DIR=off`` turns caching off; a folder
that cannot be written is the same as off (the result is computed each time).
"""

from __future__ import annotations

import hashlib
import os
import struct
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path

import numpy as np
import shapely

__all__ = ["cache_dir", "cached_geometries", "file_digest"]

#: Bumped when the file layout changes.
_FORMAT = b"minemap-geometry-cache-1"


def cache_dir() -> Path | None:
    """Return the cache folder, or None when caching is off.

    Examples
    --------
    >>> saved = os.environ.get("MINEMAP_CACHE_DIR")
    >>> os.environ["MINEMAP_CACHE_DIR"] = "off"
    >>> cache_dir() is None
    True
    >>> _ = os.environ.pop("MINEMAP_CACHE_DIR") if saved is None else os.environ.update(
    ...     MINEMAP_CACHE_DIR=saved)
    """
    chosen = os.environ.get("MINEMAP_CACHE_DIR")
    if chosen is not None:
        return None if chosen.strip().lower() in ("", "off", "0", "no") else Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "minemap"


@cache
def file_digest(path) -> str:
    """Return the SHA-256 of a file's bytes (hex), once per path and process.

    ``path`` is a path or a package resource (:func:`importlib.resources.files`).
    """
    digest = hashlib.sha256()
    with (path if hasattr(path, "open") else Path(path)).open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _key(name: str, parts: tuple) -> str:
    text = repr((_FORMAT, name, shapely.__version__, shapely.geos_version_string, parts))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _dump(geoms: np.ndarray) -> bytes:
    wkb = shapely.to_wkb(geoms, output_dimension=2, flavor="iso")
    lengths = np.array([len(w) for w in wkb], dtype="<u8")
    return _FORMAT + struct.pack("<Q", len(wkb)) + lengths.tobytes() + b"".join(wkb)


def _load(data: bytes, count: int) -> np.ndarray | None:
    head = len(_FORMAT) + 8
    if not data.startswith(_FORMAT) or len(data) < head:
        return None
    (n,) = struct.unpack("<Q", data[len(_FORMAT) : head])
    if n != count or len(data) < head + 8 * n:
        return None
    lengths = np.frombuffer(data, dtype="<u8", count=n, offset=head)
    ends = head + 8 * n + np.cumsum(lengths, dtype=np.int64)
    if n and ends[-1] != len(data):
        return None
    starts = np.concatenate([[head + 8 * n], ends[:-1]]).astype(np.int64)
    wkb = [data[s:e] for s, e in zip(starts.tolist(), ends.tolist(), strict=True)]
    return shapely.from_wkb(np.asarray(wkb, dtype=object))


def cached_geometries(
    name: str, parts: tuple, count: int, compute: Callable[[], np.ndarray]
) -> np.ndarray:
    """Return ``compute()`` (``count`` geometries), from the cache when it holds them.

    ``parts`` is everything the result depends on besides the shapely and GEOS
    versions (e.g. :func:`file_digest` of the data file, a tolerance); it must
    have a stable ``repr``.

    Examples
    --------
    >>> import tempfile
    >>> saved = os.environ.get("MINEMAP_CACHE_DIR")
    >>> os.environ["MINEMAP_CACHE_DIR"] = tempfile.mkdtemp()
    >>> calls = []
    >>> def square():
    ...     calls.append(1)
    ...     return np.array([shapely.box(0, 0, 1, 1)])
    >>> first = cached_geometries("square", (1,), 1, square)
    >>> again = cached_geometries("square", (1,), 1, square)
    >>> len(calls), bool(shapely.equals_exact(first, again, tolerance=0).all())
    (1, True)
    >>> _ = os.environ.pop("MINEMAP_CACHE_DIR") if saved is None else os.environ.update(
    ...     MINEMAP_CACHE_DIR=saved)
    """
    folder = cache_dir()
    path = folder / f"{name}-{_key(name, parts)}.wkb" if folder is not None else None
    if path is not None:
        try:
            found = _load(path.read_bytes(), count)
        except (OSError, shapely.errors.GEOSException, ValueError):
            found = None
        if found is not None:
            return found
    geoms = np.asarray(compute(), dtype=object)
    if path is not None and len(geoms) == count:
        _store(path, _dump(geoms))
    return geoms


def _store(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` at once (a reader never sees half a file); skip on failure."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".wkb")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        return
