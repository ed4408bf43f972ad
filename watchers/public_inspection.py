"""Federal Register public-inspection desk: build its requests, fetch the current list, parse DocumentMeta."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import httpx

from watchers.case_numbers import extract_case_numbers
from watchers.classify import classify_notice
from watchers.federal_register import (
    ITA_AGENCY_SLUG,
    cache_buster_params,
    decode_json,
    error_message,
    parse_document,
)
from watchers.filed_pdf import FiledPdf
from watchers.http import Fetcher, FetchResult, SourceError, Validators, describe_body
from watchers.pi_filing import FilingSubject, parse_filing_subject
from watchers.records import Classification, DocumentMeta, NoticeFacts


@dataclass(frozen=True, slots=True)
class Filing:
    """One document on the desk: its metadata and what its heading says."""

    meta: DocumentMeta
    subject: FilingSubject


def current_url(base_url: str) -> str:
    """Every document of the latest public-inspection issue: the one request of an idle poll."""
    return base_url.rstrip("/") + "/public-inspection-documents/current.json"


def available_on_url(base_url: str) -> str:
    return base_url.rstrip("/") + "/public-inspection-documents.json"


def build_available_on_params(
    available_on: date, *, agency: str = ITA_AGENCY_SLUG
) -> list[tuple[str, str | int | float | bool | None]]:
    """The issue of one day. api-core's render_date ignores every condition but available_on, so the
    agency is sent for intent and filtered again by the parser's caller (see select_agency_filings)."""
    return [
        ("conditions[available_on]", available_on.isoformat()),
        ("conditions[agencies][]", agency),
    ]


async def fetch_public_inspection(
    fetcher: Fetcher, *, base_url: str, validators: Validators | None, now: datetime | None = None
) -> FetchResult:
    """GET of current.json, past the shared cache when `now` is given (see cache_buster_params); a
    304 (body None) only if the server ever sends validators again (the API sends none today)."""
    params = httpx.QueryParams(cache_buster_params(now)) if now is not None else None
    return await fetcher.get(
        current_url(base_url), params=params, validators=validators, accept="application/json"
    )


async def fetch_available_on(fetcher: Fetcher, *, base_url: str, available_on: date) -> FetchResult:
    return await fetcher.get(
        available_on_url(base_url),
        params=httpx.QueryParams(build_available_on_params(available_on)),
        accept="application/json",
    )


def _document(item: Any) -> DocumentMeta:
    meta = parse_document(item)
    # A filing carries docket_numbers (not docket_ids) and no XML yet; its PDF is the filed copy.
    dockets = tuple(str(d).strip() for d in item.get("docket_numbers") or [] if d and str(d).strip())
    return DocumentMeta(
        document_number=meta.document_number,
        title=meta.title,
        publication_date=meta.publication_date,
        document_type=meta.document_type,
        agencies=meta.agencies,
        docket_ids=dockets or meta.docket_ids,
        html_url=meta.html_url,
        pdf_url=meta.pdf_url,
        on_public_inspection=True,
    )


def parse_filings(result: FetchResult) -> list[Filing]:
    """current.json or an available_on page: `{count, results[]}` (results may be empty, never absent
    in api-core, but tolerated), each document with its heading read (product, countries, ...);
    error and HTML bodies raise SourceError."""
    payload = decode_json(result)
    if result.status != 200:
        raise SourceError(
            f"Federal Register public inspection answered HTTP {result.status}: {error_message(payload)}"
        )
    if not isinstance(payload, dict) or "count" not in payload:
        raise SourceError(
            f"Federal Register public-inspection body has no count: {describe_body(result.body or b'')!r}"
        )
    raw_results = payload.get("results", [])
    if not isinstance(raw_results, list):
        raise SourceError("Federal Register public-inspection body: results is not a list")
    return [Filing(_document(item), parse_filing_subject(item)) for item in raw_results]


def select_agency_filings(filings: list[Filing], agency: str = ITA_AGENCY_SLUG) -> list[Filing]:
    return [f for f in filings if agency in f.meta.agencies]


# --- a filing as a finished record: its facts and classification -----------------------------

FILING_NOTE = "on public inspection: cases from the docket numbers only; publication completes the facts"
CANDIDATE_NOTE = (
    "on public inspection: the kind of notice and its cases are not known yet; candidate cases are the "
    "catalog's cases of the filed product and country"
)
PDF_NOTE = "on public inspection: cases and kind from the filed PDF; publication completes the facts"


def filing_facts(filing: Filing, pdf: FiledPdf | None = None) -> NoticeFacts:
    """Cases from the filed PDF, else the docket numbers; product and country from the heading."""
    meta, subject = filing.meta, filing.subject
    case_numbers = extract_case_numbers(" ".join(meta.docket_ids))
    if pdf is not None and pdf.case_numbers:
        case_numbers = pdf.case_numbers
    facts = NoticeFacts(
        document_number=meta.document_number,
        title=meta.title,
        publication_date=meta.publication_date,
        case_numbers=case_numbers,
        countries=subject.country_names,
        product=subject.product or None,
    )
    if pdf is not None and pdf.case_numbers:
        facts.unread.append(PDF_NOTE)
    else:
        facts.unread.append(FILING_NOTE if case_numbers else CANDIDATE_NOTE)
    return facts


def filing_classification(filing: Filing, pdf: FiledPdf | None) -> Classification:
    """The filed PDF's classification when it named the cases; else the desk title's (usually other)."""
    if pdf is not None and pdf.case_numbers:
        return pdf.classification
    meta = filing.meta
    return classify_notice(
        title=meta.title,
        agencies=meta.agencies,
        docket_ids=meta.docket_ids,
        document_type=meta.document_type or None,  # a Rule filed for inspection revokes nothing
    )
