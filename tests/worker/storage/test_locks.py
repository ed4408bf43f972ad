"""Locks between workers: one poll per source at a time, SKIP LOCKED claims, one worker per SQLite file."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from tests.support.pipeline import subscribe_sample_portfolio
from worker.app.cli import app
from worker.storage import outbox_rows, people
from worker.storage.db import make_engine, transaction
from worker.storage.locks import poll_lock, worker_lock
from worker.storage.models import Alert

NOW = datetime(2024, 2, 12, 12, 0, tzinfo=UTC)


def add_alerts(engine: Engine, n: int) -> None:
    subscribe_sample_portfolio(engine)
    with transaction(engine) as session:
        [subscriber] = people.list_subscribers(session)
        assert subscriber.id is not None
        for i in range(n):
            session.add(Alert(dedupe_key=f"k{i}", subscriber_id=subscriber.id, kind="test", created_at=NOW))


def test_a_second_poll_of_the_same_source_is_skipped_while_the_first_holds_the_lock(engine: Engine) -> None:
    other = make_engine(str(engine.url))
    try:
        with poll_lock(engine, "federal_register") as first:
            assert first
            with poll_lock(other, "federal_register") as second, poll_lock(other, "trade_gov") as third:
                assert not second and third
        with poll_lock(other, "federal_register") as after:
            assert after
    finally:
        other.dispose()


def test_two_workers_claim_disjoint_alerts_and_a_dead_workers_claims_return_after_the_lease(
    engine: Engine,
) -> None:
    add_alerts(engine, 10)
    lease = timedelta(minutes=5)
    other = make_engine(str(engine.url))
    try:
        with transaction(engine) as first:
            mine = outbox_rows.claim_due_alerts(first, now=NOW, lease=lease, limit=6)
            first.flush()
            if engine.dialect.name == "postgresql":
                # Concurrently, inside the first claim's transaction: SKIP LOCKED hands over the other rows.
                with transaction(other) as second:
                    theirs = outbox_rows.claim_due_alerts(second, now=NOW, lease=lease, limit=10)
                assert {a.id for a in mine}.isdisjoint({a.id for a in theirs}) and len(theirs) == 4
        # The claimer died without marking anything: nothing is due until the lease expires, then all is.
        with transaction(other) as later:
            still = outbox_rows.claim_due_alerts(later, now=NOW + timedelta(minutes=1), lease=lease, limit=10)
            expected_now = 4 if engine.dialect.name != "postgresql" else 0
            assert len(still) == expected_now
        with transaction(other) as expired:
            again = outbox_rows.claim_due_alerts(
                expired, now=NOW + timedelta(minutes=12), lease=lease, limit=10
            )
            assert len(again) == 10
    finally:
        other.dispose()


def test_a_second_worker_on_one_sqlite_file_refuses_to_start(tmp_path: Path) -> None:
    database = tmp_path / "adcvd.db"
    url = f"sqlite:///{database}"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
            import sys
            from worker.storage.db import make_engine
            from worker.storage.locks import worker_lock
            with worker_lock(make_engine({url!r})):
                print("holding", flush=True)
                sys.stdin.read()
        """),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        result = CliRunner().invoke(app, ["run", "--once"], env={"ADCVD_DATABASE_URL": url})
        assert result.exit_code == 3
        assert "another adcvd worker" in result.output and "would corrupt" in result.output
        assert "PostgreSQL" in result.output
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=30)
    with worker_lock(make_engine(url)):  # released when the holder exited: a restart is not blocked
        pass


def test_a_hard_link_to_a_running_workers_sqlite_file_cannot_start_a_second_worker(tmp_path: Path) -> None:
    database = tmp_path / "adcvd.db"
    (tmp_path / "elsewhere").mkdir()
    link = tmp_path / "elsewhere" / "same.db"
    with worker_lock(make_engine(f"sqlite:///{database}")):
        os.link(database, link)  # one file, two names: each name has its own beside-file lock
        result = CliRunner().invoke(app, ["run", "--once"], env={"ADCVD_DATABASE_URL": f"sqlite:///{link}"})
        assert result.exit_code == 3, result.output
        assert "another adcvd worker" in result.output and str(database) in result.output
    with worker_lock(make_engine(f"sqlite:///{link}")):  # released: the link's own worker may start now
        pass
