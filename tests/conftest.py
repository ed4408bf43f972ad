"""Shared test fixtures: a fresh database per test, a fixed clock, a real SMTP server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy.engine import Engine

from tests.support.mail import SmtpServer
from worker.db import create_schema, make_engine


@pytest.fixture
def engine(tmp_path: object) -> Iterator[Engine]:
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    db = make_engine(f"sqlite:///{tmp_path / 'adcvd-test.db'}")
    create_schema(db)
    yield db
    db.dispose()


@pytest.fixture
def now() -> datetime:
    """Monday 12 February 2024, 07:00 Eastern: the pressure-washers orders are in that day's issue."""
    return datetime(2024, 2, 12, 12, 0, tzinfo=UTC)


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    yield server
    server.stop()
