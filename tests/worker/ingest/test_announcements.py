"""trade.gov announcements through the real poll: early-signal alerts, priming, a broken page retried."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy.engine import Engine

from tests.support.fixtures import fixture
from tests.support.pipeline import settings_for, subscribe_sample_portfolio
from worker.app.recorded_site import RecordedSite, Route
from worker.app.runtime import run_poll
from worker.storage import case_rows, notice_rows, outbox_rows, people, source_rows
from worker.storage.db import transaction
from worker.storage.models import Case, CaseHts, Importer, Product

NOW = datetime(2025, 7, 17, 20, 0, tzinfo=UTC)
AD_PATH = "/preliminary-affirmative-determination-antidumping-duty-investigation-active-anode-material-china"


def routes() -> list[Route]:
    return [
        Route.from_file(
            "/ec-adcvd-case-announcements",
            fixture("trade_gov", "case_announcements_listing.html"),
            "text/html",
        ),
        Route.from_file(
            AD_PATH, fixture("trade_gov", "announcement_active_anode_material_prelim_ad.html"), "text/html"
        ),
    ]


def catalog_with_anode_case(engine: Engine) -> None:
    """The case as its initiation notice would have left it; 3801.90 is a CONSTRUCTED scope code."""
    with transaction(engine) as session:
        session.add(
            Case(
                case_number="A-570-194",
                case_type="AD",
                country="CN",
                product="Active Anode Material",
                status="investigation",
            )
        )
        session.flush()
        session.add(CaseHts(case_number="A-570-194", hts="3801900000", source="test"))
        importer = people.load_or_create_importer(session, "Demo Outdoor Power Inc.")
        assert isinstance(importer, Importer) and importer.id is not None
        session.add(
            Product(
                importer_id=importer.id,
                sku="ANODE-1",
                description="graphite anode powder",
                hts="3801900000",
                country="CN",
                producer="Resonac Corporation",
                exporter="Panasonic Energy (Wuxi) Co., Ltd.",
            )
        )


def mark_watched(engine: Engine) -> None:
    with transaction(engine) as session:
        state = source_rows.load_source_state(session, "trade_gov")
        state.cursor = "2025-07-16"
        session.add(state)


async def test_announcement_raises_early_signal_and_broken_page_is_retried(
    engine: Engine, tmp_path: Path
) -> None:
    subscribe_sample_portfolio(engine)
    catalog_with_anode_case(engine)
    mark_watched(engine)
    with RecordedSite(routes()) as site:
        settings = settings_for(
            site.base_url, smtp_url=None, outbox=tmp_path / "o", database_url=str(engine.url)
        )
        report = await run_poll(settings, engine, "trade_gov", now=NOW)
        # The CVD page of the listing is not served: it is reported, not stored, and fetched again next time.
        assert report.ok and report.documents_seen == 2 and report.documents_new == 1
        assert any("not fetched" in note for notes in report.unread.values() for note in notes)
        assert report.alerts_created == 1
        with transaction(engine) as session:
            [alert] = outbox_rows.list_alerts(session)
            [event] = alert.payload["events"]
            assert event["kind"] == "early_signal" and event["case_number"] == "A-570-194"
            assert "102.72%" in event["summary"] and "2025-12-05" in event["summary"]
            assert case_rows.list_rates(session, ["A-570-194"]) == []  # announced rates are not deposits
            assert source_rows.load_source_state(session, "trade_gov").etag is None
        again = await run_poll(settings, engine, "trade_gov", now=NOW)
        assert again.documents_new == 0 and again.alerts_created == 0
        assert (
            sum(1 for r in site.requests if r.path.startswith("/preliminary-determinations-countervailing"))
            == 2
        )


async def test_first_poll_primes_without_alerts(engine: Engine, tmp_path: Path) -> None:
    subscribe_sample_portfolio(engine)
    catalog_with_anode_case(engine)
    with RecordedSite(routes()) as site:
        settings = settings_for(
            site.base_url, smtp_url=None, outbox=tmp_path / "o", database_url=str(engine.url)
        )
        report = await run_poll(settings, engine, "trade_gov", now=NOW)
    assert report.primed and report.alerts_created == 0 and report.documents_new == 1
    with transaction(engine) as session:
        notice = notice_rows.load_notice(session, "trade.gov" + AD_PATH)
        assert notice is not None and notice.kind == "preliminary_determination"
        assert notice.publication_date == date(2025, 7, 17)


async def test_dry_run_reads_the_announcements_and_stores_nothing(engine: Engine, tmp_path: Path) -> None:
    """`adcvd poll trade_gov --dry-run` says what is new; the catalog, the outbox and the cursor stay."""
    subscribe_sample_portfolio(engine)
    catalog_with_anode_case(engine)
    mark_watched(engine)
    with RecordedSite(routes()) as site:
        settings = settings_for(
            site.base_url, smtp_url=None, outbox=tmp_path / "o", database_url=str(engine.url)
        )
        report = await run_poll(settings, engine, "trade_gov", now=NOW, dry_run=True)
    assert report.ok and report.documents_new == 1
    with transaction(engine) as session:
        assert notice_rows.load_notice(session, "trade.gov" + AD_PATH) is None
        assert outbox_rows.list_alerts(session) == []
        assert source_rows.load_source_state(session, "trade_gov").cursor == "2025-07-16"
