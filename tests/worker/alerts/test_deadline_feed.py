"""A subscriber's calendar feed: whose deadlines, one event per case, UIDs and revisions that hold."""

from __future__ import annotations

from datetime import UTC, date, datetime

from icalendar import Calendar
from sqlalchemy.engine import Engine

from tests.support.deadline_cases import shrimp_order
from tests.support.pipeline import subscribe_sample_portfolio
from worker.alerts.deadline_feed import feed_calendar
from worker.storage import people
from worker.storage.db import transaction
from worker.storage.models import Deadline, Notice, Product, Subscriber

LADDER = (30, 14, 7, 2, 0)
NOW = datetime(2024, 2, 12, 12, tzinfo=UTC)
SHRIMP_WINDOW = "demo-outdoor-power-inc:A-533-840:review_request:2024-02-29@adcvd-watch"


def events(engine: Engine, email: str, now: datetime = NOW) -> dict[str, dict[str, str]]:
    with transaction(engine) as session:
        [subscriber] = people.list_subscribers_by_email(session, email)
        feed = feed_calendar(session, subscriber, now=now, ladder=LADDER)
    calendar = Calendar.from_ical(feed)
    assert "METHOD" not in calendar  # a published feed, not a scheduling message
    return {
        str(e["uid"]): {
            "start": e.decoded("dtstart").isoformat(),
            "summary": str(e["summary"]),
            "sequence": str(e.get("sequence", 0)),
            "last_modified": e.decoded("last-modified").isoformat(),
            "dtstamp": e.decoded("dtstamp").isoformat(),
        }
        for e in calendar.walk("VEVENT")
    }


def test_a_notice_restating_a_deadline_revises_the_same_event(engine: Engine) -> None:
    subscribe_sample_portfolio(engine, email="counsel@firm.example", role="counsel")
    shrimp_order(engine)
    # The window of the 2005 order closes on the last business day of February 2024: Thursday the 29th.
    first = events(engine, "counsel@firm.example")
    assert list(first) == [SHRIMP_WINDOW]
    assert first[SHRIMP_WINDOW]["start"] == "2024-02-29" and first[SHRIMP_WINDOW]["sequence"] == "0"
    assert (
        first[SHRIMP_WINDOW]["last_modified"]
        == first[SHRIMP_WINDOW]["dtstamp"]
        == "2005-02-01T00:00:00+00:00"
    )
    assert events(engine, "counsel@firm.example") == first  # rebuilt at each fetch: the same

    # The monthly opportunity notice states the same window: the event is revised, not duplicated.
    seen = datetime(2024, 2, 1, 14, 5, tzinfo=UTC)
    with transaction(engine) as session:
        session.add(
            Notice(document_number="2024-01999", title="Opportunity To Request Administrative Review",
                   kind="review_opportunity", html_url="https://www.federalregister.gov/d/2024-01999",
                   first_seen_at=seen)
        )  # fmt: skip
        session.add(
            Deadline(case_number="A-533-840", kind="review_request", due_date=date(2024, 2, 29),
                     sentence="Not later than the last day of February 2024, interested parties may request "
                     "administrative review.", notice_document_number="2024-01999")
        )  # fmt: skip
    second = events(engine, "counsel@firm.example")
    assert list(second) == [SHRIMP_WINDOW]
    assert second[SHRIMP_WINDOW]["sequence"] == "1"
    assert second[SHRIMP_WINDOW]["last_modified"] == second[SHRIMP_WINDOW]["dtstamp"] == seen.isoformat()


def test_every_role_sees_only_its_own_importer(engine: Engine) -> None:
    """Another importer's products and deadlines are confidential: ops subscribers belong to one too."""
    subscribe_sample_portfolio(engine, email="counsel@firm.example", role="counsel")
    shrimp_order(engine)
    with transaction(engine) as session:
        other = people.load_or_create_importer(session, "Second Importer LLC")
        assert other.id is not None
        session.add(Product(importer_id=other.id, sku="S-9", description="", hts="0306170040", country="IN"))
        session.add(Subscriber(email="buyer@second.example", importer_id=other.id, role="importer"))
        session.add(Subscriber(email="ops@second.example", importer_id=other.id, role="ops"))
    second = "second-importer-llc:A-533-840:review_request:2024-02-29@adcvd-watch"
    assert list(events(engine, "counsel@firm.example")) == [SHRIMP_WINDOW]
    assert list(events(engine, "buyer@second.example")) == [second]
    ops = events(engine, "ops@second.example")
    assert sorted(ops) == [second]
    assert ops[second]["summary"] == (
        "AD/CVD A-533-840: Administrative review request window closes (Second Importer LLC)"
    )


def test_a_deadline_just_passed_stays_a_while_then_leaves(engine: Engine) -> None:
    subscribe_sample_portfolio(engine, email="counsel@firm.example", role="counsel")
    shrimp_order(engine)
    # After February 29 the next window is February 2025 (Friday the 28th); the passed one stays 60 days.
    march = events(engine, "counsel@firm.example", datetime(2024, 3, 4, 12, tzinfo=UTC))
    assert sorted(v["start"] for v in march.values()) == ["2024-02-29", "2025-02-28"]
    may = events(engine, "counsel@firm.example", datetime(2024, 5, 1, 12, tzinfo=UTC))
    assert sorted(v["start"] for v in may.values()) == ["2025-02-28"]
