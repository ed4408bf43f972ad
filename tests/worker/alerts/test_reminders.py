"""The reminder ladder on business days, the review-request window, and `adcvd deadlines`."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from icalendar import Calendar
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from tests.support.deadline_cases import subscribed_pressure_washer_order
from watchers.review_request import next_review_request_due
from worker.alerts.reminders import due_rung, reminder_dates
from worker.app.cli import app
from worker.storage import outbox_rows
from worker.storage.db import transaction

LADDER = (30, 14, 7, 2, 0)


@pytest.mark.parametrize(
    ("order_date", "today", "due"),
    [
        (date(2005, 2, 1), date(2024, 2, 1), date(2024, 2, 29)),  # leap February, a Thursday
        (date(2005, 2, 1), date(2024, 3, 1), date(2025, 2, 28)),  # this year's window has closed
        (date(2024, 2, 12), date(2024, 2, 12), date(2025, 2, 28)),  # the first window is a year later
        (date(2016, 8, 3), date(2024, 8, 1), date(2024, 9, 3)),  # Aug 31 Saturday -> Sep 3 after Labor Day
        (date(2019, 3, 8), date(2024, 3, 31), date(2024, 4, 1)),  # Sunday Mar 31 rolls to Monday
    ],
    ids=["leap-february", "next-year", "first-anniversary", "labor-day-roll", "sunday-roll"],
)
def test_review_request_window_closes_on_the_last_business_day_of_the_anniversary_month(
    order_date: date, today: date, due: date
) -> None:
    assert next_review_request_due(order_date, today=today) == due


def test_ladder_counts_business_days_before_the_due_date() -> None:
    # March 13, 2024 (the pressure-washers annual inquiry service list deadline); Feb 19 is a holiday.
    assert dict(reminder_dates(date(2024, 3, 13), LADDER)) == {
        30: date(2024, 1, 30),
        14: date(2024, 2, 22),
        7: date(2024, 3, 4),
        2: date(2024, 3, 11),
        0: date(2024, 3, 13),
    }


@pytest.mark.parametrize(
    ("today", "known_since", "rung"),
    [
        (date(2024, 2, 21), date(2024, 2, 12), None),  # before the 14-day rung
        (date(2024, 2, 22), date(2024, 2, 12), 14),
        (date(2024, 3, 5), date(2024, 2, 12), 7),  # a day late: still the 7-day rung
        (date(2024, 3, 12), date(2024, 2, 12), 2),  # after downtime: only the latest rung reached
        (date(2024, 3, 13), date(2024, 2, 12), 0),
        (date(2024, 3, 14), date(2024, 2, 12), None),  # never after the deadline
        (date(2024, 3, 4), date(2024, 3, 4), None),  # announced that day: the alert said it
        (date(2024, 3, 11), date(2024, 3, 4), 2),
        (date(2024, 2, 1), None, 30),  # known since the order (a review window)
    ],
    ids=[
        "too-early",
        "14",
        "late-7",
        "downtime-2",
        "due-day",
        "passed",
        "announced-today",
        "after-announce",
        "rule",
    ],
)
def test_due_rung(today: date, known_since: date | None, rung: int | None) -> None:
    assert due_rung(date(2024, 3, 13), today=today, ladder=LADDER, known_since=known_since) == rung


def test_deadlines_command_lists_the_review_window_and_writes_an_ics_that_parses(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    subscribed_pressure_washer_order(engine)
    ics = tmp_path / "deadlines.ics"
    env = {"ADCVD_DATABASE_URL": str(engine.url)}
    result = CliRunner().invoke(
        app,
        ["deadlines", "--days", "800", "--importer", "Demo Outdoor Power Inc.", "--ics", str(ics), "--json"],
        env=env,
    )
    assert result.exit_code == 0, result.output
    assert '"review_request"' in result.output and "19 CFR 351.213(b)(1)" in result.output
    [event] = Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
    assert event.decoded("dtstart") >= date(2025, 2, 28)
    assert (
        str(event.get("summary"))
        == "AD/CVD A-570-148: Administrative review request window closes (Demo Outdoor Power Inc.)"
    )
    with transaction(engine) as session:
        assert outbox_rows.list_alerts(session) == []  # listing sends nothing
    unknown = CliRunner().invoke(app, ["deadlines", "--importer", "Nobody"], env=env)
    assert unknown.exit_code == 2
