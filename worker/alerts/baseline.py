"""The baseline report a subscriber gets on joining: what already reaches their products today."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from sqlmodel import Session

from notifier.report_views import BaselineProductFields, BaselineView, UnreachedProductView
from notifier.views import ProductView
from worker.alerts.alert_products import (
    MAX_PRODUCTS_SHOWN,
    ProductLine,
    by_exposure,
    csv_attachment,
    products_to_show,
)
from worker.alerts.audience import local_today
from worker.alerts.importer_deadlines import CLOSED_STATUSES, collect_deadlines, deadline_view
from worker.alerts.product_views import POSSIBLE_SHOWN, possible_match_views, subscriber_product_views
from worker.alerts.reach import load_reach
from worker.alerts.views import case_view, recipient_view
from worker.storage import case_rows, notice_rows, outbox_rows, people
from worker.storage.models import Alert, Importer, Product, Subscriber

DEADLINE_DAYS = 90


def bounded_products(
    products: Sequence[ProductView],
    unreached: list[UnreachedProductView],
    case_numbers: list[str],
    *,
    importer: str,
) -> BaselineProductFields:
    """The report's product fields, bounded like an alert's (worker.alerts.alert_products): a small
    portfolio is listed whole; a big one shows the top reached products by exposure and the first
    unreached ones, with counts, and every product (reached first, by exposure) in a capped CSV
    attachment."""
    if len(products) <= MAX_PRODUCTS_SHOWN and len(unreached) <= MAX_PRODUCTS_SHOWN:
        return {"products": list(products), "unreached": unreached}
    lines = [ProductLine.of(i, view) for i, view in enumerate(products)]
    shown = products_to_show(lines)
    ranked = sorted(lines, key=ProductLine.rank) + [
        ProductLine.of(len(products) + i, dict(view)) for i, view in enumerate(unreached)
    ]
    return {
        "products": by_exposure(v for i, v in enumerate(products) if i in shown),
        "products_csv": csv_attachment(ranked, case_numbers, filename=f"adcvd-baseline-{slug(importer)}.csv"),
        "reached_count": len(products),
        "unreached": unreached[:MAX_PRODUCTS_SHOWN],
        "unreached_count": len(unreached),
    }


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "portfolio"


def build_baseline_payload(
    session: Session, subscriber: Subscriber, *, now: datetime, threshold: int
) -> BaselineView:
    """The cases reaching each product, the rate it would pay today with its cascade step, deadlines.

    `known` lists the notices and deadlines shown, so routing never announces them as new later.
    """
    assert subscriber.importer_id is not None
    importer = session.get(Importer, subscriber.importer_id)
    name = importer.name if importer else ""
    today = local_today(now, subscriber.time_zone)
    everything = [
        r
        for r in load_reach(session, importer_ids=[subscriber.importer_id], possible=True)
        if r.case.status not in CLOSED_STATUSES
    ]
    reaches = [r for r in everything if r.likely]
    possible = possible_match_views(everything)
    case_numbers = sorted({r.case.case_number for r in reaches})
    rates = case_rows.list_rates(session, case_numbers)
    products = subscriber_product_views(session, subscriber, reaches, rates, today=today, threshold=threshold)
    deadlines = collect_deadlines(
        session,
        importer_id=subscriber.importer_id,
        today=today,
        until=today + timedelta(days=DEADLINE_DAYS),
        reaches=reaches,  # the open likely reaches: what collect_deadlines would match again
    )
    cases = {r.case.case_number: r.case for r in reaches}
    notices = {f"{r.notice_document_number}:{r.case_number}" for r in rates if r.notice_document_number}
    notices |= {
        f"{d.notice_document_number}:{case}"
        for d in deadlines
        if d.notice_document_number
        for case in d.cases
    }
    for notice in notice_rows.list_notices(session):
        for number in set(notice.facts.get("case_numbers", [])) & set(case_numbers):
            notices.add(f"{notice.document_number}:{number}")
    all_products = people.list_products(session, importer_id=subscriber.importer_id)
    reached = {p["sku"] for p in products}
    unreached: list[UnreachedProductView] = [
        {"sku": p.sku, "description": p.description, "hts": p.hts, "country": p.country}
        for p in all_products
        if p.sku not in reached
    ]
    return {
        "template": "baseline",
        "kind": "baseline",
        "cases": [case_view(cases[n]) for n in case_numbers],
        **bounded_products(products, unreached, case_numbers, importer=name),
        "possible": possible[:POSSIBLE_SHOWN],
        "possible_count": len(possible),
        "product_count": len(all_products),
        "deadlines": [deadline_view(d, today=today) for d in deadlines],
        "deadline_days": DEADLINE_DAYS,
        "importer": name,
        "recipient": recipient_view(subscriber, name),
        "today": today.isoformat(),
        "known": {"deadlines": sorted(k for d in deadlines for k in d.case_keys), "notices": sorted(notices)},
    }


def portfolio_version(products: Iterable[Product]) -> str:
    """A short digest of what matching reads from a portfolio: SKU, HTS, origin, producer, exporter."""
    rows = sorted(f"{p.sku}|{p.hts}|{p.country}|{p.producer}|{p.exporter}" for p in products)
    return hashlib.sha256("\n".join(rows).encode()).hexdigest()[:12]


def queue_baseline_report(
    session: Session, subscriber: Subscriber, *, now: datetime, threshold: int = 90
) -> Alert | None:
    """One baseline report per subscriber and portfolio version; none while the importer has no products.

    A re-import that adds or changes products sends a new baseline (what reaches the portfolio now);
    a re-import that changes nothing sends none.
    """
    if subscriber.id is None or subscriber.importer_id is None:
        return None
    products = people.list_products(session, importer_id=subscriber.importer_id)
    if not products:
        return None  # the portfolio import will queue it
    key = f"baseline:{subscriber.id}:{subscriber.importer_id}:{portfolio_version(products)}"
    if outbox_rows.alert_exists(session, key):
        return None
    alert = Alert(
        dedupe_key=key,
        subscriber_id=subscriber.id,
        kind="baseline",
        payload=dict(build_baseline_payload(session, subscriber, now=now, threshold=threshold)),
        created_at=now,
        next_attempt_at=now,
    )
    return alert if outbox_rows.save_alert_if_new(session, alert) else None


def queue_baseline_reports(
    session: Session, *, importer_ids: Iterable[int], now: datetime, threshold: int = 90
) -> list[Alert]:
    """After a subscriber is added or a portfolio imported: a baseline to each subscriber not sent one."""
    queued = []
    for subscriber in people.list_subscribers(session, importer_ids=sorted(set(importer_ids))):
        alert = queue_baseline_report(session, subscriber, now=now, threshold=threshold)
        if alert is not None:
            queued.append(alert)
    return queued
