"""A poll with many new documents saves them in bounded batches, each with its alerts and the cursor:
a failure part-way keeps what was saved (alerts included), and the next poll reads only the rest."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy.engine import Engine

from bench._fr_site import ConstructedRegister, constructed_notices, real_pressure_washers_notice
from tests.support.pipeline import set_cursor, subscribe_sample_portfolio
from tests.support.polls import poll_fr
from watchers.http import Fetcher, RateLimiter
from worker.app.commands.core import echo_poll
from worker.app.recorded_site import RecordedSite, Route
from worker.app.settings import Settings
from worker.storage import notice_rows, outbox_rows, source_rows
from worker.storage.db import transaction

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
NOW = datetime(2024, 2, 16, 23, 0, tzinfo=UTC)


async def test_a_failure_in_a_later_batch_keeps_the_earlier_batches_and_their_alert(
    engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    subscribe_sample_portfolio(engine)
    set_cursor(engine, "2024-02-09")
    later = constructed_notices(7, since=date(2024, 2, 12), until=date(2024, 2, 16))
    register = ConstructedRegister([real_pressure_washers_notice(FIXTURES), *later])
    # Oldest first in batches of 3: [2024-02902 (the order), Feb 12, Feb 12], [Feb 13, 14, 14], [Feb 15, 16].
    failing = next(n for n in later if n.publication_date == date(2024, 2, 15))
    with RecordedSite() as site:

        def broken(path: str, query: dict[str, str]) -> Route | None:
            if path == failing.xml_path:
                return Route(path, b"Service Unavailable", content_type="text/plain", status=503)
            return register.hook(path, query)

        async with httpx.AsyncClient() as client:
            fetcher = Fetcher(client=client, allowed_hosts=frozenset({site.base_url}), max_retries=0)
            site.hook = broken
            first = await poll_fr(engine, fetcher, base_url=site.base_url + "/api/v1", now=NOW, batch_size=3)
            assert not first.ok and "HTTP 503" in (first.error or "")
            echo_poll(first)  # the console says what was saved, not "stored state unchanged"
            said = capsys.readouterr().err
            assert "6 documents saved before the failure" in said and "unchanged" not in said
            with transaction(engine) as session:
                stored = {n.document_number for n in notice_rows.list_notices(session)}
                state = source_rows.load_source_state(session, "federal_register")
                alerts = [a for a in outbox_rows.list_alerts(session) if a.kind == "order"]
            assert len(stored) == 6 and "2024-02902" in stored and failing.document_number not in stored
            assert state.cursor == "2024-02-14" and state.etag is None
            assert len(alerts) == 1 and alerts[0].status == "pending"  # deliverable while the rest waits

            site.hook = register.hook
            second = await poll_fr(engine, fetcher, base_url=site.base_url + "/api/v1", now=NOW, batch_size=3)
    assert second.ok and second.documents_new == 2 and second.alerts_created == 0
    with transaction(engine) as session:
        assert len(notice_rows.list_notices(session)) == 8
        assert source_rows.load_source_state(session, "federal_register").cursor == "2024-02-16"
        assert len([a for a in outbox_rows.list_alerts(session) if a.kind == "order"]) == 1


async def test_full_texts_in_a_poll_are_fetched_at_most_one_a_second(engine: Engine) -> None:
    set_cursor(engine, "2024-02-09")
    register = ConstructedRegister(constructed_notices(5, since=date(2024, 2, 12), until=date(2024, 2, 16)))
    waits: list[float] = []

    async def note(seconds: float) -> None:
        waits.append(seconds)  # the limiter's wait, recorded instead of slept

    with RecordedSite() as site:
        site.hook = register.hook
        async with httpx.AsyncClient() as client:
            fetcher = Fetcher(client=client, allowed_hosts=frozenset({site.base_url}), max_retries=0)
            report = await poll_fr(
                engine,
                fetcher,
                base_url=site.base_url + "/api/v1",
                now=NOW,
                full_text_limiter=RateLimiter(Settings(_env_file=None).http_xml_requests_per_second, note),  # type: ignore[call-arg]
            )
    assert report.ok and report.documents_new == 5
    # Five downloads: the first at once, each next one a whole second after the one before.
    assert len(waits) == 4 and all(abs(w - (i + 1)) < 0.5 for i, w in enumerate(waits))


async def test_a_full_text_over_the_size_limit_is_stored_unread_and_the_poll_goes_on(engine: Engine) -> None:
    set_cursor(engine, "2024-02-09")
    notices = constructed_notices(3, since=date(2024, 2, 12), until=date(2024, 2, 14))
    register = ConstructedRegister(notices)
    huge = notices[1]
    with RecordedSite() as site:

        def oversized(path: str, query: dict[str, str]) -> Route | None:
            if path == huge.xml_path:
                return Route(path, b"<?xml version='1.0'?><NOTICE>" + b" " * 200_000, "application/xml")
            return register.hook(path, query)

        site.hook = oversized
        async with httpx.AsyncClient() as client:
            fetcher = Fetcher(
                client=client, allowed_hosts=frozenset({site.base_url}), max_retries=0, max_body_bytes=100_000
            )
            report = await poll_fr(engine, fetcher, base_url=site.base_url + "/api/v1", now=NOW)
    assert report.ok and report.documents_new == 3
    assert any("over the 100000-byte limit" in note for note in report.unread[huge.document_number])
    with transaction(engine) as session:
        assert len(notice_rows.list_notices(session)) == 3
        assert source_rows.load_source_state(session, "federal_register").cursor == "2024-02-14"
