"""The notifier tests' catalog: the real pressure-washers order and the sample portfolio, built once
per module (tests/notifier/golden_support.py), and a transaction on it rolled back after each test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from tests.notifier.golden_support import pressure_washer_catalog


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    engine = pressure_washer_catalog(tmp_path_factory.mktemp("catalog"))
    yield engine
    engine.dispose()


@pytest.fixture
def session(catalog: Engine) -> Iterator[Session]:
    """A transaction rolled back after the test, so every test starts from the same catalog."""
    with Session(catalog, expire_on_commit=False) as db:
        db.begin()
        yield db
        db.rollback()
