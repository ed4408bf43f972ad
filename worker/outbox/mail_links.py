"""The links an email carries to the web pages, made by whoever can sign them (worker.web.links).

The outbox sits below the web room, so it asks for links through this protocol; without one (no
ADCVD_PUBLIC_URL) an email keeps only the `mailto:` List-Unsubscribe and no preferences link.
"""

from __future__ import annotations

from typing import Protocol

from worker.storage.models import Alert, Subscriber

# The operator's own alerts (stopped by their setting) and a requested preferences link carry no
# unsubscribe link: there is no stream of them to leave.
NOT_A_LIST = frozenset({"operator", "preferences_link"})


class MailLinks(Protocol):
    def unsubscribe(self, subscriber: Subscriber, kind: str) -> str:
        """An https URL that stops `kind` for the subscriber on a POST (RFC 8058) or after a confirmation."""
        ...

    def preferences(self, subscriber: Subscriber) -> str:
        """The subscriber's preferences page (a signed, expiring link)."""
        ...

    def calendar(self, subscriber: Subscriber) -> str:
        """The subscriber's calendar feed (/cal/TOKEN.ics: signed, revocable, no expiry)."""
        ...


def mailto_unsubscribe(sender: str, token: str) -> str:
    address = sender.split("<")[-1].rstrip(">").strip()
    return f"mailto:{address}?subject=unsubscribe%20{token}"


def one_click_link(links: MailLinks | None, subscriber: Subscriber, alert: Alert) -> str | None:
    if links is None or alert.kind in NOT_A_LIST or subscriber.id is None:
        return None
    return links.unsubscribe(subscriber, alert.kind)


def footer_links(links: MailLinks | None, subscriber: Subscriber, alert: Alert) -> dict[str, str]:
    """What the templates' footer shows: `links.preferences_link`, `links.unsubscribe_link`, and where
    deadlines appear the calendar feed as `links.calendar_link` (https) and `links.webcal_link`."""
    if links is None or alert.kind == "operator" or subscriber.id is None:
        return {}
    found = {"preferences_link": links.preferences(subscriber)}
    if alert.kind not in NOT_A_LIST:
        found["unsubscribe_link"] = links.unsubscribe(subscriber, alert.kind)
    if shows_deadlines(alert):
        feed = links.calendar(subscriber)
        found["calendar_link"], found["webcal_link"] = feed, "webcal://" + feed.split("://", 1)[-1]
    return found


def shows_deadlines(alert: Alert) -> bool:
    """The email lists a deadline (or attaches one): it links the subscriber's calendar feed too."""
    payload = alert.payload or {}
    return bool(payload.get("deadlines") or payload.get("deadline") or payload.get("ics"))
