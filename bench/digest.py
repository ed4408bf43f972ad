"""Benchmark: the weekly digest for 1,000 subscribers, rendered and delivered to a local SMTP server.

Run: .venv/bin/python -m bench.digest [--subscribers N]
Setup (not timed): 1,000 importers, each with the sample portfolio's pressure-washer products and
one ops subscriber; the real order FR Doc 2024-02902 is polled from a local server so every digest
has a week's event, deadlines and exposure to show. Timed: queueing the 1,000 digests (building
each payload from the catalog) and delivering them through one SMTP server on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import tempfile
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from pydantic import SecretStr

from worker.alerts.digest import run_digests
from worker.app.dbsetup import init_database
from worker.app.recorded_site import RecordedSite, Route
from worker.app.runtime import run_delivery, run_poll
from worker.app.settings import Settings
from worker.storage import people, source_rows
from worker.storage.db import make_engine, transaction
from worker.storage.models import Product, Subscriber

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"
GOAL_SECONDS = 30.0
POLLED_AT = datetime(2024, 2, 12, 12, 0, tzinfo=UTC)  # Monday: the order is published
DIGEST_AT = datetime(2024, 2, 19, 13, 0, tzinfo=UTC)  # the next Monday, 08:00 Eastern


class Accepted:
    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.count += 1
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def populate(engine: Any, subscribers: int) -> None:
    with transaction(engine) as session:
        for n in range(subscribers):
            importer = people.load_or_create_importer(session, f"Importer {n:04d}")
            assert importer.id is not None
            for sku, exporter in (("PW-3100", "Sumec Hardware & Tools Co., Ltd."), ("PW-2700", "Other Co.")):
                session.add(
                    Product(
                        importer_id=importer.id,
                        sku=sku,
                        description="gas pressure washer",
                        hts="8424309000",
                        country="CN",
                        producer=exporter,
                        exporter=exporter,
                        annual_entered_value=Decimal(250000 + n),
                    )
                )
            session.add(
                Subscriber(
                    email=f"ops{n:04d}@example.com",
                    importer_id=importer.id,
                    role="ops",
                    digest="weekly",
                    time_zone="America/New_York",
                    unsubscribe_token=f"t{n}",
                    created_at=POLLED_AT - timedelta(days=30),
                )
            )
        state = source_rows.load_source_state(session, "federal_register")
        state.cursor = "2024-02-09"
        session.add(state)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subscribers", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'bench.db'}")
        init_database(engine, load_seed=False)
        populate(engine, args.subscribers)
        sink = Accepted()
        controller = Controller(sink, hostname="127.0.0.1", port=free_port())
        controller.start()
        routes = [
            Route.from_file(
                "/api/v1/documents.json",
                FIXTURES / "fr_api" / "search_ita_2024-02-09.json",
                "application/json",
            ),
            Route.from_file(
                "/documents/full_text/xml/2024/02/12/2024-02902.xml",
                FIXTURES / "fr_api" / "2024-02902.xml",
                "application/xml",
            ),
        ]
        try:
            with RecordedSite(routes) as site:
                settings = Settings(
                    _env_file=None,  # type: ignore[call-arg]
                    federal_register_url=site.base_url + "/api/v1",
                    smtp_url=SecretStr(f"smtp://127.0.0.1:{controller.port}"),
                    database_url=str(engine.url),
                    http_requests_per_second=0,
                    delivery_batch=200,
                )
                report = asyncio.run(run_poll(settings, engine, "federal_register", now=POLLED_AT))
                assert report.ok, report.error
            started = time.perf_counter()
            queued = run_digests(engine, now=DIGEST_AT, threshold=settings.name_match_threshold)
            queued_at = time.perf_counter()
            sent = 0
            while True:
                delivered = asyncio.run(run_delivery(settings, engine, now=DIGEST_AT))
                sent += delivered.sent
                if delivered.claimed == 0:
                    break
            finished = time.perf_counter()
        finally:
            controller.stop()
    total = finished - started
    print(
        f"digest: {args.subscribers} subscribers, {queued} digests queued in {queued_at - started:.1f} s, "
        f"{sent} delivered ({sink.count} accepted by SMTP) in {finished - queued_at:.1f} s"
    )
    verdict = "meets" if total < GOAL_SECONDS and sink.count == args.subscribers else "misses"
    print(f"digest: {total:.1f} s in all; goal < {GOAL_SECONDS:.0f} s for 1,000: {verdict}")


if __name__ == "__main__":
    main()
