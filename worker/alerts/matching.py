"""Matching portfolio lines to catalog cases by HTS level, country and description words."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from sqlmodel import Session

from worker.alerts.match_level import CONFIDENCE, LIKELY, corroborating_words, grade_match
from worker.rules.cascade import CascadeResult, RateOption, StackedRate, resolve_deposit_rate, stack_rates
from worker.rules.exposure import annual_exposure
from worker.rules.hts import MATCH_LEVELS, normalize_hts
from worker.storage import case_rows
from worker.storage.models import Case, CaseHts, CompanyRate

RARE_WORD_CASES = 25  # a description word naming more cases of one country seeds no candidate
_STOPWORDS = frozenset(
    {"a", "an", "and", "or", "of", "the", "from", "for", "with", "in", "on", "to", "by", "not",
     "other", "others", "certain", "product", "products", "parts", "thereof", "part", "type",
     "types", "kind", "new", "used", "whether"}
)  # fmt: skip
_WORD = re.compile(r"[a-z0-9]+")


def significant_words(text: str) -> frozenset[str]:
    """Lower-case words of at least 3 letters, stopwords out, a plural 's' (not 'ss') dropped."""
    words = set()
    for word in _WORD.findall(text.lower()):
        if len(word) < 3 or word in _STOPWORDS:
            continue
        plural = len(word) > 3 and word.endswith("s") and not word.endswith("ss")  # 'stainless' stays
        words.add(word[:-1] if plural else word)
    return frozenset(words)


@dataclass(frozen=True, slots=True)
class ProductLine:
    """One portfolio line as matching sees it."""

    sku: str
    hts: str  # digits
    country: str  # ISO alpha-2 of origin
    description: str = ""
    producer: str = ""
    exporter: str = ""
    annual_entered_value: Decimal | None = None
    importer: str = ""


@dataclass(frozen=True, slots=True)
class CaseInfo:
    """The catalog facts about one case that a match reports."""

    case_number: str
    case_type: str
    country: str
    product: str
    status: str
    source: str = ""


class ProductMatch(NamedTuple):
    """A case that may reach a product: at which HTS level, how sure, and the country check.

    A NamedTuple rather than a frozen dataclass: 100,000 products yield hundreds of thousands.
    """

    product: ProductLine
    case: CaseInfo
    basis: str  # hts or description
    level: int | None  # 10, 8, 6, 4; None for a description candidate
    relation: str  # prefix (one code contains the other), sibling (same parent), description
    listed_hts: str  # the case's listed code that matched, '' for description candidates
    confidence: str  # high, medium, low
    description_words: tuple[str, ...]
    country_match: bool
    standing: str  # likely (alerts, reminders) or possible (shown apart); worker.alerts.match_level

    @property
    def likely(self) -> bool:
        return self.standing == LIKELY


class ListedCode(NamedTuple):
    """One HTS code a case lists, as the index reads it (a CaseHts row has the same fields)."""

    case_number: str
    hts: str
    source: str = ""


@dataclass
class CatalogIndex:
    """Cases indexed by (country, HTS parent) and by description words, plus their rates."""

    cases: list[CaseInfo]
    by_parent: dict[tuple[str, str], tuple[tuple[int, frozenset[str], tuple[int, ...], str], ...]]
    by_word: dict[tuple[str, str], list[int]]
    case_words: list[frozenset[str]]
    rates: dict[str, list[RateOption]] = field(default_factory=dict)
    hts_sources: dict[tuple[str, str], str] = field(default_factory=dict)
    position: dict[str, int] = field(default_factory=dict)


def rate_options(rates: Iterable[CompanyRate]) -> list[RateOption]:
    """Stored company rates as the 19 CFR 351.107 cascade reads them."""
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


def build_catalog_index(
    cases: Iterable[Case], hts_rows: Iterable[CaseHts | ListedCode], rates: Iterable[CompanyRate]
) -> CatalogIndex:
    """Index the catalog so each product needs a handful of dictionary look-ups."""
    infos: list[CaseInfo] = []
    position: dict[str, int] = {}
    for case in cases:
        position[case.case_number] = len(infos)
        infos.append(
            CaseInfo(case.case_number, case.case_type, case.country, case.product, case.status, case.source)
        )
    grouped: dict[tuple[str, str], dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    hts_sources: dict[tuple[str, str], str] = {}
    for row in hts_rows:
        index = position.get(row.case_number)
        if index is None:
            continue
        code = normalize_hts(row.hts)
        hts_sources[(row.case_number, code)] = row.source
        country = infos[index].country
        for level in MATCH_LEVELS:
            if len(code) >= level:
                grouped[(country, code[:level])][index].add(code)
    # Per (country, parent): each case with its codes there, their lengths (longest first) and
    # the first code, reported for sibling matches.
    by_parent = {
        key: tuple(
            (index, frozenset(codes), tuple(sorted({len(c) for c in codes}, reverse=True)), min(codes))
            for index, codes in per_case.items()
        )
        for key, per_case in grouped.items()
    }
    case_words = [significant_words(info.product) for info in infos]
    by_word: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, words in enumerate(case_words):
        for word in words:
            by_word[(infos[index].country, word)].append(index)
    by_case: dict[str, list[RateOption]] = defaultdict(list)
    for option in rate_options(rates):
        by_case[option.case_number].append(option)
    return CatalogIndex(infos, by_parent, dict(by_word), case_words, dict(by_case), hts_sources, position)


def load_catalog_index(session: Session) -> CatalogIndex:
    """Read the whole catalog (cases, HTS lists, rates) and index it."""
    return build_catalog_index(
        case_rows.list_cases(session), case_rows.list_case_hts(session), case_rows.list_rates(session)
    )


def _description_candidates(
    words: frozenset[str], country: str, catalog: CatalogIndex
) -> tuple[tuple[int, tuple[str, ...]], ...]:
    """Cases of the country whose product-name words the description covers (2 words, or all).

    Candidates are seeded by words that name few cases of the country (a word such as 'steel'
    alone seeds nothing), then checked against each case's full set of words.
    """
    seeds: set[int] = set()
    for word in words:
        indexes = catalog.by_word.get((country, word), ())
        if len(indexes) <= RARE_WORD_CASES:
            seeds.update(indexes)
    found = []
    for index in seeds:
        case_words = catalog.case_words[index]
        shared = words & case_words
        if len(shared) >= min(2, len(case_words)):
            found.append((index, tuple(sorted(shared))))
    return tuple(found)


def match_product(
    product: ProductLine,
    catalog: CatalogIndex,
    memo: dict[tuple[str, str], tuple[frozenset[str], tuple[tuple[int, tuple[str, ...]], ...]]] | None = None,
) -> list[ProductMatch]:
    """Every case of the product's country that its HTS code or description points at."""
    best: dict[int, tuple[int, str, str]] = {}  # case -> (level, relation, listed code)
    code, country = product.hts, product.country
    size = len(code)
    # Longest level first; a case keeps the first (most specific) level at which it appears.
    for level in MATCH_LEVELS:
        if size < level:
            continue
        for index, listed_codes, lengths, first in catalog.by_parent.get((country, code[:level]), ()):
            if index in best:
                continue
            if size == level:  # every listed code in this bucket extends the product's code
                best[index] = (level, "prefix", first)
                continue
            for length in lengths:
                if length <= size and code[:length] in listed_codes:
                    best[index] = (level, "prefix", code[:length])
                    break
            else:
                longer = [c for c in listed_codes if c.startswith(code)] if size % 2 else []
                best[index] = (level, "prefix", min(longer)) if longer else (level, "sibling", first)
    words: frozenset[str] = frozenset()
    described: tuple[tuple[int, tuple[str, ...]], ...] = ()
    if product.description:
        key = (country, product.description)
        cached = memo.get(key) if memo is not None else None
        if cached is None:
            words = significant_words(product.description)
            cached = (words, _description_candidates(words, country, catalog))
            if memo is not None:
                memo[key] = cached
        words, described = cached
    matches: list[ProductMatch] = []
    for index, (level, relation, listed) in best.items():
        shared: tuple[str, ...] = ()
        backing: tuple[str, ...] = ()
        if words:
            case_words = catalog.case_words[index]
            shared = tuple(sorted(words & case_words))
            backing = corroborating_words(shared, shared)
        grade = grade_match(level, relation, backing)
        case = catalog.cases[index]
        matches.append(
            ProductMatch(
                product,
                case,
                "hts",
                level,
                relation,
                listed,
                grade.confidence,
                shared,
                case.country == country,
                grade.standing,
            )
        )
    for index, shared in described:
        # Words such as 'stainless steel' alone name a material, not a product: no candidate.
        if index not in best and corroborating_words(shared, shared):
            case = catalog.cases[index]
            grade = grade_match(None, "description", shared)
            matches.append(
                ProductMatch(
                    product,
                    case,
                    "description",
                    None,
                    "description",
                    "",
                    grade.confidence,
                    shared,
                    case.country == country,
                    grade.standing,
                )
            )
    return matches


