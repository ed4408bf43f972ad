"""The deadlines ahead of each importer: stated in notices, set by the review-request rule, and the
deemed-liquidation days of its own decided entries; as views and calendar events."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time

from sqlmodel import Session

from notifier.report_views import DeadlineItemView, DeadlineProductView
from notifier.views import CalendarEntryView
from watchers.business_days import business_days_between
from watchers.review_request import REVIEW_REQUEST_CITATION, next_review_request_due
from worker.alerts.deadline_calendar import calendar_entry
from worker.alerts.entry_liabilities import Liability, open_liabilities
from worker.alerts.reach import ProductReach, load_reach
from worker.alerts.views import (
    DEADLINE_ADVICE,
    DEFAULT_ADVICE,
    deadline_applies,
    deadline_key,
    deadline_label,
)
from worker.rules.countries import country_name
from worker.storage import case_rows, notice_rows
from worker.storage.models import Case

CLOSED_STATUSES = frozenset({"revoked", "terminated"})
REVIEW_REQUEST = "review_request"


@dataclass(frozen=True)
class DeadlineItem:
    """A deadline for one case, with the sentence it came from and the products it concerns."""

    case_number: str
    kind: str
    due: date
    sentence: str
    citation: str
    notice_document_number: str  # '' when the date comes from a rule, not a notice
    notice_url: str
    source: str  # notice or rule
    known_since: date | None  # the day the deadline became known (None: since the order)
    case_product: str
    country: str
    skus: tuple[str, ...] = ()
    products: tuple[DeadlineProductView, ...] = field(default=())
    case_numbers: tuple[str, ...] = ()  # the AD and CVD cases sharing this deadline, when merged
    statements: int = 1  # the notices (and the review-request rule) that state it, counted
    revised_at: datetime | None = None  # when the newest of them became known

    @property
    def cases(self) -> tuple[str, ...]:
        return self.case_numbers or (self.case_number,)

    @property
    def key(self) -> str:
        return deadline_key("+".join(self.cases), self.kind, self.due)

    @property
    def case_keys(self) -> tuple[str, ...]:
        """One key per case, as routing names a new-deadline event."""
        return tuple(deadline_key(case, self.kind, self.due) for case in self.cases)


def merge_shared(items: Sequence[DeadlineItem]) -> list[DeadlineItem]:
    """One deadline for the AD and CVD cases that share it (same kind, day, source and products)."""
    groups: dict[tuple[str, date, str, tuple[str, ...]], list[DeadlineItem]] = defaultdict(list)
    for item in items:
        groups[(item.kind, item.due, item.notice_document_number, item.skus)].append(item)
    merged = []
    for members in groups.values():
        first = members[0]
        numbers = tuple(sorted(m.case_number for m in members))
        known = [m.known_since for m in members]
        merged.append(
            replace(
                first,
                case_number=numbers[0],
                case_numbers=numbers,
                known_since=None if None in known else min(d for d in known if d is not None),
                statements=max(m.statements for m in members),
                revised_at=_latest(m.revised_at for m in members),
            )
        )
    return sorted(merged, key=lambda i: (i.due, i.case_number, i.kind))


def _product_view(reach: ProductReach) -> DeadlineProductView:
    p = reach.product
    return {
        "sku": p.sku,
        "description": p.description,
        "hts": p.hts,
        "country": p.country,
        "level": reach.level,
        "listed_hts": reach.listed_hts,
        "standing": reach.standing,
        "confidence": reach.confidence,
    }


def _latest(moments: Iterable[datetime | None]) -> datetime | None:
    return max((m for m in moments if m is not None), default=None)


def collect_deadlines(
    session: Session,
    *,
    importer_id: int,
    today: date,
    until: date,
    reaches: Sequence[ProductReach] | None = None,
) -> list[DeadlineItem]:
    """Deadlines due from `today` to `until` for cases that reach the importer's products.

    Deadlines read from notices, plus the review-request window of every order that reaches a
    product (the last day of its anniversary month); one deadline found both ways is listed once,
    and an AD and a CVD case sharing one are listed once (merge_shared). `reaches`: the importer's
    open_reaches, when the caller has matched the portfolio already.
    """
    found = case_deadlines_by_importer(
        session, importer_ids=[importer_id], today=today, until=until, reaches=reaches
    )
    return merge_shared(found.get(importer_id, []))


def open_reaches(session: Session, importer_ids: Sequence[int]) -> list[ProductReach]:
    """The importers' products' likely reaches of cases not closed: what their deadlines are about."""
    return [r for r in load_reach(session, importer_ids=importer_ids) if r.case.status not in CLOSED_STATUSES]


def case_deadlines_by_importer(
    session: Session,
    *,
    importer_ids: Sequence[int],
    today: date,
    until: date,
    reaches: Sequence[ProductReach] | None = None,
) -> dict[int, list[DeadlineItem]]:
    """Each importer's deadlines, one item per case (what a calendar feed keeps stable as cases join;
    collect_deadlines merges them), reading the catalog and the deadlines once; each importer's list
    ends with the deemed-liquidation days of its own decided entries.

    `reaches`: open_reaches of the same importers, when the caller asks for several windows.
    """
    if reaches is None:
        reaches = open_reaches(session, importer_ids)
    cases = {r.case.case_number: r.case for r in reaches}
    by_importer: dict[int, dict[str, list[ProductReach]]] = defaultdict(lambda: defaultdict(list))
    for reach in reaches:
        by_importer[reach.product.importer_id][reach.case.case_number].append(reach)
    items = _case_items(session, cases, today=today, until=until)
    found = {}
    for owner, by_case in by_importer.items():
        result = []
        for item in items.values():
            if item.case_number not in by_case:
                continue
            reached = sorted(by_case[item.case_number], key=lambda r: r.product.sku)
            result.append(
                replace(
                    item,
                    skus=tuple(r.product.sku for r in reached),
                    products=tuple(_product_view(r) for r in reached),
                )
            )
        found[owner] = result
    for owner in importer_ids:  # each importer's own entries only: they are confidential
        own = found.get(owner, []) + entry_deadlines(session, importer_id=owner, today=today, until=until)
        if own:
            found[owner] = sorted(own, key=lambda i: (i.due, i.case_number, i.kind))
    return found


def _case_items(
    session: Session, cases: dict[str, Case], *, today: date, until: date
) -> dict[str, DeadlineItem]:
    """Each case's deadlines due from `today` to `until`, by key: stated in notices, or by the rule."""
    items: dict[str, DeadlineItem] = {}
    stored = [
        d for d in case_rows.list_deadlines(session, due_from=today, due_to=until) if d.case_number in cases
    ]
    notices = notice_rows.load_notices(session, (d.notice_document_number for d in stored))
    for row in stored:
        case = cases[row.case_number]
        if not deadline_applies(row.kind, case.country):
            continue  # separate rates exist only in non-market-economy proceedings (19 CFR 351.107(d))
        notice = notices.get(row.notice_document_number)
        seen = notice.first_seen_at.date() if notice is not None and notice.first_seen_at else None
        item = DeadlineItem(
            case_number=row.case_number,
            kind=row.kind,
            due=row.due_date,
            sentence=row.sentence,
            citation=row.citation,
            notice_document_number=row.notice_document_number,
            notice_url=(notice.html_url or "") if notice else "",
            source="notice",
            known_since=seen,
            case_product=case.product,
            country=case.country,
        )
        item = replace(item, revised_at=notice.first_seen_at if notice is not None else None)
        current = items.get(item.key)
        if current is not None:  # stated again: count it; the first statement keeps the sentence
            first = item if (seen or date.max) < (current.known_since or date.max) else current
            item = replace(
                first,
                statements=current.statements + 1,
                revised_at=_latest((current.revised_at, item.revised_at)),
            )
        items[item.key] = item
    for number, case in cases.items():
        if case.status != "order" or case.order_date is None:
            continue
        due = next_review_request_due(case.order_date, today=today)
        if due > until:
            continue
        month = f"{date(due.year, case.order_date.month, 1):%B %Y}"
        rule = DeadlineItem(
            case_number=number,
            kind=REVIEW_REQUEST,
            due=due,
            sentence=f"Interested parties may request an administrative review during the anniversary month "
            f"of the order (published {case.order_date:%B} {case.order_date.day}, {case.order_date:%Y}); "
            f"requests are due by the last day of {month}.",
            citation=REVIEW_REQUEST_CITATION,
            notice_document_number="",
            notice_url="",
            source="rule",
            known_since=None,
            case_product=case.product,
            country=case.country,
            revised_at=datetime.combine(case.order_date, time(), UTC),
        )
        stated = items.get(rule.key)
        # The notice gives the sentence; the rule says it was knowable since the order.
        items[rule.key] = (
            replace(stated, known_since=None, statements=stated.statements + 1) if stated else rule
        )
    return items


