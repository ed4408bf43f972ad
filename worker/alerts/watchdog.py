"""Watches the watchers: an operator alert when a source keeps failing or ITA notices stop arriving.

Each condition alerts the operator once when it starts and once more when it ends. The decision is made
from stored state (never from the event of one poll), and the alert row and the state that says "the
operator knows" are saved in one transaction, so a crash or a second worker cannot alert twice.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session

from notifier.report_views import OperatorView
from watchers.business_days import business_days_between
from worker.storage import outbox_rows, people, source_rows
from worker.storage.db import transaction
from worker.storage.models import Alert, SourceState

log = logging.getLogger(__name__)
QUIET_BUSINESS_DAYS = 2  # ITA publishes in almost every daily issue of the Federal Register
QUIET_SOURCE = "federal_register"


def source_failing(state: SourceState, *, after: int) -> bool:
    """The watchdog's rule: a source is failing once `after` polls in a row failed
    (ADCVD_SOURCE_FAILURE_ALERT_AFTER). The operator alert and /healthz both ask it."""
    return state.consecutive_failures >= after


@dataclass
class WatchReport:
    alerts: list[str] = field(default_factory=list)  # dedupe keys of the operator alerts created


def operator_alert(
    session: Session, *, operator_email: str, key: str, subject: str, lines: list[str], now: datetime
) -> bool:
    """Queue one note to the operator under `key` (once); True when new. Other jobs use it too."""
    subscriber = people.load_operator_subscriber(session, operator_email)
    assert subscriber.id is not None
    view: OperatorView = {"template": "operator", "subject": subject, "lines": lines}
    alert = Alert(
        dedupe_key=key,
        subscriber_id=subscriber.id,
        kind="operator",
        payload=dict(view),
        created_at=now,
        next_attempt_at=now,
    )
    created = outbox_rows.save_alert_if_new(session, alert)
    if created:
        log.warning("operator alert: %s", subject)
    return created


def _check_failures(
    session: Session,
    state: SourceState,
    *,
    operator_email: str,
    after: int,
    now: datetime,
    report: WatchReport,
) -> None:
    since = state.last_success_at.isoformat(timespec="seconds") if state.last_success_at else "never"
    if source_failing(state, after=after) and not state.operator_alerted:
        key = f"operator:{state.name}:failing:{since}"
        subject = f"adcvd-watch: source {state.name} failing ({state.consecutive_failures} polls in a row)"
        lines = [
            f"The source {state.name} failed {state.consecutive_failures} polls in a row.",
            f"Last success: {since}.",
            f"Last error: {state.last_error or 'unknown'}",
            "Alerts from this source are delayed until it recovers; nothing is lost meanwhile.",
        ]
        if operator_alert(
            session, operator_email=operator_email, key=key, subject=subject, lines=lines, now=now
        ):
            report.alerts.append(key)
        state.operator_alerted = True
        session.add(state)
    elif state.operator_alerted and state.consecutive_failures == 0:
        key = f"operator:{state.name}:recovered:{since}"
        subject = f"adcvd-watch: source {state.name} recovered"
        lines = [f"The source {state.name} was read successfully again at {since}."]
        if operator_alert(
            session, operator_email=operator_email, key=key, subject=subject, lines=lines, now=now
        ):
            report.alerts.append(key)
        state.operator_alerted = False
        session.add(state)


def _check_quiet(
    session: Session, *, operator_email: str, today: date, now: datetime, report: WatchReport
) -> None:
    latest = source_rows.latest_publication_date(session, source=QUIET_SOURCE, agency="ita")
    if latest is None:
        return  # nothing read yet: the failure check covers a source that never worked
    prefix = f"operator:{QUIET_SOURCE}:quiet:"
    quiet_keys = outbox_rows.list_alert_keys(session, prefix=prefix)
    recovered = set(outbox_rows.list_alert_keys(session, prefix=f"operator:{QUIET_SOURCE}:quiet-ended:"))
    for key in quiet_keys:
        since = key.removeprefix(prefix)
        ended = f"operator:{QUIET_SOURCE}:quiet-ended:{since}"
        if ended not in recovered and latest > date.fromisoformat(since):
            lines = [f"ITA notices arrive again: the newest is dated {latest.isoformat()}."]
            if operator_alert(
                session,
                operator_email=operator_email,
                key=ended,
                now=now,
                lines=lines,
                subject="adcvd-watch: ITA notices arriving again",
            ):
                report.alerts.append(ended)
    quiet_days = business_days_between(latest, today - timedelta(days=1))  # whole days, not today
    if quiet_days >= QUIET_BUSINESS_DAYS:
        key = f"{prefix}{latest.isoformat()}"
        lines = [
            f"No ITA notice has arrived from the Federal Register for {quiet_days} business days "
            f"(the newest is dated {latest.isoformat()}).",
            "ITA publishes in almost every daily issue: check the source and the worker.",
        ]
        if operator_alert(
            session,
            operator_email=operator_email,
            key=key,
            lines=lines,
            now=now,
            subject=f"adcvd-watch: no ITA notice for {quiet_days} business days",
        ):
            report.alerts.append(key)


def check_sources(
    engine: Engine, *, operator_email: str | None, failure_alert_after: int, today: date, now: datetime
) -> WatchReport:
    """Create the operator alerts the stored state calls for; without an operator address, only log."""
    report = WatchReport()
    with transaction(engine) as session:
        if not operator_email:
            for state in source_rows.list_source_states(session):
                if source_failing(state, after=failure_alert_after):
                    log.warning(
                        "source %s failing: %s (no ADCVD_OPERATOR_EMAIL set)", state.name, state.last_error
                    )
            return report
        for state in source_rows.list_source_states(session):
            _check_failures(
                session,
                state,
                operator_email=operator_email,
                after=failure_alert_after,
                now=now,
                report=report,
            )
        _check_quiet(session, operator_email=operator_email, today=today, now=now, report=report)
    return report


def note_set_aside(
    engine: Engine,
    *,
    operator_email: str | None,
    source: str,
    set_aside: dict[str, str],
    now: datetime,
    what: str = "set-aside",
) -> list[str]:
    """One operator alert per document a poll set aside as unreadable (once per document and reason).

    `what` is "set-aside" (a search result that could not be read) or "no-full-text" (a full text that
    never came: the notice was read from its metadata alone).
    """
    if not set_aside:
        return []
    if not operator_email:
        log.warning("%s: %d documents %s (no ADCVD_OPERATOR_EMAIL set)", source, len(set_aside), what)
        return []
    created: list[str] = []
    subject = {
        "set-aside": f"{source}: a document could not be read and was set aside",
        "no-full-text": f"{source}: a notice's full text never came; read from its metadata alone",
    }[what]
    with transaction(engine) as session:
        for number, reason in sorted(set_aside.items()):
            digest = hashlib.sha256(f"{number}\n{reason}".encode()).hexdigest()[:16]
            key = f"operator:{source}:{what}:{digest}"
            lines = [
                f"Document: {number}",
                f"Reason: {reason}",
                "The other documents of the poll were saved.",
            ]
            if operator_alert(
                session, operator_email=operator_email, key=key, subject=subject, lines=lines, now=now
            ):
                created.append(key)
    return created
