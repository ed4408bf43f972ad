"""The fault suite's world: a constructed Federal Register behind a faulty RecordedSite, a real SMTP server,
a database per run, and real `adcvd` worker processes that the suite starts, kills and restarts.

Nothing here changes how the worker behaves: faults come from the servers (status codes, stalls, broken
bodies, SMTP replies) and from SIGKILL at points the servers observe (a `Gate` holds the n-th search, full
text or message until the worker is killed); the only clock the suite moves is the outbox's retry backoff
(`expire_backoff`), standing in for minutes passing.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import update
from sqlalchemy.engine import Engine

from bench._fr_site import (
    ConstructedNotice,
    ConstructedRegister,
    constructed_notices,
    real_pressure_washers_notice,
)
from tests.support.fixtures import FIXTURES
from tests.support.mail import MailSink, SmtpServer
from tests.support.pipeline import IMPORTER, set_cursor, subscribe_sample_portfolio
from worker.app.recorded_site import RecordedSite, Route
from worker.storage import case_rows, notice_rows, outbox_rows, people
from worker.storage.db import create_schema, make_engine, transaction
from worker.storage.models import Alert, Product, Subscriber

SEARCH_PATH = "/api/v1/documents.json"
SUBSCRIBERS = 5  # besides the sample portfolio's own subscriber
COUNTRY_OF_CODE = {"570": "CN", "552": "VN", "580": "KR", "533": "IN", "489": "TR"}
WAIT_SECONDS = 90.0


def notices() -> list[ConstructedNotice]:
    """Nine notices: eight constructed reviews and the real pressure-washers order (FR Doc 2024-02902)."""
    made = constructed_notices(8, since=date(2024, 2, 12), until=date(2024, 2, 13))
    return [*made, real_pressure_washers_notice(FIXTURES)]


def prepare_database(url: str) -> Engine:
    """Schema, the sample portfolio plus one product per constructed notice, six subscribers, a cursor."""
    engine = make_engine(url)
    create_schema(engine)
    subscribe_sample_portfolio(engine)
    with transaction(engine) as session:
        importer = people.load_or_create_importer(session, IMPORTER)
        for i, notice in enumerate(notices()[:-1]):
            code = notice.docket_ids[0].split("-")[1]
            found = re.search(rb"subheading ([0-9.]+)\.", notice.xml)
            assert found is not None
            session.add(
                Product(
                    importer_id=importer.id,
                    sku=f"CONSTRUCTED-{i}",
                    description="constructed",
                    hts=found.group(1).decode().replace(".", ""),
                    country=COUNTRY_OF_CODE[code],
                )
            )
        for k in range(SUBSCRIBERS):
            session.add(
                Subscriber(
                    email=f"buyer{k}@example.com",
                    importer_id=importer.id,
                    role="importer",
                    # No weekly digest: the workers run on the real clock, and a run that crossed Monday
                    # 07:00 would add digests the run without faults did not have (seen at 07:00 UTC).
                    digest="none",
                    unsubscribe_token=f"t{k}",
                    created_at=datetime(2024, 1, 1, tzinfo=UTC),
                )
            )
    set_cursor(engine, "2024-02-09")
    return engine


class Gate:
    """Holds the n-th request of one kind ("search", "xml", "message") until released, and says it is held.

    The kill suite arms it before starting a worker, waits for `reached`, kills the worker while its request
    is held (so the kill lands inside that poll or delivery, whatever the machine's load), then releases it.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kind: str | None = None
        self._left = 0
        self.accept = False  # a held message: the server keeps it first (the worker never hears the 250)
        self.reached = threading.Event()
        self._released = threading.Event()

    def arm(self, kind: str, n: int, *, accept: bool = False) -> None:
        with self._lock:
            self._kind, self._left, self.accept = kind, n, accept
            self.reached = threading.Event()
            self._released = threading.Event()

    def disarm(self) -> None:
        with self._lock:
            self._kind = None
            self._released.set()

    def hold(self, kind: str) -> threading.Event | None:
        """Called by a server's handler: the event to wait on if this request is the one to hold."""
        with self._lock:
            if self._kind != kind:
                return None
            self._left -= 1
            if self._left > 0:
                return None
            self._kind = None
            released = self._released
        self.reached.set()
        return released


class FaultySite:
    """The constructed register on 127.0.0.1; `faults[kind]` answers (or stalls) the next requests of a kind.

    kind is "search" (documents.json) or "xml" (a notice's full text). A fault is a Route to answer with,
    or the string "stall": the handler holds the request past the worker's timeout, then drops it.
    """

    def __init__(self) -> None:
        self.register = ConstructedRegister(notices())
        self.faults: dict[str, list[Route | str]] = {"search": [], "xml": []}
        self.served: dict[str, int] = {"search": 0, "xml": 0}
        self.release = threading.Event()
        self.xml_delay = 0.0  # seconds each full text takes to arrive (a slow source)
        self.ignore_since = False  # list every notice whatever the window asked (they appear "today")
        self.gate = Gate()
        self._lock = threading.Lock()
        self.site = RecordedSite()
        self.site.hook = self.hook

    def hook(self, path: str, query: dict[str, str]) -> Route | None:
        kind = "search" if path == SEARCH_PATH else "xml" if path.endswith(".xml") else None
        if kind is None:
            return None
        with self._lock:
            self.served[kind] += 1
            fault = self.faults[kind].pop(0) if self.faults[kind] else None
        held = self.gate.hold(kind)
        if held is not None:
            held.wait(timeout=WAIT_SECONDS)  # the suite kills the worker meanwhile, then releases this
            return Route(path, b"", status=503)
        if fault == "stall":
            self.release.wait(timeout=5)  # the server hangs; the worker's 1 s timeout fires first
            return Route(path, b"", status=503)
        if isinstance(fault, Route):
            return fault
        if kind == "xml" and self.xml_delay:
            self.release.wait(timeout=self.xml_delay)  # server-side slowness
        if kind == "search" and self.ignore_since:
            query = {k: v for k, v in query.items() if k != "conditions[publication_date][gte]"}
        return self.register.hook(path, query)

    @property
    def base_url(self) -> str:
        return self.site.base_url

    def __enter__(self) -> FaultySite:
        self.site.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self.site.__exit__(None, None, None)


class SlowSink(MailSink):
    """Takes `delay` seconds over each message before answering (an overloaded mail server)."""

    def __init__(self, delay: float) -> None:
        super().__init__()
        self.delay = delay

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        await asyncio.sleep(self.delay)  # server-side slowness, not a test waiting for something
        return await super().handle_DATA(server, session, envelope)


class GatedSink(MailSink):
    """A sink whose `gate` can hold the n-th message of a run, before or after keeping it."""

    def __init__(self, gate: Gate) -> None:
        super().__init__()
        self.gate = gate

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        held = self.gate.hold("message")
        if held is None:
            return await super().handle_DATA(server, session, envelope)
        reply = await super().handle_DATA(server, session, envelope) if self.gate.accept else "451 4.3.0 held"
        await asyncio.to_thread(held.wait, WAIT_SECONDS)  # the worker is killed meanwhile
        return reply


@dataclass
class Worker:
    """Runs `adcvd` commands as real processes against one database, site and SMTP server."""

    database_url: str
    site: FaultySite
    smtp: SmtpServer
    workdir: Path
    extra_env: dict[str, str] = field(default_factory=dict)

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("ADCVD_")}
        env.update(
            {
                "ADCVD_DATABASE_URL": self.database_url,
                "ADCVD_FEDERAL_REGISTER_URL": self.site.base_url + "/api/v1",
                "ADCVD_TRADE_GOV_URL": self.site.base_url,
                "ADCVD_SMTP_URL": self.smtp.url,
                "ADCVD_MAIL_FROM": "adcvd-watch <alerts@adcvd-watch.example.com>",
                "ADCVD_OUTBOX_DIR": str(self.workdir / "outbox"),
                "ADCVD_DELIVER_SECONDS": "1",
                "ADCVD_DELIVERY_LEASE_SECONDS": "3",
                "ADCVD_HTTP_REQUESTS_PER_SECOND": "0",
                "ADCVD_HTTP_XML_REQUESTS_PER_SECOND": "0",
                "ADCVD_HTTP_MAX_RETRIES": "2",
                "ADCVD_HTTP_TIMEOUT_SECONDS": "1",
                "ADCVD_SMTP_TIMEOUT_SECONDS": "5",
                "PYTHONUNBUFFERED": "1",
            }
        )
        env.update(self.extra_env)
        return env

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-c", "from worker.app.cli import main; main()", *args]

    def run(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            self.command(*args),
            env=self.env(),
            cwd=self.workdir,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def start(self) -> subprocess.Popen[str]:
        return subprocess.Popen(
            self.command("run"),
            env=self.env(),
            cwd=self.workdir,
            text=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )


def kill(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    if process.stderr:
        process.stderr.close()


def stop(process: subprocess.Popen[str]) -> str:
    process.send_signal(signal.SIGTERM)
    try:
        _, err = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        kill(process)
        return ""
    return err or ""


def wait_until(condition: Callable[[], bool], *, timeout: float = WAIT_SECONDS, what: str) -> None:
    """Wait on an observable condition, checking every 50 ms; fail with `what` after `timeout`."""
    done = threading.Event()
    deadline = datetime.now(UTC) + timedelta(seconds=timeout)
    while not condition():
        if datetime.now(UTC) > deadline:
            raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")
        done.wait(0.05)


def expire_backoff(engine: Engine) -> int:
    """Minutes pass: every pending alert's retry time comes due (the worker's clock is real)."""
    with transaction(engine) as session:
        result = session.execute(
            update(Alert).where(Alert.status == "pending").values(next_attempt_at=None)  # type: ignore[arg-type]
        )
        return int(getattr(result, "rowcount", 0) or 0)


def settle(engine: Engine, worker: Worker, *, rounds: int = 5) -> None:
    """Run the worker until the outbox holds nothing pending (letting retry backoffs come due)."""
    for _ in range(rounds):
        counts = outbox_counts(engine)
        if counts and not counts.get("pending") and not counts.get("sending"):
            return
        expire_backoff(engine)
        worker.run("run", "--once")


def outbox_counts(engine: Engine) -> dict[str, int]:
    with transaction(engine) as session:
        return outbox_rows.count_alerts_by_status(session)


def alert_keys(engine: Engine) -> set[str]:
    with transaction(engine) as session:
        return {a.dedupe_key for a in outbox_rows.list_alerts(session, limit=100_000) if a.kind != "operator"}


def catalog_snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """The catalog and notices without ids and timestamps: what two runs must agree on."""
    with transaction(engine) as session:
        notices_ = sorted(
            (n.document_number, n.kind, n.publication_date, n.content_hash, repr(n.facts), tuple(n.unread))
            for n in notice_rows.list_notices(session)
        )
        cases = sorted(
            (c.case_number, c.case_type, c.country, c.status, c.product)
            for c in case_rows.list_cases(session)
        )
        hts = sorted((h.case_number, h.hts) for h in case_rows.list_case_hts(session))
        rates = sorted(
            (
                r.case_number,
                r.exporter,
                r.producer,
                str(r.rate),
                str(r.cash_deposit),
                r.basis,
                r.notice_document_number,
            )
            for r in case_rows.list_rates(session)
        )
        deadlines = sorted(
            (d.case_number, d.kind, d.due_date, d.notice_document_number)
            for d in case_rows.list_deadlines(session, due_from=date(1990, 1, 1), due_to=date(2100, 1, 1))
        )
    return {"notices": notices_, "cases": cases, "case_hts": hts, "rates": rates, "deadlines": deadlines}


@dataclass
class Figures:
    scenario: str
    backend: str
    expected: int
    delivered: int
    duplicated: int  # extra copies of an alert under a different Message-ID: never allowed
    lost: int
    unexpected: int
    catalog_equal: bool
    note: str = ""
    resent: int = 0  # extra copies under the same Message-ID (a commit lost after 250): counted apart
    stuck: int = 0  # alerts left in `sending` or `pending` after the scenario settled

    def row(self) -> str:
        cells = (
            self.scenario,
            self.backend,
            self.expected,
            self.delivered,
            self.duplicated,
            self.resent,
            self.lost,
            self.stuck,
            self.unexpected,
            "yes" if self.catalog_equal else "NO",
            self.note,
        )
        return "| " + " | ".join(str(cell) for cell in cells) + " |"


def count(
    scenario: str,
    backend: str,
    *,
    expected: set[str],
    sink: MailSink,
    catalog_equal: bool,
    note: str = "",
    stuck: int = 0,
) -> Figures:
    received = sink.by_dedupe_key()
    message_ids: dict[str, set[str]] = {}
    for message in sink.messages:
        key = str(message.get("X-ADCVD-Dedupe-Key", ""))
        message_ids.setdefault(key, set()).add(str(message.get("Message-ID", "")))
    distinct = {key: len(ids) for key, ids in message_ids.items()}
    return Figures(
        scenario=scenario,
        backend=backend,
        expected=len(expected),
        delivered=sum(1 for key in expected if received.get(key, 0) >= 1),
        duplicated=sum(n - 1 for n in distinct.values() if n > 1),
        lost=sum(1 for key in expected if key not in received),
        unexpected=sum(n for key, n in received.items() if key not in expected),
        catalog_equal=catalog_equal,
        note=note,
        resent=sum(received[key] - n for key, n in distinct.items()),
        stuck=stuck,
    )


RESULTS: list[Figures] = []  # this process's figures; each test's go to the main process in its report
FIGURES_PROPERTY = "fault figures"


def table(rows: list[Figures]) -> list[str]:
    """The scenario table in Markdown: the baseline rows first, then the scenarios in the order they ran."""
    ordered = sorted(rows, key=lambda figures: not figures.scenario.startswith("no faults"))
    return [
        "| scenario | backend | expected | delivered | duplicated (other Message-ID) "
        "| resent (same Message-ID) | lost | stuck | unexpected | catalog equal | note |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
        *(figures.row() for figures in ordered),
    ]


@contextmanager
def world(
    database_url: str, workdir: Path, *, sink: MailSink | None = None
) -> Iterator[tuple[Engine, Worker]]:
    """A prepared database, the faulty site and an SMTP server; yields the engine and a Worker."""
    engine = prepare_database(database_url)
    smtp = SmtpServer()
    if sink is not None:
        smtp.sink = sink
    smtp.start()
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        with FaultySite() as site:
            yield engine, Worker(database_url, site, smtp, workdir)
    finally:
        smtp.stop()
        engine.dispose()
