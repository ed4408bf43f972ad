"""The command line end to end: init, portfolio, subscriber, `run --once` twice, status."""

from __future__ import annotations

import mailbox
from pathlib import Path

from typer.testing import CliRunner

from tests.support.fixtures import fixture
from tests.support.pipeline import pressure_washer_routes, set_cursor
from worker.app.cli import app
from worker.app.recorded_site import RecordedSite, Route
from worker.storage.db import make_engine


def test_run_once_polls_and_delivers_and_a_second_run_sends_nothing(tmp_path: Path) -> None:
    database_url = f"sqlite:///{tmp_path / 'adcvd.db'}"
    outbox = tmp_path / "outbox"
    listing = Route("/ec-adcvd-case-announcements", b"<html><body><main></main></body></html>", "text/html")
    desk = Route("/api/v1/public-inspection-documents/current.json", b'{"count": 0, "results": []}')
    runner = CliRunner()
    with RecordedSite([*pressure_washer_routes(), listing, desk]) as site:
        env = {
            "ADCVD_DATABASE_URL": database_url,
            "ADCVD_FEDERAL_REGISTER_URL": site.base_url + "/api/v1",
            "ADCVD_TRADE_GOV_URL": site.base_url,
            "ADCVD_OUTBOX_DIR": str(outbox),
            "ADCVD_HTTP_MAX_RETRIES": "0",
            "ADCVD_HTTP_REQUESTS_PER_SECOND": "0",
        }
        assert runner.invoke(app, ["init"], env=env).exit_code == 0
        portfolio = fixture("portfolio", "sample_portfolio.csv")
        imported = runner.invoke(app, ["portfolio", "import", str(portfolio)], env=env)
        assert imported.exit_code == 0, imported.output
        added = runner.invoke(
            app, ["subscriber", "add", "buyer@example.com", "--importer", "Demo Outdoor Power Inc."], env=env
        )
        assert added.exit_code == 0, added.output
        set_cursor(make_engine(database_url), "2024-02-09")  # as if watching since the Friday before

        first = runner.invoke(app, ["run", "--once"], env=env)
        assert first.exit_code == 0, first.output
        assert "1 alerts" in first.output
        box = mailbox.Maildir(outbox, create=False)
        # The baseline report queued by `subscriber add`, and the alert for the order.
        assert sorted(str(m["X-ADCVD-Kind"]) for m in box) == ["baseline", "order"]
        assert {m["To"] for m in box} == {"buyer@example.com"}

        second = runner.invoke(app, ["run", "--once"], env=env)
        assert second.exit_code == 0, second.output
        assert len(mailbox.Maildir(outbox, create=False)) == 2

        status = runner.invoke(app, ["status"], env=env)
        assert "federal_register: cursor 2024-02-12" in status.output
        assert "outbox: sent 2" in status.output


def test_run_refuses_the_localhost_sender_when_smtp_is_configured(tmp_path: Path) -> None:
    env = {
        "ADCVD_DATABASE_URL": f"sqlite:///{tmp_path / 'adcvd.db'}",
        "ADCVD_SMTP_URL": "smtp://127.0.0.1:2525",
        "ADCVD_MAIL_FROM": "adcvd-watch <alerts@adcvd-watch.localhost>",
    }
    result = CliRunner().invoke(app, ["run", "--once"], env=env)
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "ADCVD_MAIL_FROM" in lines[0] and "alerts@adcvd-watch.localhost" in lines[0]
    assert not (tmp_path / "adcvd.db").exists()  # refused before touching anything
