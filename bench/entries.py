"""Entries at scale: import, a results notice deciding them (assess, store, alert), and the exposure.

Run: .venv/bin/python -m bench.entries [--entries 20000]
One importer's entries of A-533-840 (shrimp from India) spread over two review periods, half by Apex,
a quarter by Sandhya (both named in the CONSTRUCTED final results tests/fixtures/fr_xml/...shrimp_india),
a quarter by a company the results do not name. Prints the wall time of the import, of the notice's
ingest (deciding, assessing with daily-compounded interest, storing, queueing the alerts) and of
`open_liabilities`, on a fresh SQLite file.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from watchers.federal_register_records import read_record
from watchers.full_text import ReadNotice, classify_read, merge_metadata, read_full_text
from watchers.records import DocumentMeta
from worker.alerts.entry_liabilities import open_liabilities
from worker.entries.files import import_entries
from worker.ingest.save import PollReport, ingest_record
from worker.storage.db import create_schema, make_engine, transaction
from worker.storage.models import Importer, Subscriber

FIXTURE = (
    Path(__file__).resolve().parents[1]
    / "tests/fixtures/fr_xml/constructed_final_results_ad_shrimp_india.xml"
)
TITLE = "Certain Frozen Warmwater Shrimp From India: Final Results of Antidumping Duty Administrative Review"
COMPANIES = (
    "Apex Frozen Foods Private Limited",
    "Apex Frozen Foods Private Limited",
    "Sandhya Aqua Exports Pvt. Ltd",
    "Example Unreviewed Seafood Exports",
)
NOW = datetime(2024, 9, 9, 12, 0, tzinfo=UTC)


def write_entries(path: Path, count: int) -> None:
    with path.open("w", encoding="utf-8") as f:
        f.write("entry_number,entry_date,sku,hts,country_of_origin,producer,exporter,entered_value_usd,"
                "case_number,deposit_rate_pct,deposit_paid_usd\n")  # fmt: skip
        for n in range(count):
            day = date(2022, 2, 1) + timedelta(days=n % 700)  # two periods: Feb 2022 .. Jan 2024
            value = 500 + (n * 7919) % 250_000
            company = COMPANIES[n % len(COMPANIES)]
            f.write(f"BN{n % 10}{n:08d},{day},SKU-{n % 50},0306.17.0003,IN,{company},{company},{value}.00,"
                    f"A-533-840,2.49,{value * 249 / 10_000:.2f}\n")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=20_000)
    count = parser.parse_args().entries
    with tempfile.TemporaryDirectory() as scratch:
        engine = make_engine(f"sqlite:///{scratch}/bench.db")
        create_schema(engine)
        with transaction(engine) as session:
            importer = Importer(name="Bench Seafood Inc.")
            session.add(importer)
            session.flush()
            session.add(Subscriber(email="b@bench.example", importer_id=importer.id, role="importer"))
        path = Path(scratch) / "entries.csv"
        write_entries(path, count)
        started = time.perf_counter()
        result = import_entries(engine, path, importer="Bench Seafood Inc.", now=NOW)
        assert not result.parse.errors, result.parse.errors[:3]
        print(f"import {count:,} entry lines: {time.perf_counter() - started:.2f} s")

        body = FIXTURE.read_bytes()
        meta = DocumentMeta(
            "2024-20001", TITLE, date(2024, 9, 9), agencies=("international-trade-administration",)
        )
        text = body.decode("utf-8")  # read as watchers.full_text.read_documents reads it
        classification = classify_read(meta, text)
        facts = merge_metadata(meta, read_full_text(meta, body, "application/xml", classification))
        read = ReadNotice(meta, facts, classification, content_hash=None, full_text=text)
        report = PollReport("federal_register")
        started = time.perf_counter()
        with transaction(engine) as session:
            record = read_record(read)
            ingest_record(
                session, record, source="federal_register", now=NOW, primed=False, threshold=90, report=report
            )
        print(f"final results deciding them (assess, store, alert): {time.perf_counter() - started:.2f} s, "
              f"{report.alerts_created} alert(s)")  # fmt: skip
        started = time.perf_counter()
        with transaction(engine) as session:
            liabilities = open_liabilities(session)
        decided = sum(item.entries for item in liabilities)
        print(f"open liabilities: {time.perf_counter() - started:.2f} s, {decided:,} entries decided")
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
