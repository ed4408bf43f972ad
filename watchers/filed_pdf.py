"""A filed PDF from the public-inspection desk read as text: its own case numbers, subject and kind."""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from watchers.case_numbers import extract_case_numbers
from watchers.classify import classify_notice
from watchers.federal_register import ITA_AGENCY_SLUG
from watchers.http import Fetcher, SourceError
from watchers.records import Classification

log = logging.getLogger(__name__)
PI_PDF_HOST = "public-inspection.federalregister.gov"  # where the desk's pdf_url points
_AGENCY_LINE = re.compile(r"^\s*AGENCY\s*:", re.MULTILINE)
_BRACKETS = re.compile(r"\[([^\]]{5,200})\]")
MAX_PDF_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class FiledPdf:
    """What the filed copy says before publication; rates are left to the published XML."""

    case_numbers: tuple[str, ...]
    subject: str | None
    classification: Classification


def pdf_text(data: bytes) -> str:
    """Every page's text; SourceError when the bytes are not a readable, text-bearing PDF."""
    if len(data) > MAX_PDF_BYTES:
        raise SourceError(f"filed PDF too large ({len(data)} bytes)")
    try:
        reader = PdfReader(io.BytesIO(data))
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
    except (PyPdfError, ValueError, KeyError, TypeError) as exc:
        raise SourceError(f"filed PDF could not be read: {exc}") from exc
    if not text.strip():
        raise SourceError("filed PDF has no text layer (a scan)")
    return text


def read_filed_pdf(text: str) -> FiledPdf:
    """The head (before 'AGENCY:') holds the bracketed case numbers and the subject line(s)."""
    agency = _AGENCY_LINE.search(text)
    head = text[: agency.start()] if agency else text[:2000]
    brackets = list(_BRACKETS.finditer(head))
    own = tuple(n for b in brackets for n in extract_case_numbers(b.group(1)))
    subject = None
    if brackets and agency:
        subject = " ".join(head[brackets[-1].end() :].split()) or None
    classification = classify_notice(
        title=subject or "", agencies=(ITA_AGENCY_SLUG,), docket_ids=own, full_text=text
    )
    return FiledPdf(case_numbers=own, subject=subject, classification=classification)


def pdf_fetch_url(pdf_url: str, pdf_base_url: str) -> str | None:
    """The desk's PDF address on the configured host (a local server in tests); None for any other
    host, which is never asked."""
    parts = urlsplit(pdf_url)
    base = urlsplit(pdf_base_url)
    if parts.hostname not in {PI_PDF_HOST, base.hostname}:
        return None
    return urlunsplit((base.scheme, base.netloc, base.path.rstrip("/") + parts.path, "", ""))


async def fetch_filed_pdf(fetcher: Fetcher, pdf_url: str, *, pdf_base_url: str) -> FiledPdf | None:
    """The filed copy read, or None when it is not there (yet): a 404, the site's HTML page, another
    host. SourceError when it is there but cannot be read."""
    url = pdf_fetch_url(pdf_url, pdf_base_url)
    if url is None:
        log.info("filed PDF %s is not on the configured host; not fetched", pdf_url)
        return None
    result = await fetcher.get(url, accept="application/pdf")
    body = result.body or b""
    if result.status == 404 or (result.status == 200 and not body.startswith(b"%PDF")):
        return None
    if result.status != 200:
        raise SourceError(f"filed PDF {pdf_url}: HTTP {result.status}")
    return read_filed_pdf(pdf_text(body))
