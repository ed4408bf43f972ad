"""Notice classification on real Federal Register titles (tests/fixtures/titles, see its .source.txt)."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

import pytest

from watchers.classify import classify_csv, classify_notice
from watchers.records import Agency, CaseType, NoticeKind, Revokes

TITLES = (
    Path(__file__).resolve().parents[1]
    / "fixtures/titles/fr_adcvd_titles_abstracts_2020_2026_from_deepseek_news.csv"
)
AD, CVD = CaseType.AD, CaseType.CVD
K = NoticeKind


@cache
def corpus() -> dict[str, dict[str, str]]:
    with TITLES.open(newline="", encoding="utf-8") as f:
        return {row["document_number"]: row for row in csv.DictReader(f)}


def classify_row(document_number: str):  # type: ignore[no-untyped-def]
    row = corpus()[document_number]
    return classify_notice(
        title=row["title"], abstract=row["abstract"] or None, document_number=document_number
    )


# Real documents by FR document number: (number, kind). At least three per kind the corpus holds.
KINDS = [
    ("2020-00490", K.INVESTIGATION_INITIATION),
    ("2022-08956", K.INVESTIGATION_INITIATION),
    ("2024-09161", K.INVESTIGATION_INITIATION),
    ("2020-03227", K.POSTPONEMENT),
    ("2023-11474", K.POSTPONEMENT),
    ("2025-02983", K.POSTPONEMENT),
    ("2024-07408", K.POSTPONEMENT),  # extension of the deadline to decide on initiating
    ("2021-09322", K.PRELIMINARY_DETERMINATION),  # "..., Postponement of Final Determination"
    ("2022-16722", K.PRELIMINARY_DETERMINATION),
    ("2020-06548", K.PRELIMINARY_DETERMINATION),  # "... and Alignment of Final Determination"
    ("2020-01719", K.FINAL_DETERMINATION),
    ("2021-04003", K.FINAL_DETERMINATION),
    ("2021-06195", K.FINAL_DETERMINATION),
    ("2020-00247", K.ORDER),  # amended final determination together with the orders
    ("2022-04505", K.ORDER),
    ("2025-15248", K.ORDER),
    ("2023-17407", K.ORDER),  # suspension agreement terminated and an order issued
    ("2020-00972", K.SUSPENSION_AGREEMENT),
    ("2023-06123", K.SUSPENSION_AGREEMENT),
    ("2025-06676", K.SUSPENSION_AGREEMENT),  # intent to terminate: no order yet
    ("2020-01977", K.REVIEW_OPPORTUNITY),
    ("2024-03857", K.REVIEW_OPPORTUNITY),  # case-specific supplemental opportunity
    ("2025-22201", K.REVIEW_OPPORTUNITY),
    ("2020-02362", K.REVIEW_INITIATION),
    ("2024-04540", K.REVIEW_INITIATION),
    ("2022-10732", K.REVIEW_INITIATION),  # correction to an initiation notice
    ("2021-06730", K.REVIEW_PRELIMINARY_RESULTS),
    ("2020-09222", K.REVIEW_PRELIMINARY_RESULTS),
    ("2020-02364", K.REVIEW_PRELIMINARY_RESULTS),  # title names no stage; the abstract does
    ("2022-00074", K.REVIEW_PRELIMINARY_RESULTS),  # the case name is a suspension agreement
    ("2019-28390", K.REVIEW_FINAL_RESULTS),
    ("2020-06110", K.REVIEW_FINAL_RESULTS),
    ("2021-02597", K.REVIEW_FINAL_RESULTS),
    ("2020-00048", K.REVIEW_RESCISSION),
    ("2021-03779", K.REVIEW_RESCISSION),
    ("2023-11884", K.REVIEW_RESCISSION),
    ("2020-04006", K.NEW_SHIPPER_REVIEW),
    ("2023-25935", K.NEW_SHIPPER_REVIEW),
    ("2025-21197", K.NEW_SHIPPER_REVIEW),
    ("2020-02360", K.NEW_SHIPPER_REVIEW),  # combined with an administrative review
    ("2020-00301", K.CHANGED_CIRCUMSTANCES_REVIEW),
    ("2022-18210", K.CHANGED_CIRCUMSTANCES_REVIEW),
    ("2023-16202", K.CHANGED_CIRCUMSTANCES_REVIEW),
    ("2020-01976", K.SUNSET_ADVANCE_NOTICE),
    ("2025-02120", K.SUNSET_ADVANCE_NOTICE),
    ("2020-06774", K.SUNSET_ADVANCE_NOTICE),
    ("2020-01834", K.SUNSET_RESULTS),
    ("2021-09802", K.SUNSET_RESULTS),
    ("2022-12790", K.SUNSET_RESULTS),
    ("2020-04745", K.CONTINUATION),
    ("2022-23639", K.CONTINUATION),
    ("2023-17811", K.CONTINUATION),
    ("2020-09223", K.CONTINUATION),  # continuation of a suspended investigation
    ("2025-01654", K.REVOCATION),
    ("2020-02776", K.SCOPE),
    ("2025-03837", K.SCOPE),
    ("2020-00637", K.SCOPE),
    ("2020-01314", K.CIRCUMVENTION),
    ("2022-26670", K.CIRCUMVENTION),  # scope determination and circumvention: circumvention first
    ("2023-23027", K.CIRCUMVENTION),
    ("2019-28389", K.COURT_DECISION),
    ("2022-19858", K.COURT_DECISION),
    ("2024-00038", K.COURT_DECISION),
    ("2020-00465", K.ITC_INVESTIGATION),
    ("2022-04396", K.ITC_INVESTIGATION),
    ("2023-27151", K.ITC_INVESTIGATION),
    ("2021-02464", K.OTHER),  # Copyright Office: "Circumvention of Access Controls"
    ("2023-03718", K.OTHER),  # DHS: "Circumvention of Lawful Pathways"
    ("2023-07886", K.OTHER),  # USDA: "Sunset Review" of organic substances
    ("2025-06267", K.OTHER),  # ITC cancellation of a hearing
    ("2022-07270", K.OTHER),  # termination of an investigation: no kind of its own
]


@pytest.mark.parametrize(("document_number", "kind"), KINDS, ids=[f"{k.value}-{d}" for d, k in KINDS])
def test_real_titles_get_their_kind(document_number: str, kind: NoticeKind) -> None:
    assert classify_row(document_number).kind is kind


# The traps of the brief and docs/notice_kinds.md, on real titles: (id, number, expected attributes).
TRAPS = [
    ("rescission-is-not-revocation", "2023-11884", {"kind": K.REVIEW_RESCISSION, "revokes": Revokes.NONE}),
    (
        "partial-rescission-is-not-revocation",
        "2025-02482",
        {"kind": K.REVIEW_RESCISSION, "revokes": Revokes.NONE},
    ),
    (
        "prelim-results-and-partial-rescission",
        "2024-08895",
        {"kind": K.REVIEW_PRELIMINARY_RESULTS, "revokes": Revokes.NONE},
    ),
    (
        "prelim-results-and-rescission-in-part",
        "2026-00256",
        {"kind": K.REVIEW_PRELIMINARY_RESULTS, "revokes": Revokes.NONE},
    ),
    (
        "intent-to-revoke-revokes-nothing",
        "2022-28101",
        {"kind": K.CHANGED_CIRCUMSTANCES_REVIEW, "revokes": Revokes.NONE},
    ),
    (
        "intent-to-revoke-whole-order-revokes-nothing",
        "2022-15205",
        {"kind": K.CHANGED_CIRCUMSTANCES_REVIEW, "revokes": Revokes.NONE},
    ),
    (
        "consideration-of-revocation-revokes-nothing",
        "2022-25200",
        {"kind": K.CHANGED_CIRCUMSTANCES_REVIEW, "revokes": Revokes.NONE},
    ),
    (
        "ccr-revocation-in-part-is-partial",
        "2024-08125",
        {"kind": K.CHANGED_CIRCUMSTANCES_REVIEW, "revokes": Revokes.PARTIAL},
    ),
    (
        "ccr-revocation-of-the-order-is-full",
        "2023-02085",
        {"kind": K.CHANGED_CIRCUMSTANCES_REVIEW, "revokes": Revokes.FULL},
    ),
    (
        "ccr-abstract-says-is-revoking-in-part",
        "2023-14027",
        {"kind": K.CHANGED_CIRCUMSTANCES_REVIEW, "revokes": Revokes.PARTIAL},
    ),
    ("sunset-results-and-revocation", "2023-13271", {"kind": K.SUNSET_RESULTS, "revokes": Revokes.FULL}),
    (
        "sunset-results-likely-to-continue-revokes-nothing",
        "2020-01834",
        {"kind": K.SUNSET_RESULTS, "revokes": Revokes.NONE},
    ),
    (
        "continuation-and-revocation-of-one-country",
        "2023-02817",
        {"kind": K.CONTINUATION, "revokes": Revokes.FULL},
    ),
    (
        "court-decision-before-review-results",
        "2022-19858",
        {"kind": K.COURT_DECISION, "revokes": Revokes.NONE},
    ),
    (
        "court-decision-revocation-in-part",
        "2020-00050",
        {"kind": K.COURT_DECISION, "revokes": Revokes.PARTIAL},
    ),
    ("court-decision-revocation", "2022-00633", {"kind": K.COURT_DECISION, "revokes": Revokes.FULL}),
    ("court-decision-before-scope", "2022-19383", {"kind": K.COURT_DECISION}),
    (
        "partial-revocation-notice",
        "2025-01654",
        {"kind": K.REVOCATION, "revokes": Revokes.PARTIAL, "case_types": (AD,)},
    ),
    ("omnibus-opportunity-has-no-case-type", "2020-01977", {"kind": K.REVIEW_OPPORTUNITY, "case_types": ()}),
    ("omnibus-initiation-has-no-case-type", "2020-02362", {"kind": K.REVIEW_INITIATION, "case_types": ()}),
    ("omnibus-rescission-has-no-case-type", "2025-13416", {"kind": K.REVIEW_RESCISSION, "case_types": ()}),
    ("omnibus-scope-list-has-no-case-type", "2020-00637", {"kind": K.SCOPE, "case_types": ()}),
    ("orders-ad-and-cvd", "2022-04505", {"kind": K.ORDER, "case_types": (AD, CVD)}),
    # "...Countervailing Duty Determination and Alignment of Final Determination With Final Antidumping
    # Duty Determination": the AD determination it is aligned with is the other case's.
    ("cvd-aligned-with-ad-is-cvd", "2021-04566", {"kind": K.PRELIMINARY_DETERMINATION, "case_types": (CVD,)}),
    (
        "cvd-aligned-with-the-ad-is-cvd",
        "2023-28843",
        {"kind": K.PRELIMINARY_DETERMINATION, "case_types": (CVD,)},
    ),
    ("review-of-orders-is-not-an-order", "2026-01389", {"kind": K.REVIEW_FINAL_RESULTS}),
    ("correction-tail", "2025-04287", {"kind": K.CIRCUMVENTION, "is_correction": True}),
    ("correction-to-head", "2020-00051", {"kind": K.CIRCUMVENTION, "is_correction": True}),
    (
        "notice-of-correction-head",
        "2025-03557",
        {"kind": K.CHANGED_CIRCUMSTANCES_REVIEW, "is_correction": True},
    ),
    ("republished-r1-document", "R1-2021-28404", {"kind": K.REVIEW_OPPORTUNITY, "is_correction": True}),
    (
        "amended-final-results-is-not-a-correction",
        "2020-00950",
        {"kind": K.REVIEW_FINAL_RESULTS, "is_correction": False},
    ),
    (
        "itc-scheduling",
        "2025-15351",
        {"kind": K.ITC_INVESTIGATION, "agency": Agency.USITC, "case_types": (AD, CVD)},
    ),
    (
        "itc-institution-by-words",
        "2026-00011",
        {"kind": K.ITC_INVESTIGATION, "agency": Agency.USITC, "case_types": (AD,)},
    ),
    ("non-commerce-agency", "2021-02464", {"kind": K.OTHER, "agency": Agency.OTHER}),
]


@pytest.mark.parametrize(("document_number", "expected"), [t[1:] for t in TRAPS], ids=[t[0] for t in TRAPS])
def test_traps(document_number: str, expected: dict[str, object]) -> None:
    result = classify_row(document_number)
    for attribute, value in expected.items():
        assert getattr(result, attribute) == value, attribute


EXTENSIONS = [
    # Extension of a review's time limit is postponement, not results (docs/notice_kinds.md).
    (
        "Certain Steel Nails From Taiwan: Extension of Time Limit for Preliminary Results of "
        "Antidumping Duty Administrative Review; 2022-2023",
        K.POSTPONEMENT,
    ),
    (
        "Glycine From India: Extension of Time Limit for the Final Results of the Antidumping Duty "
        "Administrative Review",
        K.POSTPONEMENT,
    ),
    (
        "Mattresses From Thailand: Preliminary Results of the 2021-2022 Administrative Review and "
        "Postponement of Final Results",
        K.REVIEW_PRELIMINARY_RESULTS,
    ),
]


@pytest.mark.parametrize(
    ("title", "kind"), EXTENSIONS, ids=["extension-prelim", "extension-final", "results-and-postponement"]
)
def test_extension_of_time_limit(title: str, kind: NoticeKind) -> None:
    assert classify_notice(title=title).kind is kind


def test_agency_and_case_types_from_api_fields() -> None:
    result = classify_notice(
        title="Active Anode Material From the People's Republic of China: Preliminary Affirmative "
        "Determination of Sales at Less Than Fair Value",
        agencies=("commerce-department", "international-trade-administration"),
        docket_ids=("A-570-194",),
    )
    assert (result.kind, result.agency, result.case_types) == (K.PRELIMINARY_DETERMINATION, Agency.ITA, (AD,))
    itc = classify_notice(
        title="Active Anode Material From China; Determinations",
        agencies=("international-trade-commission",),
        docket_ids=("701-TA-752", "731-TA-1748"),
    )
    assert (itc.kind, itc.agency, itc.case_types) == (K.ITC_INVESTIGATION, Agency.USITC, (AD, CVD))


def test_itc_five_year_review_determination_is_sunset_results() -> None:
    result = classify_notice(
        title="Paper Clips From China; Determination",
        abstract="The United States International Trade Commission (Commission) determines, "
        "pursuant to the Tariff Act of 1930, that revocation of the antidumping duty order "
        "would be likely to lead to continuation or recurrence of material injury "
        "within a reasonably foreseeable time. (five-year review)",
    )
    assert (result.kind, result.agency, result.revokes) == (K.SUNSET_RESULTS, Agency.USITC, Revokes.NONE)


def test_full_text_refines_an_ambiguous_title() -> None:
    title = (
        "Sugar From Mexico; 2018 Administrative Review of the Agreement Suspending the "
        "Antidumping Duty Investigation"
    )
    assert classify_notice(title=title).kind is K.OTHER
    full_text = (
        "<RULE><AGENCY>International Trade Administration</AGENCY><ACT><P>Notice of "
        "preliminary results.</P></ACT><SUM><P>The Department of Commerce (Commerce) "
        "preliminarily determines that the respondents ... administrative review."
        "</P></SUM><DEPDOC>[A-201-845]</DEPDOC></RULE>"
    )
    result = classify_notice(title=title, full_text=full_text)
    assert (result.kind, result.case_types) == (K.REVIEW_PRELIMINARY_RESULTS, (AD,))


def test_action_line_marks_a_correction() -> None:
    result = classify_notice(
        title="Mattresses From Thailand: Antidumping Duty Order", action="Notice; correction."
    )
    assert (result.kind, result.is_correction) == (K.ORDER, True)


def test_every_corpus_row_gets_a_valid_kind() -> None:
    rows = list(corpus().values())
    assert len(rows) == 3332
    results = list(classify_csv(rows))
    assert len(results) == 3332
    kinds = {k.value for k in NoticeKind}
    for out in results:
        assert out["kind"] in kinds
        assert out["agency"] in {a.value for a in Agency}
        assert out["revokes"] in {r.value for r in Revokes}
        assert set(out) == {"document_number", "kind", "agency", "case_types", "is_correction", "revokes"}
        assert isinstance(out["case_types"], list)
    # The bulk of the corpus is Commerce case notices; "other" must stay the exception.
    assert sum(out["kind"] == "other" for out in results) < 60
