"""Turns a notice's events into outbox rows: which products they reach, which subscribers hear of it."""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session

from notifier.views import AlertView, CalendarEntryView, EventView, ProductView
from worker.alerts.alert_products import ProductLine as AlertProductLine
from worker.alerts.alert_products import alert_product_fields, products_to_show
from worker.alerts.audience import DIGEST_STATUS, known_from_baseline, local_today, switched_off, wants
from worker.alerts.deadline_calendar import calendar_entry
from worker.alerts.product_views import iter_product_views, subscriber_aliases
from worker.alerts.reach import ProductReach, find_reach, without_dismissed
from worker.alerts.views import (
    case_view,
    deadline_applies,
    deadline_key,
    event_view,
    notice_view,
    recipient_view,
)
from worker.catalog.events import Event, EventKind, highest_severity, primary_kind
from worker.rules.names import AliasTable
from worker.storage import case_rows, outbox_rows, people
from worker.storage.models import Alert, Case, CompanyRate, Importer, Notice, Subscriber


def _relevant(event: Event, case: Case | None) -> bool:
    """Separate-rate deadlines matter only in non-market-economy proceedings (19 CFR 351.107(d))."""
    if event.kind is not EventKind.NEW_DEADLINE or case is None:
        return True
    return deadline_applies(str(event.details.get("deadline_kind", "")), case.country)


def _alert_key(notice: Notice, subscriber_id: int, *, filing: bool) -> str:
    """A filing's alert has its own key, held or not: the published notice's alert never collides with it."""
    scope = "public_inspection" if filing else "notice"
    return f"{scope}:{notice.document_number}:subscriber:{subscriber_id}"


def _earlier_filing_alert(session: Session, *, subscriber_id: int, notice: Notice) -> Alert | None:
    """The alert the subscriber had of this notice's filing on public inspection (one lookup by its key)."""
    if notice.on_public_inspection:
        return None
    return outbox_rows.load_alert_by_key(session, _alert_key(notice, subscriber_id, filing=True))


def route_notice_events(
    session: Session,
    *,
    notice: Notice,
    events: Sequence[Event],
    now: datetime,
    threshold: int,
    citation: str | None = None,
) -> list[Alert]:
    """One alert per subscriber per notice, listing every event and product match that concerns them.

    Events a subscriber does not hear of at once (by role or switch) are kept for their weekly
    digest in a row that delivery never sends; what their baseline report already listed is not
    repeated as new.
    """
    if not events:
        return []
    case_numbers = sorted({e.case_number for e in events})
    cases = {c.case_number: c for c in case_rows.load_cases(session, case_numbers)}
    if not cases:
        return []
    events = [e for e in events if _relevant(e, cases.get(e.case_number))]
    by_importer = _reaches_by_importer(session, cases)
    if not by_importer:
        return []
    rates = case_rows.list_rates(session, list(cases))
    alerts: list[Alert] = []
    aliases: dict[int, AliasTable | None] = {}  # an importer's subscribers share its alias table
    for subscriber in people.list_subscribers(session, importer_ids=by_importer):
        assert subscriber.importer_id is not None
        if subscriber.importer_id not in aliases:
            aliases[subscriber.importer_id] = subscriber_aliases(session, subscriber)
        audience = _Audience(session, subscriber, notice=notice, now=now, citation=citation)
        alert = audience.alert(
            events,
            cases,
            by_importer[subscriber.importer_id],
            rates,
            threshold=threshold,
            aliases=aliases[subscriber.importer_id],
        )
        if (
            alert is not None
            and outbox_rows.save_alert_if_new(session, alert)
            and alert.status != DIGEST_STATUS
        ):
            alerts.append(alert)
    return alerts


def _reaches_by_importer(session: Session, cases: dict[str, Case]) -> dict[int, list[ProductReach]]:
    """The portfolio products the notice's cases likely reach (dismissals left out), by importer."""
    hts_rows = case_rows.list_case_hts(session, list(cases))
    products = people.list_products_in_countries(session, {c.country for c in cases.values()})
    reaches = without_dismissed(
        session, [r for r in find_reach(products, list(cases.values()), hts_rows) if r.likely]
    )
    by_importer: dict[int, list[ProductReach]] = defaultdict(list)
    for reach in reaches:
        by_importer[reach.product.importer_id].append(reach)
    return by_importer


