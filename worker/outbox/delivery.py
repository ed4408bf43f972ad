"""Delivers the outbox: claims due alerts, renders and sends them, marks them sent only once accepted."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from contextlib import AsyncExitStack, suppress
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from notifier.build import Attachment, Envelope, build_message, products_csv_attachment
from notifier.channel_post import ChannelPoster, channel_poster
from notifier.ics import CalendarEntry, build_calendar
from notifier.links import SOURCE_LINK_HOSTS
from notifier.mailer import DeliveryError, Mailer, Sender
from notifier.message_views import stored_view
from notifier.render import render_message
from worker.alerts.audience import unsubscribed_from
from worker.outbox.channels import is_http_channel, post_claimed
from worker.outbox.mail_links import MailLinks, footer_links, mailto_unsubscribe, one_click_link
from worker.outbox.marks import (
    BUILD_ATTEMPTS,
    mark_sent,
    record_attempt,
    record_build_failure,
    record_failure,
    release_claims,
    retry_delay,
)
from worker.outbox.marks import DeliveryReport as DeliveryReport  # re-exported: app reads it here
from worker.storage import outbox_rows, source_rows
from worker.storage.db import transaction
from worker.storage.models import Alert, Subscriber

log = logging.getLogger(__name__)
MESSAGE_ID_DOMAIN = "adcvd-watch.localhost"


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
    stopping: Callable[[], bool] = lambda: False,
    channel_timeout: float = 10.0,
    channel_deadline: float = 30.0,
    links: MailLinks | None = None,
) -> DeliveryReport:
    """Claim due alerts and send them one by one, each by its subscriber's channel (email, or an HTTP
    POST to a webhook, Slack or Teams); `stopping` (SIGTERM) releases what is not sent yet."""
    report = DeliveryReport()
    if stopping():
        return report
    with transaction(engine) as session:
        claimed = outbox_rows.claim_due_alerts(session, now=now, lease=lease, limit=batch)
        work: list[tuple[int, Alert, Subscriber | None, tuple[str, ...]]] = []
        for alert in claimed:
            assert alert.id is not None
            subscriber = session.get(Subscriber, alert.subscriber_id)
            if subscriber is not None and unsubscribed_from(subscriber, alert):
                close_unsubscribed(alert)  # stopped after it was queued: by no channel, ever
                session.add(alert)
                report.unsubscribed += 1
                continue
            work.append((alert.id, alert, subscriber, thread_of(session, alert)))
    report.claimed = len(claimed)
    if work:
        async with AsyncExitStack() as stack:
            connection = await stack.enter_async_context(mailer.connection())
            poster = None
            if any(is_http_channel(item[2]) for item in work):
                poster = await stack.enter_async_context(
                    channel_poster(timeout_seconds=channel_timeout, deadline_seconds=channel_deadline)
                )
            await _send_claimed(
                engine,
                connection,
                work,
                poster=poster,
                now=now,
                sender=sender,
                max_attempts=max_attempts,
                report=report,
                link_hosts=link_hosts,
                stopping=stopping,
                links=links,
            )
    if report.sent_by_channel.get("email"):  # the mail server took mail: it is not blocked
        with suppress(SQLAlchemyError), transaction(engine) as session:
            source_rows.record_mail_delivered(session, now)
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
    poster: ChannelPoster | None = None,
    links: MailLinks | None = None,
) -> None:
    """Send each claimed alert, each on its own: one that cannot be built or sent does not hold the rest.

    The attempt and the Message-ID are recorded before the message goes out, so a resend after a lost
    commit carries the same Message-ID; the alert is marked sent right after the server accepted it.
    A mail server fault (login refused, unreachable) puts the batch's emails back to wait for the
    server; alerts to HTTP channels go on, each retried or failed on its own receiver's answer.
    """
    mail_blocked = False
    for position, (alert_id, alert, subscriber, thread) in enumerate(work):
        if stopping():
            release_claims(engine, [item[0] for item in work[position:]], now=now, delay=None)
            report.released += len(work) - position
            return
        if subscriber is not None and is_http_channel(subscriber):
            assert poster is not None
            await post_claimed(
                engine, poster, alert_id, alert, subscriber, now, max_attempts, report, link_hosts
            )
            continue
        if mail_blocked:
            continue  # released with the rest of the batch's emails
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
                unsubscribe=mailto_unsubscribe(sender, subscriber.unsubscribe_token),
                link_hosts=link_hosts,
                one_click=one_click_link(links, subscriber, alert),
                footer=footer_links(links, subscriber, alert),
            )
            bytes(message)  # serialise now: a header the policy refuses fails here, as this alert's fault
        except Exception as exc:  # any failure to build is this alert's alone
            record_build_failure(engine, alert_id, exc, now, max_attempts, report)
            continue
        record_attempt(engine, alert_id, message_id=message_id)
        try:
            await connection.send(message)
        except DeliveryError as exc:
            if exc.server_fault:
                emails = [item for item in work[position:] if not is_http_channel(item[2])]
                _server_fault(engine, emails, str(exc), now=now, report=report)
                mail_blocked = True
                continue
            record_failure(engine, alert_id, str(exc), exc.permanent, now, max_attempts, report, counted=True)
            continue
        except Exception as exc:  # e.g. an address the SMTP client refuses to encode
            error = f"message could not be sent: {type(exc).__name__}: {exc}"
            record_failure(
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
        report.count_sent("email")


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
        row = outbox_rows.load_alert(session, first_id)
        tries = row.attempts if row is not None else 1
        if row is not None:
            row.last_error = error[:500]
            session.add(row)
    delay = retry_delay(tries)
    release_claims(engine, [item[0] for item in remaining], now=now, delay=delay)
    with transaction(engine) as session:
        source_rows.record_mail_blocked(session, error, now)
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
        found = outbox_rows.first_message_ids_for_cases(
            session, subscriber_id=alert.subscriber_id, case_numbers=cases, before_alert_id=alert.id
        )
        if found:
            return tuple(found)
    parent = outbox_rows.first_message_id_of_thread(
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


def close_unsubscribed(alert: Alert) -> None:
    """A claimed alert whose subscriber stopped its kind (or the digest) after it was queued: not sent."""
    alert.status = "unsubscribed"
    alert.claimed_until = None
    alert.last_error = f"not sent: the subscriber unsubscribed from {alert.kind}"
