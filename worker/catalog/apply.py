"""Applies what a notice says to the case catalog (cases, HTS codes, rates, deadlines) and derives events."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from sqlmodel import Session

from watchers.case_numbers import case_type_of
from watchers.classify_revokes import revocation_withheld
from watchers.classify_rules import normalise
from watchers.records import (
    CaseType,
    Classification,
    DeadlineFact,
    NoticeFacts,
    NoticeKind,
    RateBasis,
    RateRow,
    Revokes,
)
from watchers.review_request import REVIEW_REQUEST_CITATION
from worker.catalog.case_dates import apply_case_dates
from worker.catalog.events import Event, EventKind, Severity, events_for_notice_kind, rate_change_event
from worker.rules.countries import country_of_case
from worker.storage import case_rows
from worker.storage.models import Case, CompanyRate, Deadline

OMNIBUS_KINDS = frozenset(
    {NoticeKind.REVIEW_OPPORTUNITY, NoticeKind.REVIEW_INITIATION, NoticeKind.SUNSET_ADVANCE_NOTICE}
)

# Status a notice kind sets on its own cases; omnibus notices and scope-ruling lists set none.
STATUS_BY_KIND: dict[NoticeKind, str] = {
    NoticeKind.INVESTIGATION_INITIATION: "investigation",
    NoticeKind.PRELIMINARY_DETERMINATION: "investigation",
    NoticeKind.FINAL_DETERMINATION: "investigation",
    NoticeKind.ORDER: "order",
    NoticeKind.CONTINUATION: "order",
    NoticeKind.SUSPENSION_AGREEMENT: "suspended",
}


@dataclass
class CatalogChange:
    events: list[Event] = field(default_factory=list)
    cases_touched: set[str] = field(default_factory=set)
    rates_added: int = 0
    hts_added: int = 0
    deadlines_added: int = 0


def _upsert_case(
    session: Session,
    *,
    case_number: str,
    facts: NoticeFacts,
    classification: Classification,
    published: date | None,
    source: str,
    revokes_case: bool,
) -> Case:
    case = case_rows.load_case(session, case_number)
    if case is None:
        case = Case(
            case_number=case_number,
            case_type=case_type_of(case_number).value,
            country=country_of_case(case_number) or "",
            country_name=facts.countries[0] if facts.countries else "",
            product=facts.product or "",
            source=source,
            as_of=published,
        )
    elif facts.product and not case.product:
        case.product = facts.product
    status = STATUS_BY_KIND.get(classification.kind)
    if classification.revokes is Revokes.FULL and revokes_case:
        case.status = "revoked"
        case.revoked_date = facts.effective_date or published
    elif status and not (case.status in {"order", "revoked"} and status == "investigation"):
        case.status = status
        if status == "order" and classification.kind is NoticeKind.ORDER:
            case.order_date = published
    case.as_of = (
        max(d for d in (case.as_of, published) if d is not None) if (case.as_of or published) else None
    )
    session.add(case)
    session.flush()
    return case


def revocation_stands(classification: Classification, title: str) -> bool:
    """Whether the notice's `revokes` may touch a case: never for a rule or a notice of no kind, nor for
    one whose title only intends, considers, requests or refuses a revocation (docs/notice_kinds.md),
    whatever the classification's `revokes` says."""
    if classification.revokes is Revokes.NONE or classification.kind is NoticeKind.OTHER:
        return False
    return not revocation_withheld(normalise(title))


def _rate_case(row: RateRow, own_cases: Sequence[str]) -> str | None:
    """The case a rate row belongs to: its own case number, else the notice's only case of its type."""
    if row.case_number:
        return row.case_number
    prefix = {CaseType.AD: "A", CaseType.CVD: "C", None: ""}[row.case_type]
    fitting = [c for c in own_cases if c.startswith(prefix)] if prefix else list(own_cases)
    return fitting[0] if len(fitting) == 1 else None


def _company_label(exporter: str, producer: str, basis: str) -> str:
    if exporter and producer and exporter != producer:
        return f"{exporter} / {producer}"
    return exporter or producer or basis


def _apply_rates(
    session: Session,
    *,
    facts: NoticeFacts,
    document_number: str,
    effective: date | None,
    own_cases: Sequence[str],
    change: CatalogChange,
    alert_rate_changes: bool,
) -> None:
    existing_by_key: dict[tuple[str, str, str], CompanyRate] = {}
    for rate in case_rows.list_rates(session, own_cases):
        key = (rate.case_number, rate.exporter, rate.producer)
        current = existing_by_key.get(key)
        if current is None or (rate.effective_date or date.min) >= (current.effective_date or date.min):
            existing_by_key[key] = rate
    for row in facts.rates:
        case_number = _rate_case(row, own_cases)
        if case_number is None:
            facts.unread.append(f"rate row not tied to one case: {row.source_text[:80]}")
            continue
        exporter = row.exporter or ""
        producer = row.producer or ""
        if row.basis is RateBasis.COMPANY and not exporter:
            exporter = producer
        if case_rows.load_rate_in_notice(
            session,
            case_number=case_number,
            exporter=exporter,
            producer=producer,
            notice_document_number=document_number,
        ):
            continue
        previous = existing_by_key.get((case_number, exporter, producer))
        session.add(
            CompanyRate(
                case_number=case_number,
                exporter=exporter,
                producer=producer,
                rate=row.rate,
                cash_deposit=row.cash_deposit,
                basis=row.basis.value,
                effective_date=effective,
                notice_document_number=document_number,
                footnotes=list(row.footnotes),
                source_text=row.source_text,
            )
        )
        change.rates_added += 1
        old_value = None if previous is None else (previous.cash_deposit or previous.rate)
        new_value = row.cash_deposit or row.rate
        if alert_rate_changes and previous is not None and old_value != new_value:
            change.events.append(
                rate_change_event(
                    case_number=case_number,
                    document_number=document_number,
                    company=_company_label(exporter, producer, row.basis.value),
                    old=old_value,
                    new=new_value,
                    effective=effective,
                )
            )


