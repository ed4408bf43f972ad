"""The HTML fallback decodes the body with the response charset, UTF-8 when none is given."""

from __future__ import annotations

from datetime import date

import pytest

from watchers.notice_html import body_charset, extract_notice_facts_from_html

# The shape of an FR body_html_url fragment: no <html>, no <head>, no <meta charset>; the docket
# line's dashes are en dashes (U+2013), three bytes each in UTF-8.
_FRAGMENT = (
    "<h1>Certain Widgets From T\u00fcrkiye: Final Results of Antidumping Duty Administrative Review</h1>"
    "<p>[A\u2013123\u2013456]</p>"
    "<p>AGENCY: Enforcement and Compliance, International Trade Administration, Commerce.</p>"
)


@pytest.mark.parametrize("content_type", ["text/html", "text/html; charset=utf-8", ""])
def test_utf8_fragment_without_meta_charset_keeps_the_case_number(content_type: str) -> None:
    facts = extract_notice_facts_from_html(
        _FRAGMENT.encode("utf-8"),
        document_number=None,
        publication_date=date(2026, 10, 5),
        content_type=content_type,
    )
    assert facts.case_numbers == ("A-123-456",)
    assert "Türkiye" in facts.title


def test_response_charset_wins_over_the_default() -> None:
    body = _FRAGMENT.replace("\u2013", "-").encode("iso-8859-1")
    facts = extract_notice_facts_from_html(
        body,
        document_number=None,
        publication_date=date(2026, 10, 5),
        content_type="text/html; charset=ISO-8859-1",
    )
    assert facts.case_numbers == ("A-123-456",)
    assert "Türkiye" in facts.title


def test_body_charset_order() -> None:
    meta = b'<html><head><meta charset="windows-1252"></head><body></body></html>'
    assert body_charset(b"<p>x</p>", "text/html") == "utf-8"
    assert body_charset(meta, "text/html") == "cp1252"
    assert body_charset(meta, "text/html; charset=utf-8") == "utf-8"
    assert body_charset(b"<p>x</p>", "text/html; charset=no-such-codec") == "utf-8"
