"""Federal Register search by windows of publication dates, for a backfill of years: plan the windows,
list each one in full (or say it is too big for the API), read the new documents' full texts."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import httpx

from watchers import federal_register
from watchers.full_text import ReadNotice, Waiting, read_documents
from watchers.http import Fetcher, RateLimiter, SourceError
from watchers.records import DocumentMeta, SetAside

API_RESULT_CAP = 10_000  # count is capped here, and page*per_page beyond it silently resets to page 1
API_MAX_PAGES = 50
PER_PAGE = 1000


@dataclass(frozen=True)
class Window:
    """Publication dates start..end, both included."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def month_windows(since: date, until: date) -> list[Window]:
    """Calendar months clipped to [since, until]; an ITA month holds a few hundred notices at most."""
    windows: list[Window] = []
    start = since
    while start <= until:
        next_month = (start.replace(day=1) + timedelta(days=32)).replace(day=1)
        end = min(until, next_month - timedelta(days=1))
        windows.append(Window(start, end))
        start = end + timedelta(days=1)
    return windows


def halve(window: Window) -> tuple[Window, Window]:
    if window.days < 2:
        raise SourceError(f"{window.start}: one day holds {API_RESULT_CAP}+ results; cannot split further")
    middle = window.start + timedelta(days=window.days // 2 - 1)
    return Window(window.start, middle), Window(middle + timedelta(days=1), window.end)


def window_is_full(count: int, *, per_page: int) -> bool:
    """True when the API would not hand over every result of the window (the count is capped, too)."""
    return count >= min(API_RESULT_CAP, API_MAX_PAGES * per_page)


async def fetch_window(
    fetcher: Fetcher,
    *,
    base_url: str,
    window: Window,
    per_page: int = PER_PAGE,
    set_aside: list[SetAside] | None = None,
) -> list[DocumentMeta] | None:
    """Every document of the window, or None when the window is too big for the API to list in full.

    Results that cannot be read are left out and added to `set_aside`.
    """
    aside: list[SetAside] = set_aside if set_aside is not None else []
    first = await fetcher.get(
        federal_register.search_url(base_url),
        params=httpx.QueryParams(
            federal_register.build_search_params(since=window.start, until=window.end, per_page=per_page)
        ),
        accept="application/json",
    )
    page = federal_register.parse_search_page(first)
    if window_is_full(page.count, per_page=per_page):
        return None
    documents = list(page.documents)
    aside.extend(page.set_aside)
    next_url, pages = page.next_page_url, 1
    while next_url:
        pages += 1
        if pages > API_MAX_PAGES:
            raise SourceError(f"search {window.start}..{window.end} did not end after {API_MAX_PAGES} pages")
        page = federal_register.parse_search_page(
            await fetcher.get(federal_register.rebase_url(next_url, base_url), accept="application/json")
        )
        documents.extend(page.documents)
        aside.extend(page.set_aside)
        next_url = page.next_page_url
    return documents


async def read_window(
    fetcher: Fetcher,
    documents: list[DocumentMeta],
    *,
    base_url: str,
    concurrency: int,
    xml_limiter: RateLimiter | None,
    failures: dict[str, int] | None = None,
    on_read: Callable[[], None] | None = None,
) -> tuple[list[ReadNotice], list[Waiting]]:
    """Full texts fetched `concurrency` at a time, each download through the XML limiter; order kept.

    A full text that answers 404 or comes malformed waits, as in the live poll.
    """
    gate = asyncio.Semaphore(max(1, concurrency))

    async def read_one(meta: DocumentMeta) -> tuple[list[ReadNotice], list[Waiting]]:
        async with gate:
            result = await read_documents(
                fetcher, [meta], base_url=base_url, failures=failures, full_text_limiter=xml_limiter
            )
        if on_read:
            on_read()
        return result

    read: list[ReadNotice] = []
    waiting: list[Waiting] = []
    for done, waits in await asyncio.gather(*(read_one(m) for m in documents)):
        read.extend(done)
        waiting.extend(waits)
    return read, waiting