def _apply_deadlines(
    session: Session,
    *,
    deadlines: Sequence[DeadlineFact],
    document_number: str,
    own_cases: Sequence[str],
    change: CatalogChange,
) -> None:
    for fact in deadlines:
        if fact.due is None:
            continue
        targets = [fact.case_number] if fact.case_number else (list(own_cases) or [""])
        for case_number in targets:
            if case_rows.load_deadline(
                session,
                case_number=case_number,
                kind=fact.kind,
                due_date=fact.due,
                notice_document_number=document_number,
            ):
                continue
            session.add(
                Deadline(
                    case_number=case_number,
                    kind=fact.kind,
                    due_date=fact.due,
                    sentence=fact.sentence,
                    citation=fact.citation,
                    notice_document_number=document_number,
                )
            )
            change.deadlines_added += 1
            if case_number:
                change.events.append(
                    Event(
                        EventKind.NEW_DEADLINE,
                        Severity.MEDIUM,
                        case_number,
                        document_number,
                        f"{fact.kind.replace('_', ' ')} due {fact.due.isoformat()}",
                        effective_date=fact.due,
                        details={
                            "deadline_kind": fact.kind,
                            "due": fact.due.isoformat(),
                            "sentence": fact.sentence,
                            "citation": fact.citation,
                            "key_suffix": f":{fact.kind}:{fact.due.isoformat()}",
                        },
                    )
                )


def apply_notice(
    session: Session,
    *,
    document_number: str,
    title: str,
    published: date | None,
    classification: Classification,
    facts: NoticeFacts,
    source: str = "federal_register",
    cases_read: Collection[str] | None = None,
) -> CatalogChange:
    """Bring the catalog up to date with one notice; returns the events it raises.

    `cases_read` are the case numbers read from the notice itself (None: all of facts.case_numbers
    were); cases the notice was only matched to are touched but never revoked by it.
    """
    change = CatalogChange()
    own_cases = list(dict.fromkeys(facts.case_numbers))
    effective = facts.effective_date or published
    omnibus = classification.kind in OMNIBUS_KINDS
    if classification.revokes is not Revokes.NONE and not revocation_stands(classification, title):
        # A rule, an intent, a request or a refusal revokes nothing: no status change, no alert.
        kind = NoticeKind.OTHER if classification.kind is NoticeKind.REVOCATION else classification.kind
        classification = replace(classification, kind=kind, revokes=Revokes.NONE)
    read = set(own_cases if cases_read is None else cases_read)
    if not omnibus:
        for case_number in own_cases:
            case = _upsert_case(
                session,
                case_number=case_number,
                facts=facts,
                classification=classification,
                published=published,
                source=f"{source}:{document_number}",
                revokes_case=case_number in read,
            )
            if case_number in read:  # an order's dates only from the notice that names it
                apply_case_dates(
                    case,
                    facts=facts,
                    classification=classification,
                    title=title,
                    published=published,
                    document_number=document_number,
                )
            change.cases_touched.add(case_number)
            change.events.extend(
                events_for_notice_kind(
                    classification, case_number=case_number, document_number=document_number, title=title
                )
            )
            for hts in facts.hts_codes:
                if case_rows.add_case_hts(
                    session, case_number=case_number, hts=hts, source=f"FR {document_number}", as_of=published
                ):
                    change.hts_added += 1
        session.flush()
        _apply_rates(
            session,
            facts=facts,
            document_number=document_number,
            effective=effective,
            own_cases=own_cases,
            change=change,
            # An order or preliminary determination sets first rates; a correction of one changes them.
            alert_rate_changes=classification.is_correction
            or classification.kind not in {NoticeKind.ORDER, NoticeKind.PRELIMINARY_DETERMINATION},
        )
    deadlines = [*facts.deadlines, *review_request_deadlines(facts)]
    _apply_deadlines(
        session, deadlines=deadlines, document_number=document_number, own_cases=own_cases, change=change
    )
    session.flush()
    return change


def review_request_deadlines(facts: NoticeFacts) -> list[DeadlineFact]:
    """Each order listed in a review-opportunity notice: requests close at the end of its anniversary month.

    Interested parties may request a review during the anniversary month (watchers.review_request).
    """
    return [
        DeadlineFact(
            kind="review_request",
            due=row.request_due,
            sentence=f"Review requests for {row.product} ({row.case_number}) are due by the last day "
            f"of the anniversary month.",
            citation=REVIEW_REQUEST_CITATION,
            case_number=row.case_number,
        )
        for row in facts.review_opportunities
        if row.request_due is not None
    ]
