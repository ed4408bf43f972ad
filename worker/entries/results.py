"""A stored results notice as the rules read it: its kind, case, period, company rates and rescissions."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from watchers.records import NoticeKind
from watchers.rescission import RESCINDED_ELSEWHERE
from worker.rules.assessment import ImporterRate, ResultsNotice
from worker.rules.cascade import RateOption
from worker.storage.models import Notice

# The notice kinds that decide entries (docs/notice_kinds.md), as the rules name them.
DECIDING_KINDS: dict[str, str] = {
    NoticeKind.REVIEW_PRELIMINARY_RESULTS.value: "preliminary",
    NoticeKind.REVIEW_FINAL_RESULTS.value: "final",
    NoticeKind.REVIEW_RESCISSION.value: "rescission",
    NoticeKind.COURT_DECISION.value: "court_decision",
}
FINAL_RESULTS_AFTER_PRELIMINARY = timedelta(days=120)  # section 751(a)(3)(A) of the Act, as notices state


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _decimal(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value)) if value not in (None, "") else None
    except InvalidOperation:
        return None


def results_kind(notice: Notice) -> str | None:
    """The rules' name for what the notice does to entries, or None when it decides none."""
    kind = DECIDING_KINDS.get(notice.kind)
    if kind == "final" and "amended" in notice.title.lower():
        return "amended_final"
    return kind


def results_notices(notice: Notice) -> list[ResultsNotice]:
    """One ResultsNotice per case of a deciding notice (none for other kinds, or without a date)."""
    kind = results_kind(notice)
    published = notice.publication_date or _date(notice.facts.get("publication_date"))
    if kind is None or published is None:
        return []
    facts = notice.facts
    rescinded = tuple(str(c) for c in facts.get("rescinded_companies") or ())
    if kind == "rescission" and not rescinded and _partial(notice):
        return []  # rescinded in part for companies we could not read: deciding all would be wrong
    period = facts.get("period_of_review") or [None, None]
    start, end = _date(period[0]), _date(period[1])
    found: list[ResultsNotice] = []
    for case_number in facts.get("case_numbers") or []:
        rows = [r for r in facts.get("rates") or [] if r.get("case_number") in (None, case_number)]
        options = tuple(
            RateOption(
                case_number=case_number,
                exporter=str(r.get("exporter") or ""),
                producer=str(r.get("producer") or ""),
                rate=_decimal(r.get("rate")),
                cash_deposit=_decimal(r.get("cash_deposit")),
                basis=str(r.get("basis")),
                effective_date=published,
                notice_document_number=notice.document_number,
            )
            for r in rows
        )
        found.append(
            ResultsNotice(
                document_number=notice.document_number,
                case_number=case_number,
                kind=kind,
                published=published,
                period_start=start,
                period_end=end,
                company_rates=options,
                importer_rates=_importer_rates(facts, case_number),
                rescinded_companies=rescinded if kind == "rescission" else (),
            )
        )
        if rescinded and kind != "rescission":  # results that also rescind the review for some companies
            found.append(
                replace(found[-1], kind="rescission", company_rates=(), rescinded_companies=rescinded)
            )
    return found


def _importer_rates(facts: dict[str, Any], case_number: str) -> tuple[ImporterRate, ...]:
    """Importer-specific assessment rates, where the notice's facts name them (the Federal Register
    rarely does: they come from confidential sales data and go to CBP in the instructions)."""
    found: list[ImporterRate] = []
    for row in facts.get("importer_rates") or []:
        rate = _decimal(row.get("rate"))
        if rate is not None and row.get("importer") and row.get("case_number") in (None, case_number):
            found.append(ImporterRate(str(row["importer"]), str(row.get("exporter") or ""), rate))
    return tuple(found)


def _partial(notice: Notice) -> bool:
    """A rescission in part: its title says so, or its list of companies could not be read."""
    title = notice.title.lower()
    return "in part" in title or "partial" in title or RESCINDED_ELSEWHERE in (notice.unread or [])


def expected_final_results(notice: ResultsNotice) -> date:
    """When final results are expected: the notice's publication, or 120 days after preliminary ones."""
    if notice.kind == "preliminary":
        return notice.published + FINAL_RESULTS_AFTER_PRELIMINARY
    return notice.published
