"""trade.gov announcements as finished records: the new ones, their number, catalog facts, classification."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from watchers.classify_rules import case_types_from_numbers
from watchers.http import Fetcher, SourceError, Validators
from watchers.records import Agency, Classification, NoticeFacts, NoticeKind, Revokes
from watchers.trade_gov import Announcement, fetch_announcement, fetch_listing, parse_announcement_listing

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


async def read_new(
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
