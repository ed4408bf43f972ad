"""A simulated February and March 2024 with a fixed clock, through the real pipeline and a real SMTP server.

Every working day at 09:00 Eastern the worker runs its jobs in `run --once` order: poll the Federal
Register (a RecordedSite on 127.0.0.1 serving, each day, the documents published since the cursor),
queue reminders, queue digests, deliver. Documents (see the .source.txt of the search fixture):
- Thu Feb 1: the review-opportunity notice for February anniversaries (constructed XML; shrimp from
  India A-533-840 is listed, its request window closes Thu Feb 29);
- Mon Feb 12: the real pressure-washers AD and CVD orders (FR Doc 2024-02902);
- Thu Feb 22: a court decision amending the AD order: Sumec's rate 169.34% -> 139.58% (XML derived
  here from the real order);
- Fri Mar 29: the review-initiation notice for February anniversaries (constructed XML).
The worker is down from Fri Mar 1 to Mon Mar 11 (nothing runs), and back on Tue Mar 12.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

from icalendar import Calendar
from sqlalchemy.engine import Engine

from tests.support.fixtures import fixture, fixture_bytes
from tests.support.mail import SmtpServer, text_of
from tests.support.pipeline import set_cursor, settings_for
from watchers.business_days import is_business_day
from worker.alerts.baseline import queue_baseline_reports
from worker.alerts.digest import run_digests
from worker.alerts.reminder_job import run_reminders
from worker.app.dbsetup import init_database
from worker.app.recorded_site import RecordedSite, Route
from worker.app.runtime import run_delivery, run_poll
from worker.portfolios.files import import_portfolio
from worker.storage import people
from worker.storage.db import transaction
from worker.storage.models import Subscriber

SEARCH_PATH = "/api/v1/documents.json"
LADDER = (30, 14, 7, 2, 0)
DOWN = (date(2024, 3, 1), date(2024, 3, 11))
BUYER = "buyer@demo-outdoor-power.example"
COUNSEL = "counsel@tradelaw.example"
OPS = "ops@demo-outdoor-power.example"
SEAFOOD = "buyer@coastal-seafood.example"
PORTFOLIO = (
    "importer,sku,description,hts,country_of_origin,producer,exporter,annual_entered_value_usd\n"
    'Coastal Seafood Imports,SHR-1620,"Frozen warmwater shrimp, peeled, 16/20",0306.17.0009,IN,'
    "Apex Frozen Foods Private Limited,Apex Frozen Foods Private Limited,2000000\n"
)


def court_decision_xml() -> bytes:
    """The real order's XML as a made-up court decision amending Sumec's AD rate (effective Feb 22)."""
    text = fixture_bytes("fr_api", "2024-02902.xml").decode()
    old_row = "<ENT>179.88</ENT>\n                        <ENT>169.34</ENT>"
    assert text.count(old_row) == 2  # two Sumec rows: both amended
    text = text.replace(old_row, "<ENT>150.12</ENT>\n                        <ENT>139.58</ENT>")
    text = text.replace(
        "Antidumping Duty and Countervailing Duty Orders</SUBJECT>",
        "Notice of Court Decision Not in Harmony With the Final Determination in the Less-Than-Fair-Value "
        "Investigation; Notice of Amended Final Determination; Notice of Amended Antidumping Duty "
        "Order</SUBJECT>",
    )
    text = text.replace("Applicable February 12, 2024.", "Applicable February 22, 2024.")
    # An amended order does not set up the annual inquiry service list again.
    text, removed = re.subn(
        r"<P>\s*Interested parties who wish to be added to the annual inquiry service list.*?</P>",
        "",
        text,
        flags=re.S,
    )
    assert removed == 1
    return text.replace("2024-02902 Filed 2-9-24", "2024-03456 Filed 2-21-24").encode()


class Month:
    """The simulated site: serves each day the search results published from the cursor to that day."""

    def __init__(self) -> None:
        self.search = json.loads(fixture("fr_api", "constructed_search_month_2024-02.json").read_text())
        self.today = date(2024, 2, 1)
        xml = {
            "2024-01999": fixture_bytes("fr_xml", "constructed_review_opportunity_2024-02.xml"),
            "2024-02902": fixture_bytes("fr_api", "2024-02902.xml"),
            "2024-03456": court_decision_xml(),
            "2024-06666": fixture_bytes("fr_xml", "constructed_review_initiation_2024-03.xml"),
        }
        self.routes = [
            Route(
                r["full_text_xml_url"].split("federalregister.gov", 1)[1],
                xml[r["document_number"]],
                "application/xml",
            )
            for r in self.search["results"]
        ]

    def hook(self, path: str, query: dict[str, str]) -> Route | None:
        if path != SEARCH_PATH:
            return None
        since = query.get("conditions[publication_date][gte]", "1900-01-01")
        results = [
            r for r in self.search["results"] if since <= r["publication_date"] <= self.today.isoformat()
        ]
        body = {**self.search, "count": len(results), "results": results}
        return Route(SEARCH_PATH, json.dumps(body).encode(), "application/json", etag=False)


def subscribe(engine: Engine, tmp_path: Path) -> None:
    csv = tmp_path / "seafood.csv"
    csv.write_text(PORTFOLIO)
    for path in (fixture("portfolio", "sample_portfolio.csv"), csv):
        assert not import_portfolio(engine, path).errors
    joined = datetime(2024, 2, 1, 13, 0, tzinfo=UTC)
    rows = [
        (BUYER, "Demo Outdoor Power Inc.", "importer", "none", "America/New_York"),
        (COUNSEL, "Demo Outdoor Power Inc.", "counsel", "none", "America/New_York"),
        (COUNSEL, "Coastal Seafood Imports", "counsel", "none", "America/New_York"),
        (OPS, "Demo Outdoor Power Inc.", "ops", "weekly", "America/Chicago"),
        (SEAFOOD, "Coastal Seafood Imports", "importer", "none", "America/Los_Angeles"),
    ]
    with transaction(engine) as session:
        ids = set()
        for email, importer_name, role, digest, zone in rows:
            importer = people.load_or_create_importer(session, importer_name)
            assert importer.id is not None
            ids.add(importer.id)
            session.add(
                Subscriber(
                    email=email,
                    importer_id=importer.id,
                    role=role,
                    digest=digest,
                    time_zone=zone,
                    unsubscribe_token=f"t-{len(ids)}-{role}",
                    created_at=joined,
                )
            )
        session.flush()
        assert len(queue_baseline_reports(session, importer_ids=ids, now=joined)) == 5


def received(messages: list[tuple[date, EmailMessage]], email: str) -> list[tuple[str, str]]:
    """(day, what) for each message to `email`: the kind, and for reminders the dedupe key's rung."""
    out = []
    for day, message in messages:
        if message["To"] != email:
            continue
        kind = str(message["X-ADCVD-Kind"])
        key = str(message["X-ADCVD-Dedupe-Key"])
        if kind == "reminder":
            _, cases, deadline, due, rung, _ = key.split(":")
            kind = f"reminder {deadline} {due} {cases} -{rung}"
        out.append((day.isoformat(), kind))
    return out


