"""Company-name normalisation and matching, on names from FR Doc 2024-02902 and A-570-194."""

from __future__ import annotations

import pytest

from worker.rules.names import AliasTable, company_key, match_company, normalize_company_name

PW_AD = [  # exporters/producers of the pressure-washers AD order, FR Doc 2024-02902
    "Jiangsu Jianghuai Engine Co., Ltd",
    "Sumec Hardware and Tools Co., Ltd",
    "Zhejiang Danau Machine Co., Ltd",
]


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("Jiangsu Jianghuai Engine Co., Ltd.", "jiangsu jianghuai engine"),
        ("Sumec Hardware & Tools Co., Ltd.", "sumec hardware and tools"),
        ("Panasonic Energy Mexico, S.A. de C.V.", "panasonic energy mexico"),
        ("Panasonic Energy Mexico SA.DE.CV.", "panasonic energy mexico"),
        ("Tesla Manufacturing Brandenburg SE", "tesla manufacturing brandenburg"),
        ("Powerful Machinery &amp; Electronics Technology Developing Co., Ltd",
         "powerful machinery and electronics technology developing"),
        ("Farasis Energy (Zhenjiang) Co., Ltd.", "farasis energy zhenjiang"),
        ("Acme GmbH & Co. KG", "acme"), ("Fabbrica S.p.A.", "fabbrica"),
        ("Example Widgets LLC", "example widgets"), ("Example Limited", "example"),
        ("Canadian Solar Energy Holding Company Limited", "canadian solar energy holding"),
    ],
)  # fmt: skip
def test_normalize_company_name(raw: str, normal: str) -> None:
    assert normalize_company_name(raw) == normal


def test_word_order_is_ignored_in_the_key() -> None:
    assert company_key("Engine Jianghuai Jiangsu Co Ltd") == company_key(PW_AD[0])


@pytest.mark.parametrize(
    ("name", "candidate", "status"),
    [
        pytest.param("JIANGSU JIANGHUAI ENGINE CO LTD", PW_AD[0], "exact", id="case-and-forms"),
        pytest.param("Sumec Hardware & Tools Company Limited", PW_AD[1], "exact", id="and-amp"),
        pytest.param("Zhejiang Danau Machinery", PW_AD[2], "fuzzy", id="fuzzy"),
        pytest.param("Sumec Hardware Tools Trading", PW_AD[1], "possible", id="possible"),
        pytest.param("Jiangsu Jianghuai Motor Co", None, None, id="no-match"),
    ],
)
def test_match_company(name: str, candidate: str | None, status: str | None) -> None:
    found = match_company(name, PW_AD, threshold=90)
    if candidate is None:
        assert found is None
        return
    assert found is not None
    assert (found.candidate, found.status) == (candidate, status)
    assert found.is_hit is (status != "possible")
    assert 75 <= found.score <= 100


def test_alias_table_an_importer_extends() -> None:
    aliases = AliasTable({"JJE Power": "Jiangsu Jianghuai Engine Co., Ltd"})
    aliases.add("Danau", "Zhejiang Danau Machine Co., Ltd")
    assert len(aliases) == 2
    found = match_company("JJE Power Co.", PW_AD, aliases=aliases, threshold=90)
    assert found is not None and (found.candidate, found.status, found.score) == (PW_AD[0], "alias", 100)
    plain = match_company("danau", PW_AD, aliases={"Danau": PW_AD[2]}, threshold=90)
    assert plain is not None and plain.status == "alias"
