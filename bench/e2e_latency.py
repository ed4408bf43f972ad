"""Benchmark: end-to-end latency from a new document appearing on a local server to its email accepted
by a local SMTP server, with the poll triggered at once (no scheduler wait).

Run: .venv/bin/python -m bench.e2e_latency [--runs N]
Two paths, each on a fresh database with the sample portfolio subscribed: the published notice
(documents.json + its real XML, FR Doc 2024-02902) and the public-inspection filing (current.json,
constructed in the real shape). The clock starts when the server starts answering with the document
and stops when the SMTP server has accepted the message.
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import statistics
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from pydantic import SecretStr

from worker import store
from worker.db import make_engine, transaction
from worker.dbsetup import init_database
from worker.inspection import poll_public_inspection
from worker.models import Case, CaseHts, Subscriber
from worker.portfolio import import_portfolio
from worker.recorded_site import RecordedSite, Route
from worker.runtime import open_fetcher, run_delivery, run_poll
from worker.settings import Settings

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"
SEARCH = "/api/v1/documents.json"
CURRENT = "/api/v1/public-inspection-documents/current.json"
XML = "/documents/full_text/xml/2024/02/12/2024-02902.xml"
EMPTY_SEARCH = b'{"description": "Documents published on or after 02/09/2024", "count": 0}'
EMPTY_CURRENT = b'{"count": 0, "results": []}'
GOAL_SECONDS = 2.0


class Accepted:
    def __init__(self) -> None:
        self.at: list[float] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.at.append(time.perf_counter())
        return "250 OK"


def prepare(db: Path) -> Any:
    engine = make_engine(f"sqlite:///{db}")
    init_database(engine, load_seed=False)
    assert not import_portfolio(engine, FIXTURES / "portfolio" / "sample_portfolio.csv").errors
    with transaction(engine) as session:
        importer = store.load_or_create_importer(session, "Demo Outdoor Power Inc.")
        session.add(
            Subscriber(
                email="imports@demo-outdoor-power.example",
                importer_id=importer.id,
                role="importer",
                unsubscribe_token="b",
                created_at=datetime.now(UTC),
            )
        )
        store.load_source_state(session, "federal_register").cursor = "2024-02-09"
        # Both cases as the final determinations left them, so the filing can reach PW-3100.
        for number, kind in (("A-570-148", "AD"), ("C-570-149", "CVD")):
            session.add(
                Case(
                    case_number=number,
                    case_type=kind,
                    country="CN",
                    product="pressure washers",
                    status="investigation",
                )
            )
            session.flush()
            session.add(CaseHts(case_number=number, hts="8424309000", source="bench", as_of=date(2024, 1, 2)))
    return engine


async def one_run(path: str, smtp_url: str, accepted: Accepted, tmp: Path) -> float:
    engine = prepare(tmp / f"{path}-{len(accepted.at)}.db")
    with RecordedSite([Route(SEARCH, EMPTY_SEARCH), Route(CURRENT, EMPTY_CURRENT)]) as site:
        settings = Settings(
            _env_file=None,
            federal_register_url=site.base_url + "/api/v1",
            trade_gov_url=site.base_url,
            smtp_url=SecretStr(smtp_url),
            database_url=str(engine.url),
            http_requests_per_second=0,
        )
        now = datetime(2024, 2, 12, 11, 5, tzinfo=UTC)
        before = len(accepted.at)
        if path == "published":
            site.add(Route.from_file(XML, FIXTURES / "fr_api" / "2024-02902.xml", "application/xml"))
            started = time.perf_counter()
            search = FIXTURES / "fr_api" / "search_ita_2024-02-09.json"
            site.add(Route.from_file(SEARCH, search, "application/json"))
            report = await run_poll(settings, engine, "federal_register", now=now)
        else:
            started = time.perf_counter()
            current = FIXTURES / "fr_api" / "constructed_pi_current_2024-02-09.json"
            site.add(Route.from_file(CURRENT, current, "application/json"))
            async with open_fetcher(settings) as fetcher:
                report = await poll_public_inspection(
                    engine, fetcher, base_url=settings.federal_register_url, now=now
                )
        assert report.ok and report.alerts_created == 1, report
        delivered = await run_delivery(settings, engine, now=now)
        assert delivered.sent == 1 and len(accepted.at) == before + 1, delivered
    engine.dispose()
    return accepted.at[-1] - started


async def measure(runs: int) -> None:
    accepted = Accepted()
    with socket.socket() as probe:  # aiosmtpd's start() connects to its port, so it cannot be 0
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    controller = Controller(accepted, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for path in ("published", "public inspection"):
                smtp_url = f"smtp://127.0.0.1:{port}"
                times = [await one_run(path, smtp_url, accepted, Path(tmp)) for _ in range(runs)]
                verdict = "meets" if max(times) < GOAL_SECONDS else "MISSES"
                median, worst = statistics.median(times) * 1000, max(times) * 1000
                print(
                    f"e2e latency ({path}): median {median:.0f} ms, max {worst:.0f} ms over {runs} runs; "
                    f"goal < {GOAL_SECONDS:.0f} s: {verdict}"
                )
    finally:
        controller.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    asyncio.run(measure(parser.parse_args().runs))


if __name__ == "__main__":
    main()
