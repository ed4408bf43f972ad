"""The scheduler's reminder job: queue the reminders due now, then note those an outage made miss."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.engine import Engine

from worker.alerts.reminder_outage import note_missed_reminders
from worker.alerts.reminders import queue_reminders
from worker.storage.db import transaction


def run_reminders(
    engine: Engine, *, now: datetime, ladder: Sequence[int], operator_email: str | None = None
) -> int:
    """Queue what is due now (delivery sends it) and tell the operator of missed deadlines."""
    with transaction(engine) as session:
        queued = len(queue_reminders(session, now=now, ladder=ladder))
        note_missed_reminders(session, now=now, ladder=ladder, operator_email=operator_email)
        return queued
