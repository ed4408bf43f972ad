"""Watch the watchers: a failing or silent source alerts the operator once, and once more on recovery."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from watchers.business_days import business_days_between
from worker.alerts.watchdog import check_sources
from worker.app.cli import app
from worker.storage import outbox_rows, source_rows
from worker.storage.db import transaction
from worker.storage.models import Notice, Subscriber

OPERATOR = "ops@example.com"
NOW = datetime(2024, 2, 15, 15, 0, tzinfo=UTC)  # Thursday


def fail(engine: Engine, times: int) -> None:
    with transaction(engine) as session:
        state = source_rows.load_source_state(session, "trade_gov")
        state.consecutive_failures += times
        state.last_error = "https://www.trade.gov/x: HTTP 500 after 5 attempts"
        session.add(state)


def succeed(engine: Engine, at: datetime) -> None:
    with transaction(engine) as session:
        state = source_rows.load_source_state(session, "trade_gov")
        state.consecutive_failures, state.last_error, state.last_success_at = 0, None, at
        session.add(state)


def check(engine: Engine, *, today: date = date(2024, 2, 15), email: str | None = OPERATOR) -> list[str]:
    return check_sources(engine, operator_email=email, failure_alert_after=3, today=today, now=NOW).alerts


def operator_alerts(engine: Engine) -> list[str]:
    with transaction(engine) as session:
        return sorted(a.dedupe_key for a in outbox_rows.list_alerts(session) if a.kind == "operator")


def test_failing_source_alerts_once_and_once_more_on_recovery(engine: Engine) -> None:
    fail(engine, 2)
    assert check(engine) == []
    fail(engine, 1)
    [failing] = check(engine)
    assert failing.startswith("operator:trade_gov:failing:")
    fail(engine, 5)
    assert check(engine) == []  # still failing: no second alert
    succeed(engine, NOW)
    [recovered] = check(engine)
    assert recovered.startswith("operator:trade_gov:recovered:")
    assert check(engine) == []
    assert operator_alerts(engine) == sorted([failing, recovered])
    with transaction(engine) as session:
        [alert] = [a for a in outbox_rows.list_alerts(session) if a.dedupe_key == failing]
        assert alert.payload["template"] == "operator" and "HTTP 500" in " ".join(alert.payload["lines"])
        operator = session.get(Subscriber, alert.subscriber_id)
        assert operator is not None and operator.email == OPERATOR and operator.importer_id is None


def test_without_an_operator_address_nothing_is_queued(engine: Engine) -> None:
    fail(engine, 4)
    assert check(engine, email=None) == []
    assert operator_alerts(engine) == []


def add_notice(engine: Engine, published: date, number: str) -> None:
    with transaction(engine) as session:
        session.add(Notice(document_number=number, publication_date=published, title="t", kind="order"))


def test_no_ita_notice_for_two_business_days_alerts_once_then_once_on_recovery(engine: Engine) -> None:
    add_notice(engine, date(2024, 2, 9), "2024-00001")  # Friday; Monday 19 February is Presidents Day
    assert check(engine, today=date(2024, 2, 13)) == []  # only Monday 12th passed
    [quiet] = check(engine, today=date(2024, 2, 14))  # Monday and Tuesday passed empty
    assert quiet == "operator:federal_register:quiet:2024-02-09"
    assert check(engine, today=date(2024, 2, 15)) == []
    add_notice(engine, date(2024, 2, 15), "2024-00002")
    assert check(engine, today=date(2024, 2, 15)) == ["operator:federal_register:quiet-ended:2024-02-09"]
    assert check(engine, today=date(2024, 2, 16)) == []


def test_business_days_skip_weekends_and_federal_holidays() -> None:
    # Days after the start through the end: Sat, Sun, Presidents Day (Mon 19) do not count; Tue, Wed do.
    assert business_days_between(date(2024, 2, 16), date(2024, 2, 21)) == 2
    # The watchdog's quiet days are those strictly between: through the day before (Tue only).
    assert business_days_between(date(2024, 2, 16), date(2024, 2, 20)) == 1
    assert business_days_between(date(2024, 2, 12), date(2024, 2, 13)) == 1
    assert business_days_between(date(2024, 2, 12), date(2024, 2, 12)) == 0
    assert business_days_between(date(2024, 2, 13), date(2024, 2, 12)) == 0


def test_status_shows_each_source_and_the_outbox_backlog(engine: Engine) -> None:
    fail(engine, 4)
    check(engine)
    result = CliRunner().invoke(app, ["status"], env={"ADCVD_DATABASE_URL": str(engine.url)})
    assert result.exit_code == 0, result.output
    assert "trade_gov: cursor -, last success never, 4 consecutive failures" in result.output
    assert "operator alerted" in result.output
    assert "outbox backlog: 1 waiting, oldest waiting since " in result.output
    assert (NOW - timedelta(0)).isoformat(timespec="seconds") in result.output
