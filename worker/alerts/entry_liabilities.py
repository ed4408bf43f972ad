"""Open liabilities of imported entries: what the governing results notice decided, by case and period."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlmodel import Session

from notifier.report_views import LiabilityView
from worker.storage import entry_rows
from worker.storage.models import Entry, EntryAssessment

OPEN_STATUSES = frozenset({"unliquidated", "suspended", "extended"})
# Which decision governs an entry decided by several notices (19 CFR 351.212; 19 U.S.C. 1516a(e)):
# a rescission, then a court decision or amended results, then final, then preliminary results.
_PRECEDENCE = {
    "rescission": 4,
    "no_review": 4,
    "court_decision": 3,
    "amended_final": 3,
    "final": 2,
    "preliminary": 1,
}


LIABILITY_COLUMNS = (
    "importer", "case_number", "period_start", "period_end", "entries", "deposit_paid_usd",
    "assessed_duty_usd", "difference_usd", "interest_usd", "net_usd", "projection",
    "liquidation_from", "liquidation_to", "interest_through", "notices",
)  # fmt: skip


@dataclass(frozen=True)
class Liability:
    """One importer's decided, unliquidated entries of one case and period, summed (USD to the cent)."""

    importer: str
    case_number: str
    period_start: date | None
    period_end: date | None
    entries: int
    deposit_paid: Decimal
    assessed_duty: Decimal
    difference: Decimal  # + owed, - refund
    interest: Decimal
    projection: bool  # some entries only projected from preliminary results
    notices: tuple[str, ...]
    liquidation_from: date | None
    liquidation_to: date | None  # deemed liquidation at the latest: a deadline
    interest_through: date | None
    decided_on: date | None = None  # the latest decision's day: when the liquidation window became known

    @property
    def net(self) -> Decimal:
        return self.difference + self.interest

    def as_record(self) -> LiabilityView:
        """As JSON or CSV fields (LIABILITY_COLUMNS): dates ISO, money as decimal strings to the cent."""

        def day(value: date | None) -> str | None:
            return value.isoformat() if value else None

        return {
            "importer": self.importer,
            "case_number": self.case_number,
            "period_start": day(self.period_start),
            "period_end": day(self.period_end),
            "entries": self.entries,
            "deposit_paid_usd": f"{self.deposit_paid:.2f}",
            "assessed_duty_usd": f"{self.assessed_duty:.2f}",
            "difference_usd": f"{self.difference:.2f}",
            "interest_usd": f"{self.interest:.2f}",
            "net_usd": f"{self.net:.2f}",
            "projection": self.projection,
            "liquidation_from": day(self.liquidation_from),
            "liquidation_to": day(self.liquidation_to),
            "interest_through": day(self.interest_through),
            "notices": " ".join(self.notices),
        }


def governing(assessments: Iterable[EntryAssessment]) -> EntryAssessment | None:
    """The assessment that decides the entry now: by kind of notice, then the newest decision."""
    ranked = sorted(
        assessments,
        key=lambda a: (_PRECEDENCE.get(a.notice_kind, 0), a.decided_at is not None, a.decided_at, a.id or 0),
    )
    return ranked[-1] if ranked else None


def open_liabilities(
    session: Session, *, importer: str | None = None, importer_ids: Iterable[int] | None = None
) -> list[Liability]:
    """Liabilities by importer, case and period, of entries not liquidated that a notice decided."""
    rows = [
        (entry, owner.name)
        for entry, owner in entry_rows.list_entries_with_importers(
            session, importer=importer, importer_ids=importer_ids
        )
        if entry.liquidation_status in OPEN_STATUSES
    ]
    by_entry: dict[int, list[EntryAssessment]] = defaultdict(list)
    for assessment in entry_rows.list_assessments(session, [e.id for e, _ in rows if e.id is not None]):
        by_entry[assessment.entry_id].append(assessment)
    groups: dict[tuple[str, str, date | None, date | None], list[tuple[Entry, EntryAssessment]]] = (
        defaultdict(list)
    )
    for entry, name in rows:
        decided = governing(by_entry.get(entry.id or 0, []))
        if decided is not None:
            groups[(name, entry.case_number, decided.period_start, decided.period_end)].append(
                (entry, decided)
            )
    return [_liability(key, members) for key, members in sorted(groups.items(), key=_order)]


def _order(item: tuple[tuple[str, str, date | None, date | None], object]) -> tuple[str, str, date]:
    name, case, start, _ = item[0]
    return name, case, start or date.min


def _liability(
    key: tuple[str, str, date | None, date | None], members: list[tuple[Entry, EntryAssessment]]
) -> Liability:
    name, case, start, end = key
    decided = [a for _, a in members]
    froms = [a.liquidation_from for a in decided if a.liquidation_from]
    tos = [a.liquidation_to for a in decided if a.liquidation_to]
    through = [a.interest_through for a in decided if a.interest_through]
    return Liability(
        importer=name,
        case_number=case,
        period_start=start,
        period_end=end,
        entries=len(members),
        deposit_paid=sum((e.deposit_paid for e, _ in members), Decimal("0.00")),
        assessed_duty=sum((a.assessed_duty for a in decided), Decimal("0.00")),
        difference=sum((a.difference for a in decided), Decimal("0.00")),
        interest=sum((a.interest for a in decided), Decimal("0.00")),
        projection=any(a.projection for a in decided),
        notices=tuple(sorted({a.notice_document_number for a in decided})),
        liquidation_from=min(froms) if froms else None,
        liquidation_to=max(tos) if tos else None,
        interest_through=max(through) if through else None,
        decided_on=max((a.decided_at.date() for a in decided if a.decided_at), default=None),
    )
