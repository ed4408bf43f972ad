"""`adcvd notices parse`: the notice's kind, and a daily issue read notice by notice with its date."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from tests.support.fixtures import fixture
from worker.app.cli import app

ISSUE_2016 = str(fixture("fr_xml", "fr_daily_issue_2016-04-15.xml"))
GLYCINE = str(fixture("fr_xml", "fr_xml_2016-08229_glycine_prc_prelim_ar.xml"))


def _parse(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["notices", "parse", *args])
    return result.exit_code, result.stdout, result.stderr


def test_daily_issue_gives_every_notice_its_kind_and_the_issue_date() -> None:
    code, out, _ = _parse(ISSUE_2016, "--json")
    assert code == 0
    notices = json.loads(out)
    assert len(notices) == 145  # every NOTICE, RULE and PRORULE of Vol. 81 No. 73
    assert {n["publication_date"] for n in notices} == {"2016-04-15"}
    kinds = {n["document_number"]: n["kind"] for n in notices if n["kind"] != "other"}
    # Read from the issue by hand: two ITA case notices and the ITC's final-phase schedule;
    # 2016-08680 is a Section 337 (patent) notice of the Commission, not AD/CVD.
    assert kinds == {
        "2016-08787": "review_rescission",
        "2016-08229": "review_preliminary_results",
        "2016-08650": "itc_investigation",
    }


def test_one_document_of_a_daily_issue_counts_deadlines_from_the_issue_date() -> None:
    code, out, _ = _parse(ISSUE_2016, "--document", "2016-08229", "--json")
    assert code == 0
    facts = json.loads(out)
    assert facts["kind"] == "review_preliminary_results"
    assert facts["case_numbers"] == ["A-570-836"]
    # 30 days after Friday April 15, 2016 is Sunday May 15 -> Monday May 16.
    assert {(d["kind"], d["due"]) for d in facts["deadlines"]} >= {("case_brief", "2016-05-16")}


def test_single_document_takes_published_and_names_its_kind() -> None:
    code, out, _ = _parse(GLYCINE, "--published", "2016-04-15")
    assert code == 0
    assert out.splitlines()[0] == "kind: review_preliminary_results"
    assert "publication_date: 2016-04-15" in out


def test_bad_input_is_one_line_errors() -> None:
    code, _, err = _parse(ISSUE_2016, "--document", "2016-00000")
    assert (code, err) == (2, f"error: {ISSUE_2016}: no document 2016-00000 in this daily issue\n")
    code, _, err = _parse(GLYCINE, "--published", "15/04/2016")
    assert (code, err) == (2, "error: --published '15/04/2016' is not a date YYYY-MM-DD\n")
    code, _, err = _parse(GLYCINE, "--document", "2016-08229")
    assert code == 2 and err.count("\n") == 1 and "daily issue" in err
