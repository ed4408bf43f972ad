"""`status`, `deliver`, `run --once`, `outbox list`, `demo` as an operator relies on them."""

from __future__ import annotations

import json
import mailbox
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.support.fixtures import fixture
from tests.support.mail import free_port
from worker.app.cli import app

IMPORTER = "Demo Outdoor Power Inc."


def cli(env: dict[str, str], *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {
        "ADCVD_DATABASE_URL": f"sqlite:///{tmp_path / 'adcvd.db'}",
        "ADCVD_OUTBOX_DIR": str(tmp_path / "outbox"),
        "ADCVD_HTTP_REQUESTS_PER_SECOND": "0",
    }


def with_subscriber(env: dict[str, str]) -> None:
    assert cli(env, "init")[0] == 0
    portfolio = str(fixture("portfolio", "sample_portfolio.csv"))
    assert cli(env, "portfolio", "import", portfolio)[0] == 0
    code, stdout, _ = cli(env, "subscriber", "add", "buyer@example.com", "--importer", IMPORTER)
    assert code == 0 and "baseline report queued" in stdout


def test_status_never_creates_a_database(env: dict[str, str], tmp_path: Path) -> None:
    code, _, stderr = cli(env, "status")
    assert code == 1
    assert (
        stderr.strip()
        == f"error: no database at {tmp_path / 'adcvd.db'}; run `adcvd init` first (ADCVD_DATABASE_URL)"
    )
    assert list(tmp_path.iterdir()) == []


def test_init_and_status_say_what_the_catalog_knows(env: dict[str, str]) -> None:
    code, stdout, _ = cli(env, "init")
    assert code == 0
    # The bundled seed: 1028 cases dated up to 2020-10-15, HTS-10 lists for some, no rates.
    assert "catalog: 1028 cases, facts up to 2020-10-15" in stdout
    assert "with 10-digit HTS lists, 0 with company rates" in stdout
    assert "next: run `adcvd backfill --since 2020-10-15`" in stdout
    code, stdout, _ = cli(env, "status", "--json")
    assert code == 0
    report = json.loads(stdout)
    assert report["catalog"]["cases"] == 1028
    assert report["catalog"]["cases_with_rates"] == 0
    assert report["catalog"]["newest_fact"] == "2020-10-15"
    assert report["catalog"]["next_step"].startswith("run `adcvd backfill --since 2020-10-15`")
    assert report["outbox"] == {"waiting": 0, "oldest_waiting_since": None, "by_status": {}}


def test_deliver_exits_1_when_sends_fail_and_says_how_many_wait(env: dict[str, str]) -> None:
    with_subscriber(env)
    refused = {**env, "ADCVD_SMTP_URL": f"smtp://127.0.0.1:{free_port()}"}  # nothing listens there
    code, stdout, stderr = cli(refused, "deliver")
    assert code == 1
    assert stdout.strip() == "delivery: 0 sent, 1 to retry, 0 failed; 1 wait for their retry time"
    assert "Traceback" not in stderr
    code, stdout, _ = cli(env, "outbox", "list", "--json")
    (alert,) = json.loads(stdout)
    assert (alert["recipient"], alert["kind"], alert["status"], alert["attempts"]) == (
        "buyer@example.com",
        "baseline",
        "pending",
        1,
    )
    code, stdout, _ = cli(env, "outbox", "list")
    assert "\tbaseline\tbuyer@example.com\t" in stdout


def test_run_once_without_a_network_names_the_causes_and_does_not_promise_a_retry(
    env: dict[str, str], tmp_path: Path
) -> None:
    assert cli(env, "init")[0] == 0
    port = free_port()
    offline = {
        **env,
        "ADCVD_FEDERAL_REGISTER_URL": f"http://127.0.0.1:{port}/api/v1",
        "ADCVD_TRADE_GOV_URL": "http://no-such-host.invalid",
    }
    code, stdout, stderr = cli(offline, "run", "--once")
    assert code == 1
    failures = [line for line in stderr.splitlines() if line.startswith("poll ")]
    assert len(failures) == 3
    assert (
        f"poll federal_register failed: http://127.0.0.1:{port}/api/v1/documents.json: "
        "connection refused by 127.0.0.1" in failures[0]
    )
    assert (
        "poll trade_gov failed: " in failures[2]
        and "DNS lookup failed for no-such-host.invalid" in failures[2]
    )
    assert all("run it again to retry" in line and "will retry" not in line for line in failures)
    assert "Report(" not in stdout + stderr
    assert "delivery: 0 sent, 0 to retry, 0 failed" in stdout
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".lock")] == []  # none left behind


def test_demo_writes_to_the_outbox_whatever_smtp_server_is_set(tmp_path: Path) -> None:
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        env = {"ADCVD_SMTP_URL": f"smtp://127.0.0.1:{free_port()}"}
        code, stdout, _ = cli(env, "demo")
    finally:
        os.chdir(old)
    assert code == 0, stdout
    assert "alerts: " in stdout and ", 0 to retry" in stdout
    assert len(mailbox.Maildir(tmp_path / "outbox", create=False)) >= 1
    assert "ADCVD_DATABASE_URL=sqlite:///adcvd-demo.db adcvd status" in stdout
