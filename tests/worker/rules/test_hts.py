"""HTS normalising, formatting and match levels (both directions, rounded down to 10/8/6/4)."""

from __future__ import annotations

import pytest

from worker.rules.hts import format_hts, hts_match_level, hts_prefixes, normalize_hts


@pytest.mark.parametrize(
    ("raw", "digits"),
    [
        pytest.param("7318.15.50.90", "7318155090", id="dotted-10"),
        pytest.param("7318155090", "7318155090", id="plain-10"),
        pytest.param(" 8424.30.9000 ", "8424309000", id="fr-style-8424.30.9000"),
        pytest.param("7318.15", "731815", id="subheading-6"),
        pytest.param("7318", "7318", id="heading-4"),
        pytest.param("7318-15-50", "73181550", id="dashes-8"),
    ],
)
def test_normalize_hts(raw: str, digits: str) -> None:
    assert normalize_hts(raw) == digits


@pytest.mark.parametrize("raw", ["731", "73181550901", "73x8", "", "7318.15.50.90.11"])
def test_normalize_hts_rejects(raw: str) -> None:
    with pytest.raises(ValueError, match="not an HTS code"):
        normalize_hts(raw)


@pytest.mark.parametrize(
    ("product", "listed", "level"),
    [
        pytest.param("7318.15.50.90", "7318.15.50.90", 10, id="same-10"),
        pytest.param("7318.15.50.90", "7318.15.50", 8, id="listed-8-prefix"),
        pytest.param("7318.15.50.90", "731815", 6, id="listed-6-prefix-wto-threaded-rod"),
        pytest.param("7318.15.50.90", "7318", 4, id="listed-heading"),
        pytest.param("731815", "7318.15.50.90", 6, id="product-6-prefix-of-listed"),
        pytest.param("7318", "7318.15.50.90", 4, id="product-heading"),
        pytest.param("7318155", "7318155090", 6, id="odd-7-rounds-down-to-6"),
        pytest.param("7318.15.50.90", "7317.00", None, id="nails-heading-7317-no-match"),
        pytest.param("7318.15.50.90", "7318.15.60.00", None, id="siblings-not-prefix"),
        pytest.param("8424.30.9000", "8424.90.9040", None, id="pressure-washer-parts"),
    ],
)
def test_hts_match_level(product: str, listed: str, level: int | None) -> None:
    assert hts_match_level(product, listed) == level


def test_format_and_prefixes() -> None:
    assert format_hts("7318155090") == "7318.15.50.90"
    assert format_hts("731815") == "7318.15"
    assert format_hts("7318") == "7318"
    assert hts_prefixes("7318155090") == ["7318155090", "73181550", "731815", "7318"]
