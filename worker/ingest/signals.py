"""The events a saved record raises: the catalog's change, or what the record signals before publication."""

from __future__ import annotations

import dataclasses

from sqlmodel import Session

from watchers.finished import CandidateSignal, EarlySignal, FinishedRecord, StageSignal
from worker.catalog.apply import CatalogChange
from worker.catalog.events import Event, EventKind, Severity, events_for_notice_kind
from worker.ingest.filing_cases import candidate_cases
from worker.storage.models import Notice


def record_events(
    session: Session, notice: Notice, record: FinishedRecord, change: CatalogChange
) -> list[Event]:
    """The catalog's events for a notice; a record's signal in its place; each marked with its details."""
    signal, number = record.signal, record.document_number
    if signal is None:
        events = change.events
    elif isinstance(signal, EarlySignal):
        events = [
            Event(
                EventKind.EARLY_SIGNAL,
                Severity.MEDIUM,
                case,
                number,
                signal.summary,
                details=dict(signal.details),
            )
            for case in signal.case_numbers
        ]
    elif isinstance(signal, StageSignal):
        events = [
            event
            for case in signal.case_numbers
            for event in events_for_notice_kind(
                signal.classification, case_number=case, document_number=number, title=record.title
            )
        ]
    else:
        events = candidate_events(session, notice, signal)
    if record.event_details:
        events = [dataclasses.replace(e, details={**e.details, **record.event_details}) for e in events]
    return events


def candidate_events(session: Session, notice: Notice, signal: CandidateSignal) -> list[Event]:
    """One early signal per catalog case of the named product and countries, saying why it is a candidate;
    the notice keeps the candidates (its published notice inherits them) and the countries not known."""
    candidates, unknown = candidate_cases(session, signal)
    if unknown:
        notice.unread = [*notice.unread, "countries not recognised: " + ", ".join(unknown)]
    notice.facts = {**notice.facts, "candidate_cases": [c.case.case_number for c in candidates]}
    return [
        Event(
            EventKind.EARLY_SIGNAL,
            Severity.MEDIUM,
            candidate.case.case_number,
            notice.document_number,
            f"{signal.summary_head}. Candidate case because {candidate.why}",
            details={"candidate_because": candidate.why, "kind_known": False},
        )
        for candidate in candidates
    ]
