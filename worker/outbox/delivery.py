"""Delivers the outbox: claims due alerts, renders and sends them, marks them sent only once accepted."""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from notifier.build import Attachment, Envelope, build_message, products_csv_attachment
from notifier.ics import CalendarEntry, build_calendar
from notifier.links import SOURCE_LINK_HOSTS
from notifier.mailer import DeliveryError, Mailer, Sender
from notifier.render import render_message
from notifier.views import stored_view
from worker.alerts.audience import unsubscribed_from
from worker.outbox.mail_links import MailLinks, footer_links, mailto_unsubscribe, one_click_link
from worker.storage import store
from worker.storage.db import transaction
from worker.storage.models import Alert, Subscriber

log = logging.getLogger(__name__)
MESSAGE_ID_DOMAIN = "adcvd-watch.localhost"


@dataclass
class DeliveryReport:
    claimed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    unsubscribed: int = 0  # claimed, then not sent: the subscriber stopped that kind after it was queued
    released: int = 0  # claimed, then put back unsent because the worker is stopping
    server_error: str | None = None  # the mail server failed (login, connection): the batch waits
    errors: list[str] = field(default_factory=list)


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff: 1, 2, 4 … minutes, at most six hours."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


def message_id_for(alert: Alert) -> str:
    """Stable per alert, so a resend after a crash carries the same Message-ID."""
    digest = hashlib.sha256(alert.dedupe_key.encode()).hexdigest()[:20]
    return f"<alert-{alert.id}.{digest}@{MESSAGE_ID_DOMAIN}>"


def template_for(alert: Alert) -> str:
    return str(alert.payload.get("template", "alert"))


BUILD_ATTEMPTS = 3  # a message that cannot be built fails after this many tries (it will not heal by itself)


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
    stopping: Callable[[], bool] = lambda: False,
    links: MailLinks | None = None,
) -> DeliveryReport:
    """Claim due alerts and send them one by one; `stopping` (SIGTERM) releases what is not sent yet."""
    report = DeliveryReport()
    if stopping():
        return report
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
                stopping=stopping,
                links=links,
            )
    if report.sent:
        with suppress(SQLAlchemyError), transaction(engine) as session:
            store.record_mail_delivered(session, now)
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
    stopping: Callable[[], bool],
    links: MailLinks | None = None,
) -> None:
    """Send each claimed alert, each on its own: one that cannot be built or sent does not hold the rest.

    The attempt and the Message-ID are recorded before the message goes out, so a resend after a lost
    commit carries the same Message-ID; the alert is marked sent right after the server accepted it.
    A server fault (login refused, unreachable) puts the whole batch back to wait for the server.
    """
    for position, (alert_id, alert, subscriber, thread) in enumerate(work):
        if stopping():
            release_claims(engine, [item[0] for item in work[position:]], now=now, delay=None)
            report.released += len(work) - position
            return
        message_id = message_id_for(alert)
        try:
            if subscriber is None:
                raise DeliveryError("subscriber no longer exists", permanent=True)
            if unsubscribed_from(subscriber, alert):
                mark_unsubscribed(engine, alert_id, kind=alert.kind)
                report.unsubscribed += 1
                continue
            message = build_alert_message(
                alert,
                recipient=subscriber.email,
                sender=sender,
                now=now,
                thread=tuple(t for t in thread if t != message_id),
                unsubscribe=mailto_unsubscribe(sender, subscriber.unsubscribe_token),
                link_hosts=link_hosts,
                one_click=one_click_link(links, subscriber, alert),
                footer=footer_links(links, subscriber, alert),
            )
            bytes(message)  # serialise now: a header the policy refuses fails here, as this alert's fault
        except DeliveryError as exc:
            _record_failure(engine, alert_id, str(exc), exc.permanent, now, max_attempts, report)
            continue
        except Exception as exc:  # any failure to build is this alert's alone
            error = f"message could not be built: {type(exc).__name__}: {exc}"
            _record_failure(engine, alert_id, error, False, now, min(max_attempts, BUILD_ATTEMPTS), report)
            continue
        record_attempt(engine, alert_id, message_id=message_id)
        try:
            await connection.send(message)
        except DeliveryError as exc:
            if exc.server_fault:
                _server_fault(engine, work[position:], str(exc), now=now, report=report)
                return
            _record_failure(
                engine, alert_id, str(exc), exc.permanent, now, max_attempts, report, counted=True
            )
            continue
        except Exception as exc:  # e.g. an address the SMTP client refuses to encode
            error = f"message could not be sent: {type(exc).__name__}: {exc}"
            _record_failure(
                engine, alert_id, error, False, now, min(max_attempts, BUILD_ATTEMPTS), report, counted=True
            )
            continue
        if not await mark_sent(engine, alert_id, message_id=message_id, now=now):
            # The database is gone for now: stop here. The alert is resent after its lease under the same
            # Message-ID (a receiver can tell the copy); the rest of the batch was never tried.
            release = [item[0] for item in work[position + 1 :]]
            with suppress(SQLAlchemyError):
                release_claims(engine, release, now=now, delay=None)
            report.errors.append(f"alert {alert_id} sent but not recorded as sent")
            return
        report.sent += 1


