"""Benchmark: end-to-end latency from a new document appearing on a local server to its email accepted
by a local SMTP server, with the poll triggered at once (no scheduler wait).

Run: .venv/bin/python -m bench.e2e_latency [--runs N]
Two paths, each on a fresh database with the sample portfolio subscribed: the published notice
(documents.json + its real XML, FR Doc 2024-02902) and the public-inspection filing (current.json,
constructed in the real shape). The clock starts when the server starts answering with the document
and stops when the SMTP server has accepted the message.

Then time-to-alert through the shared cache: the real 2026-10-02 desk behind a look-alike of the
API's shared cache (bench/_fr_site.StaleSharedCache: a URL already asked gets its first copy for up to
104 minutes), polled every 30 s on a simulated clock, with and without the cache-buster. The melamine
filing (2026-20383) reaches the origin at a random moment after the cache stored the desk without it;
time-to-alert is the simulated wait until a poll sees it plus the measured time of that poll and its
delivery. Reported next to the 60-second goal.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import socket
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from pydantic import SecretStr

from bench._fr_site import SHARED_CACHE_MAX_AGE_SECONDS, StaleSharedCache
from tests.support.pipeline import set_cursor, subscribe_sample_portfolio
from tests.support.polls import poll_desk
from worker.app.dbsetup import init_database
from worker.app.recorded_site import RecordedSite, Route
from worker.app.runtime import open_fetcher, run_delivery, run_poll
from worker.app.settings import Settings
from worker.catalog.seed import load_seed_catalog
from worker.portfolios.files import import_portfolio
from worker.storage import people
from worker.storage.db import make_engine, transaction
from worker.storage.models import Case, CaseHts, Subscriber

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"
SEARCH = "/api/v1/documents.json"
CURRENT = "/api/v1/public-inspection-documents/current.json"
XML = "/documents/full_text/xml/2024/02/12/2024-02902.xml"
EMPTY_SEARCH = b'{"description": "Documents published on or after 02/09/2024", "count": 0}'
EMPTY_CURRENT = b'{"count": 0, "results": []}'
GOAL_SECONDS = 2.0
TIME_TO_ALERT_GOAL_SECONDS = 60.0
POLL_SECONDS = 30.0
DESK = FIXTURES / "fr_api" / "fr_api_recorded_2026-10-02_pi_current.json"
MELAMINE_FILING = "2026-20383"
MELAMINE_PORTFOLIO = (
    "importer,sku,description,hts,country_of_origin,producer,exporter,annual_entered_value_usd\n"
    "Bench Laminates LLC,MEL-99,Melamine crystal,2933.61.0000,CN,,,400000\n"
)


class Accepted:
    def __init__(self) -> None:
        self.at: list[float] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.at.append(time.perf_counter())
        return "250 OK"


def prepare(db: Path) -> Any:
    engine = make_engine(f"sqlite:///{db}")
    init_database(engine, load_seed=False)
    subscribe_sample_portfolio(engine)
    set_cursor(engine, "2024-02-09")
    with transaction(engine) as session:
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
                report = await poll_desk(engine, fetcher, base_url=settings.federal_register_url, now=now)
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


def prepare_melamine(tmp: Path, name: str) -> Any:
    """The bundled real catalog and one importer of melamine from China, subscribed."""
    engine = make_engine(f"sqlite:///{tmp / name}")
    init_database(engine, load_seed=False)
    with transaction(engine) as session:
        load_seed_catalog(session)
    portfolio = tmp / f"{name}.csv"
    portfolio.write_text(MELAMINE_PORTFOLIO)
    assert not import_portfolio(engine, portfolio).errors
    with transaction(engine) as session:
        importer = people.load_or_create_importer(session, "Bench Laminates LLC")
        session.add(
            Subscriber(
                email="buyer@laminates.example",
                importer_id=importer.id,
                role="importer",
                unsubscribe_token="m",
                created_at=datetime.now(UTC),
            )
        )
    return engine


async def one_cached_run(
    *, bust_cache: bool, filed_after: float, smtp_url: str, accepted: Accepted, tmp: Path, run: int
) -> tuple[float, int, int]:
    """(time-to-alert in seconds, polls, requests) for a filing reaching the origin `filed_after`
    seconds after the cache stored the desk without it."""
    desk = json.loads(DESK.read_bytes())
    without = dict(desk, results=[r for r in desk["results"] if r["document_number"] != MELAMINE_FILING])
    engine = prepare_melamine(tmp, f"cache-{bust_cache}-{run}.db")
    clock = {"t": 0.0}
    cache = StaleSharedCache(CURRENT, lambda: clock["t"])
    cache.origin = json.dumps(without).encode()
    start = datetime(2026, 10, 2, 12, 45, tzinfo=UTC)
    with RecordedSite([]) as site:
        site.hook = cache.hook
        settings = Settings(
            _env_file=None,
            federal_register_url=site.base_url + "/api/v1",
            trade_gov_url=site.base_url,
            smtp_url=SecretStr(smtp_url),
            database_url=str(engine.url),
            http_requests_per_second=0,
        )
        polls = 0
        async with open_fetcher(settings) as fetcher:
            while True:
                if clock["t"] >= filed_after:
                    cache.origin = DESK.read_bytes()
                now = start + timedelta(seconds=clock["t"])
                began = time.perf_counter()
                report = await poll_desk(
                    engine, fetcher, base_url=settings.federal_register_url, now=now, bust_cache=bust_cache
                )
                polls += 1
                if report.alerts_created:
                    delivered = await run_delivery(settings, engine, now=now)
                    assert delivered.sent == 1, delivered
                    wall = accepted.at[-1] - began
                    break
                assert report.ok, report
                clock["t"] += POLL_SECONDS
            requests = fetcher.requests_made
    engine.dispose()
    return clock["t"] - filed_after + wall, polls, requests


async def measure_shared_cache(runs: int, smtp_url: str, accepted: Accepted) -> None:
    rng = random.Random(20261002)
    moments = [rng.uniform(0, SHARED_CACHE_MAX_AGE_SECONDS) for _ in range(runs)]
    with tempfile.TemporaryDirectory() as tmp:
        for bust_cache in (True, False):
            results = [
                await one_cached_run(
                    bust_cache=bust_cache,
                    filed_after=moment,
                    smtp_url=smtp_url,
                    accepted=accepted,
                    tmp=Path(tmp),
                    run=i,
                )
                for i, moment in enumerate(moments)
            ]
            times = [t for t, _, _ in results]
            polls = sum(p for _, p, _ in results)
            requests = sum(r for _, _, r in results)
            verdict = "meets" if max(times) < TIME_TO_ALERT_GOAL_SECONDS else "MISSES"
            label = "with cache-buster" if bust_cache else "without cache-buster"
            print(
                f"time-to-alert through the shared cache ({label}, {POLL_SECONDS:.0f} s polls): "
                f"median {statistics.median(times):.1f} s, max {max(times):.1f} s over {runs} filings "
                f"({polls} polls, {requests} requests); goal < {TIME_TO_ALERT_GOAL_SECONDS:.0f} s: {verdict}"
            )


async def measure_all(runs: int, cache_runs: int) -> None:
    await measure(runs)
    accepted = Accepted()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    controller = Controller(accepted, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        await measure_shared_cache(cache_runs, f"smtp://127.0.0.1:{port}", accepted)
    finally:
        controller.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--cache-runs", type=int, default=5)
    args = parser.parse_args()
    asyncio.run(measure_all(args.runs, args.cache_runs))


if __name__ == "__main__":
    main()
