"""Notices of every era: real 1995-2019 ITA and ITC titles, kind and revokes judged by hand (issue 17).

The fixture (tests/fixtures/titles/titles_1995_2019.csv, see its .source.txt) was written before the
rules were changed; each row's url is where its title was read.
"""

from __future__ import annotations

import csv
from dataclasses import replace
from datetime import date
from functools import cache
from pathlib import Path

import pytest

from watchers.classify import classify_csv, classify_notice
from watchers.full_text import classify_read
from watchers.notice_xml import classify_notice_xml
from watchers.records import DocumentMeta, NoticeKind, Revokes

TITLES = Path(__file__).resolve().parents[1] / "fixtures/titles/titles_1995_2019.csv"


@cache
def rows() -> tuple[dict[str, str], ...]:
    with TITLES.open(newline="", encoding="utf-8") as f:
        return tuple(csv.DictReader(f))


def _id(row: dict[str, str]) -> str:
    return f"{row['year']}-{row['document_number']}"


@pytest.mark.parametrize("row", rows(), ids=_id)
def test_kind_and_revokes_from_the_title_and_document_type(row: dict[str, str]) -> None:
    (result,) = classify_csv([row])  # reads the optional `type` column
    assert (result["kind"], result["revokes"]) == (row["kind"], row["revokes"]), row["title"]


@pytest.mark.parametrize("row", rows(), ids=_id)
def test_kind_and_revokes_from_the_title_alone(row: dict[str, str]) -> None:
    # Search results and filings do not always carry the document type: the title must do.
    result = classify_notice(title=row["title"], document_number=row["document_number"])
    assert (result.kind.value, result.revokes.value) == (row["kind"], row["revokes"]), row["title"]


# How the FR API names each agency on a document: a slug, a name, or (older documents) a raw name only.
AGENCY_FORMS = {
    "ita": [
        ("commerce-department", "international-trade-administration"),
        ("Commerce Department", "International Trade Administration"),
        ("DEPARTMENT OF COMMERCE", "International Trade Administration"),
    ],
    "usitc": [
        ("international-trade-commission",),
        ("International Trade Commission",),
        ("INTERNATIONAL TRADE COMMISSION",),
    ],
}


@pytest.mark.parametrize("row", rows(), ids=_id)
def test_the_agency_read_the_same_from_its_slug_or_its_name(row: dict[str, str]) -> None:
    """An agency given by name only must not turn a Commerce or Commission notice into `other`."""
    results = {
        classify_notice(title=row["title"], agencies=form, document_type=row["type"] or None)
        for form in AGENCY_FORMS[row["agency"]]
    }
    assert len(results) == 1, (row["title"], results)
    (result,) = results
    assert (result.kind.value, result.revokes.value) == (row["kind"], row["revokes"]), row["title"]


def test_fixture_covers_every_year_and_the_wording_families() -> None:
    years = {int(r["year"]) for r in rows()}
    assert set(range(1995, 2020)) <= years
    kinds = {r["kind"] for r in rows()}
    families = {"sunset_initiation", "sunset_results", "postponement", "court_decision", "order", "other"}
    assert families <= kinds
    assert sum(r["type"] in {"Rule", "Proposed Rule"} for r in rows()) >= 4
    assert len(rows()) >= 120


REVOCATION_WORDS_THAT_REVOKE_NOTHING = [
    "Pure Magnesium From Canada; Final Results of Antidumping Duty Administrative Review and "
    "Determination Not to Revoke Order in Part",
    "Certain Pasta from Turkey: Notice of Preliminary Results of Antidumping Duty Administrative Review "
    "and Notice of Intent Not To Revoke Order in Part",
    "Initiation of Antidumping and Countervailing Duty Administrative Reviews and Requests for "
    "Revocation in Part",
    "Initiation of Antidumping and Countervailing Duty Administrative Reviews and Request for Revocation "
    "in Part",
    "Modification to Regulation Concerning the Revocation of Antidumping and Countervailing Duty Orders",
    "Determination Not To Revoke Antidumping Duty Orders and Findings Nor To Terminate Suspended "
    "Investigations",
]


@pytest.mark.parametrize("title", REVOCATION_WORDS_THAT_REVOKE_NOTHING)
def test_refusals_intents_requests_and_rules_revoke_nothing(title: str) -> None:
    assert classify_notice(title=title).revokes is Revokes.NONE


def test_the_document_type_makes_a_rule_other_whatever_its_title() -> None:
    # A real 1999 rule whose title reads like a revocation notice, given as the FR API types it.
    title = "Amended Regulation Concerning the Revocation of Antidumping and Countervailing Duty Orders"
    for document_type in ("Rule", "Proposed Rule", "RULE"):
        result = classify_notice(title=title, document_type=document_type)
        assert (result.kind, result.revokes) == (NoticeKind.OTHER, Revokes.NONE)
    # The same words typed as a notice of Commerce are still no revocation: the title says regulation.
    assert classify_notice(title=title, document_type="Notice").revokes is Revokes.NONE
    # And a real revocation typed as a notice keeps its revocation.
    revocation = classify_notice(
        title="Revocation of Antidumping Duty Findings and Countervailing Duty Order: Sugar from Belgium, "
        "France, Germany and the European Community",
        document_type="Notice",
    )
    assert (revocation.kind, revocation.revokes) == (NoticeKind.REVOCATION, Revokes.FULL)