async def test_a_simulated_month_sends_each_role_what_it_needs_once_and_on_time(
    engine: Engine, smtp: SmtpServer, tmp_path: Path
) -> None:
    init_database(engine)  # the seed catalog: A-533-840 shrimp from India, order of 2005-02-01
    subscribe(engine, tmp_path)
    set_cursor(engine, "2024-01-31")
    month = Month()
    delivered: list[tuple[date, EmailMessage]] = []
    with RecordedSite(month.routes) as site:
        site.hook = month.hook
        settings = settings_for(
            site.base_url, smtp_url=smtp.url, outbox=tmp_path / "outbox", database_url=str(engine.url)
        )
        day = date(2024, 2, 1)
        while day <= date(2024, 3, 29):
            if DOWN[0] <= day <= DOWN[1] or day.weekday() >= 5:
                day += timedelta(days=1)
                continue
            month.today = day
            now = datetime(day.year, day.month, day.day, 14, 0, tzinfo=UTC)  # 09:00 Eastern, 08:00 Central
            report = await run_poll(settings, engine, "federal_register", now=now)
            assert report.ok, report
            run_reminders(engine, now=now, ladder=LADDER)
            run_digests(engine, now=now, threshold=90)
            before = len(smtp.sink.messages)
            sent = await run_delivery(settings, engine, now=now)
            assert sent.failed == 0 and sent.retried == 0
            delivered += [(day, m) for m in smtp.sink.messages[before:]]
            day += timedelta(days=1)

    assert received(delivered, BUYER) == [
        ("2024-02-01", "baseline"),  # nothing reaches the pressure washers yet
        ("2024-02-12", "order"),
        ("2024-02-22", "rate_change"),
    ]
    # Importers get the review-request window of their orders (the order alert promises it), no other
    # deadline mail.
    assert received(delivered, SEAFOOD) == [
        ("2024-02-01", "baseline"),
        ("2024-02-08", "reminder review_request 2024-02-29 A-533-840 -14"),
        ("2024-02-20", "reminder review_request 2024-02-29 A-533-840 -7"),
        ("2024-02-27", "reminder review_request 2024-02-29 A-533-840 -2"),
        ("2024-02-29", "reminder review_request 2024-02-29 A-533-840 -0"),
    ]
    assert received(delivered, COUNSEL) == [
        ("2024-02-01", "baseline"),  # for Demo Outdoor Power
        ("2024-02-01", "baseline"),  # for Coastal Seafood: lists the shrimp review window of Feb 29
        # The review-opportunity notice of Feb 1 repeats that window: no "new deadline" alert.
        ("2024-02-08", "reminder review_request 2024-02-29 A-533-840 -14"),
        ("2024-02-12", "new_deadline"),  # the order's annual inquiry service list, due Mar 13
        ("2024-02-20", "reminder review_request 2024-02-29 A-533-840 -7"),
        ("2024-02-22", "reminder annual_inquiry_service_list 2024-03-13 A-570-148+C-570-149 -14"),
        ("2024-02-27", "reminder review_request 2024-02-29 A-533-840 -2"),
        ("2024-02-29", "reminder review_request 2024-02-29 A-533-840 -0"),
        # Down Mar 1-11: the 7-day rung (Mar 4) is not sent late; the 2-day rung (Mar 11) is, once.
        ("2024-03-12", "reminder annual_inquiry_service_list 2024-03-13 A-570-148+C-570-149 -2"),
        ("2024-03-13", "reminder annual_inquiry_service_list 2024-03-13 A-570-148+C-570-149 -0"),
        ("2024-03-29", "new_deadline"),  # the review initiation: no-shipment and withdrawal deadlines
    ]
    assert received(delivered, OPS) == [
        ("2024-02-01", "baseline"),
        ("2024-02-05", "digest"),  # week of Jan 29
        ("2024-02-12", "digest"),  # week of Feb 5
        ("2024-02-19", "digest"),  # week of Feb 12, in Chicago time (sent on Presidents Day too)
        ("2024-02-26", "digest"),  # week of Feb 19
        ("2024-03-12", "digest"),  # back after the outage: one digest for Feb 26 - Mar 10
        ("2024-03-18", "digest"),
        ("2024-03-25", "digest"),
    ]

    by_kind = {(m["To"], str(m["X-ADCVD-Kind"]), d): m for d, m in delivered}
    order = by_kind[(BUYER, "order", date(2024, 2, 12))]
    rate = by_kind[(BUYER, "rate_change", date(2024, 2, 22))]
    assert rate["In-Reply-To"] == order["Message-ID"] and order["Message-ID"] in rate["References"]
    rate_text = text_of(rate)
    assert "CHANGED from 169.34%" in rate_text and "139.58%" in rate_text and "-$252,960" in rate_text
    assert str(rate["List-Unsubscribe"]).strip().startswith("<mailto:")

    catch_up = by_kind[(OPS, "digest", date(2024, 3, 12))]
    assert "Monday, February 26, 2024 to Sunday, March 10, 2024 (2 weeks" in text_of(catch_up)

    initiation = by_kind[(COUNSEL, "new_deadline", date(2024, 3, 29))]
    text = text_of(initiation)
    assert "No-shipment statement (A-533-840): due Monday, April 29, 2024" in text
    assert "Separate-rate" not in text  # India is a market economy: no separate rates
    [calendar_part] = list(initiation.iter_attachments())
    calendar = Calendar.from_ical(calendar_part.get_content())
    days = sorted(
        str(e.get("summary")) + " " + e.decoded("dtstart").isoformat() for e in calendar.walk("VEVENT")
    )
    assert days == [
        "AD/CVD A-533-840: No-shipment statement (Coastal Seafood Imports) 2024-04-29",
        "AD/CVD A-533-840: Withdrawal of a review request (Coastal Seafood Imports) 2024-06-27",
    ]
    for day, message in delivered:
        if message["X-ADCVD-Kind"] == "reminder":
            [part] = list(message.iter_attachments())
            [event] = Calendar.from_ical(part.get_content()).walk("VEVENT")
            start = event.decoded("dtstart")  # a date, or a datetime when the notice states a time
            due = start.date() if isinstance(start, datetime) else start
            assert is_business_day(due) and day <= due
    assert len(smtp.sink.by_dedupe_key()) == len(delivered)  # nothing sent twice
