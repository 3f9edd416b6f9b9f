"""Paths and files the tests share (a module of its own: two conftest.py files exist)."""

import csv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data"


def write_csv(path: Path, rows: list[dict]) -> Path:
    """Write dict rows as a UTF-8 CSV, columns in order of first appearance; return the path."""
    fields = list(dict.fromkeys(k for row in rows for k in row))
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields, restval="")
        writer.writeheader()
        writer.writerows(rows)
    return path