def test_the_document_type_decides_when_the_title_alone_would_revoke() -> None:
    # CONSTRUCTED: a bare title that a rule and a notice could both carry; only the type tells them apart.
    title = "Revocation of Antidumping and Countervailing Duty Orders"
    as_notice = classify_notice(title=title, document_type="Notice")
    as_rule = classify_notice(title=title, document_type="Rule")
    assert (as_notice.kind, as_notice.revokes) == (NoticeKind.REVOCATION, Revokes.FULL)
    assert (as_rule.kind, as_rule.revokes) == (NoticeKind.OTHER, Revokes.NONE)
    (from_csv,) = classify_csv([{"document_number": "x", "title": title, "type": "Proposed Rule"}])
    assert (from_csv["kind"], from_csv["revokes"]) == ("other", "none")


# CONSTRUCTED: the smallest FR XML of a Commerce document; only its root element differs.
_XML = (
    "<{tag}><PREAMB><AGENCY>DEPARTMENT OF COMMERCE</AGENCY><SUBAGY>International Trade Administration"
    "</SUBAGY><SUBJECT>Revocation of Antidumping and Countervailing Duty Orders</SUBJECT></PREAMB></{tag}>"
)


@pytest.mark.parametrize(
    ("tag", "kind", "revokes"),
    [("RULE", "other", "none"), ("PRORULE", "other", "none"), ("NOTICE", "revocation", "full")],
)
def test_the_fr_xml_root_names_the_document_type(tag: str, kind: str, revokes: str) -> None:
    result = classify_notice_xml(_XML.format(tag=tag).encode())
    assert result is not None
    assert (result.kind.value, result.revokes.value) == (kind, revokes)


def test_the_fr_path_passes_the_api_document_type() -> None:
    meta = DocumentMeta(
        document_number="2012-12257",
        title="Revocation of Antidumping and Countervailing Duty Orders",  # CONSTRUCTED bare title
        publication_date=date(2012, 5, 21),
        document_type="Rule",
        agencies=("commerce-department", "international-trade-administration"),
    )
    assert classify_read(meta, None).revokes is Revokes.NONE
    assert classify_read(replace(meta, document_type="Notice"), None).revokes is Revokes.FULL


MORE_WORDINGS = [
    # Real: the Commission's Section 332 fact-finding is no AD/CVD investigation (2016-08269, 2015-17418).
    (
        "Aluminum: Competitive Conditions Affecting the U.S. Industry Institution of Investigation and "
        "Scheduling of Hearing",
        NoticeKind.OTHER,
    ),
    ("Generalized System of Preferences: Possible Modifications, 2014 Review", NoticeKind.OTHER),
    # Real (2015-20301): scheduling a five-year review is procedure.
    (
        "Prestressed Concrete Steel Wire Strand From China; Scheduling of Expedited Five-Year Reviews",
        NoticeKind.OTHER,
    ),
    # CONSTRUCTED from the wordings of the 1990s: a review "terminated" is rescinded; a hyphenated
    # changed-circumstances review; a suspended investigation terminated; the ITC's revised schedule.
    (
        "Termination of Antidumping Duty Administrative Review: Certain Pasta From Italy",
        NoticeKind.REVIEW_RESCISSION,
    ),
    (
        "Notice of Preliminary Results of Changed-Circumstances Antidumping Duty Administrative Review: "
        "Certain Pasta From Italy",
        NoticeKind.CHANGED_CIRCUMSTANCES_REVIEW,
    ),
    (
        "Notice of Termination of Suspended Antidumping Duty Investigation: Certain Pasta From Italy",
        NoticeKind.SUSPENSION_AGREEMENT,
    ),
    (
        "Certain Pasta From Italy and Turkey; Notice of Revised Schedule for the Subject Investigations",
        NoticeKind.ITC_INVESTIGATION,
    ),
    (
        "Sunset Review of Antidumping Duty Order on Certain Pasta From Italy; Final Results",
        NoticeKind.SUNSET_RESULTS,
    ),
]


@pytest.mark.parametrize(("title", "kind"), MORE_WORDINGS)
def test_more_wordings_of_the_era(title: str, kind: NoticeKind) -> None:
    assert classify_notice(title=title).kind is kind


def test_results_under_a_nafta_panel_remand_are_a_court_decision() -> None:
    # CONSTRUCTED in the wording Commerce used for results under a binational panel's remand.
    title = (
        "Notice of Final Results of Antidumping Duty Administrative Review Pursuant to NAFTA Binational "
        "Panel Remand: Certain Pasta From Mexico"
    )
    assert classify_notice(title=title).kind is NoticeKind.COURT_DECISION
    assert classify_notice(title="NAFTA Panel Reviews; Completion of Panel Review").kind is NoticeKind.OTHER
