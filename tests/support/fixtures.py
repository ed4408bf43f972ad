"""Paths to the recorded fixtures under tests/fixtures (each has a .source.txt beside it)."""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def fixture(*parts: str) -> Path:
    path = FIXTURES.joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(f"missing fixture {path}")
    return path


def fixture_bytes(*parts: str) -> bytes:
    return fixture(*parts).read_bytes()
