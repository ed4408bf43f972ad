"""Which stored entries a results notice decides (case, period, company), and what each then costs."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from worker.alerts.entry_liabilities import OPEN_STATUSES
from worker.entries.order_dates import order_dates_of
from worker.entries.results import DECIDING_KINDS, expected_final_results, results_notices
from worker.rules import assessment as rules
from worker.rules.interest import InterestRateTable, bundled_interest_rates
from worker.rules.liquidation import LiquidationOutlook, liquidation_outlook
from worker.rules.review_period import OrderDates
from worker.storage import case_rows, entry_rows, people
from worker.storage.models import Entry, EntryAssessment, Importer, Notice


@dataclass(frozen=True)
class DecidedEntry:
    """One entry, the rules' assessment of it, and the stored row that keeps it."""

    entry: Entry
    assessment: rules.EntryAssessment
    row: EntryAssessment


@dataclass(frozen=True)
class Decision:
    """What one notice decides for one importer's entries of one case."""

    importer: Importer
    notice: rules.ResultsNotice
    outlook: LiquidationOutlook
    entries: list[DecidedEntry]

    @property
    def totals(self) -> rules.AssessmentTotals:
        return rules.total_assessments([d.assessment for d in self.entries])


def in_period(entry: Entry, notice: rules.ResultsNotice) -> bool:
    if notice.period_start is None or notice.period_end is None:
        return False
    return notice.period_start <= entry.entry_date <= notice.period_end


def outlook_of(notice: rules.ResultsNotice) -> LiquidationOutlook:
    """The expected liquidation windows after the notice (after final results a preliminary one heralds)."""
    if notice.kind == "court_decision":
        return liquidation_outlook(notice.published, appealed=True, court_decision_published=notice.published)
    return liquidation_outlook(expected_final_results(notice))


def _notices_of_case(
    stored: Sequence[Notice], case_number: str, current: Notice
) -> list[rules.ResultsNotice]:
    """Every stored deciding notice of the case, the current one included (the rules choose among them)."""
    of_case = [
        n
        for n in stored
        if n.document_number != current.document_number and case_number in (n.facts.get("case_numbers") or ())
    ]
    return [r for n in [*of_case, current] for r in results_notices(n) if r.case_number == case_number]


def decide_entries(
    session: Session,
    notice: Notice,
    *,
    now: datetime,
    threshold: int,
    interest_rates: InterestRateTable | None = None,
    importer_ids: set[int] | None = None,
    stored: Sequence[Notice] | None = None,
) -> list[Decision]:
    """The entries the notice decides, by importer and case, assessed and stored (caller commits).

    An entry is decided when its case is the notice's, its date is in the notice's period, it is
    not liquidated, and the rules find this notice governs its rate (for its company by the 19 CFR
    351.107 cascade, or the rescission names its company or the whole review). `stored`: the
    deciding notices stored, when the caller has them already (else read once here).
    """
    rates = interest_rates or bundled_interest_rates()
    decisions: list[Decision] = []
    for current in results_notices(notice):
        entries = [
            e
            for e in entry_rows.list_entries(
                session, importer_ids=importer_ids, case_numbers=[current.case_number]
            )
            if e.liquidation_status in OPEN_STATUSES
        ]
        if not entries:
            continue
        if stored is None:
            stored = entry_rows.list_notices_of_kinds(session, DECIDING_KINDS)
        notices = _notices_of_case(stored, current.case_number, notice)
        outlook = outlook_of(current)
        order = order_dates_of(case_rows.load_case(session, current.case_number))
        by_importer: dict[int, list[Entry]] = defaultdict(list)
        for entry in entries:
            if in_period(entry, current):
                by_importer[entry.importer_id].append(entry)
        for importer_id, owned in sorted(by_importer.items()):
            importer = session.get(Importer, importer_id)
            assert importer is not None
            aliases = people.load_aliases(session, importer_id)
            decided = _decide(
                owned, importer, current, notices, outlook, aliases, rates, threshold, now, order=order
            )
            if decided:
                decisions.append(Decision(importer, current, outlook, decided))
    return _one_per_importer_and_case(decisions)


def _one_per_importer_and_case(decisions: list[Decision]) -> list[Decision]:
    """Results that also rescind for some companies decide entries both ways: one decision (one alert)."""
    merged: dict[tuple[int | None, str], Decision] = {}
    for decision in decisions:
        key = (decision.importer.id, decision.notice.case_number)
        if key in merged:
            first = merged[key]
            primary = first if first.notice.kind != "rescission" else decision
            merged[key] = Decision(
                first.importer, primary.notice, primary.outlook, first.entries + decision.entries
            )
        else:
            merged[key] = decision
    return list(merged.values())


