"""Federal Register documents API: build the ITA search, fetch its pages, parse them into DocumentMeta."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx

from watchers.http import Fetcher, FetchResult, SourceError, Validators, describe_body
from watchers.records import DocumentMeta, SearchPage, SetAside

ITA_AGENCY_SLUG = "international-trade-administration"
CANONICAL_HOST = "www.federalregister.gov"
MAX_PAGES = 60  # the API caps a search at 50 pages; more means something is looping
SEARCH_FIELDS = (
    "abstract",
    "action",
    "agencies",
    "body_html_url",
    "citation",
    "dates",
    "docket_ids",
    "document_number",
    "full_text_xml_url",
    "html_url",
    "pdf_url",
    "publication_date",
    "title",
    "type",
)


def build_search_params(
    *, since: date, until: date | None = None, per_page: int = 1000, agency: str = ITA_AGENCY_SLUG
) -> list[tuple[str, str | int | float | bool | None]]:
    """Query for one agency's documents published in [since, until], oldest first."""
    params: list[tuple[str, str | int | float | bool | None]] = [
        ("conditions[agencies][]", agency),
        ("conditions[publication_date][gte]", since.isoformat()),
        ("order", "oldest"),
        ("per_page", str(per_page)),
    ]
    if until is not None:
        params.append(("conditions[publication_date][lte]", until.isoformat()))
    params.extend(("fields[]", name) for name in SEARCH_FIELDS)
    return params


# The API answers from a shared cache (cache-control no-store, an `age` header up to ~104 min, no
# ETag or Last-Modified): a query parameter it ignores makes each poll's URL new, so the answer
# is fresh. Rails drops unknown top-level parameters; only conditions[...] and fields[] are checked.
CACHE_BUSTER = "_"
BODY_HASH_PREFIX = "sha256:"


def cache_buster_params(now: datetime) -> list[tuple[str, str | int | float | bool | None]]:
    """One parameter that changes every poll (whole seconds of the poll's clock)."""
    return [(CACHE_BUSTER, str(int(now.timestamp())))]


def body_hash(body: bytes) -> str:
    """What the poll stores in place of an ETag: the API sends none, so change is a changed body."""
    return BODY_HASH_PREFIX + hashlib.sha256(body).hexdigest()


def server_validators(etag: str | None, last_modified: str | None) -> Validators | None:
    """Stored validators worth sending: a body hash is ours, not the server's, and is never sent."""
    real_etag = None if etag and etag.startswith(BODY_HASH_PREFIX) else etag
    if not real_etag and not last_modified:
        return None
    return Validators(real_etag, last_modified)


def search_url(base_url: str) -> str:
    return base_url.rstrip("/") + "/documents.json"


def rebase_url(url: str, base_url: str) -> str:
    """Point an absolute URL of the canonical site at the configured base (a local server in tests)."""
    parts = urlsplit(url)
    base = urlsplit(base_url)
    if not parts.scheme:
        return urlunsplit((base.scheme, base.netloc, parts.path, parts.query, ""))
    if parts.hostname == CANONICAL_HOST and base.hostname != CANONICAL_HOST:
        return urlunsplit((base.scheme, base.netloc, parts.path, parts.query, parts.fragment))
    return url


def decode_json(result: FetchResult) -> Any:
    body = result.body or b""
    try:
        return json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError):
        kind = "an HTML page" if b"<html" in body[:512].lower() else "a body that is not JSON"
        raise SourceError(
            f"Federal Register answered HTTP {result.status} with {kind}: {describe_body(body)!r}"
        ) from None


def error_message(payload: Any) -> str:
    if isinstance(payload, dict):
        if "message" in payload:
            return str(payload["message"])
        if "errors" in payload:
            return json.dumps(payload["errors"], sort_keys=True)
    return json.dumps(payload)[:200]


def parse_search_page(result: FetchResult) -> SearchPage:
    """One documents.json page; the zero-result body has no `results` key."""
    payload = decode_json(result)
    if result.status != 200:
        raise SourceError(f"Federal Register answered HTTP {result.status}: {error_message(payload)}")
    if not isinstance(payload, dict) or "count" not in payload:
        raise SourceError(f"Federal Register search body has no count: {describe_body(result.body or b'')!r}")
    raw_results = payload.get("results", [])
    if not isinstance(raw_results, list):
        raise SourceError("Federal Register search body: results is not a list")
    documents: list[DocumentMeta] = []
    set_aside: list[SetAside] = []
    for position, item in enumerate(raw_results, start=1):
        try:
            documents.append(parse_document(item))
        except SourceError as exc:
            set_aside.append(SetAside(identify(item, position), str(exc)))
    next_url = payload.get("next_page_url")
    return SearchPage(
        count=parse_count(payload["count"], listed=len(raw_results)),
        documents=tuple(documents),
        next_page_url=str(next_url) if next_url and isinstance(next_url, str) else None,
        set_aside=tuple(set_aside),
    )


