"""What an unsubscribe stops: one kind for one subscriber, the digest by its own switch; and delivery's
last check holds back a queued alert only when everything it tells of was stopped."""

from __future__ import annotations

import pytest

from worker.alerts.audience import stopped, unsubscribe, unsubscribed_from, wants
from worker.storage.models import Alert, Subscriber


def importer(**fields: object) -> Subscriber:
    return Subscriber(id=1, email="buyer@example.com", role="importer", digest="weekly", **fields)


def alert(kind: str, *event_kinds: str) -> Alert:
    payload = {"events": [{"kind": k} for k in event_kinds]} if event_kinds else {}
    return Alert(dedupe_key=f"k:{kind}", subscriber_id=1, kind=kind, payload=payload)


def test_unsubscribing_from_a_kind_switches_off_that_kind_only() -> None:
    subscriber = importer(preferences={"kinds": {"reminder": True}, "other": 1})
    assert unsubscribe(subscriber, "order") is True
    assert unsubscribe(subscriber, "order") is False  # already off: nothing changes
    assert subscriber.preferences == {"kinds": {"reminder": True, "order": False}, "other": 1}
    assert (
        not wants(subscriber, "order") and wants(subscriber, "revocation") and wants(subscriber, "reminder")
    )
    assert stopped(subscriber, "order") and not stopped(subscriber, "digest")


def test_the_digest_is_stopped_by_its_own_setting() -> None:
    subscriber = importer()
    assert unsubscribe(subscriber, "digest") is True
    assert subscriber.digest == "none" and stopped(subscriber, "digest")
    assert subscriber.preferences == {}


def test_operator_alerts_and_unknown_kinds_cannot_be_unsubscribed_by_link() -> None:
    for kind in ("operator", "preferences_link", "nonsense"):
        with pytest.raises(ValueError, match="not a kind one can unsubscribe from"):
            unsubscribe(importer(), kind)


def test_a_queued_alert_is_held_back_only_when_all_it_tells_of_was_stopped() -> None:
    subscriber = importer(preferences={"kinds": {"order": False}})
    assert unsubscribed_from(subscriber, alert("order", "order"))
    assert not unsubscribed_from(
        subscriber, alert("order", "order", "rate_change")
    )  # the rate change is news
    assert not unsubscribed_from(subscriber, alert("revocation", "revocation"))
    assert not unsubscribed_from(subscriber, alert("reminder"))
    unsubscribe(subscriber, "reminder")
    assert unsubscribed_from(subscriber, alert("reminder"))
    assert not unsubscribed_from(subscriber, alert("digest"))
    unsubscribe(subscriber, "digest")
    assert unsubscribed_from(subscriber, alert("digest", "order", "revocation"))  # its own kind decides
