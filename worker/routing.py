"""Turns a notice's events into outbox rows: which products they reach, which subscribers hear of it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from worker import store
from worker.cascade import RateOption, resolve_deposit_rate
from worker.events import Event, EventKind
from worker.hts import hts_match_level
from worker.models import Alert, Case, CompanyRate, Importer, Notice, Product, Subscriber

# What each role hears of immediately; ops read the weekly digest instead.
ROLE_EVENT_KINDS: dict[str, frozenset[EventKind] | None] = {
    "importer": None,  # every event for their own products
    "counsel": frozenset({EventKind.NEW_DEADLINE, EventKind.ORDER, EventKind.REVOCATION, EventKind.NEW_INVESTIGATION}),
    "ops": frozenset(),
}


@dataclass(frozen=True)
class ProductReach:
    product: Product
    case: Case
    level: int
    listed_hts: str


def rate_options(rates: Sequence[CompanyRate]) -> list[RateOption]:
    return [
        RateOption(
            case_number=r.case_number,
            exporter=r.exporter,
            producer=r.producer,
            rate=r.rate,
            cash_deposit=r.cash_deposit,
            basis=r.basis,
            effective_date=r.effective_date,
            notice_document_number=r.notice_document_number,
        )
        for r in rates
    ]


def find_reach(
    products: Sequence[Product], cases: Sequence[Case], hts_by_case: dict[str, list[str]]
) -> list[ProductReach]:
    """Products of a case's country whose HTS meets one of the case's listed codes (best level kept)."""
    reach: list[ProductReach] = []
    for case in cases:
        for product in products:
            if product.country != case.country:
                continue
            best: tuple[int, str] | None = None
            for listed in hts_by_case.get(case.case_number, []):
                level = hts_match_level(product.hts, listed)
                if level is not None and (best is None or level > best[0]):
                    best = (level, listed)
            if best:
                reach.append(ProductReach(product, case, best[0], best[1]))
    return reach


def _rate_company(exporter: str, producer: str) -> str:
    if exporter and producer and exporter != producer:
        return f"exporter {exporter}, producer {producer}"
    return exporter or producer


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def describe_match(
    reach: ProductReach, rates: Sequence[CompanyRate], *, today: date, threshold: int
) -> dict[str, Any]:
    product = reach.product
    result = resolve_deposit_rate(
        rate_options([r for r in rates if r.case_number == reach.case.case_number]),
        country=product.country,
        exporter=product.exporter or None,
        producer=product.producer or None,
        entry_date=today,
        threshold=threshold,
        case_number=reach.case.case_number,
    )
    rate = result.rate
    option = result.option
    possible = result.possible_matches[0] if result.possible_matches else None
    exposure = (
        (product.annual_entered_value * rate / Decimal(100)).quantize(Decimal("0.01"))
        if rate is not None and product.annual_entered_value is not None
        else None
    )
    return {
        "sku": product.sku,
        "description": product.description,
        "hts": product.hts,
        "country": product.country,
        "producer": product.producer,
        "exporter": product.exporter,
        "case_number": reach.case.case_number,
        "case_type": reach.case.case_type,
        "listed_hts": reach.listed_hts,
        "level": reach.level,
        "candidate_only": reach.level == 4,
        "step": result.step,
        "rate": _money(rate),
        "rate_company": _rate_company(option.exporter, option.producer) if option else "",
        "rate_notice": result.notice_document_number,
        "rate_effective": result.effective_date.isoformat() if result.effective_date else None,
        "name_score": result.match_score,
        "name_status": result.match_status or "",
        "possible_name": possible.candidate if possible else "",
        "possible_score": possible.score if possible else None,
        "annual_entered_value": _money(product.annual_entered_value),
        "exposure": _money(exposure),
    }


def notice_view(notice: Notice, *, citation: str | None = None) -> dict[str, Any]:
    return {
        "document_number": notice.document_number,
        "title": notice.title,
        "kind": notice.kind,
        "publication_date": notice.publication_date.isoformat() if notice.publication_date else None,
        "effective_date": notice.effective_date.isoformat() if notice.effective_date else None,
        "html_url": notice.html_url or "",
        "citation": citation or "",
        "on_public_inspection": notice.on_public_inspection,
    }


def event_view(event: Event) -> dict[str, Any]:
    return {
        "kind": event.kind.value,
        "severity": event.severity.value,
        "case_number": event.case_number,
        "summary": event.summary,
        "effective_date": event.effective_date.isoformat() if event.effective_date else None,
        "details": {k: v for k, v in event.details.items() if k != "key_suffix"},
    }


def case_view(case: Case) -> dict[str, Any]:
    return {
        "case_number": case.case_number,
        "case_type": case.case_type,
        "country": case.country,
        "country_name": case.country_name,
        "product": case.product,
        "status": case.status,
    }


def wants(subscriber: Subscriber, kind: EventKind) -> bool:
    """Role defaults, then the subscriber's own switches (preferences['kinds'][kind] = bool)."""
    switches = subscriber.preferences.get("kinds", {}) if subscriber.preferences else {}
    if kind.value in switches:
        return bool(switches[kind.value])
    allowed = ROLE_EVENT_KINDS.get(subscriber.role, frozenset())
    return allowed is None or kind in allowed


