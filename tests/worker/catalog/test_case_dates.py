"""The catalog keeps an order's dates as its notices state them (SQLite and PostgreSQL, `engine`)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.engine import Engine

from tests.support.fixtures import fixture_bytes
from watchers.notice_xml import classify_notice_xml, extract_notice_facts
from watchers.records import Agency, CaseType, Classification, NoticeFacts, NoticeKind, Revokes
from worker.catalog.apply import apply_notice
from worker.catalog.case_dates import affirmative_preliminary
from worker.storage import case_rows
from worker.storage.db import transaction
from worker.storage.models import Case

ORDER_XML = "fr_xml_2024-02902_pressure_washers_prc_ad_cvd_orders.xml"
# Real titles (tests/fixtures/titles): 2023-11875 (June 5, 2023), 2022-16722 (August 4, 2022) and
# 2020-02962 (February 14, 2020).
AD_PRELIMINARY = (
    "Utility Scale Wind Towers From Canada: Preliminary Affirmative Determination of Sales at "
    "Less-Than-Fair-Value, Preliminary Negative Determination of Critical Circumstances, and Postponement "
    "of Final Determination and Extension of Provisional Measures"
)
CVD_PRELIMINARY = (
    "Gas Powered Pressure Washers From the People's Republic of China: Preliminary Affirmative "
    "Countervailing Duty Determination, Preliminary Affirmative Critical Circumstances Determination, in "
    "Part, and Alignment of Final Determination with Final Antidumping Duty Determination"
)
NEGATIVE_PRELIMINARY = (
    "Certain Steel Nails From Sri Lanka: Preliminary Negative Determination of Sales at Less Than Fair Value "
    "and Postponement of Final Determination"
)
DATE_COLUMNS = ("preliminary_published", "provisional_end", "itc_final_notified", "itc_final_published")


def _apply_order(engine: Engine) -> None:
    xml = fixture_bytes("fr_xml", ORDER_XML)
    classification = classify_notice_xml(xml)
    assert classification is not None and classification.kind is NoticeKind.ORDER
    published = date(2024, 2, 12)
    with transaction(engine) as session:
        apply_notice(
            session,
            document_number="2024-02902",
            title="Gas Powered Pressure Washers From the People's Republic of China: Antidumping Duty "
            "and Countervailing Duty Orders",
            published=published,
            classification=classification,
            facts=extract_notice_facts(xml, publication_date=published),
        )


def _apply_preliminary(engine: Engine, title: str, case_number: str, published: date) -> None:
    kind = Classification(
        NoticeKind.PRELIMINARY_DETERMINATION, Agency.ITA, (CaseType.CVD,), False, Revokes.NONE
    )
    with transaction(engine) as session:
        apply_notice(
            session,
            document_number="prelim",
            title=title,
            published=published,
            classification=kind,
            facts=NoticeFacts(case_numbers=(case_number,)),
        )


def _dates(engine: Engine, case_number: str) -> dict[str, date | None]:
    with transaction(engine) as session:
        case = case_rows.load_case(session, case_number)
        assert isinstance(case, Case)
        return {c: getattr(case, c) for c in ("order_date", *DATE_COLUMNS)} | {"source": case.dates_source}


def test_the_order_notice_dates_are_stored_on_each_case(engine: Engine) -> None:
    # By hand from 2024-02902 (see tests/watchers/test_order_dates.py): the ITC's publication is not stated.
    _apply_order(engine)
    assert _dates(engine, "A-570-148") == {
        "order_date": date(2024, 2, 12),
        "preliminary_published": date(2023, 8, 3),
        "provisional_end": date(2024, 1, 29),
        "itc_final_notified": date(2024, 2, 5),
        "itc_final_published": None,
        "source": "2024-02902",
    }
    assert _dates(engine, "C-570-149") == {
        "order_date": date(2024, 2, 12),
        "preliminary_published": date(2023, 6, 5),
        "provisional_end": date(2023, 10, 1),
        "itc_final_notified": date(2024, 2, 5),
        "itc_final_published": None,
        "source": "2024-02902",
    }


def test_an_affirmative_preliminary_determination_starts_the_suspension(engine: Engine) -> None:
    _apply_preliminary(engine, AD_PRELIMINARY, "A-122-868", date(2020, 2, 14))
    assert _dates(engine, "A-122-868")["preliminary_published"] == date(2020, 2, 14)
    assert _dates(engine, "A-122-868")["source"] == "prelim"


def test_with_critical_circumstances_the_order_says_when_suspension_began(engine: Engine) -> None:
    # Affirmative critical circumstances 'in part': some entries were suspended 90 days earlier.
    _apply_preliminary(engine, CVD_PRELIMINARY, "C-570-149", date(2023, 6, 5))
    assert _dates(engine, "C-570-149")["preliminary_published"] is None
    _apply_order(engine)  # the ITC found no critical circumstances: the order states June 5, 2023
    stored = _dates(engine, "C-570-149")
    assert stored["preliminary_published"] == date(2023, 6, 5)
    assert stored["provisional_end"] == date(2023, 10, 1)
    assert stored["source"] == "2024-02902"


def test_a_negative_preliminary_suspends_nothing(engine: Engine) -> None:
    _apply_preliminary(engine, NEGATIVE_PRELIMINARY, "A-542-001", date(2022, 8, 4))
    assert _dates(engine, "A-542-001") == dict.fromkeys(("order_date", *DATE_COLUMNS, "source"))


@pytest.mark.parametrize(
    ("title", "affirmative"),
    [
        (CVD_PRELIMINARY, True),
        (NEGATIVE_PRELIMINARY, False),
        ("Certain Collated Steel Staples From the People's Republic of China: Preliminary Affirmative "
         "Determination of Sales at Less Than Fair Value, Preliminary Affirmative Determination of Critical "
         "Circumstances, Postponement of Final Determination and Extension of Provisional Measures", True),
        ("Overhead Door Counterbalance Torsion Springs From India: Preliminary Affirmative Determination of "
         "Critical Circumstances in the Countervailing Duty Investigation", False),
        ("Active Anode Material From the People's Republic of China: Amended Preliminary Determination of "
         "Countervailing Duty Investigation", False),
        ("Certain Corrosion-Resistant Steel Products From the People's Republic of China: Affirmative "
         "Preliminary Determination of Circumvention Involving Malaysia", False),
    ],
)  # fmt: skip
def test_which_preliminary_titles_are_affirmative_determinations(title: str, affirmative: bool) -> None:
    assert affirmative_preliminary(title) is affirmative
