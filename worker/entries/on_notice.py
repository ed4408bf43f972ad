"""What a saved notice does to imported entries: decisions stored always, alerts unless the poll primes."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from worker.entries.alerts import entry_alerts
from worker.entries.decide import decide_entries, save_decisions
from worker.entries.results import results_kind
from worker.storage.models import Alert, Notice


def entries_on_notice(
    session: Session, notice: Notice, *, now: datetime, threshold: int, citation: str | None, alert: bool
) -> list[Alert]:
    """Decide and store the entries a results notice decides; the alerts that say so when `alert`."""
    if notice.on_public_inspection or results_kind(notice) is None:
        return []
    decisions = decide_entries(session, notice, now=now, threshold=threshold)
    save_decisions(session, decisions)
    if not alert:
        return []
    return entry_alerts(session, notice, decisions, now=now, citation=citation)
