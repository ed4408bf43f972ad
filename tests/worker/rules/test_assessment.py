"""What review results cost entries of a real order, worked by hand: A-570-148, pressure washers from China.

Real: the order's dates and deposit rates (FR Doc 2024-02902, 89 FR 9834; see test_review_period.py)
- Sumec Hardware and Tools Co., Ltd and Zhejiang Danau Machine Co., Ltd deposit 169.34%, the
China-Wide Entity 263.83% - and the CBP interest rates (worker/data/irs_interest_rates.csv).
CONSTRUCTED: the review results (no results of this order's first review are in the corpus): the
final results of the first period give Sumec 185.12%, importer Acme Outdoor Inc. 120.00% on Sumec's
sales, rescind the review for Danau; a court decision later sets Sumec at 160.00%; preliminary
results of the second period give Sumec 150.00%. The entries (numbers, values) are constructed too.
Interest is computed to chosen dates here; test_liquidation.py covers the expected dates.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from worker.rules.assessment import (
    EntryLine,
    EntryParty,
    ImporterRate,
    ResultsNotice,
    assess_entry,
    choose_assessment_rate,
    total_assessments,
)
from worker.rules.cascade import RateOption
from worker.rules.interest import bundled_interest_rates
from worker.rules.review_period import OrderDates

D = Decimal
CASE = "A-570-148"
SUMEC = "Sumec Hardware and Tools Co., Ltd"
DANAU = "Zhejiang Danau Machine Co., Ltd"
ORDER = OrderDates(CASE, date(2023, 8, 3), date(2024, 2, 12), date(2024, 1, 29), date(2024, 2, 9))
RATES = bundled_interest_rates()


def row(exporter: str, producer: str, rate: str, basis: str, doc: str) -> RateOption:
    return RateOption(CASE, exporter, producer, D(rate), None, basis, None, doc)


FINAL_1 = ResultsNotice(
    document_number="CONSTRUCTED-FINAL-1",
    case_number=CASE,
    kind="final",
    published=date(2026, 3, 2),
    period_start=date(2023, 8, 3),
    period_end=date(2025, 1, 31),
    company_rates=(
        row(SUMEC, SUMEC, "185.12", "combination", "CONSTRUCTED-FINAL-1"),
        row("", "", "263.83", "country_wide", "CONSTRUCTED-FINAL-1"),
    ),
    importer_rates=(ImporterRate("Acme Outdoor Inc.", SUMEC, D("120.00")),),
    rescinded_companies=(DANAU,),
)
COURT_1 = ResultsNotice(
    document_number="CONSTRUCTED-COURT-1",
    case_number=CASE,
    kind="court_decision",
    published=date(2027, 5, 14),
    company_rates=(row(SUMEC, SUMEC, "160.00", "combination", "CONSTRUCTED-COURT-1"),),
)
PRELIM_2 = ResultsNotice(
    document_number="CONSTRUCTED-PRELIM-2",
    case_number=CASE,
    kind="preliminary",
    published=date(2026, 9, 1),
    period_start=date(2025, 2, 1),
    period_end=date(2026, 1, 31),
    company_rates=(row(SUMEC, SUMEC, "150.00", "combination", "CONSTRUCTED-PRELIM-2"),),
)
BETA_VIA_SUMEC = EntryParty("Beta Tools LLC", SUMEC, SUMEC, "CN")
ACME_VIA_SUMEC = EntryParty("Acme Outdoor Inc.", SUMEC, SUMEC, "CN")
BETA_VIA_DANAU = EntryParty("Beta Tools LLC", DANAU, DANAU, "CN")

# Last day of the first period, and first day of the second: 10,000.00 and 20,000.00 at 169.34%.
E1 = EntryLine("ABC-1234567-1", date(2025, 1, 31), D("10000.00"), D("169.34"), D("16934.00"))
E2 = EntryLine("ABC-1234568-9", date(2025, 2, 1), D("20000.00"), D("169.34"), D("33868.00"))


def test_final_results_assess_the_companys_rate_with_interest_owed_to_the_cent() -> None:
    rate = choose_assessment_rate(BETA_VIA_SUMEC, E1, [FINAL_1], threshold=90)
    assert (rate.rate_pct, rate.which, rate.cascade_step, rate.match_status) == (
        D("185.12"),
        "company",
        "combination",
        "exact",
    )
    assert rate.source_document_number == "CONSTRUCTED-FINAL-1" and not rate.projected
    assert "351.107(b)(1)" in rate.rule
    # 10,000.00 x 185.12% = 18,512.00 assessed; - 16,934.00 deposit = 1,578.00 owed.
    # Interest 2025-01-31 .. 2025-07-15: 60 + 91 + 14 = 165 days, all at 7% / 365 (2025-Q1..Q3):
    #   1,578.00 x ((1 + 0.07/365)^165 - 1) = 50.7275 -> 50.73 (simple: 49.93)
    bill = assess_entry(E1, rate, interest_until=date(2025, 7, 15), interest_rates=RATES, order=ORDER)
    assert (bill.assessed_duty_usd, bill.difference_usd, bill.interest_usd) == (
        D("18512.00"),
        D("1578.00"),
        D("50.73"),
    )
    assert bill.total_usd == D("1628.73")
    assert "1677g" in bill.interest_rule and "underpayment" in bill.interest_rule
    assert "positive is owed" in bill.difference_rule


def test_an_importer_specific_rate_wins_and_a_refund_earns_interest() -> None:
    rate = choose_assessment_rate(ACME_VIA_SUMEC, E1, [FINAL_1], threshold=90)
    assert (rate.rate_pct, rate.which, rate.matched_name) == (
        D("120.00"),
        "importer_specific",
        "Acme Outdoor Inc.",
    )
    assert "351.212(b)(1)" in rate.rule
    # 10,000.00 x 120.00% = 12,000.00; - 16,934.00 = -4,934.00 refunded.
    # Corporate overpayment rate 6% (2025-Q1..Q3), 165 days:
    #   4,934.00 x ((1 + 0.06/365)^165 - 1) = 135.6464 -> 135.65, refunded.
    bill = assess_entry(E1, rate, interest_until=date(2025, 7, 15), interest_rates=RATES, order=ORDER)
    assert (bill.difference_usd, bill.interest_usd, bill.total_usd) == (
        D("-4934.00"),
        D("-135.65"),
        D("-5069.65"),
    )
    assert "overpayment" in bill.interest_rule


def test_the_importer_specific_rate_belongs_to_its_exporters_sales_only() -> None:
    acme_via_danau_final = ResultsNotice(
        "CONSTRUCTED-FINAL-1B", CASE, "final", date(2026, 3, 2), company_rates=FINAL_1.company_rates,
        importer_rates=FINAL_1.importer_rates,
    )  # fmt: skip
    party = EntryParty("Acme Outdoor Inc.", DANAU, DANAU, "CN")
    rate = choose_assessment_rate(party, E1, [acme_via_danau_final], threshold=90)
    assert rate.which == "unreviewed_companies"
    assert (rate.rate_pct, rate.cascade_step) == (D("263.83"), "country_wide")


def test_a_review_rescinded_for_one_company_and_not_another() -> None:
    danau = choose_assessment_rate(BETA_VIA_DANAU, E1, [FINAL_1], threshold=90)
    sumec = choose_assessment_rate(BETA_VIA_SUMEC, E1, [FINAL_1], threshold=90)
    assert (danau.which, danau.rate_pct) == ("deposit_at_entry", D("169.34"))
    assert "351.212(c)" in danau.rule
    assert (sumec.which, sumec.rate_pct) == ("company", D("185.12"))
    # At the deposit rate: 10,000.00 x 169.34% = 16,934.00, no difference, no interest.
    bill = assess_entry(E1, danau, interest_until=date(2025, 7, 15), interest_rates=RATES, order=ORDER)
    assert (bill.difference_usd, bill.interest_usd, bill.interest) == (D("0.00"), D("0.00"), None)


def test_a_rescission_notice_of_the_whole_review_and_an_unrequested_review_give_the_deposit_rate() -> None:
    whole = ResultsNotice("CONSTRUCTED-RESCISSION", CASE, "rescission", date(2025, 7, 1))
    none = ResultsNotice("", CASE, "no_review", date(2025, 3, 1))
    for notice in (whole, none):
        rate = choose_assessment_rate(BETA_VIA_SUMEC, E1, [notice], threshold=90)
        assert (rate.which, rate.rate_pct, rate.projected) == ("deposit_at_entry", D("169.34"), False)


def test_a_court_decision_after_final_results_replaces_the_rate_for_the_companies_it_names() -> None:
    rate = choose_assessment_rate(BETA_VIA_SUMEC, E1, [FINAL_1, COURT_1], threshold=90)
    assert (rate.rate_pct, rate.source_document_number) == (D("160.00"), "CONSTRUCTED-COURT-1")
    assert "1516a(e)" in rate.rule
    # 10,000.00 x 160.00% = 16,000.00; - 16,934.00 = -934.00 refunded; 165 days at 6%:
    #   934.00 x ((1 + 0.06/365)^165 - 1) = 25.6777 -> 25.68
    bill = assess_entry(E1, rate, interest_until=date(2025, 7, 15), interest_rates=RATES, order=ORDER)
    assert (bill.difference_usd, bill.interest_usd) == (D("-934.00"), D("-25.68"))
    # The court's rate for Sumec replaces the importer-specific rate the final results drew from
    # Sumec's margin; the note says the recalculated importer rate is not known.
    acme = choose_assessment_rate(ACME_VIA_SUMEC, E1, [COURT_1, FINAL_1], threshold=90)
    assert (acme.rate_pct, acme.source_document_number) == (D("160.00"), "CONSTRUCTED-COURT-1")
    assert "gave this importer its own rate (120.00%)" in acme.notes[-1]
    # The rescinded company is not named by the court: still its deposit.
    danau = choose_assessment_rate(BETA_VIA_DANAU, E1, [FINAL_1, COURT_1], threshold=90)
    assert danau.which == "deposit_at_entry"


def test_preliminary_results_of_the_next_period_are_a_projection() -> None:
    rate = choose_assessment_rate(BETA_VIA_SUMEC, E2, [PRELIM_2], threshold=90)
    assert (rate.rate_pct, rate.projected) == (D("150.00"), True)
    assert "projection" in rate.rule
    # 20,000.00 x 150.00% = 30,000.00; - 33,868.00 = -3,868.00 (refund, projected).
    # 2025-02-01 .. 2026-01-01: 59 + 91 + 92 + 92 = 334 days at 6% / 365 (corporate, 2025-Q1..Q4):
    #   3,868.00 x ((1 + 0.06/365)^334 - 1) = 218.2888 -> 218.29
    bill = assess_entry(E2, rate, interest_until=date(2026, 1, 1), interest_rates=RATES, order=ORDER)
    assert (bill.difference_usd, bill.interest_usd, bill.projected) == (D("-3868.00"), D("-218.29"), True)


def test_final_results_win_over_the_preliminary_ones() -> None:
    prelim_1 = ResultsNotice(
        "CONSTRUCTED-PRELIM-1", CASE, "preliminary", date(2025, 11, 1),
        company_rates=(row(SUMEC, SUMEC, "199.00", "combination", "CONSTRUCTED-PRELIM-1"),),
    )  # fmt: skip
    rate = choose_assessment_rate(BETA_VIA_SUMEC, E1, [prelim_1, FINAL_1], threshold=90)
    assert (rate.rate_pct, rate.projected) == (D("185.12"), False)


def test_totals_are_sums_of_the_rounded_entry_figures() -> None:
    rates = [
        choose_assessment_rate(BETA_VIA_SUMEC, E1, [FINAL_1], threshold=90),
        choose_assessment_rate(BETA_VIA_SUMEC, E2, [PRELIM_2], threshold=90),
    ]
    bills = [
        assess_entry(E1, rates[0], interest_until=date(2025, 7, 15), interest_rates=RATES, order=ORDER),
        assess_entry(E2, rates[1], interest_until=date(2026, 1, 1), interest_rates=RATES, order=ORDER),
    ]
    totals = total_assessments(bills)
    # Owed 1,578.00 + 50.73 interest; refunded 3,868.00 + 218.29 interest;
    # net 1,628.73 - 4,086.29 = -2,457.56.
    assert (totals.owed_usd, totals.interest_owed_usd) == (D("1578.00"), D("50.73"))
    assert (totals.refund_usd, totals.interest_refund_usd) == (D("3868.00"), D("218.29"))
    assert totals.net_usd == D("-2457.56")
    assert totals.deposit_paid_usd == D("50802.00") and totals.assessed_duty_usd == D("48512.00")
    assert totals.projected and totals.entries == 2
    assert "half up to the cent" in totals.rounding_rule and "sums of the rounded" in totals.rounding_rule


def test_provisional_measures_entries_owe_no_more_than_their_deposit_and_no_interest() -> None:
    # Entered 2023-09-15 (after the preliminary, before the ITC's final determination): 5,000.00 at
    # a deposit of 150.00% = 7,500.00 (constructed figures). At 185.12% the duty is 9,256.00, but
    # 19 U.S.C. 1673f(a) disregards the 1,756.00 above the deposit: difference 0.00, no interest.
    early = EntryLine("ABC-0000001-1", date(2023, 9, 15), D("5000.00"), D("150.00"), D("7500.00"))
    rate = choose_assessment_rate(BETA_VIA_SUMEC, early, [FINAL_1], threshold=90)
    bill = assess_entry(early, rate, interest_until=date(2026, 9, 2), interest_rates=RATES, order=ORDER)
    assert (bill.assessed_duty_usd, bill.difference_usd, bill.interest_usd) == (
        D("9256.00"),
        D("0.00"),
        D("0.00"),
    )
    assert "1673f(a)" in bill.difference_rule
    # A lower final rate is refunded, without interest: entered before the order (1677g(a)).
    court = choose_assessment_rate(BETA_VIA_SUMEC, early, [FINAL_1, COURT_1], threshold=90)
    refund = assess_entry(early, court, interest_until=date(2026, 9, 2), interest_rates=RATES, order=ORDER)
    # 5,000.00 x 160.00% = 8,000.00: 500.00 above the deposit, disregarded too.
    assert refund.difference_usd == D("0.00")
    cheap = EntryLine("ABC-0000002-2", date(2024, 2, 10), D("5000.00"), D("200.00"), D("10000.00"))
    lower = assess_entry(cheap, court, interest_until=date(2026, 9, 2), interest_rates=RATES, order=ORDER)
    # Entered 2024-02-10, after the ITC's determination (2024-02-09) but before the order
    # (2024-02-12): 8,000.00 - 10,000.00 = -2,000.00 refunded (1673f(b)), no interest (1677g(a)).
    assert (lower.difference_usd, lower.interest_usd, lower.interest) == (D("-2000.00"), D("0.00"), None)
    assert "1677g(a)" in lower.interest_rule


def test_without_the_orders_dates_the_notes_say_what_was_not_checked() -> None:
    rate = choose_assessment_rate(BETA_VIA_SUMEC, E1, [FINAL_1], threshold=90)
    bill = assess_entry(E1, rate, interest_until=date(2025, 7, 15), interest_rates=RATES)
    assert bill.difference_usd == D("1578.00")
    assert any("provisional-measures cap" in note for note in bill.notes)


def test_a_company_not_in_the_results_takes_the_unreviewed_rate_named() -> None:
    final = ResultsNotice(
        "CONSTRUCTED-FINAL-MARKET", "A-580-001", "final", date(2026, 3, 2),
        company_rates=(RateOption("A-580-001", "Hanwha Co", "", D("4.10"), None, "company", None, "x"),),
        unreviewed_rate_pct=D("3.25"),
    )  # fmt: skip
    entry = EntryLine("X-1", date(2025, 5, 1), D("1000.00"), D("5.00"), D("50.00"))
    rate = choose_assessment_rate(
        EntryParty("Gamma Inc.", "Other Korea Co", None, "KR"), entry, [final], threshold=90
    )
    assert (rate.which, rate.rate_pct) == ("unreviewed_companies", D("3.25"))
    assert any("351.212(c)" in note for note in rate.notes)
    named = choose_assessment_rate(
        EntryParty("Gamma Inc.", "Hanwha Co.", None, "KR"), entry, [final], threshold=90
    )
    assert (named.which, named.rate_pct, named.cascade_step) == ("company", D("4.10"), "exporter")


def test_a_company_the_results_give_no_rate_is_assessed_at_its_deposit() -> None:
    final = ResultsNotice(
        "CONSTRUCTED-FINAL-MARKET", "A-580-001", "final", date(2026, 3, 2),
        company_rates=(RateOption("A-580-001", "Hanwha Co", "", D("4.10"), None, "company", None, "x"),),
    )  # fmt: skip
    entry = EntryLine("X-1", date(2025, 5, 1), D("1000.00"), D("5.00"), D("50.00"))
    rate = choose_assessment_rate(
        EntryParty("Gamma Inc.", "Other Korea Co", None, "KR"), entry, [final], threshold=90
    )
    assert (rate.which, rate.rate_pct) == ("deposit_at_entry", D("5.00"))
    assert "not under review" in rate.notes[0]


def test_bad_input_is_refused_with_one_line() -> None:
    with pytest.raises(ValueError, match="entry ABC-1234567-1: no results notice decides it"):
        choose_assessment_rate(BETA_VIA_SUMEC, E1, [], threshold=90)
    other = ResultsNotice("Y", "C-570-149", "final", date(2026, 3, 2))
    with pytest.raises(ValueError, match="several cases"):
        choose_assessment_rate(BETA_VIA_SUMEC, E1, [FINAL_1, other], threshold=90)
    with pytest.raises(ValueError, match="no final or preliminary results"):
        choose_assessment_rate(
            BETA_VIA_DANAU.__class__("B", "Nobody Ltd", None, "CN"), E1, [COURT_1], threshold=90
        )
    with pytest.raises(ValueError, match="unknown results notice kind 'finall'"):
        ResultsNotice("Z", CASE, "finall", date(2026, 3, 2))
    negative = EntryLine("N-1", date(2025, 3, 1), D("-1.00"), D("10"), D("0.00"))
    rate = choose_assessment_rate(BETA_VIA_SUMEC, negative, [FINAL_1], threshold=90)
    with pytest.raises(ValueError, match="entry N-1: the entered value cannot be negative"):
        assess_entry(negative, rate, interest_until=date(2025, 7, 15), interest_rates=RATES, order=ORDER)


def test_a_deposit_that_is_not_value_times_rate_is_noted_and_used_as_paid() -> None:
    odd = EntryLine("ABC-9", date(2025, 1, 31), D("10000.00"), D("169.34"), D("16000.00"))
    rate = choose_assessment_rate(BETA_VIA_SUMEC, odd, [FINAL_1], threshold=90)
    bill = assess_entry(odd, rate, interest_until=date(2025, 1, 31), interest_rates=RATES, order=ORDER)
    assert bill.difference_usd == D("2512.00")  # 18,512.00 - 16,000.00
    assert any("is not entered value x deposit rate (16934.00)" in note for note in bill.notes)


def test_an_entry_in_the_gap_after_provisional_measures_owes_no_duty_and_gets_its_deposit_back() -> None:
    # Entered 2024-02-01: provisional measures ended 2024-01-29, the ITC's determination was
    # published 2024-02-09, so the entry is liquidated without regard to AD duties. A deposit of
    # 1,000.00 taken anyway is refunded in full; no interest (entered before the order, 1677g(a)).
    gap = EntryLine("ABC-0000003-3", date(2024, 2, 1), D("5000.00"), D("20.00"), D("1000.00"))
    rate = choose_assessment_rate(BETA_VIA_SUMEC, gap, [FINAL_1], threshold=90)
    bill = assess_entry(gap, rate, interest_until=date(2026, 9, 2), interest_rates=RATES, order=ORDER)
    assert (bill.assessed_duty_usd, bill.difference_usd, bill.interest_usd) == (
        D("0.00"),
        D("-1000.00"),
        D("0.00"),
    )
    assert "gap period" in bill.difference_rule
    # The same entry without the order's dates is assessed like any other (and the notes say so).
    unchecked = assess_entry(gap, rate, interest_until=date(2026, 9, 2), interest_rates=RATES)
    assert unchecked.assessed_duty_usd == D("9256.00")


def test_a_rate_below_half_a_percent_is_de_minimis_and_assesses_nothing() -> None:
    # 19 CFR 351.106(c): importer-specific 0.42% -> entries liquidated without regard to duties.
    final = ResultsNotice(
        "CONSTRUCTED-FINAL-DM", "A-580-001", "final", date(2026, 3, 2),
        company_rates=(RateOption("A-580-001", "Hanwha Co", "", D("0.49"), None, "company", None, "x"),),
        importer_rates=(ImporterRate("Gamma Inc.", "Hanwha Co", D("0.42")),),
    )  # fmt: skip
    entry = EntryLine("X-2", date(2025, 5, 1), D("1000.00"), D("5.00"), D("50.00"))
    for importer in ("Gamma Inc.", "Delta Inc."):
        rate = choose_assessment_rate(
            EntryParty(importer, "Hanwha Co", None, "KR"), entry, [final], threshold=90
        )
        assert rate.rate_pct == D("0") and "351.106(c)" in rate.rule
    # 0.50% is not below 0.5%: it assesses. 1,000.00 x 0.50% = 5.00.
    at_line = ResultsNotice(
        "CONSTRUCTED-FINAL-DM2", "A-580-001", "final", date(2026, 3, 2),
        company_rates=(RateOption("A-580-001", "Hanwha Co", "", D("0.50"), None, "company", None, "x"),),
    )  # fmt: skip
    rate = choose_assessment_rate(
        EntryParty("Delta Inc.", "Hanwha Co", None, "KR"), entry, [at_line], threshold=90
    )
    bill = assess_entry(entry, rate, interest_until=date(2025, 5, 1), interest_rates=RATES)
    assert (rate.rate_pct, bill.assessed_duty_usd, bill.difference_usd) == (D("0.50"), D("5.00"), D("-45.00"))
