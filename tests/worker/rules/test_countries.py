"""Country names and codes, case-number country codes, and Commerce's NME list."""

from __future__ import annotations

import pytest

from watchers.case_numbers import case_type_of
from worker.rules.countries import (
    country_name,
    country_of_case,
    is_non_market_economy,
    normalize_case_number,
    normalize_country,
)


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("People's Republic of China", "CN"), ("People Republic of China", "CN"),
        ("China", "CN"), ("PRC", "CN"), ("cn", "CN"),
        ("Korea, Republic of", "KR"), ("South Korea", "KR"), ("Korea", "KR"),
        ("Chinese Taipei", "TW"), ("Taiwan", "TW"),
        ("Türkiye", "TR"), ("Turkiye", "TR"), ("Turkey", "TR"),
        ("Viet Nam", "VN"), ("Vietnam", "VN"), ("Socialist Republic of Vietnam", "VN"),
        ("Russian Federation", "RU"), ("Moldova, Republic of", "MD"),
        ("Venezuela, Bolivarian Republic of", "VE"), ("Saudi Arabia, Kingdom of", "SA"),
        ("U.K.", "GB"), ("United Arab Emirates", "AE"), ("Hong Kong, China", "HK"),
        ("Trinidad & Tobago", "TT"), ("Belguim", "BE"), ("Mexico ", "MX"),
    ],
)  # fmt: skip
def test_normalize_country(text: str, iso: str) -> None:
    assert normalize_country(text) == iso


@pytest.mark.parametrize("text", ["Narnia", "", "XX", "Chin"])
def test_normalize_country_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="unknown country"):
        normalize_country(text)


@pytest.mark.parametrize(
    ("case_number", "iso"),
    [
        ("A-570-148", "CN"), ("C-570-149", "CN"), ("A-552-818", "VN"), ("A-580-874", "KR"),
        ("A-583-854", "TW"), ("A-533-843", "IN"), ("A-489-820", "TR"), ("A-201-822", "MX"),
        ("C-122-854", "CA"), ("A-351-842", "BR"), ("A–570–148", "CN"), ("A-999-001", None),
        ("not a case", None),
    ],
)  # fmt: skip
def test_country_of_case(case_number: str, iso: str | None) -> None:
    assert country_of_case(case_number) == iso


def test_case_number_helpers() -> None:
    assert normalize_case_number("A–570–148") == "A-570-148"
    assert case_type_of("C-570-149") == "CVD"
    assert case_type_of("A-570-194") == "AD"
    assert case_type_of(" a–570–148") == "AD"  # however the notice wrote it
    assert country_name("TR") == "Türkiye"
    with pytest.raises(ValueError):
        country_name("XX")


@pytest.mark.parametrize(
    ("iso", "nme"),
    [("CN", True), ("VN", True), ("RU", True), ("BY", True), ("KR", False), ("TW", False),
     ("IN", False), ("MX", False), ("KZ", False)],
)  # fmt: skip
def test_is_non_market_economy(iso: str, nme: bool) -> None:
    assert is_non_market_economy(iso) is nme
