"""The bulk-alert circuit breaker: a notice that would alert more subscribers than the threshold is held,
the operator is told, nothing else is sent until `adcvd hold release`, and then every alert goes."""

from __future__ import annotations

import asyncio
import mailbox
from datetime import UTC, datetime
from email import message_from_bytes
from email.policy import default
from pathlib import Path

import httpx
from typer.testing import CliRunner

from tests.support.mail import text_of
from tests.support.pipeline import pressure_washer_routes, set_cursor, subscribe_sample_portfolio
from tests.support.polls import poll_fr
from watchers.http import Fetcher
from worker.alerts.holds import BulkHold
from worker.app.cli import app
from worker.app.recorded_site import RecordedSite
from worker.storage import outbox_rows
from worker.storage.db import create_schema, make_engine, transaction

OPERATOR = "ops@adcvd-watch.example"


def kinds(outbox: Path) -> list[str]:
    return sorted(str(m["X-ADCVD-Kind"]) for m in mailbox.Maildir(outbox, create=False))


def test_a_notice_alerting_more_subscribers_than_the_threshold_waits_for_the_operator(tmp_path: Path) -> None:
    database_url = f"sqlite:///{tmp_path / 'adcvd.db'}"
    outbox = tmp_path / "outbox"
    runner = CliRunner()
    with RecordedSite(pressure_washer_routes()) as site:
        env = {
            "ADCVD_DATABASE_URL": database_url,
            "ADCVD_FEDERAL_REGISTER_URL": site.base_url + "/api/v1",
            "ADCVD_TRADE_GOV_URL": site.base_url,
            "ADCVD_OUTBOX_DIR": str(outbox),
            "ADCVD_HTTP_MAX_RETRIES": "0",
            "ADCVD_HTTP_REQUESTS_PER_SECOND": "0",
            "ADCVD_OPERATOR_EMAIL": OPERATOR,
            "ADCVD_BULK_ALERT_THRESHOLD": "2",
        }
        assert runner.invoke(app, ["init"], env=env).exit_code == 0
        engine = make_engine(database_url)
        subscribe_sample_portfolio(engine, email="buyer0@example.com")
        for n in range(1, 3):
            added = runner.invoke(
                app,
                ["subscriber", "add", f"buyer{n}@example.com", "--importer", "Demo Outdoor Power Inc."],
                env=env,
            )
            assert added.exit_code == 0, added.output
        set_cursor(engine, "2024-02-09")

        polled = runner.invoke(app, ["poll", "federal_register"], env=env)
        assert polled.exit_code == 0, polled.output
        assert "0 alerts, 3 held for the operator" in polled.output
        assert runner.invoke(app, ["deliver"], env=env).exit_code == 0
        assert "order" not in kinds(outbox)  # the subscribers wait; the operator hears
        [told] = [m for m in mailbox.Maildir(outbox, create=False) if "Held" in str(m["Subject"])]
        assert told["To"] == OPERATOR and "2024-02902 would alert 3 subscribers" in str(told["Subject"])
        body = text_of(message_from_bytes(bytes(told), policy=default))  # type: ignore[arg-type]
        assert "adcvd hold release 2024-02902" in body and "threshold is 2" in body

        listed = runner.invoke(app, ["hold", "list"], env=env)
        assert "2024-02902\t3 alerts held" in listed.output
        released = runner.invoke(app, ["hold", "release", "2024-02902"], env=env)
        assert released.exit_code == 0 and "3 alerts for 2024-02902 released" in released.output
        assert runner.invoke(app, ["deliver"], env=env).exit_code == 0
    assert kinds(outbox).count("order") == 3
    assert "nothing held" in runner.invoke(app, ["hold", "list"], env=env).output
    again = runner.invoke(app, ["hold", "release", "2024-02902"], env=env)
    assert again.exit_code == 1 and "no alerts held for 2024-02902" in again.output


def test_at_or_under_the_threshold_nothing_is_held(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'adcvd.db'}")
    create_schema(engine)
    subscribe_sample_portfolio(engine)
    set_cursor(engine, "2024-02-09")

    async def poll() -> None:
        with RecordedSite(pressure_washer_routes()) as site:
            async with httpx.AsyncClient() as client:
                fetcher = Fetcher(client=client, allowed_hosts=frozenset({site.base_url}), max_retries=0)
                report = await poll_fr(
                    engine,
                    fetcher,
                    base_url=site.base_url + "/api/v1",
                    now=datetime(2024, 2, 12, 12, 0, tzinfo=UTC),
                    bulk_hold=BulkHold(1, OPERATOR),
                )
        assert report.alerts_created == 1 and report.alerts_held == 0

    asyncio.run(poll())
    with transaction(engine) as session:
        assert [a.status for a in outbox_rows.list_alerts(session)] == ["pending"]
