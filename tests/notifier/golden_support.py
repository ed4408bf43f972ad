"""A catalog with the real pressure-washers order, and golden-file comparison of built emails."""

from __future__ import annotations

import asyncio
import os
import re
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

from sqlalchemy.engine import Engine

from tests.support.pipeline import (
    pressure_washer_routes,
    set_cursor,
    settings_for,
    subscribe_sample_portfolio,
)
from worker.app.recorded_site import RecordedSite
from worker.app.runtime import run_poll
from worker.storage.db import create_schema, make_engine

GOLDEN = Path(__file__).resolve().parent.parent / "golden"
ORDER_POLLED = datetime(2024, 2, 12, 12, 0, tzinfo=UTC)
_BOUNDARY = re.compile(r"={15}\d+==")


def pressure_washer_catalog(directory: Path) -> Engine:
    """A fresh database after one real poll of FR Doc 2024-02902, with the sample portfolio subscribed."""
    engine = make_engine(f"sqlite:///{directory / 'golden.db'}")
    create_schema(engine)
    subscribe_sample_portfolio(engine)
    set_cursor(engine, "2024-02-09")

    async def poll() -> None:
        with RecordedSite(pressure_washer_routes()) as site:
            settings = settings_for(
                site.base_url, smtp_url=None, outbox=directory / "outbox", database_url=str(engine.url)
            )
            report = await run_poll(settings, engine, "federal_register", now=ORDER_POLLED)
            assert report.ok and report.documents_new == 1, report

    asyncio.run(poll())
    return engine


def normalise(message: EmailMessage) -> str:
    """The email as a reader sees it: key headers, the text, the HTML, attachments; no volatile parts."""
    lines = []
    for name in (
        "Subject",
        "From",
        "To",
        "Message-ID",
        "Date",
        "In-Reply-To",
        "References",
        "List-Unsubscribe",
        "List-Unsubscribe-Post",
        "X-ADCVD-Kind",
        "X-ADCVD-Dedupe-Key",
    ):
        value = message.get(name)
        if value is None:
            continue
        if name == "Message-ID" or name == "Date":
            value = "<normalised>"
        lines.append(f"{name}: {value}")
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None and html is not None
    lines += ["", "----- text/plain -----", str(text.get_content()).rstrip()]
    lines += ["", "----- text/html -----", str(html.get_content()).rstrip()]
    for part in message.iter_attachments():
        content = part.get_content()
        body = content.decode() if isinstance(content, bytes) else str(content)
        lines += [
            "",
            f"----- attachment {part.get_filename()} ({part.get_content_type()}) -----",
            body.replace("\r\n", "\n").rstrip(),
        ]
    return _BOUNDARY.sub("<boundary>", "\n".join(lines)) + "\n"


def assert_golden(name: str, message: EmailMessage) -> None:
    """Compare with tests/golden/NAME.txt; UPDATE_GOLDEN=1 rewrites it (and only then)."""
    message.as_bytes()  # the raw message must build
    actual = normalise(message)
    path = GOLDEN / f"{name}.txt"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_text(actual, encoding="utf-8")
        return
    assert path.exists(), f"no golden file {path}; run with UPDATE_GOLDEN=1 to create it"
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"{name} differs from {path}; if the change is intended, UPDATE_GOLDEN=1"
