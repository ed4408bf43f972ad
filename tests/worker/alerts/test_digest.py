"""The weekly digest's period in the subscriber's time zone, once a week, once after downtime; preview."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from tests.support.pipeline import IMPORTER_EMAIL, subscribe_sample_portfolio
from worker.alerts.digest import DigestPeriod, due_digest_period, queue_digests
from worker.app.cli import app
from worker.storage import outbox_rows, people
from worker.storage.db import transaction

CHICAGO = ZoneInfo("America/Chicago")


@pytest.mark.parametrize(
    ("local_now", "last", "expected"),
    [
        (datetime(2024, 2, 12, 6, 59, tzinfo=CHICAGO), date(2024, 1, 29), None),  # before 07:00 Monday
        (
            datetime(2024, 2, 12, 7, 0, tzinfo=CHICAGO),
            date(2024, 1, 29),
            DigestPeriod(date(2024, 2, 5), date(2024, 2, 12), date(2024, 2, 5)),
        ),
        (datetime(2024, 2, 14, 9, 0, tzinfo=CHICAGO), date(2024, 2, 5), None),  # already sent this week
        (
            datetime(2024, 3, 12, 9, 0, tzinfo=CHICAGO),
            date(2024, 2, 19),  # two Mondays missed
            DigestPeriod(date(2024, 2, 26), date(2024, 3, 11), date(2024, 3, 4)),
        ),
        (
            datetime(2024, 2, 12, 7, 0, tzinfo=CHICAGO),
            None,
            DigestPeriod(date(2024, 2, 5), date(2024, 2, 12), date(2024, 2, 5)),
        ),
    ],
    ids=["before-seven", "monday-seven", "sent", "after-downtime", "first"],
)
def test_due_digest_period(local_now: datetime, last: date | None, expected: DigestPeriod | None) -> None:
    assert due_digest_period(local_now, last_week_start=last) == expected


def test_the_week_is_the_subscribers_not_utc() -> None:
    # Monday 03:00 UTC is still Sunday evening in Chicago: no digest yet.
    local = datetime(2024, 2, 12, 3, 0, tzinfo=UTC).astimezone(CHICAGO)
    assert due_digest_period(local, last_week_start=date(2024, 1, 29)) is None


def test_never_twice_for_a_week_and_preview_sends_nothing(engine: Engine) -> None:
    subscribe_sample_portfolio(engine, role="ops")
    with transaction(engine) as session:
        [subscriber] = people.list_subscribers(session)
        subscriber.time_zone = "America/Chicago"
        session.add(subscriber)
    monday = datetime(2024, 2, 12, 14, 0, tzinfo=UTC)
    with transaction(engine) as session:
        [alert] = queue_digests(session, now=monday, threshold=90)
        assert alert.dedupe_key == f"digest:{subscriber.id}:2024-02-05"
        assert alert.payload["period"]["start"] == "2024-02-05"
    for later in (monday, datetime(2024, 2, 16, 14, 0, tzinfo=UTC)):
        with transaction(engine) as session:
            assert queue_digests(session, now=later, threshold=90) == []
    result = CliRunner().invoke(
        app,
        ["digest", "--preview", "--subscriber", IMPORTER_EMAIL],
        env={"ADCVD_DATABASE_URL": str(engine.url)},
    )
    assert result.exit_code == 0, result.output
    assert "AD/CVD weekly digest for Demo Outdoor Power Inc." in result.output
    with transaction(engine) as session:
        assert len(outbox_rows.list_alerts(session)) == 1
