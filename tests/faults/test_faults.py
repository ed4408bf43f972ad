"""Fault scenarios with real worker processes, a real HTTP source and a real SMTP server on 127.0.0.1.

After each scenario every expected alert (those of a run without faults) must be in the SMTP server's
mailbox exactly once, counted by the X-ADCVD-Dedupe-Key header, nothing else may be, and the catalog must
equal that of the run without faults. The figures of every scenario are printed in a table at the end.
"""

from __future__ import annotations

import json
import signal
import subprocess
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.faults.conftest import Baseline
from tests.faults.harness import (
    RESULTS,
    SlowSink,
    Worker,
    catalog_snapshot,
    count,
    kill,
    outbox_counts,
    settle,
    wait_until,
)
from tests.faults.kills import SCHEDULE, finish, gate_servers, kill_on_events, record_kills
from tests.support.fixtures import fixture_bytes
from tests.support.pipeline import IMPORTER
from worker.app.recorded_site import Route
from worker.storage import notice_rows, people, source_rows
from worker.storage.db import transaction
from worker.storage.models import Subscriber

pytestmark = pytest.mark.timeout(300)


@pytest.fixture
def backend() -> str:
    """This file runs the scenarios on SQLite; test_faults_postgresql.py runs the same ones on PostgreSQL (two
    files, so that `make test`, with pytest-xdist's --dist loadfile, runs the two backends side by side)."""
    return "sqlite"


def run_once(worker: Worker) -> subprocess.CompletedProcess[str]:
    return worker.run("run", "--once")


def html_page() -> bytes:
    return (
        b"<!DOCTYPE html><html><head><title>Federal Register :: Request Access</title></head>"
        b"<body><p>Your request has been blocked.</p></body></html>"
    )


def smtp_down(engine: Any, worker: Worker) -> str:
    worker.smtp.stop()
    first = run_once(worker)
    waiting = outbox_counts(engine).get("pending", 0)
    assert waiting > 0 and not worker.smtp.sink.messages, first.stdout
    worker.smtp.start()
    return f"{waiting} waited for the server"


def smtp_4xx_then_2xx(engine: Any, worker: Worker) -> str:
    worker.smtp.sink.replies = ["451 4.3.0 Try again later"] * 12
    run_once(worker)
    assert not worker.smtp.sink.replies  # all twelve 451 answers were given
    return "12 answered 451 first"


def smtp_5xx(engine: Any, worker: Worker) -> str:
    worker.smtp.sink.replies = ["550 5.7.1 Message rejected"] * 5
    run_once(worker)
    failed = outbox_counts(engine).get("failed", 0)
    assert failed == 5  # permanent: not retried by itself, visible in `adcvd outbox list`
    requeued = worker.run("outbox", "retry")
    assert "5 failed alerts queued again" in requeued.stdout, requeued.stdout + requeued.stderr
    return "5 refused with 550, then `adcvd outbox retry`"


def smtp_slow(engine: Any, worker: Worker) -> str:
    assert isinstance(worker.smtp.sink, SlowSink)
    return f"{worker.smtp.sink.delay:.2f} s per message"


def quiet_priming(engine: Any, worker: Worker) -> str:
    """No cursor yet and a quiet window: priming reads nothing; then the notices appear in the live window."""
    with transaction(engine) as session:
        state = source_rows.load_source_state(session, "federal_register")
        state.cursor = None
        session.add(state)
    primed = run_once(worker)
    assert "poll federal_register failed" not in primed.stderr + primed.stdout, primed.stderr[-2000:]
    assert notice_count(engine) == 0
    assert not any(key.startswith("notice:") for key in worker.smtp.sink.by_dedupe_key())
    worker.site.ignore_since = True  # the notices are published now: the live window lists them
    run_once(worker)
    return "priming read 0 documents, then 9 were published"


def full_text_fault(faults: list[Route]) -> Callable[[Any, Worker], str]:
    """The first full text fetched answers with a fault once: that notice waits, the next poll reads it."""

    def scenario(engine: Any, worker: Worker) -> str:
        worker.site.faults["xml"] = list(faults)
        first = run_once(worker)
        assert "poll federal_register failed" not in first.stderr + first.stdout, first.stderr[-2000:]
        assert "will be read again" in first.stdout, first.stdout
        run_once(worker)  # the next poll reads the waiting notice in full
        return "that notice waited one poll; the others went at once"

    return scenario


