"""How one claimed alert reaches a webhook, Slack or Teams subscriber: the request to POST, by channel."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy.engine import Engine

from notifier.channel_card import card_for
from notifier.channel_post import HTTP_CHANNELS, ChannelPoster, ChannelRefused, ChannelRequest
from notifier.links import SOURCE_LINK_HOSTS
from notifier.mailer import DeliveryError
from notifier.message_views import stored_view
from notifier.render import render_subject
from notifier.slack import slack_message
from notifier.teams import teams_message
from notifier.webhook import webhook_body
from worker.outbox.marks import (
    DeliveryReport,
    mark_sent,
    record_attempt,
    record_build_failure,
    record_failure,
    release_claims,
)
from worker.storage.models import Alert, Subscriber

DELIVERY_NAMESPACE = uuid.UUID("5f0c7c3e-8a61-4d2e-9a57-0d1f3b8c2a10")


def delivery_id_for(alert: Alert) -> str:
    """A UUID fixed by the alert's dedupe key: the same on every retry, so a receiver can drop a repeat."""
    return str(uuid.uuid5(DELIVERY_NAMESPACE, alert.dedupe_key))


def is_http_channel(subscriber: Subscriber | None) -> bool:
    return subscriber is not None and subscriber.channel in HTTP_CHANNELS


def channel_request(
    alert: Alert, subscriber: Subscriber, *, link_hosts: frozenset[str] = SOURCE_LINK_HOSTS
) -> ChannelRequest:
    """The alert rendered for the subscriber's channel; DeliveryError (permanent) when it cannot be."""
    if not subscriber.channel_url:
        raise DeliveryError(f"{subscriber.channel} subscriber has no URL", permanent=True)
    view = stored_view(alert.payload)
    template = str(view.get("template", "alert"))
    subject = render_subject(template, view, link_hosts=link_hosts)
    delivery_id = delivery_id_for(alert)
    secret = None
    if subscriber.channel == "webhook":
        if not subscriber.signing_secret:
            raise DeliveryError("webhook subscriber has no signing secret", permanent=True)
        secret = subscriber.signing_secret
        body = webhook_body(
            view,
            delivery_id=delivery_id,
            kind=alert.kind,
            template=template,
            subject=subject,
            created_at=alert.created_at or datetime(1970, 1, 1, tzinfo=UTC),
            link_hosts=link_hosts,
        )
    elif subscriber.channel in ("slack", "teams"):
        card = card_for(view, title=subject, link_hosts=link_hosts)
        message = slack_message(card) if subscriber.channel == "slack" else teams_message(card)
        body = json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode()
    else:
        raise DeliveryError(f"unknown channel {subscriber.channel!r}", permanent=True)
    return ChannelRequest(
        channel=subscriber.channel,
        url=subscriber.channel_url,
        body=body,
        delivery_id=delivery_id,
        secret=secret,
        extra_headers=(("X-Adcvd-Kind", alert.kind),),
    )


async def post_claimed(
    engine: Engine,
    poster: ChannelPoster,
    alert_id: int,
    alert: Alert,
    subscriber: Subscriber,
    now: datetime,
    max_attempts: int,
    report: DeliveryReport,
    link_hosts: frozenset[str],
) -> None:
    """One alert to a webhook, Slack or Teams: recorded before the POST, marked sent only on a 2xx.

    The delivery id stands where an email's Message-ID does: kept on the row, the same on a resend.
    A receiver that failed in this run (down, too slow, 5xx, 429) is not tried again in it: its other
    alerts wait as long as the failed one, without an attempt counted (one timeout per run, not one per
    alert, so a dead receiver does not hold up everyone else's alerts).
    """
    url = subscriber.channel_url or ""
    if url in poster.failing:
        release_claims(engine, [alert_id], now=now, delay=poster.failing[url])
        report.retried += 1
        return
    try:
        request = channel_request(alert, subscriber, link_hosts=link_hosts)
    except Exception as exc:  # any failure to render is this alert's alone
        record_build_failure(engine, alert_id, exc, now, max_attempts, report)
        return
    record_attempt(engine, alert_id, message_id=request.delivery_id)
    try:
        await poster.post(request)
    except ChannelRefused as exc:
        wait = timedelta(seconds=exc.retry_after) if exc.retry_after is not None else None
        later = record_failure(
            engine,
            alert_id,
            str(exc),
            exc.permanent,
            now,
            max_attempts,
            report,
            counted=True,
            not_before=wait,
        )
        if later is not None:
            poster.failing[url] = later
        return
    if await mark_sent(engine, alert_id, message_id=request.delivery_id, now=now):
        report.count_sent(subscriber.channel)
    else:  # resent after its lease under the same delivery id (receivers dedupe on it)
        report.errors.append(f"alert {alert_id} sent but not recorded as sent")
