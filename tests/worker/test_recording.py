"""`adcvd poll --record DIR` keeps every raw response with a provenance note, ready to become a fixture."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import Engine

from tests.support.fixtures import fixture_bytes
from tests.support.pipeline import pressure_washer_routes, set_cursor, settings_for
from worker.recorded_site import RecordedSite
from worker.runtime import run_poll


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
