"""Deadlines per importer (from notices and from the review-request rule) and the reminder ladder."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from sqlmodel import Session

from notifier.report_views import DeadlineItemView, DeadlineProductView, ReminderView
from notifier.views import CalendarEntryView
from watchers.business_days import add_business_days, business_days_between
from watchers.review_request import REVIEW_REQUEST_CITATION, next_review_request_due
from worker.alerts.audience import local_today, switched_off, wants
from worker.alerts.deadline_calendar import calendar_entry
from worker.alerts.entry_liabilities import Liability, open_liabilities
from worker.alerts.reach import ProductReach, load_reach
from worker.alerts.views import (
    DEADLINE_ADVICE,
    DEFAULT_ADVICE,
    deadline_applies,
    deadline_key,
    deadline_label,
    recipient_view,
)
from worker.rules.countries import country_name
from worker.storage import store
from worker.storage.models import Alert, Case, Importer, Subscriber

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
            )
        )
    return sorted(merged, key=lambda i: (i.due, i.case_number, i.kind))


def reminder_dates(due: date, ladder: Sequence[int]) -> list[tuple[int, date]]:
    """Each rung of the ladder: `n` business days before the due date (0: the due date), earliest first."""
    return sorted(((n, add_business_days(due, -n)) for n in set(ladder)), key=lambda r: -r[0])


def due_rung(due: date, *, today: date, ladder: Sequence[int], known_since: date | None) -> int | None:
    """The rung to send today, if any: the latest rung reached, never after the deadline.

    Rungs missed while the worker was down are not sent one after another: only the latest
    reached one is. A rung on or before the day the deadline became known is not sent either:
    the new-deadline alert (or the baseline report) told the subscriber that day.
    """
    if today > due:
        return None
    reached = [(n, day) for n, day in reminder_dates(due, ladder) if day <= today]
    if not reached:
        return None
    rung, day = min(reached, key=lambda r: r[0])
    if known_since is not None and day <= known_since:
        return None
    return rung


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


def collect_deadlines(session: Session, *, importer_id: int, today: date, until: date) -> list[DeadlineItem]:
    """Deadlines due from `today` to `until` for cases that reach the importer's products.

    Deadlines read from notices, plus the review-request window of every order that reaches a
    product (the last day of its anniversary month); one deadline found both ways is listed once.
    """
    reaches = [
        r for r in load_reach(session, importer_ids=[importer_id]) if r.case.status not in CLOSED_STATUSES
    ]
    by_case: dict[str, list[ProductReach]] = defaultdict(list)
    cases: dict[str, Case] = {}
    for reach in reaches:
        by_case[reach.case.case_number].append(reach)
        cases[reach.case.case_number] = reach.case
    items: dict[str, DeadlineItem] = {}
    stored = [
        d for d in store.list_deadlines(session, due_from=today, due_to=until) if d.case_number in cases
    ]
    notices = store.load_notices(session, (d.notice_document_number for d in stored))
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
        current = items.get(item.key)
        if current is None or (seen or date.max) < (current.known_since or date.max):
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
        )
        stated = items.get(rule.key)
        # The notice gives the sentence; the rule says it was knowable since the order.
        items[rule.key] = replace(stated, known_since=None) if stated else rule
    result = []
    for item in items.values():
        reached = sorted(by_case[item.case_number], key=lambda r: r.product.sku)
        result.append(
            replace(
                item,
                skus=tuple(r.product.sku for r in reached),
                products=tuple(_product_view(r) for r in reached),
            )
        )
    return merge_shared(result + entry_deadlines(session, importer_id=importer_id, today=today, until=until))


DEEMED_LIQUIDATION = "deemed_liquidation"
DEEMED_LIQUIDATION_CITATION = "19 U.S.C. 1504(d)"


def entry_deadlines(session: Session, *, importer_id: int, today: date, until: date) -> list[DeadlineItem]:
    """The deemed-liquidation day of the importer's own decided entries, by case and period (their
    subscribers only: entries are confidential), due from `today` to `until`."""
    items = []
    for item in open_liabilities(session, importer_ids=[importer_id]):
        due = item.liquidation_to
        if due is None or not today <= due <= until:
            continue
        case = store.load_case(session, item.case_number)
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
    )


def reminder_payload(
    item: DeadlineItem,
    *,
    subscriber: Subscriber,
    importer: str,
    today: date,
    now: datetime,
    rung: int,
    ladder: Sequence[int],
) -> ReminderView:
    return {
        "template": "reminder",
        "kind": "reminder",
        "severity": "high" if rung <= 2 else "medium",
        "rung": rung,
        "deadline": deadline_view(item, today=today),
        "importer": importer,
        "recipient": recipient_view(subscriber, importer),
        "today": today.isoformat(),
        "ics": {
            "filename": f"adcvd-{'+'.join(item.cases)}-{item.kind}-{item.due.isoformat()}.ics",
            "entries": [
                item_calendar_entry(
                    item, importer=importer, now=now, time_zone=subscriber.time_zone, ladder=ladder
                )
            ],
        },
    }


def horizon(today: date, ladder: Sequence[int]) -> date:
    return add_business_days(today, max(ladder, default=0))


def reminder_kinds(subscriber: Subscriber) -> frozenset[str] | None:
    """The deadline kinds a subscriber is reminded of: None for every kind, empty for none.

    Counsel (and anyone who switched reminders on) hear of every deadline. Importers hear of the
    review-request window of their matched orders by default, as the order alert promises them;
    switching reminders off silences that too.
    """
    if wants(subscriber, "reminder"):
        return None
    if subscriber.role == "importer" and not switched_off(subscriber, "reminder"):
        return frozenset({REVIEW_REQUEST})
    return frozenset()


def queue_reminders(session: Session, *, now: datetime, ladder: Sequence[int]) -> list[Alert]:
    """Queue today's rung of every deadline for each subscriber who wants reminders, once each."""
    queued: list[Alert] = []
    cache: dict[tuple[int, date], list[DeadlineItem]] = {}
    for subscriber in store.list_subscribers(session):
        kinds = reminder_kinds(subscriber)
        if subscriber.importer_id is None or subscriber.id is None or kinds == frozenset():
            continue
        today = local_today(now, subscriber.time_zone)
        key = (subscriber.importer_id, today)
        if key not in cache:
            cache[key] = collect_deadlines(
                session, importer_id=subscriber.importer_id, today=today, until=horizon(today, ladder)
            )
        joined = local_today(subscriber.created_at, subscriber.time_zone) if subscriber.created_at else None
        importer = session.get(Importer, subscriber.importer_id)
        for item in cache[key]:
            if kinds is not None and item.kind not in kinds:
                continue
            known = max((d for d in (item.known_since, joined) if d is not None), default=None)
            rung = due_rung(item.due, today=today, ladder=ladder, known_since=known)
            if rung is None:
                continue
            alert = Alert(
                dedupe_key=f"reminder:{item.key}:{rung}:{subscriber.id}",
                subscriber_id=subscriber.id,
                kind="reminder",
                case_number=",".join(item.cases),
                notice_document_number=item.notice_document_number,
                thread_key=f"case:{item.cases[0]}",
                payload=dict(
                    reminder_payload(
                        item,
                        subscriber=subscriber,
                        importer=importer.name if importer else "",
                        today=today,
                        now=now,
                        rung=rung,
                        ladder=ladder,
                    )
                ),
                created_at=now,
                next_attempt_at=now,
            )
            if store.save_alert_if_new(session, alert):
                queued.append(alert)
    return queued
