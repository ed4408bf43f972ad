"""An importer's exposure: `adcvd check` for every product of the portfolio, and the deadlines ahead."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from notifier.report_views import DeadlineItemView
from worker.alerts.check_view import check_json
from worker.alerts.importer_deadlines import collect_deadlines, deadline_view
from worker.alerts.matching import check_shipment, load_catalog_index
from worker.rules.countries import country_name
from worker.rules.hts import format_hts
from worker.storage import people
from worker.storage.models import Product

DEADLINE_DAYS = 365  # "ahead": what is due within a year


@dataclass(frozen=True)
class ProductExposure:
    """One product and what `adcvd check` says of it (its JSON document), with the duty it adds up to."""

    product: Product
    check: dict[str, Any]

    @property
    def likely_cases(self) -> frozenset[str]:
        """The cases that reach the product: likely matches only (a possible one is a lead to check)."""
        return frozenset(
            c["case_number"] for c in self.check["candidates"] if c["match"]["standing"] == "likely"
        )

    def _stacked_duties(self) -> tuple[list[Decimal], bool]:
        """The estimated duty of the AD and CVD case of each stack that reaches the product, and whether
        every one had a rate; stacks of possible matches only count for nothing."""
        likely = self.likely_cases
        by_case = {c["case_number"]: c["estimated_duty"] for c in self.check["candidates"]}
        stacks = [s for s in self.check["stacks"] if {s["ad"], s["cvd"]} & likely]
        cases = {s[k] for s in stacks for k in ("ad", "cvd") if s[k] in likely}
        duties = [Decimal(by_case[c]) for c in sorted(cases) if by_case.get(c) is not None]
        complete = bool(cases) and len(duties) == len(cases) and all(s["complete"] for s in stacks)
        return duties, complete

    @property
    def estimated_duty(self) -> Decimal | None:
        """The annual estimated duty of the stacked AD and CVD cases; None when no rate or value is known."""
        duties, _ = self._stacked_duties()
        return sum(duties, Decimal(0)) if duties else None

    def view(self) -> dict[str, Any]:
        p = self.product
        duty = self.estimated_duty
        return {
            "sku": p.sku,
            "description": p.description,
            "hts": format_hts(p.hts),
            "country": p.country,
            "country_name": country_name(p.country),
            "annual_entered_value": None if p.annual_entered_value is None else str(p.annual_entered_value),
            "estimated_duty": None if duty is None else str(duty),
            "duty_complete": self._stacked_duties()[1],
            "reached": bool(self.likely_cases),
            **{k: self.check[k] for k in ("candidates", "stacks", "notes")},
        }


def portfolio_exposure(
    session: Session, importer_id: int, *, entry_date: date, threshold: int
) -> list[ProductExposure]:
    """check_shipment for each product as entered on `entry_date` at its annual value, with the
    importer's company aliases; products reached by a case first, the largest estimated duty first."""
    catalog = load_catalog_index(session)
    aliases = people.load_aliases(session, importer_id)
    found = [
        ProductExposure(
            product,
            check_json(
                check_shipment(
                    catalog,
                    hts=product.hts,
                    country=product.country,
                    entry_date=entry_date,
                    producer=product.producer or None,
                    exporter=product.exporter or None,
                    value=product.annual_entered_value,
                    description=product.description,
                    aliases=aliases,
                    threshold=threshold,
                )
            ),
        )
        for product in people.list_products(session, importer_id=importer_id)
    ]
    return sorted(
        found,
        key=lambda e: (
            not e.likely_cases,
            not e.check["candidates"],
            -(e.estimated_duty or Decimal(0)),
            e.product.sku,
        ),
    )


def deadlines_ahead(session: Session, importer_id: int, *, today: date) -> list[DeadlineItemView]:
    """What is due within DEADLINE_DAYS for the cases reaching the importer's products (as digests show)."""
    items = collect_deadlines(
        session, importer_id=importer_id, today=today, until=today + timedelta(days=DEADLINE_DAYS)
    )
    return [deadline_view(item, today=today) for item in items]
