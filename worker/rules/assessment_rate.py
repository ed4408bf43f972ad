"""Which rate assesses an entry once a review's notices are out: 19 CFR 351.212, 351.107, 1516a(e).

Final results assess each entry at the importer-specific rate where the notice gives one (19 CFR
351.212(b)(1)), else at the rate of the entry's company found by the 19 CFR 351.107 cascade
(worker/rules/cascade.py: combination, exporter, producer), else at the rate the notice names for
companies not individually reviewed (or, without one, the cascade's all-others or country-wide
row); preliminary results give the same as a projection (19 CFR 351.213(h)); a review rescinded
for the company, or whole, or never requested leaves the entries to be assessed at the deposit rate
in force at entry (19 CFR 351.212(c)); amended final results (19 CFR 351.224(e)) or a court
decision not in harmony (19 U.S.C. 1516a(e)) replace the rate for the companies they name. A
rate below 0.5% is de minimis in a review: the entries are assessed nothing (19 CFR 351.106(c)).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from worker.rules.cascade import CascadeResult, RateOption, resolve_deposit_rate
from worker.rules.names import NameMatch, match_company

# Which rate assesses the entry.
RATE_SOURCES = ("importer_specific", "company", "unreviewed_companies", "deposit_at_entry")
# The results notices that decide a period's entries, and what each does.
NOTICE_KINDS = ("preliminary", "final", "amended_final", "court_decision", "rescission", "no_review")

RATE_RULES: dict[str, str] = {
    "importer_specific": "19 CFR 351.212(b)(1): the importer-specific assessment rate the results give",
    "company": "19 CFR 351.212(b)(1); 19 CFR 351.107: the rate of the entry's company in the results",
    "unreviewed_companies": (
        "19 CFR 351.212(b)(1): the rate the results name for companies not individually reviewed"
    ),
    "deposit_at_entry": (
        "19 CFR 351.212(c): review rescinded or not requested, assessed at the deposit rate in force at entry"
    ),
}
RULE_COURT = (
    "19 U.S.C. 1516a(e): a court decision not in harmony with the results replaces the rate for the "
    "entries it covers"
)
RULE_AMENDED = "amended final results replace the rate they correct (19 CFR 351.224(e))"
DE_MINIMIS_REVIEW_PCT = Decimal("0.5")
RULE_DE_MINIMIS = (
    "19 CFR 351.106(c): a rate below 0.5% in a review is de minimis, and the entries are liquidated "
    "without regard to antidumping or countervailing duties"
)
RULE_PROJECTED = "preliminary results: a projection, not the assessment (19 CFR 351.213(h))"
NOTE_NOT_NAMED = (
    "the results do not name this company: if it has its own rate from an earlier segment and was not "
    "under review, its entries are assessed at the deposit rate instead (19 CFR 351.212(c))"
)
NOTE_NO_RATE = (
    "the results give this company no rate and name none for companies not reviewed: it was not under "
    "review, so its entries are assessed at the deposit rate in force at entry (19 CFR 351.212(c))"
)
COMPANY_STEPS = ("combination", "exporter", "producer")


@dataclass(frozen=True)
class EntryLine:
    """The figures of one entry summary line for one case (USD, percent ad valorem)."""

    entry_number: str
    entry_date: date
    entered_value_usd: Decimal
    deposit_rate_pct: Decimal
    deposit_paid_usd: Decimal


@dataclass(frozen=True)
class EntryParty:
    """Who an entry's rate depends on: the importer of record and the companies of the 351.107 cascade."""

    importer: str
    exporter: str | None
    producer: str | None
    country: str  # ISO 3166 alpha-2


@dataclass(frozen=True)
class ImporterRate:
    """An importer-specific assessment rate a results notice gives (percent ad valorem)."""

    importer: str
    exporter: str  # the respondent whose sales it belongs to; '' when the notice does not say
    rate_pct: Decimal


@dataclass(frozen=True)
class ResultsNotice:
    """A notice that decides a period's entries: results, amended results, a court decision, a rescission."""

    document_number: str
    case_number: str
    kind: str  # one of NOTICE_KINDS
    published: date
    period_start: date | None = None
    period_end: date | None = None
    # The notice's rate rows, for the 351.107 cascade; it takes cash_deposit when stated, else rate
    # (the margin or subsidy rate), and ignores their effective dates: all of them assess the period.
    company_rates: tuple[RateOption, ...] = ()
    importer_rates: tuple[ImporterRate, ...] = ()
    unreviewed_rate_pct: Decimal | None = None  # the rate named for companies not individually reviewed
    rescinded_companies: tuple[str, ...] = ()  # a rescission with none listed rescinds the whole review

    def __post_init__(self) -> None:
        if self.kind not in NOTICE_KINDS:
            raise ValueError(f"unknown results notice kind {self.kind!r}; expected one of {NOTICE_KINDS}")


