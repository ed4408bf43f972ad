"""Reminders across an outage go once; an outage spanning a deadline sends no late reminder, one note."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy.engine import Engine

from tests.support.pipeline import subscribe_sample_portfolio
from watchers.review_request import next_review_request_due
from worker.alerts.reminder_job import run_reminders
from worker.alerts.reminders import reminder_dates
from worker.storage import outbox_rows
from worker.storage.db import transaction
from worker.storage.models import Case, CaseHts

LADDER = (30, 14, 7, 2, 0)
ORDER = date(2023, 3, 8)
OPERATOR = "ops@example.com"


def order_reaching_the_portfolio(engine: Engine) -> date:
    """The pressure-washers AD order, reaching the sample portfolio; returns its review-request due date."""
    subscribe_sample_portfolio(engine, role="counsel")  # counsel get reminders
    with transaction(engine) as session:
        session.add(
            Case(
                case_number="A-570-148",
                case_type="AD",
                country="CN",
                country_name="China",
                product="gas powered pressure washers",
                status="order",
                order_date=ORDER,
                source="test",
            )
        )
        session.flush()
        session.add(CaseHts(case_number="A-570-148", hts="8424309000", source="test", as_of=date(2023, 3, 8)))
    return next_review_request_due(ORDER, today=date(2024, 1, 2))


def noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 17, 0, tzinfo=UTC)


def reminder_rungs(engine: Engine) -> list[str]:
    with transaction(engine) as session:
        return sorted(k.split(":")[-2] for k in outbox_rows.list_alert_keys(session, prefix="reminder:"))


def operator_notes(engine: Engine) -> list[str]:
    with transaction(engine) as session:
        return outbox_rows.list_alert_keys(session, prefix="operator:reminders:missed:")


def test_a_rung_reached_during_an_outage_goes_once(engine: Engine) -> None:
    due = order_reaching_the_portfolio(engine)
    assert due == date(2024, 4, 1)  # March 31, 2024 is a Sunday: the window closes Monday
    rungs = dict(reminder_dates(due, LADDER))
    run_reminders(engine, now=noon(rungs[14]), ladder=LADDER, operator_email=OPERATOR)
    # Down across the 7- and 2-day rungs; back the day before the deadline, the job runs every 15 min.
    back = rungs[2] + timedelta(days=1)
    for minutes in (0, 15, 30):
        run_reminders(
            engine, now=noon(back) + timedelta(minutes=minutes), ladder=LADDER, operator_email=OPERATOR
        )
    run_reminders(engine, now=noon(due), ladder=LADDER, operator_email=OPERATOR)
    assert reminder_rungs(engine) == ["0", "14", "2"]
    assert operator_notes(engine) == []


def test_an_outage_spanning_the_deadline_sends_no_reminder_and_tells_the_operator_once(
    engine: Engine,
) -> None:
    due = order_reaching_the_portfolio(engine)
    rungs = dict(reminder_dates(due, LADDER))
    run_reminders(engine, now=noon(rungs[14]), ladder=LADDER, operator_email=OPERATOR)
    for day in (due + timedelta(days=3), due + timedelta(days=4)):  # back after the deadline
        run_reminders(engine, now=noon(day), ladder=LADDER, operator_email=OPERATOR)
    assert reminder_rungs(engine) == ["14"]
    [note] = operator_notes(engine)
    with transaction(engine) as session:
        [alert] = [a for a in outbox_rows.list_alerts(session) if a.dedupe_key == note]
        assert "2024-04-01" in alert.payload["subject"] and alert.status == "pending"
        assert any("imports@demo-outdoor-power.example" in line for line in alert.payload["lines"])


def test_no_note_when_the_last_reminder_went_out(engine: Engine) -> None:
    due = order_reaching_the_portfolio(engine)
    run_reminders(engine, now=noon(due), ladder=LADDER, operator_email=OPERATOR)
    run_reminders(engine, now=noon(due + timedelta(days=2)), ladder=LADDER, operator_email=OPERATOR)
    assert reminder_rungs(engine) == ["0"] and operator_notes(engine) == []
