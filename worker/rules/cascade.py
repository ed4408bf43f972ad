"""The cash-deposit rate cascade of 19 CFR 351.107 for one shipment, and AD + CVD stacking."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from watchers.case_numbers import case_type_of
from worker.rules.countries import is_non_market_economy
from worker.rules.names import NameMatch, match_company

BASES = ("combination", "company", "all_others", "country_wide")
STEPS = ("combination", "exporter", "producer", "all_others", "country_wide", "no_rate")

CITATIONS: dict[str, str] = {
    "combination": "19 CFR 351.107(b)(1): combination rate for the named exporter/producer pair",
    "exporter": "19 CFR 351.107(b)(2): the exporter's own (noncombination) rate",
    "producer": "19 CFR 351.107(b)(2): no rate for the exporter, so the producer's rate",
    "all_others": "19 CFR 351.107(b)(2); Tariff Act sections 705(c)(5)/735(c)(5): all-others rate",
    "country_wide": "19 CFR 351.107(d): the single rate for the non-market-economy entity",
    "no_rate": "no applicable rate in the catalog for this case on the entry date",
}


@dataclass(frozen=True)
class RateOption:
    """One rate row of a notice: a pair, a company, all others or the country-wide entity."""

    case_number: str
    exporter: str
    producer: str
    rate: Decimal | None
    cash_deposit: Decimal | None
    basis: str  # combination, company, all_others, country_wide
    effective_date: date | None
    notice_document_number: str

    def __post_init__(self) -> None:
        if self.basis not in BASES:
            raise ValueError(f"unknown rate basis {self.basis!r}; expected one of {BASES}")

    @property
    def company(self) -> str:
        """The company a 'company' row names (in either column)."""
        return self.exporter or self.producer

    @property
    def deposit(self) -> Decimal | None:
        """The cash deposit when stated, else the margin or subsidy rate."""
        return self.cash_deposit if self.cash_deposit is not None else self.rate


@dataclass(frozen=True)
class CascadeResult:
    """Which step of the cascade applied, the rate (percent ad valorem) and where it came from."""

    case_number: str
    case_type: str  # AD or CVD
    step: str  # one of STEPS
    rate: Decimal | None
    rate_kind: str  # cash_deposit, margin, or '' when there is no rate
    option: RateOption | None
    citation: str
    name_matches: tuple[NameMatch, ...] = ()
    possible_matches: tuple[NameMatch, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def notice_document_number(self) -> str:
        return self.option.notice_document_number if self.option else ""

    @property
    def effective_date(self) -> date | None:
        return self.option.effective_date if self.option else None

    @property
    def match_score(self) -> int | None:
        return min((m.score for m in self.name_matches), default=None)

    @property
    def match_status(self) -> str | None:
        order = ("fuzzy", "alias", "exact")
        statuses = [m.status for m in self.name_matches]
        return min(statuses, key=order.index) if statuses else None


@dataclass(frozen=True)
class StackedRate:
    """AD and CVD deposits added; complete is False when either case has no rate."""

    ad: CascadeResult | None
    cvd: CascadeResult | None
    total: Decimal | None
    complete: bool
    notes: tuple[str, ...] = field(default=())


def _newest_first(rows: Sequence[RateOption]) -> list[RateOption]:
    # Unknown effective dates rank after every known one.
    return sorted(
        rows, key=lambda r: (r.effective_date is not None, r.effective_date or date.min), reverse=True
    )


def _company_step(
    name: str | None,
    rows: Sequence[RateOption],
    *,
    aliases: Mapping[str, str] | None,
    threshold: int,
    possible: list[NameMatch],
) -> tuple[RateOption, NameMatch] | None:
    if not name or not rows:
        return None
    found = match_company(name, sorted({r.company for r in rows}), aliases=aliases, threshold=threshold)
    if found is None:
        return None
    if not found.is_hit:
        possible.append(found)
        return None
    return _newest_first([r for r in rows if r.company == found.candidate])[0], found


def _combination_step(
    exporter: str | None,
    producer: str | None,
    rows: Sequence[RateOption],
    *,
    aliases: Mapping[str, str] | None,
    threshold: int,
    possible: list[NameMatch],
) -> tuple[RateOption, tuple[NameMatch, NameMatch]] | None:
    if not exporter or not producer:
        return None
    hits: list[tuple[RateOption, NameMatch, NameMatch]] = []
    for row in _newest_first(rows):
        ex = match_company(exporter, [row.exporter], aliases=aliases, threshold=threshold)
        pr = match_company(producer, [row.producer], aliases=aliases, threshold=threshold)
        if ex is None or pr is None:
            continue
        if ex.is_hit and pr.is_hit:
            hits.append((row, ex, pr))
        else:
            possible.extend(m for m in (ex, pr) if not m.is_hit and m not in possible)
    if not hits:
        return None
    # Newest first; among rows of the same date, the closer pair of names.
    best = max(hits, key=lambda h: (h[0].effective_date or date.min, min(h[1].score, h[2].score)))
    return best[0], (best[1], best[2])


def resolve_deposit_rate(
    rates: Sequence[RateOption],
    *,
    country: str,
    exporter: str | None,
    producer: str | None,
    entry_date: date,
    aliases: Mapping[str, str] | None = None,
    threshold: int,
    case_number: str | None = None,
) -> CascadeResult:
    """The deposit rate for one shipment under one AD or CVD case, and the step that gave it.

    19 CFR 351.107: the combination rate if the exporter/producer pair is named (b)(1); else
    the exporter's own rate, else the producer's rate, else the all-others rate (b)(2); in an
    antidumping case on a non-market economy the country-wide entity rate replaces all-others
    (d). Only rates effective on or before the entry date count, the newest first. A name that
    only possibly matches never takes the company rate: the cascade falls through and reports it.
    """
    numbers = {r.case_number for r in rates} | ({case_number} if case_number else set())
    if len(numbers) > 1:
        raise ValueError(f"rates of several cases given to one cascade: {sorted(numbers)}")
    number = numbers.pop() if numbers else ""
    case_type = case_type_of(number).value if number else ""
    notes: list[str] = []
    later = [r for r in rates if r.effective_date is not None and r.effective_date > entry_date]
    if later:
        notes.append(f"{len(later)} rate(s) take effect after the entry date and were not used")
    usable = [r for r in rates if r not in later and r.deposit is not None]
    if any(r.deposit is None for r in rates):
        notes.append("rate rows without a figure were ignored")
    by_basis = {basis: [r for r in usable if r.basis == basis] for basis in BASES}
    possible: list[NameMatch] = []

    def result(step: str, option: RateOption | None, matches: tuple[NameMatch, ...] = ()) -> CascadeResult:
        kind = "" if option is None else ("cash_deposit" if option.cash_deposit is not None else "margin")
        if option is not None and option.effective_date is None:
            notes.append("the rate's effective date is not stated in the catalog")
        return CascadeResult(
            case_number=number,
            case_type=case_type,
            step=step,
            rate=option.deposit if option else None,
            rate_kind=kind,
            option=option,
            citation=CITATIONS[step],
            name_matches=matches,
            possible_matches=tuple(possible),
            notes=tuple(notes),
        )

    combo = _combination_step(
        exporter, producer, by_basis["combination"], aliases=aliases, threshold=threshold, possible=possible
    )
    if combo is not None:
        return result("combination", combo[0], combo[1])
    if exporter and not producer and by_basis["combination"]:
        paired = match_company(
            exporter,
            sorted({r.exporter for r in by_basis["combination"]}),
            aliases=aliases,
            threshold=threshold,
        )
        if paired is not None and paired.is_hit:
            notes.append(f"{paired.candidate} has combination rates that need the producer named")
    for step, name in (("exporter", exporter), ("producer", producer)):
        found = _company_step(
            name, by_basis["company"], aliases=aliases, threshold=threshold, possible=possible
        )
        if found is not None:
            return result(step, found[0], (found[1],))
    if possible:
        notes.append(
            "a name only possibly matches a listed company: confirm it before relying on that company's rate"
        )
    nme_entity = case_type == "AD" and is_non_market_economy(country)
    last = "country_wide" if nme_entity else "all_others"
    rows = _newest_first(by_basis[last])
    if rows:
        return result(last, rows[0])
    other = "all_others" if nme_entity else "country_wide"
    if by_basis[other]:
        notes.append(
            f"the catalog has a {other.replace('_', '-')} rate for this case, which does "
            f"not apply to {country} under 19 CFR 351.107"
        )
    return result("no_rate", None)


def stack_rates(ad: CascadeResult | None, cvd: CascadeResult | None) -> StackedRate:
    """AD and CVD deposits are collected separately and add up on the same entry.

    AD cash deposits adjusted for export-subsidy offsets (as in FR Doc 2024-02902) already
    avoid double counting with the CVD rate, so the cash-deposit figures are added as stated.
    """
    parts = [r for r in (ad, cvd) if r is not None]
    known = [r.rate for r in parts if r.rate is not None]
    complete = bool(parts) and len(known) == len(parts)
    notes = tuple(f"{r.case_number}: no rate in catalog" for r in parts if r.rate is None)
    total = sum(known, Decimal("0")) if known else None
    return StackedRate(ad=ad, cvd=cvd, total=total, complete=complete, notes=notes)
