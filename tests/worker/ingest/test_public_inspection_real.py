"""The real public-inspection desk (2026-10-02) through a server on 127.0.0.1 that, like the API, sends
no ETag: filings alert by product and country, once; a withdrawal follows up; publication completes."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from tests.support.fixtures import fixture
from tests.support.mail import SmtpServer, text_of
from tests.support.pipeline import SEARCH_PATH, set_cursor, settings_for
from tests.support.polls import poll_desk
from worker.app.recorded_site import RecordedSite, Route
from worker.app.runtime import open_fetcher, run_delivery, run_poll
from worker.app.settings import Settings
from worker.catalog.seed import load_seed_catalog
from worker.ingest.save import PollReport
from worker.portfolios.files import import_portfolio
from worker.storage import notice_rows, outbox_rows, people
from worker.storage.db import transaction
from worker.storage.models import Subscriber

PI_PATH = "/api/v1/public-inspection-documents/current.json"
RECORDED = "fr_api_recorded_2026-10-02_pi_current.json"
AT = datetime(2026, 10, 2, 18, 0, 28, tzinfo=UTC)  # when the desk was recorded
MELAMINE_BUYER = "Example Laminates LLC"
# Three importers: only the first imports what a filing names (melamine, HTS 2933.61, from China).
PORTFOLIO = """importer,sku,description,hts,country_of_origin,producer,exporter,annual_entered_value_usd
Example Laminates LLC,MEL-99,Melamine crystal 99.8%,2933.61.0000,CN,,,400000
Example Laminates LLC,RES-1,Urea resin,3909.10.0000,CN,,,100000
Example Trinidad Imports,MEL-TT,Melamine,2933.61.0000,Trinidad and Tobago,,,90000
Example Heterocycles Inc.,HET-7,Other heterocyclic compounds,2933.69.6050,CN,,,50000
"""
EMAILS = {
    MELAMINE_BUYER: "buyer@laminates.example",
    "Example Trinidad Imports": "ops@trinidad.example",
    "Example Heterocycles Inc.": "ops@heterocycles.example",
}
# The recording's own headers: no ETag, no Last-Modified, a shared cache's age.
API_HEADERS = {"cache-control": "no-store, no-cache, must-revalidate, private", "age": "17"}


def desk_route(body: bytes) -> Route:
    return Route(PI_PATH, body, "application/json; charset=utf-8", headers=dict(API_HEADERS), etag=False)


def recorded_body() -> bytes:
    return fixture("fr_api", RECORDED).read_bytes()


def with_withdrawal_note(body: bytes, document_number: str) -> bytes:
    """CONSTRUCTED: the recording with the desk's real withdrawal note (from a non-ITA filing of the
    same day) put on one ITA filing, as the desk shows it when the agency asks to withdraw."""
    payload: dict[str, Any] = json.loads(body)
    note = next(r["editorial_note"] for r in payload["results"] if r["editorial_note"])
    for item in payload["results"]:
        if item["document_number"] == document_number:
            item["editorial_note"] = note
    return json.dumps(payload).encode()


def catalog_and_portfolio(engine: Engine, tmp_path: Path) -> None:
    with transaction(engine) as session:
        load_seed_catalog(session)  # the bundled real catalog: A-570-020 / C-570-021 Melamine (CN)
    csv = tmp_path / "portfolio.csv"
    csv.write_text(PORTFOLIO)
    summary = import_portfolio(engine, csv, dry_run=False)
    assert not summary.errors, summary.errors
    with transaction(engine) as session:
        for name, email in EMAILS.items():
            importer = people.load_or_create_importer(session, name)
            session.add(
                Subscriber(
                    email=email,
                    importer_id=importer.id,
                    role="importer",
                    unsubscribe_token=f"t-{importer.id}",
                    created_at=datetime(2026, 1, 1, tzinfo=UTC),
                )
            )


async def poll(settings: Settings, engine: Engine, now: datetime) -> tuple[int, PollReport]:
    async with open_fetcher(settings) as fetcher:
        report = await poll_desk(engine, fetcher, base_url=settings.federal_register_url, now=now)
    return fetcher.requests_made, report


async def test_real_desk_alerts_the_melamine_importer_only(
    engine: Engine, smtp: SmtpServer, tmp_path: Path
) -> None:
    catalog_and_portfolio(engine, tmp_path)
    with RecordedSite([desk_route(recorded_body())]) as site:
        settings = settings_for(
            site.base_url, smtp_url=smtp.url, outbox=tmp_path / "outbox", database_url=str(engine.url)
        )
        requests, report = await poll(settings, engine, AT)
        assert requests == 1 and report.ok, report
        assert report.documents_seen == 11 and report.documents_new == 11
        assert report.alerts_created == 1
        assert (await run_delivery(settings, engine, now=AT)).sent == 1

    with transaction(engine) as session:
        [alert] = outbox_rows.list_alerts(session)
        subscriber = session.get(Subscriber, alert.subscriber_id)
        assert subscriber is not None and subscriber.email == EMAILS[MELAMINE_BUYER]
        assert alert.notice_document_number == "2026-20383"
        assert alert.kind == "early_signal"
        cases = sorted(e["case_number"] for e in alert.payload["events"])
        assert cases == ["A-570-020", "C-570-021"]
        details = alert.payload["events"][0]["details"]
        assert details["kind_known"] is False and details["scheduled_publication"] == "2026-10-05"
        assert "Melamine" in details["candidate_because"] and "China" in details["candidate_because"]
        notice = notice_rows.load_notice(session, "2026-20383")
        assert notice is not None and notice.on_public_inspection and notice.facts["product"] == "Melamine"
        methionine = notice_rows.load_notice(session, "2026-20384")
        assert methionine is not None and methionine.facts["countries"] == ["France", "Japan", "Spain"]
    [message] = smtp.sink.messages
    assert message["To"] == EMAILS[MELAMINE_BUYER]
    text = text_of(message)
    for needle in (
        "FR Doc 2026-20383 · to be published October 5, 2026",
        "https://public-inspection.federalregister.gov/2026-20383.pdf",
        "not known yet",
        "A-570-020",
        "C-570-021",
        "MEL-99",
        "Melamine",
    ):
        assert needle in text, needle
    assert "RES-1" not in text


async def test_idle_poll_is_one_request_and_a_new_filing_is_seen_through_the_cache(
    engine: Engine, smtp: SmtpServer, tmp_path: Path
) -> None:
    """The look-alike cache answers a URL already asked with its first answer, as the API's does."""
    catalog_and_portfolio(engine, tmp_path)
    earlier = json.loads(recorded_body())
    earlier["results"] = [r for r in earlier["results"] if r["document_number"] != "2026-20383"]
    served = {"body": json.dumps(earlier).encode()}
    cache: dict[str, bytes] = {}

    def shared_cache(path: str, query: dict[str, str]) -> Route | None:
        if path != PI_PATH:
            return None
        key = json.dumps(sorted(query.items()))
        body = cache.setdefault(key, served["body"])
        return desk_route(body)

    with RecordedSite([]) as site:
        site.hook = shared_cache
        settings = settings_for(
            site.base_url, smtp_url=smtp.url, outbox=tmp_path / "outbox", database_url=str(engine.url)
        )
        _, first = await poll(settings, engine, AT)
        assert first.ok and first.documents_new == 10 and first.alerts_created == 0
        requests, idle = await poll(settings, engine, AT + timedelta(seconds=30))
        assert requests == 1 and idle.not_modified and idle.documents_seen == 0
        served["body"] = recorded_body()  # melamine is filed; the cache still holds the old answers
        requests, fresh = await poll(settings, engine, AT + timedelta(seconds=60))
        assert requests == 1 and fresh.documents_new == 1 and fresh.alerts_created == 1
    busters = [r.query.get("_") for r in site.requests]
    assert len(set(busters)) == 3 and all(busters)


