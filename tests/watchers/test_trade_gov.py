"""trade.gov case announcements: builders, listing (HTML and RSS) and fact sheets (HTML and OCR text)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from watchers.records import CaseType, NoticeKind, RateBasis
from watchers.trade_gov import announcement_key, parse_announcement
from watchers.trade_gov_listing import (
    AnnouncementLink,
    build_feed_url,
    build_listing_url,
    parse_announcement_listing,
)
from watchers.trade_gov_parse import read_rate_pair

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures/trade_gov"
BASE = "https://www.trade.gov"
SEED = "trade_gov_prelim_ad_active_anode_material_china_2025.txt"
AD_URL = (
    f"{BASE}/preliminary-affirmative-determination-antidumping-duty-investigation-active-anode-material-china"
)
CVD_URL = f"{BASE}/preliminary-determinations-countervailing-duty-investigations-active-anode-material-china"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def test_builders() -> None:
    assert build_listing_url("https://www.trade.gov/") == f"{BASE}/ec-adcvd-case-announcements"
    assert build_listing_url("http://127.0.0.1:8080") == "http://127.0.0.1:8080/ec-adcvd-case-announcements"
    assert build_feed_url(BASE) == f"{BASE}/rss.xml"


def test_listing_html() -> None:
    links = parse_announcement_listing(
        fixture("case_announcements_listing.html"), base_url=BASE, content_type="text/html; charset=UTF-8"
    )
    assert [(link.url, link.date) for link in links] == [
        (CVD_URL, date(2025, 5, 20)),
        (AD_URL, date(2025, 7, 17)),
    ]  # the FAQ row and the navigation are not announcements
    assert links[1].title.startswith("Preliminary Affirmative Determination in the Antidumping")
    assert "People's Republic of China" in links[1].title


def test_listing_rss_resolves_relative_links() -> None:
    links = parse_announcement_listing(
        fixture("case_announcements_feed.rss"), base_url=BASE, content_type="application/rss+xml"
    )
    title = (  # the feed's titles; its curly apostrophe read as a plain one
        "Preliminary Affirmative Determination in the {} Duty Investigation"
        " of Active Anode Material from the People's Republic of China"
    )
    assert links == [
        AnnouncementLink(title=title.format("Antidumping"), url=AD_URL, date=date(2025, 7, 17)),
        AnnouncementLink(title=title.format("Countervailing"), url=CVD_URL, date=date(2025, 5, 20)),
    ]


def test_listing_rss_sniffed_without_content_type() -> None:
    links = parse_announcement_listing(
        fixture("case_announcements_feed.rss"), base_url=BASE, content_type=None
    )
    assert len(links) == 2


def test_listing_broken_feed_raises() -> None:
    with pytest.raises(ValueError, match="unreadable feed"):
        parse_announcement_listing(
            b"<?xml version='1.0'?><rss><channel><item>", base_url=BASE, content_type="application/rss+xml"
        )


def test_announcement_html() -> None:
    a = parse_announcement(fixture("announcement_active_anode_material_prelim_ad.html"), url=AD_URL)
    assert (a.kind, a.case_type, a.outcome) == (
        NoticeKind.PRELIMINARY_DETERMINATION,
        CaseType.AD,
        "affirmative",
    )
    assert a.announced == date(2025, 7, 17)
    assert (a.product, a.country) == ("active anode material", "People's Republic of China")
    assert a.case_numbers == ("A-570-194",)
    assert a.title.startswith("Preliminary Affirmative Determination in the Antidumping Duty")
    assert a.country_wide_rate == Decimal("102.72")
    assert len(a.rates) == 7  # six combinations and the China-wide entity; not the import table
    tesla = a.rates[2]
    assert (tesla.exporter, tesla.producer, tesla.rate, tesla.cash_deposit, tesla.basis) == (
        "Tesla (Shanghai) Co., Ltd.",
        "BTR New Material Group Sales Co. Ltd.",
        Decimal("93.50"),
        Decimal("93.50"),
        RateBasis.COMBINATION,
    )
    assert (tesla.case_number, tesla.case_type) == ("A-570-194", CaseType.AD)
    wide = a.rates[-1]
    assert (wide.exporter, wide.basis, wide.rate) == (
        "China-Wide Entity",
        RateBasis.COUNTRY_WIDE,
        Decimal("102.72"),
    )
    assert wide.footnotes == ("This rate is based on facts available with adverse inferences.",)
    assert [(s.event, s.due) for s in a.next_steps] == [("final_determination", date(2025, 12, 5))]
    assert "should be announced by December 5, 2025" in a.next_steps[0].sentence
    assert a.unread == []
    assert announcement_key(a) == ("A-570-194", "preliminary_determination")


def test_announcement_rates_per_unit_are_not_read_as_percent() -> None:
    """CONSTRUCTED in the fact sheets' shape: a margin in dollars per kilogram is not a percent."""
    page = b"""<html><body><article><h1>Final Determination</h1>
    <p>On March 3, 2026, the U.S. Department of Commerce (Commerce) announced its final affirmative
    determination in the antidumping duty (AD) investigation of honey from Ruritania. Case A-999-002.</p>
    <table><tr><th>Exporter</th><th>Dumping Margin (dollars per kilogram)</th></tr>
    <tr><td>Acme Honey Co.</td><td>2.15</td></tr></table></article></body></html>"""
    a = parse_announcement(page, url="https://www.trade.gov/x")
    assert a.rates == []


