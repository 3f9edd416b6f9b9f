"""Paths the tests share (a module of its own: two conftest.py files exist)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data"
