"""Benchmark: /metrics and /healthz scrape time over a large outbox, and one-click unsubscribe latency.

Run: .venv/bin/python -m bench.web [--alerts N]
Setup (not timed): a SQLite database with N alerts (90% sent, created→sent spread over a day; the rest
pending), 1,000 subscribers and three sources with totals. Timed: 20 scrapes of each endpoint through
a real uvicorn server on 127.0.0.1 (median and worst), and 200 one-click POSTs (RFC 8058 body).
/metrics reads the database at every scrape (the latency histogram walks every sent alert), so its
time grows with the outbox; this prints how much.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from pydantic import SecretStr

from tests.support.web import live_server
from worker.app.settings import Settings
from worker.storage.db import create_schema, make_engine, transaction
from worker.storage.models import Alert, SourceState, Subscriber
from worker.web.links import EmailLinks
from worker.web.tokens import LinkTokens

NOW = datetime(2024, 2, 12, 12, 0, tzinfo=UTC)
SECRET = "bench-secret-key-0123456789-abcdefghijkl"
SUBSCRIBERS = 1000
KINDS = ("order", "rate_change", "reminder", "new_deadline", "digest")


def populate(engine: object, alerts: int) -> list[Subscriber]:
    rows: list[Subscriber] = []
    with transaction(engine) as session:  # type: ignore[arg-type]
        for n in range(SUBSCRIBERS):
            subscriber = Subscriber(email=f"buyer{n}@example.com", role="importer")
            session.add(subscriber)
            rows.append(subscriber)
        session.flush()
        for name in ("federal_register", "public_inspection", "trade_gov"):
            session.add(
                SourceState(name=name, polls_total=5000, documents_read_total=800, last_success_at=NOW)
            )
        for n in range(alerts):
            created = NOW - timedelta(minutes=n % 1440)
            sent = n % 10 != 0
            session.add(
                Alert(
                    dedupe_key=f"bench:{n}",
                    subscriber_id=rows[n % SUBSCRIBERS].id or 0,
                    kind=KINDS[n % len(KINDS)],
                    status="sent" if sent else "pending",
                    created_at=created,
                    sent_at=created + timedelta(seconds=(n * 37) % 7200) if sent else None,
                )
            )
    return rows


def timed(call: object, times: int) -> list[float]:
    spent = []
    for _ in range(times):
        started = time.perf_counter()
        call()  # type: ignore[operator]
        spent.append((time.perf_counter() - started) * 1000)
    return spent


def summary(spent: list[float]) -> str:
    return f"median {statistics.median(spent):.1f} ms, worst {max(spent):.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--alerts", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        engine = make_engine(f"sqlite:///{Path(scratch) / 'bench.db'}")
        create_schema(engine)
        started = time.perf_counter()
        subscribers = populate(engine, args.alerts)
        took = time.perf_counter() - started
        print(f"setup: {args.alerts:,} alerts, {SUBSCRIBERS:,} subscribers in {took:.1f} s")
        settings = Settings(_env_file=None, secret_key=SecretStr(SECRET))  # type: ignore[call-arg]
        links = EmailLinks(LinkTokens(SECRET, clock=lambda: NOW), "http://127.0.0.1")
        with live_server(settings, engine) as base, httpx.Client(base_url=base) as client:
            for name, path in (("/metrics", "/metrics"), ("/healthz", "/healthz")):
                spent = timed(lambda p=path: client.get(p).raise_for_status(), 20)
                print(f"{name}: {summary(spent)} (20 scrapes)")
            paths = [
                links.unsubscribe(s, "order").removeprefix("http://127.0.0.1") for s in subscribers[:200]
            ]
            body = {
                "content": b"List-Unsubscribe=One-Click",
                "headers": {"Content-Type": "application/x-www-form-urlencoded"},
            }
            spent = [
                timed(lambda p=p: client.post(p, **body).raise_for_status(), 1)[0]  # type: ignore[arg-type]
                for p in paths
            ]
            print(f"one-click unsubscribe: {summary(spent)} (200 POSTs)")
        engine.dispose()


if __name__ == "__main__":
    main()
