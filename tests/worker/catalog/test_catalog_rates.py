"""Rates in the catalog: a correction or court decision that changes a rate is a rate change."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from sqlalchemy.engine import Engine

from tests.support.fixtures import fixture_bytes
from watchers.notice_xml import extract_notice_facts
from watchers.records import Agency, CaseType, Classification, NoticeFacts, NoticeKind, Revokes
from worker.catalog.apply import apply_notice
from worker.catalog.events import EventKind
from worker.storage.db import transaction

ORDER = Classification(NoticeKind.ORDER, Agency.ITA, (CaseType.AD, CaseType.CVD), False, Revokes.NONE)


def order_facts() -> NoticeFacts:
    return extract_notice_facts(fixture_bytes("fr_api", "2024-02902.xml"))


def with_sumec_rate(facts: NoticeFacts, cash_deposit: str) -> NoticeFacts:
    rates = [
        dataclasses.replace(r, cash_deposit=Decimal(cash_deposit))
        if r.exporter and "Sumec" in r.exporter
        else r
        for r in facts.rates
    ]
    return dataclasses.replace(facts, rates=rates, unread=[])


@pytest.mark.parametrize(
    "classification",
    [
        dataclasses.replace(ORDER, is_correction=True),
        Classification(NoticeKind.COURT_DECISION, Agency.ITA, (CaseType.AD,), False, Revokes.NONE),
    ],
    ids=["correction-of-order", "court-decision"],
)
def test_changed_rate_in_later_notice_is_a_rate_change(
    engine: Engine, classification: Classification
) -> None:
    facts = order_facts()
    with transaction(engine) as session:
        first = apply_notice(
            session,
            document_number="2024-02902",
            title="order",
            published=facts.effective_date,
            classification=ORDER,
            facts=facts,
        )
        assert not [e for e in first.events if e.kind is EventKind.RATE_CHANGE]
        later = apply_notice(
            session,
            document_number="2024-09999",
            title="later",
            published=facts.effective_date,
            classification=classification,
            facts=with_sumec_rate(facts, "139.58"),
        )
    changes = [e for e in later.events if e.kind is EventKind.RATE_CHANGE]
    assert [(e.case_number, e.details["old_rate"], e.details["new_rate"]) for e in changes] == [
        ("A-570-148", "169.34", "139.58")
    ]


def test_same_rates_republished_raise_no_rate_change(engine: Engine) -> None:
    facts = order_facts()
    with transaction(engine) as session:
        apply_notice(
            session,
            document_number="2024-02902",
            title="order",
            published=facts.effective_date,
            classification=ORDER,
            facts=facts,
        )
        again = apply_notice(
            session,
            document_number="2024-09998",
            title="correction",
            published=facts.effective_date,
            classification=dataclasses.replace(ORDER, is_correction=True),
            facts=facts,
        )
    assert not [e for e in again.events if e.kind is EventKind.RATE_CHANGE]
