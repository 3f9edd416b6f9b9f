"""Limits on what reading one file may cost, and guards against damaged or hostile files.

:class:`ReadLimits` bounds the size of a file, the rows of its table and what
its zip archive (an Excel workbook, a zipped shapefile, a KMZ) unpacks to.
:func:`zip_members` checks every member's name and declared size before
anything opens a member; :func:`verify_members` unpacks the members GDAL will
read, in bounded chunks, to check that their data is what their headers say.
:func:`guard` and :func:`gdal` turn whatever a library raises on a damaged
file into an error with a reason and a fix. All raise
:class:`layers.errors.TableError`; :mod:`layers.formats` names the file and
raises ``FileReadError``.
"""

from __future__ import annotations

import re
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from pathlib import Path

from geo.errors import MinemapError
from layers.errors import TableError

__all__ = [
    "RATIO_FLOOR",
    "ReadLimits",
    "check_file_size",
    "gdal",
    "guard",
    "limits_from",
    "too_many_rows",
    "verify_members",
    "zip_members",
]  # fmt: skip

#: Members that unpack to no more than this (1 MiB) are never refused for their ratio.
RATIO_FLOOR = 1 << 20
_GIB = 1 << 30
_CHUNK = 1 << 20


@dataclass(frozen=True)
class ReadLimits:
    """What reading one file may cost; a file over a limit is refused, never cut short.

    Parameters
    ----------
    max_file_bytes : int
        Size of the file on disk. 2 GiB by default: a national hazard
        GeoPackage or incident list is tens to hundreds of MB, and a CSV
        file is read whole, taking about three times its size in memory.
    max_rows : int
        Data rows of a table (CSV or sheet: the rows below its first row,
        blank rows included) or features of a vector layer. 5,000,000 by
        default: Excel holds at most 1,048,576 rows a sheet, mine-action
        tables have thousands to hundreds of thousands, and every cell is
        kept as text, so a table of 5 million rows already takes gigabytes.
        Reading stops at the first row past the limit.
    max_member_bytes : int
        Size a zip member unpacks to, as its header declares. 1 GiB by
        default: the sheet of a full Excel workbook (1,048,576 rows of about
        20 columns) unpacks to about that.
    max_total_uncompressed_bytes : int
        Size all members of a zip archive unpack to together. 2 GiB by
        default, as ``max_file_bytes``.
    max_ratio : float
        Size a zip member unpacks to over its compressed size. 100 by
        default: the XML of real workbooks and KML compresses 5 to 20 times,
        while zip bombs reach deflate's ceiling of about 1,000 times. Not
        applied to members that unpack to at most :data:`RATIO_FLOOR` (1 MiB,
        harmless whatever their ratio), nor to a shapefile's ``.dbf``: it pads
        every text value with spaces to its field's width (254 characters in
        ArcGIS exports), so a real one with sparse text columns compresses 70
        to 300 times; it is held by the other limits.

    Raises
    ------
    ValueError
        A limit is not a positive number (``max_ratio`` must be above 1).

    Examples
    --------
    >>> ReadLimits(max_rows=1_000).max_rows, ReadLimits().max_ratio
    (1000, 100.0)
    """

    max_file_bytes: int = 2 * _GIB
    max_rows: int = 5_000_000
    max_member_bytes: int = _GIB
    max_total_uncompressed_bytes: int = 2 * _GIB
    max_ratio: float = 100.0

    def __post_init__(self) -> None:
        for f in fields(self):
            value, ratio = getattr(self, f.name), f.name == "max_ratio"
            number = isinstance(value, (int, float) if ratio else int)
            if isinstance(value, bool) or not number or (value <= 1 if ratio else value < 1):
                what = "a number above 1" if ratio else "a whole number of at least 1"
                raise ValueError(f"ReadLimits.{f.name} must be {what}, got {value!r}")


