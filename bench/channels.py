"""Benchmark: the real order's alerts delivered to webhook, Slack and Teams subscribers on a local receiver.

Run: .venv/bin/python -m bench.channels [--subscribers N]
Setup (not timed): one importer with the sample portfolio's pressure-washer products and N subscribers,
a third each by webhook, Slack and Teams, all posting to one HTTP server on 127.0.0.1 that answers 200;
the real order FR Doc 2024-02902 is polled from a local server, queueing one alert per subscriber.
Timed: delivery (render the Block Kit message, Adaptive Card or signed JSON, POST, mark sent), and
rendering alone.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import threading
import time
from datetime import UTC, datetime
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from bench.digest import FIXTURES, free_port
from worker.app.dbsetup import init_database
from worker.app.recorded_site import RecordedSite, Route
from worker.app.runtime import run_delivery, run_poll
from worker.app.settings import Settings
from worker.outbox.channels import channel_request
from worker.storage import outbox_rows, people, source_rows
from worker.storage.db import make_engine, transaction
from worker.storage.models import Product, Subscriber

POLLED_AT = datetime(2024, 2, 12, 12, 0, tzinfo=UTC)
CHANNELS = ("webhook", "slack", "teams")


class Counting(BaseHTTPRequestHandler):
    posts = 0
    lock = threading.Lock()

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with Counting.lock:
            Counting.posts += 1
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, format: str, *args: Any) -> None:
        return


def populate(engine: Any, subscribers: int, port: int) -> None:
    with transaction(engine) as session:
        importer = people.load_or_create_importer(session, "Bench Importer")
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
                    annual_entered_value=Decimal(250000),
                )
            )
        for n in range(subscribers):
            channel = CHANNELS[n % 3]
            session.add(
                Subscriber(
                    email=f"{channel}{n:04d}@example.com",
                    importer_id=importer.id,
                    role="importer",
                    digest="none",
                    unsubscribe_token=f"t{n}",
                    created_at=POLLED_AT,
                    channel=channel,
                    channel_url=f"http://127.0.0.1:{port}/{channel}/{n}",
                    signing_secret="bench-secret" if channel == "webhook" else None,
                )
            )
        state = source_rows.load_source_state(session, "federal_register")
        state.cursor = "2024-02-09"
        session.add(state)


def render_times(engine: Any) -> dict[str, tuple[float, int]]:
    """Milliseconds per rendering of one alert, and its body size, by channel."""
    found: dict[str, tuple[float, int]] = {}
    with transaction(engine) as session:
        subscribers = {s.id: s for s in people.list_subscribers(session)}
        for alert in outbox_rows.list_alerts(session, limit=3):
            subscriber = subscribers[alert.subscriber_id]
            started = time.perf_counter()
            for _ in range(50):
                request = channel_request(alert, subscriber)
            found[subscriber.channel] = ((time.perf_counter() - started) * 1000 / 50, len(request.body))
            json.loads(request.body)
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subscribers", type=int, default=300)
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Counting)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'bench.db'}")
        init_database(engine, load_seed=False)
        populate(engine, args.subscribers, server.server_address[1])
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
        with RecordedSite(routes) as site:
            settings = Settings(
                _env_file=None,  # type: ignore[call-arg]
                federal_register_url=site.base_url + "/api/v1",
                database_url=str(engine.url),
                outbox_dir=Path(tmp) / "outbox",
                http_requests_per_second=0,
                delivery_batch=200,
            )
            report = asyncio.run(run_poll(settings, engine, "federal_register", now=POLLED_AT))
            assert report.ok, report.error
        rendering = render_times(engine)
        started = time.perf_counter()
        sent = 0
        while True:
            delivered = asyncio.run(run_delivery(settings, engine, now=POLLED_AT))
            sent += delivered.sent
            if delivered.claimed == 0:
                break
        elapsed = time.perf_counter() - started
    server.shutdown()
    for channel, (ms, size) in sorted(rendering.items()):
        print(f"channels: render {channel}: {ms:.2f} ms per alert, body {size:,} bytes")
    print(
        f"channels: {sent} alerts POSTed and marked sent ({Counting.posts} received) in {elapsed:.1f} s, "
        f"{sent / elapsed:.0f} alerts/s (one worker, SQLite, receiver on 127.0.0.1)"
    )


if __name__ == "__main__":
    main()
