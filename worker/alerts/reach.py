"""Which portfolio products a case reaches: same country of origin, best HTS level listed."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from worker.alerts.dismissals import dismissed_pairs
from worker.alerts.match_level import LIKELY
from worker.alerts.matching import ProductLine, build_catalog_index, match_product
from worker.storage import case_rows, people
from worker.storage.models import Case, CaseHts, Product


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


def find_reach(
    products: Sequence[Product], cases: Sequence[Case], hts_rows: Iterable[CaseHts]
) -> list[ProductReach]:
    """Every case of a product's country that its HTS code or description points at, graded.

    The same matching as `adcvd check` (worker.alerts.matching): one code the other's prefix, a shared
    parent (sibling), or description words; worker.alerts.match_level says which are likely.
    """
    catalog = build_catalog_index(cases, hts_rows, ())
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
    products = [p for i in sorted(set(importer_ids)) for p in people.list_products(session, importer_id=i)]
    cases = case_rows.list_cases_in_countries(session, {p.country for p in products})
    if statuses is not None:
        cases = [c for c in cases if c.status in statuses]
    hts_rows = case_rows.list_case_hts(session, [c.case_number for c in cases])
    reaches = find_reach(products, cases, hts_rows)
    return without_dismissed(session, [r for r in reaches if possible or r.likely])


def without_dismissed(session: Session, reaches: Sequence[ProductReach]) -> list[ProductReach]:
    """The reaches whose case the importer has not dismissed for the SKU (worker.alerts.dismissals)."""
    dismissed = dismissed_pairs(session, {r.product.importer_id for r in reaches})
    return [r for r in reaches if (r.product.importer_id, r.product.sku, r.case.case_number) not in dismissed]
