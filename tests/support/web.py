"""The web pages on a real uvicorn server on 127.0.0.1 (a free port, in a thread), and test settings."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import uvicorn
from pydantic import SecretStr
from sqlalchemy.engine import Engine

from tests.support.mail import SmtpServer, free_port
from tests.support.pipeline import (
    pressure_washer_routes,
    set_cursor,
    settings_for,
    subscribe_sample_portfolio,
)
from worker.app.recorded_site import RecordedSite
from worker.app.runtime import run_delivery, run_poll
from worker.app.settings import Settings
from worker.web.app import build_app

SECRET_KEY = "test-secret-key-0123456789-abcdefghijklmnop"


def web_settings(**overrides: object) -> Settings:
    """Settings from nothing but these values (no environment, no .env)."""
    values: dict[str, object] = {"secret_key": SECRET_KEY, "public_url": "http://127.0.0.1:8080"}
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg, arg-type]


def _accepts(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


@contextmanager
def live_server(
    settings: Settings,
    engine: Engine,
    clock: Callable[[], datetime] | None = None,
    *,
    port: int | None = None,
) -> Iterator[str]:
    """Serve build_app on `port` (a free one by default) until the block ends; yields its base URL
    (http://127.0.0.1:N). Waits for the server by polling its socket (no sleep); fails if it dies first.
    """
    port = port or free_port()
    app = build_app(settings, engine, clock=clock) if clock else build_app(settings, engine)
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, access_log=False, log_config=None, lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not _accepts(port):
        if not thread.is_alive():
            raise RuntimeError(f"the test web server did not start on port {port}")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)


POLLED = datetime(2024, 2, 12, 12, 0, tzinfo=UTC)  # the pressure-washers order is in that day's issue


def deliver_order_alert(
    engine: Engine, tmp_path: Path, smtp: SmtpServer
) -> tuple[Settings, EmailMessage, int]:
    """The real pipeline: the sample portfolio subscribed, one poll of the recorded pressure-washers order
    (FR Doc 2024-02902), one delivery to aiosmtpd with links to a web server on a port chosen here.

    Returns (settings with ADCVD_PUBLIC_URL on that port, the delivered order alert, the port).
    """
    port = free_port()
    subscribe_sample_portfolio(engine)
    set_cursor(engine, "2024-02-09")
    with RecordedSite(pressure_washer_routes()) as site:
        settings = settings_for(
            site.base_url, smtp_url=smtp.url, outbox=tmp_path / "outbox", database_url=str(engine.url)
        ).model_copy(update={"public_url": f"http://127.0.0.1:{port}", "secret_key": SecretStr(SECRET_KEY)})
        report = asyncio.run(run_poll(settings, engine, "federal_register", now=POLLED))
    assert report.ok and report.alerts_created == 1, report
    sent = asyncio.run(run_delivery(settings, engine, now=POLLED + timedelta(minutes=1)))
    assert sent.sent == 1, sent
    [message] = smtp.sink.messages
    assert message["X-ADCVD-Kind"] == "order"
    return settings, message, port
