"""Public-inspection filings alert once, marked as such; the published notice completes the same thread."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from tests.support.fixtures import fixture
from tests.support.mail import SmtpServer, text_of
from tests.support.pipeline import (
    pressure_washer_routes,
    set_cursor,
    settings_for,
    subscribe_sample_portfolio,
)
from tests.support.polls import PUBLIC_INSPECTION, poll_desk
from watchers.public_inspection_records import PDF_ATTEMPTS
from worker.app.recorded_site import RecordedSite, Route
from worker.app.runtime import open_fetcher, run_delivery, run_poll
from worker.app.settings import Settings
from worker.ingest.save import PollReport
from worker.storage import case_rows, notice_rows, outbox_rows, people, source_rows
from worker.storage.db import transaction
from worker.storage.models import Case, CaseHts, Notice

PI_PATH = "/api/v1/public-inspection-documents/current.json"
FILED = datetime(2024, 2, 9, 21, 20, tzinfo=UTC)  # Friday 4:20 p.m. Eastern, the filing is on the desk


def pi_route() -> Route:
    body = fixture("fr_api", "constructed_pi_current_2024-02-09.json")
    return Route.from_file(PI_PATH, body, "application/json")


def catalog_investigations(engine: Engine) -> None:
    """Both cases as the final determinations left them: investigations with the scope's HTS code."""
    with transaction(engine) as session:
        for number, kind in (("A-570-148", "AD"), ("C-570-149", "CVD")):
            session.add(
                Case(
                    case_number=number,
                    case_type=kind,
                    country="CN",
                    country_name="China",
                    product="gas powered pressure washers",
                    status="investigation",
                    source="test",
                )
            )
            session.flush()
            session.add(CaseHts(case_number=number, hts="8424309000", source="test", as_of=date(2024, 1, 2)))


async def poll(settings: Settings, engine: Engine, now: datetime) -> tuple[int, PollReport]:
    async with open_fetcher(settings) as fetcher:
        base_url = settings.federal_register_url
        report = await poll_desk(engine, fetcher, base_url=base_url, now=now)
    return fetcher.requests_made, report


async def test_filing_alerts_once_marked_as_public_inspection(
    engine: Engine, smtp: SmtpServer, tmp_path: Path
) -> None:
    subscribe_sample_portfolio(engine)
    catalog_investigations(engine)
    with RecordedSite([pi_route()]) as site:
        settings = settings_for(
            site.base_url, smtp_url=smtp.url, outbox=tmp_path / "outbox", database_url=str(engine.url)
        )
        requests, report = await poll(settings, engine, FILED)
        assert requests == 1
        assert report.ok and report.documents_seen == 1 and report.documents_new == 1
        assert report.alerts_created == 1
        assert (await run_delivery(settings, engine, now=FILED)).sent == 1

        idle_requests, idle = await poll(settings, engine, FILED + timedelta(seconds=30))
        assert idle_requests == 1 and idle.not_modified and idle.alerts_created == 0
        assert site.requests[-1].status == 304 and "if-none-match" in site.requests[-1].headers

    with transaction(engine) as session:
        notice = notice_rows.load_notice(session, "2024-02902")
        assert notice is not None and notice.on_public_inspection and notice.source == PUBLIC_INSPECTION
        assert notice.kind == "order"
        assert notice.pdf_url == "https://public-inspection.federalregister.gov/2024-02902.pdf"
        assert notice_rows.load_notice(session, "2024-02900") is None  # EPA: not an ITA filing
        case = case_rows.load_case(session, "A-570-148")
        assert case is not None and case.status == "investigation"  # a filing is not law: catalog unchanged
        [alert] = outbox_rows.list_alerts(session)
        assert alert.dedupe_key.startswith("public_inspection:2024-02902:")
        assert alert.payload["notice"]["on_public_inspection"] is True
        details = alert.payload["events"][0]["details"]
        assert details["pdf_url"].endswith("/2024-02902.pdf")
        assert details["scheduled_publication"] == "2024-02-12"
    [message] = smtp.sink.messages
    text = text_of(message)
    for needle in ("2024-02902", "A-570-148", "C-570-149", "Gas Powered Pressure Washers", "PW-3100"):
        assert needle in text, needle


async def test_failed_poll_keeps_state_and_counts_failure(engine: Engine, tmp_path: Path) -> None:
    body = b"<!DOCTYPE html><html><title>Federal Register :: Request Access</title></html>"
    with RecordedSite([Route(PI_PATH, body, content_type="text/html")]) as site:
        settings = settings_for(
            site.base_url, smtp_url=None, outbox=tmp_path / "outbox", database_url=str(engine.url)
        )
        _, report = await poll(settings, engine, FILED)
    assert not report.ok and "HTML page" in (report.error or "")
    with transaction(engine) as session:
        state = source_rows.load_source_state(session, PUBLIC_INSPECTION)
        assert state.consecutive_failures == 1 and state.etag is None
        assert session.get(Notice, 1) is None


