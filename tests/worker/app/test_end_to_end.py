"""The whole pipeline on real parts: a real HTTP server replaying the real order, a real SMTP server."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy.engine import Engine

from tests.support.mail import SmtpServer, html_of, text_of
from tests.support.pipeline import (
    IMPORTER_EMAIL,
    pressure_washer_routes,
    set_cursor,
    settings_for,
    subscribe_sample_portfolio,
)
from worker.app.recorded_site import RecordedSite
from worker.app.runtime import run_delivery, run_poll
from worker.storage import case_rows, outbox_rows, source_rows
from worker.storage.db import transaction


async def test_order_reaches_subscriber_once_with_cases_product_level_rate_and_citation(
    engine: Engine, smtp: SmtpServer, tmp_path: Path, now: datetime
) -> None:
    subscribe_sample_portfolio(engine)
    set_cursor(engine, "2024-02-09")
    with RecordedSite(pressure_washer_routes()) as site:
        settings = settings_for(
            site.base_url, smtp_url=smtp.url, outbox=tmp_path / "outbox", database_url=str(engine.url)
        )
        report = await run_poll(settings, engine, "federal_register", now=now)
        assert report.ok and report.documents_new == 1 and report.alerts_created == 1
        delivered = await run_delivery(settings, engine, now=now)
        assert delivered.sent == 1

        assert len(smtp.sink.messages) == 1
        message = smtp.sink.messages[0]
        assert message["To"] == IMPORTER_EMAIL
        text = text_of(message)
        for needle in (
            "A-570-148",
            "C-570-149",
            "PW-3100",  # the product, by SKU
            "10-digit level",  # HTS 8424.30.9000 is listed in the scope
            "169.34%",  # Sumec's AD cash deposit (combination row: exporter and producer)
            "11.19%",  # CVD all-others: Sumec has no CVD rate of its own
            "2024-02902",  # the FR document number
            "https://www.federalregister.gov/documents/2024/02/12/2024-02902/",
        ):
            assert needle in text, needle
        assert "A-570-148" in html_of(message) and "2024-02902" in html_of(message)
        assert "PW-VN-01" not in text  # Vietnam origin: the China order does not reach it
        assert "GEN-3500" not in text

        second = await run_poll(settings, engine, "federal_register", now=now + timedelta(minutes=15))
        assert second.ok and second.alerts_created == 0
        again = await run_delivery(settings, engine, now=now + timedelta(minutes=15))
        assert again.sent == 0 and len(smtp.sink.messages) == 1


async def test_smtp_down_keeps_alert_pending_until_server_is_back(
    engine: Engine, smtp: SmtpServer, tmp_path: Path, now: datetime
) -> None:
    subscribe_sample_portfolio(engine)
    set_cursor(engine, "2024-02-09")
    with RecordedSite(pressure_washer_routes()) as site:
        settings = settings_for(
            site.base_url, smtp_url=smtp.url, outbox=tmp_path / "outbox", database_url=str(engine.url)
        )
        await run_poll(settings, engine, "federal_register", now=now)
    smtp.stop()
    down = await run_delivery(settings, engine, now=now)
    assert down.sent == 0 and down.retried == 1
    with transaction(engine) as session:
        [alert] = outbox_rows.list_alerts(session)
        assert alert.status == "pending" and alert.attempts == 1 and alert.last_error
        assert alert.next_attempt_at is not None and alert.next_attempt_at > now
    too_early = await run_delivery(settings, engine, now=now + timedelta(seconds=10))
    assert too_early.claimed == 0
    smtp.start()
    back = await run_delivery(settings, engine, now=now + timedelta(minutes=5))
    assert back.sent == 1 and len(smtp.sink.messages) == 1
    with transaction(engine) as session:
        [alert] = outbox_rows.list_alerts(session)
        assert alert.status == "sent" and alert.message_id


async def test_first_poll_without_cursor_primes_without_alerting(
    engine: Engine, smtp: SmtpServer, tmp_path: Path, now: datetime
) -> None:
    subscribe_sample_portfolio(engine)
    with RecordedSite(pressure_washer_routes()) as site:
        settings = settings_for(
            site.base_url, smtp_url=smtp.url, outbox=tmp_path / "outbox", database_url=str(engine.url)
        )
        report = await run_poll(settings, engine, "federal_register", now=now)
    assert report.ok and report.primed and report.documents_new == 1 and report.alerts_created == 0
    with transaction(engine) as session:
        assert case_rows.load_case(session, "A-570-148") is not None
        assert source_rows.load_source_state(session, "federal_register").cursor == "2024-02-12"
