"""A new preferences link, asked for on the web page: one outbox row; delivery signs the link at send time."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from notifier.report_views import PreferencesLinkView
from worker.alerts.views import recipient_view
from worker.storage import outbox_rows
from worker.storage.models import Alert, Importer, Subscriber

LINK_MAIL_KIND = "preferences_link"


def queue_preferences_link(
    session: Session, subscriber: Subscriber, *, now: datetime, link_days: int
) -> bool:
    """Queue the email that carries a fresh preferences link; at most one an hour per subscriber (the
    page can be asked again and again, the mailbox is not flooded). True when a new one was queued."""
    assert subscriber.id is not None
    importer = session.get(Importer, subscriber.importer_id) if subscriber.importer_id else None
    payload: PreferencesLinkView = {
        "template": LINK_MAIL_KIND,
        "recipient": recipient_view(subscriber, importer.name if importer else ""),
        "link_days": link_days,
    }
    alert = Alert(
        dedupe_key=f"{LINK_MAIL_KIND}:{subscriber.id}:{now.strftime('%Y-%m-%dT%H')}",
        subscriber_id=subscriber.id,
        kind=LINK_MAIL_KIND,
        payload=dict(payload),
        created_at=now,
        next_attempt_at=now,
    )
    return outbox_rows.save_alert_if_new(session, alert)
