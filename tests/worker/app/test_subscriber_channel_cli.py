"""`adcvd subscriber add --channel --url`: https only, a webhook secret shown once, URLs never shown whole."""

from __future__ import annotations

import re

import pytest
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from tests.support.fixtures import fixture
from worker.alerts.audience import unsubscribe
from worker.app.cli import app
from worker.storage import people
from worker.storage.db import transaction

IMPORTER = "Demo Outdoor Power Inc."
SLACK = "https://hooks.slack.com/services/T0AAAAAAA/B0BBBBBBB/slackKEYslackKEY"
SECRET_LINE = re.compile(r"webhook signing secret \(shown once; keep it with the receiver\): (\S+)")


@pytest.fixture
def env(engine: Engine) -> dict[str, str]:
    env = {"ADCVD_DATABASE_URL": engine.url.render_as_string(hide_password=False)}
    imported = CliRunner().invoke(
        app, ["portfolio", "import", str(fixture("portfolio", "sample_portfolio.csv"))], env=env
    )
    assert imported.exit_code == 0, imported.output
    return env


def add(env: dict[str, str], *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["subscriber", "add", "--importer", IMPORTER, *args], env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.output


def channels(engine: Engine) -> dict[str, tuple[str, str | None, str | None]]:
    with transaction(engine) as session:
        return {
            s.email: (s.channel, s.channel_url, s.signing_secret) for s in people.list_subscribers(session)
        }


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--channel", "slack", "--url", "http://hooks.slack.com/services/T/B/X"], "must be https"),
        (["--channel", "webhook", "--url", "https://user:pw@erp.example/hook"], "user name or password"),
        (["--channel", "pigeon", "--url", SLACK], "--channel must be one of email, webhook, slack, teams"),
        (["--channel", "email", "--url", SLACK], "--url is for --channel webhook, slack or teams"),
        (["--channel", "teams"], "--channel teams needs --url"),
        (["--url", SLACK], "need --channel webhook, slack or teams"),
    ],
)
def test_a_bad_channel_or_url_is_refused_and_nothing_saved(
    engine: Engine, env: dict[str, str], args: list[str], said: str
) -> None:
    code, output = add(env, "team@example.com", *args)
    assert code == 2 and said in output and len(output.strip().splitlines()) == 1, output
    assert channels(engine) == {}


def test_help_says_https_is_required_but_on_this_machine(env: dict[str, str]) -> None:
    result = CliRunner().invoke(app, ["subscriber", "add", "--help"], env={**env, "COLUMNS": "200"})
    text = " ".join(result.output.split())
    assert "https required (plain http only on 127.0.0.1 or localhost" in text


def test_the_webhook_secret_is_shown_once_and_rotated_on_request(engine: Engine, env: dict[str, str]) -> None:
    code, output = add(env, "hooks@example.com", "--channel", "webhook", "--url", "https://erp.example/adcvd")
    assert code == 0 and "by webhook https://erp.example" in output, output
    [secret] = SECRET_LINE.findall(output)
    assert len(secret) >= 40 and channels(engine)["hooks@example.com"] == (
        "webhook",
        "https://erp.example/adcvd",
        secret,
    )
    code, output = add(env, "hooks@example.com", "--tz", "UTC")
    assert code == 0 and not SECRET_LINE.search(output) and channels(engine)["hooks@example.com"][2] == secret
    code, output = add(env, "hooks@example.com", "--rotate-secret")
    [rotated] = SECRET_LINE.findall(output)
    assert rotated != secret and channels(engine)["hooks@example.com"][2] == rotated
    code, output = add(env, "hooks@example.com", "--channel", "email")
    assert code == 0 and channels(engine)["hooks@example.com"] == ("email", None, None)


def test_a_slack_url_is_listed_by_its_host_only(engine: Engine, env: dict[str, str]) -> None:
    code, output = add(env, "team@example.com", "--channel", "slack", "--url", SLACK)
    assert code == 0 and "slackKEY" not in output and not SECRET_LINE.search(output), output
    listed = CliRunner().invoke(app, ["subscriber", "list"], env=env)
    assert "slack https://hooks.slack.com" in listed.output and "slackKEY" not in listed.output
    assert channels(engine)["team@example.com"] == ("slack", SLACK, None)


def test_the_list_shows_what_a_subscriber_switched_off(engine: Engine, env: dict[str, str]) -> None:
    """After a one-click unsubscribe the operator sees it in `subscriber list` (it showed nothing)."""
    assert add(env, "buyer@example.com")[0] == 0
    with transaction(engine) as session:
        [subscriber] = people.list_subscribers_by_email(session, "buyer@example.com")
        unsubscribe(subscriber, "order")
        unsubscribe(subscriber, "entry_assessment")
        session.add(subscriber)
    assert add(env, "buyer@example.com", "--on", "new_deadline")[0] == 0
    listed = CliRunner().invoke(app, ["subscriber", "list"], env=env)
    [line] = [row for row in listed.output.splitlines() if row.startswith("buyer@example.com")]
    assert line.endswith("\temail\toff: entry_assessment, order\ton: new_deadline"), line