def poisoned_alert(engine: Any, worker: Worker) -> str:
    """A subscriber address no message can be built for, among the good ones."""
    with transaction(engine) as session:
        importer = people.load_or_create_importer(session, IMPORTER)
        session.add(
            Subscriber(
                email="a..b@example.com",
                importer_id=importer.id,
                role="importer",
                unsubscribe_token="poisoned",
                created_at=datetime(2024, 1, 1, tzinfo=UTC),
            )
        )
    run_once(worker)
    settle(engine, worker)
    failed = outbox_counts(engine).get("failed", 0)
    assert failed > 0 and not outbox_counts(engine).get("sending"), outbox_counts(engine)
    return f"{failed} alerts to a..b@example.com failed with their error"


def smtp_login_refused(engine: Any, worker: Worker) -> str:
    """The server requires a login and answers 535 to it, then accepts it again."""
    worker.smtp.stop()
    worker.smtp.auth = True
    worker.smtp.sink.refuse_login = True
    worker.smtp.start()
    run_once(worker)
    counts = outbox_counts(engine)
    assert not counts.get("failed") and counts.get("pending", 0) > 0, counts
    logins = worker.smtp.sink.logins
    status = worker.run("status").stdout
    assert f"outbox backlog: {counts['pending']} waiting" in status, status
    blocked = [line for line in status.splitlines() if line.startswith("delivery blocked since ")]
    assert blocked and "535" in blocked[0], status  # the operator cannot be emailed: status says it
    worker.smtp.sink.refuse_login = False
    return f"{counts['pending']} waited after {logins} refused logins (535); `status`: {backlog_of(status)}"


def backlog_of(status: str) -> str:
    lines = [line.strip() for line in status.splitlines() if "pending" in line or "backlog" in line.lower()]
    return lines[0] if lines else "?"


def malformed_document(engine: Any, worker: Worker) -> str:
    """The search page lists the nine notices and one result whose docket ids are a number."""
    page = json.loads(worker.site.register.search({"per_page": "1000"}))
    bad = {**page["results"][0], "document_number": "2024-99999", "docket_ids": 570148}
    page["results"].append(bad)
    page["count"] = "ten"
    worker.site.faults["search"] = [search_route(200, json.dumps(page).encode())]
    first = run_once(worker)
    assert "poll federal_register failed" not in first.stderr + first.stdout, first.stderr[-2000:]
    status = worker.run("status").stdout
    assert "1 consecutive failures" in status and "2024-99999" in status, status
    return "1 result set aside (docket_ids a number, count a word); the 9 others saved"


def source_fault(kind: str, faults: list[Route | str], *, fails_first: bool) -> Callable[[Any, Worker], str]:
    def scenario(engine: Any, worker: Worker) -> str:
        worker.site.faults[kind] = list(faults)
        first = run_once(worker)
        failed = "poll federal_register failed" in first.stderr + first.stdout
        assert failed == fails_first, first.stdout + first.stderr[-2000:]
        if fails_first:
            assert not any(key.startswith("notice:") for key in worker.smtp.sink.by_dedupe_key())
            with_state = worker.run("status").stdout
            assert "1 consecutive failures" in with_state, with_state
            run_once(worker)  # the next poll, with the source healthy again
        return "first poll failed, state kept" if fails_first else "retried within the poll"

    return scenario