@contextmanager
def guard(what: str, fix: str) -> Iterator[None]:
    """Turn any error but minemap's own into a TableError: ``'{what} ({error})'``, ``fix``.

    For the calls into openpyxl and GDAL: the file is the user's, and a
    damaged or hostile one can make them raise anything.

    Examples
    --------
    >>> with guard("the workbook cannot be read", "save it again"):
    ...     raise KeyError("xl/workbook.xml")
    Traceback (most recent call last):
    ...
    layers.errors.TableError: the workbook cannot be read ('xl/workbook.xml'). Fix: save it again
    """
    try:
        yield
    except MinemapError:
        raise
    except Exception as e:
        raise TableError(f"{what} ({str(e).strip() or type(e).__name__})", fix) from e


@contextmanager
def gdal(what: str) -> Iterator[list[str]]:
    """Guard a call into GDAL (see :func:`guard`); yield a list that collects its warnings.

    GDAL warns from inside its error handler, where a warning made an error
    cannot propagate. Its warnings ("Non closed ring detected", "Unsupported
    geometry type") say why a feature came out with no geometry: they are
    collected as text, once each, for the reader of the layer's report, and
    never raised as Python warnings.
    """
    messages: list[str] = []
    with guard(what, "export it again"), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield messages
    for w in caught:
        text = " ".join(str(w.message).split())
        if text not in messages:
            messages.append(text)


