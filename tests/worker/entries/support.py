"""Helpers for the entries tests: a notice through the one ingest path, importers with subscribers."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy.engine import Engine

from tests.support.fixtures import fixture
from watchers.federal_register_records import read_record
from watchers.full_text import ReadNotice, classify_read, merge_metadata, read_full_text
from watchers.records import DocumentMeta
from worker.entries.files import import_entries
from worker.ingest.save import PollReport, ingest_record
from worker.storage import outbox_rows
from worker.storage.db import transaction
from worker.storage.models import Alert, Importer, Subscriber

ITA = ("international-trade-administration",)
NAME_THRESHOLD = 90


def ingest_notice(
    engine: Engine, xml: str, *, title: str, published: date, now: datetime, primed: bool = False
) -> list[Alert]:
    """The fixture notice read and saved as a Federal Register poll saves it; the entry alerts it made."""
    body = fixture("fr_xml", xml).read_bytes()
    number = _document_number(fixture("fr_xml", xml))
    meta = DocumentMeta(
        document_number=number,
        title=title,
        publication_date=published,
        document_type="Notice",
        agencies=ITA,
        html_url=f"https://www.federalregister.gov/d/{number}",
        citation="89 FR 73001",
    )
    # As watchers.full_text.read_documents reads it: classified once, the facts following that class.
    text = body.decode("utf-8")
    classification = classify_read(meta, text)
    facts = merge_metadata(meta, read_full_text(meta, body, "application/xml", classification))
    read = ReadNotice(meta, facts, classification, content_hash=None, full_text=text)
    with transaction(engine) as session:
        ingest_record(
            session,
            read_record(read),
            source="federal_register",
            now=now,
            primed=primed,
            threshold=NAME_THRESHOLD,
            report=PollReport("federal_register"),
        )
    with transaction(engine) as session:
        alerts = outbox_rows.list_alerts_of_notice(session, number, status="pending")
        return [a for a in alerts if a.kind == "entry_assessment"]


def _document_number(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    start = text.index("[FR Doc. ") + len("[FR Doc. ")
    return text[start : text.index(" ", start)].replace("&#8211;", "-").replace("\u2013", "-")


def importer_with_subscribers(engine: Engine, name: str, *emails_and_roles: tuple[str, str]) -> None:
    with transaction(engine) as session:
        importer = Importer(name=name)
        session.add(importer)
        session.flush()
        for email, role in emails_and_roles:
            session.add(
                Subscriber(
                    email=email,
                    importer_id=importer.id,
                    role=role,
                    unsubscribe_token=f"t-{email}",
                    created_at=datetime(2024, 1, 1, tzinfo=UTC),
                )
            )


def import_file(engine: Engine, path: Path, importer: str, now: datetime) -> None:
    result = import_entries(engine, path, importer=importer, now=now)
    assert not result.parse.errors, result.parse.errors
