"""One dash set: every dash a notice prints reads as a hyphen, wherever a case number is parsed."""

from __future__ import annotations

import re

import pytest

from watchers.case_numbers import extract_case_numbers
from watchers.dashes import DASH, DASHES, normalize_dashes
from worker.rules.countries import normalize_case_number

# Written out by code point, not copied from DASHES: hyphen, non-breaking hyphen, figure dash,
# en dash, em dash, horizontal bar, minus sign.
EVERY_DASH = ["\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015", "\u2212"]


def test_the_set_is_every_dash() -> None:
    assert sorted(DASHES) == sorted(EVERY_DASH)


@pytest.mark.parametrize("dash", EVERY_DASH)
def test_each_dash_reads_as_a_hyphen(dash: str) -> None:
    assert normalize_dashes(f"A{dash}570{dash}067") == "A-570-067"
    assert re.fullmatch(DASH, dash)
    assert normalize_case_number(f"A{dash}570{dash}067") == "A-570-067"
    assert extract_case_numbers(f"Case No. A{dash}570{dash}067 (China)") == ("A-570-067",)
