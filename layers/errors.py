"""The error of a table or file that cannot be read, shared by the readers of ``layers``."""

from __future__ import annotations

from geo.errors import MinemapError

__all__ = ["TableError"]


class TableError(MinemapError, ValueError):
    """A table or file that cannot be read (``reason``, ``fix``; the caller names the file)."""

    def __init__(self, reason: str, fix: str) -> None:
        self.reason, self.fix = reason, fix
        super().__init__(f"{reason}. Fix: {fix}")
