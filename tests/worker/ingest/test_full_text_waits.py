"""A notice is final only once its own full text was read: a 404 or a truncated body once is read again."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy.engine import Engine

from tests.support.fixtures import fixture, fixture_bytes
from tests.support.mail import SmtpServer
from tests.support.pipeline import (
    XML_PATH,
    pressure_washer_routes,
    set_cursor,
    settings_for,
    subscribe_sample_portfolio,
)
from watchers.full_text import FULL_TEXT_ATTEMPTS
from worker.app.recorded_site import RecordedSite, Route
from worker.app.runtime import run_poll
from worker.ingest.save import PollReport
from worker.storage import case_rows, notice_rows, outbox_rows, source_rows
from worker.storage.db import transaction

NOT_FOUND = Route(
    XML_PATH,
    fixture_bytes("fr_api", "fr_api_recorded_2026-10-02_documents_2026-99999_NEGATIVE_404_html_body.html"),
    "text/html",
    status=404,
    etag=False,
)
TRUNCATED = Route(
    XML_PATH, fixture("fr_api", "2024-02902.xml").read_bytes()[:3000], "application/xml", etag=False
)


class FailingFullText:
    """The full text answers with `faults`, one per request, then as recorded."""

    def __init__(self, faults: list[Route]) -> None:
        self.faults = list(faults)

    def hook(self, path: str, query: dict[str, str]) -> Route | None:
        if path == XML_PATH and self.faults:
            return self.faults.pop(0)
        return None


async def poll_with(
    engine: Engine, smtp: SmtpServer, tmp_path: Path, now: datetime, faults: list[Route], polls: int
) -> list[PollReport]:
    subscribe_sample_portfolio(engine)
    set_cursor(engine, "2024-02-09")
    source = FailingFullText(faults)
    reports: list[PollReport] = []
    with RecordedSite(pressure_washer_routes()) as site:
        site.hook = source.hook
        settings = settings_for(
            site.base_url, smtp_url=smtp.url, outbox=tmp_path / "outbox", database_url=str(engine.url)
        )
        settings.operator_email = "ops@example.com"
        for i in range(polls):
            reports.append(
                await run_poll(settings, engine, "federal_register", now=now + timedelta(minutes=i))
            )
    return reports


def customer_alerts(engine: Engine) -> list[str]:
    with transaction(engine) as session:
        return [a.dedupe_key for a in outbox_rows.list_alerts(session) if a.kind != "operator"]


async def test_a_404_once_on_the_full_text_is_read_again_and_then_alerts(
    engine: Engine, smtp: SmtpServer, tmp_path: Path, now: datetime
) -> None:
    first, second = await poll_with(engine, smtp, tmp_path, now, [NOT_FOUND], polls=2)
    assert first.ok and first.alerts_created == 0
    assert "will be read again" in " ".join(first.unread["2024-02902"])
    assert second.ok and second.documents_new == 1 and second.alerts_created >= 1
    with transaction(engine) as session:
        notice = notice_rows.load_notice(session, "2024-02902")
        assert notice is not None and notice.content_hash and not notice.unread
        assert notice.kind != "awaiting_full_text"
        assert case_rows.list_rates(session)  # the rates come from the full text
    assert customer_alerts(engine)


async def test_a_truncated_full_text_once_is_read_again(
    engine: Engine, smtp: SmtpServer, tmp_path: Path, now: datetime
) -> None:
    first, second = await poll_with(engine, smtp, tmp_path, now, [TRUNCATED], polls=2)
    assert first.ok and first.alerts_created == 0
    assert second.alerts_created >= 1
    with transaction(engine) as session:
        notice = notice_rows.load_notice(session, "2024-02902")
        assert notice is not None and notice.content_hash and not notice.unread


async def test_a_full_text_that_never_comes_is_read_from_metadata_and_the_operator_told(
    engine: Engine, smtp: SmtpServer, tmp_path: Path, now: datetime
) -> None:
    reports = await poll_with(engine, smtp, tmp_path, now, [NOT_FOUND] * 10, polls=FULL_TEXT_ATTEMPTS + 1)
    assert [r.alerts_created > 0 for r in reports[:-2]] == [False] * (FULL_TEXT_ATTEMPTS - 1)
    last = reports[FULL_TEXT_ATTEMPTS - 1]
    assert "2024-02902" in last.gave_up
    with transaction(engine) as session:
        notice = notice_rows.load_notice(session, "2024-02902")
        assert notice is not None and notice.kind != "awaiting_full_text" and notice.unread
        assert outbox_rows.list_alert_keys(session, prefix="operator:federal_register:no-full-text:")
    assert reports[-1].documents_new == 0


async def test_a_filed_notice_whose_full_text_never_comes_also_stops_waiting(
    engine: Engine, smtp: SmtpServer, tmp_path: Path, now: datetime
) -> None:
    """The count of failed reads is kept on a public-inspection filing's row too, so the cursor moves on."""
    pi = Route.from_file(
        "/api/v1/public-inspection-documents/current.json",
        fixture("fr_api", "constructed_pi_current_2024-02-09.json"),
        "application/json",
    )
    subscribe_sample_portfolio(engine)
    set_cursor(engine, "2024-02-09")
    source = FailingFullText([NOT_FOUND] * 10)
    with RecordedSite([pi, *pressure_washer_routes()]) as site:
        site.hook = source.hook
        settings = settings_for(
            site.base_url, smtp_url=smtp.url, outbox=tmp_path / "outbox", database_url=str(engine.url)
        )
        filed = await run_poll(settings, engine, "public_inspection", now=now - timedelta(days=3))
        assert filed.ok and filed.documents_new == 1
        reports = [
            await run_poll(settings, engine, "federal_register", now=now + timedelta(minutes=i))
            for i in range(FULL_TEXT_ATTEMPTS + 1)
        ]
    assert [bool(r.gave_up) for r in reports] == [False] * (FULL_TEXT_ATTEMPTS - 1) + [True, False]
    with transaction(engine) as session:
        notice = notice_rows.load_notice(session, "2024-02902")
        assert notice is not None and not notice.on_public_inspection
        assert source_rows.load_source_state(session, "federal_register").cursor == "2024-02-12"