MARK_SENT_TRIES = 5  # 1 + 2 + 4 + 8 s of waiting for a locked or restarting database


async def pause(seconds: float) -> None:
    await asyncio.sleep(seconds)


async def mark_sent(engine: Engine, alert_id: int, *, message_id: str, now: datetime) -> bool:
    """Record that the server accepted the alert; a database that is locked or away is tried again."""
    for attempt in range(MARK_SENT_TRIES):
        try:
            with transaction(engine) as session:
                row = store.load_alert(session, alert_id)
                if row is not None:
                    row.status = "sent"
                    row.sent_at = now
                    row.message_id = message_id
                    row.claimed_until = None
                    row.last_error = None
                    session.add(row)
            return True
        except SQLAlchemyError as exc:
            log.warning(
                "alert %s was sent but could not be recorded (try %d): %s", alert_id, attempt + 1, exc
            )
            if attempt + 1 < MARK_SENT_TRIES:
                await pause(2**attempt)
    log.error(
        "alert %s was sent but is not recorded as sent: it will be resent with its Message-ID", alert_id
    )
    return False


def record_attempt(engine: Engine, alert_id: int, *, message_id: str) -> None:
    """Count the attempt and keep the Message-ID before sending: a crash after it cannot hide the try."""
    with transaction(engine) as session:
        row = store.load_alert(session, alert_id)
        if row is not None:
            row.attempts += 1
            row.message_id = message_id
            session.add(row)


def release_claims(engine: Engine, alert_ids: list[int], *, now: datetime, delay: timedelta | None) -> None:
    """Put claimed alerts back to pending without counting an attempt (due again after `delay`)."""
    with transaction(engine) as session:
        for alert_id in alert_ids:
            row = store.load_alert(session, alert_id)
            if row is None or row.status != "sending":
                continue
            row.status = "pending"
            row.claimed_until = None
            row.next_attempt_at = now + delay if delay is not None else None
            session.add(row)


def _server_fault(
    engine: Engine,
    remaining: list[tuple[int, Alert, Subscriber | None, tuple[str, ...]]],
    error: str,
    *,
    now: datetime,
    report: DeliveryReport,
) -> None:
    """The server, not the messages, failed: the batch waits with backoff; nothing is failed for it."""
    first_id = remaining[0][0]
    with transaction(engine) as session:
        row = store.load_alert(session, first_id)
        tries = row.attempts if row is not None else 1
        if row is not None:
            row.last_error = error[:500]
            session.add(row)
    delay = retry_delay(tries)
    release_claims(engine, [item[0] for item in remaining], now=now, delay=delay)
    with transaction(engine) as session:
        store.record_mail_blocked(session, error, now)
    report.retried += len(remaining)
    report.server_error = error
    report.errors.append(error)
    log.warning(
        "mail server failed (%s): %d alerts wait and are tried again in %s", error, len(remaining), delay
    )


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
    one_click: str | None = None,
    footer: dict[str, str] | None = None,
) -> EmailMessage:
    """Render the alert's template and build its message: threading, List-Unsubscribe (the https
    one-click link first when there is one, RFC 8058), calendar; `footer` is the view's `links`.

    Links from sources stay only when https on `link_hosts` (the sources' hosts).
    """
    # `links` is made at send time (signed, expiring), never stored with the payload.
    view = stored_view({**alert.payload, "links": footer} if footer else alert.payload)
    rendered = render_message(template_for(alert), view, link_hosts=link_hosts)
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
            one_click_unsubscribe=one_click,
            extra_headers=(("X-ADCVD-Dedupe-Key", alert.dedupe_key), ("X-ADCVD-Kind", alert.kind)),
        ),
        attachments_for(alert),
    )


def mark_unsubscribed(engine: Engine, alert_id: int, *, kind: str) -> None:
    """Close a claimed alert unsent: its subscriber stopped its kind after it was queued."""
    with transaction(engine) as session:
        row = store.load_alert(session, alert_id)
        if row is not None:
            row.status = "unsubscribed"
            row.claimed_until = None
            row.last_error = f"not sent: the subscriber unsubscribed from {kind}"
            session.add(row)


def _record_failure(
    engine: Engine,
    alert_id: int,
    error: str,
    permanent: bool,
    now: datetime,
    max_attempts: int,
    report: DeliveryReport,
    *,
    counted: bool = False,
) -> None:
    """Retry later or fail for good; `counted` when record_attempt already counted this try."""
    log.warning("alert %s not delivered: %s", alert_id, error)
    report.errors.append(error)
    with transaction(engine) as session:
        row = store.load_alert(session, alert_id)
        if row is None:
            return
        if not counted:
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
