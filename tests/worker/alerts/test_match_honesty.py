"""A realistic portfolio against the 2020 seed catalog: what is likely, what is only possible."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine

from notifier.render import render_message
from tests.support.realistic import add_subscriber, seeded_realistic_portfolio
from worker.alerts import baseline
from worker.alerts.baseline import build_baseline_payload
from worker.alerts.importer_deadlines import collect_deadlines
from worker.alerts.match_level import LIKELY, POSSIBLE, grade_match
from worker.alerts.matching import check_shipment, load_catalog_index
from worker.alerts.reach import load_reach
from worker.alerts.routing import route_notice_events
from worker.catalog.events import Event, EventKind, Severity
from worker.catalog.seed import load_seed_catalog
from worker.storage import people
from worker.storage.db import transaction
from worker.storage.models import Notice

IMPORTER = "Harbor Home Goods LLC"
NOW = datetime(2024, 3, 4, 15, 0, tzinfo=UTC)

# Written by hand from the case names and HTS lists of worker/data/seed_catalog.json.
LIKELY_BY_SKU = {
    "SHELF-5T": {"A-570-018", "C-570-019"},  # Boltless Steel Shelving Units (9403.20 + 'shelving')
    "NAIL-CW": {"A-570-909"},  # Steel Nails (7317.00 + 'nail')
    "HANGER-16": {"A-570-918"},  # Steel Wire Garment Hangers (7326.20 + 'garment', 'hanger')
    "SINK-UM": {"A-570-983"},  # Drawn Stainless Steel Sinks (7324.10 + 'sink')
    "PIPE-A795": {"A-570-911"},  # Circular welded carbon quality steel pipe (7306.30 + 'pipe')
    "ROD-TW": {"A-583-865"},  # Carbon and Alloy Steel Threaded Rod, Taiwan (7318.15 + 'threaded', 'rod')
    "EXTR-6063": {"A-570-967", "C-570-968"},  # Aluminum Extrusions (7604.21 + 'extrusion')
    "PLY-BIRCH": set(),  # HS 2022 code 4412.33 is not in the 2020 lists: 4-digit sibling only
    "DRESSER-VN": set(),  # no Vietnamese bedroom furniture case; Tool Chests VN is a 4-digit sibling
    "PW-3100": set(),  # the pressure washer orders (2024) are not in the 2020 catalog
    "TOWEL-IN": set(),
    "MATT-Q": set(),  # Mattresses lists 9401 (sic) in the 2020 data: its name is the only link
}
# Cases a real importer was told reach the product, that must only be possible.
POSSIBLE_ONLY = {
    "SHELF-5T": {"A-570-890", "A-570-967", "C-570-968", "A-570-056", "A-570-106"},
    "NAIL-CW": {"A-570-055"},  # Carton-Closing Staples shares 7317.00 but no word
    "HANGER-16": {"A-570-928", "A-570-949"},  # Innerspring Units, Wire Decking share 7326.20
    "PIPE-A795": {"A-570-058", "A-570-930"},  # Mechanical Tubing (7306.30), Stainless Pipe (7306 only)
    "PLY-BIRCH": {"A-570-051", "C-570-052"},  # Hardwood Plywood: 4412 only
    "ROD-TW": {"A-583-845", "A-583-820"},  # Standard Steel Fasteners ('steel' only), Lock Washers (7318)
    "DRESSER-VN": {"A-552-821"},
    "MATT-Q": {"A-570-092"},  # description words only
}


def _setup(engine: Engine, *, role: str = "counsel") -> None:
    seeded_realistic_portfolio(engine)
    add_subscriber(engine, "counsel@law.example", role=role, created_at=NOW - timedelta(days=30))


def _reach_by_sku(engine: Engine) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    likely: dict[str, set[str]] = defaultdict(set)
    possible: dict[str, set[str]] = defaultdict(set)
    with transaction(engine) as session:
        importer = people.load_importer(session, IMPORTER)
        assert importer is not None and importer.id is not None
        for reach in load_reach(session, importer_ids=[importer.id], possible=True):
            assert reach.case.country == reach.product.country
            (likely if reach.likely else possible)[reach.product.sku].add(reach.case.case_number)
    return likely, possible


def test_grades_by_level_relation_and_product_words() -> None:
    assert grade_match(10, "prefix", ()).standing == LIKELY
    assert grade_match(8, "prefix", ()) == (LIKELY, "high", ())
    assert grade_match(6, "prefix", ()) == (POSSIBLE, "medium", ())
    assert grade_match(6, "prefix", ("nail",)) == (LIKELY, "high", ("nail",))
    assert grade_match(8, "sibling", ()).standing == POSSIBLE
    assert grade_match(8, "sibling", ("shelving",)).standing == LIKELY
    assert grade_match(4, "prefix", ("plywood",)).standing == POSSIBLE
    assert grade_match(4, "sibling", ("plywood",)).standing == POSSIBLE
    assert grade_match(None, "description", ("mattress",)) == (POSSIBLE, "low", ("mattress",))


def test_a_realistic_portfolio_is_reached_only_where_a_user_expects(engine: Engine) -> None:
    _setup(engine)
    likely, possible = _reach_by_sku(engine)
    for sku, expected in LIKELY_BY_SKU.items():
        assert likely.get(sku, set()) == expected, sku
    # Light truck tires: Passenger Vehicle and Light Truck Tires at least (Truck and Bus may be too).
    assert {"A-570-016", "C-570-017"} <= likely["TIRE-LT"]
    assert "A-570-082" not in likely["TIRE-LT"]  # Steel Wheels lists 4011.20, shares no product word
    for sku, cases in POSSIBLE_ONLY.items():
        assert cases <= possible[sku], sku
        assert not cases & likely.get(sku, set()), sku
    assert "TOWEL-IN" not in possible and "TOWEL-IN" not in likely


def test_baseline_counts_likely_matches_and_lists_possible_ones_apart(engine: Engine) -> None:
    _setup(engine)
    with transaction(engine) as session:
        subscriber = people.list_subscribers(session)[0]
        payload = build_baseline_payload(session, subscriber, now=NOW, threshold=90)
    reached = {p["sku"] for p in payload["products"]}
    assert reached == {sku for sku, cases in LIKELY_BY_SKU.items() if cases} | {"TIRE-LT"}
    shown = {c["case_number"] for c in payload["cases"]}
    assert not shown & {"A-570-890", "A-570-056", "A-570-051"}
    shelf = [m for p in payload["products"] if p["sku"] == "SHELF-5T" for m in p["matches"]]
    assert {m["case_number"] for m in shelf} == {"A-570-018", "C-570-019"}
    assert all(m["standing"] == "likely" and m["confidence"] == "high" for m in shelf)
    assert "'shelving'" in shelf[0]["match_basis"] and "9403.20" in shelf[0]["match_basis"]
    apart = {(x["sku"], x["case_number"]) for x in payload["possible"]}
    assert {("SHELF-5T", "A-570-890"), ("SHELF-5T", "A-570-967"), ("MATT-Q", "A-570-092")} <= apart
    assert not apart & {(sku, case) for sku, cases in LIKELY_BY_SKU.items() for case in cases}


def test_a_long_list_of_possible_matches_is_cut_and_counted(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    _setup(engine)
    monkeypatch.setattr(baseline, "POSSIBLE_SHOWN", 3)
    with transaction(engine) as session:
        subscriber = people.list_subscribers(session)[0]
        payload = build_baseline_payload(session, subscriber, now=NOW, threshold=90)
    assert len(payload["possible"]) == 3 and payload["possible_count"] > 3
    message = render_message("baseline", payload)
    more = f"... and {payload['possible_count'] - 3} more possible matches, not listed."
    assert more in message.text and more in message.html
    assert "8 of your 13 products" in message.subject


def test_reminders_come_only_for_likely_matches(engine: Engine) -> None:
    _setup(engine)
    with transaction(engine) as session:
        importer = people.load_importer(session, IMPORTER)
        assert importer is not None and importer.id is not None
        items = collect_deadlines(session, importer_id=importer.id, today=NOW.date(), until=date(2025, 3, 4))
    windows = {case: item.skus for item in items for case in item.cases if item.kind == "review_request"}
    assert windows["A-570-909"] == ("NAIL-CW",)  # Steel Nails order, July anniversary month
    assert windows["A-570-967"] == ("EXTR-6063",)  # Aluminum Extrusions: the extrusion, not the shelving
    assert not set(windows) & {"A-570-890", "A-570-056", "A-570-051", "A-570-106"}
    for case, skus in windows.items():
        assert all(case in LIKELY_BY_SKU.get(sku, {case}) for sku in skus), (case, skus)
    assert {case for case, skus in windows.items() if "SHELF-5T" in skus} == {"A-570-018", "C-570-019"}


def _notice(number: str, case: str) -> tuple[Notice, list[Event]]:
    notice = Notice(document_number=number, title=f"Review results {case}", kind="review_results")
    event = Event(EventKind.REVIEW_RESULTS, Severity.HIGH, case, number, f"Final results for {case}")
    return notice, [event]


def test_a_notice_on_a_possible_match_alerts_no_one(engine: Engine) -> None:
    _setup(engine, role="importer")
    with transaction(engine) as session:
        for number, case in (("2024-90001", "A-570-890"), ("2024-90002", "A-570-056")):
            notice, events = _notice(number, case)
            session.add(notice)
            session.flush()
            assert route_notice_events(session, notice=notice, events=events, now=NOW, threshold=90) == []
        notice, events = _notice("2024-90003", "A-570-909")
        session.add(notice)
        session.flush()
        alerts = route_notice_events(session, notice=notice, events=events, now=NOW, threshold=90)
    assert [a.payload["skus"] for a in alerts] == [["NAIL-CW"]]
    match = alerts[0].payload["products"][0]["matches"][0]
    assert (match["standing"], match["confidence"], match["level"]) == ("likely", "high", 6)


def test_check_puts_likely_cases_first_and_says_which_are_possible(engine: Engine) -> None:
    with transaction(engine) as session:
        load_seed_catalog(session)
        catalog = load_catalog_index(session)
    result = check_shipment(
        catalog,
        hts="9403.20.0090",
        country="CN",
        entry_date=NOW.date(),
        description="Steel shelving unit, 5-tier",
        threshold=90,
    )
    standing = {c.match.case.case_number: c.match.standing for c in result.candidates}
    assert standing["A-570-018"] == standing["C-570-019"] == LIKELY
    assert standing["A-570-890"] == standing["A-570-967"] == standing["A-570-056"] == POSSIBLE
    assert {c.match.case.case_number for c in result.candidates[:2]} == {"A-570-018", "C-570-019"}
