"""Priming happens once: a quiet priming poll, or a backfill that reaches today, ends it for good."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy.engine import Engine

from tests.support.fixtures import fixture_bytes
from tests.support.mail import SmtpServer
from tests.support.pipeline import (
    SEARCH_PATH,
    pressure_washer_routes,
    settings_for,
    subscribe_sample_portfolio,
)
from worker.app.recorded_site import RecordedSite, Route
from worker.app.runtime import open_fetcher, run_delivery, run_poll
from worker.ingest.backfill import run_backfill
from worker.storage import notice_rows, source_rows
from worker.storage.db import transaction

QUIET = b'{"description": "nothing", "count": 0, "total_pages": 0, "results": []}'


class QuietThenPublished:
    """The search answers with no document until `quiet` is cleared, then with the real order."""

    def __init__(self) -> None:
        self.quiet = True

    def hook(self, path: str, query: dict[str, str]) -> Route | None:
        if path == SEARCH_PATH and self.quiet:
            return Route(SEARCH_PATH, QUIET, etag=False)
        return None


async def test_first_notice_after_a_quiet_priming_poll_alerts(
    engine: Engine, smtp: SmtpServer, tmp_path: Path, now: datetime
) -> None:
    subscribe_sample_portfolio(engine)
    source = QuietThenPublished()
    with RecordedSite(pressure_washer_routes()) as site:
        site.hook = source.hook
        settings = settings_for(
            site.base_url, smtp_url=smtp.url, outbox=tmp_path / "outbox", database_url=str(engine.url)
        )
        quiet = await run_poll(settings, engine, "federal_register", now=now - timedelta(days=1))
        assert quiet.ok and quiet.primed and quiet.documents_seen == 0
        with transaction(engine) as session:
            assert source_rows.load_source_state(session, "federal_register").cursor == "2024-02-11"
        source.quiet = False  # the order is published on the 12th
        report = await run_poll(settings, engine, "federal_register", now=now)
        assert report.ok and not report.primed and report.documents_new == 1
        assert report.alerts_created >= 1
    delivered = await run_delivery(settings, engine, now=now)
    assert delivered.sent >= 1
    assert any("A-570-148" in str(m["Subject"]) + str(m) for m in smtp.sink.messages)


async def test_a_backfill_reaching_today_hands_over_to_the_live_source(
    engine: Engine, smtp: SmtpServer, tmp_path: Path, now: datetime
) -> None:
    subscribe_sample_portfolio(engine)
    source = QuietThenPublished()
    with RecordedSite(pressure_washer_routes()) as site:
        site.hook = source.hook
        settings = settings_for(
            site.base_url, smtp_url=smtp.url, outbox=tmp_path / "outbox", database_url=str(engine.url)
        )
        yesterday = now - timedelta(days=1)
        async with open_fetcher(settings) as fetcher:
            backfill = await run_backfill(
                engine,
                fetcher,
                base_url=settings.federal_register_url,
                since=date(2023, 12, 1),
                until=yesterday.date(),
                now=yesterday,
            )
        assert backfill.ok
        with transaction(engine) as session:
            assert source_rows.load_source_state(session, "federal_register").cursor == "2024-02-11"
        source.quiet = False
        report = await run_poll(settings, engine, "federal_register", now=now)
        assert report.ok and not report.primed and report.alerts_created >= 1


async def test_a_backfill_that_stops_short_of_today_leaves_the_live_source_to_prime(
    engine: Engine, smtp: SmtpServer, tmp_path: Path, now: datetime
) -> None:
    with RecordedSite(pressure_washer_routes()) as site:
        site.hook = QuietThenPublished().hook
        settings = settings_for(
            site.base_url, smtp_url=smtp.url, outbox=tmp_path / "outbox", database_url=str(engine.url)
        )
        async with open_fetcher(settings) as fetcher:
            backfill = await run_backfill(
                engine,
                fetcher,
                base_url=settings.federal_register_url,
                since=date(2023, 12, 1),
                until=date(2024, 1, 31),
                now=now,
            )
        assert backfill.ok
    with transaction(engine) as session:
        assert source_rows.load_source_state(session, "federal_register").cursor is None


async def test_a_backfill_sets_aside_an_unreadable_result_and_saves_the_others(
    engine: Engine, smtp: SmtpServer, tmp_path: Path, now: datetime
) -> None:
    real = json.loads(fixture_bytes("fr_api", "search_ita_2024-02-09.json"))["results"][0]
    broken = {**real, "document_number": "2024-90002", "docket_ids": 570148}  # CONSTRUCTED: a number
    body = json.dumps({"count": 2, "total_pages": 1, "results": [real, broken]}).encode()
    routes = [Route(SEARCH_PATH, body, etag=False), *pressure_washer_routes()[1:]]
    with RecordedSite(routes) as site:
        settings = settings_for(
            site.base_url, smtp_url=smtp.url, outbox=tmp_path / "outbox", database_url=str(engine.url)
        )
        async with open_fetcher(settings) as fetcher:
            report = await run_backfill(
                engine,
                fetcher,
                base_url=settings.federal_register_url,
                since=date(2024, 2, 1),
                until=date(2024, 2, 29),
                now=now,
            )
    assert report.ok and list(report.set_aside) == ["2024-90002"]
    with transaction(engine) as session:
        assert [n.document_number for n in notice_rows.list_notices(session)] == ["2024-02902"]
