"""The web surface on uvicorn: `adcvd serve` in the foreground, or beside the scheduler in a thread."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from sqlalchemy.engine import Engine

from worker.app.settings import ConfigError, Settings
from worker.web.app import build_app

STARTUP_TIMEOUT_SECONDS = 30.0


def web_server(
    settings: Settings, engine: Engine, *, host: str | None = None, port: int | None = None
) -> uvicorn.Server:
    """A uvicorn server for the pages: binds ADCVD_SERVE_HOST (127.0.0.1 unless told otherwise).

    uvicorn's access log is off (its lines carry the path, hence the token); worker.web.guards logs
    each request with the path redacted. ConfigError without ADCVD_SECRET_KEY.
    """
    if not settings.secret_key_value():
        raise ConfigError(
            "bad setting ADCVD_SECRET_KEY: not set; the web pages sign their links with it "
            "(at least 32 random characters)"
        )
    app = build_app(settings, engine)
    config = uvicorn.Config(
        app,
        host=host or settings.serve_host,
        port=settings.serve_port if port is None else port,
        access_log=False,
        log_config=None,  # keep the CLI's logging set-up
        server_header=False,
        proxy_headers=False,  # X-Forwarded-For is not trusted from anyone by default
        timeout_graceful_shutdown=10,
    )
    return uvicorn.Server(config)


@contextmanager
def serving_in_thread(server: uvicorn.Server) -> Iterator[uvicorn.Server]:
    """Run `server` in a thread (no signal handlers there) until the block ends; RuntimeError when it
    cannot listen (the address is taken, say)."""
    failure: list[BaseException] = []

    def serve() -> None:
        try:
            server.run()
        except BaseException as exc:  # uvicorn exits (SystemExit) when it cannot bind
            failure.append(exc)

    thread = threading.Thread(target=serve, name="adcvd-web", daemon=True)
    thread.start()
    while not server.started:
        thread.join(timeout=0.05)  # wakes as soon as the thread ends; otherwise looks at `started` again
        if not thread.is_alive():
            config = server.config
            raise RuntimeError(f"the web server could not listen on {config.host}:{config.port}")
    try:
        yield server
    finally:
        server.should_exit = True
        thread.join(timeout=STARTUP_TIMEOUT_SECONDS)
