"""A company's rate stated in prose under its short name (shapes of real amended results/remands).

Companies and figures invented; expectations written by hand.
"""

from __future__ import annotations

from decimal import Decimal

from watchers.company_prose_rates import extract_company_prose_rates
from watchers.records import CaseType, RateBasis


def _rates(*sentences: str, cases: tuple[str, ...] = ("A-588-999",)) -> list[tuple[object, ...]]:
    rows = extract_company_prose_rates(list(sentences), cases=cases, existing=[])
    return [(r.case_type, r.case_number, r.exporter, r.rate, r.basis) for r in rows]


def test_margin_revised_under_the_short_name() -> None:
    assert _rates(
        "The respondent in this review is Osaka Widget Works, Ltd. (OWW).",
        "Revise OWW' margin in the final results of this review to apply a rate of 59.67 percent, "
        "the highest dumping margin alleged in the petition.",
    ) == [(CaseType.AD, "A-588-999", "Osaka Widget Works, Ltd.", Decimal("59.67"), RateBasis.COMPANY)]


def test_margin_for_the_short_name_is() -> None:
    assert (
        _rates(
            "We selected Example Boru Sanayi A.S. (\u201cBoru\u201d) as the mandatory respondent.",
            "The weighted-average dumping margin for Boru's entries is 3.18 percent.",
        )
        == []
    )  # 'Boru's entries': the margin is not stated for the company itself
    assert _rates(
        "We selected Example Boru Sanayi A.S. (\u201cBoru\u201d) as the mandatory respondent.",
        "The weighted-average dumping margin for Boru is 3.18 percent.",
    ) == [(CaseType.AD, "A-588-999", "Example Boru Sanayi A.S.", Decimal("3.18"), RateBasis.COMPANY)]


def test_no_rate_without_a_defined_short_name_or_a_percent() -> None:
    assert _rates("Revise OWW's margin to apply a rate of 59.67 percent.") == []
    assert (
        _rates("Osaka Widget Works, Ltd. (OWW) filed comments.", "OWW's rate of duty will be set later.")
        == []
    )
