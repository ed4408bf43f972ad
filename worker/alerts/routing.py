"""Turns a notice's events into outbox rows: which products they reach, which subscribers hear of it."""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlmodel import Session

from watchers.business_days import is_business_day
from worker.alerts.alert_products import ProductLine as AlertProductLine
from worker.alerts.alert_products import alert_product_fields, products_to_show
from worker.alerts.deadline_calendar import calendar_entry
from worker.alerts.dismissals import dismissed_pairs
from worker.alerts.match_level import CONFIDENCE, LIKELY
from worker.alerts.matching import (
    ListedCode,
    ProductLine,
    build_catalog_index,
    match_product,
    significant_words,
)
from worker.catalog.events import Event, EventKind, highest_severity, primary_kind
from worker.rules.cascade import CITATIONS, CascadeResult, RateOption, resolve_deposit_rate, stack_rates
from worker.rules.countries import country_name, is_non_market_economy
from worker.rules.exposure import annual_exposure
from worker.rules.hts import format_hts
from worker.rules.names import AliasTable
from worker.storage import store
from worker.storage.models import Alert, Case, CompanyRate, Importer, Notice, Product, Subscriber

# What each role hears of at once (None: every event kind). Importers hear of what reaches their
# products, counsel of deadlines (and get reminders), ops read the weekly digest instead.
ROLE_EVENT_KINDS: dict[str, frozenset[str] | None] = {
    "importer": frozenset(k.value for k in EventKind if k is not EventKind.NEW_DEADLINE),
    "counsel": frozenset({EventKind.NEW_DEADLINE.value, "reminder"}),
    "ops": frozenset(),
}
SWITCHABLE_KINDS: tuple[str, ...] = (*(k.value for k in EventKind), "reminder")
DIGEST_STATUS = "digest"  # an outbox row kept for the weekly digest only; delivery never claims it

STEP_LABELS: dict[str, str] = {
    "combination": "exporter/producer combination rate",
    "exporter": "the exporter's own rate",
    "producer": "the producer's own rate",
    "all_others": "all-others rate",
    "country_wide": "country-wide entity rate",
    "no_rate": "no rate in the catalog",
}
DEADLINE_LABELS: dict[str, str] = {
    "review_request": "Administrative review request window closes",
    "separate_rate_application": "Separate-rate application",
    "separate_rate_certification": "Separate-rate certification",
    "no_shipment_statement": "No-shipment statement",
    "review_request_withdrawal": "Withdrawal of a review request",
    "case_brief": "Case briefs",
    "rebuttal_brief": "Rebuttal briefs",
    "hearing_request": "Hearing request",
    "sunset_intent_to_participate": "Sunset review: notice of intent to participate",
    "sunset_substantive_response": "Sunset review: substantive response",
    "annual_inquiry_service_list": "Annual inquiry service list",
    "scope_comments": "Scope comments",
}
DEADLINE_ADVICE: dict[str, str] = {
    "review_request": "Decide whether to request an administrative review of your suppliers (or to ask "
    "them to): a review is the only way the deposits paid become a lower (or higher) final duty; "
    "without one, entries are assessed at the deposit rate.",
    "separate_rate_application": "Make sure your Chinese or Vietnamese suppliers file their separate-rate "
    "application on time: a missed filing means the country-wide entity rate.",
    "separate_rate_certification": "Make sure your suppliers that already hold a separate rate certify it "
    "on time: a missed certification means the country-wide entity rate.",
    "no_shipment_statement": "A supplier under review that made no shipments must tell Commerce "
    "by this date.",
    "review_request_withdrawal": "A party that requested this review can still withdraw the request.",
    "case_brief": "Comments on the preliminary results are due: the final rate may move on them.",
    "rebuttal_brief": "Rebuttals to the case briefs are due.",
    "hearing_request": "Ask for a hearing by this date if you want one.",
    "annual_inquiry_service_list": "Join the annual inquiry service list to be served with scope and "
    "circumvention filings on this order.",
}
DEFAULT_ADVICE = "File, or confirm your counsel files, before the due date; the sentence above is the source."
NME_ONLY_DEADLINES = frozenset({"separate_rate_application", "separate_rate_certification"})