def truncated(body: bytes) -> bytes:
    return body[: len(body) // 2]


def search_route(
    status: int, body: bytes, *, content_type: str = "application/json", headers: dict[str, str] | None = None
) -> Route:
    return Route(
        "/api/v1/documents.json",
        body,
        content_type=content_type,
        status=status,
        headers=headers or {},
        etag=False,
    )


def xml_route(body: bytes) -> Route:
    return Route("/xml", body, content_type="application/xml", etag=False)


def not_found_route() -> Route:
    """The site's real HTML 404 page (recorded from federalregister.gov), where a full text should be."""
    body = fixture_bytes(
        "fr_api", "fr_api_recorded_2026-10-02_documents_2026-99999_NEGATIVE_404_html_body.html"
    )
    return Route("/xml", body, content_type="text/html", status=404, etag=False)


def _scenarios() -> dict[str, Callable[[Any, Worker], str]]:
    from tests.faults.harness import notices

    search = b'{"count": 9, "total_pages": 1, "results": [{"document_number": "2024-1'
    xml = notices()[0].xml
    return {
        "smtp down, then back": smtp_down,
        "smtp slow": smtp_slow,
        "smtp 4xx then 2xx": smtp_4xx_then_2xx,
        "smtp 5xx": smtp_5xx,
        "source 429 + Retry-After": source_fault(
            "search", [search_route(429, b"", headers={"Retry-After": "1"})] * 2, fails_first=False
        ),
        "source 500": source_fault(
            "search",
            [search_route(500, b"Internal Server Error", content_type="text/plain")] * 3,
            fails_first=True,
        ),
        "source timeout": source_fault("search", ["stall"] * 3, fails_first=True),
        "source truncated JSON": source_fault("search", [search_route(200, search)], fails_first=True),
        "source malformed JSON": source_fault(
            "search", [search_route(200, b"{'count': 9,]")], fails_first=True
        ),
        "source HTML page": source_fault(
            "search", [search_route(200, html_page(), content_type="text/html")], fails_first=True
        ),
        "source truncated XML": full_text_fault([xml_route(truncated(xml))]),
        "source malformed XML": full_text_fault([xml_route(b"<NOTICE><P>unclosed</NOTICE>")]),
        "first notice after a quiet priming": quiet_priming,
        "transient 404 on a full text": full_text_fault([not_found_route()]),
        "poisoned alert among good ones": poisoned_alert,
        "smtp 535, then login works": smtp_login_refused,
        "malformed document in a page": malformed_document,
    }


SCENARIOS = _scenarios()


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_fault_scenario(name: str, backend: str, baseline: Baseline, fault_world: tuple[Any, Worker]) -> None:
    engine, worker = fault_world
    if name == "smtp slow":
        worker.smtp.stop()
        worker.smtp.sink = SlowSink(0.05)
        worker.smtp.start()
    note = SCENARIOS[name](engine, worker)
    settle(engine, worker)
    catalog = catalog_snapshot(engine)
    if name == "malformed document in a page":
        catalog["notices"] = [n for n in catalog["notices"] if n[0] != "2024-99999"]
    figures = count(
        name,
        backend,
        expected=set(baseline.keys),
        sink=worker.smtp.sink,
        catalog_equal=catalog == baseline.catalog,
        note=note,
        stuck=stuck_alerts(engine),
    )
    RESULTS.append(figures)
    assert figures.catalog_equal, "the catalog differs from the run without faults"
    assert (figures.lost, figures.duplicated, figures.resent, figures.unexpected) == (0, 0, 0, 0), figures
    assert figures.stuck == 0, figures
    assert figures.delivered == figures.expected


def stuck_alerts(engine: Any) -> int:
    counts = outbox_counts(engine)
    return counts.get("sending", 0) + counts.get("pending", 0)


def test_sigterm_during_delivery_finishes_or_releases_what_is_in_flight(
    backend: str, baseline: Baseline, fault_world: tuple[Any, Worker]
) -> None:
    """`adcvd run` gets SIGTERM while it sends to a slow server: it exits soon, leaving nothing `sending`."""
    engine, worker = fault_world
    worker.smtp.stop()
    worker.smtp.sink = SlowSink(0.3)
    worker.smtp.start()
    process = worker.start()
    try:
        wait_until(lambda: len(worker.smtp.sink.messages) >= 2, what="the first messages sent")
        process.send_signal(signal.SIGTERM)
        started = datetime.now(UTC)
        _, err = process.communicate(timeout=30)
        took = (datetime.now(UTC) - started).total_seconds()
    finally:
        if process.poll() is None:
            kill(process)
    counts = outbox_counts(engine)
    assert process.returncode == 0, err[-2000:]
    assert not counts.get("sending"), counts  # released at once, not held for the lease
    sent_before = counts.get("sent", 0)
    assert isinstance(worker.smtp.sink, SlowSink)
    worker.smtp.sink.delay = 0.0  # the SIGTERM landed mid-delivery; the rest need not crawl in at 0.3 s each
    settle(engine, worker)
    figures = count(
        "SIGTERM during delivery",
        backend,
        expected=set(baseline.keys),
        sink=worker.smtp.sink,
        catalog_equal=catalog_snapshot(engine) == baseline.catalog,
        note=f"exited {took:.1f} s after SIGTERM with {sent_before} sent, 0 sending",
        stuck=stuck_alerts(engine),
    )
    RESULTS.append(figures)
    assert figures.catalog_equal
    assert (figures.lost, figures.duplicated, figures.resent, figures.unexpected, figures.stuck) == (0,) * 5
    assert figures.delivered == figures.expected


def notice_count(engine: Any) -> int:
    with transaction(engine) as session:
        return len(notice_rows.list_notices(session))


def test_sigkill_twenty_times_during_polling_and_delivery(
    backend: str, baseline: Baseline, fault_world: tuple[Any, Worker]
) -> None:
    """The worker loop (`adcvd run`) is SIGKILLed twenty times, each on an event the servers observe (at
    startup, while a search or full text is held, while a message is held), then left to finish."""
    engine, worker = fault_world
    gate_servers(worker)
    phases = kill_on_events(worker, engine, SCHEDULE)
    finish(engine, [worker], len(baseline.keys))
    record_kills(
        "SIGKILL x20 (startup + poll + delivery)", backend, baseline, engine, worker, phases, SCHEDULE
    )