def parse_count(value: Any, *, listed: int) -> int:
    """The total the API reports; not a whole number (a string, null, infinity) counts the page."""
    if isinstance(value, bool):
        return listed
    if isinstance(value, int):
        return max(value, listed)
    if isinstance(value, str) and value.strip().isdigit():
        return max(int(value.strip()), listed)
    return listed


def identify(item: Any, position: int) -> str:
    """A set-aside result named by its document number when it has a usable one, else by its place."""
    if isinstance(item, dict):
        number = item.get("document_number")
        if isinstance(number, str) and number.strip() and len(number) < 40:
            return clean(number)
    return f"result {position} ({clean(str(item))[:80]!r})"


def clean(text: str) -> str:
    """Text as a database can keep it: NUL and other C0 controls (but tab and newline) removed."""
    return "".join(ch for ch in text if ch >= " " or ch in "\t\n")


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str | int | float):
        raise SourceError(f"Federal Register document has a field that is not text: {str(value)[:60]!r}")
    text = clean(str(value)).strip()
    return text or None


def _strings(value: Any, field: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise SourceError(f"Federal Register document: {field} is not a list: {str(value)[:60]!r}")
    return value


def _date(value: Any) -> date | None:
    text = _text(value)
    if text is None:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError as exc:
        raise SourceError(f"Federal Register document has a bad date {text!r}") from exc


def parse_document(item: Any) -> DocumentMeta:
    """One search result or single-document body; SourceError names what makes it unreadable."""
    if not isinstance(item, dict) or not item.get("document_number") or not item.get("title"):
        raise SourceError(f"Federal Register result without document_number or title: {str(item)[:120]!r}")
    number, title = item["document_number"], item["title"]
    if not isinstance(number, str) or not isinstance(title, str):
        raise SourceError(f"Federal Register result whose document_number or title is not text: {number!r}")
    agencies = tuple(
        clean(str(agency.get("slug") or agency.get("name") or agency.get("raw_name") or ""))
        for agency in _strings(item.get("agencies"), "agencies")
        if isinstance(agency, dict)
    )
    docket_ids = tuple(clean(str(d)) for d in _strings(item.get("docket_ids"), "docket_ids") if d)
    return DocumentMeta(
        document_number=clean(number).strip(),
        title=" ".join(clean(title).split()),
        publication_date=_date(item.get("publication_date")),
        document_type=str(item.get("type") or ""),
        abstract=_text(item.get("abstract")),
        action=_text(item.get("action")),
        dates=_text(item.get("dates")),
        agencies=agencies,
        docket_ids=docket_ids,
        html_url=_text(item.get("html_url")),
        pdf_url=_text(item.get("pdf_url")),
        full_text_xml_url=_text(item.get("full_text_xml_url")),
        body_html_url=_text(item.get("body_html_url")),
        citation=_text(item.get("citation")),
    )


async def fetch_search(
    fetcher: Fetcher,
    *,
    base_url: str,
    since: date,
    until: date | None = None,
    validators: Validators | None = None,
    now: datetime | None = None,
    set_aside: list[SetAside] | None = None,
) -> tuple[list[DocumentMeta], FetchResult | None]:
    """Every document of the window, following next_page_url; ([], first) when not modified.

    With `now`, the first page is asked past the shared cache (cache_buster_params). Results that
    cannot be read are left out and added to `set_aside` with their reason.
    """
    aside: list[SetAside] = set_aside if set_aside is not None else []
    params = build_search_params(since=since, until=until)
    if now is not None:
        params.extend(cache_buster_params(now))
    first = await fetcher.get(
        search_url(base_url),
        params=httpx.QueryParams(params),
        validators=validators,
        accept="application/json",
    )
    if first.not_modified:
        return [], first
    page = parse_search_page(first)
    documents = list(page.documents)
    aside.extend(page.set_aside)
    next_url = page.next_page_url
    pages = 1
    while next_url:
        pages += 1
        if pages > MAX_PAGES:
            raise SourceError(f"Federal Register search did not end after {MAX_PAGES} pages")
        result = await fetcher.get(rebase_url(next_url, base_url), accept="application/json")
        page = parse_search_page(result)
        documents.extend(page.documents)
        aside.extend(page.set_aside)
        next_url = page.next_page_url
    return documents, first


async def fetch_full_text(fetcher: Fetcher, document: DocumentMeta, *, base_url: str) -> FetchResult | None:
    """The GPO XML of a document, else its HTML body; None when the document has neither."""
    url = document.full_text_xml_url or document.body_html_url
    if not url:
        return None
    result = await fetcher.get(rebase_url(url, base_url), accept="application/xml, text/html")
    if result.status == 404:
        return None
    if result.status != 200 or not result.body:
        raise SourceError(f"full text of {document.document_number}: HTTP {result.status}")
    return result