@dataclass(frozen=True)
class ProductReach:
    """A case that may reach a product, how (HTS level, relation, words) and how sure."""

    product: Product
    case: Case
    level: int | None  # 10, 8, 6, 4; None when only description words match
    listed_hts: str  # '' for a description-only match
    relation: str = "prefix"  # prefix, sibling or description (worker.alerts.matching)
    confidence: str = "high"
    standing: str = LIKELY  # likely: alerts and reminders; possible: shown apart, never alerted
    words: tuple[str, ...] = ()  # description words shared with the case's product name

    @property
    def likely(self) -> bool:
        return self.standing == LIKELY


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
    """Every case of a product's country that its HTS code or description points at, graded.

    The same matching as `adcvd check` (worker.alerts.matching): one code the other's prefix, a shared
    parent (sibling), or description words; worker.alerts.match_level says which are likely.
    """
    listed = [ListedCode(number, code) for number, codes in hts_by_case.items() for code in codes]
    catalog = build_catalog_index(cases, listed, ())
    by_number = {c.case_number: c for c in cases}
    memo: dict[tuple[str, str], Any] = {}
    reach: list[ProductReach] = []
    for product in products:
        line = ProductLine(
            sku=product.sku, hts=product.hts, country=product.country, description=product.description
        )
        for m in match_product(line, catalog, memo):
            reach.append(
                ProductReach(
                    product,
                    by_number[m.case.case_number],
                    m.level,
                    m.listed_hts,
                    m.relation,
                    m.confidence,
                    m.standing,
                    m.description_words,
                )
            )
    return reach


def load_reach(
    session: Session,
    *,
    importer_ids: Iterable[int],
    statuses: frozenset[str] | None = None,
    possible: bool = False,
) -> list[ProductReach]:
    """Catalog cases of their products' countries that reach the importers' products.

    Likely matches only, unless `possible` (then possible ones too); never a case the importer
    dismissed for the SKU.
    """
    products = [p for i in sorted(set(importer_ids)) for p in store.list_products(session, importer_id=i)]
    cases = store.list_cases_in_countries(session, {p.country for p in products})
    if statuses is not None:
        cases = [c for c in cases if c.status in statuses]
    hts_by_case: dict[str, list[str]] = defaultdict(list)
    for row in store.list_case_hts(session, [c.case_number for c in cases]):
        hts_by_case[row.case_number].append(row.hts)
    reaches = find_reach(products, cases, hts_by_case)
    return without_dismissed(session, [r for r in reaches if possible or r.likely])


def without_dismissed(session: Session, reaches: Sequence[ProductReach]) -> list[ProductReach]:
    """The reaches whose case the importer has not dismissed for the SKU (worker.alerts.dismissals)."""
    dismissed = dismissed_pairs(session, {r.product.importer_id for r in reaches})
    return [r for r in reaches if (r.product.importer_id, r.product.sku, r.case.case_number) not in dismissed]


