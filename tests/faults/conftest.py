"""The fault suite's fixtures: a baseline run without faults per backend; each test's figures reported."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.faults.harness import (
    FIGURES_PROPERTY,
    RESULTS,
    Worker,
    alert_keys,
    catalog_snapshot,
    count,
    settle,
    world,
)
from tests.support.postgres import PostgresServer


@dataclass(frozen=True)
class Baseline:
    keys: frozenset[str]
    catalog: dict[str, list[tuple[Any, ...]]]


_BASELINES: dict[str, Baseline] = {}


def fresh_url(backend: str, request: pytest.FixtureRequest, directory: Path) -> str:
    if backend == "sqlite":
        directory.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{directory / 'adcvd.db'}"
    server: PostgresServer = request.getfixturevalue("postgres_server")
    return server.fresh_database()


@pytest.fixture
def baseline(
    backend: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Baseline:
    """What a run without faults alerts and catalogues (computed once per backend): the expected figures."""
    if backend not in _BASELINES:
        workdir = tmp_path_factory.mktemp(f"baseline-{backend}")
        url = fresh_url(backend, request, workdir)
        with world(url, workdir) as (engine, worker):
            done = worker.run("run", "--once")
            settle(engine, worker)
            keys = frozenset(alert_keys(engine))
            catalog = catalog_snapshot(engine)
            assert keys, f"the baseline run created no alerts: {done.stdout}\n{done.stderr[-2000:]}"
            figures = count(
                "no faults (baseline)", backend, expected=set(keys), sink=worker.smtp.sink, catalog_equal=True
            )
        RESULTS.append(figures)
        assert figures.delivered == len(keys) and (figures.duplicated, figures.resent) == (0, 0), figures
        _BASELINES[backend] = Baseline(keys, catalog)
    return _BASELINES[backend]


@pytest.fixture
def fault_world(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Any, Worker]]:
    url = fresh_url(backend, request, tmp_path / "db")
    with world(url, tmp_path / "work") as made:
        yield made


@pytest.fixture(autouse=True)
def _report_figures(request: pytest.FixtureRequest) -> Iterator[None]:
    """Attach the figures a test recorded to its report, so the table (tests/conftest.py) sees them even
    when the test ran in a pytest-xdist worker process."""
    start = len(RESULTS)
    yield
    for figures in RESULTS[start:]:
        request.node.user_properties.append((FIGURES_PROPERTY, asdict(figures)))
