"""The fault scenarios of test_faults.py on PostgreSQL, and two workers sharing one PostgreSQL database.

A file of its own so that `make test` (pytest-xdist, --dist loadfile) runs it beside the SQLite file.
"""

from __future__ import annotations

import subprocess
from typing import Any

import pytest

from tests.faults.conftest import Baseline
from tests.faults.harness import FaultySite, SlowSink, Worker, stop
from tests.faults.kills import SCHEDULE, finish, gate_servers, kill_on_events, record_kills
from tests.faults.test_faults import (
    test_fault_scenario,
    test_sigkill_twenty_times_during_polling_and_delivery,
    test_sigterm_during_delivery_finishes_or_releases_what_is_in_flight,
)
from tests.support.mail import SmtpServer

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
    """Two worker loops on one PostgreSQL database; one is SIGKILLed twenty times on observed events, the
    other runs from the first delivery kill on, competing for claims.

    The steady worker starts once the killed one's poll kills are done (else it would complete the poll and
    leave none to kill); it has its own look-alike site and SMTP server (its messages go to the same list),
    so the gates hold only the killed worker's requests, and it claims one alert at a time from a slow
    server, so the killed worker still finds alerts to send.
    """
    engine, worker = fault_world
    gate_servers(worker)
    steady_smtp = SmtpServer()
    steady_sink = SlowSink(0.5)
    steady_sink.messages, steady_sink.raw = worker.smtp.sink.messages, worker.smtp.sink.raw
    steady_smtp.sink = steady_sink
    steady_smtp.start()
    try:
        with FaultySite() as steady_site:
            steady_worker = Worker(
                worker.database_url,
                steady_site,
                steady_smtp,
                worker.workdir,
                extra_env={"ADCVD_DELIVERY_BATCH": "1", "ADCVD_DELIVER_SECONDS": "3"},
            )
            steady: list[subprocess.Popen[str]] = []
            try:
                phases = kill_on_events(
                    worker, engine, SCHEDULE, before_delivery=lambda: steady.append(steady_worker.start())
                )
            finally:
                for process in steady:
                    stop(process)
            finish(engine, [worker, worker], len(baseline.keys))
    finally:
        steady_smtp.stop()
    name = "2 workers, one SIGKILLed x20"
    record_kills(name, backend, baseline, engine, worker, phases, SCHEDULE)
