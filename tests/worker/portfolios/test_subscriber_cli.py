"""`adcvd subscriber add|remove`: partial updates, one subscriber per address, valid addresses only."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from tests.support.fixtures import fixture
from worker.app.cli import app
from worker.storage import people
from worker.storage.db import transaction

IMPORTER = "Demo Outdoor Power Inc."


@pytest.fixture
def env(engine: Engine) -> dict[str, str]:
    url = engine.url.render_as_string(hide_password=False)
    env = {"ADCVD_DATABASE_URL": url, "ADCVD_TIME_ZONE": "America/Chicago"}
    imported = CliRunner().invoke(
        app, ["portfolio", "import", str(fixture("portfolio", "sample_portfolio.csv"))], env=env
    )
    assert imported.exit_code == 0, imported.output
    return env


def cli(env: dict[str, str], *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.output


def subscribers(engine: Engine) -> list[tuple[str, str, str, str]]:
    with transaction(engine) as session:
        return [(s.email, s.role, s.digest, s.time_zone) for s in people.list_subscribers(session)]


def test_updating_changes_only_the_options_given(engine: Engine, env: dict[str, str]) -> None:
    assert cli(env, "subscriber", "add", "ops@example.com", "--importer", IMPORTER, "--role", "ops")[0] == 0
    assert subscribers(engine) == [("ops@example.com", "ops", "weekly", "America/Chicago")]
    code, output = cli(env, "subscriber", "add", "ops@example.com", "--importer", IMPORTER, "--tz", "UTC")
    assert code == 0, output
    assert output.startswith("updated ops@example.com (ops, digest weekly, UTC)")
    assert subscribers(engine) == [("ops@example.com", "ops", "weekly", "UTC")]


@pytest.mark.parametrize(
    "variant", ["DUP@example.com", "dup@EXAMPLE.com", "dup@example.com\n", " dup@example.com"]
)
def test_one_subscriber_per_address_whatever_its_case(
    engine: Engine, env: dict[str, str], variant: str
) -> None:
    assert cli(env, "subscriber", "add", "dup@example.com", "--importer", IMPORTER)[0] == 0
    code, output = cli(env, "subscriber", "add", variant, "--importer", IMPORTER)
    assert code == 0, output
    assert output.startswith("updated ")
    assert [s[0] for s in subscribers(engine)] == ["dup@example.com"]


@pytest.mark.parametrize(
    "address",
    ["a..b@example.com", "a@b", "a@example.com, b@example.com", "x@example.com\r\nBcc: y@example.com"],
)
def test_invalid_addresses_are_refused(engine: Engine, env: dict[str, str], address: str) -> None:
    code, output = cli(env, "subscriber", "add", address, "--importer", IMPORTER)
    assert code == 2
    assert output.startswith("error: not ")
    assert subscribers(engine) == []


def test_an_unknown_importer_is_an_error_unless_created(engine: Engine, env: dict[str, str]) -> None:
    code, output = cli(env, "subscriber", "add", "a@example.com", "--importer", "Demo Outdoor Power")
    assert code == 1
    assert "error: no importer named 'Demo Outdoor Power' (known: 'Demo Outdoor Power Inc.')" in output
    assert subscribers(engine) == []
    code, output = cli(env, "subscriber", "add", "a@example.com", "--importer", "New Co", "--create-importer")
    assert code == 0, output
    assert subscribers(engine) == [("a@example.com", "importer", "none", "America/Chicago")]


def test_remove(engine: Engine, env: dict[str, str], tmp_path: Path) -> None:
    assert cli(env, "subscriber", "add", "buyer@example.com", "--importer", IMPORTER)[0] == 0
    code, output = cli(env, "subscriber", "remove", "BUYER@example.com")
    assert code == 0, output
    assert output.startswith("removed 1 subscription(s) of BUYER@example.com")
    assert "unsent alert(s) dropped" in output  # the queued baseline report
    assert subscribers(engine) == []
    code, output = cli(env, "subscriber", "remove", "buyer@example.com")
    assert code == 1
    assert "error: no subscriber 'buyer@example.com'" in output
