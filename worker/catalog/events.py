"""Events: what changed in the catalog because of one notice, each with a kind and a severity."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from watchers.records import Classification, NoticeKind, Revokes


class EventKind(StrEnum):
    NEW_INVESTIGATION = "new_investigation"
    PRELIMINARY_DETERMINATION = "preliminary_determination"
    FINAL_DETERMINATION = "final_determination"
    ORDER = "order"
    RATE_CHANGE = "rate_change"
    REVOCATION = "revocation"
    CONTINUATION = "continuation"
    RESCISSION = "rescission"
    REVIEW_RESULTS = "review_results"
    NEW_SHIPPER = "new_shipper"
    CHANGED_CIRCUMSTANCES = "changed_circumstances"
    SCOPE = "scope"
    CIRCUMVENTION = "circumvention"
    SUSPENSION = "suspension"
    SUNSET = "sunset"
    NEW_DEADLINE = "new_deadline"
    EARLY_SIGNAL = "early_signal"  # an announcement or public-inspection filing before publication


class Severity(StrEnum):
    HIGH = "high"  # deposits start, change or end: money moves
    MEDIUM = "medium"  # a deadline or a stage that will move money
    INFO = "info"  # worth knowing; nothing to pay or file


# The event a notice raises for each of its own cases, by notice kind; omnibus kinds raise none
# because they never set a case's status (docs/notice_kinds.md).
KIND_EVENTS: dict[NoticeKind, tuple[EventKind, Severity]] = {
    NoticeKind.INVESTIGATION_INITIATION: (EventKind.NEW_INVESTIGATION, Severity.MEDIUM),
    NoticeKind.PRELIMINARY_DETERMINATION: (EventKind.PRELIMINARY_DETERMINATION, Severity.HIGH),
    NoticeKind.FINAL_DETERMINATION: (EventKind.FINAL_DETERMINATION, Severity.HIGH),
    NoticeKind.ORDER: (EventKind.ORDER, Severity.HIGH),
    NoticeKind.SUSPENSION_AGREEMENT: (EventKind.SUSPENSION, Severity.MEDIUM),
    NoticeKind.REVIEW_PRELIMINARY_RESULTS: (EventKind.REVIEW_RESULTS, Severity.MEDIUM),
    NoticeKind.REVIEW_FINAL_RESULTS: (EventKind.REVIEW_RESULTS, Severity.HIGH),
    NoticeKind.REVIEW_RESCISSION: (EventKind.RESCISSION, Severity.INFO),
    NoticeKind.NEW_SHIPPER_REVIEW: (EventKind.NEW_SHIPPER, Severity.MEDIUM),
    NoticeKind.CHANGED_CIRCUMSTANCES_REVIEW: (EventKind.CHANGED_CIRCUMSTANCES, Severity.MEDIUM),
    NoticeKind.SUNSET_INITIATION: (EventKind.SUNSET, Severity.MEDIUM),
    NoticeKind.SUNSET_RESULTS: (EventKind.SUNSET, Severity.MEDIUM),
    NoticeKind.CONTINUATION: (EventKind.CONTINUATION, Severity.INFO),
    NoticeKind.REVOCATION: (EventKind.REVOCATION, Severity.HIGH),
    NoticeKind.SCOPE: (EventKind.SCOPE, Severity.MEDIUM),
    NoticeKind.CIRCUMVENTION: (EventKind.CIRCUMVENTION, Severity.HIGH),
    NoticeKind.COURT_DECISION: (EventKind.RATE_CHANGE, Severity.MEDIUM),
}


# Which event names an alert that carries several: the one that moves money first, then the
# stages, then what is only worth knowing. Templates are chosen by this kind.
PRECEDENCE: tuple[EventKind, ...] = (
    EventKind.REVOCATION,
    EventKind.ORDER,
    EventKind.PRELIMINARY_DETERMINATION,
    EventKind.FINAL_DETERMINATION,
    EventKind.RATE_CHANGE,
    EventKind.CIRCUMVENTION,
    EventKind.NEW_INVESTIGATION,
    EventKind.SCOPE,
    EventKind.CHANGED_CIRCUMSTANCES,
    EventKind.NEW_SHIPPER,
    EventKind.REVIEW_RESULTS,
    EventKind.SUSPENSION,
    EventKind.SUNSET,
    EventKind.CONTINUATION,
    EventKind.RESCISSION,
    EventKind.EARLY_SIGNAL,
    EventKind.NEW_DEADLINE,
)


def primary_kind(kinds: Iterable[EventKind]) -> EventKind:
    """The kind that names an alert: the first of PRECEDENCE among the alert's events."""
    present = set(kinds)
    if not present:
        raise ValueError("an alert needs at least one event")
    return next(kind for kind in PRECEDENCE if kind in present)


def highest_severity(severities: Iterable[Severity]) -> Severity:
    order = (Severity.HIGH, Severity.MEDIUM, Severity.INFO)
    present = set(severities)
    return next((s for s in order if s in present), Severity.INFO)


@dataclass(frozen=True)
class Event:
    kind: EventKind
    severity: Severity
    case_number: str
    notice_document_number: str
    summary: str
    effective_date: date | None = None
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """Stable identity of the event: the same notice raising it twice is the same event."""
        extra = self.details.get("key_suffix", "")
        return f"{self.notice_document_number}:{self.case_number}:{self.kind.value}{extra}"


def events_for_notice_kind(
    classification: Classification, *, case_number: str, document_number: str, title: str
) -> list[Event]:
    """The stage event a notice raises for one of its own cases (revocations whatever the kind)."""
    events: list[Event] = []
    mapped = KIND_EVENTS.get(classification.kind)
    if classification.revokes is not Revokes.NONE:
        scope = "in full" if classification.revokes is Revokes.FULL else "in part"
        events.append(
            Event(
                EventKind.REVOCATION,
                Severity.HIGH,
                case_number,
                document_number,
                f"Order revoked {scope}: {title}",
                details={"revokes": classification.revokes.value},
            )
        )
        if mapped and mapped[0] is EventKind.REVOCATION:
            return events
    if mapped and classification.kind is not NoticeKind.COURT_DECISION:
        events.append(Event(mapped[0], mapped[1], case_number, document_number, title))
    return events


def _percent(value: Decimal | None) -> str:
    return "no rate" if value is None else f"{value.quantize(Decimal('0.01'))}%"


def _rate_text(value: Decimal | None) -> str:
    """Rates as the notice prints them (two decimals), whatever precision the database returns."""
    return "none" if value is None else _percent(value).rstrip("%")


def rate_change_event(
    *,
    case_number: str,
    document_number: str,
    company: str,
    old: Decimal | None,
    new: Decimal | None,
    effective: date | None,
) -> Event:
    return Event(
        EventKind.RATE_CHANGE,
        Severity.HIGH,
        case_number,
        document_number,
        f"Rate for {company} changed from {_percent(old)} to {_percent(new)}",
        effective_date=effective,
        details={
            "company": company,
            "old_rate": _rate_text(old),
            "new_rate": _rate_text(new),
            "key_suffix": f":{company}",
        },
    )
