"""Delivers the outbox: claims due alerts, renders and sends them, marks them sent only once accepted."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

from sqlalchemy.engine import Engine
from sqlmodel import Session

from notifier.build import Attachment, Envelope, build_message, products_csv_attachment
from notifier.ics import CalendarEntry, build_calendar
from notifier.links import SOURCE_LINK_HOSTS
from notifier.mailer import DeliveryError, Mailer, Sender
from notifier.render import render_message
from worker import store
from worker.db import transaction
from worker.models import Alert, Subscriber

log = logging.getLogger(__name__)
MESSAGE_ID_DOMAIN = "adcvd-watch.localhost"


@dataclass
class DeliveryReport:
    claimed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    errors: list[str] | None = None


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff: 1, 2, 4 … minutes, at most six hours."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


def message_id_for(alert: Alert) -> str:
    """Stable per alert, so a resend after a crash carries the same Message-ID."""
    digest = hashlib.sha256(alert.dedupe_key.encode()).hexdigest()[:20]
    return f"<alert-{alert.id}.{digest}@{MESSAGE_ID_DOMAIN}>"


def template_for(alert: Alert) -> str:
    return str(alert.payload.get("template", "alert"))


async def deliver_due_alerts(
    engine: Engine,
    mailer: Mailer,
    *,
    now: datetime,
    sender: str,
    batch: int = 50,
    lease: timedelta = timedelta(minutes=5),
    max_attempts: int = 12,
    link_hosts: frozenset[str] = SOURCE_LINK_HOSTS,
) -> DeliveryReport:
    report = DeliveryReport(errors=[])
    with transaction(engine) as session:
        claimed = store.claim_due_alerts(session, now=now, lease=lease, limit=batch)
        work: list[tuple[int, Alert, Subscriber | None, tuple[str, ...]]] = []
        for alert in claimed:
            assert alert.id is not None
            subscriber = session.get(Subscriber, alert.subscriber_id)
            work.append((alert.id, alert, subscriber, thread_of(session, alert)))
    report.claimed = len(work)
    if work:
        async with mailer.connection() as connection:
            await _send_claimed(
                engine,
                connection,
                work,
                now=now,
                sender=sender,
                max_attempts=max_attempts,
                report=report,
                link_hosts=link_hosts,
            )
    return report


async def _send_claimed(
    engine: Engine,
    connection: Sender,
    work: list[tuple[int, Alert, Subscriber | None, tuple[str, ...]]],
    *,
    now: datetime,
    sender: str,
    max_attempts: int,
    report: DeliveryReport,
    link_hosts: frozenset[str] = SOURCE_LINK_HOSTS,
) -> None:
    """Send each claimed alert and mark it sent right after the server accepted it."""
    for alert_id, alert, subscriber, thread in work:
        message_id = message_id_for(alert)
        try:
            if subscriber is None:
                raise DeliveryError("subscriber no longer exists", permanent=True)
            message = build_alert_message(
                alert,
                recipient=subscriber.email,
                sender=sender,
                now=now,
                thread=tuple(t for t in thread if t != message_id),
                unsubscribe=unsubscribe_link(sender, subscriber.unsubscribe_token),
                link_hosts=link_hosts,
            )
            await connection.send(message)
        except DeliveryError as exc:
            _record_failure(engine, alert_id, str(exc), exc.permanent, now, max_attempts, report)
            continue
        with transaction(engine) as session:
            row = store.load_alert(session, alert_id)
            if row is not None:
                row.status = "sent"
                row.sent_at = now
                row.message_id = message_id
                row.attempts += 1
                row.claimed_until = None
                row.last_error = None
                session.add(row)
        report.sent += 1


def thread_of(session: Session, alert: Alert) -> tuple[str, ...]:
    """Message-IDs sent earlier to the same subscriber about the same case(s), oldest first.

    Follow-ups on a case thread under the first message about it (RFC 5322 In-Reply-To and
    References); an alert about an AD and a CVD case joins either case's thread.
    """
    cases = [c for c in alert.case_number.split(",") if c]
    if cases:
        found = store.first_message_ids_for_cases(
            session, subscriber_id=alert.subscriber_id, case_numbers=cases, before_alert_id=alert.id
        )
        if found:
            return tuple(found)
    parent = store.first_message_id_of_thread(
        session, subscriber_id=alert.subscriber_id, thread_key=alert.thread_key
    )
    return (parent,) if parent else ()


def attachments_for(alert: Alert) -> tuple[Attachment, ...]:
    """The payload's calendar entries as one .ics attachment (stamped with the alert's creation), and the
    full product list as a CSV when the alert lists only the top products."""
    found: list[Attachment] = []
    calendar = alert.payload.get("ics")
    if calendar and calendar.get("entries"):
        entries = [CalendarEntry.from_view(entry) for entry in calendar["entries"]]
        stamp = alert.created_at or datetime(1970, 1, 1, tzinfo=UTC)
        content = build_calendar(entries, stamp=stamp)
        found.append(
            Attachment(str(calendar.get("filename", "adcvd-deadlines.ics")), content, "text", "calendar")
        )
    listed = alert.payload.get("products_csv")
    if listed:
        found.append(products_csv_attachment(listed))
    return tuple(found)


def build_alert_message(
    alert: Alert,
    *,
    recipient: str,
    sender: str,
    now: datetime,
    thread: tuple[str, ...],
    unsubscribe: str,
    link_hosts: frozenset[str] = SOURCE_LINK_HOSTS,
) -> EmailMessage:
    """Render the alert's template and build its message: threading, List-Unsubscribe, calendar.

    Links from sources stay only when https on `link_hosts` (the sources' hosts).
    """
    rendered = render_message(template_for(alert), dict(alert.payload), link_hosts=link_hosts)
    return build_message(
        rendered,
        Envelope(
            sender=sender,
            recipient=recipient,
            message_id=message_id_for(alert),
            date=now,
            in_reply_to=thread[0] if thread else None,
            references=thread,
            list_unsubscribe=unsubscribe,
            extra_headers=(("X-ADCVD-Dedupe-Key", alert.dedupe_key), ("X-ADCVD-Kind", alert.kind)),
        ),
        attachments_for(alert),
    )


def unsubscribe_link(sender: str, token: str) -> str:
    address = sender.split("<")[-1].rstrip(">").strip()
    return f"mailto:{address}?subject=unsubscribe%20{token}"


def _record_failure(
    engine: Engine,
    alert_id: int,
    error: str,
    permanent: bool,
    now: datetime,
    max_attempts: int,
    report: DeliveryReport,
    link_hosts: frozenset[str] = SOURCE_LINK_HOSTS,
) -> None:
    log.warning("alert %s not delivered: %s", alert_id, error)
    if report.errors is not None:
        report.errors.append(error)
    with transaction(engine) as session:
        row = store.load_alert(session, alert_id)
        if row is None:
            return
        row.attempts += 1
        row.last_error = error[:500]
        row.claimed_until = None
        if permanent or row.attempts >= max_attempts:
            row.status = "failed"
            report.failed += 1
        else:
            row.status = "pending"
            row.next_attempt_at = now + retry_delay(row.attempts)
            report.retried += 1
        session.add(row)
