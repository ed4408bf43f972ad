"""Filings matched to catalog cases by product and country: names normalised, no false positives."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from watchers.pi_filing import parse_filing_subject
from worker.catalog.seed import load_seed_catalog
from worker.ingest.filing_cases import candidate_cases, country_code, product_match, resolve_countries
from worker.storage.db import transaction


@pytest.mark.parametrize(
    ("names", "codes", "unknown"),
    [
        (("the People's Republic of China",), ["CN"], []),
        (("the Republic of Turkiye",), ["TR"], []),
        (("Türkiye",), ["TR"], []),
        (("Turkey",), ["TR"], []),
        (("the Republic of Korea",), ["KR"], []),
        (("Korea",), ["KR"], []),
        (("Taiwan",), ["TW"], []),
        (("Viet Nam",), ["VN"], []),
        (("the Socialist Republic of Vietnam",), ["VN"], []),
        (("the Sultanate of Oman",), ["OM"], []),
        (("the Arab Republic of Egypt",), ["EG"], []),
        (("Trinidad", "Tobago"), ["TT"], []),  # 'Trinidad and Tobago' split by the heading parser
        (("France", "Japan", "Spain"), ["FR", "JP", "ES"], []),
        # North Korea is KP (pycountry), never KR
        (("the Democratic People's Republic of Korea",), ["KP"], []),
        (("Atlantis",), [], ["Atlantis"]),
    ],
)
def test_country_names_as_printed_in_headings(
    names: tuple[str, ...], codes: list[str], unknown: list[str]
) -> None:
    assert resolve_countries(names) == (codes, unknown)


@pytest.mark.parametrize(
    ("filed", "catalog", "matches"),
    [
        ("Melamine", "Melamine", True),
        ("Steel Concrete Reinforcing Bar", "Steel Concrete Reinforcing Bars", True),  # plural
        ("Cut-to-Length Carbon Steel Plate", "Certain Cut-To-Length Carbon Steel", True),  # 4 of 5 words
        ("Aluminium Wire and Cable", "Aluminum Wire and Cable", True),  # spelling variant
        ("Melamine", "Melamine Dinnerware", False),  # the catalog names more than was filed
        ("Steel Wire Garment Hangers", "Steel Wire", False),  # too few of the filed words
        ("Cut-to-Length Carbon Steel Plate", "Carbon and Alloy Steel Cut-To-Length Plate", False),  # alloy
        ("Corrosion Inhibitors", "Corrosion-Resistant Steel Products", False),
        ("Potassium Phosphate Salts", "Potassium Permanganate", False),
        ("Steel Nails", "Steel Wheels", False),
        ("Tin Mill Plated Steel", "Tin Mill Plate Steel", False),  # "plated" is not "plate"
    ],
)
def test_product_must_really_match(filed: str, catalog: str, matches: bool) -> None:
    assert (product_match(filed, catalog) is not None) is matches


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        # Hand-picked from the bundled catalog (worker/data/seed_catalog.json).
        ("Melamine from Trinidad and Tobago", ["A-274-806", "C-274-807"]),
        ("Certain Steel Nails from the Sultanate of Oman; Correction", ["A-523-808", "C-523-809"]),
        ("Steel Nails from the Republic of Korea and the Sultanate of Oman",
         ["A-523-808", "A-580-874", "C-523-809", "C-580-875"]),
        ("Melamine from India", []),  # no melamine case for India
        ("Steel Concrete Reinforcing Bar from the Republic of Turkiye",
         ["A-489-818", "A-489-829", "C-489-819", "C-489-830"]),  # A-489-807 is revoked: left out
    ],
)  # fmt: skip
def test_candidates_from_the_catalog(engine: Engine, heading: str, expected: list[str]) -> None:
    with transaction(engine) as session:
        load_seed_catalog(session)
        found, unknown = candidate_cases(session, parse_filing_subject({"toc_doc": heading}))
        assert [c.case.case_number for c in found] == expected
        assert unknown == []
        assert all(c.why for c in found)


def test_every_official_country_name_in_a_heading_is_recognised() -> None:
    """Not a list of examples: every ISO official name pycountry knows, as a heading prints it."""
    import pycountry

    for country in pycountry.countries:
        official = getattr(country, "official_name", None)
        if not official or country.alpha_2 == "KP":
            continue
        bare = official.removeprefix("the ")
        assert country_code(f"the {bare}") == country.alpha_2, official
        assert (
            resolve_countries([f"the {bare}", "the United Mexican States"])[0]
            == [country.alpha_2, "MX"][: 1 if country.alpha_2 == "MX" else 2]
        ), official
