"""Reading a Federal Register document's full text: fetch it, parse it (XML or HTML), merge the API metadata.

A document whose full text failed (404, malformed XML) is handed back as Waiting; the worker keeps the
count of failed polls (worker.ingest.full_text) and passes it in, so the FULL_TEXT_ATTEMPTS-th failure
reads the document from its metadata alone.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from watchers import federal_register
from watchers.case_numbers import extract_case_numbers
from watchers.classify import classify_notice
from watchers.http import BodyTooLargeError, Fetcher, RateLimiter
from watchers.notice_html import extract_notice_facts_from_html
from watchers.notice_xml import extract_notice_facts
from watchers.records import Classification, DocumentMeta, NoticeFacts
from watchers.xml_safety import MalformedXmlError, UnsafeXmlError, parse_xml_safely

FULL_TEXT_ATTEMPTS = 3  # polls that failed on this document's full text before it is stored without it


@dataclass(frozen=True)
class Waiting:
    """A document whose full text failed in this poll (404, malformed XML): it is read again next poll."""

    meta: DocumentMeta
    error: str
    failures: int  # including this poll's

    @property
    def final(self) -> bool:
        return self.failures >= FULL_TEXT_ATTEMPTS


def malformed_xml(body: bytes, content_type: str) -> str | None:
    """Why an XML body cannot be read, most often a truncated download; None when it parses (or is HTML).

    Hostile XML (entity declarations) is not transient: read_full_text refuses it and stores it unread.
    """
    if "xml" not in content_type and not body.lstrip().startswith(b"<?xml"):
        return None
    try:
        parse_xml_safely(body)
    except MalformedXmlError as exc:
        return f"full text {exc}"
    except UnsafeXmlError:
        return None
    return None


@dataclass(frozen=True)
class ReadNotice:
    """A finished record of one document: metadata, the facts read from it, and its classification."""

    meta: DocumentMeta
    facts: NoticeFacts
    classification: Classification
    content_hash: str | None
    full_text: str | None = None  # the body as text (the classification read the notice's head)


def classify_read(meta: DocumentMeta, full_text: str | None) -> Classification:
    """What kind of notice a document is, from its metadata and the head of its full text."""
    return classify_notice(
        title=meta.title,
        abstract=meta.abstract,
        agencies=meta.agencies,
        docket_ids=meta.docket_ids,
        action=meta.action,
        full_text=full_text,
        document_number=meta.document_number,
        document_type=meta.document_type,
    )


def read_full_text(
    meta: DocumentMeta, body: bytes | None, content_type: str, classification: Classification | None = None
) -> NoticeFacts:
    """Facts from the XML (or HTML) body; a body that cannot be read gives the metadata and an unread note."""
    if body is None:
        facts = NoticeFacts(
            document_number=meta.document_number, title=meta.title, publication_date=meta.publication_date
        )
        facts.unread.append("no full text available; facts from the API metadata only")
        return facts
    try:
        if "html" in content_type and not body.lstrip().startswith(b"<?xml"):
            return extract_notice_facts_from_html(
                body,
                document_number=meta.document_number,
                publication_date=meta.publication_date,
                title=meta.title,
                content_type=content_type,
                classification=classification,
            )
        return extract_notice_facts(
            body,
            document_number=meta.document_number,
            publication_date=meta.publication_date,
            classification=classification,
        )
    except (MalformedXmlError, UnsafeXmlError) as exc:
        facts = NoticeFacts(
            document_number=meta.document_number, title=meta.title, publication_date=meta.publication_date
        )
        facts.unread.append(f"full text refused: {exc}")
        return facts


def merge_metadata(meta: DocumentMeta, facts: NoticeFacts) -> NoticeFacts:
    """The API's docket ids are the notice's own cases when the full text gave none."""
    if not facts.case_numbers and meta.docket_ids:
        facts.case_numbers = extract_case_numbers(" ".join(meta.docket_ids))
    if not facts.title:
        facts.title = meta.title
    if facts.publication_date is None:
        facts.publication_date = meta.publication_date
    return facts


async def read_documents(
    fetcher: Fetcher,
    documents: list[DocumentMeta],
    *,
    base_url: str,
    failures: dict[str, int] | None = None,
    full_text_limiter: RateLimiter | None = None,
) -> tuple[list[ReadNotice], list[Waiting]]:
    """Each document's full text, downloads spaced by `full_text_limiter` (the FR asks for 1 a second).

    One that answered 404 or came malformed waits for the next poll. `failures` holds the polls that
    already failed on a document's full text: at FULL_TEXT_ATTEMPTS the document is read from its
    metadata alone (and named in the poll's `gave_up`). Network failures and 5xx answers (after the
    fetcher's retries) still fail the whole poll: they are the source's, not the document's, and must
    not use up a document's attempts.
    """
    failures = failures or {}
    read: list[ReadNotice] = []
    waiting: list[Waiting] = []
    for meta in documents:
        if full_text_limiter is not None and (meta.full_text_xml_url or meta.body_html_url):
            await full_text_limiter.wait()
        too_large = None
        try:
            result = await federal_register.fetch_full_text(fetcher, meta, base_url=base_url)
        except BodyTooLargeError as exc:
            # Not transient: the notice is stored from its metadata, marked unread, and the source moves on.
            result, too_large = None, f"full text not read: {exc}"
        body = result.body if result else None
        problem = None
        if result is None and too_large is None and (meta.full_text_xml_url or meta.body_html_url):
            problem = "full text answered HTTP 404"
        elif result is not None and body is not None:
            problem = malformed_xml(body, result.content_type)
        if problem is not None:
            item = Waiting(
                meta, f"{meta.document_number}: {problem}", failures.get(meta.document_number, 0) + 1
            )
            waiting.append(item)
            if not item.final:
                continue
            body = None
        text = body.decode("utf-8", "replace") if body else None
        # Classified once, from the metadata and the full text; the facts' stated deadlines and an
        # order's dates follow the same classification.
        classification = classify_read(meta, text)
        content_type = result.content_type if result else ""
        facts = merge_metadata(meta, read_full_text(meta, body, content_type, classification))
        if too_large:
            facts.unread.append(too_large)
        digest = hashlib.sha256(body).hexdigest() if body else None
        read.append(
            ReadNotice(
                meta=meta,
                facts=facts,
                classification=classification,
                content_hash=digest,
                full_text=text,
            )
        )
    return read, waiting
