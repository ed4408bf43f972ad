"""The alert a results notice sends an importer's subscribers and counsel: per-entry figures and totals."""

from __future__ import annotations

import base64
import csv
import gzip
import io
from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session

from notifier.entry_views import DatedWindowView, EntryAssessmentView, EntryRowView, EntryTotalsView
from notifier.views import ProductsCsvView
from worker.alerts.audience import local_today, switched_off
from worker.alerts.views import notice_view, recipient_view
from worker.entries.decide import Decision
from worker.rules.assessment import (
    NOTE_ITC_FINAL_UNKNOWN,
    RULE_NO_INTEREST_BEFORE_ORDER,
    RULE_PROVISIONAL_CAP,
    EntryAssessment,
)
from worker.rules.money import ROUNDING_RULE
from worker.rules.review_period import RULE_BEFORE_SUSPENSION, RULE_GAP
from worker.storage import case_rows, outbox_rows, people
from worker.storage.models import Alert, Notice, Subscriber

ALERT_KIND = "entry_assessment"
MAX_ENTRIES_SHOWN = 50  # in the email's table; the attached CSV has every entry
ROLES = frozenset({"importer", "counsel"})  # ops read the weekly digest's open liabilities
WINDOW_LABELS = {
    "instructions": "Commerce's instructions to CBP",
    "liquidation": "Liquidation by CBP",
    "deemed_liquidation": "Deemed liquidated at the deposit, if CBP has not liquidated",
    "suspended_by_appeal": "Liquidation suspended by an appeal",
}


def shown_entry_number(number: str) -> str:
    """AB100000012 as CBP prints it: AB1-0000001-2 (filer code, number, check digit)."""
    return f"{number[:3]}-{number[3:10]}-{number[10:]}" if len(number) == 11 else number


def _money(value: object) -> str:
    return f"{value:.2f}"


# What the order's dates did to an entry's figures, in a few words (the rules list says why in full).
ORDER_DATE_EFFECTS = (
    (RULE_BEFORE_SUSPENSION, "entered before the suspension of liquidation: no duty, deposit refunded"),
    (RULE_GAP, "entered in the gap after provisional measures: no duty, deposit refunded"),
    (RULE_PROVISIONAL_CAP, "entered before the ITC's final determination: no more than the deposit"),
    (RULE_NO_INTEREST_BEFORE_ORDER, "entered before the order: no interest"),
    (NOTE_ITC_FINAL_UNKNOWN, "the ITC's publication date unknown: cap and gap not applied"),
)


def order_date_effects(assessed: EntryAssessment) -> str:
    said = " ".join((assessed.difference_rule, assessed.interest_rule, *assessed.notes))
    return "; ".join(effect for rule, effect in ORDER_DATE_EFFECTS if rule in said)


def entry_rows_view(decision: Decision) -> list[EntryRowView]:
    rows: list[EntryRowView] = []
    for decided in decision.entries:
        entry, assessed = decided.entry, decided.assessment
        rows.append(
            {
                "entry_number": shown_entry_number(entry.entry_number),
                "entry_date": entry.entry_date.isoformat(),
                "sku": entry.sku,
                "company": entry.exporter or entry.producer,
                "company_match": decided.row.company_match,
                "entered_value": _money(entry.entered_value),
                "deposit_rate": f"{entry.deposit_rate.normalize():f}",
                "deposit_paid": _money(entry.deposit_paid),
                "rate": f"{assessed.rate.rate_pct.normalize():f}",
                "rate_which": assessed.rate.which,
                "assessed_duty": _money(assessed.assessed_duty_usd),
                "difference": _money(assessed.difference_usd),
                "interest": _money(assessed.interest_usd),
                "total": _money(assessed.total_usd),
                "order_dates": order_date_effects(assessed),
            }
        )
    return rows


def totals_view(decision: Decision) -> EntryTotalsView:
    totals = decision.totals
    return {
        "entries": totals.entries,
        "deposit_paid": _money(totals.deposit_paid_usd),
        "assessed_duty": _money(totals.assessed_duty_usd),
        "owed": _money(totals.owed_usd),
        "refund": _money(totals.refund_usd),
        "interest_owed": _money(totals.interest_owed_usd),
        "interest_refund": _money(totals.interest_refund_usd),
        "net": _money(totals.net_usd),
        "direction": "owed" if totals.net_usd > 0 else "refund" if totals.net_usd < 0 else "none",
    }