async def test_withdrawal_is_a_follow_up_in_the_thread_never_a_new_alert(
    engine: Engine, smtp: SmtpServer, tmp_path: Path
) -> None:
    catalog_and_portfolio(engine, tmp_path)
    route = desk_route(recorded_body())
    with RecordedSite([route]) as site:
        settings = settings_for(
            site.base_url, smtp_url=smtp.url, outbox=tmp_path / "outbox", database_url=str(engine.url)
        )
        await poll(settings, engine, AT)
        await run_delivery(settings, engine, now=AT)
        route.body = with_withdrawal_note(recorded_body(), "2026-20383")
        later = AT + timedelta(hours=2)
        _, report = await poll(settings, engine, later)
        assert report.ok and report.documents_new == 0 and report.alerts_created == 1
        _, again = await poll(settings, engine, later + timedelta(seconds=30))
        assert again.alerts_created == 0
        assert (await run_delivery(settings, engine, now=later)).sent == 1
    with transaction(engine) as session:
        first, follow_up = sorted(outbox_rows.list_alerts(session), key=lambda a: a.id or 0)
        assert follow_up.thread_key == first.thread_key
        assert follow_up.payload["follows"] == first.dedupe_key
    original, withdrawn = smtp.sink.messages
    assert withdrawn["In-Reply-To"] == original["Message-ID"]
    assert str(withdrawn["Subject"]).startswith("Withdrawal requested: ")
    assert "WITHDRAWAL REQUESTED" in text_of(withdrawn)