DEEMED_LIQUIDATION = "deemed_liquidation"
DEEMED_LIQUIDATION_CITATION = "19 U.S.C. 1504(d)"


def entry_deadlines(session: Session, *, importer_id: int, today: date, until: date) -> list[DeadlineItem]:
    """The deemed-liquidation day of the importer's own decided entries, by case and period (their
    subscribers only: entries are confidential), due from `today` to `until`."""
    due_now = [
        item
        for item in open_liabilities(session, importer_ids=[importer_id])
        if item.liquidation_to is not None and today <= item.liquidation_to <= until
    ]
    cases = {c.case_number: c for c in case_rows.load_cases(session, {i.case_number for i in due_now})}
    items = []
    for item in due_now:
        due = item.liquidation_to
        assert due is not None
        case = cases.get(item.case_number)
        items.append(
            DeadlineItem(
                case_number=item.case_number,
                kind=DEEMED_LIQUIDATION,
                due=due,
                sentence=_deemed_sentence(item),
                citation=DEEMED_LIQUIDATION_CITATION,
                notice_document_number=item.notices[-1] if item.notices else "",
                notice_url="",
                source="rule",
                known_since=item.decided_on,
                case_product=case.product if case else "",
                country=case.country if case else "",
            )
        )
    return items


def _deemed_sentence(item: Liability) -> str:
    sign = "owed" if item.net > 0 else "refunded" if item.net < 0 else "no change"
    projected = ", projected" if item.projection else ""
    return (
        f"{item.entries} of your entries of the period {item.period_start} to {item.period_end}, decided by "
        f"FR Doc {', '.join(item.notices)} ({abs(item.net):,.2f} USD {sign} with interest{projected}), are "
        "deemed liquidated at the deposit if CBP has not liquidated them by this day."
    )