def windows_view(decision: Decision) -> list[DatedWindowView]:
    return [
        {
            "kind": w.kind,
            "label": WINDOW_LABELS.get(w.kind, w.kind),
            "earliest": w.earliest.isoformat() if w.earliest else None,
            "latest": w.latest.isoformat() if w.latest else None,
            "rule": w.rule,
        }
        for w in decision.outlook.windows
    ]


def rules_view(decision: Decision) -> list[str]:
    """Each distinct rule the figures follow, in the order a reader checks them."""
    found: list[str] = []
    for decided in decision.entries:
        a = decided.assessment
        for rule in (
            a.rate.rule,
            a.assessed_rule,
            a.difference_rule,
            a.interest_rule,
            *a.notes,
            *a.rate.notes,
        ):
            if rule and rule not in found:
                found.append(rule)
    return [*found, ROUNDING_RULE]


def assessment_view(
    decision: Decision,
    notice: Notice,
    subscriber: Subscriber,
    *,
    product: str,
    now: datetime,
    citation: str | None,
) -> EntryAssessmentView:
    results = decision.notice
    first = decision.entries[0].row
    rows = entry_rows_view(decision)
    view: EntryAssessmentView = {
        "template": ALERT_KIND,
        "kind": ALERT_KIND,
        "severity": "medium" if any(d.row.projection for d in decision.entries) else "high",
        "notice": notice_view(notice, citation=citation),
        "case_number": results.case_number,
        "product": product,
        "results_kind": results.kind,
        "projection": any(d.row.projection for d in decision.entries),
        "period_start": results.period_start.isoformat() if results.period_start else None,
        "period_end": results.period_end.isoformat() if results.period_end else None,
        "entries": rows[:MAX_ENTRIES_SHOWN],
        "entry_count": len(rows),
        "totals": totals_view(decision),
        "windows": windows_view(decision),
        "interest_through": first.interest_through.isoformat() if first.interest_through else None,
        "rules": rules_view(decision),
        "importer": decision.importer.name,
        "role": subscriber.role,
        "recipient": recipient_view(subscriber, decision.importer.name),
        "today": local_today(now, subscriber.time_zone).isoformat(),
    }
    if len(rows) > MAX_ENTRIES_SHOWN:
        view["products_csv"] = entries_csv(rows, filename=f"adcvd-entries-{notice.document_number}.csv")
    return view


def entries_csv(rows: list[EntryRowView], *, filename: str) -> ProductsCsvView:
    """Every entry's figures as CSV, gzip-compressed in base64 (the attachment delivery sends)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    content = buffer.getvalue().encode("utf-8")
    return {
        "filename": filename,
        "gzip_base64": base64.b64encode(gzip.compress(content, mtime=0)).decode("ascii"),
        "rows": len(rows),
        "left_out": 0,
    }


def entry_alerts(
    session: Session,
    notice: Notice,
    decisions: Sequence[Decision],
    *,
    now: datetime,
    citation: str | None = None,
) -> list[Alert]:
    """One alert per decision (importer and case) to each of the importer's own subscribers and
    counsel; an importer's entries never go to another importer's subscribers (caller commits)."""
    alerts: list[Alert] = []
    for decision in decisions:
        case = case_rows.load_case(session, decision.notice.case_number)
        product = case.product if case else ""
        assert decision.importer.id is not None
        for subscriber in people.list_subscribers(session, importer_ids=[decision.importer.id]):
            if subscriber.importer_id != decision.importer.id or subscriber.role not in ROLES:
                continue
            if switched_off(subscriber, ALERT_KIND):
                continue
            assert subscriber.id is not None
            payload = assessment_view(
                decision, notice, subscriber, product=product, now=now, citation=citation
            )
            alert = Alert(
                dedupe_key=f"entries:{notice.document_number}:{decision.notice.case_number}:subscriber:{subscriber.id}",
                subscriber_id=subscriber.id,
                kind=ALERT_KIND,
                case_number=decision.notice.case_number,
                notice_document_number=notice.document_number,
                thread_key=f"entries:{decision.importer.id}:{decision.notice.case_number}",
                payload=dict(payload),
                status="pending",
                created_at=now,
                next_attempt_at=now,
            )
            if outbox_rows.save_alert_if_new(session, alert):
                alerts.append(alert)
    return alerts
