"""A results notice decides the importer's entries of its case and period: figures to the cent, by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from notifier.render import render_message
from tests.support.fixtures import fixture
from tests.worker.entries.support import import_file, importer_with_subscribers, ingest_notice
from worker.entries.on_notice import entries_on_notice
from worker.storage import entry_rows, notice_rows
from worker.storage.db import transaction

GULF = "Gulf Seafood Imports LLC"
SHRIMP_FINAL = "constructed_final_results_ad_shrimp_india.xml"
SHRIMP_FINAL_TITLE = (
    "Certain Frozen Warmwater Shrimp From India: Final Results of Antidumping Duty Administrative Review; "
    "2022-2023"
)
PUBLISHED = date(2024, 9, 9)
NOW = datetime(2024, 9, 9, 12, 0, tzinfo=UTC)


@pytest.fixture
def gulf(engine: Engine) -> Engine:
    importer_with_subscribers(
        engine, GULF, ("buyer@gulf.example", "importer"), ("counsel@law.example", "counsel")
    )
    import_file(engine, fixture("entries", "shrimp_entries.csv"), GULF, NOW)
    return engine


def test_final_results_bill_each_entry_of_the_period_to_the_cent(gulf: Engine) -> None:
    # By hand, from the notice (Apex and Sandhya 1.23 %) and the CBP quarterly rates (6621):
    # AB1-0000001-2 Apex, 2022-06-15: 100,000.00 x 1.23 % = 1,230.00 assessed; deposit 2,490.00 ->
    #   -1,260.00 refund; overpayment interest (corporate: 3,4,5,6,6,6,7,7,7,7,7,6 % by quarter,
    #   compounded daily) from 2022-06-15 to 2025-03-09 (deemed liquidation: publication + 6 months)
    #   = -229.78; total -1,489.78.
    # AB1-0000002-0 Sandhya, 2022-11-30: 40,000.00 x 1.23 % = 492.00; deposit 200.00 -> +292.00 owed;
    #   underpayment interest (6,7,7,7,8,8,8,8,8,7 %) from 2022-11-30 to 2025-03-09 = +54.32; total 346.32.
    # AB100000038 (2023-03-10) is in the next period; AB100000046 is liquidated: neither is decided.
    alerts = ingest_notice(gulf, SHRIMP_FINAL, title=SHRIMP_FINAL_TITLE, published=PUBLISHED, now=NOW)

    assert sorted(a.payload["recipient"]["email"] for a in alerts) == [
        "buyer@gulf.example",
        "counsel@law.example",
    ]
    payload = alerts[0].payload
    assert payload["projection"] is False
    assert (payload["period_start"], payload["period_end"]) == ("2022-02-01", "2023-01-31")
    rows = {e["entry_number"]: e for e in payload["entries"]}
    assert set(rows) == {"AB1-0000001-2", "AB1-0000002-0"}
    apex, sandhya = rows["AB1-0000001-2"], rows["AB1-0000002-0"]
    assert (apex["rate"], apex["assessed_duty"], apex["difference"], apex["interest"], apex["total"]) == (
        "1.23", "1230.00", "-1260.00", "-229.78", "-1489.78"
    )  # fmt: skip
    assert (sandhya["assessed_duty"], sandhya["difference"], sandhya["interest"], sandhya["total"]) == (
        "492.00", "292.00", "54.32", "346.32"
    )  # fmt: skip
    assert "Apex Frozen Foods Private Limited" in apex["company_match"]
    totals = payload["totals"]
    assert (totals["deposit_paid"], totals["assessed_duty"], totals["owed"], totals["refund"]) == (
        "2690.00", "1722.00", "292.00", "1260.00"
    )  # fmt: skip
    assert (totals["interest_owed"], totals["interest_refund"], totals["net"], totals["direction"]) == (
        "54.32", "229.78", "-1143.46", "refund"
    )  # fmt: skip
    assert payload["interest_through"] == "2025-03-09"
    windows = {w["kind"]: (w["earliest"], w["latest"]) for w in payload["windows"]}
    assert windows["instructions"] == ("2024-10-14", "2024-12-08")  # 35 and 90 days after publication
    assert windows["deemed_liquidation"] == ("2025-03-09", "2025-03-09")
    assert payload["notice"]["document_number"] == "2024-20001"
    assert any("rounded half up" in rule for rule in payload["rules"])

    with transaction(gulf) as session:
        entries = {e.id: e for e in entry_rows.list_entries(session)}
        stored = entry_rows.list_assessments(session, list(entries))
    assert sorted(entries[a.entry_id].entry_number for a in stored) == ["AB100000012", "AB100000020"]


def test_the_same_notice_read_again_alerts_no_one_twice(gulf: Engine) -> None:
    first = ingest_notice(gulf, SHRIMP_FINAL, title=SHRIMP_FINAL_TITLE, published=PUBLISHED, now=NOW)
    again = ingest_notice(gulf, SHRIMP_FINAL, title=SHRIMP_FINAL_TITLE, published=PUBLISHED, now=NOW)
    assert len(first) == 2 and len(again) == 2  # the same two rows, not two more
    assert {a.dedupe_key for a in first} == {a.dedupe_key for a in again}


COURT = "constructed_court_decision_ad_shrimp_india.xml"
COURT_TITLE = (
    "Certain Frozen Warmwater Shrimp From India: Notice of Court Decision Not in Harmony With the Final "
    "Results of Antidumping Duty Administrative Review; Notice of Amended Final Results"
)


def test_a_court_decision_after_final_results_rebills_only_the_company_it_names(gulf: Engine) -> None:
    # By hand: the court decision sets Apex at 0.75 %: 100,000.00 x 0.75 % = 750.00; deposit 2,490.00
    # -> -1,740.00; liquidation was suspended by the appeal, so the six months run from the court
    # decision's notice (2024-11-18 -> 2025-05-18): corporate overpayment interest from 2022-06-15
    # (3,4,5,6,6,6,7,7,7,7,7,6,6 % by quarter) = -341.13. Sandhya is not named: still the final results.
    ingest_notice(gulf, SHRIMP_FINAL, title=SHRIMP_FINAL_TITLE, published=PUBLISHED, now=NOW)
    later = datetime(2024, 11, 18, 12, 0, tzinfo=UTC)
    alerts = ingest_notice(gulf, COURT, title=COURT_TITLE, published=date(2024, 11, 18), now=later)

    assert len(alerts) == 2
    payload = alerts[0].payload
    assert payload["results_kind"] == "court_decision"
    [apex] = payload["entries"]
    assert apex["entry_number"] == "AB1-0000001-2"
    assert (apex["rate"], apex["assessed_duty"], apex["difference"], apex["interest"], apex["total"]) == (
        "0.75", "750.00", "-1740.00", "-341.13", "-2081.13"
    )  # fmt: skip
    assert payload["interest_through"] == "2025-05-18"
    assert any("1516a(e)" in rule for rule in payload["rules"])
    with transaction(gulf) as session:
        entries = {e.id: e.entry_number for e in entry_rows.list_entries(session)}
        stored = entry_rows.list_assessments(session, list(entries))
    by_notice = sorted((entries[a.entry_id], a.notice_document_number, str(a.rate)) for a in stored)
    assert by_notice == [
        ("AB100000012", "2024-20001", "1.2300"),
        ("AB100000012", "2024-26001", "0.7500"),
        ("AB100000020", "2024-20001", "1.2300"),
    ]


TUBING_PRELIM = "constructed_prelim_results_cvd_tubing_india.xml"
TUBING_TITLE = (
    "Cold-Drawn Mechanical Tubing of Carbon and Alloy Steel From India: Preliminary Results of "
    "Countervailing Duty Administrative Review; 2023"
)


def test_preliminary_results_give_a_projection_marked_as_such(engine: Engine, tmp_path: Path) -> None:
    # By hand: Goodluck's preliminary rate 4.65 %: 50,000.00 x 4.65 % = 2,325.00; deposit 1,500.00 ->
    # +825.00 projected; final results expected 120 days after 2024-12-02 (2025-04-01), deemed
    # liquidation six months later (2025-10-01): underpayment interest from 2023-05-10
    # (7,7,8,8,8,8,8,7,7,7 % by quarter) = +162.82; total 987.82.
    importer_with_subscribers(engine, "Tube Buyers Inc.", ("buyer@tubes.example", "importer"))
    entries = tmp_path / "tubes.csv"
    entries.write_text(
        "entry_number,entry_date,sku,hts,country_of_origin,producer,exporter,entered_value_usd,case_number,"
        "deposit_rate_pct,deposit_paid_usd\n"
        "TB2-0000001-5,2023-05-10,TUBE-1,7304.31.3000,IN,Goodluck India Limited,Goodluck India Limited,"
        "50000.00,C-533-874,3.00,1500.00\n",
        encoding="utf-8",
    )
    import_file(engine, entries, "Tube Buyers Inc.", NOW)
    alerts = ingest_notice(engine, TUBING_PRELIM, title=TUBING_TITLE, published=date(2024, 12, 2), now=NOW)

    [alert] = alerts
    payload = alert.payload
    assert payload["projection"] is True and payload["severity"] == "medium"
    [row] = payload["entries"]
    assert (row["rate"], row["assessed_duty"], row["difference"], row["interest"], row["total"]) == (
        "4.65", "2325.00", "825.00", "162.82", "987.82"
    )  # fmt: skip
    assert payload["interest_through"] == "2025-10-01"
    assert any("projection" in rule for rule in payload["rules"])
    rendered = render_message("entry_assessment", payload)
    assert rendered.subject.startswith(
        "[AD/CVD MEDIUM] Projected: C-533-874 review results: $987.82 more duty"
    )
    assert rendered.text.startswith("PROJECTION from preliminary results")


def test_an_importer_specific_rate_wins_over_the_company_rate(gulf: Engine) -> None:
    # The Federal Register rarely names importers; when a notice's facts carry an importer-specific
    # rate (here added to the stored facts of 2024-20001, as a parser would store it), it assesses
    # that importer's entries of that exporter. By hand: Gulf on Apex's sales at 0.80 %:
    # 100,000.00 x 0.80 % = 800.00; deposit 2,490.00 -> -1,690.00; corporate overpayment interest
    # 2022-06-15 .. 2025-03-09 = -308.20. Sandhya's entry keeps the company rate (1.23 %).
    ingest_notice(gulf, SHRIMP_FINAL, title=SHRIMP_FINAL_TITLE, published=PUBLISHED, now=NOW, primed=True)
    with transaction(gulf) as session:
        notice = notice_rows.load_notice(session, "2024-20001")
        assert notice is not None
        rows = [{"importer": GULF, "exporter": "Apex Frozen Foods Private Limited", "rate": "0.80"}]
        notice.facts = {**notice.facts, "importer_rates": rows}
        session.add(notice)
        session.flush()
        alerts = entries_on_notice(session, notice, now=NOW, threshold=90, citation=None, alert=True)
        entries = {e["entry_number"]: e for e in alerts[0].payload["entries"]}
    apex, sandhya = entries["AB1-0000001-2"], entries["AB1-0000002-0"]
    assert (apex["rate"], apex["rate_which"], apex["difference"], apex["interest"]) == (
        "0.8", "importer_specific", "-1690.00", "-308.20"
    )  # fmt: skip
    assert (sandhya["rate"], sandhya["rate_which"]) == ("1.23", "company")


def test_a_priming_poll_stores_the_decisions_without_alerting(gulf: Engine) -> None:
    alerts = ingest_notice(
        gulf, SHRIMP_FINAL, title=SHRIMP_FINAL_TITLE, published=PUBLISHED, now=NOW, primed=True
    )
    assert alerts == []
    with transaction(gulf) as session:
        entries = entry_rows.list_entries(session)
        assert len(entry_rows.list_assessments(session, [e.id for e in entries if e.id])) == 2


def test_a_de_minimis_rate_refunds_the_whole_deposit(engine: Engine, tmp_path: Path) -> None:
    # By hand: Falcon's 0.33 % is below 0.5 %, de minimis in a review (19 CFR 351.106(c)): nothing is
    # assessed; the 448.00 deposited (40,000.00 x 1.12 %) is refunded with corporate overpayment
    # interest from 2022-11-30 to 2025-03-09 (5,6,6,6,7,7,7,7,7,6 % by quarter) = 71.41.
    importer_with_subscribers(engine, GULF, ("buyer@gulf.example", "importer"))
    falcon = tmp_path / "falcon.csv"
    falcon.write_text(
        "entry_number,entry_date,sku,hts,country_of_origin,producer,exporter,entered_value_usd,case_number,"
        "deposit_rate_pct,deposit_paid_usd\n"
        "AB1-0000009-5,2022-11-30,SHR-2630,0306.17.0006,IN,Falcon Marine Exports Limited,"
        "Falcon Marine Exports Limited,40000.00,A-533-840,1.12,448.00\n",
        encoding="utf-8",
    )
    import_file(engine, falcon, GULF, NOW)
    [alert] = ingest_notice(engine, SHRIMP_FINAL, title=SHRIMP_FINAL_TITLE, published=PUBLISHED, now=NOW)
    [row] = alert.payload["entries"]
    assert (row["rate"], row["assessed_duty"], row["difference"], row["interest"], row["total"]) == (
        "0", "0.00", "-448.00", "-71.41", "-519.41"
    )  # fmt: skip
    assert any("351.106(c)" in rule for rule in alert.payload["rules"])
