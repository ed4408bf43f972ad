"""trade.gov announcements as finished records: the new ones, their number, catalog facts, classification,
and the early signal each raises (the source's `read_new`)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import asdict, dataclass
from datetime import UTC
from urllib.parse import urlsplit

from watchers.classify_rules import case_types_from_numbers
from watchers.finished import (
    Batch,
    CatalogEntry,
    EarlySignal,
    FinishedRecord,
    ReadRequest,
    StoredRecords,
    Tally,
    jsonable,
)
from watchers.http import Fetcher, SourceError, Validators
from watchers.records import Agency, Classification, NoticeFacts, NoticeKind, Revokes
from watchers.trade_gov import Announcement, fetch_announcement, fetch_listing
from watchers.trade_gov_listing import parse_announcement_listing

log = logging.getLogger(__name__)


def announcement_number(url: str) -> str:
    """The stable identity of an announcement: its page path on trade.gov."""
    return "trade.gov" + urlsplit(url).path.rstrip("/")


def announcement_facts(announcement: Announcement) -> NoticeFacts:
    """What the catalog may take from an announcement: the cases, product and country, no rates.

    Deposits start with the Federal Register notice, not the announcement, so announced rates are
    shown in the alert but never stored as catalog rates.
    """
    return NoticeFacts(
        document_number=announcement_number(announcement.url),
        title=announcement.title,
        publication_date=announcement.announced,
        case_numbers=announcement.case_numbers,
        countries=(announcement.country,) if announcement.country else (),
        product=announcement.product,
        unread=list(announcement.unread),
    )


def classification_of(announcement: Announcement) -> Classification:
    """The stage it announces (other when unknown), from ITA, AD or CVD by its case numbers."""
    return Classification(
        kind=announcement.kind or NoticeKind.OTHER,
        agency=Agency.ITA,
        case_types=case_types_from_numbers(announcement.case_numbers),
        is_correction=False,
        revokes=Revokes.NONE,
    )


@dataclass(frozen=True)
class NewAnnouncements:
    """One read of the listing: the new announcements, the pages to read again, the validators to store."""

    seen: int  # announcements listed
    not_modified: bool
    announcements: list[Announcement]
    not_fetched: dict[str, str]  # announcement number -> why its page was not read; read again next poll
    validators: Validators  # the listing's; empty while a page is still to read, so no 304 hides it


async def read_announcements(
    fetcher: Fetcher,
    *,
    base_url: str,
    validators: Validators | None,
    known: Callable[[list[str]], set[str]],
) -> NewAnnouncements:
    """The announcements listed on trade.gov that `known` does not have yet, each page read once.

    A listing that cannot be fetched or read raises (SourceError, ValueError): the poll fails and
    nothing changes. One broken page does not hold back the others: it is named in `not_fetched`.
    """
    listing = await fetch_listing(fetcher, base_url=base_url, validators=validators)
    links = (
        []
        if listing.not_modified
        else parse_announcement_listing(
            listing.body or b"", base_url=base_url, content_type=listing.content_type
        )
    )
    have = known([announcement_number(link.url) for link in links])
    announcements: list[Announcement] = []
    not_fetched: dict[str, str] = {}
    for link in links:
        if announcement_number(link.url) in have:
            continue
        try:
            announcements.append(await fetch_announcement(fetcher, link))
        except SourceError as exc:
            not_fetched[announcement_number(link.url)] = str(exc)
            log.warning("trade.gov announcement %s not read: %s", link.url, exc)
    stored = (
        Validators()
        if not_fetched
        else Validators(listing.headers.get("etag"), listing.headers.get("last-modified"))
    )
    return NewAnnouncements(len(links), listing.not_modified, announcements, not_fetched, stored)


def early_signal(announcement: Announcement) -> EarlySignal:
    """What the announcement tells each of its cases days before the Federal Register notice."""
    kind = announcement.kind.value.replace("_", " ") if announcement.kind else "announcement"
    outcome = f"{announcement.outcome} " if announcement.outcome else ""
    parts = [
        f"Commerce announced a {outcome}{kind} on trade.gov"
        + (f" on {announcement.announced.isoformat()}" if announcement.announced else "")
    ]
    if announcement.country_wide_rate is not None:
        parts.append(f"country-wide entity rate {announcement.country_wide_rate}%")
    if announcement.all_others_rate is not None:
        parts.append(f"all-others rate {announcement.all_others_rate}%")
    if announcement.rates:
        parts.append(f"{len(announcement.rates)} company rates announced")
    parts.extend(
        f"{step.event.replace('_', ' ')} expected {step.due.isoformat()}" for step in announcement.next_steps
    )
    parts.append("deposits start when the Federal Register notice is published, usually within days")
    return EarlySignal(
        announcement.case_numbers,
        "; ".join(parts),
        details={"announced_kind": announcement.kind.value if announcement.kind else ""},
    )


def announcement_record(announcement: Announcement) -> FinishedRecord:
    """An announcement as a finished record: its early signal, not a stage.

    Only its cases go to the catalog: a stage is set by the published notice, so the catalog sees an
    "other" notice; the stored kind is the announced one, and the whole announcement is kept as facts.
    """
    classification = classification_of(announcement)
    columns = {
        "publication_date": announcement.announced,
        "title": announcement.title,
        "kind": classification.kind.value,
        "agency": "ita",
        "case_types": [t.value for t in classification.case_types],
        "html_url": announcement.url,
        "facts": jsonable(asdict(announcement)),
        "unread": list(announcement.unread),
    }
    cases_only = Classification(NoticeKind.OTHER, Agency.ITA, (), False, Revokes.NONE)
    return FinishedRecord(
        document_number=announcement_number(announcement.url),
        title=announcement.title,
        columns=columns,
        catalog=CatalogEntry(cases_only, announcement_facts(announcement), announcement.announced),
        signal=early_signal(announcement),
    )


async def read_new(
    fetcher: Fetcher, request: ReadRequest, stored: StoredRecords, tally: Tally
) -> AsyncIterator[Batch]:
    """The new announcements, in one batch; the first poll primes (stores what is listed, alerts nothing).

    A listing that cannot be fetched or read raises SourceError: the poll fails and nothing changes.
    """
    tally.primed = request.state.cursor is None
    try:
        new = await read_announcements(
            fetcher, base_url=request.base_url, validators=request.state.validators, known=stored.known
        )
    except ValueError as exc:
        raise SourceError(str(exc)) from exc
    tally.not_modified, tally.seen, tally.new = new.not_modified, new.seen, len(new.announcements)
    for number, error in new.not_fetched.items():
        tally.unread[number] = [f"not fetched, will retry: {error}"]
    # With a page still to fetch, the validators are empty: the next poll sees the listing again.
    yield Batch(
        [announcement_record(a) for a in new.announcements],
        cursor=request.now.astimezone(UTC).date().isoformat(),
        validators=None if new.not_modified else new.validators,
    )