def _size(n: int) -> str:
    """Write a byte count in full and in binary units: '3,145,728 bytes (3.0 MiB)'."""
    for unit, scale in (("GiB", _GIB), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= scale:
            return f"{n:,} bytes ({n / scale:.1f} {unit})"
    return f"{n:,} bytes"


def limits_from(values: dict[str, object]) -> ReadLimits:
    """Build ReadLimits from ``name -> number`` pairs: a project's ``[limits]``, ``--limit``.

    Raises
    ------
    ValueError
        A name that is not a limit, or a value that is not a positive number.

    Examples
    --------
    >>> limits_from({"max_rows": 10_000_000}).max_rows
    10000000
    >>> limits_from({"rows": 1})
    Traceback (most recent call last):
    ...
    ValueError: no limit called 'rows'; the limits are max_file_bytes, max_rows, max_member_bytes, max_total_uncompressed_bytes, max_ratio
    """  # noqa: E501
    names = list(ReadLimits.__dataclass_fields__)
    given = {}
    for name, value in values.items():
        if name not in names:
            raise ValueError(f"no limit called {name!r}; the limits are {', '.join(names)}")
        number = value
        if isinstance(value, str):
            try:
                number = float(value.replace("_", ""))
            except ValueError:
                raise ValueError(f"{name}: {value!r} is not a number") from None
        if isinstance(number, bool) or not isinstance(number, (int, float)):
            raise ValueError(f"{name}: expected a number, got {value!r}")
        if name != "max_ratio":
            if number != int(number):
                raise ValueError(f"{name}: expected a whole number, got {value!r}")
            number = int(number)
        given[name] = number
    return ReadLimits(**given)


def _raise(field: str) -> str:
    """Say how to raise one limit."""
    return (
        f"raise the limit with --limit {field}=N (minemap check or build), "
        f"[limits] {field} = N in the project file, or limits=ReadLimits({field}=...)"
    )


def check_file_size(size: int, limits: ReadLimits) -> None:
    """Raise unless a file of ``size`` bytes is within ``limits.max_file_bytes``.

    Examples
    --------
    >>> check_file_size(2_000, ReadLimits(max_file_bytes=1_000))
    Traceback (most recent call last):
    ...
    layers.errors.TableError: the file is 2,000 bytes (2.0 KiB); the limit is 1,000 bytes. Fix: split the data into smaller files, or raise the limit with --limit max_file_bytes=N (minemap check or build), [limits] max_file_bytes = N in the project file, or limits=ReadLimits(max_file_bytes=...)
    """  # noqa: E501
    if size > limits.max_file_bytes:
        raise TableError(
            f"the file is {_size(size)}; the limit is {_size(limits.max_file_bytes)}",
            f"split the data into smaller files, or {_raise('max_file_bytes')}",
        )


def too_many_rows(count: int, limits: ReadLimits, where: str, exact: bool) -> None:
    """Raise when ``where`` has more than ``limits.max_rows`` data rows.

    Parameters
    ----------
    count : int
        Data rows counted: all of them when ``exact``, else those read before
        reading stopped (at most ``max_rows + 1``).
    limits : ReadLimits
        The limits.
    where : str
        What holds the rows, for the message (``"the file"``, ``"layer 'sha'"``).
    exact : bool
        Whether ``count`` is the whole count.

    Examples
    --------
    >>> too_many_rows(11, ReadLimits(max_rows=10), "layer 'sha'", exact=True)
    Traceback (most recent call last):
    ...
    layers.errors.TableError: layer 'sha' has 11 data rows; the limit is 10. Fix: split the data into files of at most 10 data rows, or raise the limit with --limit max_rows=N (minemap check or build), [limits] max_rows = N in the project file, or limits=ReadLimits(max_rows=...)
    """  # noqa: E501
    limit = limits.max_rows
    if count > limit:
        found = f"{count:,}" if exact else f"more than {limit:,}"
        raise TableError(
            f"{where} has {found} data rows; the limit is {limit:,}",
            f"split the data into files of at most {limit:,} data rows, or {_raise('max_rows')}",
        )


def _unsafe(info: zipfile.ZipInfo) -> str | None:
    """Say why a member's name or kind is unsafe to open, or None."""
    name = info.filename
    if (
        name.startswith(("/", "\\"))
        or re.match(r"[A-Za-z]:", name)
        or (".." in name.replace("\\", "/").split("/"))
    ):
        return "escapes its folder"
    if "\\" in name:
        return "has a backslash in its name, which can point outside its folder"
    if (info.external_attr >> 16) & 0o170000 == 0o120000:
        return "is a symbolic link, which can point outside the archive"
    if info.flag_bits & 1:
        return "is encrypted"
    return None


def _too_big(info: zipfile.ZipInfo, limits: ReadLimits) -> tuple[str, str] | None:
    """Say how a member's declared size is over a limit, with the fix, or None."""
    name, size, packed = info.filename, info.file_size, info.compress_size
    if size > limits.max_member_bytes:
        return (
            f"zip member {name!r} unpacks to {_size(size)}; the limit is "
            f"{_size(limits.max_member_bytes)} a member",
            f"split the data into smaller files, or {_raise('max_member_bytes')}",
        )
    ratio = size / packed if packed else float("inf")
    dbf = name.lower().endswith(".dbf")
    if size > RATIO_FLOOR and not dbf and ratio > limits.max_ratio:
        return (
            f"zip member {name!r} unpacks to {_size(size)} from {packed:,} bytes, "
            f"{ratio:,.0f} times its compressed size; the limit is {limits.max_ratio:g} times "
            "(real files compress 5 to 20 times; a zip bomb about 1,000)",
            "export the file again from the program that made it, or, if you trust it, "
            + _raise("max_ratio"),
        )
    return None


def zip_members(path: Path, limits: ReadLimits) -> list[str]:
    """List the files in a zip archive after checking every member, opening none.

    A member is refused when its name can escape its folder, it is a link
    or encrypted, or its declared size is over ``limits``; so is the archive
    when its members unpack to more than ``limits.max_total_uncompressed_bytes``.

    Raises
    ------
    TableError
        The archive cannot be read, or a member or the whole is refused.
    """
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as e:
        raise TableError(f"not a readable zip archive ({e})", "zip it again") from e
    for info in infos:
        if problem := _unsafe(info):
            fix = "zip the files again with plain relative names and no password"
            raise TableError(f"zip member {info.filename!r} {problem}", fix)
    for info in infos:
        if refused := _too_big(info, limits):
            raise TableError(*refused)
    total = sum(i.file_size for i in infos)
    if total > limits.max_total_uncompressed_bytes:
        raise TableError(
            f"the zip archive's {len(infos):,} members unpack to {_size(total)} in all; the "
            f"limit is {_size(limits.max_total_uncompressed_bytes)}",
            f"split the data into several files, or {_raise('max_total_uncompressed_bytes')}",
        )
    return [i.filename for i in infos if not i.is_dir()]


_BAD_CRC = "its CRC-32 does not match its data"


def _damaged(name: str, what: str) -> TableError:
    return TableError(f"zip member {name!r} is damaged: {what}",
                      "zip the files again from the originals")  # fmt: skip


def _unpacked(f, info: zipfile.ZipInfo) -> tuple[int, int]:
    """Inflate one deflated member in bounded chunks: (bytes out, CRC-32).

    Stops as soon as the output passes the size its header declares: GDAL
    inflates a member to the end of its deflate stream whatever the header
    says, so a header that understates the size is refused here.
    """
    f.seek(info.header_offset)
    head = f.read(30)
    if len(head) < 30 or head[:4] != b"PK\x03\x04":
        raise _damaged(info.filename, "its local header is missing")
    f.seek(info.header_offset + 30 + int.from_bytes(head[26:28], "little")
           + int.from_bytes(head[28:30], "little"))  # fmt: skip
    inflate, out, crc = zlib.decompressobj(-15), 0, 0
    while not inflate.eof:
        chunk = inflate.unconsumed_tail or f.read(_CHUNK)
        try:
            data = inflate.decompress(chunk, _CHUNK)
        except zlib.error as e:
            raise _damaged(info.filename, f"its compressed data is invalid ({e})") from e
        if not chunk and not data:
            raise _damaged(info.filename, "its compressed data is cut short")
        out, crc = out + len(data), zlib.crc32(data, crc)
        if out > info.file_size:
            raise TableError(
                f"zip member {info.filename!r} unpacks to more than the "
                f"{_size(info.file_size)} its header declares",
                "zip the files again from the originals: the archive is damaged or forged",
            )
    return out, crc


def verify_members(path: Path, names: list[str]) -> None:
    """Unpack members of a zip archive, bounded, and check their sizes and CRC-32.

    For archives that GDAL reads (a zipped shapefile, a KMZ), after
    :func:`zip_members` has checked the declared sizes: a member must unpack
    to exactly its declared size, with its declared CRC-32, so that GDAL
    reads no more than was checked. Members must be stored or deflated (the
    methods GDAL reads). Memory stays within a few MiB whatever the sizes.

    Raises
    ------
    TableError
        A member is damaged, forged or compressed with another method.
    """
    with zipfile.ZipFile(path) as z, open(path, "rb") as f:
        for name in names:
            info = z.getinfo(name)
            if info.compress_type == zipfile.ZIP_STORED and info.compress_size != info.file_size:
                raise _damaged(name, f"it is stored in {info.compress_size:,} bytes but its "
                                     f"header declares {info.file_size:,}")  # fmt: skip
            if info.compress_type == zipfile.ZIP_STORED:
                try:
                    with z.open(info) as member:  # zipfile stops at the declared size
                        while member.read(_CHUNK):
                            pass
                except (zipfile.BadZipFile, OSError, EOFError) as e:
                    crc = "CRC" in str(e)
                    raise _damaged(name, _BAD_CRC if crc else str(e)) from e
                continue
            if info.compress_type != zipfile.ZIP_DEFLATED:
                raise TableError(
                    f"zip member {name!r} is compressed with method {info.compress_type}, "
                    "which GDAL does not read",
                    "zip the files again with ordinary (deflate) compression",
                )
            size, crc = _unpacked(f, info)
            if size != info.file_size:
                raise _damaged(name, f"it unpacks to {size:,} bytes, not the "
                                     f"{info.file_size:,} its header declares")  # fmt: skip
            if crc != info.CRC:
                raise _damaged(name, _BAD_CRC)
