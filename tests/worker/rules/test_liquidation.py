"""Liquidation windows after final results: instructions, appeals, deemed liquidation (19 U.S.C. 1504(d))."""

from __future__ import annotations

from datetime import date

import pytest

from worker.rules.liquidation import add_months, automatic_assessment_outlook, liquidation_outlook

# Final results of the first review of A-570-148 as if published on Monday 2026-03-02 (CONSTRUCTED date).
FINAL = date(2026, 3, 2)


def test_unappealed_final_results_give_instructions_liquidation_and_the_deemed_deadline() -> None:
    outlook = liquidation_outlook(FINAL)
    instructions = outlook.window("instructions")
    liquidation = outlook.window("liquidation")
    deemed = outlook.window("deemed_liquidation")
    assert instructions is not None and liquidation is not None and deemed is not None
    # 2026-03-02 + 35 days = 2026-04-06 (29 days to March 31, 6 into April);
    # + 90 days = 2026-05-31 (29 + 30 + 31).
    assert (instructions.earliest, instructions.latest) == (date(2026, 4, 6), date(2026, 5, 31))
    # Publication is CBP's notice (International Trading Co.); six months later: 2026-09-02.
    assert (liquidation.earliest, liquidation.latest) == (date(2026, 4, 6), date(2026, 9, 2))
    assert deemed.latest == date(2026, 9, 2)
    assert "1504(d)" in deemed.rule and "International Trading Co." in deemed.rule
    assert "35 days" in instructions.rule
    assert outlook.interest_until == date(2026, 9, 2)
    assert not outlook.suspended


def test_an_appeal_suspends_liquidation_with_no_date() -> None:
    outlook = liquidation_outlook(FINAL, appealed=True)
    assert outlook.suspended
    assert outlook.interest_until is None
    assert [w.kind for w in outlook.windows] == ["suspended_by_appeal"]
    assert "1516a" in outlook.rule


def test_the_final_court_decision_restarts_the_windows_from_its_notice() -> None:
    outlook = liquidation_outlook(FINAL, appealed=True, court_decision_published=date(2027, 5, 14))
    deemed = outlook.window("deemed_liquidation")
    instructions = outlook.window("instructions")
    assert deemed is not None and instructions is not None
    assert deemed.latest == date(2027, 11, 14)
    assert instructions.earliest == date(2027, 6, 18)  # 2027-05-14 + 35 days
    assert outlook.interest_until == date(2027, 11, 14)
    assert "1516a" in deemed.rule


def test_a_known_date_of_cbps_notice_sets_the_deadline() -> None:
    outlook = liquidation_outlook(FINAL, cbp_notice_date=date(2026, 4, 20))
    deemed = outlook.window("deemed_liquidation")
    assert deemed is not None and deemed.latest == date(2026, 10, 20)


def test_a_court_decision_before_the_results_is_refused() -> None:
    with pytest.raises(ValueError, match="cannot precede"):
        liquidation_outlook(FINAL, appealed=True, court_decision_published=date(2026, 1, 1))


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2025, 8, 31), 6, date(2026, 2, 28)),
        (date(2027, 8, 31), 6, date(2028, 2, 29)),
        (date(2026, 9, 2), 6, date(2027, 3, 2)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
    ],
)
def test_add_months_clamps_to_the_months_end(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


def test_a_period_no_one_asked_to_review_liquidates_at_the_deposit_after_the_anniversary_month() -> None:
    # A-570-148's second period ends 2026-01-31; requests close with February 2026.
    unknown = automatic_assessment_outlook(date(2026, 2, 28))
    instructions = unknown.window("instructions")
    assert instructions is not None and instructions.earliest == date(2026, 3, 1)
    assert instructions.latest is None and unknown.interest_until is None
    assert "351.212(c)" in unknown.rule
    known = automatic_assessment_outlook(date(2026, 2, 28), cbp_notice_date=date(2026, 3, 20))
    deemed = known.window("deemed_liquidation")
    assert deemed is not None and deemed.latest == date(2026, 9, 20)
