"""Precision and recall per fact on real notice excerpts kept outside the repository (dev, heldout)."""

from __future__ import annotations

import html
import json
import os
import re
import sys
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from watchers.notice_html import extract_notice_facts_from_html
from watchers.records import NoticeFacts

DEFAULT_DIR = "/work/heldout"
FACTS = ("cases", "hts", "rates", "deadlines")
SETS = ("dev", "heldout")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Excerpt:
    """One labelled excerpt: its text (header line dropped) and the facts written by hand."""

    ident: str
    split: str
    published: date
    title: str
    text: str
    expected: dict[str, set[str]]


def excerpt_html(text: str, *, meta_charset: bool = True) -> bytes:
    """The HTML body FR serves when no XML exists: one <p> per paragraph (blank-line separated).

    With meta_charset=False it is a bare fragment (as body_html_url serves) with no charset anywhere
    in it: the reader must decode it with the response charset, UTF-8 by default.
    """
    blocks = [_SPACES.sub(" ", block).strip() for block in re.split(r"\n\s*\n", text)]
    paragraphs = "".join(f"<p>{html.escape(block)}</p>\n" for block in blocks if block)
    if not meta_charset:
        return f'<div id="fulltext_content_area">\n{paragraphs}</div>'.encode()
    head = '<!DOCTYPE html>\n<html><head><meta charset="utf-8"></head>'
    return f'{head}<body><div id="fulltext_content_area">\n{paragraphs}</div></body></html>'.encode()


def _name(who: str) -> str:
    return _SPACES.sub(" ", who).strip().rstrip(".,;").casefold()


def _rate(value: str) -> str:
    try:
        return format(Decimal(value).normalize(), "f")
    except InvalidOperation:
        return value


def rate_key(row: str) -> str:
    """'Company Co., Ltd.|1.50' and 'company co., ltd|1.5' are the same row."""
    who, _, rate = row.rpartition("|")
    return f"{_name(who)}|{_rate(rate)}"


def observed(facts: NoticeFacts) -> tuple[dict[str, set[str]], list[str]]:
    """Facts found, in label form, and the deadlines not scored: those given per regulation (no
    sentence of the excerpt states them) and those found without a date (labels hold dated ones)."""
    rates = set()
    for row in facts.rates:
        who = row.exporter if row.basis.value in ("company", "combination") else row.basis.value
        rates.add(rate_key(f"{who}|{row.rate}"))
    stated, unscored = set(), []
    for d in facts.deadlines:
        if d.citation.startswith("per regulation"):
            unscored.append(f"per regulation: {d.kind}|{d.due}")
        elif d.due is None:
            unscored.append(f"undated: {d.kind}")
        else:
            stated.add(f"{d.kind}|{d.due}")
    found = {"cases": set(facts.case_numbers), "hts": set(facts.hts_codes), "rates": rates}
    return found | {"deadlines": stated}, unscored


def load(root: Path) -> list[Excerpt]:
    """Every labelled excerpt of root/labels.json whose text root/texts/ID.txt exists."""
    labels = json.loads((root / "labels.json").read_text(encoding="utf-8"))
    excerpts = []
    for ident, entry in sorted(labels.items()):
        path = root / "texts" / f"{ident}.txt"
        if not path.exists():
            print(f"  {ident}: no text at {path}; skipped")
            continue
        _header, _, text = path.read_text(encoding="utf-8").partition("\n")
        expected = {f: set(entry.get(f, [])) for f in FACTS}
        expected["rates"] = {rate_key(r) for r in expected["rates"]}
        excerpts.append(Excerpt(ident, entry["set"], date.fromisoformat(entry["published"]),
                                entry.get("title", ""), text, expected))  # fmt: skip
    return excerpts


def report(split: str, excerpts: list[Excerpt], *, fragment: bool = False) -> None:
    """Misses and false hits with the excerpt id, then precision and recall per fact."""
    chosen = [e for e in excerpts if e.split == split]
    shape = " (bare fragments, no charset in the body; response Content-Type text/html)" if fragment else ""
    print(f"{split}: {len(chosen)} excerpts{shape}")
    tally = {f: [0, 0, 0] for f in FACTS}  # per fact: true hits, facts found, facts expected
    for excerpt in chosen:
        facts = extract_notice_facts_from_html(
            excerpt_html(excerpt.text, meta_charset=not fragment), document_number=None,
            publication_date=excerpt.published, title=excerpt.title, content_type="text/html",
        )  # fmt: skip
        found, unscored = observed(facts)
        for name in FACTS:
            want, have = excerpt.expected[name], found[name]
            counts = tally[name]
            counts[0] += len(want & have)
            counts[1] += len(have)
            counts[2] += len(want)
            for miss in sorted(want - have):
                print(f"  missed   {excerpt.ident} {name}: {miss}")
            for extra in sorted(have - want):
                print(f"  spurious {excerpt.ident} {name}: {extra}")
        for note in unscored:
            print(f"  not scored {excerpt.ident} deadlines: {note}")
    for name, (hits, found_n, want_n) in tally.items():
        precision = f"{hits / found_n:.3f}" if found_n else "  -  "
        recall = f"{hits / want_n:.3f}" if want_n else "  -  "
        print(f"  {name:10s} precision {precision}  recall {recall}  (hits {hits} / found {found_n} "
              f"/ expected {want_n})")  # fmt: skip


def main() -> int:
    root = Path(os.environ.get("ADCVD_HELDOUT_DIR", DEFAULT_DIR))
    if not (root / "labels.json").exists():
        print(f"no held-out set at {root} (labels.json absent): nothing measured; "
              "see bench/labels/HELDOUT.md to build it")  # fmt: skip
        return 0
    excerpts = load(root)
    # '--fragment': serve each excerpt as body_html_url does, with no <meta charset> (issue 10).
    fragment = "--fragment" in sys.argv[1:]
    for split in SETS:
        report(split, excerpts, fragment=fragment)
    return 0


if __name__ == "__main__":
    sys.exit(main())
