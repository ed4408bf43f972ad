"""The order's dates, read by the catalog from the real order notice, bound what its entries owe.

The real AD order on pressure washers from China (FR Doc 2024-02902) is ingested as a poll ingests
it; its dates (read by hand, see tests/watchers/test_order_dates.py): the AD preliminary determination
published 2023-08-03, provisional measures' last day 2024-01-29, the ITC notified Commerce
2024-02-05 (its publication is not stated), the order published 2024-02-12. The results notice and
the entries are CONSTRUCTED (see their .source.txt). SQLite and PostgreSQL (`engine`).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy.engine import Engine

from tests.support.fixtures import fixture
from tests.worker.entries.support import import_file, importer_with_subscribers, ingest_notice
from worker.entries.order_dates import order_dates_of
from worker.rules.assessment import (
    NOTE_ITC_FINAL_UNKNOWN,
    NOTE_NO_ORDER_DATES,
    RULE_NO_INTEREST_BEFORE_ORDER,
    RULE_PROVISIONAL_CAP,
    AssessmentRate,
    EntryLine,
    assess_entry,
)
from worker.rules.interest import bundled_interest_rates
from worker.rules.review_period import RULE_BEFORE_SUSPENSION, RULE_GAP, OrderDates
from worker.storage import case_rows
from worker.storage.db import transaction

ORDER_XML = "fr_xml_2024-02902_pressure_washers_prc_ad_cvd_orders.xml"
ORDER_TITLE = (
    "Gas Powered Pressure Washers From the People's Republic of China: Antidumping Duty and "
    "Countervailing Duty Orders"
)
RESULTS_XML = "constructed_final_results_ad_pressure_washers_prc.xml"
RESULTS_TITLE = (
    "Gas Powered Pressure Washers From the People's Republic of China: Final Results of Antidumping Duty "
    "Administrative Review; 2023-2025"
)
IMPORTER = "Yard Tools Direct Inc."
D = Decimal


def _ingest_order(engine: Engine) -> None:
    ingest_notice(
        engine,
        ORDER_XML,
        title=ORDER_TITLE,
        published=date(2024, 2, 12),
        now=datetime(2024, 2, 12, 12, 0, tzinfo=UTC),
        primed=True,
    )


def _order(engine: Engine, case_number: str) -> OrderDates:
    with transaction(engine) as session:
        order = order_dates_of(case_rows.load_case(session, case_number))
    assert order is not None
    return order


def test_the_catalog_gives_the_rules_the_orders_dates(engine: Engine) -> None:
    _ingest_order(engine)
    assert _order(engine, "A-570-148") == OrderDates(
        "A-570-148",
        suspension_date=date(2023, 8, 3),
        order_published=date(2024, 2, 12),
        provisional_end=date(2024, 1, 29),
        itc_final_published=None,
        itc_final_notified=date(2024, 2, 5),
    )
    assert _order(engine, "C-570-149").provisional_end == date(2023, 10, 1)


def test_an_entry_before_the_suspension_owes_no_duty_and_its_deposit_is_refunded(engine: Engine) -> None:
    # Entered 2023-07-20, before the AD preliminary determination (2023-08-03): 10,000.00 x 185.12 % is
    # not owed (assessed 0.00); the 16,934.00 deposited (169.34 %, during the critical-circumstances
    # window the ITC's negative finding closed) is refunded: difference -16,934.00; no interest, the
    # entry being before the order (1677g(a)).
    _ingest_order(engine)
    line = EntryLine("PW1-0000000-3", date(2023, 7, 20), D("10000.00"), D("169.34"), D("16934.00"))
    rate = AssessmentRate(
        D("185.12"), "company", "CONSTRUCTED-FINAL", projected=False, rule="the company's final rate"
    )
    assessed = assess_entry(
        line,
        rate,
        interest_until=date(2026, 9, 2),
        interest_rates=bundled_interest_rates(),
        order=_order(engine, "A-570-148"),
    )
    assert (assessed.assessed_duty_usd, assessed.difference_usd, assessed.interest_usd) == (
        D("0.00"),
        D("-16934.00"),
        D("0.00"),
    )
    assert RULE_BEFORE_SUSPENSION in assessed.difference_rule
    assert assessed.interest_rule == RULE_NO_INTEREST_BEFORE_ORDER
    assert NOTE_NO_ORDER_DATES not in assessed.notes


@pytest.fixture
def yard_tools(engine: Engine) -> Engine:
    _ingest_order(engine)
    importer_with_subscribers(engine, IMPORTER, ("buyer@yard.example", "importer"))
    import_file(
        engine, fixture("entries", "pressure_washer_entries.csv"), IMPORTER, datetime(2026, 1, 5, tzinfo=UTC)
    )
    return engine


def test_final_results_bill_each_entry_under_the_whole_rule(yard_tools: Engine) -> None:
    # Sumec's final rate 185.12 % (CONSTRUCTED) against its deposit 169.34 %, 10,000.00 entered each:
    # assessed 18,512.00, deposit 16,934.00, so +1,578.00 unless a date rule says otherwise.
    # PW1-0000001-1, 2023-09-15: under provisional measures, before the ITC's notification (so before
    #   its publication): the final duty above the deposit is disregarded (1673f(a)): difference 0.00,
    #   no interest; total 0.00.
    # PW1-0000002-9, 2024-02-01: after provisional measures' last day (2024-01-29), before the ITC's
    #   notification (2024-02-05): the gap, no duty: assessed 0.00, deposit 16,934.00 refunded:
    #   -16,934.00; no interest (before the order, 1677g(a)); total -16,934.00.
    # PW1-0000003-7, 2024-02-08: after the ITC's notification, before the order (2024-02-12); whether
    #   the ITC had published is not known: no cap, no gap, said in a note: +1,578.00; no interest
    #   (before the order); total 1,578.00.
    alerts = ingest_notice(
        yard_tools,
        RESULTS_XML,
        title=RESULTS_TITLE,
        published=date(2026, 3, 2),
        now=datetime(2026, 3, 2, 12, 0, tzinfo=UTC),
    )
    [alert] = alerts
    payload = alert.payload
    assert (payload["period_start"], payload["period_end"]) == ("2023-08-03", "2025-01-31")
    rows = {e["entry_number"]: e for e in payload["entries"]}
    figures = {
        n: (r["rate"], r["assessed_duty"], r["difference"], r["interest"], r["total"])
        for n, r in rows.items()
    }
    assert figures == {
        "PW1-0000001-1": ("185.12", "18512.00", "0.00", "0.00", "0.00"),
        "PW1-0000002-9": ("185.12", "0.00", "-16934.00", "0.00", "-16934.00"),
        "PW1-0000003-7": ("185.12", "18512.00", "1578.00", "0.00", "1578.00"),
    }
    assert {n: r["order_dates"] for n, r in rows.items()} == {
        "PW1-0000001-1": "entered before the ITC's final determination: no more than the deposit",
        "PW1-0000002-9": "entered in the gap after provisional measures: no duty, deposit refunded; "
        "entered before the order: no interest",
        "PW1-0000003-7": "entered before the order: no interest; the ITC's publication date unknown: cap "
        "and gap not applied",
    }
    totals = payload["totals"]
    assert (totals["owed"], totals["refund"], totals["net"]) == ("1578.00", "16934.00", "-15356.00")
    rules = " | ".join(payload["rules"])
    for said in (RULE_PROVISIONAL_CAP, RULE_GAP, RULE_NO_INTEREST_BEFORE_ORDER, NOTE_ITC_FINAL_UNKNOWN):
        assert said in rules
    assert NOTE_NO_ORDER_DATES not in rules


def test_without_the_orders_dates_the_entries_are_billed_as_before_and_the_alert_says_so(
    engine: Engine,
) -> None:
    # The order notice was never read: the catalog knows no suspension day, so the gap entry
    # (2024-02-01) is assessed like any other (18,512.00) and the alert says the dates were not checked.
    importer_with_subscribers(engine, IMPORTER, ("buyer@yard.example", "importer"))
    import_file(
        engine, fixture("entries", "pressure_washer_entries.csv"), IMPORTER, datetime(2026, 1, 5, tzinfo=UTC)
    )
    [alert] = ingest_notice(
        engine,
        RESULTS_XML,
        title=RESULTS_TITLE,
        published=date(2026, 3, 2),
        now=datetime(2026, 3, 2, 12, 0, tzinfo=UTC),
    )
    rows = {e["entry_number"]: e for e in alert.payload["entries"]}
    assert rows["PW1-0000002-9"]["assessed_duty"] == "18512.00"
    assert all(r["order_dates"] == "" for r in rows.values())
    assert NOTE_NO_ORDER_DATES in alert.payload["rules"]
