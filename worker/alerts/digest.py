"""The weekly digest per subscriber, in the subscriber's time zone: the week's events, deadlines, exposure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine
from sqlmodel import Session

from notifier.message_views import stored_alert_view
from notifier.report_views import DigestEventRow, DigestView, ExposureRow, ExposureTotal
from notifier.views import MatchView, ProductView
from worker.alerts.audience import local_today, switched_off
from worker.alerts.entry_liabilities import open_liabilities
from worker.alerts.holds import DISCARDED, HELD
from worker.alerts.importer_deadlines import collect_deadlines, deadline_view
from worker.alerts.match_level import CONFIDENCE
from worker.alerts.product_views import POSSIBLE_SHOWN, possible_match_views, subscriber_product_views
from worker.alerts.reach import load_reach
from worker.alerts.views import recipient_view
from worker.storage import case_rows, outbox_rows, people
from worker.storage.db import transaction
from worker.storage.models import Alert, DigestRun, Importer, Subscriber

SEND_AT = time(7, 0)  # Monday morning, the subscriber's time
DEADLINE_DAYS = 30
MAX_CATCH_UP_WEEKS = 8  # after a longer outage the digest covers the last eight weeks
NOT_EVENTS = ("reminder", "digest", "baseline", "operator")
DEPOSIT_STATUSES = frozenset({"order", "investigation"})


@dataclass(frozen=True)
class DigestPeriod:
    """The local days a digest covers: [start, end); `week_start` names it (the last week it covers)."""

    start: date
    end: date
    week_start: date

    @property
    def weeks(self) -> int:
        return (self.end - self.start).days // 7


def week_start_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def due_digest_period(
    local_now: datetime, *, last_week_start: date | None, joined: date | None = None
) -> DigestPeriod | None:
    """The digest due at `local_now`, if any: the last full week (Monday to Sunday), once.

    A digest is due from Monday 07:00 local. When weeks were missed (the worker was down), one
    digest is sent for the last full week and covers everything since the previous digest.
    """
    this_week = week_start_of(local_now.date())
    if local_now.time() < SEND_AT:
        this_week -= timedelta(days=7)
    week = this_week - timedelta(days=7)
    if last_week_start is not None and last_week_start >= week:
        return None
    if joined is not None and joined >= this_week:
        return None  # the week ended before they subscribed
    start = week
    if last_week_start is not None:
        start = max(last_week_start + timedelta(days=7), week - timedelta(days=7 * (MAX_CATCH_UP_WEEKS - 1)))
    return DigestPeriod(start=start, end=this_week, week_start=week)


def _zone(subscriber: Subscriber) -> ZoneInfo:
    try:
        return ZoneInfo(subscriber.time_zone or "UTC")
    except (KeyError, ValueError):
        return ZoneInfo("UTC")


def _utc_bounds(period: DigestPeriod, zone: ZoneInfo) -> tuple[datetime, datetime]:
    start = datetime.combine(period.start, time(0), zone).astimezone(UTC)
    end = datetime.combine(period.end, time(0), zone).astimezone(UTC)
    return start, end


def _event_rows(session: Session, subscriber: Subscriber, period: DigestPeriod) -> list[DigestEventRow]:
    assert subscriber.id is not None
    zone = _zone(subscriber)
    start, end = _utc_bounds(period, zone)
    rows: list[DigestEventRow] = []
    for alert in outbox_rows.list_subscriber_alerts(
        session, subscriber_id=subscriber.id, created_from=start, created_before=end
    ):
        if alert.kind in NOT_EVENTS or alert.status in (HELD, DISCARDED):
            continue  # held by the circuit breaker: not in a digest until the operator releases it
        if not str(alert.payload.get("template", "")).startswith("alert_"):
            continue  # a message that is not about a notice's events (it has its own template)
        payload = stored_alert_view(alert.payload)
        notice = payload["notice"]
        events = payload.get("digest_events") or payload["events"]
        for event in events:
            if switched_off(subscriber, event["kind"]):
                continue
            rows.append(
                {
                    "day": alert.created_at.astimezone(zone).date().isoformat() if alert.created_at else "",
                    "kind": event["kind"],
                    "severity": event["severity"],
                    "case_number": event["case_number"],
                    "summary": event["summary"],
                    "document_number": notice["document_number"],
                    "title": notice["title"],
                    "citation": notice["citation"],
                    "url": notice["html_url"],
                    "skus": ", ".join(payload["skus"]),
                    "alerted": alert.status != "digest",
                }
            )
    return rows


def _match_label(match: MatchView) -> str:
    level = f"{match['level']}-digit HTS" if match.get("level") else "description"
    return f"{level}, {match.get('standing', 'likely')}, confidence {match.get('confidence', 'high')}"


def exposure_rows(products: Sequence[ProductView]) -> tuple[list[ExposureRow], ExposureTotal]:
    """One row per product and AD/CVD stack, and the total of what is known.

    The total adds only stacks whose rate and entered value are both known; products with a case
    without a rate, or without an annual entered value, are counted apart, never as $0.
    """
    rows: list[ExposureRow] = []
    known = Decimal("0")
    known_rows = 0
    unknown_rate: set[str] = set()
    unknown_value: set[str] = set()
    for product in products:
        for stack in product["stacks"]:
            members = [m for m in product["matches"] if m["case_number"] in stack["cases"].split(" + ")]
            weakest = min(members, key=lambda m: CONFIDENCE.index(m.get("confidence", "high")), default=None)
            rows.append(
                {
                    "sku": product["sku"],
                    "description": product["description"],
                    "hts": product["hts"],
                    "country": product["country"],
                    "cases": stack["cases"],
                    "rate": stack["total_rate"],
                    "complete": stack["complete"],
                    "annual_entered_value": product["annual_entered_value"],
                    "exposure": stack["exposure"] if stack["complete"] else None,
                    "candidate_only": product["candidate_only"],
                    "match": _match_label(weakest) if weakest else "",
                }
            )
            if not stack["complete"]:
                unknown_rate.add(product["sku"])
            elif stack["exposure"] is None:
                unknown_value.add(product["sku"])
            else:
                known += Decimal(stack["exposure"])
                known_rows += 1
    total: ExposureTotal = {
        "known": str(known) if known_rows else None,
        "unknown_rate_products": len(unknown_rate),
        "unknown_value_products": len(unknown_value - unknown_rate),
    }
    return rows, total


def build_digest_payload(
    session: Session, subscriber: Subscriber, *, period: DigestPeriod, now: datetime, threshold: int
) -> DigestView:
    """Everything the digest template shows, as plain values."""
    assert subscriber.importer_id is not None
    importer = session.get(Importer, subscriber.importer_id)
    name = importer.name if importer else ""
    today = local_today(now, subscriber.time_zone)
    deadlines = collect_deadlines(
        session, importer_id=subscriber.importer_id, today=today, until=today + timedelta(days=DEADLINE_DAYS)
    )
    everything = load_reach(
        session, importer_ids=[subscriber.importer_id], statuses=DEPOSIT_STATUSES, possible=True
    )
    reaches = [r for r in everything if r.likely]
    possible = possible_match_views(everything)
    rates = case_rows.list_rates(session, sorted({r.case.case_number for r in reaches}))
    products = subscriber_product_views(session, subscriber, reaches, rates, today=today, threshold=threshold)
    exposure, total = exposure_rows(products)
    events = _event_rows(session, subscriber, period)
    return {
        "template": "digest",
        "kind": "digest",
        "period": {
            "start": period.start.isoformat(),
            "last_day": (period.end - timedelta(days=1)).isoformat(),
            "week_start": period.week_start.isoformat(),
            "weeks": period.weeks,
            "catch_up": period.weeks > 1,
        },
        "events": events,
        "high_events": sum(1 for e in events if e["severity"] == "high"),
        "deadlines": [deadline_view(d, today=today) for d in deadlines],
        "deadline_days": DEADLINE_DAYS,
        "exposure": exposure,
        "total_exposure": total,
        "possible": possible[:POSSIBLE_SHOWN],
        "possible_count": len(possible),
        "liabilities": [
            item.as_record() for item in open_liabilities(session, importer_ids=[subscriber.importer_id])
        ],
        "product_count": len(people.list_products(session, importer_id=subscriber.importer_id)),
        "importer": name,
        "recipient": recipient_view(subscriber, name),
        "today": today.isoformat(),
    }


def queue_digests(session: Session, *, now: datetime, threshold: int) -> list[Alert]:
    """Queue each weekly subscriber's digest when it is due in their time zone; never twice a week."""
    queued: list[Alert] = []
    for subscriber in people.list_subscribers(session):
        if subscriber.digest != "weekly" or subscriber.importer_id is None or subscriber.id is None:
            continue
        last = outbox_rows.latest_digest_run(session, subscriber_id=subscriber.id)
        zone = _zone(subscriber)
        joined = subscriber.created_at.astimezone(zone).date() if subscriber.created_at else None
        period = due_digest_period(
            now.astimezone(zone), last_week_start=last.week_start if last else None, joined=joined
        )
        if period is None:
            continue
        key = f"digest:{subscriber.id}:{period.week_start.isoformat()}"
        alert = Alert(
            dedupe_key=key,
            subscriber_id=subscriber.id,
            kind="digest",
            payload=dict(
                build_digest_payload(session, subscriber, period=period, now=now, threshold=threshold)
            ),
            created_at=now,
            next_attempt_at=now,
        )
        if outbox_rows.save_alert_if_new(session, alert):
            session.add(
                DigestRun(
                    subscriber_id=subscriber.id,
                    week_start=period.week_start,
                    alert_dedupe_key=key,
                    created_at=now,
                )
            )
            queued.append(alert)
    return queued


def preview_period(session: Session, subscriber: Subscriber, *, now: datetime) -> DigestPeriod:
    """What the next digest covers so far: from the end of the last one (or last Monday) to today."""
    assert subscriber.id is not None
    today = local_today(now, subscriber.time_zone)
    last = outbox_rows.latest_digest_run(session, subscriber_id=subscriber.id)
    start = last.week_start + timedelta(days=7) if last else week_start_of(today) - timedelta(days=7)
    return DigestPeriod(start=start, end=today + timedelta(days=1), week_start=week_start_of(today))


def run_digests(engine: Engine, *, now: datetime, threshold: int) -> int:
    """The scheduler's digest job."""
    with transaction(engine) as session:
        return len(queue_digests(session, now=now, threshold=threshold))
