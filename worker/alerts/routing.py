"""Turns a notice's events into outbox rows: which products they reach, which subscribers hear of it."""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session

from notifier.views import AlertView, ProductView
from worker.alerts.alert_products import ProductLine as AlertProductLine
from worker.alerts.alert_products import alert_product_fields, products_to_show
from worker.alerts.audience import DIGEST_STATUS, known_from_baseline, local_today, switched_off, wants
from worker.alerts.deadline_calendar import calendar_entry
from worker.alerts.product_views import iter_product_views
from worker.alerts.reach import ProductReach, find_reach, without_dismissed
from worker.alerts.views import (
    NME_ONLY_DEADLINES,
    case_view,
    deadline_key,
    event_view,
    notice_view,
    recipient_view,
)
from worker.catalog.events import Event, EventKind, highest_severity, primary_kind
from worker.rules.countries import is_non_market_economy
from worker.rules.names import AliasTable
from worker.storage import store
from worker.storage.models import Alert, Case, Importer, Notice


def _relevant(event: Event, case: Case | None) -> bool:
    """Separate-rate deadlines matter only in non-market-economy proceedings (19 CFR 351.107(d))."""
    if event.kind is not EventKind.NEW_DEADLINE or case is None:
        return True
    return str(event.details.get("deadline_kind", "")) not in NME_ONLY_DEADLINES or is_non_market_economy(
        case.country
    )


def _earlier_filing_alert(session: Session, *, subscriber_id: int, notice: Notice) -> Alert | None:
    if notice.on_public_inspection:
        return None
    for alert in store.list_subscriber_alerts(session, subscriber_id=subscriber_id):
        if alert.notice_document_number == notice.document_number and alert.payload.get("notice", {}).get(
            "on_public_inspection"
        ):
            return alert
    return None