def deadline_view(item: DeadlineItem, *, today: date) -> DeadlineItemView:
    return {
        "key": item.key,
        "case_number": ", ".join(item.cases),
        "case_numbers": list(item.cases),
        "case_product": item.case_product,
        "country": item.country,
        "country_name": country_name(item.country),
        "kind": item.kind,
        "label": deadline_label(item.kind),
        "due": item.due.isoformat(),
        "business_days_left": business_days_between(today, item.due),
        "calendar_days_left": (item.due - today).days,
        "sentence": item.sentence,
        "citation": item.citation,
        "notice_document_number": item.notice_document_number,
        "notice_url": item.notice_url,
        "source": item.source,
        "advice": DEADLINE_ADVICE.get(item.kind, DEFAULT_ADVICE),
        "skus": list(item.skus),
        "products": list(item.products),
    }


def item_calendar_entry(
    item: DeadlineItem, *, importer: str, now: datetime, time_zone: str, ladder: Sequence[int] = ()
) -> CalendarEntryView:
    """The deadline's calendar event for one importer, with alarms on the business-day ladder."""
    return calendar_entry(
        key=item.key,
        label=deadline_label(item.kind),
        importer=importer,
        case_number="+".join(item.cases),
        due=item.due,
        product=item.case_product,
        sentence=item.sentence,
        citation=item.citation,
        url=item.notice_url,
        now=now,
        ladder=ladder,
        time_zone=time_zone,
        sequence=item.statements - 1,
        last_modified=item.revised_at,
    )