@dataclass(frozen=True)
class AssessmentRate:
    """The rate that assesses an entry, which rule chose it and the notice it comes from."""

    rate_pct: Decimal
    which: str  # one of RATE_SOURCES
    source_document_number: str  # the deciding notice ('' for a deposit rate with no notice)
    projected: bool  # True when only preliminary results decide it
    rule: str
    cascade_step: str = ""  # for 'company'/'unreviewed_companies' by cascade: the 351.107 step
    matched_name: str = ""  # the company or importer name the rate was matched to
    match_status: str = ""  # exact, alias or fuzzy (worker/rules/names.py)
    notes: tuple[str, ...] = ()


def _hit(
    name: str | None, candidates: Sequence[str], *, aliases: Mapping[str, str] | None, threshold: int
) -> NameMatch | None:
    if not name or not candidates:
        return None
    found = match_company(name, list(candidates), aliases=aliases, threshold=threshold)
    return found if found is not None and found.is_hit else None


def _rescinds(
    party: EntryParty, notice: ResultsNotice, *, aliases: Mapping[str, str] | None, threshold: int
) -> bool:
    if notice.kind == "no_review" or (notice.kind == "rescission" and not notice.rescinded_companies):
        return True
    return any(
        _hit(name, notice.rescinded_companies, aliases=aliases, threshold=threshold) is not None
        for name in (party.exporter, party.producer)
    )


def _deposit_rate(entry: EntryLine, notice: ResultsNotice, *, not_named: bool = False) -> AssessmentRate:
    notes = (
        (NOTE_NOT_NAMED.replace(": if it has", "; as it has no rate in them, if it has"),)
        if not_named
        else ()
    )
    return AssessmentRate(
        rate_pct=entry.deposit_rate_pct,
        which="deposit_at_entry",
        source_document_number=notice.document_number,
        projected=notice.kind == "preliminary",
        rule=RATE_RULES["deposit_at_entry"],
        notes=notes,
    )


def _importer_rate(
    party: EntryParty, notice: ResultsNotice, *, aliases: Mapping[str, str] | None, threshold: int
) -> tuple[ImporterRate, NameMatch] | None:
    for row in notice.importer_rates:
        found = _hit(party.importer, [row.importer], aliases=aliases, threshold=threshold)
        if found is None:
            continue
        if row.exporter and all(
            _hit(name, [row.exporter], aliases=aliases, threshold=threshold) is None
            for name in (party.exporter, party.producer)
        ):
            continue
        return row, found
    return None


def _with_kind_rule(notice: ResultsNotice, rule: str) -> str:
    extra = {"court_decision": RULE_COURT, "amended_final": RULE_AMENDED, "preliminary": RULE_PROJECTED}
    return f"{extra[notice.kind]}; {rule}" if notice.kind in extra else rule


def _cascade(
    party: EntryParty, notice: ResultsNotice, *, aliases: Mapping[str, str] | None, threshold: int
) -> CascadeResult:
    # Every row of the results assesses the period's entries, whatever date its deposit takes
    # effect: the cascade is asked as of the end of time so that no row is left out as "later".
    return resolve_deposit_rate(
        notice.company_rates,
        country=party.country,
        exporter=party.exporter,
        producer=party.producer,
        entry_date=date.max,
        aliases=aliases,
        threshold=threshold,
        case_number=notice.case_number,
    )


