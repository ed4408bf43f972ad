"""The 500 newest documents of a real FR API answer (2026-10-03), never used to write the rules.

The kinds below were written by hand from each ITA and ITC title before the classifier ran on the
file. The answer carries no abstract or action (the fields asked for), so the title, type and
agencies decide. Two ITC "…; Determinations" titles name no review and no summary says one: they
are `itc_investigation`, as docs/notice_kinds.md rule 8 says.
"""

from __future__ import annotations

import json
from collections import Counter

from tests.support.fixtures import fixture_bytes
from watchers.federal_register import parse_document
from watchers.full_text import classify_read
from watchers.records import NoticeKind, Revokes

BY_HAND = {
    "2026-20273": "review_preliminary_results",
    "2026-20272": "review_final_results",
    "2026-20269": "review_opportunity",
    "2026-20261": "other",
    "2026-20260": "other",
    "2026-20259": "sunset_results",
    "2026-20258": "court_decision",
    "2026-20257": "postponement",
    "2026-20256": "circumvention",
    "2026-20255": "other",
    "2026-20254": "other",
    "2026-20253": "other",
    "2026-20208": "other",
    "2026-20201": "other",
    "2026-20188": "other",
    "2026-20166": "preliminary_determination",
    "2026-20165": "preliminary_determination",
    "2026-20164": "preliminary_determination",
    "2026-20163": "preliminary_determination",
    "2026-20162": "preliminary_determination",
    "2026-20161": "sunset_initiation",
    "2026-20160": "review_initiation",
    "2026-20159": "sunset_advance_notice",
    "2026-20143": "other",
    "2026-20139": "sunset_initiation",
    "2026-20138": "sunset_initiation",
    "2026-20137": "sunset_initiation",
    "2026-20136": "sunset_initiation",
    "2026-20081": "other",
    "2026-20078": "other",
    "2026-20041": "sunset_results",
    "2026-20031": "preliminary_determination",
    "2026-20030": "preliminary_determination",
    "2026-20024": "review_preliminary_results",
    "2026-19932": "court_decision",
    "2026-19931": "sunset_results",
    "2026-19930": "court_decision",
    "2026-19914": "other",
    "2026-19879": "itc_investigation",
    "2026-19852": "itc_investigation",
    "2026-19847": "other",
    "2026-19875": "itc_investigation",
    "2026-19811": "itc_investigation",
    "2026-19779": "review_rescission",
    "2026-19777": "other",
}


def test_every_ita_and_itc_document_gets_the_kind_read_by_hand_and_nothing_else_is_adcvd() -> None:
    answer = json.loads(fixture_bytes("fr_api", "fr_api_recorded_2026-10-03_documents_newest.json"))
    documents = [parse_document(item) for item in answer["results"]]
    assert len(documents) == 500
    kinds = {d.document_number: classify_read(d, None) for d in documents}
    assert {n: kinds[n].kind.value for n in BY_HAND} == BY_HAND
    others = Counter(c.kind for n, c in kinds.items() if n not in BY_HAND)
    assert others == Counter({NoticeKind.OTHER: 500 - len(BY_HAND)})  # FTC, FTZ board, EPA …: none is AD/CVD
    assert all(c.revokes is Revokes.NONE for c in kinds.values())  # not one of these revokes an order
