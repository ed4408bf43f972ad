"""A trade.gov announcement as a finished record: its stable number, catalog facts and classification."""

from __future__ import annotations

from urllib.parse import urlsplit

from watchers.records import Agency, CaseType, Classification, NoticeFacts, NoticeKind, Revokes
from watchers.trade_gov import Announcement


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
    types = {CaseType.AD if n.startswith("A") else CaseType.CVD for n in announcement.case_numbers}
    return Classification(
        kind=announcement.kind or NoticeKind.OTHER,
        agency=Agency.ITA,
        case_types=tuple(sorted(types)),
        is_correction=False,
        revokes=Revokes.NONE,
    )
