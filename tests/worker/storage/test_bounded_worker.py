"""A real `adcvd` process against a hostile look-alike source: bounded memory and time, cursor kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench._hostile_site import Answer, Bomb, Endless, HostileSite, Trickle, gzip_bomb
from bench._measure import adcvd_command, clean_env, run_measured
from tests.support.pipeline import SEARCH_PATH, set_cursor
from worker.storage import source_rows
from worker.storage.db import create_schema, make_engine, transaction

CASES: dict[str, tuple[Answer, str]] = {
    "endless-body": (Endless(1024 * 1024 * 1024), "limit"),
    "gzip-bomb": (Bomb(gzip_bomb(256 * 1024 * 1024)), "unpacked"),
    "trickle": (Trickle(interval=0.1), "timed out"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_hostile_source_fails_the_poll_quickly_in_bounded_memory_and_keeps_the_cursor(
    case: str, tmp_path: Path
) -> None:
    answer, expected = CASES[case]
    database_url = f"sqlite:///{tmp_path / 'adcvd.db'}"
    engine = make_engine(database_url)
    create_schema(engine)
    set_cursor(engine, "2024-02-09")
    with HostileSite({SEARCH_PATH: answer}) as site:
        env = clean_env(
            {
                "ADCVD_DATABASE_URL": database_url,
                "ADCVD_FEDERAL_REGISTER_URL": site.base_url + "/api/v1",
                "ADCVD_TRADE_GOV_URL": site.base_url,
                "ADCVD_HTTP_MAX_RETRIES": "0",
                "ADCVD_HTTP_REQUEST_DEADLINE_SECONDS": "1",
            }
        )
        done = run_measured(adcvd_command("poll", "federal_register"), env, cwd=tmp_path, timeout=60)
    assert done.returncode == 1, done.output
    assert expected in done.output and "Traceback" not in done.output
    assert done.peak_rss_mb < 300
    with transaction(engine) as session:
        state = source_rows.load_source_state(session, "federal_register")
        assert state.cursor == "2024-02-09" and state.consecutive_failures == 1