def match_products(products: Sequence[ProductLine], catalog: CatalogIndex) -> list[ProductMatch]:
    """All candidate cases for every product line, in product order."""
    out: list[ProductMatch] = []
    memo: dict[tuple[str, str], tuple[frozenset[str], tuple[tuple[int, tuple[str, ...]], ...]]]
    memo = {}
    for product in products:
        out.extend(match_product(product, catalog, memo))
    return out


@dataclass(frozen=True)
class ShipmentCandidate:
    """One candidate case for a shipment: the match, the cascade result and the estimated duty."""

    match: ProductMatch
    cascade: CascadeResult
    estimated_duty: Decimal | None
    hts_source: str


@dataclass(frozen=True)
class ShipmentCheck:
    """What `adcvd check` answers: every candidate case, with AD + CVD stacks per product."""

    hts: str
    country: str
    entry_date: date
    value: Decimal | None
    candidates: tuple[ShipmentCandidate, ...]
    stacks: tuple[tuple[str, StackedRate], ...]
    notes: tuple[str, ...]


def _sort_key(candidate: ShipmentCandidate) -> tuple[bool, int, int, bool, str]:
    m = candidate.match
    return (
        not m.likely,
        -CONFIDENCE.index(m.confidence),
        -(m.level or 0),
        m.case.status != "order",
        m.case.case_number,
    )