def test_announcement_html_finds_columns_by_header_words() -> None:
    page = b"""<html><body><article><h1>Final Determination</h1>
    <p>On March 3, 2026, the U.S. Department of Commerce (Commerce) announced its final negative
    determination in the countervailing duty (CVD) investigation of widgets from Ruritania (Ruritania).
    Case C-999-001.</p>
    <table><tr><th>Subsidy Rate (percent)</th><th>Company</th><th>Exporter/Producer</th></tr>
    <tr><td>0.41*</td><td>x</td><td>Widget Works Ltd.</td></tr>
    <tr><td>n/a</td><td>x</td><td>Other Widgets Ltd.</td></tr>
    <tr><td>0.41</td><td>x</td><td>All Others</td></tr></table></article></body></html>"""
    a = parse_announcement(page, url="https://www.trade.gov/x")
    assert (a.kind, a.case_type, a.outcome) == (NoticeKind.FINAL_DETERMINATION, CaseType.CVD, "negative")
    assert [(r.exporter, r.rate, r.basis) for r in a.rates] == [
        ("Widget Works Ltd.", Decimal("0.41"), RateBasis.COMPANY),
        ("Other Widgets Ltd.", None, RateBasis.COMPANY),
        ("All Others", Decimal("0.41"), RateBasis.ALL_OTHERS),
    ]
    assert a.all_others_rate == Decimal("0.41")
    assert any("'n/a' is not a number" in u for u in a.unread)  # reported, not guessed
    assert announcement_key(a) == ("C-999-001", "final_determination")


def test_announcement_html_without_rate_table_says_so() -> None:
    a = parse_announcement(b"<html><body><h1>Notice</h1><p>Nothing here.</p></body></html>", url="u")
    assert a.kind is None
    assert any(u.startswith("determination") for u in a.unread)
    assert any(u.startswith("rate table") for u in a.unread)
    assert announcement_key(a) == ("", "")


def test_announcement_seed_ocr_text() -> None:
    a = parse_announcement(fixture(SEED), url=AD_URL, text=True)
    assert (a.kind, a.case_type, a.outcome) == (
        NoticeKind.PRELIMINARY_DETERMINATION,
        CaseType.AD,
        "affirmative",
    )
    assert a.announced == date(2025, 7, 17)
    assert (a.product, a.country) == ("active anode material", "People's Republic of China")
    assert a.case_numbers == ("A-570-194",)
    assert a.title.endswith("Active Anode Material from the People's Republic of China")
    assert a.country_wide_rate == Decimal("102.72")
    assert [(s.event, s.due) for s in a.next_steps] == [("final_determination", date(2025, 12, 5))]
    assert announcement_key(a) == ("A-570-194", "preliminary_determination")

    combos = [r for r in a.rates if r.basis is RateBasis.COMBINATION]
    assert len(combos) == 66  # every exporter/producer row of the five printed pages
    read = [r for r in combos if r.rate is not None and r.cash_deposit is not None]
    assert len(read) == 53
    assert {r.rate for r in read} == {Decimal("93.50")}
    # Names are not guessed from the merged OCR columns; the line is kept and the gap reported.
    assert all(r.exporter is None and r.producer is None and r.source_text for r in combos)
    assert any("exporter and producer names of 66 rate rows" in u for u in a.unread)
    # Every row whose cells stayed unreadable is reported with its OCR line.
    unreadable = [r for r in combos if r.rate is None or r.cash_deposit is None]
    assert len(unreadable) == 13
    for row in unreadable:
        assert any(row.source_text in u for u in a.unread)
    # Repairs are listed with their rule, never applied silently.
    assert any(r.startswith("point lost: '9350' read as 93.50") for r in a.repairs)
    assert any(r.startswith("edge marks: '(/93.50' read as 93.50") for r in a.repairs)
    wide = a.rates[-1]
    assert (wide.exporter, wide.basis, wide.cash_deposit) == (
        "China-Wide Entity",
        RateBasis.COUNTRY_WIDE,
        Decimal("102.72"),
    )


@pytest.mark.parametrize(
    ("margin", "deposit", "expected"),
    [
        ("93.50", "93.50", (Decimal("93.50"), Decimal("93.50"))),
        ("9350", "93.50", (Decimal("93.50"), Decimal("93.50"))),  # point lost, neighbour confirms
        ("93.50", "9350", (Decimal("93.50"), Decimal("93.50"))),
        ("9350", "9350", (None, None)),  # nothing confirms where the point was
        ("(/93.50", "93.50", (Decimal("93.50"), Decimal("93.50"))),  # edge marks
        ("9351", "93.50", (None, Decimal("93.50"))),  # digits differ: not the same number
        (None, "93.50", (None, Decimal("93.50"))),
        ("|30", "9350", (None, None)),
    ],
    ids=[
        "intact",
        "point-lost-margin",
        "point-lost-deposit",
        "both-point-lost",
        "edge-marks",
        "different-digits",
        "margin-missing",
        "garbled",
    ],
)
def test_rate_cell_repair_rules(
    margin: str | None, deposit: str, expected: tuple[Decimal | None, Decimal | None]
) -> None:
    a, b = read_rate_pair(margin, deposit)
    assert (a.value, b.value) == expected
