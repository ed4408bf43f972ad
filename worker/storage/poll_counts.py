"""Each source's totals of polls, failures and documents read, for /metrics; caller owns the transaction."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from worker.storage.models import SourceState


def count_poll(session: Session, source: str, *, failed: bool, documents: int, now: datetime) -> None:
    """Add one finished poll to the source's totals; a failed one also stamps last_failure_at."""
    state = session.get(SourceState, source) or SourceState(name=source)
    state.polls_total += 1
    state.documents_read_total += max(documents, 0)
    if failed:
        state.failures_total += 1
        state.last_failure_at = now
    session.add(state)
