"""README "Adding a source" stays true: its line counts and its adapter entry are the code's."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def section() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return readme.split("### Adding a source", 1)[1].split("\n## ", 1)[0]


def test_the_line_counts_are_the_modules() -> None:
    # "`watchers/trade_gov.py` (431 lines; its text readers in `trade_gov_parse.py`, 227)"
    quoted = re.findall(r"`(?:watchers/)?(\w+\.py)`(?: \(|, )(\d+)", section())
    assert len(quoted) >= 3, quoted
    actual = {
        name: len((ROOT / "watchers" / name).read_text(encoding="utf-8").splitlines()) for name, _ in quoted
    }
    assert {name: int(count) for name, count in quoted} == actual


def test_the_adapter_entry_is_the_one_in_sources() -> None:
    shown = re.search(r"```python\n(.*?)```", section(), re.DOTALL)
    assert shown is not None
    entry = " ".join(shown.group(1).split()).rstrip(",")
    sources = " ".join((ROOT / "worker" / "app" / "sources.py").read_text(encoding="utf-8").split())
    assert entry in sources
