"""Benchmark: building a calendar feed and a portfolio page from the database, as each request does.

Run: .venv/bin/python -m bench.web_pages [--importers N] [--products N]
Setup (not timed): N importers with the sample portfolio's pressure-washer lines and one counsel
each, one ops subscriber, and one large importer with --products lines; the real order FR Doc
2024-02902 is polled from a local server, so every feed has its deadlines and every line a rate.
Timed: one counsel's feed, the ops feed (every importer), and the large importer's portfolio page
(exposure and deadlines), each the median of several builds (what one GET costs, less HTTP).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from worker.alerts.deadline_feed import feed_calendar
from worker.alerts.portfolio_exposure import deadlines_ahead, portfolio_exposure
from worker.app.dbsetup import init_database
from worker.app.recorded_site import RecordedSite, Route
from worker.app.runtime import run_poll
from worker.app.settings import Settings
from worker.storage import people, source_rows
from worker.storage.db import make_engine, transaction
from worker.storage.models import Product, Subscriber

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"
POLLED_AT = datetime(2024, 2, 12, 12, 0, tzinfo=UTC)
LADDER = (30, 14, 7, 2, 0)
RUNS = 5


def add_importer(session: Any, name: str, lines: int, role: str) -> None:
    importer = people.load_or_create_importer(session, name)
    assert importer.id is not None
    for n in range(lines):
        producer = "Sumec Hardware & Tools Co., Ltd." if n % 2 == 0 else f"Other Co. {n}"
        session.add(
            Product(importer_id=importer.id, sku=f"PW-{n:05d}", description="gas pressure washer",
                    hts="8424309000", country="CN" if n % 3 else "VN", producer=producer,
                    exporter=producer, annual_entered_value=Decimal(250000 + n))
        )  # fmt: skip
    session.add(Subscriber(email=f"{role}@{importer.id}.example", importer_id=importer.id, role=role))


def median_seconds(build: Callable[[], object]) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        build()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--importers", type=int, default=200)
    parser.add_argument("--products", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'bench.db'}")
        init_database(engine, load_seed=False)
        with transaction(engine) as session:
            for n in range(args.importers):
                add_importer(session, f"Importer {n:04d}", 3, "counsel")
            add_importer(session, "Large Importer", args.products, "ops")
            state = source_rows.load_source_state(session, "federal_register")
            state.cursor = "2024-02-09"
            session.add(state)
        routes = [
            Route.from_file("/api/v1/documents.json", FIXTURES / "fr_api" / "search_ita_2024-02-09.json",
                            "application/json"),
            Route.from_file("/documents/full_text/xml/2024/02/12/2024-02902.xml",
                            FIXTURES / "fr_api" / "2024-02902.xml", "application/xml"),
        ]  # fmt: skip
        with RecordedSite(routes) as site:
            settings = Settings(
                _env_file=None,  # type: ignore[call-arg]
                federal_register_url=site.base_url + "/api/v1",
                database_url=str(engine.url),
                http_requests_per_second=0,
            )
            assert asyncio.run(run_poll(settings, engine, "federal_register", now=POLLED_AT)).ok
        with transaction(engine) as session:
            counsel = people.list_subscribers_by_email(session, "counsel@1.example")[0]
            large = people.load_importer(session, "Large Importer")
            assert large is not None and large.id is not None
            [ops] = [s for s in people.list_subscribers(session) if s.role == "ops"]
            one = median_seconds(lambda: feed_calendar(session, counsel, now=POLLED_AT, ladder=LADDER))
            size = len(feed_calendar(session, ops, now=POLLED_AT, ladder=LADDER))
            every = median_seconds(lambda: feed_calendar(session, ops, now=POLLED_AT, ladder=LADDER))
            page = median_seconds(
                lambda: (
                    portfolio_exposure(session, large.id or 0, entry_date=POLLED_AT.date(), threshold=90),
                    deadlines_ahead(session, large.id or 0, today=POLLED_AT.date()),
                )
            )
    print(f"web_pages: one counsel's feed (3 products): {one * 1000:.0f} ms (median of {RUNS})")
    ops_label = f"the ops feed of an importer of {args.products:,} products ({size:,} bytes)"
    print(f"web_pages: {ops_label}: {every * 1000:.0f} ms")
    print(
        f"web_pages: portfolio page, {args.products:,} products (exposure, deadlines): {page * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