def _results_rate(
    party: EntryParty,
    notice: ResultsNotice,
    *,
    aliases: Mapping[str, str] | None,
    threshold: int,
    named_only: bool,
) -> AssessmentRate | None:
    projected = notice.kind == "preliminary"
    importer = _importer_rate(party, notice, aliases=aliases, threshold=threshold)
    if importer is not None:
        row, found = importer
        return AssessmentRate(
            rate_pct=row.rate_pct,
            which="importer_specific",
            source_document_number=notice.document_number,
            projected=projected,
            rule=_with_kind_rule(notice, RATE_RULES["importer_specific"]),
            matched_name=found.candidate,
            match_status=found.status,
        )
    cascade = _cascade(party, notice, aliases=aliases, threshold=threshold)
    possible = tuple(
        f"{m.name!r} only possibly matches {m.candidate!r} ({m.score}): confirm it"
        for m in cascade.possible_matches
    )
    if cascade.step in COMPANY_STEPS and cascade.rate is not None:
        matches = cascade.name_matches
        return AssessmentRate(
            rate_pct=cascade.rate,
            which="company",
            source_document_number=notice.document_number,
            projected=projected,
            rule=_with_kind_rule(notice, f"{RATE_RULES['company']} ({cascade.citation})"),
            cascade_step=cascade.step,
            matched_name=" / ".join(m.candidate for m in matches),
            match_status=cascade.match_status or "",
            notes=possible,
        )
    if named_only:
        return None
    if notice.unreviewed_rate_pct is not None:
        return AssessmentRate(
            rate_pct=notice.unreviewed_rate_pct,
            which="unreviewed_companies",
            source_document_number=notice.document_number,
            projected=projected,
            rule=_with_kind_rule(notice, RATE_RULES["unreviewed_companies"]),
            notes=(*possible, NOTE_NOT_NAMED),
        )
    if cascade.rate is not None:
        return AssessmentRate(
            rate_pct=cascade.rate,
            which="unreviewed_companies",
            source_document_number=notice.document_number,
            projected=projected,
            rule=_with_kind_rule(notice, f"{RATE_RULES['unreviewed_companies']} ({cascade.citation})"),
            cascade_step=cascade.step,
            notes=(*possible, NOTE_NOT_NAMED),
        )
    return None


def _note_replaced_importer_rate(
    named: AssessmentRate,
    party: EntryParty,
    notices: Sequence[ResultsNotice],
    *,
    aliases: Mapping[str, str] | None,
    threshold: int,
) -> AssessmentRate:
    if named.which == "importer_specific":
        return named
    for notice in notices:
        earlier = _importer_rate(party, notice, aliases=aliases, threshold=threshold)
        if notice.kind == "final" and earlier is not None:
            note = (
                f"the final results ({notice.document_number}) gave this importer its own rate "
                f"({earlier[0].rate_pct}%), which {named.source_document_number} replaces with "
                "the company's; "
                "Commerce recalculates importer-specific rates after such a decision, so this is an estimate"
            )
            return replace(named, notes=(*named.notes, note))
    return named


def _de_minimis(rate: AssessmentRate) -> AssessmentRate:
    if rate.rate_pct >= DE_MINIMIS_REVIEW_PCT:
        return rate
    return replace(
        rate,
        rate_pct=Decimal("0"),
        rule=f"{rate.rule}; {RULE_DE_MINIMIS}",
        notes=(*rate.notes, f"the rate found, {rate.rate_pct}%, is below 0.5%: de minimis"),
    )


def choose_assessment_rate(
    party: EntryParty,
    entry: EntryLine,
    notices: Sequence[ResultsNotice],
    *,
    aliases: Mapping[str, str] | None = None,
    threshold: int,
) -> AssessmentRate:
    """The assessment rate for one entry from the notices of its case and period (any order).

    The governing notice is the newest decisive one: a court decision or amended final results
    naming the entry's company (or importer) win over the final results; final results over
    preliminary ones (then projected=True). A rescission naming the company (or the whole
    review), or a no_review notice, gives the deposit rate at entry. ValueError when no notice
    is given or notices of several cases are mixed.
    """
    if not notices:
        raise ValueError(f"entry {entry.entry_number}: no results notice decides it")
    cases = sorted({n.case_number for n in notices})
    if len(cases) > 1:
        raise ValueError(f"entry {entry.entry_number}: notices of several cases given together: {cases}")
    newest = sorted(notices, key=lambda n: n.published, reverse=True)
    for notice in newest:
        if _rescinds(party, notice, aliases=aliases, threshold=threshold):
            return _deposit_rate(entry, notice)
    for notice in newest:
        if notice.kind in ("court_decision", "amended_final"):
            named = _results_rate(party, notice, aliases=aliases, threshold=threshold, named_only=True)
            if named is not None:
                return _de_minimis(
                    _note_replaced_importer_rate(named, party, newest, aliases=aliases, threshold=threshold)
                )
    for kind in ("final", "preliminary"):
        decisive = [n for n in newest if n.kind == kind]
        if decisive:
            found = _results_rate(party, decisive[0], aliases=aliases, threshold=threshold, named_only=False)
            return (
                _de_minimis(found) if found is not None else _deposit_rate(entry, decisive[0], not_named=True)
            )
    raise ValueError(
        f"entry {entry.entry_number}: the notices given ({', '.join(n.document_number for n in newest)}) "
        "amend or decide on other companies, and no final or preliminary results are given"
    )
