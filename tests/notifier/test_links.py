"""A URL from a source reaches an email or a calendar only as https on the sources' hosts."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from icalendar import Calendar
from sqlalchemy.engine import Engine
from sqlmodel import Session

from notifier.links import safe_link
from tests.support.mail import html_of, text_of
from worker.alerts.routing import route_notice_events
from worker.catalog.events import Event, EventKind, Severity
from worker.outbox.delivery import build_alert_message
from worker.storage import people
from worker.storage.models import Notice, Subscriber

NOW = datetime(2024, 3, 4, 15, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(document.cookie)",
        " JavaScript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "http://www.federalregister.gov/d/2024-02902",
        "https://evil.example/d/2024-02902",
        "https://www.federalregister.gov.evil.example/d/2024-02902",
        "https://www.federalregister.gov:8443/d/2024-02902",
        "https://user:pw@www.federalregister.gov/d/2024-02902",
        'https://www.federalregister.gov/d/x" onmouseover="alert(1)',
        "https://www.federalregister.gov/d/x\nBcc: victim@example.com",
        "https://www.federalregister.gov:notaport/d/x",
        "//www.federalregister.gov/d/2024-02902",
    ],
)
def test_unsafe_urls_are_dropped(url: str) -> None:
    assert safe_link(url) == ""


@pytest.mark.parametrize(
    "url",
    [
        "https://www.federalregister.gov/d/2024-02902",
        "https://www.federalregister.gov:443/documents/2024/02/12/2024-02902/gas-powered",
        "https://www.trade.gov/ec-adcvd-case-announcements",
        "https://www.govinfo.gov/content/pkg/FR-2024-02-12/pdf/2024-02902.pdf",
    ],
)
def test_source_urls_are_kept(url: str) -> None:
    assert safe_link(url) == url


def test_a_javascript_notice_link_reaches_neither_the_email_nor_its_calendar(
    catalog: Engine, tmp_path: Path
) -> None:
    with Session(catalog, expire_on_commit=False) as session:
        session.begin()
        importer = people.load_importer(session, "Demo Outdoor Power Inc.")
        assert importer is not None
        subscriber = Subscriber(
            email="counsel@demo-outdoor-power.example",
            importer_id=importer.id,
            role="counsel",
            time_zone="America/New_York",
            unsubscribe_token="t",
            created_at=datetime(2024, 1, 2, tzinfo=UTC),
        )
        session.add(subscriber)
        notice = Notice(
            document_number="2024-99999",
            publication_date=date(2024, 3, 4),
            title="Gas Powered Pressure Washers From the People's Republic of China: Opportunity To Request",
            kind="new_deadline",
            html_url="javascript:alert(document.cookie)//https://www.federalregister.gov/d/2024-99999",
            first_seen_at=NOW,
        )
        session.add(notice)
        session.flush()
        due = date(2024, 3, 29)
        event = Event(
            EventKind.NEW_DEADLINE,
            Severity.MEDIUM,
            "A-570-148",
            notice.document_number,
            "review request due",
            effective_date=due,
            details={"deadline_kind": "review_request", "due": due.isoformat(), "sentence": "Due by 5 p.m."},
        )
        alerts = route_notice_events(session, notice=notice, events=[event], now=NOW, threshold=90)
        [alert] = [a for a in alerts if a.subscriber_id == subscriber.id]
        message = build_alert_message(
            alert,
            recipient=subscriber.email,
            sender="a@example.com",
            now=NOW,
            thread=(),
            unsubscribe="mailto:a",
        )
        session.rollback()
    html, text = html_of(message), text_of(message)
    assert "javascript" not in html.lower() and "javascript" not in text.lower()
    assert "2024-99999" in text  # the notice is still named, only the link is gone
    [part] = list(message.iter_attachments())
    [calendar_event] = Calendar.from_ical(part.get_content()).walk("VEVENT")
    assert "URL" not in calendar_event and "javascript" not in str(calendar_event["description"]).lower()


def test_a_configured_https_source_host_is_linkable_and_an_http_one_is_not() -> None:
    from worker.app.runtime import link_hosts
    from worker.app.settings import Settings

    mirror = Settings(_env_file=None, federal_register_url="https://fr.mirror.example/api/v1")  # type: ignore[call-arg]
    assert safe_link("https://fr.mirror.example/d/2024-02902", link_hosts(mirror)) != ""
    assert safe_link("https://www.federalregister.gov/d/2024-02902", link_hosts(mirror)) != ""
    local = Settings(_env_file=None, federal_register_url="http://127.0.0.1:8080/api/v1")  # type: ignore[call-arg]
    assert safe_link("http://127.0.0.1:8080/d/2024-02902", link_hosts(local)) == ""