def check_shipment(
    catalog: CatalogIndex,
    *,
    hts: str,
    country: str,
    entry_date: date,
    producer: str | None = None,
    exporter: str | None = None,
    value: Decimal | None = None,
    description: str = "",
    aliases: Mapping[str, str] | None = None,
    threshold: int,
) -> ShipmentCheck:
    """Candidate cases for one shipment, each with its 19 CFR 351.107 cascade step and rate."""
    line = ProductLine(
        sku="",
        hts=normalize_hts(hts),
        country=country,
        description=description,
        producer=producer or "",
        exporter=exporter or "",
    )
    candidates = []
    for match in match_product(line, catalog):
        number = match.case.case_number
        result = resolve_deposit_rate(
            catalog.rates.get(number, []),
            country=match.case.country,
            exporter=exporter,
            producer=producer,
            entry_date=entry_date,
            aliases=aliases,
            threshold=threshold,
            case_number=number,
        )
        duty = annual_exposure(value, result.rate)
        source = catalog.hts_sources.get((number, match.listed_hts), "")
        candidates.append(ShipmentCandidate(match, result, duty, source))
    candidates.sort(key=_sort_key)
    groups: dict[str, dict[str, CascadeResult]] = defaultdict(dict)
    for c in candidates:
        key = " ".join(sorted(significant_words(c.match.case.product)))
        groups[key].setdefault(c.match.case.case_type, c.cascade)
    stacks = tuple((key, stack_rates(g.get("AD"), g.get("CVD"))) for key, g in groups.items() if len(g) == 2)
    notes = ["HTS lists in orders are advisory; the written scope of each order governs."]
    if not candidates:
        notes.append(
            "No case in the catalog lists this HTS code or its parents for this country;"
            " that is not a finding that the product is outside every order's scope."
        )
    return ShipmentCheck(line.hts, country, entry_date, value, tuple(candidates), stacks, tuple(notes))
