"""The fault scenarios of test_faults.py on PostgreSQL, and two workers sharing one PostgreSQL database.

A file of its own so that `make test` (pytest-xdist, --dist loadfile) runs it beside the SQLite file.
"""

from __future__ import annotations

import random
from typing import Any

import pytest

from tests.faults.conftest import Baseline
from tests.faults.harness import Worker, stop
from tests.faults.test_faults import (
    SEED,
    finish,
    kill_at_random,
    record_kills,
    test_fault_scenario,
    test_sigkill_twenty_times_during_polling_and_delivery,
    test_sigterm_during_delivery_finishes_or_releases_what_is_in_flight,
)

pytestmark = [pytest.mark.timeout(300), pytest.mark.postgres]
__all__ = [
    "test_fault_scenario",
    "test_sigkill_twenty_times_during_polling_and_delivery",
    "test_sigterm_during_delivery_finishes_or_releases_what_is_in_flight",
]


@pytest.fixture
def backend() -> str:
    return "postgresql"


def test_two_workers_on_postgresql_killed_in_turn(
    backend: str, baseline: Baseline, fault_world: tuple[Any, Worker]
) -> None:
    """Two worker loops on one PostgreSQL database, alternately SIGKILLed while the other runs."""
    engine, worker = fault_world
    worker.site.xml_delay = 0.06
    expected = len(baseline.keys)
    steady = worker.start()  # the second worker: runs throughout, competing for polls and claims
    try:
        phases = kill_at_random([worker], engine, random.Random(SEED + 1), expected=expected)
    finally:
        stop(steady)
    worker.site.xml_delay = 0.0
    finish(engine, [worker, worker], expected)
    record_kills("2 workers, one SIGKILLed x20", backend, baseline, engine, worker, phases)
