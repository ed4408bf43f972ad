"""The README documents every setting, and its example portfolio imports as it says."""

from __future__ import annotations

import re
from pathlib import Path

from worker.app.settings import Settings
from worker.portfolios.files import parse_portfolio

ROOT = Path(__file__).resolve().parents[3]


def test_every_setting_is_documented_and_nothing_else() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `(ADCVD_[A-Z_]+)` \|", readme, flags=re.MULTILINE))
    settings = {f"ADCVD_{name.upper()}" for name in Settings.model_fields}
    assert documented == settings


def test_the_example_portfolio_is_valid() -> None:
    parsed = parse_portfolio(ROOT / "examples" / "portfolio.csv")
    assert parsed.errors == []
    assert [(r.sku, r.hts, r.country) for r in parsed.rows] == [
        ("PW-3100", "8424309000", "CN"),
        ("SH-500", "9403200050", "VN"),
        ("NL-16D", "7317005503", "KR"),
        ("AL-EXT-6063", "7604291000", "MX"),
    ]
