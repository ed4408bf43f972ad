"""GPOTABLE rate tables: spanning headers, LI breaks, split rows, footnote marks, odd values."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from lxml import etree

from tests.support.fixtures import fixture_bytes
from watchers.notice_xml import extract_notice_facts
from watchers.rate_tables import Cell, parse_rate_table, parse_rate_value, read_gpotable
from watchers.records import CaseType, RateBasis


@pytest.mark.parametrize(
    ("text", "rate", "notes"),
    [
        ("274.37", Decimal("274.37"), []),
        ("* 0.00", Decimal("0.00"), ["*"]),
        ("0.33 (de minimis)", Decimal("0.33"), ["de minimis"]),
        ("(de minimis)", None, ["de minimis"]),
        ("1,234.50", Decimal("1234.50"), []),
        ("", None, []),
        ("N/A", None, []),
    ],
    ids=["plain", "asterisk-zero", "de-minimis-number", "de-minimis-only", "thousands", "empty",
         "not-applicable"],
)  # fmt: skip
def test_parse_rate_value(text: str, rate: Decimal | None, notes: list[str]) -> None:
    assert parse_rate_value(Cell(text)) == (rate, notes)


def test_spanning_headers_and_li_breaks_flatten_to_leaves() -> None:
    table = read_gpotable(etree.fromstring(
        b'<GPOTABLE COLS="3"><BOXHD><CHED H="1">Company</CHED>'
        b'<CHED H="1">Subsidy rate<LI>(percent <E T="03">ad valorem</E>)</LI></CHED>'
        b'<CHED H="2">2022</CHED><CHED H="2">2023</CHED></BOXHD></GPOTABLE>'
    ))  # fmt: skip
    assert table.headers == [
        "Company", "Subsidy rate (percent ad valorem) 2022", "Subsidy rate (percent ad valorem) 2023"
    ]  # fmt: skip


def test_headers_not_understood_are_reported() -> None:
    table = read_gpotable(etree.fromstring(
        b'<GPOTABLE><BOXHD><CHED H="1">Company</CHED><CHED H="1">Location</CHED></BOXHD>'
        b"<ROW><ENT>Acme</ENT><ENT>Ruritania</ENT></ROW></GPOTABLE>"
    ))  # fmt: skip
    assert parse_rate_table(table, number=2, context="", cases=("A-570-148",)) == (
        [], ["rate table 2: column headers not understood (Company; Location)"])  # fmt: skip


def test_a_table_without_company_or_rate_is_not_a_rate_table() -> None:
    table = read_gpotable(etree.fromstring(
        b'<GPOTABLE><BOXHD><CHED H="1">Item</CHED><CHED H="1">Hours</CHED></BOXHD>'
        b"<ROW><ENT>Form</ENT><ENT>2</ENT></ROW></GPOTABLE>"
    ))  # fmt: skip
    assert parse_rate_table(table, number=1, context="", cases=()) is None


@pytest.mark.parametrize(
    "rate_header",
    ["Weighted-average dumping margin (dollars per kilogram)", "Cash deposit rate (USD/kg)",
     "Per-unit assessment rate ($/MT)"],
)  # fmt: skip
def test_a_rate_per_unit_is_never_read_as_a_percent(rate_header: str) -> None:
    """Orders on non-market-economy goods often state $/kg (CONSTRUCTED tables in that shape): 2.15
    dollars a kilogram read as 2.15 percent would be a wrong deposit rate, so the column is not read."""
    table = read_gpotable(etree.fromstring(
        b'<GPOTABLE><BOXHD><CHED H="1">Exporter</CHED><CHED H="1">'
        + rate_header.encode() + b"</CHED></BOXHD>"
        b"<ROW><ENT>Acme Honey Co.</ENT><ENT>2.15</ENT></ROW></GPOTABLE>"
    ))  # fmt: skip
    rows, unread = parse_rate_table(table, number=1, context="", cases=("A-570-863",)) or ([], [])
    assert rows == []
    assert unread == [f"rate table 1: column '{rate_header}' is per unit, not percent: not read"]


def test_a_percent_column_beside_a_per_unit_one_is_read() -> None:
    table = read_gpotable(etree.fromstring(
        b'<GPOTABLE><BOXHD><CHED H="1">Exporter</CHED><CHED H="1">Margin (percent)</CHED>'
        b'<CHED H="1">Assessment rate (dollars per kilogram)</CHED></BOXHD>'
        b"<ROW><ENT>Acme</ENT><ENT>12.50</ENT><ENT>0.42</ENT></ROW></GPOTABLE>"
    ))  # fmt: skip
    rows, unread = parse_rate_table(table, number=3, context="", cases=("A-570-863",)) or ([], [])
    assert [(r.exporter, r.rate) for r in rows] == [("Acme", Decimal("12.50"))]
    assert unread == [
        "rate table 3: column 'Assessment rate (dollars per kilogram)' is per unit, not percent: not read"
    ]


def test_case_type_from_context_when_headers_are_silent() -> None:
    table = read_gpotable(etree.fromstring(
        b'<GPOTABLE><BOXHD><CHED H="1">Exporter</CHED><CHED H="1">Rate (percent)</CHED></BOXHD>'
        b"<ROW><ENT>Acme</ENT><ENT>5.00</ENT></ROW></GPOTABLE>"
    ))  # fmt: skip
    rows, unread = parse_rate_table(
        table, number=1, context="The subsidy rates are:", cases=("A-570-148", "C-570-149")
    ) or ([], [])
    assert [(r.case_type, r.case_number, r.exporter, r.basis) for r in rows] == [
        (CaseType.CVD, "C-570-149", "Acme", RateBasis.COMPANY)]  # fmt: skip
    assert unread == []


def test_final_results_ad_table_with_split_rows() -> None:
    """Constructed final results (A-533-840), rows read by hand from the fixture."""
    notice = extract_notice_facts(
        fixture_bytes("fr_xml", "constructed_final_results_ad_shrimp_india.xml"),
        publication_date=date(2024, 9, 9),
    )
    assert notice.case_numbers == ("A-533-840",)
    assert notice.cited_case_numbers == ("A-552-802",)
    assert notice.period_of_review == (date(2022, 2, 1), date(2023, 1, 31))
    assert notice.hts_codes == (
        "0306170003", "0306170006", "0306170009", "1605211030", "1605291010", "160521")  # fmt: skip
    assert [(r.exporter, r.rate, r.basis, r.footnotes) for r in notice.rates] == [
        ("Apex Frozen Foods Private Limited", Decimal("1.23"), RateBasis.COMPANY, ()),
        ("Devi Sea Foods Limited, Devi Marine Food Exports Private Limited, and Kader Exports "
         "Private Limited", Decimal("0.00"), RateBasis.COMPANY, ("2", "*")),
        ("Falcon Marine Exports Limited", Decimal("0.33"), RateBasis.COMPANY, ("de minimis",)),
        ("Nekkanti Sea Foods Limited", None, RateBasis.COMPANY, ("de minimis",)),
        ("Sandhya Aqua Exports Pvt. Ltd", Decimal("1.23"), RateBasis.COMPANY, ()),
        (None, Decimal("10.17"), RateBasis.ALL_OTHERS, ()),
    ]  # fmt: skip
    assert {(r.case_type, r.case_number) for r in notice.rates} == {(CaseType.AD, "A-533-840")}
    assert notice.deadlines == [] and notice.unread == []


def test_preliminary_cvd_table_with_spanning_header_and_notes_column() -> None:
    notice = extract_notice_facts(
        fixture_bytes("fr_xml", "constructed_prelim_results_cvd_tubing_india.xml"),
        publication_date=date(2024, 12, 2),
    )
    assert [(r.exporter, r.rate, r.footnotes) for r in notice.rates] == [
        ("Goodluck India Limited", Decimal("4.65"), ("3",)),
        ("Tube Investments of India Limited", Decimal("0.45"), ("de minimis",)),
        ("Heavy Metal & Tubes (India) Private Limited", Decimal("4.65"), ()),
    ]
    assert {(r.case_type, r.case_number, r.basis) for r in notice.rates} == {
        (CaseType.CVD, "C-533-874", RateBasis.COMPANY)}  # fmt: skip
