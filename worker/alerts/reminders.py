"""The reminder ladder: which rung of each deadline is due today, and the reminder each subscriber gets."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlmodel import Session

from notifier.report_views import ReminderView
from watchers.business_days import add_business_days
from worker.alerts.audience import local_today, switched_off, wants
from worker.alerts.importer_deadlines import (
    REVIEW_REQUEST,
    DeadlineItem,
    collect_deadlines,
    deadline_view,
    item_calendar_entry,
)
from worker.alerts.views import (
    recipient_view,
)
from worker.storage import outbox_rows, people
from worker.storage.models import Alert, Importer, Subscriber


def reminder_dates(due: date, ladder: Sequence[int]) -> list[tuple[int, date]]:
    """Each rung of the ladder: `n` business days before the due date (0: the due date), earliest first."""
    return sorted(((n, add_business_days(due, -n)) for n in set(ladder)), key=lambda r: -r[0])


def due_rung(due: date, *, today: date, ladder: Sequence[int], known_since: date | None) -> int | None:
    """The rung to send today, if any: the latest rung reached, never after the deadline.

    Rungs missed while the worker was down are not sent one after another: only the latest
    reached one is. A rung on or before the day the deadline became known is not sent either:
    the new-deadline alert (or the baseline report) told the subscriber that day.
    """
    if today > due:
        return None
    reached = [(n, day) for n, day in reminder_dates(due, ladder) if day <= today]
    if not reached:
        return None
    rung, day = min(reached, key=lambda r: r[0])
    if known_since is not None and day <= known_since:
        return None
    return rung


def reminder_payload(
    item: DeadlineItem,
    *,
    subscriber: Subscriber,
    importer: str,
    today: date,
    now: datetime,
    rung: int,
    ladder: Sequence[int],
) -> ReminderView:
    return {
        "template": "reminder",
        "kind": "reminder",
        "severity": "high" if rung <= 2 else "medium",
        "rung": rung,
        "deadline": deadline_view(item, today=today),
        "importer": importer,
        "recipient": recipient_view(subscriber, importer),
        "today": today.isoformat(),
        "ics": {
            "filename": f"adcvd-{'+'.join(item.cases)}-{item.kind}-{item.due.isoformat()}.ics",
            "entries": [
                item_calendar_entry(
                    item, importer=importer, now=now, time_zone=subscriber.time_zone, ladder=ladder
                )
            ],
        },
    }


def horizon(today: date, ladder: Sequence[int]) -> date:
    return add_business_days(today, max(ladder, default=0))


def reminder_kinds(subscriber: Subscriber) -> frozenset[str] | None:
    """The deadline kinds a subscriber is reminded of: None for every kind, empty for none.

    Counsel (and anyone who switched reminders on) hear of every deadline. Importers hear of the
    review-request window of their matched orders by default, as the order alert promises them;
    switching reminders off silences that too.
    """
    if wants(subscriber, "reminder"):
        return None
    if subscriber.role == "importer" and not switched_off(subscriber, "reminder"):
        return frozenset({REVIEW_REQUEST})
    return frozenset()


def queue_reminders(session: Session, *, now: datetime, ladder: Sequence[int]) -> list[Alert]:
    """Queue today's rung of every deadline for each subscriber who wants reminders, once each."""
    queued: list[Alert] = []
    cache: dict[tuple[int, date], list[DeadlineItem]] = {}
    for subscriber in people.list_subscribers(session):
        kinds = reminder_kinds(subscriber)
        if subscriber.importer_id is None or subscriber.id is None or kinds == frozenset():
            continue
        today = local_today(now, subscriber.time_zone)
        key = (subscriber.importer_id, today)
        if key not in cache:
            cache[key] = collect_deadlines(
                session, importer_id=subscriber.importer_id, today=today, until=horizon(today, ladder)
            )
        joined = local_today(subscriber.created_at, subscriber.time_zone) if subscriber.created_at else None
        importer = session.get(Importer, subscriber.importer_id)
        for item in cache[key]:
            if kinds is not None and item.kind not in kinds:
                continue
            known = max((d for d in (item.known_since, joined) if d is not None), default=None)
            rung = due_rung(item.due, today=today, ladder=ladder, known_since=known)
            if rung is None:
                continue
            alert = Alert(
                dedupe_key=f"reminder:{item.key}:{rung}:{subscriber.id}",
                subscriber_id=subscriber.id,
                kind="reminder",
                case_number=",".join(item.cases),
                notice_document_number=item.notice_document_number,
                thread_key=f"case:{item.cases[0]}",
                payload=dict(
                    reminder_payload(
                        item,
                        subscriber=subscriber,
                        importer=importer.name if importer else "",
                        today=today,
                        now=now,
                        rung=rung,
                        ladder=ladder,
                    )
                ),
                created_at=now,
                next_attempt_at=now,
            )
            if outbox_rows.save_alert_if_new(session, alert):
                queued.append(alert)
    return queued
