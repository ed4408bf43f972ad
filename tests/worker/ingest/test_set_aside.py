"""One unreadable document in a valid search page is set aside with its reason; the others are saved."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from tests.support.fixtures import fixture_bytes
from tests.support.mail import SmtpServer
from tests.support.pipeline import SEARCH_PATH, pressure_washer_routes, set_cursor, settings_for
from watchers import federal_register as fr
from watchers.http import FetchResult
from worker.app.recorded_site import RecordedSite, Route
from worker.app.runtime import run_poll
from worker.storage import case_rows, notice_rows, outbox_rows, source_rows
from worker.storage.db import transaction

REAL = json.loads(fixture_bytes("fr_api", "search_ita_2024-02-09.json"))["results"][0]


def broken(number: str, **changes: Any) -> dict[str, Any]:
    """The real pressure-washers result with a new number and the given fields broken (CONSTRUCTED)."""
    return {**REAL, "document_number": number, **changes}


BROKEN_RESULTS = {
    "agencies as a number": broken("2024-90001", agencies=7),
    "docket ids as a number": broken("2024-90002", docket_ids=570148),
    "title as a number": broken("2024-90003", title=12345),
    "a result that is not an object": 42,
}


def page(results: list[Any], count: Any) -> bytes:
    return json.dumps({"count": count, "total_pages": 1, "results": results}).encode()


@pytest.mark.parametrize("count", ["5", None, float("inf"), "many"])
def test_a_count_that_is_not_a_number_is_not_fatal(count: Any) -> None:
    body = page([REAL], count)
    parsed = fr.parse_search_page(
        FetchResult(url="https://x/documents.json", status=200, headers={}, body=body)
    )
    assert [d.document_number for d in parsed.documents] == ["2024-02902"] and parsed.count >= 1


@pytest.mark.parametrize("name", list(BROKEN_RESULTS))
def test_one_broken_result_is_set_aside_with_its_reason(name: str) -> None:
    body = page([REAL, BROKEN_RESULTS[name]], 2)
    parsed = fr.parse_search_page(
        FetchResult(url="https://x/documents.json", status=200, headers={}, body=body)
    )
    assert [d.document_number for d in parsed.documents] == ["2024-02902"]
    [aside] = parsed.set_aside
    assert aside.reason and (aside.document.startswith("2024-9000") or aside.document.startswith("result 2"))


def test_nul_in_a_title_is_removed() -> None:
    body = page([broken("2024-90004", title="Pressure\u0000 Washers")], 1)
    parsed = fr.parse_search_page(
        FetchResult(url="https://x/documents.json", status=200, headers={}, body=body)
    )
    assert parsed.documents[0].title == "Pressure Washers"


async def test_a_poll_saves_the_good_documents_and_tells_the_operator(
    engine: Engine, smtp: SmtpServer, tmp_path: Path, now: datetime
) -> None:
    set_cursor(engine, "2024-02-09")
    results = [
        broken("2024-90009", publication_date="9999-12-31"),
        REAL,
        broken("2024-90005", docket_ids=570148),
        broken("2024-90006", title="Certain Pressure\u0000 Washers"),  # NUL: PostgreSQL refuses it in text
    ]
    routes = [Route(SEARCH_PATH, page(results, float("inf")), etag=False), *pressure_washer_routes()[1:]]
    with RecordedSite(routes) as site:
        settings = settings_for(
            site.base_url, smtp_url=smtp.url, outbox=tmp_path / "outbox", database_url=str(engine.url)
        )
        settings.operator_email = "ops@example.com"
        report = await run_poll(settings, engine, "federal_register", now=now)
    assert report.ok and sorted(report.set_aside) == ["2024-90005", "2024-90009"]
    assert "not plausible" in report.set_aside["2024-90009"]
    with transaction(engine) as session:
        saved = {n.document_number: n for n in notice_rows.list_notices(session)}
        assert set(saved) == {"2024-02902", "2024-90006"}
        assert "\x00" not in saved["2024-90006"].title
        assert case_rows.load_case(session, "A-570-148") is not None
        state = source_rows.load_source_state(session, "federal_register")
        assert state.consecutive_failures == 1 and "2024-90005" in (state.last_error or "")
        notes = outbox_rows.list_alert_keys(session, prefix="operator:federal_register:set-aside:")
        assert len(notes) == 2
