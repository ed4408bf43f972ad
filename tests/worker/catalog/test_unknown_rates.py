"""Unknown rates and values print 'unknown', never $0; the digest total says what it leaves out."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy.engine import Engine

from notifier.formatting import format_percent, format_usd
from notifier.render import render_message
from tests.support.realistic import add_subscriber, seeded_realistic_portfolio
from worker.alerts.digest import DigestPeriod, build_digest_payload
from worker.storage import people
from worker.storage.db import transaction
from worker.storage.models import CompanyRate

NOW = datetime(2024, 3, 4, 15, 0, tzinfo=UTC)
PERIOD = DigestPeriod(date(2024, 2, 26), date(2024, 3, 4), date(2024, 2, 26))
TOTAL = "Total estimated annual exposure:"


def _digest_text(engine: Engine) -> tuple[dict[str, object], str, str]:
    with transaction(engine) as session:
        subscriber = people.list_subscribers(session)[0]
        payload = build_digest_payload(session, subscriber, period=PERIOD, now=NOW, threshold=90)
    message = render_message("digest", payload)
    [total] = [line.strip() for line in message.text.splitlines() if line.strip().startswith(TOTAL)]
    return payload, total, message.html


def test_unknown_amounts_read_unknown() -> None:
    assert format_usd(None) == "unknown" and format_percent(None) == "unknown"
    assert format_usd(Decimal("0")) == "$0" and format_percent("0") == "0.00%"  # a known zero stays zero


def test_the_digest_total_separates_known_exposure_from_unknown_rates(engine: Engine) -> None:
    seeded_realistic_portfolio(engine)  # the 2020 seed catalog has no rates at all
    add_subscriber(
        engine, "ops@harbor.example", role="ops", digest="weekly", created_at=NOW - timedelta(days=30)
    )
    # Orders with deposits reach 7 products (the sinks case's status is unknown): no rate for any.
    payload, total, html = _digest_text(engine)
    assert total == f"{TOTAL} unknown; 7 products with unknown rate"
    assert "$0" not in total and "$0<" not in html
    assert "unknown; 7 products with unknown rate" in html

    # Steel nails, PRC-wide entity rate 118.04%: 96,000 x 118.04% = $113,318.40 is known.
    with transaction(engine) as session:
        session.add(CompanyRate(case_number="A-570-909", rate=Decimal("118.04"), basis="country_wide"))
    payload, total, _ = _digest_text(engine)
    assert total == f"{TOTAL} $113,318 known; 6 products with unknown rate"
    rows = {r["sku"]: r for r in payload["exposure"]}  # type: ignore[attr-defined]
    assert rows["SHELF-5T"]["exposure"] is None and rows["NAIL-CW"]["exposure"] == "113318.40"
    assert rows["NAIL-CW"]["match"] == "6-digit HTS, likely, confidence high"