def _decide(
    entries: Sequence[Entry],
    importer: Importer,
    current: rules.ResultsNotice,
    notices: Sequence[rules.ResultsNotice],
    outlook: LiquidationOutlook,
    aliases: dict[str, str],
    rates: InterestRateTable,
    threshold: int,
    now: datetime,
    *,
    order: OrderDates | None,
) -> list[DecidedEntry]:
    in_force = [
        n for n in notices if (n.period_start, n.period_end) == (current.period_start, current.period_end)
    ]
    interest_until = outlook.interest_until or current.published
    decided: list[DecidedEntry] = []
    for entry in entries:
        line = rules.EntryLine(
            entry.entry_number, entry.entry_date, entry.entered_value, entry.deposit_rate, entry.deposit_paid
        )
        party = rules.EntryParty(importer.name, entry.exporter or None, entry.producer or None, entry.country)
        try:
            rate = rules.choose_assessment_rate(party, line, in_force, aliases=aliases, threshold=threshold)
        except ValueError:
            continue  # no notice stored decides it yet (the review goes on for its company)
        if not decides(rate, current):
            continue
        assessed = rules.assess_entry(
            line, rate, interest_until=interest_until, interest_rates=rates, order=order
        )
        assert entry.id is not None
        row = EntryAssessment(
            entry_id=entry.id,
            notice_document_number=current.document_number,
            notice_kind=current.kind,
            projection=rate.projected,
            period_start=current.period_start,
            period_end=current.period_end,
            rate=rate.rate_pct,
            rate_rule=rate.rule,
            company_match=_match_named(rate),
            assessed_duty=assessed.assessed_duty_usd,
            difference=assessed.difference_usd,
            interest=assessed.interest_usd,
            interest_through=interest_until,
            liquidation_from=_window_day(outlook, "earliest"),
            liquidation_to=_window_day(outlook, "latest"),
            decided_at=now,
        )
        decided.append(DecidedEntry(entry, assessed, row))
    return decided


def decides(rate: rules.AssessmentRate, notice: rules.ResultsNotice) -> bool:
    """Whether `notice` is what assesses the entry: it governs the rate, and names the entry's
    company (or importer, or the rate of companies not individually reviewed), or rescinds its review.
    An entry of a company the results do not name was not under review: the notice does not decide it."""
    if rate.source_document_number != notice.document_number:
        return False
    # Final results that rescind some companies' reviews come as two parts with one document number:
    # the rescission part decides only the entries it assesses at the deposit rate, or an entry of a
    # company the results name would be decided twice (listed twice, its totals doubled).
    if notice.kind in ("rescission", "no_review") or rate.which == "deposit_at_entry":
        return notice.kind in ("rescission", "no_review") and rate.which == "deposit_at_entry"
    if rate.which == "unreviewed_companies":
        return notice.unreviewed_rate_pct is not None
    return True


def _match_named(rate: rules.AssessmentRate) -> str:
    """The company (or importer) the rate was matched to and how: '351.107 step: name (exact)'."""
    parts = [p for p in (rate.cascade_step, rate.matched_name) if p]
    text = ": ".join(parts)
    return f"{text} ({rate.match_status})" if rate.match_status and text else text


def _window_day(outlook: LiquidationOutlook, end: str) -> date | None:
    window = outlook.window("liquidation") or outlook.window("deemed_liquidation")
    return None if window is None else getattr(window, end)


def save_decisions(session: Session, decisions: Sequence[Decision]) -> None:
    entry_rows.save_assessments(session, (d.row for decision in decisions for d in decision.entries))


def decide_from_stored_notices(
    session: Session, *, importer_id: int, case_numbers: set[str], now: datetime, threshold: int
) -> int:
    """Decide an importer's (newly imported) entries by the results notices already stored, oldest
    first, without alerting; returns how many entries some notice decides."""
    decided: set[int] = set()
    stored = entry_rows.list_notices_of_kinds(session, DECIDING_KINDS)
    for notice in stored:
        if not case_numbers & set(notice.facts.get("case_numbers") or ()):
            continue
        decisions = decide_entries(
            session, notice, now=now, threshold=threshold, importer_ids={importer_id}, stored=stored
        )
        save_decisions(session, decisions)
        decided.update(
            d.entry.id for decision in decisions for d in decision.entries if d.entry.id is not None
        )
    return len(decided)
