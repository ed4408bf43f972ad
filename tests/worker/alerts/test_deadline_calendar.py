"""Calendar events for deadlines: business-day alarms, stated filing times, per-importer UIDs."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from icalendar import Calendar
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from notifier.ics import CalendarEntry, build_calendar
from tests.support.deadline_cases import subscribed_pressure_washer_order
from worker.alerts.deadline_calendar import EASTERN, alarm_times, calendar_entry, stated_time
from worker.app.cli import app
from worker.storage import people
from worker.storage.db import transaction
from worker.storage.models import Product

LADDER = (30, 14, 7, 2, 0)


def test_alarms_follow_the_business_day_ladder_around_federal_holidays() -> None:
    # Due Monday July 8, 2024; counted back by hand over July 4, Juneteenth (June 19) and
    # Memorial Day (May 27): 0 -> Jul 8, 2 -> Jul 3, 7 -> Jun 26, 14 -> Jun 14, 30 -> May 22.
    all_rungs = alarm_times(
        date(2024, 7, 8), LADDER, now=datetime(2024, 5, 1, tzinfo=UTC), time_zone="America/New_York"
    )
    nine_edt = time(13, 0)  # 9:00 EDT is 13:00 UTC
    assert all_rungs == [
        datetime.combine(day, nine_edt, UTC)
        for day in (
            date(2024, 5, 22),
            date(2024, 6, 14),
            date(2024, 6, 26),
            date(2024, 7, 3),
            date(2024, 7, 8),
        )
    ]
    # The clock decides which are still to come; 9:00 in the reader's own zone.
    later = alarm_times(
        date(2024, 7, 8), LADDER, now=datetime(2024, 6, 20, 10, tzinfo=UTC), time_zone="America/Los_Angeles"
    )
    assert later == [datetime(2024, 6, 26, 16, tzinfo=UTC), datetime(2024, 7, 3, 16, tzinfo=UTC),
                     datetime(2024, 7, 8, 16, tzinfo=UTC)]  # fmt: skip


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Case briefs must be filed using ACCESS by 5:00 p.m. Eastern Time on July 8, 2024.", time(17)),
        ("Rebuttal comments are due by 5:00 p.m., Eastern Daylight Time (EDT), April 29, 2016.", time(17)),
        ("Requests must be received by 5 p.m. on May 20, 2016.", time(17)),
        ("Comments must be filed by 11:59 p.m. Eastern Time on March 8, 2024.", time(23, 59)),
        ("Notices of appearance are due by 12:00 p.m. (EDT) on April 19.", time(12)),
        ("Written requests should be made no later than 5:30 p.m., Eastern Time.", time(17, 30)),
        ("Requests are due by noon on the hearing date.", time(12)),
        ("Submissions are due before 5:00 PM ET on the due date.", time(17)),
        ("Parties must file by 9 am on Monday.", time(9)),
        ("Responses are due by 5 months after initiation.", None),
        ("Interested parties may submit case briefs within 30 days after publication.", None),
        ("The hearing will run from 9:30 a.m. to 5:00 p.m. Seating is limited.", None),
    ],
)
def test_the_stated_filing_time(sentence: str, expected: time | None) -> None:
    assert stated_time(sentence) == expected


def test_a_stated_time_makes_a_timed_event_in_eastern_time_with_the_notice_link() -> None:
    stamp = datetime(2024, 6, 20, 10, tzinfo=UTC)
    view = calendar_entry(
        key="A-570-148:case_brief:2024-07-08",
        label="Case brief",
        importer="Demo Outdoor Power Inc.",
        case_number="A-570-148",
        due="2024-07-08",
        product="Gas Powered Pressure Washers",
        sentence="Case briefs must be filed using ACCESS by 5:00 p.m. Eastern Time on July 8, 2024.",
        citation="19 CFR 351.309(c)",
        url="https://www.federalregister.gov/d/2024-12345",
        now=stamp,
        ladder=LADDER,
    )
    calendar = Calendar.from_ical(build_calendar([CalendarEntry.from_view(view)], stamp=stamp))
    [event] = calendar.walk("VEVENT")
    start = event.decoded("dtstart")
    assert start == datetime(2024, 7, 8, 17, tzinfo=EASTERN) and start.utcoffset() is not None
    assert str(event["dtstart"].params["TZID"]) == "America/New_York"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["America/New_York"]
    assert "DTEND" not in event and event.decoded("duration").total_seconds() == 0
    assert str(event["url"]) == "https://www.federalregister.gov/d/2024-12345"
    description = str(event["description"])
    assert "https://www.federalregister.gov/d/2024-12345" in description
    assert "Due by 5:00 PM Eastern on Monday, July 8, 2024." in description
    # Relative triggers, as every calendar reads them; start + trigger is 9:00 EDT on each rung's day.
    triggers = [alarm.decoded("trigger") for alarm in event.walk("VALARM")]
    assert [start + trigger for trigger in triggers] == [datetime(2024, 6, 26, 13, tzinfo=UTC),
        datetime(2024, 7, 3, 13, tzinfo=UTC), datetime(2024, 7, 8, 13, tzinfo=UTC)]  # fmt: skip
    assert "TRIGGER:-P12DT8H" in build_calendar([CalendarEntry.from_view(view)], stamp=stamp).decode()


def test_an_all_day_event_rings_at_nine_in_the_readers_zone() -> None:
    view = calendar_entry(
        key="A-570-148:review_request:2024-07-08",
        label="Review request",
        importer="Demo Outdoor Power Inc.",
        case_number="A-570-148",
        due="2024-07-08",
        product="Gas Powered Pressure Washers",
        sentence="Requests are due by the last day of the anniversary month.",
        citation="",
        url="",
        now=datetime(2024, 6, 20, 10, tzinfo=UTC),
        ladder=LADDER,
        time_zone="America/Los_Angeles",
    )
    # All day: floating midnight of July 8; 9:00 on Jun 26, Jul 3 and Jul 8 wherever the reader is.
    assert view["due_at"] is None
    assert view["alarm_minutes"] == [-(12 * 24 - 9) * 60, -(5 * 24 - 9) * 60, 9 * 60]


def test_two_importers_sharing_a_case_get_one_event_each_with_stable_uids(
    engine: Engine, tmp_path: Path
) -> None:
    subscribed_pressure_washer_order(engine)
    with transaction(engine) as session:
        other = people.load_or_create_importer(session, "Second Importer LLC")
        assert other.id is not None
        session.add(
            Product(
                importer_id=other.id, sku="W-1", description="Pressure washer", hts="8424309000", country="CN"
            )
        )
    env = {"ADCVD_DATABASE_URL": str(engine.url)}
    uids = []
    for run in range(2):
        ics = tmp_path / f"run{run}.ics"
        result = CliRunner().invoke(app, ["deadlines", "--days", "800", "--ics", str(ics)], env=env)
        assert result.exit_code == 0, result.output
        events = Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
        summaries = sorted(str(e["summary"]) for e in events)
        assert summaries == [
            "AD/CVD A-570-148: Administrative review request window closes (Demo Outdoor Power Inc.)",
            "AD/CVD A-570-148: Administrative review request window closes (Second Importer LLC)",
        ]
        uids.append(sorted(str(e["uid"]) for e in events))
    assert uids[0] == uids[1] and len(set(uids[0])) == 2
