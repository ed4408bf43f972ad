"""Who hears what: role defaults, each subscriber's switches, their day, their baseline."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlmodel import Session

from worker.catalog.events import EventKind
from worker.storage import outbox_rows
from worker.storage.models import Alert, Subscriber

# What each role hears of at once (None: every event kind). Importers hear of what reaches their
# products, counsel of deadlines (and get reminders), ops read the weekly digest instead.
ROLE_EVENT_KINDS: dict[str, frozenset[str] | None] = {
    "importer": frozenset(k.value for k in EventKind if k is not EventKind.NEW_DEADLINE),
    "counsel": frozenset({EventKind.NEW_DEADLINE.value, "reminder"}),
    "ops": frozenset(),
}


EVENT_KINDS = frozenset(k.value for k in EventKind)
SWITCHABLE_KINDS: tuple[str, ...] = (*(k.value for k in EventKind), "reminder")


DIGEST_STATUS = "digest"  # an outbox row kept for the weekly digest only; delivery never claims it


def local_today(now: datetime, time_zone: str) -> date:
    try:
        zone = ZoneInfo(time_zone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return now.astimezone(zone).date()


def switches(subscriber: Subscriber) -> dict[str, bool]:
    raw = subscriber.preferences.get("kinds", {}) if subscriber.preferences else {}
    return {str(k): bool(v) for k, v in raw.items()} if isinstance(raw, dict) else {}


def wants(subscriber: Subscriber, kind: EventKind | str) -> bool:
    """Role defaults, then the subscriber's own switches (preferences['kinds'][kind] = bool)."""
    name = kind.value if isinstance(kind, EventKind) else kind
    own = switches(subscriber)
    if name in own:
        return own[name]
    allowed = ROLE_EVENT_KINDS.get(subscriber.role, frozenset())
    return allowed is None or name in allowed


def switched_off(subscriber: Subscriber, kind: EventKind | str) -> bool:
    name = kind.value if isinstance(kind, EventKind) else kind
    return switches(subscriber).get(name) is False


# What a one-click unsubscribe (RFC 8058) can stop: every kind of alert a subscriber receives (event
# kinds, reminders, the weekly digest, baseline reports, entry assessments and any kind added later),
# but the operator's own alerts (stopped by their setting) and a requested preferences link.
DIGEST_KIND = "digest"
NOT_A_LIST = frozenset({"operator", "preferences_link"})


def can_unsubscribe(kind: str | None) -> bool:
    return bool(kind) and kind not in NOT_A_LIST and len(kind or "") <= 64


def unsubscribe(subscriber: Subscriber, kind: str) -> bool:
    """Stop `kind` for this subscriber (switch it off, or the digest to none); True when it changed."""
    if not can_unsubscribe(kind):
        raise ValueError(f"not a kind one can unsubscribe from: {kind!r}")
    if kind == DIGEST_KIND:
        changed = subscriber.digest != "none"
        subscriber.digest = "none"
        return changed
    kinds = dict(switches(subscriber))
    changed = kinds.get(kind) is not False
    kinds[kind] = False
    subscriber.preferences = {**(subscriber.preferences or {}), "kinds": kinds}  # a new dict: JSON columns
    return changed  # track assignment, not mutation in place


def stopped(subscriber: Subscriber, kind: str) -> bool:
    """The subscriber said no more of `kind` (switched off, or the digest for `digest`)."""
    if kind == DIGEST_KIND:
        return subscriber.digest != "weekly"
    return switched_off(subscriber, kind)


def unsubscribed_from(subscriber: Subscriber, alert: Alert) -> bool:
    """Delivery's last check: True when what the alert tells of was stopped after it was queued (for a
    notice's alert, every event kind it lists; for a reminder, digest or baseline, its own kind)."""
    kinds = {alert.kind}
    if alert.kind in EVENT_KINDS:
        events = alert.payload.get("events") if alert.payload else None
        if isinstance(events, list):
            kinds |= {str(e.get("kind")) for e in events if isinstance(e, dict) and e.get("kind")}
    return all(stopped(subscriber, kind) for kind in kinds)


def known_from_baseline(session: Session, subscriber_id: int) -> tuple[set[str], set[str]]:
    """Deadline keys and notice:case pairs the subscriber's baseline report already listed."""
    deadlines: set[str] = set()
    notices: set[str] = set()
    for alert in outbox_rows.list_subscriber_alerts(session, subscriber_id=subscriber_id, kinds=["baseline"]):
        known = alert.payload.get("known", {})
        deadlines.update(known.get("deadlines", []))
        notices.update(known.get("notices", []))
    return deadlines, notices
