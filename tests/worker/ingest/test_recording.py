"""`adcvd poll --record DIR` keeps every raw response with a provenance note, ready to become a fixture."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import Engine

from tests.support.fixtures import fixture_bytes
from tests.support.pipeline import pressure_washer_routes, set_cursor, settings_for
from watchers.http import FetchResult
from worker.app.recorded_site import RecordedSite
from worker.app.runtime import run_poll
from worker.ingest.recording import Recorder, fixture_name


async def test_record_saves_each_response_byte_for_byte_with_source_note(
    engine: Engine, tmp_path: Path, now: datetime
) -> None:
    set_cursor(engine, "2024-02-09")
    with RecordedSite(pressure_washer_routes()) as site:
        settings = settings_for(
            site.base_url, smtp_url=None, outbox=tmp_path / "o", database_url=str(engine.url)
        )
        report = await run_poll(
            settings, engine, "federal_register", now=now, record_dir=str(tmp_path / "rec")
        )
    assert report.ok
    saved = sorted(
        p for p in (tmp_path / "rec" / "127.0.0.1").iterdir() if not p.name.endswith(".source.txt")
    )
    assert len(saved) == 2
    xml = next(p for p in saved if p.name.endswith(".xml"))
    assert xml.read_bytes() == fixture_bytes("fr_api", "2024-02902.xml")
    note = xml.with_name(xml.name + ".source.txt").read_text()
    assert "HTTP status: 200" in note and "/documents/full_text/xml/2024/02/12/2024-02902.xml" in note
    search = next(p for p in saved if p.name.endswith(".json"))
    assert search.read_bytes() == fixture_bytes("fr_api", "search_ita_2024-02-09.json")


def test_search_pages_differing_only_late_in_a_long_query_are_recorded_apart(tmp_path: Path) -> None:
    query = (
        "conditions%5Bagencies%5D%5B%5D=international-trade-administration"
        "&conditions%5Bpublication_date%5D%5Bgte%5D=2024-02-09"
        "&conditions%5Btype%5D%5B%5D=NOTICE&conditions%5Btype%5D%5B%5D=RULE"
        "&fields%5B%5D=document_number&fields%5B%5D=title&order=oldest&per_page=100"
    )
    recorder = Recorder(tmp_path)
    saved = [
        recorder.save(
            FetchResult(
                url=f"https://www.federalregister.gov/api/v1/documents.json?{query}&page={page}",
                status=200,
                headers={"content-type": "application/json"},
                body=f'{{"page": {page}}}'.encode(),
            )
        )
        for page in (2, 3, 12)
    ]
    assert len({p for p in saved if p is not None}) == 3
    assert [p.read_text() for p in saved if p is not None] == ['{"page": 2}', '{"page": 3}', '{"page": 12}']
    assert all(p is not None and len(p.name) + len(".source.txt") < 255 for p in saved)


def test_a_short_url_keeps_its_readable_name() -> None:
    name = fixture_name(
        "https://www.federalregister.gov/documents/full_text/xml/2024/02/12/2024-02902.xml", ""
    )
    assert name == "documents_full_text_xml_2024_02_12_2024-02902.xml"
