"""Final results that also rescind other companies' reviews decide each entry once (CONSTRUCTED notice
in the shape of the real final results with partial rescission: 'Final Results …; Partial Rescission')."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from worker.entries.decide import Decision, _decide, _one_per_importer_and_case, outlook_of
from worker.entries.results import results_notices
from worker.rules.interest import bundled_interest_rates
from worker.storage.models import Entry, Importer, Notice


def test_an_entry_of_a_company_the_results_name_is_listed_once() -> None:
    notice = Notice(
        document_number="2024-00001",
        kind="review_final_results",
        title="Final Results of Antidumping Duty Administrative Review; Partial Rescission",
        publication_date=date(2024, 6, 1),
        source="federal_register",
        facts={
            "case_numbers": ["A-570-148"],
            "period_of_review": ["2022-08-01", "2023-07-31"],
            "rescinded_companies": ["Other Co"],
            "rates": [
                {
                    "case_number": "A-570-148",
                    "exporter": "Apex Ltd",
                    "producer": "",
                    "rate": "10",
                    "basis": "company",
                }
            ],
        },
    )
    parts = results_notices(notice)
    assert [p.kind for p in parts] == ["final", "rescission"]  # one document, two parts
    entry = Entry(
        id=1, importer_id=1, entry_number="AB1-0000001-2", entry_date=date(2023, 1, 5), sku="x", hts="",
        country="CN", producer="", exporter="Apex Ltd", entered_value=Decimal(1000), case_number="A-570-148",
        deposit_rate=Decimal(5), deposit_paid=Decimal(50), liquidation_status="unliquidated",
        imported_at=datetime(2024, 1, 1, tzinfo=UTC),
    )  # fmt: skip
    importer = Importer(id=1, name="Importer")
    decisions = []
    for part in parts:
        decided = _decide(
            [entry], importer, part, parts, outlook_of(part), {}, bundled_interest_rates(), 90,
            datetime(2024, 6, 2, tzinfo=UTC), order=None,
        )  # fmt: skip
        if decided:
            decisions.append(Decision(importer, part, outlook_of(part), decided))
    (merged,) = _one_per_importer_and_case(decisions)
    assert len(merged.entries) == 1 and merged.totals.entries == 1
    # 10% of 1,000.00 assessed against 50.00 deposited: 50.00 owed, counted once.
    assert merged.entries[0].assessment.difference_usd == Decimal("50.00")
