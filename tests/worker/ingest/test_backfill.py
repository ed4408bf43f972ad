"""Backfill: month windows split under the API cap, a resumable checkpoint, primed notices and no alert."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from bench._fr_site import SEARCH_PATH, ConstructedRegister, constructed_notices, real_pressure_washers_notice
from tests.support.fixtures import FIXTURES
from tests.support.pipeline import subscribe_sample_portfolio
from watchers.federal_register_windows import Window, halve, month_windows, window_is_full
from watchers.http import Fetcher, RateLimiter
from worker.app.recorded_site import RecordedSite, Route
from worker.ingest.backfill import BackfillReport, resume_point, run_backfill, state_name
from worker.storage import case_rows, notice_rows, outbox_rows, source_rows
from worker.storage.db import create_schema, make_engine, transaction
from worker.storage.models import Notice

NOW = datetime(2024, 3, 4, 12, 0, tzinfo=UTC)
SINCE, UNTIL = date(2023, 11, 1), date(2024, 2, 29)


class Sleeps:
    def __init__(self) -> None:
        self.calls: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


def fetcher(sleeps: Sleeps, origin: str) -> Fetcher:
    return Fetcher(client=httpx.AsyncClient(), allowed_hosts=frozenset({origin}), max_retries=1, sleep=sleeps)


def register() -> ConstructedRegister:
    notices = constructed_notices(30, since=SINCE, until=UNTIL)
    return ConstructedRegister([*notices, real_pressure_washers_notice(FIXTURES)])


def catalog(engine: Engine) -> dict[str, Any]:
    with transaction(engine) as session:
        return {
            "notices": sorted(
                (n.document_number, n.kind, n.content_hash, n.on_public_inspection)
                for n in session.exec(select(Notice))
            ),
            "cases": sorted(
                (c.case_number, c.status, c.country, c.product, c.order_date)
                for c in case_rows.list_cases(session)
            ),
            "hts": sorted((h.case_number, h.hts) for h in case_rows.list_case_hts(session)),
            "rates": sorted(
                (r.case_number, r.exporter, r.producer, str(r.rate), r.notice_document_number)
                for r in case_rows.list_rates(session)
            ),
            "alerts": len(outbox_rows.list_alerts(session)),
        }


async def backfill(engine: Engine, site: RecordedSite, sleeps: Sleeps, **kwargs: Any) -> BackfillReport:
    f = fetcher(sleeps, site.base_url)
    try:
        return await run_backfill(
            engine, f, base_url=site.base_url + "/api/v1", since=SINCE, until=UNTIL, now=NOW, **kwargs
        )
    finally:
        await f.client.aclose()


def test_month_windows_clip_to_the_range() -> None:
    assert month_windows(date(2024, 1, 15), date(2024, 3, 3)) == [
        Window(date(2024, 1, 15), date(2024, 1, 31)),
        Window(date(2024, 2, 1), date(2024, 2, 29)),
        Window(date(2024, 3, 1), date(2024, 3, 3)),
    ]


def test_halving_and_the_result_cap() -> None:
    assert halve(Window(date(2024, 2, 1), date(2024, 2, 29))) == (
        Window(date(2024, 2, 1), date(2024, 2, 14)),
        Window(date(2024, 2, 15), date(2024, 2, 29)),
    )
    assert window_is_full(10_000, per_page=1000) and not window_is_full(9_999, per_page=1000)
    assert window_is_full(100, per_page=2)  # 50 pages of 2 is all the API will page through
    with pytest.raises(Exception, match="cannot split"):
        halve(Window(date(2024, 2, 1), date(2024, 2, 1)))


def test_resume_point() -> None:
    assert resume_point(None, since=SINCE) == SINCE
    assert resume_point("2023-12-31", since=SINCE) == date(2024, 1, 1)
    assert state_name(SINCE) == "backfill:federal_register:2023-11-01"


async def test_interrupted_backfill_resumes_to_the_same_catalog_without_alerting(
    engine: Engine, tmp_path: Path
) -> None:
    subscribe_sample_portfolio(engine)
    fr = register()
    sleeps = Sleeps()
    with RecordedSite() as site:

        def january_fails(path: str, query: dict[str, str]) -> Route | None:
            gte = query.get("conditions[publication_date][gte]", "")
            if path == SEARCH_PATH and gte.startswith("2024-01"):
                return Route(path, b'{"status":500,"message":"Internal Server Error"}', status=500)
            return fr.hook(path, query)

        site.hook = january_fails
        broken = await backfill(engine, site, sleeps)
        assert not broken.ok and "HTTP 500" in (broken.error or "")
        assert broken.windows_done == 2  # November and December are saved
        with transaction(engine) as session:
            assert source_rows.load_source_state(session, state_name(SINCE)).cursor == "2023-12-31"

        site.hook = fr.hook
        first_request = len(site.requests)
        resumed = await backfill(engine, site, sleeps)
        assert resumed.ok and resumed.resumed_from == date(2024, 1, 1) and resumed.windows_done == 2
        searched = [
            r.query["conditions[publication_date][gte]"]
            for r in site.requests[first_request:]
            if r.path == SEARCH_PATH
        ]
        assert searched == ["2024-01-01", "2024-02-01"]  # completed windows are not fetched again

        fresh = make_engine(f"sqlite:///{tmp_path / 'uninterrupted.db'}")
        create_schema(fresh)
        subscribe_sample_portfolio(fresh)
        whole = await backfill(fresh, site, sleeps)
        assert whole.ok and whole.documents_new == 31 and whole.requests == 4 + 31

    assert broken.documents_new + resumed.documents_new == 31
    assert broken.alerts_created == resumed.alerts_created == whole.alerts_created == 0
    interrupted, uninterrupted = catalog(engine), catalog(fresh)
    assert interrupted == uninterrupted
    assert interrupted["alerts"] == 0
    # The pressure-washers order is in the catalog, primed: PW-3100 would have been alerted otherwise.
    assert ("A-570-148", "order", "CN") in {c[:3] for c in interrupted["cases"]}
    fresh.dispose()


async def test_full_window_is_halved_and_xml_waits_for_its_limiter(engine: Engine) -> None:
    crowded = ConstructedRegister(constructed_notices(120, since=date(2024, 2, 1), until=date(2024, 2, 29)))
    sleeps = Sleeps()
    with RecordedSite() as site:
        site.hook = crowded.hook
        report = await backfill(
            engine, site, sleeps, per_page=2, concurrency=4, xml_limiter=RateLimiter(1.0, sleeps)
        )
    assert report.ok and report.windows_split >= 1 and report.documents_new == 120
    assert len(sleeps.calls) >= 119  # every XML download after the first waited for its 1 s slot
    assert max(sleeps.calls) > 100  # concurrent callers got successive slots, not the same one


async def test_a_full_text_that_answers_404_once_is_fetched_again_by_the_next_run(engine: Engine) -> None:
    fr = register()
    missing = fr.notices[3]
    sleeps = Sleeps()
    with RecordedSite() as site:

        def gone_once(path: str, query: dict[str, str]) -> Route | None:
            if path == missing.xml_path:
                return Route(path, b"<html><body>Not Found</body></html>", "text/html", status=404)
            return fr.hook(path, query)

        site.hook = gone_once
        first = await backfill(engine, site, sleeps)
        assert first.ok and missing.document_number in first.waiting
        with transaction(engine) as session:
            row = notice_rows.load_notice(session, missing.document_number)
            assert row is not None and row.kind == "awaiting_full_text" and row.content_hash is None

        site.hook = fr.hook
        second = await backfill(engine, site, sleeps)
        assert second.ok and second.waiting == {} and second.documents_new == 1
    with transaction(engine) as session:
        row = notice_rows.load_notice(session, missing.document_number)
        assert row is not None and row.kind != "awaiting_full_text" and row.content_hash is not None
        assert len(notice_rows.list_notices(session)) == 31
