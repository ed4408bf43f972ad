"""The web pages on a real uvicorn server on 127.0.0.1 (a free port, in a thread), and test settings."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

import uvicorn
from sqlalchemy.engine import Engine

from tests.support.mail import free_port
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