def route_notice_events(
    session: Session,
    *,
    notice: Notice,
    events: Sequence[Event],
    now: datetime,
    threshold: int,
    citation: str | None = None,
) -> list[Alert]:
    """One alert per subscriber per notice, listing every event and product match that concerns them.

    Events a subscriber does not hear of at once (by role or switch) are kept for their weekly
    digest in a row that delivery never sends; what their baseline report already listed is not
    repeated as new.
    """
    if not events:
        return []
    case_numbers = sorted({e.case_number for e in events})
    cases = {c.case_number: c for c in store.load_cases(session, case_numbers)}
    if not cases:
        return []
    events = [e for e in events if _relevant(e, cases.get(e.case_number))]
    hts_by_case: dict[str, list[str]] = defaultdict(list)
    for row in store.list_case_hts(session, list(cases)):
        hts_by_case[row.case_number].append(row.hts)
    products = store.list_products_in_countries(session, {c.country for c in cases.values()})
    reaches = without_dismissed(
        session, [r for r in find_reach(products, list(cases.values()), hts_by_case) if r.likely]
    )
    if not reaches:
        return []
    rates = store.list_rates(session, list(cases))
    by_importer: dict[int, list[ProductReach]] = defaultdict(list)
    for reach in reaches:
        by_importer[reach.product.importer_id].append(reach)
    alerts: list[Alert] = []
    for subscriber in store.list_subscribers(session, importer_ids=by_importer):
        assert subscriber.id is not None and subscriber.importer_id is not None
        today = local_today(now, subscriber.time_zone)
        importer_reaches = by_importer[subscriber.importer_id]
        reached_cases = {r.case.case_number for r in importer_reaches}
        known_deadlines, known_notices = known_from_baseline(session, subscriber.id)
        aliases = (
            AliasTable(store.load_aliases(session, subscriber.importer_id))
            if subscriber.importer_id
            else None
        )
        views_for = functools.partial(
            iter_product_views,
            rates=rates,
            today=today,
            threshold=threshold,
            changed_by=notice.document_number,
            aliases=aliases,
        )
        # One compact line per product; full views only for the few the email shows (alert_products).
        lines = [AlertProductLine.of(product_id, view) for product_id, view in views_for(importer_reaches)]
        changed = {pair for line in lines for pair in line.changed}
        reaching = [
            e
            for e in events
            if e.case_number in reached_cases
            and f"{notice.document_number}:{e.case_number}" not in known_notices
            and not (
                e.kind is EventKind.RATE_CHANGE
                and (e.case_number, str(e.details.get("company", ""))) not in changed
            )
            and not (
                e.kind is EventKind.NEW_DEADLINE
                and deadline_key(
                    e.case_number, str(e.details.get("deadline_kind", "")), e.effective_date or ""
                )
                in known_deadlines
            )
            and not switched_off(subscriber, e.kind)
        ]
        now_events = [e for e in reaching if wants(subscriber, e.kind)]
        held = not now_events
        if held and not (reaching and subscriber.digest == "weekly"):
            continue
        shown = now_events or reaching
        shown_cases = sorted({e.case_number for e in shown})
        importer = session.get(Importer, subscriber.importer_id)
        importer_name = importer.name if importer else ""
        kind = primary_kind(e.kind for e in shown)
        shown_lines = [line for line in lines if any(c in shown_cases for c in line.cases)]
        full = products_to_show(shown_lines)
        products_view: list[ProductView] = [
            {**p, "matches": [m for m in p["matches"] if m["case_number"] in shown_cases]}
            for _, p in views_for([r for r in importer_reaches if r.product.id in full])
        ]
        shown_views = [event_view(e, today=today) for e in shown]
        # At most MAX_PRODUCTS_SHOWN products (top exposure), the count, and the rest as a CSV.
        product_fields = alert_product_fields(
            products_view, shown_lines, shown_cases, filename=f"adcvd-products-{notice.document_number}.csv"
        )
        payload: AlertView = {
            "template": f"alert_{kind.value}",
            "kind": kind.value,
            "severity": highest_severity(e.severity for e in shown).value,
            "notice": notice_view(notice, citation=citation),
            "events": shown_views,
            "digest_events": [event_view(e, today=today) for e in reaching],
            "deadlines": [d for v in shown_views if (d := v["deadline"])],
            "cases": [case_view(cases[c]) for c in shown_cases],
            "products": product_fields["products"],
            "skus": product_fields["skus"],
            "product_count": product_fields["product_count"],
            "importer": importer_name,
            "role": subscriber.role,
            "recipient": recipient_view(subscriber, importer_name),
            "today": today.isoformat(),
        }
        if "products_csv" in product_fields:
            payload["products_csv"] = product_fields["products_csv"]
        calendar = [
            calendar_entry(
                key=deadline_key(e["case_number"], e["deadline"]["kind"], e["deadline"]["due"]),
                label=e["deadline"]["label"],
                importer=importer_name,
                case_number=e["case_number"],
                due=e["deadline"]["due"],
                product=cases[e["case_number"]].product,
                sentence=e["deadline"]["sentence"],
                citation=e["deadline"]["citation"],
                url=notice.html_url or "",
                now=now,
            )
            for e in shown_views
            if e["deadline"]
        ]
        if calendar:
            filename = f"adcvd-deadlines-{notice.document_number}.ics"
            payload["ics"] = {"filename": filename, "entries": calendar}
        earlier = _earlier_filing_alert(session, subscriber_id=subscriber.id, notice=notice)
        thread_key = "case:" + shown_cases[0]
        if earlier is not None:
            payload["completes"] = earlier.dedupe_key
            thread_key = earlier.thread_key  # a filing's candidate cases may start with another case
        alert = Alert(
            # A filing's alert has its own key (inspection.public_inspection_key), held or not: the
            # published notice's alert must never collide with it.
            dedupe_key=f"{'public_inspection' if notice.on_public_inspection else 'notice'}"
            f":{notice.document_number}:subscriber:{subscriber.id}",
            subscriber_id=subscriber.id,
            kind=kind.value,
            case_number=",".join(shown_cases),
            notice_document_number=notice.document_number,
            thread_key=thread_key,
            payload=dict(payload),
            status=DIGEST_STATUS if held else "pending",
            created_at=now,
            next_attempt_at=None if held else now,
        )
        if store.save_alert_if_new(session, alert) and not held:
            alerts.append(alert)
    return alerts
