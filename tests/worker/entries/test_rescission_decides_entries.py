"""A rescinded review leaves entries assessed at the deposit: for the companies it names, or all of them."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy.engine import Engine

from tests.worker.entries.support import import_file, importer_with_subscribers, ingest_notice
from tests.worker.entries.test_exposure import exposure

HEADER = (
    "entry_number,entry_date,sku,hts,country_of_origin,producer,exporter,entered_value_usd,case_number,"
    "deposit_rate_pct,deposit_paid_usd\n"
)
NOW = datetime(2024, 7, 8, 12, 0, tzinfo=UTC)


def test_a_review_rescinded_for_one_company_decides_its_entries_and_not_the_others(
    engine: Engine, tmp_path: Path
) -> None:
    # By hand: Apex's review is rescinded, so its entry of the 2023-2024 period is assessed at the
    # deposit in force at entry (19 CFR 351.212(c)): 80,000.00 x 1.23 % = 984.00, difference 0.00,
    # no interest. Sandhya's review goes on: its entry waits for the results, no alert about it.
    importer_with_subscribers(engine, "Gulf Seafood Imports LLC", ("buyer@gulf.example", "importer"))
    entries = tmp_path / "period2.csv"
    entries.write_text(
        HEADER + "AB1-0000003-8,2023-03-10,SHR-1620,0306.17.0003,IN,Apex Frozen Foods Private Limited,"
        "Apex Frozen Foods Private Limited,80000.00,A-533-840,1.23,984.00\n"
        "AB1-0000005-3,2023-06-01,SHR-2630,0306.17.0006,IN,Sandhya Aqua Exports Pvt. Ltd,"
        "Sandhya Aqua Exports Pvt. Ltd,30000.00,A-533-840,1.23,369.00\n",
        encoding="utf-8",
    )
    import_file(engine, entries, "Gulf Seafood Imports LLC", NOW)
    title = (
        "Certain Frozen Warmwater Shrimp From India: Partial Rescission of Antidumping Duty Administrative "
        "Review; 2023-2024"
    )
    [alert] = ingest_notice(
        engine,
        "constructed_partial_rescission_ad_shrimp_india.xml",
        title=title,
        published=date(2024, 7, 8),
        now=NOW,
    )
    payload = alert.payload
    assert payload["results_kind"] == "rescission"
    [apex] = payload["entries"]
    assert apex["entry_number"] == "AB1-0000003-8"
    figures = (apex["rate"], apex["rate_which"], apex["assessed_duty"], apex["difference"], apex["interest"])
    assert figures == ("1.23", "deposit_at_entry", "984.00", "0.00", "0.00")
    assert payload["totals"]["direction"] == "none"
    assert any("351.212(c)" in rule for rule in payload["rules"])


def test_a_review_rescinded_whole_decides_every_entry_of_its_period(engine: Engine, tmp_path: Path) -> None:
    # The real rescission of the 2014-2015 review of silicomanganese from Ukraine (FR Doc 2016-08787,
    # 81 FR 22211, published 2016-04-15) names no company: every entry of the period is assessed at its
    # deposit (12,000.00 x 163.00 % = 19,560.00, no difference); an entry after the period is not decided.
    importer_with_subscribers(engine, "Ferro Alloys Trading Inc.", ("buyer@ferro.example", "importer"))
    entries = tmp_path / "simn.csv"
    entries.write_text(
        HEADER + "FA9-0000001-1,2015-01-15,SIMN-1,7202.30.0000,UA,JSC Nikopol Ferroalloy Plant,"
        "JSC Nikopol Ferroalloy Plant,12000.00,A-823-805,163.00,19560.00\n"
        "FA9-0000002-9,2015-08-20,SIMN-1,7202.30.0000,UA,JSC Nikopol Ferroalloy Plant,"
        "JSC Nikopol Ferroalloy Plant,9000.00,A-823-805,163.00,14670.00\n",
        encoding="utf-8",
    )
    published = datetime(2016, 4, 15, 12, 0, tzinfo=UTC)
    import_file(engine, entries, "Ferro Alloys Trading Inc.", published)
    title = "Silicomanganese From Ukraine: Notice of Rescission of Antidumping Duty Administrative Review"
    [alert] = ingest_notice(
        engine,
        "fr_xml_2016-08787_silicomanganese_ukraine_rescission_ar.xml",
        title=title,
        published=date(2016, 4, 15),
        now=published,
    )
    [row] = alert.payload["entries"]
    assert (row["entry_number"], row["assessed_duty"], row["difference"], row["interest"]) == (
        "FA9-0000001-1", "19560.00", "0.00", "0.00"
    )  # fmt: skip
    _, out = exposure(engine, "--entries", "--json")
    [liability] = json.loads(out)["liabilities"]
    assert (liability["period_start"], liability["period_end"], liability["net_usd"]) == (
        "2014-08-01", "2015-07-31", "0.00"
    )  # fmt: skip