def local_today(now: datetime, time_zone: str) -> date:
    try:
        zone = ZoneInfo(time_zone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return now.astimezone(zone).date()


def business_days_between(start: date, end: date) -> int:
    """Business days after `start` up to and including `end` (0 when end is not after start)."""
    count = 0
    day = start
    while day < end:
        day = date.fromordinal(day.toordinal() + 1)
        if is_business_day(day):
            count += 1
    return count


def _rate_company(exporter: str, producer: str) -> str:
    if exporter and producer and exporter != producer:
        return f"exporter {exporter}, producer {producer}"
    return exporter or producer


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _cascade(
    reach: ProductReach,
    rates: Sequence[CompanyRate],
    *,
    today: date,
    threshold: int,
    aliases: Mapping[str, str] | None = None,
) -> CascadeResult:
    product = reach.product
    return resolve_deposit_rate(
        rate_options([r for r in rates if r.case_number == reach.case.case_number]),
        country=product.country,
        exporter=product.exporter or None,
        producer=product.producer or None,
        entry_date=today,
        aliases=aliases,
        threshold=threshold,
        case_number=reach.case.case_number,
    )


def describe_match(
    reach: ProductReach,
    rates: Sequence[CompanyRate],
    *,
    today: date,
    threshold: int,
    changed_by: str | None = None,
    aliases: Mapping[str, str] | None = None,
) -> tuple[dict[str, Any], CascadeResult, CascadeResult | None]:
    """Why a case reaches a product and what it pays today; with `changed_by`, also before that notice."""
    product = reach.product
    result = _cascade(reach, rates, today=today, threshold=threshold, aliases=aliases)
    before: CascadeResult | None = None
    if changed_by:
        older = [r for r in rates if r.notice_document_number != changed_by]
        before = _cascade(reach, older, today=today, threshold=threshold, aliases=aliases)
    option = result.option
    possible = result.possible_matches[0] if result.possible_matches else None
    exposure = annual_exposure(product.annual_entered_value, result.rate)
    previous_rate = before.rate if before is not None else result.rate
    previous_exposure = annual_exposure(product.annual_entered_value, previous_rate)
    # A first rate is not a change: a change needs a rate before this notice.
    changed = before is not None and before.rate is not None and before.rate != result.rate
    view = {
        "case_number": reach.case.case_number,
        "case_type": reach.case.case_type,
        "case_product": reach.case.product,
        "case_status": reach.case.status,
        "country_name": reach.case.country_name or country_name(reach.case.country),
        "listed_hts": reach.listed_hts,
        "level": reach.level,
        "relation": reach.relation,
        "standing": reach.standing,
        "confidence": reach.confidence,
        "match_basis": match_basis(reach),
        "candidate_only": not reach.likely,
        "step": result.step,
        "step_label": STEP_LABELS.get(result.step, result.step),
        "step_citation": CITATIONS.get(result.step, ""),
        "rate": _money(result.rate),
        "rate_company": _rate_company(option.exporter, option.producer) if option else "",
        "rate_notice": result.notice_document_number,
        "rate_effective": result.effective_date.isoformat() if result.effective_date else None,
        "name_score": result.match_score,
        "name_status": result.match_status or "",
        "possible_name": possible.candidate if possible else "",
        "possible_score": possible.score if possible else None,
        "exposure": _money(exposure),
        "rate_changed": changed,
        "previous_rate": _money(previous_rate) if changed else None,
        "previous_step_label": STEP_LABELS.get(before.step, before.step) if before and changed else "",
        "previous_exposure": _money(previous_exposure) if changed else None,
        "exposure_change": _money(exposure - previous_exposure)
        if changed and exposure is not None and previous_exposure is not None
        else None,
        "notes": list(result.notes),
        "changed_companies": [_option_label(o) for o in (result.option, before.option) if o is not None]
        if changed and before is not None
        else [],
    }
    return view, result, before


POSSIBLE_SHOWN = 40  # possible matches listed in a baseline or digest; the rest are counted


def possible_match_views(reaches: Sequence[ProductReach]) -> list[dict[str, Any]]:
    """Possible matches as a list apart, surest first: never alerted, reminded or counted as reaching."""
    ordered = sorted(
        (r for r in reaches if not r.likely),
        key=lambda r: (-CONFIDENCE.index(r.confidence), -(r.level or 0), r.product.sku, r.case.case_number),
    )
    return [
        {
            "sku": r.product.sku,
            "description": r.product.description,
            "hts": r.product.hts,
            "country": r.product.country,
            "case_number": r.case.case_number,
            "case_type": r.case.case_type,
            "case_product": r.case.product,
            "case_status": r.case.status,
            "level": r.level,
            "confidence": r.confidence,
            "match_basis": match_basis(r),
        }
        for r in ordered
    ]


def match_basis(reach: ProductReach) -> str:
    """Why a case may reach a product, in one clause: the HTS relation and the shared words."""
    product = reach.product
    words = ", ".join(f"'{w}'" for w in reach.words)
    if reach.level is None:
        return f"description words only ({words}) match the case's product name"
    code, listed = format_hts(product.hts), format_hts(reach.listed_hts)
    if reach.relation == "sibling":
        parent = format_hts(product.hts[: reach.level])
        text = f"HTS {code} shares the {reach.level}-digit parent {parent} with listed HTS {listed}"
    elif len(reach.listed_hts) <= len(product.hts):
        text = f"HTS {code} falls within listed HTS {listed} ({reach.level}-digit level)"
    else:
        text = f"listed HTS {listed} falls within HTS {code} ({reach.level}-digit level)"
    if reach.words:
        text += f"; the description shares {words} with the case's product name"
    return text


def _option_label(option: RateOption) -> str:
    """The company as the catalog names it in a rate-change event (worker.catalog.apply)."""
    if option.exporter and option.producer and option.exporter != option.producer:
        return f"{option.exporter} / {option.producer}"
    return option.exporter or option.producer or option.basis


def _family(case: Case) -> str:
    """AD and CVD cases on the same product from the same country stack on one entry."""
    return case.country + ":" + " ".join(sorted(significant_words(case.product)))


def subscriber_product_views(
    session: Session,
    subscriber: Subscriber,
    reaches: Sequence[ProductReach],
    rates: Sequence[CompanyRate],
    *,
    today: date,
    threshold: int,
    changed_by: str | None = None,
) -> list[dict[str, Any]]:
    """product_views with the alias table of the importer the subscriber follows."""
    aliases = (
        AliasTable(store.load_aliases(session, subscriber.importer_id)) if subscriber.importer_id else None
    )
    return product_views(
        reaches, rates, today=today, threshold=threshold, changed_by=changed_by, aliases=aliases
    )


def product_views(
    reaches: Sequence[ProductReach],
    rates: Sequence[CompanyRate],
    *,
    today: date,
    threshold: int,
    changed_by: str | None = None,
    aliases: Mapping[str, str] | None = None,
) -> list[dict[str, Any]]:
    """One view per product: its matched cases (AD and CVD side by side) and the stacked deposit.

    `aliases` is the importer's alias table (worker.rules.names.AliasTable semantics).
    """
    return [
        view
        for _, view in iter_product_views(
            reaches, rates, today=today, threshold=threshold, changed_by=changed_by, aliases=aliases
        )
    ]


def iter_product_views(
    reaches: Sequence[ProductReach],
    rates: Sequence[CompanyRate],
    *,
    today: date,
    threshold: int,
    changed_by: str | None = None,
    aliases: Mapping[str, str] | None = None,
) -> Iterator[tuple[int, dict[str, Any]]]:
    """product_views one (product id, view) at a time, in SKU order, so a caller need not hold them all."""
    by_product: dict[int, list[ProductReach]] = defaultdict(list)
    products: dict[int, Product] = {}
    for reach in reaches:
        assert reach.product.id is not None
        by_product[reach.product.id].append(reach)
        products[reach.product.id] = reach.product
    for product_id in sorted(by_product, key=lambda i: (products[i].sku, i)):
        product = products[product_id]
        matches: list[dict[str, Any]] = []
        families: dict[str, dict[str, tuple[CascadeResult, CascadeResult | None, str]]] = defaultdict(dict)
        ordered = sorted(by_product[product_id], key=lambda r: (_family(r.case), r.case.case_type != "AD"))
        for reach in ordered:
            view, result, before = describe_match(
                reach, rates, today=today, threshold=threshold, changed_by=changed_by, aliases=aliases
            )
            matches.append(view)
            family = families[_family(reach.case)]
            family.setdefault(reach.case.case_type, (result, before, reach.case.case_number))
        stacks = []
        for members in families.values():
            ad, cvd = members.get("AD"), members.get("CVD")
            stacked = stack_rates(ad[0] if ad else None, cvd[0] if cvd else None)
            previous = stack_rates((ad[1] or ad[0]) if ad else None, (cvd[1] or cvd[0]) if cvd else None)
            exposure = annual_exposure(product.annual_entered_value, stacked.total)
            changed = previous.total is not None and previous.total != stacked.total
            stacks.append(
                {
                    "cases": " + ".join(part[2] for part in (ad, cvd) if part),
                    "both": ad is not None and cvd is not None,
                    "total_rate": _money(stacked.total),
                    "complete": stacked.complete,
                    "exposure": _money(exposure),
                    "changed": changed,
                    "previous_total_rate": _money(previous.total) if changed else None,
                    "previous_exposure": _money(annual_exposure(product.annual_entered_value, previous.total))
                    if changed
                    else None,
                    "notes": list(stacked.notes),
                }
            )
        yield (
            product_id,
            {
                "sku": product.sku,
                "description": product.description,
                "hts": product.hts,
                "country": product.country,
                "country_name": country_name(product.country),
                "producer": product.producer,
                "exporter": product.exporter,
                "annual_entered_value": _money(product.annual_entered_value),
                "candidate_only": all(m["candidate_only"] for m in matches),
                "matches": matches,
                "stacks": stacks,
                "rate_changed": any(m["rate_changed"] for m in matches),
            },
        )


def notice_view(notice: Notice, *, citation: str | None = None) -> dict[str, Any]:
    return {
        "document_number": notice.document_number,
        "title": notice.title,
        "kind": notice.kind,
        "publication_date": notice.publication_date.isoformat() if notice.publication_date else None,
        "effective_date": notice.effective_date.isoformat() if notice.effective_date else None,
        "html_url": notice.html_url or "",
        "pdf_url": notice.pdf_url or "",
        "citation": citation or "",
        "source": notice.source,
        "on_public_inspection": notice.on_public_inspection,
        "is_correction": notice.is_correction,
    }


def deadline_label(kind: str) -> str:
    return DEADLINE_LABELS.get(kind, kind.replace("_", " ").capitalize())


def event_view(event: Event, *, today: date) -> dict[str, Any]:
    details = {k: v for k, v in event.details.items() if k != "key_suffix"}
    view: dict[str, Any] = {
        "kind": event.kind.value,
        "severity": event.severity.value,
        "case_number": event.case_number,
        "summary": event.summary,
        "effective_date": event.effective_date.isoformat() if event.effective_date else None,
        "details": details,
        "deadline": None,
    }
    if event.kind is EventKind.NEW_DEADLINE and event.effective_date is not None:
        kind = str(details.get("deadline_kind", ""))
        view["deadline"] = {
            "case_number": event.case_number,
            "kind": kind,
            "label": deadline_label(kind),
            "due": event.effective_date.isoformat(),
            "business_days_left": business_days_between(today, event.effective_date),
            "sentence": str(details.get("sentence", "")),
            "citation": str(details.get("citation", "")),
            "advice": DEADLINE_ADVICE.get(kind, DEFAULT_ADVICE),
        }
    return view


def case_view(case: Case) -> dict[str, Any]:
    return {
        "case_number": case.case_number,
        "case_type": case.case_type,
        "country": case.country,
        "country_name": case.country_name or country_name(case.country),
        "product": case.product,
        "status": case.status,
        "non_market_economy": is_non_market_economy(case.country),
    }


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


def recipient_view(subscriber: Subscriber, importer: str) -> dict[str, Any]:
    return {
        "email": subscriber.email,
        "role": subscriber.role,
        "importer": importer,
        "time_zone": subscriber.time_zone,
    }


def known_from_baseline(session: Session, subscriber_id: int) -> tuple[set[str], set[str]]:
    """Deadline keys and notice:case pairs the subscriber's baseline report already listed."""
    deadlines: set[str] = set()
    notices: set[str] = set()
    for alert in store.list_subscriber_alerts(session, subscriber_id=subscriber_id, kinds=["baseline"]):
        known = alert.payload.get("known", {})
        deadlines.update(known.get("deadlines", []))
        notices.update(known.get("notices", []))
    return deadlines, notices


def deadline_key(case_number: str, kind: str, due: date | str) -> str:
    day = due if isinstance(due, str) else due.isoformat()
    return f"{case_number}:{kind}:{day}"


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
        products_view = [
            {**p, "matches": [m for m in p["matches"] if m["case_number"] in shown_cases]}
            for _, p in views_for([r for r in importer_reaches if r.product.id in full])
        ]
        shown_views = [event_view(e, today=today) for e in shown]
        payload: dict[str, Any] = {
            "template": f"alert_{kind.value}",
            "kind": kind.value,
            "severity": highest_severity(e.severity for e in shown).value,
            "notice": notice_view(notice, citation=citation),
            "events": shown_views,
            "digest_events": [event_view(e, today=today) for e in reaching],
            "deadlines": [v["deadline"] for v in shown_views if v["deadline"]],
            "cases": [case_view(cases[c]) for c in shown_cases],
            # At most MAX_PRODUCTS_SHOWN products (top exposure), the count, and the rest as a CSV.
            **alert_product_fields(
                products_view,
                shown_lines,
                shown_cases,
                filename=f"adcvd-products-{notice.document_number}.csv",
            ),
            "importer": importer_name,
            "role": subscriber.role,
            "recipient": recipient_view(subscriber, importer_name),
            "today": today.isoformat(),
        }
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
            payload=payload,
            status=DIGEST_STATUS if held else "pending",
            created_at=now,
            next_attempt_at=None if held else now,
        )
        if store.save_alert_if_new(session, alert) and not held:
            alerts.append(alert)
    return alerts
