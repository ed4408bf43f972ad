"""The 19 CFR 351.107 cascade, step by step, on real rate tables.

Rows typed by hand from FR Doc 2024-02902 (89 FR 9834, Gas Powered Pressure Washers From the
People's Republic of China: AD and CVD Orders, applicable February 12, 2024) and from the trade.gov
announcement of the preliminary AD determination on active anode material from China (A-570-194,
July 17, 2025; no effective date given there, so none is stored).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from worker.rules.cascade import RateOption, resolve_deposit_rate, stack_rates

D = Decimal
PW_DOC = "2024-02902"
PW_DATE = date(2024, 2, 12)
JJE = "Jiangsu Jianghuai Engine Co., Ltd"
SUMEC = "Sumec Hardware and Tools Co., Ltd"
DANAU = "Zhejiang Danau Machine Co., Ltd"


def pw_ad(exporter: str, producer: str, margin: str, deposit: str, basis: str) -> RateOption:
    return RateOption("A-570-148", exporter, producer, D(margin), D(deposit), basis, PW_DATE, PW_DOC)


def pw_cvd(company: str, rate: str, basis: str = "company") -> RateOption:
    return RateOption("C-570-149", company, "", D(rate), None, basis, PW_DATE, PW_DOC)


PW_AD_ROWS = [
    pw_ad(JJE, JJE, "274.37", "263.83", "combination"),
    pw_ad(SUMEC, SUMEC, "179.88", "169.34", "combination"),
    pw_ad(DANAU, DANAU, "179.88", "169.34", "combination"),
    pw_ad("", "", "274.37", "263.83", "country_wide"),  # China-Wide Entity
]
PW_CVD_ROWS = [
    pw_cvd("Jiangsu Jianghuai Engine Co., Ltd.", "11.19"),
    # footnote 10: cross-owned with JD Power (Jiangsu Jianghuai), so the same rate
    pw_cvd("Jiangsu Nonghua Intelligent Agriculture Technology Co., Ltd.", "11.19"),
    pw_cvd("Chongqing Dajiang Power Equipment Co., Ltd", "206.57"),
    pw_cvd("China GTL Tools Group, Ltd", "206.57"),
    pw_cvd("Loncin Motor Co., Ltd", "206.57"),
    pw_cvd("Powerful Machinery & Electronics Technology Developing Co., Ltd", "206.57"),
    pw_cvd("Zhejiang Zhinanche Cleaning Equipment Co., Ltd", "206.57"),
    pw_cvd("", "11.19", "all_others"),
]

AAM_NOTICE = "trade.gov announcement 2025-07-17"


def aam(exporter: str, producer: str, margin: str, deposit: str, basis: str) -> RateOption:
    return RateOption("A-570-194", exporter, producer, D(margin), D(deposit), basis, None, AAM_NOTICE)


AAM_ROWS = [
    aam("Tesla (Shanghai) Co., Ltd.", "BTR New Material Group Sales Co. Ltd.", "93.50", "93.50",
        "combination"),
    aam("Tesla (Shanghai) Co., Ltd.", "Shijiazhuang Shangtai Technology Co., Ltd.", "93.50",
        "93.50", "combination"),
    aam("Panasonic Energy Mexico, S.A. de C.V.", "Resonac Corporation", "93.50", "93.50",
        "combination"),
    aam("Canadian Solar Energy Holding Company Limited", "EVE Power Co., Ltd.", "93.50", "93.50",
        "combination"),
    aam("", "", "102.72", "102.72", "country_wide"),  # China-Wide Entity (AFA)
]  # fmt: skip

ENTRY = date(2024, 6, 3)
CASES = [
    # id, rows, exporter, producer, entry date, expected step, rate, possible match expected
    ("pw-ad-combination-sumec", PW_AD_ROWS, SUMEC, SUMEC, ENTRY, "combination", "169.34", False),
    ("pw-ad-combination-normalised-name", PW_AD_ROWS, "Sumec Hardware & Tools Co., Ltd.",
     "SUMEC HARDWARE AND TOOLS CO LTD", ENTRY, "combination", "169.34", False),
    ("pw-ad-jje-pair", PW_AD_ROWS, JJE, JJE, ENTRY, "combination", "263.83", False),
    ("pw-ad-pair-not-named-china-wide", PW_AD_ROWS, SUMEC, "Ningbo Example Cleaning Machinery",
     ENTRY, "country_wide", "263.83", False),
    ("pw-ad-no-producer-china-wide", PW_AD_ROWS, JJE, None, ENTRY, "country_wide", "263.83",
     False),
    ("pw-ad-possible-name-falls-through", PW_AD_ROWS, "Sumec Hardware Tools Trading",
     "Sumec Hardware Tools Trading", ENTRY, "country_wide", "263.83", True),
    ("pw-ad-before-effective-no-rate", PW_AD_ROWS, SUMEC, SUMEC, date(2024, 2, 11), "no_rate",
     None, False),
    ("pw-cvd-exporter-rate", PW_CVD_ROWS, "Chongqing Dajiang Power Equipment Co., Ltd",
     None, ENTRY, "exporter", "206.57", False),
    ("pw-cvd-exporter-amp", PW_CVD_ROWS,
     "Powerful Machinery &amp; Electronics Technology Developing Co., Ltd", "Loncin Motor Co Ltd",
     ENTRY, "exporter", "206.57", False),
    ("pw-cvd-producer-rate", PW_CVD_ROWS, "Example Trading (HK) Ltd", JJE, ENTRY, "producer",
     "11.19", False),
    ("pw-cvd-cross-owned-producer", PW_CVD_ROWS, None,
     "Jiangsu Nonghua Intelligent Agriculture Technology Co Ltd", ENTRY, "producer", "11.19",
     False),
    ("pw-cvd-all-others-not-country-wide", PW_CVD_ROWS, "Example Trading (HK) Ltd",
     "Example Factory", ENTRY, "all_others", "11.19", False),
    ("aam-combination-tesla-btr", AAM_ROWS, "Tesla (Shanghai) Co., Ltd",
     "BTR New Material Group Sales Co., Ltd.", date(2025, 9, 1), "combination", "93.50", False),
    ("aam-combination-sa-de-cv", AAM_ROWS, "Panasonic Energy Mexico SA.DE.CV.",
     "Resonac Corporation", date(2025, 9, 1), "combination", "93.50", False),
    ("aam-pair-not-named-china-wide", AAM_ROWS, "Tesla (Shanghai) Co., Ltd.",
     "Resonac Corporation", date(2025, 9, 1), "country_wide", "102.72", False),
    ("aam-unknown-exporter-china-wide", AAM_ROWS, "Example Anode Trading Co.", None,
     date(2025, 9, 1), "country_wide", "102.72", False),
]  # fmt: skip


@pytest.mark.parametrize(
    ("rows", "exporter", "producer", "entry", "step", "rate", "possible"),
    [pytest.param(*c[1:], id=c[0]) for c in CASES],
)
def test_cascade_steps(
    rows: list[RateOption],
    exporter: str | None,
    producer: str | None,
    entry: date,
    step: str,
    rate: str | None,
    possible: bool,
) -> None:
    result = resolve_deposit_rate(
        rows, country="CN", exporter=exporter, producer=producer, entry_date=entry, threshold=90
    )
    assert result.step == step
    assert result.rate == (None if rate is None else D(rate))
    assert bool(result.possible_matches) is possible
    assert result.case_number == rows[0].case_number
    assert result.citation.startswith("19 CFR 351.107") or step == "no_rate"
    if result.option is not None:
        assert result.notice_document_number == rows[0].notice_document_number
        assert result.effective_date == rows[0].effective_date
    if step in ("combination", "exporter", "producer"):
        assert result.match_status in ("exact", "alias", "fuzzy")
        assert result.match_score is not None and result.match_score >= 90


def test_cash_deposit_preferred_over_margin() -> None:
    result = resolve_deposit_rate(
        PW_AD_ROWS, country="CN", exporter=SUMEC, producer=SUMEC, entry_date=ENTRY, threshold=90
    )
    assert (result.rate, result.rate_kind, result.option and result.option.rate) == (
        D("169.34"),
        "cash_deposit",
        D("179.88"),
    )


def test_no_producer_note_and_no_effective_date_note() -> None:
    result = resolve_deposit_rate(
        PW_AD_ROWS, country="CN", exporter=JJE, producer=None, entry_date=ENTRY, threshold=90
    )
    assert any("need the producer named" in n for n in result.notes)
    aam_result = resolve_deposit_rate(
        AAM_ROWS, country="CN", exporter=None, producer=None, entry_date=date(2025, 9, 1), threshold=90
    )
    assert any("effective date is not stated" in n for n in aam_result.notes)


def test_latest_effective_rate_wins_and_future_rates_wait() -> None:
    # Constructed: a later review rate for Sumec, to check the date rule only.
    review = replace(
        PW_AD_ROWS[1],
        cash_deposit=D("50.00"),
        effective_date=date(2025, 3, 1),
        notice_document_number="constructed-review",
    )
    rows = [*PW_AD_ROWS, review]
    before = resolve_deposit_rate(
        rows, country="CN", exporter=SUMEC, producer=SUMEC, entry_date=date(2025, 2, 28), threshold=90
    )
    after = resolve_deposit_rate(
        rows, country="CN", exporter=SUMEC, producer=SUMEC, entry_date=date(2025, 3, 1), threshold=90
    )
    assert (before.rate, before.notice_document_number) == (D("169.34"), PW_DOC)
    assert any("after the entry date" in n for n in before.notes)
    assert (after.rate, after.notice_document_number) == (D("50.00"), "constructed-review")


def test_market_economy_ad_never_takes_the_country_wide_rate() -> None:
    # Rule check on the same rows: a market-economy origin has no country-wide entity.
    result = resolve_deposit_rate(
        PW_AD_ROWS, country="KR", exporter="Example Korea Co", producer=None, entry_date=ENTRY, threshold=90
    )
    assert (result.step, result.rate) == ("no_rate", None)
    assert any("does not apply" in n for n in result.notes)


def test_empty_and_mixed_inputs() -> None:
    empty = resolve_deposit_rate(
        [],
        country="CN",
        exporter=None,
        producer=None,
        entry_date=ENTRY,
        threshold=90,
        case_number="A-570-932",
    )
    assert (empty.case_number, empty.step, empty.rate) == ("A-570-932", "no_rate", None)
    with pytest.raises(ValueError, match="several cases"):
        resolve_deposit_rate(
            [*PW_AD_ROWS, *PW_CVD_ROWS],
            country="CN",
            exporter=None,
            producer=None,
            entry_date=ENTRY,
            threshold=90,
        )


@pytest.mark.parametrize(
    ("exporter", "total"),
    [
        pytest.param(SUMEC, "180.53", id="sumec-169.34+11.19"),
        pytest.param(JJE, "275.02", id="jje-263.83+11.19"),
    ],
)
def test_stack_ad_and_cvd(exporter: str, total: str) -> None:
    ad = resolve_deposit_rate(
        PW_AD_ROWS, country="CN", exporter=exporter, producer=exporter, entry_date=ENTRY, threshold=90
    )
    cvd = resolve_deposit_rate(
        PW_CVD_ROWS, country="CN", exporter=exporter, producer=exporter, entry_date=ENTRY, threshold=90
    )
    stacked = stack_rates(ad, cvd)
    assert (stacked.total, stacked.complete) == (D(total), True)


def test_stack_with_a_missing_rate_is_incomplete() -> None:
    ad = resolve_deposit_rate(
        [],
        country="CN",
        exporter=None,
        producer=None,
        entry_date=ENTRY,
        threshold=90,
        case_number="A-570-104",
    )
    stacked = stack_rates(ad, None)
    assert (stacked.total, stacked.complete) == (None, False)
    assert stacked.notes == ("A-570-104: no rate in catalog",)
