"""`adcvd portfolio dismiss/dismissed/undismiss`: a dismissed case never reaches the SKU again."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from tests.support.realistic import HARBOR, add_subscriber, seeded_realistic_portfolio
from worker.alerts.baseline import build_baseline_payload
from worker.alerts.digest import DigestPeriod, build_digest_payload
from worker.alerts.importer_deadlines import collect_deadlines
from worker.alerts.routing import route_notice_events
from worker.app.cli import app
from worker.catalog.events import Event, EventKind, Severity
from worker.storage import people
from worker.storage.db import transaction
from worker.storage.models import Alert, Notice

IMPORTER = HARBOR
NOW = datetime(2024, 3, 4, 15, 0, tzinfo=UTC)


def _setup(engine: Engine) -> None:
    seeded_realistic_portfolio(engine)
    add_subscriber(
        engine,
        "imports@harbor.example",
        role="importer",
        digest="weekly",
        created_at=NOW - timedelta(days=30),
    )


def _cli(database_url: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env={"ADCVD_DATABASE_URL": database_url})
    return result.exit_code, result.stdout, result.stderr


def _route(engine: Engine, number: str, case: str) -> list[Alert]:
    with transaction(engine) as session:
        notice = Notice(document_number=number, title=f"Final results {case}", kind="review_results")
        session.add(notice)
        session.flush()
        event = Event(EventKind.REVIEW_RESULTS, Severity.HIGH, case, number, f"Final results for {case}")
        return route_notice_events(session, notice=notice, events=[event], now=NOW, threshold=90)


def _seen_everywhere(engine: Engine, sku: str, case: str) -> dict[str, bool]:
    """Whether the case shows for the SKU in reminders, the baseline (likely or possible), the digest."""
    with transaction(engine) as session:
        subscriber = people.list_subscribers(session)[0]
        assert subscriber.importer_id is not None
        items = collect_deadlines(
            session, importer_id=subscriber.importer_id, today=NOW.date(), until=date(2025, 3, 4)
        )
        baseline = build_baseline_payload(session, subscriber, now=NOW, threshold=90)
        period = DigestPeriod(date(2024, 2, 26), date(2024, 3, 4), date(2024, 2, 26))
        digest = build_digest_payload(session, subscriber, period=period, now=NOW, threshold=90)
    return {
        "reminders": any(case in i.cases and sku in i.skus for i in items),
        "baseline": any(
            m["case_number"] == case for p in baseline["products"] if p["sku"] == sku for m in p["matches"]
        ),
        "baseline_possible": (sku, case) in {(x["sku"], x["case_number"]) for x in baseline["possible"]},
        "digest": any(x["sku"] == sku and case in x["cases"] for x in digest["exposure"]),
    }


def test_a_dismissed_case_is_never_alerted_reminded_or_reported_for_the_sku(
    engine: Engine, database_url: str
) -> None:
    _setup(engine)
    assert _seen_everywhere(engine, "NAIL-CW", "A-570-909") == {
        "reminders": True,
        "baseline": True,
        "baseline_possible": False,
        "digest": True,
    }
    code, out, _ = _cli(database_url, "portfolio", "dismiss", "NAIL-CW", "a-570-909", "--importer", IMPORTER)
    assert code == 0 and "dismissed A-570-909 for NAIL-CW" in out
    code, out, _ = _cli(database_url, "portfolio", "dismiss", "NAIL-CW", "A-570-909", "--importer", IMPORTER)
    assert code == 0 and "already dismissed" in out
    assert _route(engine, "2024-90001", "A-570-909") == []
    assert not any(_seen_everywhere(engine, "NAIL-CW", "A-570-909").values())
    # A possible match can be dismissed too: it leaves the baseline's list of possible matches.
    assert _seen_everywhere(engine, "SHELF-5T", "A-570-890")["baseline_possible"]
    assert _cli(database_url, "portfolio", "dismiss", "SHELF-5T", "A-570-890", "--importer", IMPORTER)[0] == 0
    assert not _seen_everywhere(engine, "SHELF-5T", "A-570-890")["baseline_possible"]

    code, out, _ = _cli(database_url, "portfolio", "dismissed", "--importer", IMPORTER)
    assert code == 0 and "NAIL-CW" in out and "A-570-909" in out and "Steel Nails" in out
    assert "A-570-890" in out

    code, out, _ = _cli(
        database_url, "portfolio", "undismiss", "NAIL-CW", "A-570-909", "--importer", IMPORTER
    )
    assert code == 0 and "alerted for NAIL-CW" in out
    alerts = _route(engine, "2024-90002", "A-570-909")
    assert [a.payload["skus"] for a in alerts] == [["NAIL-CW"]]
    assert _seen_everywhere(engine, "NAIL-CW", "A-570-909")["reminders"]


def test_dismiss_refuses_what_it_does_not_know_in_one_line(engine: Engine, database_url: str) -> None:
    _setup(engine)
    cases = [
        (("NAIL-XX", "A-570-909", "--importer", IMPORTER), f"importer {IMPORTER!r} has no SKU 'NAIL-XX'"),
        (("NAIL-CW", "A-570-999", "--importer", IMPORTER), "no case 'A-570-999' in the catalog"),
        (("NAIL-CW", "A-570-909", "--importer", "Nobody Inc."), "no importer named 'Nobody Inc.'"),
    ]
    for args, message in cases:
        code, out, err = _cli(database_url, "portfolio", "dismiss", *args)
        assert code == 1 and out == ""
        assert len(err.strip().splitlines()) == 1 and err.startswith(f"error: {message}")
    code, _, err = _cli(
        database_url, "portfolio", "undismiss", "NAIL-CW", "A-570-909", "--importer", IMPORTER
    )
    assert code == 1 and "A-570-909 is not dismissed for NAIL-CW" in err
    assert _cli(database_url, "portfolio", "dismiss", "NAIL-CW", "A-570-909")[0] == 2  # no --importer
    assert _cli(database_url, "portfolio", "dismissed")[1].strip() == "no dismissals"