async def test_published_notice_completes_the_filing_thread_without_a_second_new_alert(
    engine: Engine, smtp: SmtpServer, tmp_path: Path
) -> None:
    subscribe_sample_portfolio(engine)
    catalog_investigations(engine)
    set_cursor(engine, "2024-02-09")
    published_at = datetime(2024, 2, 12, 11, 5, tzinfo=UTC)  # Monday 6:05 a.m. Eastern
    with RecordedSite([pi_route(), *pressure_washer_routes()]) as site:
        settings = settings_for(
            site.base_url, smtp_url=smtp.url, outbox=tmp_path / "outbox", database_url=str(engine.url)
        )
        await poll(settings, engine, FILED)
        await run_delivery(settings, engine, now=FILED)
        report = await run_poll(settings, engine, "federal_register", now=published_at)
        # The filing must not hide the publication: the notice is read in full (rates, HTS) this time.
        assert report.ok and report.documents_new == 1, report
        await run_delivery(settings, engine, now=published_at)
    with transaction(engine) as session:
        notice = notice_rows.load_notice(session, "2024-02902")
        assert notice is not None and not notice.on_public_inspection and notice.xml_url
        assert case_rows.list_rates(session, ["A-570-148"])
        alerts = sorted(outbox_rows.list_alerts(session), key=lambda a: a.id or 0)
        assert len(alerts) == 2
        filing, published = alerts
        assert published.thread_key == filing.thread_key
        assert published.payload["notice"]["on_public_inspection"] is False
        assert published.payload.get("completes") == filing.dedupe_key  # a follow-up, not a second "new"
    first, second = smtp.sink.messages
    assert second["In-Reply-To"] == first["Message-ID"]
    assert str(second["Subject"]).startswith("Now published: ") and "published" not in str(first["Subject"])


def filing_without_dockets() -> bytes:
    """CONSTRUCTED from the constructed desk: docket_numbers emptied, as on every real ITA filing."""
    payload = json.loads(fixture("fr_api", "constructed_pi_current_2024-02-09.json").read_bytes())
    for item in payload["results"]:
        item["docket_numbers"] = []
    return json.dumps(payload).encode()


async def test_filed_pdf_names_cases_and_kind_before_publication(
    engine: Engine, smtp: SmtpServer, tmp_path: Path
) -> None:
    subscribe_sample_portfolio(engine)
    catalog_investigations(engine)
    pdf = fixture("fr_api", "constructed_pi_2024-02902_filed.pdf")
    routes = [
        Route(PI_PATH, filing_without_dockets(), "application/json", etag=False),
        Route.from_file("/2024-02902.pdf", pdf, "application/pdf"),
    ]
    with RecordedSite(routes) as site:
        settings = settings_for(
            site.base_url, smtp_url=smtp.url, outbox=tmp_path / "outbox", database_url=str(engine.url)
        )
        async with open_fetcher(settings) as fetcher:
            report = await poll_desk(
                engine,
                fetcher,
                base_url=settings.federal_register_url,
                now=FILED,
                filed_copy_url=site.base_url,
            )
        assert report.ok and report.alerts_created == 1 and report.requests == 2, report
        assert [r.path for r in site.requests] == [PI_PATH, "/2024-02902.pdf"]
    with transaction(engine) as session:
        notice = notice_rows.load_notice(session, "2024-02902")
        assert notice is not None and notice.kind == "order"
        assert notice.facts["case_numbers"] == ["A-570-148", "C-570-149"]
        [alert] = outbox_rows.list_alerts(session)
        assert alert.kind == "order"
        assert sorted(e["case_number"] for e in alert.payload["events"]) == ["A-570-148", "C-570-149"]


@pytest.mark.parametrize("digest", ["weekly", "none"])
@pytest.mark.parametrize("role", ["importer", "counsel", "ops"])
async def test_a_filing_never_hides_the_published_notice_alert(
    engine: Engine, smtp: SmtpServer, tmp_path: Path, role: str, digest: str
) -> None:
    """Filing, then publication, for each role and delivery mode: the publication's alert (sent now or
    held for the digest) exists beside the filing's, each under its own key."""
    subscribe_sample_portfolio(engine, role=role)
    with transaction(engine) as session:
        for subscriber in people.list_subscribers(session):
            subscriber.digest = digest
            session.add(subscriber)
    catalog_investigations(engine)
    set_cursor(engine, "2024-02-09")
    published_at = datetime(2024, 2, 12, 11, 5, tzinfo=UTC)
    with RecordedSite([pi_route(), *pressure_washer_routes()]) as site:
        settings = settings_for(
            site.base_url, smtp_url=smtp.url, outbox=tmp_path / "outbox", database_url=str(engine.url)
        )
        await poll(settings, engine, FILED)
        await run_delivery(settings, engine, now=FILED)
        await run_poll(settings, engine, "federal_register", now=published_at)
        await run_delivery(settings, engine, now=published_at)
    with transaction(engine) as session:
        alerts = {a.dedupe_key.split(":")[0]: a for a in outbox_rows.list_alerts(session)}
    expected = PUBLICATION_ALERT[role, digest]
    published = alerts.get("notice")
    assert (published.status if published else None) == expected, sorted(
        (a.dedupe_key, a.status) for a in alerts.values()
    )
    # The filing's own alert is kept beside it (counsel without a digest wants nothing of a filing).
    assert ("public_inspection" in alerts) == (expected is not None and (role, digest) != ("counsel", "none"))


