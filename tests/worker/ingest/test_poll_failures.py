"""A broken source response leaves the stored state as it was, and says so without a traceback."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.support.fixtures import fixture_bytes
from tests.support.pipeline import SEARCH_PATH, set_cursor
from worker.app.cli import app
from worker.app.recorded_site import RecordedSite, Route
from worker.storage import notice_rows, source_rows
from worker.storage.db import create_schema, make_engine, transaction

BROKEN = {
    "malformed-json": Route(SEARCH_PATH, fixture_bytes("fr_api", "search_ita_2024-02-09.json")[:700]),
    "http-500": Route(SEARCH_PATH, b"Internal Server Error", content_type="text/plain", status=500),
    "html-page": Route(
        SEARCH_PATH,
        b"<!DOCTYPE html><html><head><title>Federal Register :: Request Access</title></head><body>"
        b"<p>Your request has been blocked.</p></body></html>",
        content_type="text/html",
    ),
    "400-json-error": Route(
        SEARCH_PATH, fixture_bytes("fr_api", "fr_api_error_invalid_cursor.json"), status=400
    ),
}
EXPECTED = {
    "malformed-json": "not JSON",
    "http-500": "HTTP 500",
    "html-page": "an HTML page",
    "400-json-error": "Invalid search_after_cursor token",
}


@pytest.mark.parametrize("case", sorted(BROKEN), ids=sorted(BROKEN))
def test_broken_response_leaves_cursor_and_reports_clearly(
    case: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    database_url = f"sqlite:///{tmp_path / 'adcvd.db'}"
    engine = make_engine(database_url)
    create_schema(engine)
    set_cursor(engine, "2024-02-09")
    with transaction(engine) as session:
        before = source_rows.load_source_state(session, "federal_register").model_dump()
    with RecordedSite([BROKEN[case]]) as site, caplog.at_level(logging.WARNING):
        result = CliRunner().invoke(
            app,
            ["poll", "federal_register"],
            env={
                "ADCVD_DATABASE_URL": database_url,
                "ADCVD_FEDERAL_REGISTER_URL": site.base_url + "/api/v1",
                "ADCVD_HTTP_MAX_RETRIES": "0",
                "ADCVD_HTTP_REQUESTS_PER_SECOND": "0",
            },
        )
    assert result.exit_code == 1
    assert EXPECTED[case] in result.output
    assert "stored state unchanged" in result.output
    assert "Traceback" not in result.output
    assert any(EXPECTED[case] in r.getMessage() for r in caplog.records)
    with transaction(engine) as session:
        after = source_rows.load_source_state(session, "federal_register")
        assert after.cursor == before["cursor"] == "2024-02-09"
        assert after.etag == before["etag"] and after.last_success_at == before["last_success_at"]
        assert after.consecutive_failures == 1 and EXPECTED[case] in (after.last_error or "")
        assert notice_rows.list_notices(session) == []
