"""Shared test fixtures: a fresh database per test (SQLite and PostgreSQL), a fixed clock, an SMTP server."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from tests.faults.harness import FIGURES_PROPERTY, Figures, table
from tests.support.mail import SmtpServer
from tests.support.postgres import PostgresServer, postgres_server, postgres_url  # noqa: F401 (fixtures)
from worker.storage.db import create_schema, make_engine

BACKENDS = ("sqlite", pytest.param("postgresql", marks=pytest.mark.postgres))


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, migrated database on each backend: a SQLite file, or a PostgreSQL database from a template."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'adcvd-test.db'}"
        db = make_engine(url)
        create_schema(db)
        db.dispose()
        yield url
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    url = server.fresh_database()
    yield url
    server.drop(url)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    db = make_engine(database_url)
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


_FAULT_FIGURES: list[dict[str, Any]] = []  # gathered from the reports, whichever process ran the test


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "teardown":
        _FAULT_FIGURES.extend(value for name, value in report.user_properties if name == FIGURES_PROPERTY)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """The fault suite's table: alerts expected, delivered, duplicated and lost in each scenario."""
    if not _FAULT_FIGURES:
        return
    terminalreporter.write_sep("=", "fault scenarios: alerts expected, delivered, duplicated, lost")
    for line in table([Figures(**values) for values in _FAULT_FIGURES]):
        terminalreporter.write_line(line)
