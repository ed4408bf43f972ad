"""Each source's stored state (cursor, validators, last success and failure), and the mail server's;
the caller owns the transaction."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session, col, func, select

from worker.storage.models import (
    Notice,
    SourceState,
)

MAIL_SERVER = "mail_server"  # a source_state row for the SMTP server: blocked since when, and why


def load_source_state(session: Session, name: str) -> SourceState:
    state = session.get(SourceState, name)
    if state is None:
        state = SourceState(name=name)
        session.add(state)
        session.flush()
    return state


def save_poll_success(
    session: Session,
    source: str,
    *,
    now: datetime,
    cursor: str | None = None,
    etag: str | None = None,
    last_modified: str | None = None,
    keep_validators: bool = False,
) -> SourceState:
    """A poll went through: advance the cursor (never backwards), store validators, clear failures."""
    state = load_source_state(session, source)
    if cursor and (state.cursor is None or cursor > state.cursor):
        state.cursor = cursor
    if not keep_validators:
        state.etag, state.last_modified = etag, last_modified
    state.last_success_at = state.last_attempt_at = now
    state.consecutive_failures = 0
    state.last_error = None
    session.add(state)
    return state


def record_set_aside(session: Session, source: str, set_aside: dict[str, str]) -> SourceState:
    """Documents a poll could not read count as a failure of that poll, named in its last error."""
    state = load_source_state(session, source)
    state.consecutive_failures += 1
    named = "; ".join(f"{number}: {reason}" for number, reason in sorted(set_aside.items()))
    state.last_error = f"{len(set_aside)} document(s) set aside: {named}"[:500]
    session.add(state)
    return state


def list_source_states(session: Session) -> list[SourceState]:
    """The polled sources (the mail server's row is not one)."""
    query = select(SourceState).where(SourceState.name != MAIL_SERVER).order_by(col(SourceState.name))
    return list(session.exec(query))


def record_mail_blocked(session: Session, error: str, now: datetime) -> None:
    """The mail server refused us (login, connection): keep since when, and the latest reason."""
    state = session.get(SourceState, MAIL_SERVER) or SourceState(name=MAIL_SERVER)
    if not state.consecutive_failures:
        state.last_attempt_at = now  # blocked since
    state.consecutive_failures += 1
    state.last_error = error[:500]
    session.add(state)


def record_mail_delivered(session: Session, now: datetime) -> None:
    """The mail server accepted a message: delivery is no longer blocked."""
    state = session.get(SourceState, MAIL_SERVER)
    if state is None or not state.consecutive_failures:
        return
    state.consecutive_failures = 0
    state.last_error = None
    state.last_success_at = now
    session.add(state)


def mail_blocked(session: Session) -> tuple[datetime, str] | None:
    """(blocked since, reason) while the mail server refuses delivery; None when it does not."""
    state = session.get(SourceState, MAIL_SERVER)
    if state is None or not state.consecutive_failures or state.last_attempt_at is None:
        return None
    return state.last_attempt_at, state.last_error or "unknown error"


def latest_publication_date(session: Session, *, source: str, agency: str) -> date | None:
    query = select(func.max(Notice.publication_date)).where(Notice.source == source, Notice.agency == agency)
    return session.exec(query).first()
