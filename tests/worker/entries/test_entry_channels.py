"""An entry assessment through the channels beside email: the webhook body carries the per-entry figures
and totals the email shows, and Slack and Teams cards list each entry (they failed to render before)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from notifier.channel_card import card_for
from notifier.render import render_message
from notifier.slack import slack_message
from notifier.teams import teams_message
from notifier.webhook import DATA_KEYS, webhook_body
from tests.support.fixtures import fixture
from tests.worker.entries.support import import_file, importer_with_subscribers, ingest_notice

GULF = "Gulf Seafood Imports LLC"
SHRIMP_FINAL = "constructed_final_results_ad_shrimp_india.xml"
TITLE = (
    "Certain Frozen Warmwater Shrimp From India: Final Results of Antidumping Duty Administrative Review; "
    "2022-2023"
)
NOW = datetime(2024, 9, 9, 12, 0, tzinfo=UTC)


@pytest.fixture
def payload(engine: Engine) -> dict[str, Any]:
    importer_with_subscribers(engine, GULF, ("hooks@gulf.example", "importer"))
    import_file(engine, fixture("entries", "shrimp_entries.csv"), GULF, NOW)
    [alert] = ingest_notice(engine, SHRIMP_FINAL, title=TITLE, published=date(2024, 9, 9), now=NOW)
    return dict(alert.payload)


def test_the_webhook_body_of_an_entry_assessment_carries_each_entrys_figures(payload: dict[str, Any]) -> None:
    subject = render_message("entry_assessment", payload).subject
    body = json.loads(
        webhook_body(
            payload,
            delivery_id="d",
            kind="entry_assessment",
            template="entry_assessment",
            subject=subject,
            created_at=NOW,
        )
    )
    assert body["type"] == "entry_assessment" and set(body["data"]) <= set(DATA_KEYS["entry_assessment"])
    data = body["data"]
    assert (data["case_number"], data["period_start"], data["period_end"]) == (
        "A-533-840",
        "2022-02-01",
        "2023-01-31",
    )
    # Figures worked by hand (Apex 1.23% on $100,000 against a 2.49% deposit; interest at the
    # corporate overpayment rates from 2022-06-15 to the deemed liquidation on 2025-03-09).
    [apex] = [e for e in data["entries"] if e["entry_number"] == "AB1-0000001-2"]
    assert (apex["assessed_duty"], apex["difference"], apex["interest"]) == ("1230.00", "-1260.00", "-229.78")
    assert data["totals"]["net"] == "-1143.46" and data["entry_count"] == 2
    assert data["rules"] and data["windows"]
    assert "recipient" not in data  # the transport stays out, as for every type


def test_slack_and_teams_list_each_entry_of_an_entry_assessment(payload: dict[str, Any]) -> None:
    subject = render_message("entry_assessment", payload).subject
    card = card_for(payload, title=subject)
    facts = dict(card.facts)
    assert (
        facts["Case"] == "A-533-840" and facts["Net"] == "$1,143.46 refund with interest (through 2025-03-09)"
    )
    [apex] = [line for line in card.lines if line.startswith("AB1-0000001-2")]
    assert "difference -$1,260.00" in apex and "interest -$229.78" in apex
    slack = json.dumps(slack_message(card))
    teams = json.dumps(teams_message(card))
    for text in (slack, teams):
        assert "AB1-0000001-2" in text and "AB1-0000002-0" in text
