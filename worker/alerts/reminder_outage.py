"""After an outage that spanned a deadline: no late reminder, and one note to the operator per deadline."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from sqlmodel import Session

from worker.alerts.audience import local_today, wants
from worker.alerts.importer_deadlines import DeadlineItem, collect_deadlines
from worker.alerts.reminders import reminder_dates
from worker.alerts.watchdog import operator_alert
from worker.storage import outbox_rows, people
from worker.storage.models import Importer

LOOKBACK_DAYS = 14  # deadlines that passed this recently are checked for a reminder that never went


def note_missed_reminders(
    session: Session, *, now: datetime, ladder: Sequence[int], operator_email: str | None
) -> list[str]:
    """Deadlines that passed while no reminder could go (the worker was down from the last rung on).

    A reminder is missed when the ladder's last rung fell after the subscriber joined and after the
    deadline became known, the deadline has passed, and that last rung was never queued for the
    subscriber (due_rung queues it on any day from its own to the deadline: the worker was down).
    Nothing is sent to the subscriber (a reminder after the deadline helps no one); the operator gets
    one note per deadline, naming who missed it.
    """
    if not operator_email or not ladder:
        return []
    missed: dict[str, list[str]] = {}
    labels: dict[str, str] = {}
    sent = set(outbox_rows.list_alert_keys(session, prefix="reminder:"))  # nothing below queues a reminder
    passed: dict[tuple[int, date], list[DeadlineItem]] = {}  # an importer's subscribers share its deadlines
    for subscriber in people.list_subscribers(session):
        if subscriber.importer_id is None or subscriber.id is None or not wants(subscriber, "reminder"):
            continue
        today = local_today(now, subscriber.time_zone)
        joined = local_today(subscriber.created_at, subscriber.time_zone) if subscriber.created_at else None
        asked = (subscriber.importer_id, today)
        if asked not in passed:
            passed[asked] = collect_deadlines(
                session,
                importer_id=subscriber.importer_id,
                today=today - timedelta(days=LOOKBACK_DAYS),
                until=today - timedelta(days=1),
            )
        for item in passed[asked]:
            if item.due >= today:
                continue
            last_rung, last_rung_day = reminder_dates(item.due, ladder)[-1]
            known = max((d for d in (item.known_since, joined) if d is not None), default=None)
            if known is not None and last_rung_day <= known:
                continue  # the new-deadline alert told them; no reminder was owed
            if f"reminder:{item.key}:{last_rung}:{subscriber.id}" in sent:
                continue  # the last rung went: the worker was up on the deadline's last reminder day
            importer = session.get(Importer, subscriber.importer_id)
            missed.setdefault(item.key, []).append(
                f"{subscriber.email} ({importer.name if importer else 'no importer'})"
            )
            labels[item.key] = f"{item.kind} for {', '.join(item.cases)} due {item.due.isoformat()}"
    created: list[str] = []
    for key, who in sorted(missed.items()):
        alert_key = f"operator:reminders:missed:{key}"
        lines = [
            f"Deadline: {labels[key]}",
            "It passed while the worker was not running, so no reminder went out; none is sent now.",
            *(f"Not reminded: {name}" for name in who),
        ]
        subject = f"Reminder missed during an outage: {labels[key]}"
        if operator_alert(
            session, operator_email=operator_email, key=alert_key, subject=subject, lines=lines, now=now
        ):
            created.append(alert_key)
    return created
