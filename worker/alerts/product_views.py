"""The product views of an alert: why each case reaches a product, its deposit rate and exposure."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from decimal import Decimal

from sqlmodel import Session

from notifier.report_views import PossibleMatchView
from notifier.views import MatchView, ProductView, RateStackView
from worker.alerts.match_level import CONFIDENCE
from worker.alerts.matching import (
    rate_options,
    significant_words,
)
from worker.alerts.reach import ProductReach
from worker.rules.cascade import CITATIONS, CascadeResult, RateOption, resolve_deposit_rate, stack_rates
from worker.rules.countries import country_name
from worker.rules.exposure import annual_exposure
from worker.rules.hts import format_hts
from worker.rules.names import AliasTable
from worker.storage import people
from worker.storage.models import Case, CompanyRate, Product, Subscriber

STEP_LABELS: dict[str, str] = {
    "combination": "exporter/producer combination rate",
    "exporter": "the exporter's own rate",
    "producer": "the producer's own rate",
    "all_others": "all-others rate",
    "country_wide": "country-wide entity rate",
    "no_rate": "no rate in the catalog",
}


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
) -> tuple[MatchView, CascadeResult, CascadeResult | None]:
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
    view: MatchView = {
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


def possible_match_views(reaches: Sequence[ProductReach]) -> list[PossibleMatchView]:
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
) -> list[ProductView]:
    """product_views with the alias table of the importer the subscriber follows."""
    return product_views(
        reaches,
        rates,
        today=today,
        threshold=threshold,
        changed_by=changed_by,
        aliases=subscriber_aliases(session, subscriber),
    )


def subscriber_aliases(session: Session, subscriber: Subscriber) -> AliasTable | None:
    """The alias table of the importer the subscriber follows (None without one)."""
    return (
        AliasTable(people.load_aliases(session, subscriber.importer_id)) if subscriber.importer_id else None
    )


def product_views(
    reaches: Sequence[ProductReach],
    rates: Sequence[CompanyRate],
    *,
    today: date,
    threshold: int,
    changed_by: str | None = None,
    aliases: Mapping[str, str] | None = None,
) -> list[ProductView]:
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
) -> Iterator[tuple[int, ProductView]]:
    """product_views one (product id, view) at a time, in SKU order, so a caller need not hold them all."""
    by_product: dict[int, list[ProductReach]] = defaultdict(list)
    products: dict[int, Product] = {}
    for reach in reaches:
        assert reach.product.id is not None
        by_product[reach.product.id].append(reach)
        products[reach.product.id] = reach.product
    for product_id in sorted(by_product, key=lambda i: (products[i].sku, i)):
        product = products[product_id]
        matches: list[MatchView] = []
        families: dict[str, dict[str, tuple[CascadeResult, CascadeResult | None, str]]] = defaultdict(dict)
        ordered = sorted(by_product[product_id], key=lambda r: (_family(r.case), r.case.case_type != "AD"))
        for reach in ordered:
            view, result, before = describe_match(
                reach, rates, today=today, threshold=threshold, changed_by=changed_by, aliases=aliases
            )
            matches.append(view)
            family = families[_family(reach.case)]
            family.setdefault(reach.case.case_type, (result, before, reach.case.case_number))
        stacks: list[RateStackView] = []
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
