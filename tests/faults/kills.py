"""SIGKILL on observed events: kill points at startup, on a held search or full text, on a held message."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from tests.faults.conftest import Baseline
from tests.faults.harness import (
    RESULTS,
    WAIT_SECONDS,
    GatedSink,
    Worker,
    catalog_snapshot,
    count,
    kill,
    outbox_counts,
    stop,
    wait_until,
)

PHASES = ("startup", "poll", "delivery")
# A poll kill while the delivery job, which runs beside the poll, was sending (messages came in that run).
BESIDE = "poll beside delivery"
MIN_DELIVERY_KILLS = 5


@dataclass(frozen=True)
class KillPoint:
    """Where one kill lands: at once (startup), or while the server holds the worker's n-th request of a kind.

    kind "search" and "xml" are the poll (the search page, a notice's full text); "message" is delivery, the
    server holding the run's n-th message, having kept it first (`accepted`: the worker dies before hearing
    250, so the message is sent again under the same Message-ID) or not (the worker dies mid-DATA).
    """

    phase: str
    kind: str | None = None
    n: int = 1
    accepted: bool = False


AT_ONCE = KillPoint("startup")


def search(n: int = 1) -> KillPoint:
    return KillPoint("poll", "search", n)


def full_text(n: int) -> KillPoint:
    return KillPoint("poll", "xml", n)


def message(n: int, *, accepted: bool) -> KillPoint:
    return KillPoint("delivery", "message", n, accepted)


# Twenty kills: 4 at startup, 6 in the poll, 10 in delivery. Poll kills come first: once a poll completes,
# the worker does not poll again within its interval. Delivery kills hold the 1st to 3rd message of a run,
# so each finds alerts still to send; 5 of them after the server kept the message.
SCHEDULE: tuple[KillPoint, ...] = (
    AT_ONCE,
    search(),
    full_text(1),
    full_text(3),
    AT_ONCE,
    search(),
    full_text(6),
    full_text(2),
    message(1, accepted=False),
    message(2, accepted=True),
    AT_ONCE,
    message(1, accepted=True),
    message(3, accepted=False),
    message(1, accepted=True),
    AT_ONCE,
    message(2, accepted=False),
    message(1, accepted=True),
    message(2, accepted=True),
    message(1, accepted=False),
    message(2, accepted=False),
)


def gate_servers(worker: Worker) -> None:
    """Give the worker a GatedSink on its site's gate, and timeouts long enough that a held request is still
    held when the kill lands (with 1 s, a loaded machine could let the worker give up and move on first)."""
    worker.smtp.stop()
    worker.smtp.sink = GatedSink(worker.site.gate)
    worker.smtp.start()
    worker.extra_env.update({"ADCVD_HTTP_TIMEOUT_SECONDS": "30", "ADCVD_SMTP_TIMEOUT_SECONDS": "30"})


def kill_on_events(
    worker: Worker,
    engine: Any,
    schedule: tuple[KillPoint, ...],
    *,
    before_delivery: Callable[[], None] | None = None,
) -> dict[str, int]:
    """Start `adcvd run` once per point, SIGKILL it where the point says, check where it landed, count phases.

    The worker must have been through `gate_servers`. `before_delivery` runs once, before
    the first delivery point.
    """
    gate = worker.site.gate
    phases = dict.fromkeys((*PHASES, BESIDE), 0)
    for i, point in enumerate(schedule):
        served = dict(worker.site.served)
        received = len(worker.smtp.sink.messages)
        if point.phase == "delivery" and before_delivery is not None:
            before_delivery()
            before_delivery = None
        if point.kind is not None:
            gate.arm(point.kind, point.n, accept=point.accepted)
        process = worker.start()
        try:
            if point.kind is not None and not gate.reached.wait(timeout=WAIT_SECONDS):
                pytest.fail(f"kill {i + 1}: no {point.kind} #{point.n} within {WAIT_SECONDS:.0f}s ({point})")
            if process.poll() is not None:
                err = process.stderr.read() if process.stderr else ""
                pytest.fail(f"kill {i + 1}: the worker exited by itself: {err[-2000:]}")
            kill(process)
        finally:
            gate.disarm()
            if process.poll() is None:
                kill(process)
        phases[landed(point, engine, worker, served=served, received=received)] += 1
        if point.kind in ("search", "xml") and len(worker.smtp.sink.messages) > received:
            phases[BESIDE] += 1
    return phases


def landed(point: KillPoint, engine: Any, worker: Worker, *, served: dict[str, int], received: int) -> str:
    """The phase the kill landed in, checked against what the servers and the database saw."""
    if point.kind is None:
        assert worker.site.served == served and len(worker.smtp.sink.messages) == received, (
            f"a startup kill landed after the worker had reached a server: {point}"
        )
    elif point.kind == "message":
        assert outbox_counts(engine).get("sending", 0) > 0, f"a delivery kill left nothing `sending`: {point}"
    return point.phase


def finish(engine: Any, workers: list[Worker], expected: int) -> None:
    processes = [worker.start() for worker in workers]
    try:
        wait_until(
            lambda: (
                outbox_counts(engine).get("sent", 0) >= expected
                and not outbox_counts(engine).get("sending")
                and not outbox_counts(engine).get("pending")
            ),
            what="every alert sent after the kills",
        )
    finally:
        for process in processes:
            stop(process)


def record_kills(
    name: str,
    backend: str,
    baseline: Baseline,
    engine: Any,
    worker: Worker,
    phases: dict[str, int],
    schedule: tuple[KillPoint, ...],
) -> None:
    """Figures for the table, and the exact assertions: 0 lost, 0 duplicated, one resend per accepted kill."""
    note = (
        f"{len(schedule)} SIGKILLs on observed events; killed in startup {phases['startup']}, "
        f"poll {phases['poll']} ({phases[BESIDE]} of them beside delivery), delivery {phases['delivery']}"
    )
    figures = count(
        name,
        backend,
        expected=set(baseline.keys),
        sink=worker.smtp.sink,
        catalog_equal=catalog_snapshot(engine) == baseline.catalog,
        note=note,
    )
    RESULTS.append(figures)
    assert figures.catalog_equal
    assert (figures.lost, figures.unexpected, figures.duplicated) == (0, 0, 0), figures
    assert figures.delivered == figures.expected, figures
    assert all(phases[phase] > 0 for phase in PHASES), phases
    assert phases["delivery"] >= MIN_DELIVERY_KILLS, phases
    # A kill after the server kept a message but before the worker heard 250 leaves a copy the worker never
    # recorded: the alert is resent after the lease under the same Message-ID (counted apart from
    # duplicates), so at least one resend per `accepted` kill. A kill mid-DATA leaves nothing kept. Messages
    # go one at a time, each marked sent before the next, so another resend can come only from a poll kill
    # that landed while the delivery job, running beside the poll, was between a 250 and its commit.
    accepted = sum(1 for point in schedule if point.accepted)
    assert accepted <= figures.resent <= accepted + phases[BESIDE], (figures, accepted, phases)