PUBLICATION_ALERT = {  # what the published order's alert is for each subscriber, by role and digest
    ("importer", "weekly"): "sent",
    ("importer", "none"): "sent",
    ("counsel", "weekly"): "sent",
    ("counsel", "none"): "sent",
    ("ops", "weekly"): "digest",
    ("ops", "none"): None,
}


async def test_a_filed_pdf_that_failed_is_read_at_a_later_poll(
    engine: Engine, smtp: SmtpServer, tmp_path: Path
) -> None:
    """The PDF answers 503 at the first poll: the filing is alerted by its docket-less heading, and the
    next poll (the desk unchanged) fetches the PDF again and gives the filing its cases and kind."""
    subscribe_sample_portfolio(engine)
    catalog_investigations(engine)
    pdf = fixture("fr_api", "constructed_pi_2024-02902_filed.pdf")
    desk = Route(PI_PATH, filing_without_dockets(), "application/json", etag=False)
    with RecordedSite([desk, Route("/2024-02902.pdf", b"busy", "text/plain", status=503)]) as site:
        settings = settings_for(
            site.base_url, smtp_url=smtp.url, outbox=tmp_path / "outbox", database_url=str(engine.url)
        ).model_copy(update={"http_max_retries": 0})
        async with open_fetcher(settings) as fetcher:
            first = await poll_desk(
                engine,
                fetcher,
                base_url=settings.federal_register_url,
                now=FILED,
                filed_copy_url=site.base_url,
            )
    assert first.ok and first.documents_new == 1
    with transaction(engine) as session:
        notice = notice_rows.load_notice(session, "2024-02902")
        assert notice is not None and notice.facts["case_numbers"] == []
        assert "tried again" in " ".join(notice.facts["unread"])
    with RecordedSite([desk, Route.from_file("/2024-02902.pdf", pdf, "application/pdf")]) as site:
        settings = settings.model_copy(update={"public_inspection_pdf_url": site.base_url})
        async with open_fetcher(settings) as fetcher:
            second = await poll_desk(
                engine,
                fetcher,
                base_url=site.base_url + "/api/v1",
                now=FILED + timedelta(minutes=1),
                filed_copy_url=site.base_url,
            )
        assert second.ok and "/2024-02902.pdf" in [r.path for r in site.requests]
    with transaction(engine) as session:
        notice = notice_rows.load_notice(session, "2024-02902")
        assert notice is not None and notice.kind == "order"
        assert notice.facts["case_numbers"] == ["A-570-148", "C-570-149"]
        assert "filed_pdf_failures" not in notice.facts


async def test_a_filed_pdf_is_given_up_after_its_attempts(
    engine: Engine, smtp: SmtpServer, tmp_path: Path
) -> None:
    subscribe_sample_portfolio(engine)
    catalog_investigations(engine)
    desk = Route(PI_PATH, filing_without_dockets(), "application/json", etag=False)
    with RecordedSite([desk, Route("/2024-02902.pdf", b"busy", "text/plain", status=503)]) as site:
        settings = settings_for(
            site.base_url, smtp_url=smtp.url, outbox=tmp_path / "outbox", database_url=str(engine.url)
        ).model_copy(update={"http_max_retries": 0})
        async with open_fetcher(settings) as fetcher:
            for minute in range(PDF_ATTEMPTS + 3):
                report = await poll_desk(
                    engine,
                    fetcher,
                    base_url=settings.federal_register_url,
                    now=FILED + timedelta(minutes=minute),
                    filed_copy_url=site.base_url,
                )
                assert report.ok
        tried = sum(1 for r in site.requests if r.path == "/2024-02902.pdf")
    assert tried == PDF_ATTEMPTS
    with transaction(engine) as session:
        notice = notice_rows.load_notice(session, "2024-02902")
        assert notice is not None and notice.facts["filed_pdf_failures"] == PDF_ATTEMPTS
