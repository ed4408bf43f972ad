"""trade.gov's listing of AD/CVD case announcements: its address, and the links read from the HTML
page or a feed (pure)."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import urljoin

import feedparser
import lxml.html

from watchers.trade_gov_parse import clean_text, parse_date

LISTING_PATH = "/ec-adcvd-case-announcements"
# Drupal serves a site-wide feed at /rss.xml; whether trade.gov lists case announcements in it
# is not verified (we hold no recording), so the listing page stays the primary source.
FEED_PATH = "/rss.xml"


@dataclass(frozen=True)
class AnnouncementLink:
    title: str
    url: str
    date: date | None


# --- request building ------------------------------------------------------------------------


def build_listing_url(base_url: str) -> str:
    """The HTML listing of recent case announcements (https://www.trade.gov/ec-adcvd-case-announcements)."""
    return base_url.rstrip("/") + LISTING_PATH


def build_feed_url(base_url: str) -> str:
    """The site's Drupal RSS feed; parse_announcement_listing reads it like the listing page."""
    return base_url.rstrip("/") + FEED_PATH


# --- listing ---------------------------------------------------------------------------------

_ANNOUNCEMENT_WORDS = re.compile(
    r"determination|investigation|order|review|initiat|suspension|circumvention|announce",
    re.IGNORECASE,
)

_FAQ = re.compile(r"\bfaqs?\b|/faq/", re.IGNORECASE)


def parse_announcement_listing(
    body: bytes, *, base_url: str, content_type: str | None
) -> list[AnnouncementLink]:
    """Announcement links (title, absolute url, date when shown) from an RSS/Atom feed or the HTML page."""
    head = body.lstrip()[:200].lower()
    is_feed = bool(content_type and re.search(r"rss|atom|xml", content_type)) and not (
        content_type and "html" in content_type
    )
    if is_feed or head.startswith((b"<?xml", b"<rss", b"<feed")):
        return _parse_feed(body, base_url=base_url)
    return _parse_listing_html(body, base_url=base_url)


def _parse_feed(body: bytes, *, base_url: str) -> list[AnnouncementLink]:
    parsed = feedparser.parse(io.BytesIO(body))
    links: list[AnnouncementLink] = []
    for entry in parsed.entries:
        title = clean_text(str(entry.get("title", "")))
        href = str(entry.get("link", ""))
        if not title or not href:
            continue
        published = entry.get("published_parsed") or entry.get("updated_parsed")
        when = date(published.tm_year, published.tm_mon, published.tm_mday) if published else None
        links.append(AnnouncementLink(title=title, url=urljoin(base_url, href), date=when))
    # bozo is also set for harmless encoding overrides; only a bozo feed that yields nothing fails.
    if parsed.bozo and not links:
        raise ValueError(f"unreadable feed: {parsed.get('bozo_exception')!r}")
    return links


def _parse_listing_html(body: bytes, *, base_url: str) -> list[AnnouncementLink]:
    doc = lxml.html.document_fromstring(body)
    main = next(iter(html_elements(doc, "//main | //*[@role='main']")), doc)
    # Drupal views render one ".views-row" per item; fall back to list items and articles.
    rows = html_elements(
        main, ".//*[contains(concat(' ', normalize-space(@class), ' '), ' views-row ')]"
    ) or html_elements(main, ".//article | .//li")
    links: list[AnnouncementLink] = []
    seen: set[str] = set()
    for row in rows:
        for anchor in html_elements(row, ".//a[@href]"):
            title = clean_text(anchor.text_content())
            url = urljoin(base_url, anchor.get("href", ""))
            # FAQ pages share the announcements' words but announce nothing.
            if url in seen or not _ANNOUNCEMENT_WORDS.search(title) or _FAQ.search(title + url):
                continue
            seen.add(url)
            links.append(AnnouncementLink(title=title, url=url, date=_row_date(row)))
            break
    return links


def html_elements(node: lxml.html.HtmlElement, path: str) -> list[lxml.html.HtmlElement]:
    """The elements an XPath selects (lxml types xpath() results loosely)."""
    result = node.xpath(path)
    return [el for el in result if isinstance(el, lxml.html.HtmlElement)] if isinstance(result, list) else []


def html_strings(node: lxml.html.HtmlElement, path: str) -> list[str]:
    result = node.xpath(path)
    return [str(v) for v in result] if isinstance(result, list) else []


def _row_date(row: lxml.html.HtmlElement) -> date | None:
    for stamp in html_strings(row, ".//time/@datetime"):
        m = re.match(r"(\d{4})-(\d{2})-(\d{2})", str(stamp))
        if m:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    return parse_date(clean_text(row.text_content()))
