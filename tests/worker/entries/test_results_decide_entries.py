"""A results notice decides the importer's entries of its case and period: figures to the cent, by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy.engine import Engine

from tests.support.fixtures import fixture
from tests.worker.entries.support import import_file, importer_with_subscribers, ingest_notice
from worker.storage import entry_rows
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
