"""extract_notice_facts on the real FR XML notices, expected values read by hand from each."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from tests.support.fixtures import fixture_bytes
from watchers.case_numbers import extract_case_numbers
from watchers.notice_xml import extract_notice_facts, read_issue_date, split_daily_issue
from watchers.records import CaseType, NoticeFacts, RateBasis

PRESSURE_WASHERS = "fr_xml_2024-02902_pressure_washers_prc_ad_cvd_orders.xml"
PRESSURE_WASHERS_ENDASH = "fr_xml_2024-02902_pressure_washers_prc_ad_cvd_orders.endash_original.xml"
GLYCINE = "fr_xml_2016-08229_glycine_prc_prelim_ar.xml"
SILICOMANGANESE = "fr_xml_2016-08787_silicomanganese_ukraine_rescission_ar.xml"
ITC_HOT_ROLLED = "fr_xml_2016-08650_itc_hot_rolled_steel_final_phase_scheduling.xml"
ISSUE_2024_ENDASH = "fr_daily_issue_2024-02-12.endash_original.xml"
ISSUE_2024_HYPHEN = "fr_daily_issue_2024-02-12.hyphen_updated.xml"
ISSUE_2016 = "fr_daily_issue_2016-04-15.xml"


def facts(name: str, published: date) -> NoticeFacts:
    return extract_notice_facts(fixture_bytes("fr_xml", name), publication_date=published)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[A\u2013570\u2013148, C\u2013570\u2013149]", ("A-570-148", "C-570-149")),
        ("[A-570-148, C-570-149]", ("A-570-148", "C-570-149")),
        ("A - 570 - 836 and A 570 836", ("A-570-836",)),
        ("docket a-823-805", ("A-823-805",)),
        ("Inv. Nos. 701-TA-684 and 731-TA-1597", ()),
        ("case number A-000-000 (placeholder)", ()),
        ("FA-570-148 or A-570-1480", ()),
    ],
    ids=["en-dash", "hyphen", "spaces", "lowercase", "itc-numbers", "placeholder", "not-a-case"],
)
def test_extract_case_numbers(text: str, expected: tuple[str, ...]) -> None:
    assert extract_case_numbers(text) == expected


class TestPressureWashersOrder:
    """FR Doc 2024-02902, 89 FR 9834, published Monday February 12, 2024."""

    @pytest.fixture
    def notice(self) -> NoticeFacts:
        return facts(PRESSURE_WASHERS, date(2024, 2, 12))

    def test_identity(self, notice: NoticeFacts) -> None:
        assert notice.document_number == "2024-02902"
        assert notice.case_numbers == ("A-570-148", "C-570-149")
        assert notice.cited_case_numbers == ()
        assert notice.countries == ("People's Republic of China",)
        assert notice.product == "Gas Powered Pressure Washers"
        assert notice.publication_date == date(2024, 2, 12)
        assert notice.effective_date == date(2024, 2, 12)
        assert notice.period_of_review is None

    def test_hts_from_the_scope_appendix(self, notice: NoticeFacts) -> None:
        assert notice.hts_codes == ("8424309000", "8424909040")
        assert notice.scope_text is not None
        assert notice.scope_text.startswith("The products covered by these orders are gas")
        assert "the written description of the scope is dispositive" in notice.scope_text

    def test_ad_table(self, notice: NoticeFacts) -> None:
        ad = [r for r in notice.rates if r.case_type is CaseType.AD]
        assert [(r.exporter, r.producer, r.rate, r.cash_deposit, r.basis) for r in ad] == [
            ("Jiangsu Jianghuai Engine Co., Ltd", "Jiangsu Jianghuai Engine Co., Ltd",
             Decimal("274.37"), Decimal("263.83"), RateBasis.COMBINATION),
            ("Sumec Hardware and Tools Co., Ltd", "Sumec Hardware and Tools Co., Ltd",
             Decimal("179.88"), Decimal("169.34"), RateBasis.COMBINATION),
            ("Zhejiang Danau Machine Co., Ltd", "Zhejiang Danau Machine Co., Ltd",
             Decimal("179.88"), Decimal("169.34"), RateBasis.COMBINATION),
            (None, None, Decimal("274.37"), Decimal("263.83"), RateBasis.COUNTRY_WIDE),
        ]  # fmt: skip
        assert {r.case_number for r in ad} == {"A-570-148"}
        assert ad[-1].source_text == "China-Wide Entity | 274.37 | 263.83"

    def test_cvd_table(self, notice: NoticeFacts) -> None:
        cvd = [r for r in notice.rates if r.case_type is CaseType.CVD]
        at_206 = [
            "Chongqing Dajiang Power Equipment Co., Ltd", "China GTL Tools Group, Ltd",
            "Loncin Motor Co., Ltd", "Maxworld Home Co., Ltd",
            "Ningbo Jugang Machinery Manufacturing Co., Ltd",
            "Powerful Machinery & Electronics Technology Developing Co., Ltd",
            "Pinghu Biyi Cleaning Equipment Co., Ltd", "Senci Electric Machinery Co., Ltd",
            "Taizhou Bison Machinery Co., Ltd", "Taizhou Longfa Machinery Co., Ltd",
            "Taizhou Newland Machinery Co., Ltd", "Zhejiang Anlu Cleaning Machinery Co., Ltd",
            "Zhejiang Constant Power Machinery Co., Ltd",
            "Zhejiang Lingben Machinery & Electronics Co., Ltd",
            "Zhejiang Xinchang Bigyao Power Tool Co., Ltd",
            "Zhejiang Zhinanche Cleaning Equipment Co., Ltd",
        ]  # fmt: skip
        expected = [("Jiangsu Jianghuai Engine Co., Ltd.", Decimal("11.19"), RateBasis.COMPANY)]
        expected += [(name, Decimal("206.57"), RateBasis.COMPANY) for name in at_206]
        expected += [(None, Decimal("11.19"), RateBasis.ALL_OTHERS)]
        assert [(r.exporter, r.rate, r.basis) for r in cvd] == expected
        assert {r.case_number for r in cvd} == {"C-570-149"}
        assert all(r.producer is None and r.cash_deposit is None for r in cvd)
        assert cvd[0].footnotes == ("10",)
        assert all(r.footnotes == () for r in cvd[1:])

    def test_deadlines(self, notice: NoticeFacts) -> None:
        assert [(d.kind, d.due, d.offset_days) for d in notice.deadlines] == [
            ("annual_inquiry_service_list", date(2024, 3, 13), 30)
        ]
        assert notice.deadlines[0].sentence.startswith("Interested parties who wish to be added")
        assert notice.unread == []

    def test_both_dash_forms_give_identical_facts(self, notice: NoticeFacts) -> None:
        assert facts(PRESSURE_WASHERS_ENDASH, date(2024, 2, 12)) == notice


class TestGlycinePreliminaryResults:
    """FR Doc 2016-08229, 81 FR 22212, published Friday April 15, 2016; body inside FURINF."""

    @pytest.fixture
    def notice(self) -> NoticeFacts:
        return facts(GLYCINE, date(2016, 4, 15))

    def test_identity(self, notice: NoticeFacts) -> None:
        assert notice.document_number == "2016-08229"
        assert notice.case_numbers == ("A-570-836",)
        assert notice.countries == ("People's Republic of China",)
        assert notice.product == "Glycine"
        assert notice.period_of_review == (date(2014, 3, 1), date(2015, 2, 28))
        assert notice.effective_date == date(2016, 4, 15)
        assert notice.hts_codes == ("2922494020",)

    def test_prc_wide_rate_in_prose(self, notice: NoticeFacts) -> None:
        [row] = notice.rates
        assert (row.basis, row.rate, row.case_type, row.case_number) == (
            RateBasis.COUNTRY_WIDE, Decimal("453.79"), CaseType.AD, "A-570-836")  # fmt: skip
        assert "PRC-wide rate of 453.79 percent" in row.source_text

    def test_deadlines_roll_past_the_weekend(self, notice: NoticeFacts) -> None:
        # 30 days after April 15, 2016 is Sunday May 15 -> Monday May 16; rebuttals five days
        # after May 16 is Saturday May 21 -> Monday May 23.
        assert [(d.kind, d.due, d.offset_days) for d in notice.deadlines] == [
            ("case_brief", date(2016, 5, 16), 30),
            ("rebuttal_brief", date(2016, 5, 23), 5),
            ("hearing_request", date(2016, 5, 16), 30),
        ]
        assert "19 CFR 351.303(b)" in notice.deadlines[0].citation
        assert "19 CFR 351.309(c)(1)(ii)" in notice.deadlines[0].citation
        assert notice.deadlines[1].sentence.startswith("Rebuttal briefs, limited to issues")

    def test_without_a_publication_date_offsets_are_unread(self) -> None:
        undated = extract_notice_facts(fixture_bytes("fr_xml", GLYCINE))
        assert undated.publication_date is None
        assert all(d.due is None for d in undated.deadlines)
        assert "publication date not given" in undated.unread[-1]


def test_silicomanganese_rescission() -> None:
    notice = facts(SILICOMANGANESE, date(2016, 4, 15))
    assert notice.document_number == "2016-08787"
    assert notice.case_numbers == ("A-823-805",)
    assert notice.countries == ("Ukraine",)
    assert notice.product == "Silicomanganese"
    assert notice.period_of_review == (date(2014, 8, 1), date(2015, 7, 31))
    assert notice.effective_date is None
    assert (notice.hts_codes, notice.rates, notice.deadlines) == ((), [], [])


class TestItcScheduling:
    """FR Doc 2016-08650 (USITC): no Commerce case, HTS list in the summary, dated schedule."""

    @pytest.fixture
    def notice(self) -> NoticeFacts:
        return facts(ITC_HOT_ROLLED, date(2016, 4, 15))

    def test_identity(self, notice: NoticeFacts) -> None:
        assert notice.case_numbers == ()
        assert notice.countries == (
            "Australia", "Brazil", "Japan", "Korea", "Netherlands", "Turkey", "United Kingdom")  # fmt: skip
        assert notice.product == "Hot-Rolled Steel Flat Products"
        assert notice.effective_date == date(2016, 3, 22)
        assert notice.rates == []

    def test_hts_from_the_summary_is_flagged(self, notice: NoticeFacts) -> None:
        listed = (
            "7208.10.15, 7208.10.30, 7208.10.60, 7208.25.30, 7208.25.60, 7208.26.00, 7208.27.00, "
            "7208.36.00, 7208.37.00, 7208.38.00, 7208.39.00, 7208.40.60, 7208.53.00, 7208.54.00, "
            "7208.90.00, 7210.70.30, 7210.90.90, 7211.14.00, 7211.19.15, 7211.19.20, 7211.19.30, "
            "7211.19.45, 7211.19.60, 7211.19.75, 7211.90.00, 7212.40.10, 7212.40.50, 7212.50.00, "
            "7214.91.00, 7214.99.00, 7215.90.50, 7225.11.00, 7225.19.00, 7225.30.30, 7225.30.70, "
            "7225.40.70, 7225.99.00, 7226.11.10, 7226.11.90, 7226.19.10, 7226.19.90, 7226.91.50, "
            "7226.91.70, 7226.91.80, 7226.99.01, 7228.60.60"
        )
        assert notice.hts_codes == tuple(c.replace(".", "") for c in listed.split(", "))
        assert len(notice.hts_codes) == 46
        assert notice.unread == [
            "no scope section: HTS codes read from the paragraphs naming the Harmonized Tariff Schedule"
        ]

    def test_schedule(self, notice: NoticeFacts) -> None:
        # The hearing is Thursday August 4, 2016: 21 days before is July 14; 7 business days
        # before is Tuesday July 26.
        assert [(d.kind, d.due) for d in notice.deadlines] == [
            ("entry_of_appearance", date(2016, 7, 14)),
            ("apo_application", date(2016, 7, 14)),
            ("hearing_request", date(2016, 7, 29)),
            ("in_camera_request", date(2016, 7, 26)),
            ("prehearing_brief", date(2016, 7, 28)),
            ("posthearing_brief", date(2016, 8, 11)),
            ("written_statement", date(2016, 8, 11)),
            ("final_comments", date(2016, 8, 31)),
        ]


class TestDailyIssues:
    @pytest.mark.parametrize("name", [ISSUE_2024_ENDASH, ISSUE_2024_HYPHEN], ids=["endash", "hyphen"])
    def test_split_2024_issue(self, name: str) -> None:
        data = fixture_bytes("fr_xml", name)
        parts = split_daily_issue(data)
        # 13 RULE, 7 PRORULE and 75 NOTICE elements; numbers normalised to ASCII hyphens.
        assert len(parts) == 95
        numbers = [n for n, _ in parts]
        assert len(set(numbers)) == 95
        assert all("\u2013" not in n and n.startswith("2024-") for n in numbers)
        assert read_issue_date(data) == date(2024, 2, 12)

    def test_ita_notice_of_2024_issue_matches_in_both_dash_forms(self) -> None:
        found = []
        for name in (ISSUE_2024_ENDASH, ISSUE_2024_HYPHEN):
            parts = dict(split_daily_issue(fixture_bytes("fr_xml", name)))
            found.append(extract_notice_facts(parts["2024-02902"], publication_date=date(2024, 2, 12)))
        assert found[0] == found[1]
        single = facts(PRESSURE_WASHERS, date(2024, 2, 12))
        assert replace(found[0]) == single

    def test_2016_issue_ita_and_itc_notices(self) -> None:
        data = fixture_bytes("fr_xml", ISSUE_2016)
        parts = dict(split_daily_issue(data))
        assert len(parts) == 145
        published = read_issue_date(data)
        assert published == date(2016, 4, 15)
        for number, name in [("2016-08229", GLYCINE), ("2016-08787", SILICOMANGANESE),
                             ("2016-08650", ITC_HOT_ROLLED)]:  # fmt: skip
            assert extract_notice_facts(parts[number], publication_date=published) == facts(name, published)
        travel = extract_notice_facts(parts["2016-08789"], publication_date=published)
        assert travel.title == "U.S. Travel and Tourism Advisory Board"
        assert (travel.case_numbers, travel.rates, travel.deadlines) == ((), [], [])

    def test_non_trade_notices_yield_no_rates(self) -> None:
        data = fixture_bytes("fr_xml", ISSUE_2024_HYPHEN)
        for number, xml in split_daily_issue(data):
            if number != "2024-02902":
                notice = extract_notice_facts(xml, publication_date=date(2024, 2, 12))
                assert notice.rates == [], number

    def test_whole_issue_given_is_reported_not_guessed(self) -> None:
        notice = extract_notice_facts(fixture_bytes("fr_xml", ISSUE_2016))
        assert notice.publication_date == date(2016, 4, 15)
        assert notice.unread == ["no single NOTICE, RULE or PRORULE element in <FEDREG>"]


@pytest.mark.parametrize(
    "xml",
    [
        b"<NOTICE/>",
        b"<NOTICE><PREAMB><SUBJECT>Widgets From Ruritania</SUBJECT></PREAMB></NOTICE>",
        b"<NOTICE><SUPLINF><GPOTABLE><BOXHD/><ROW><ENT>x</ENT></ROW></GPOTABLE></SUPLINF></NOTICE>",
    ],
    ids=["empty-notice", "title-only", "headless-table"],
)
def test_missing_sections_do_not_raise(xml: bytes) -> None:
    notice = extract_notice_facts(xml)
    assert notice.rates == [] and notice.deadlines == []
