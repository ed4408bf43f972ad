"""`adcvd serve` and `adcvd run` with ADCVD_SERVE_WITH_RUN: settings checked at start, 127.0.0.1 by
default, no token in any log line, and the server beside the scheduler in a real worker process."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from tests.faults.harness import wait_until
from tests.support.mail import free_port
from tests.support.pipeline import IMPORTER_EMAIL, subscribe_sample_portfolio
from tests.support.web import SECRET_KEY, live_server, web_settings
from worker.app.cli import app
from worker.app.web_server import serving_in_thread, web_server
from worker.storage.db import create_schema, make_engine

TOKEN = "eyJzIjoxLCJwIjoidW5zdWJzY3JpYmUiLCJ2IjowfQ.ZcoIfA.not-a-real-signature-at-all"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "error: bad setting ADCVD_SECRET_KEY: not set; the web pages sign their links with it"),
        ({"ADCVD_SECRET_KEY": "short"}, "error: bad setting ADCVD_SECRET_KEY: too short: use at least 32"),
        (
            {"ADCVD_PUBLIC_URL": "http://alerts.example.com", "ADCVD_SECRET_KEY": SECRET_KEY},
            "error: bad setting ADCVD_PUBLIC_URL: must be https (mail providers require https for one-click "
            "unsubscribe); plain http only on 127.0.0.1 or localhost, for a trial",
        ),
        (
            {"ADCVD_PUBLIC_URL": "https://alerts.example.com"},
            "error: bad setting ADCVD_SECRET_KEY: not set, and ADCVD_PUBLIC_URL is",
        ),
        (
            {"ADCVD_PUBLIC_URL": "https://alerts.example.com/?next=x", "ADCVD_SECRET_KEY": SECRET_KEY},
            "error: bad setting ADCVD_PUBLIC_URL: must be a plain base URL",
        ),
    ],
    ids=["no-secret", "short-secret", "http-public-url", "public-url-without-secret", "url-with-query"],
)
def test_serve_refuses_bad_web_settings_in_one_line(
    tmp_path: Path, env: dict[str, str], message: str
) -> None:
    base = {
        "ADCVD_DATABASE_URL": f"sqlite:///{tmp_path / 'a.db'}",
        "ADCVD_SECRET_KEY": "",
        "ADCVD_PUBLIC_URL": "",
    }
    result = CliRunner().invoke(app, ["serve", "--port", str(free_port())], env={**base, **env})
    assert result.exit_code == 2, result.output
    assert result.output.startswith(message) and result.output.count("\n") == 1


def test_the_server_binds_loopback_and_logs_no_token(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'a.db'}")
    create_schema(engine)
    server = web_server(web_settings(), engine, port=free_port())
    assert server.config.host == "127.0.0.1" and server.config.access_log is False
    caplog.set_level("DEBUG")
    with serving_in_thread(server):
        base = f"http://127.0.0.1:{server.config.port}"
        assert httpx.get(f"{base}/healthz").status_code == 200
        assert httpx.get(f"{base}/u/{TOKEN}").status_code == 404
        assert httpx.get(f"{base}/p/{TOKEN}?email=someone@example.com").status_code == 404
        with socket.socket() as other:  # the address is taken while it serves
            assert other.connect_ex(("127.0.0.1", server.config.port)) == 0
        taken = web_server(web_settings(), engine, port=server.config.port)
        with pytest.raises(RuntimeError, match=r"could not listen on 127\.0\.0\.1"), serving_in_thread(taken):
            pass
    server_lines = [r.getMessage() for r in caplog.records if not r.name.startswith(("httpx", "httpcore"))]
    logged = "\n".join(server_lines)
    assert "GET /u/… 404" in logged and "GET /p/… 404" in logged and "GET /healthz 200" in logged
    assert TOKEN not in logged and "someone@example.com" not in logged
    engine.dispose()


def test_run_serves_the_pages_beside_the_scheduler_until_sigterm(tmp_path: Path) -> None:
    dead = f"http://127.0.0.1:{free_port()}"  # every source: connection refused, at once
    port = free_port()
    env = {
        **os.environ,
        "ADCVD_DATABASE_URL": f"sqlite:///{tmp_path / 'adcvd.db'}",
        "ADCVD_OUTBOX_DIR": str(tmp_path / "outbox"),
        "ADCVD_FEDERAL_REGISTER_URL": f"{dead}/api/v1",
        "ADCVD_TRADE_GOV_URL": dead,
        "ADCVD_PUBLIC_INSPECTION_PDF_URL": dead,
        "ADCVD_HTTP_MAX_RETRIES": "0",
        "ADCVD_SECRET_KEY": SECRET_KEY,
        "ADCVD_SERVE_WITH_RUN": "true",
        "ADCVD_SERVE_PORT": str(port),
        "ADCVD_SMTP_URL": "",
        "ADCVD_PUBLIC_URL": "",
    }
    command = [sys.executable, "-c", "from worker.app.cli import main; main()", "run"]
    process = subprocess.Popen(
        command, env=env, cwd=tmp_path, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:

        def answers() -> bool:
            try:
                return httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code in (200, 503)
            except httpx.TransportError:
                assert process.poll() is None, process.communicate()
                return False

        wait_until(answers, timeout=60, what="the web server of `adcvd run`")
        assert httpx.get(f"http://127.0.0.1:{port}/u/{TOKEN}").status_code == 404
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert f"serving the web pages on http://127.0.0.1:{port}" in out
    assert "GET /u/… 404" in err and TOKEN not in err
    with pytest.raises(httpx.TransportError):
        httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2)


def test_run_with_the_pages_but_no_secret_stops_before_starting(tmp_path: Path) -> None:
    env = {
        "ADCVD_DATABASE_URL": f"sqlite:///{tmp_path / 'a.db'}",
        "ADCVD_SERVE_WITH_RUN": "true",
        "ADCVD_SECRET_KEY": "",
        "ADCVD_PUBLIC_URL": "",
    }
    result = CliRunner().invoke(app, ["run"], env=env)
    assert result.exit_code == 2, result.output
    assert result.output.startswith("error: bad setting ADCVD_SECRET_KEY: not set")


def test_subscriber_link_prints_a_working_link_and_revoke_voids_every_earlier_one(
    engine: Engine, database_url: str
) -> None:
    subscribe_sample_portfolio(engine)
    port = free_port()
    env = {
        "ADCVD_DATABASE_URL": database_url,
        "ADCVD_SECRET_KEY": SECRET_KEY,
        "ADCVD_PUBLIC_URL": f"http://127.0.0.1:{port}",
    }
    first = CliRunner().invoke(app, ["subscriber", "link", IMPORTER_EMAIL.upper()], env=env)
    assert first.exit_code == 0, first.output
    [line, calendar] = first.output.splitlines()
    assert line.startswith(f"Demo Outdoor Power Inc.: http://127.0.0.1:{port}/p/")
    old_link = line.split(": ", 1)[1]
    # The calendar feed, for counsel to subscribe before any email with a deadline reaches them.
    assert calendar.startswith(f"  calendar feed: webcal://127.0.0.1:{port}/cal/")
    feed = calendar.split("(or ", 1)[1].rstrip(")")
    assert feed.startswith(f"http://127.0.0.1:{port}/cal/") and feed.endswith(".ics")
    with live_server(web_settings(public_url=env["ADCVD_PUBLIC_URL"]), engine, port=port):
        assert httpx.get(old_link).status_code == 200
        answer = httpx.get(feed)
        assert answer.status_code == 200 and answer.text.startswith("BEGIN:VCALENDAR")
        revoked = CliRunner().invoke(app, ["subscriber", "link", IMPORTER_EMAIL, "--revoke"], env=env)
        assert revoked.exit_code == 0, revoked.output
        assert revoked.output.startswith(f"revoked every link sent to {IMPORTER_EMAIL} (1 subscription(s))\n")
        new_link = revoked.output.splitlines()[1].split(": ", 1)[1]
        assert httpx.get(old_link).status_code == 404 and httpx.get(feed).status_code == 404
        assert httpx.get(new_link).status_code == 200
    nobody = CliRunner().invoke(app, ["subscriber", "link", "nobody@example.com"], env=env)
    assert nobody.exit_code == 1 and nobody.output == "error: no subscriber 'nobody@example.com'\n"
    unset = CliRunner().invoke(
        app, ["subscriber", "link", IMPORTER_EMAIL], env={**env, "ADCVD_PUBLIC_URL": ""}
    )
    assert unset.exit_code == 2 and unset.output.startswith(
        "error: set ADCVD_PUBLIC_URL and ADCVD_SECRET_KEY"
    )


def test_serve_on_a_database_without_subscribers_says_so(tmp_path: Path) -> None:
    """`make demo` then `adcvd serve` without ADCVD_DATABASE_URL serves a new, empty adcvd.db: every
    link of the demo's email would answer 'not valid' with nothing said about why."""
    url = f"sqlite:///{tmp_path / 'adcvd.db'}"
    env = {"ADCVD_DATABASE_URL": url, "ADCVD_SECRET_KEY": SECRET_KEY, "ADCVD_PUBLIC_URL": ""}
    with socket.socket() as taken:  # the port is taken, so serve stops once it has said its notes
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(app, ["serve", "--port", str(port)], env=env)
    # A taken port is an error of its own (uvicorn's exit 3 would read as "worker already running").
    assert result.exit_code == 1, result.output
    assert result.output.endswith(
        f"error: could not listen on 127.0.0.1:{port} (in use? choose another with --port)\n"
    )
    assert f"note: {url} has no subscribers: every link in an email will answer 'not valid'" in result.output
