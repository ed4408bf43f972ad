"""Revocations in the catalog (issue 17): only a notice that revokes, only the cases read from it.

Runs on SQLite and PostgreSQL (the `engine` fixture). Titles are real (tests/fixtures/titles); the
classifications given with them are what a classifier reading the revocation words alone returned
for them (main before issue 17), so the catalog's own guard is what is tested.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.engine import Engine

from watchers.classify import classify_notice
from watchers.records import Agency, CaseType, Classification, NoticeFacts, NoticeKind, Revokes
from worker.catalog.apply import apply_notice
from worker.catalog.events import EventKind
from worker.storage import case_rows
from worker.storage.db import transaction

K = NoticeKind
# Hot-rolled lead and bismuth carbon steel products from Brazil, as the 1999 sunset notice lists them.
CASES = ("A-351-811", "C-351-812")
ORDER = Classification(K.ORDER, Agency.ITA, (CaseType.AD, CaseType.CVD), False, Revokes.NONE)
REVOKED_IN_SUNSET = "October 1999 Sunset Reviews; Final Results of Reviews and Revocation"


def _with_orders(engine: Engine) -> None:
    with transaction(engine) as session:
        apply_notice(
            session,
            document_number="order",
            title="Antidumping and Countervailing Duty Orders: Hot-Rolled Lead and Bismuth Steel",
            published=date(1993, 3, 22),
            classification=ORDER,
            facts=NoticeFacts(case_numbers=CASES),
        )


def _apply(
    engine: Engine, title: str, classification: Classification, cases_read: tuple[str, ...] | None = None
) -> tuple[dict[str, str], list[EventKind]]:
    with transaction(engine) as session:
        change = apply_notice(
            session,
            document_number="later",
            title=title,
            published=date(1999, 11, 15),
            classification=classification,
            facts=NoticeFacts(case_numbers=CASES),
            cases_read=cases_read,
        )
        statuses = {}
        for number in CASES:
            case = case_rows.load_case(session, number)
            assert case is not None
            statuses[number] = case.status
        return statuses, [e.kind for e in change.events]


def test_a_notice_that_revokes_revokes_the_cases_read_from_it(engine: Engine) -> None:
    _with_orders(engine)
    classification = classify_notice(title=REVOKED_IN_SUNSET)
    assert (classification.kind, classification.revokes) == (K.SUNSET_RESULTS, Revokes.FULL)
    statuses, events = _apply(engine, REVOKED_IN_SUNSET, classification)
    assert statuses == {"A-351-811": "revoked", "C-351-812": "revoked"}
    assert events.count(EventKind.REVOCATION) == 2


def test_cases_the_notice_was_only_matched_to_keep_their_status(engine: Engine) -> None:
    _with_orders(engine)
    classification = classify_notice(title=REVOKED_IN_SUNSET)
    statuses, _ = _apply(engine, REVOKED_IN_SUNSET, classification, cases_read=("C-351-812",))
    assert statuses == {"A-351-811": "order", "C-351-812": "revoked"}
    statuses, _ = _apply(engine, REVOKED_IN_SUNSET, classification, cases_read=())
    assert statuses["A-351-811"] == "order"


NOT_REVOCATIONS = [
    (
        "rule",
        "Modification to Regulation Concerning the Revocation of Antidumping and Countervailing Duty Orders",
        K.REVOCATION,
    ),
    (
        "intent",
        "Polyethylene Terephthalate Sheet From the Sultanate of Oman: Preliminary Results of Changed "
        "Circumstances Review and Intent To Revoke the Antidumping Duty Order",
        K.CHANGED_CIRCUMSTANCES_REVIEW,
    ),
    (
        "request",
        "Initiation of Antidumping and Countervailing Duty Administrative Reviews and Requests for "
        "Revocation in Part",
        K.REVOCATION,
    ),
    (
        "refusal",
        "Pure Magnesium From Canada; Final Results of Antidumping Duty Administrative Review and "
        "Determination Not to Revoke Order in Part",
        K.REVIEW_FINAL_RESULTS,
    ),
    ("other", REVOKED_IN_SUNSET, K.OTHER),  # a notice of no kind (a rule by its document type)
]


@pytest.mark.parametrize(
    ("title", "kind"), [t[1:] for t in NOT_REVOCATIONS], ids=[t[0] for t in NOT_REVOCATIONS]
)
def test_rules_intents_requests_and_refusals_never_revoke(
    engine: Engine, title: str, kind: NoticeKind
) -> None:
    _with_orders(engine)
    said_full = Classification(kind, Agency.ITA, (), False, Revokes.FULL)
    statuses, events = _apply(engine, title, said_full)
    assert statuses == {"A-351-811": "order", "C-351-812": "order"}
    assert EventKind.REVOCATION not in events


def test_a_rule_classified_with_its_document_type_revokes_nothing(engine: Engine) -> None:
    _with_orders(engine)
    title = "Amended Regulation Concerning the Revocation of Antidumping and Countervailing Duty Orders"
    statuses, events = _apply(engine, title, classify_notice(title=title, document_type="Rule"))
    assert statuses == {"A-351-811": "order", "C-351-812": "order"}
    assert EventKind.REVOCATION not in events