def route_notice_events(
    session: Session,
    *,
    notice: Notice,
    events: Sequence[Event],
    now: datetime,
    threshold: int,
    citation: str | None = None,
) -> list[Alert]:
    """One alert per subscriber per notice, listing every event and product match that concerns them."""
    if not events:
        return []
    case_numbers = sorted({e.case_number for e in events})
    cases = store.load_cases(session, case_numbers)
    if not cases:
        return []
    hts_by_case: dict[str, list[str]] = defaultdict(list)
    for row in store.list_case_hts(session, case_numbers):
        hts_by_case[row.case_number].append(row.hts)
    products = store.list_products_in_countries(session, {c.country for c in cases})
    reaches = find_reach(products, cases, hts_by_case)
    if not reaches:
        return []
    rates = store.list_rates(session, case_numbers)
    today = now.astimezone(UTC).date()
    by_importer: dict[int, list[ProductReach]] = defaultdict(list)
    for reach in reaches:
        by_importer[reach.product.importer_id].append(reach)
    alerts: list[Alert] = []
    for subscriber in store.list_subscribers(session, importer_ids=by_importer):
        assert subscriber.id is not None and subscriber.importer_id is not None
        importer_reaches = by_importer[subscriber.importer_id]
        reached_cases = {r.case.case_number for r in importer_reaches}
        wanted = [e for e in events if e.case_number in reached_cases and wants(subscriber, e.kind)]
        if not wanted:
            continue
        wanted_cases = {e.case_number for e in wanted}
        importer = session.get(Importer, subscriber.importer_id)
        matches = [
            describe_match(r, rates, today=today, threshold=threshold)
            for r in importer_reaches
            if r.case.case_number in wanted_cases
        ]
        payload = {
            "notice": notice_view(notice, citation=citation),
            "events": [event_view(e) for e in wanted],
            "cases": [case_view(c) for c in cases if c.case_number in wanted_cases],
            "matches": matches,
            "skus": sorted({m["sku"] for m in matches}),
            "importer": importer.name if importer else "",
            "role": subscriber.role,
        }
        alert = Alert(
            dedupe_key=f"notice:{notice.document_number}:subscriber:{subscriber.id}",
            subscriber_id=subscriber.id,
            kind=wanted[0].kind.value,
            case_number=",".join(sorted(wanted_cases)),
            notice_document_number=notice.document_number,
            thread_key="case:" + min(wanted_cases),
            payload=payload,
            created_at=now,
            next_attempt_at=now,
        )
        if store.save_alert_if_new(session, alert):
            alerts.append(alert)
    return alerts
