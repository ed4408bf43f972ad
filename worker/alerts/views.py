"""The notice, event, case, deadline, recipient and calendar views an alert payload carries."""

from __future__ import annotations

from datetime import date

from notifier.views import CaseView, EventView, NoticeView, RecipientView
from watchers.business_days import business_days_between
from worker.catalog.events import Event, EventKind
from worker.rules.countries import country_name, is_non_market_economy
from worker.storage.models import Case, Notice, Subscriber

DEADLINE_LABELS: dict[str, str] = {
    "review_request": "Administrative review request window closes",
    "separate_rate_application": "Separate-rate application",
    "separate_rate_certification": "Separate-rate certification",
    "no_shipment_statement": "No-shipment statement",
    "review_request_withdrawal": "Withdrawal of a review request",
    "case_brief": "Case briefs",
    "rebuttal_brief": "Rebuttal briefs",
    "hearing_request": "Hearing request",
    "sunset_intent_to_participate": "Sunset review: notice of intent to participate",
    "sunset_substantive_response": "Sunset review: substantive response",
    "annual_inquiry_service_list": "Annual inquiry service list",
    "scope_comments": "Scope comments",
    "deemed_liquidation": "Your entries are deemed liquidated at the deposit unless CBP liquidates them",
}


DEADLINE_ADVICE: dict[str, str] = {
    "review_request": "Decide whether to request an administrative review of your suppliers (or to ask "
    "them to): a review is the only way the deposits paid become a lower (or higher) final duty; "
    "without one, entries are assessed at the deposit rate.",
    "separate_rate_application": "Make sure your Chinese or Vietnamese suppliers file their separate-rate "
    "application on time: a missed filing means the country-wide entity rate.",
    "separate_rate_certification": "Make sure your suppliers that already hold a separate rate certify it "
    "on time: a missed certification means the country-wide entity rate.",
    "no_shipment_statement": "A supplier under review that made no shipments must tell Commerce "
    "by this date.",
    "review_request_withdrawal": "A party that requested this review can still withdraw the request.",
    "case_brief": "Comments on the preliminary results are due: the final rate may move on them.",
    "rebuttal_brief": "Rebuttals to the case briefs are due.",
    "hearing_request": "Ask for a hearing by this date if you want one.",
    "annual_inquiry_service_list": "Join the annual inquiry service list to be served with scope and "
    "circumvention filings on this order.",
    "deemed_liquidation": "Watch CBP's liquidation notices for these entries: a bill (or refund) at the "
    "results' rate comes before this day, and a protest is due 180 days after liquidation (19 U.S.C. 1514).",
}


DEFAULT_ADVICE = "File, or confirm your counsel files, before the due date; the sentence above is the source."


NME_ONLY_DEADLINES = frozenset({"separate_rate_application", "separate_rate_certification"})


def deadline_applies(kind: str, country: str) -> bool:
    """Separate-rate deadlines matter only in non-market-economy proceedings (19 CFR 351.107(d))."""
    return kind not in NME_ONLY_DEADLINES or is_non_market_economy(country)


def notice_view(notice: Notice, *, citation: str | None = None) -> NoticeView:
    return {
        "document_number": notice.document_number,
        "title": notice.title,
        "kind": notice.kind,
        "publication_date": notice.publication_date.isoformat() if notice.publication_date else None,
        "effective_date": notice.effective_date.isoformat() if notice.effective_date else None,
        "html_url": notice.html_url or "",
        "pdf_url": notice.pdf_url or "",
        "citation": citation or "",
        "source": notice.source,
        "on_public_inspection": notice.on_public_inspection,
        "is_correction": notice.is_correction,
    }


def deadline_label(kind: str) -> str:
    return DEADLINE_LABELS.get(kind, kind.replace("_", " ").capitalize())


def event_view(event: Event, *, today: date) -> EventView:
    details = {k: v for k, v in event.details.items() if k != "key_suffix"}
    view: EventView = {
        "kind": event.kind.value,
        "severity": event.severity.value,
        "case_number": event.case_number,
        "summary": event.summary,
        "effective_date": event.effective_date.isoformat() if event.effective_date else None,
        "details": details,
        "deadline": None,
    }
    if event.kind is EventKind.NEW_DEADLINE and event.effective_date is not None:
        kind = str(details.get("deadline_kind", ""))
        view["deadline"] = {
            "case_number": event.case_number,
            "kind": kind,
            "label": deadline_label(kind),
            "due": event.effective_date.isoformat(),
            "business_days_left": business_days_between(today, event.effective_date),
            "sentence": str(details.get("sentence", "")),
            "citation": str(details.get("citation", "")),
            "advice": DEADLINE_ADVICE.get(kind, DEFAULT_ADVICE),
        }
    return view


def case_view(case: Case) -> CaseView:
    return {
        "case_number": case.case_number,
        "case_type": case.case_type,
        "country": case.country,
        "country_name": case.country_name or country_name(case.country),
        "product": case.product,
        "status": case.status,
        "non_market_economy": is_non_market_economy(case.country),
    }


def recipient_view(subscriber: Subscriber, importer: str) -> RecipientView:
    return {
        "email": subscriber.email,
        "role": subscriber.role,
        "importer": importer,
        "time_zone": subscriber.time_zone,
    }


def deadline_key(case_number: str, kind: str, due: date | str) -> str:
    day = due if isinstance(due, str) else due.isoformat()
    return f"{case_number}:{kind}:{day}"