class _Audience:
    """One subscriber hearing of one notice: what is news to them, and the alert that says it."""

    def __init__(
        self, session: Session, subscriber: Subscriber, *, notice: Notice, now: datetime, citation: str | None
    ) -> None:
        assert subscriber.id is not None and subscriber.importer_id is not None
        self.session = session
        self.subscriber = subscriber
        self.notice = notice
        self.now = now
        self.citation = citation
        self.today = local_today(now, subscriber.time_zone)
        importer = session.get(Importer, subscriber.importer_id)
        self.importer_name = importer.name if importer else ""

    def alert(
        self,
        events: Sequence[Event],
        cases: dict[str, Case],
        reaches: Sequence[ProductReach],
        rates: Sequence[CompanyRate],
        *,
        threshold: int,
        aliases: AliasTable | None,
    ) -> Alert | None:
        """Pending if they hear of it now, a digest row if only their weekly digest does, None when
        nothing in it is news to them. `aliases`: their importer's alias table (subscriber_aliases)."""
        subscriber = self.subscriber
        assert subscriber.importer_id is not None
        views_for = functools.partial(
            iter_product_views,
            rates=rates,
            today=self.today,
            threshold=threshold,
            changed_by=self.notice.document_number,
            aliases=aliases,
        )
        # One compact line per product; full views only for the few the email shows (alert_products).
        lines = [AlertProductLine.of(product_id, view) for product_id, view in views_for(reaches)]
        reaching = self._news(events, {r.case.case_number for r in reaches}, lines)
        now_events = [e for e in reaching if wants(subscriber, e.kind)]
        held = not now_events
        if held and not (reaching and subscriber.digest == "weekly"):
            return None
        shown = now_events or reaching
        shown_cases = sorted({e.case_number for e in shown})
        shown_lines = [line for line in lines if any(c in shown_cases for c in line.cases)]
        full = products_to_show(shown_lines)
        products_view: list[ProductView] = [
            {**p, "matches": [m for m in p["matches"] if m["case_number"] in shown_cases]}
            for _, p in views_for([r for r in reaches if r.product.id in full])
        ]
        payload = self._payload(shown, reaching, cases, products_view, shown_lines)
        return self._outbox_row(payload, shown_cases, held=held)

    def _news(
        self, events: Sequence[Event], reached_cases: set[str], lines: Sequence[AlertProductLine]
    ) -> list[Event]:
        """Events on the subscriber's cases that are news to them: a rate change only for a company
        whose rate for their products moved; nothing their baseline report listed; nothing switched off."""
        assert self.subscriber.id is not None
        known_deadlines, known_notices = known_from_baseline(self.session, self.subscriber.id)
        changed = {pair for line in lines for pair in line.changed}

        def is_news(e: Event) -> bool:
            if e.case_number not in reached_cases:
                return False
            if f"{self.notice.document_number}:{e.case_number}" in known_notices:
                return False
            if (
                e.kind is EventKind.RATE_CHANGE
                and (e.case_number, str(e.details.get("company", ""))) not in changed
            ):
                return False
            if e.kind is EventKind.NEW_DEADLINE:
                kind = str(e.details.get("deadline_kind", ""))
                if deadline_key(e.case_number, kind, e.effective_date or "") in known_deadlines:
                    return False
            return not switched_off(self.subscriber, e.kind)

        return [e for e in events if is_news(e)]

    def _payload(
        self,
        shown: Sequence[Event],
        reaching: Sequence[Event],
        cases: dict[str, Case],
        products_view: list[ProductView],
        shown_lines: Sequence[AlertProductLine],
    ) -> AlertView:
        """The stored alert payload: what the notifier renders (the same JSON the golden emails show)."""
        notice, today = self.notice, self.today
        shown_cases = sorted({e.case_number for e in shown})
        kind = primary_kind(e.kind for e in shown)
        shown_views = [event_view(e, today=today) for e in shown]
        # At most MAX_PRODUCTS_SHOWN products (top exposure), the count, and the rest as a CSV.
        product_fields = alert_product_fields(
            products_view, shown_lines, shown_cases, filename=f"adcvd-products-{notice.document_number}.csv"
        )
        payload: AlertView = {
            "template": f"alert_{kind.value}",
            "kind": kind.value,
            "severity": highest_severity(e.severity for e in shown).value,
            "notice": notice_view(notice, citation=self.citation),
            "events": shown_views,
            "digest_events": [event_view(e, today=today) for e in reaching],
            "deadlines": [d for v in shown_views if (d := v["deadline"])],
            "cases": [case_view(cases[c]) for c in shown_cases],
            "products": product_fields["products"],
            "skus": product_fields["skus"],
            "product_count": product_fields["product_count"],
            "importer": self.importer_name,
            "role": self.subscriber.role,
            "recipient": recipient_view(self.subscriber, self.importer_name),
            "today": today.isoformat(),
        }
        if "products_csv" in product_fields:
            payload["products_csv"] = product_fields["products_csv"]
        calendar = self._calendar(shown_views, cases)
        if calendar:
            payload["ics"] = {
                "filename": f"adcvd-deadlines-{notice.document_number}.ics",
                "entries": calendar,
            }
        return payload

    def _calendar(self, shown_views: Sequence[EventView], cases: dict[str, Case]) -> list[CalendarEntryView]:
        """One calendar entry per deadline the alert shows, named for the subscriber's importer."""
        return [
            calendar_entry(
                key=deadline_key(e["case_number"], deadline["kind"], deadline["due"]),
                label=deadline["label"],
                importer=self.importer_name,
                case_number=e["case_number"],
                due=deadline["due"],
                product=cases[e["case_number"]].product,
                sentence=deadline["sentence"],
                citation=deadline["citation"],
                url=self.notice.html_url or "",
                now=self.now,
            )
            for e in shown_views
            if (deadline := e["deadline"])
        ]

    def _outbox_row(self, payload: AlertView, shown_cases: list[str], *, held: bool) -> Alert:
        """The alert row; a published notice's alert completes (and threads with) its filing's alert."""
        notice, subscriber, now = self.notice, self.subscriber, self.now
        assert subscriber.id is not None
        earlier = _earlier_filing_alert(self.session, subscriber_id=subscriber.id, notice=notice)
        thread_key = "case:" + shown_cases[0]
        if earlier is not None:
            payload["completes"] = earlier.dedupe_key
            thread_key = earlier.thread_key  # a filing's candidate cases may start with another case
        return Alert(
            dedupe_key=_alert_key(notice, subscriber.id, filing=notice.on_public_inspection),
            subscriber_id=subscriber.id,
            kind=payload["kind"],
            case_number=",".join(shown_cases),
            notice_document_number=notice.document_number,
            thread_key=thread_key,
            payload=dict(payload),
            status=DIGEST_STATUS if held else "pending",
            created_at=now,
            next_attempt_at=None if held else now,
        )