async def test_filing_whose_pdf_is_not_there_is_still_alerted_by_product_and_country(
    engine: Engine, smtp: SmtpServer, tmp_path: Path
) -> None:
    """The melamine PDF answers the site's real HTML 404 page: not there (yet), not a failure."""
    catalog_and_portfolio(engine, tmp_path)
    missing = fixture("fr_api", "fr_api_recorded_2026-10-02_documents_2026-99999_NEGATIVE_404_html_body.html")
    routes = [
        desk_route(recorded_body()),
        Route("/2026-20383.pdf", missing.read_bytes(), "text/html", status=404),
    ]
    with RecordedSite(routes) as site:
        settings = settings_for(
            site.base_url, smtp_url=smtp.url, outbox=tmp_path / "outbox", database_url=str(engine.url)
        )
        async with open_fetcher(settings) as fetcher:
            report = await poll_desk(
                engine, fetcher, base_url=settings.federal_register_url, now=AT, filed_copy_url=site.base_url
            )
        assert report.ok and report.documents_new == 11 and report.alerts_created == 1, report
        assert report.requests == 12  # the desk, then each new filing's PDF once
    with transaction(engine) as session:
        notice = notice_rows.load_notice(session, "2026-20383")
        assert notice is not None and "filed PDF not there (yet)" in " ".join(notice.facts["unread"])
        [alert] = outbox_rows.list_alerts(session)
        assert alert.payload["events"][0]["details"]["kind_known"] is False


async def test_published_notice_next_day_completes_the_filing_thread(
    engine: Engine, smtp: SmtpServer, tmp_path: Path
) -> None:
    """The real search answer of 2026-10-03 (the 10-05 issue online early) has the melamine notice
    under its published title, with no docket ids and no full-text link: the filing's cases, narrowed
    to the AD side the title names, carry it into the same thread."""
    catalog_and_portfolio(engine, tmp_path)
    published_at = datetime(2026, 10, 3, 13, 19, 3, tzinfo=UTC)
    search = fixture("fr_api", "fr_api_recorded_2026-10-03_documents_newest_next_issue_early.json")
    routes = [
        desk_route(recorded_body()),
        # next_page_url points at /api/v1/documents?page=2...: answered with the real zero-result body
        Route.from_file(
            "/api/v1/documents", fixture("fr_api", "fr_api_search_zero_results.json"), "application/json"
        ),
        Route.from_file(SEARCH_PATH, search, "application/json; charset=utf-8", etag=False),
    ]
    set_cursor(engine, "2026-10-02")
    with RecordedSite(routes) as site:
        settings = settings_for(
            site.base_url, smtp_url=smtp.url, outbox=tmp_path / "outbox", database_url=str(engine.url)
        )
        await poll(settings, engine, AT)
        await run_delivery(settings, engine, now=AT)
        report = await run_poll(settings, engine, "federal_register", now=published_at)
        assert report.ok, report
        await run_delivery(settings, engine, now=published_at)
    with transaction(engine) as session:
        notice = notice_rows.load_notice(session, "2026-20383")
        assert notice is not None and not notice.on_public_inspection
        assert notice.facts["case_numbers"] == ["A-570-020"]
        alerts = sorted(outbox_rows.list_alerts(session), key=lambda a: a.id or 0)
        assert [a.notice_document_number for a in alerts] == ["2026-20383", "2026-20383"]
        filing, published = alerts
        assert published.thread_key == filing.thread_key
        assert published.payload.get("completes") == filing.dedupe_key
    first, second = smtp.sink.messages
    assert second["In-Reply-To"] == first["Message-ID"]
    assert str(second["Subject"]).startswith("Now published: ")
