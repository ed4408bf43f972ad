"""parse_xml_safely refuses entity declarations and malformed input, and reads GPO entities."""

from __future__ import annotations

import pytest

from watchers.xml_safety import MalformedXmlError, UnsafeXmlError, parse_xml_safely

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<NOTICE>&lol3;</NOTICE>"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE NOTICE [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><NOTICE>&xxe;</NOTICE>"""
PARAMETER = b"""<?xml version="1.0"?>
<!DOCTYPE NOTICE [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/x.dtd"> %remote;]><NOTICE/>"""


@pytest.mark.parametrize(
    "data", [BILLION_LAUGHS, EXTERNAL, PARAMETER], ids=["billion-laughs", "external", "parameter"]
)
def test_entity_declarations_are_refused(data: bytes) -> None:
    with pytest.raises(UnsafeXmlError):
        parse_xml_safely(data)


@pytest.mark.parametrize(
    "data",
    [b"", b"   ", b"<NOTICE><P>truncated", b"<NOTICE></P>", b"not xml at all"],
    ids=["empty", "blank", "truncated", "mismatched", "text"],
)
def test_malformed_input_raises_a_clear_error(data: bytes) -> None:
    with pytest.raises(MalformedXmlError, match=r"empty|malformed"):
        parse_xml_safely(data)


def test_doctype_without_entities_is_read_without_loading_it() -> None:
    root = parse_xml_safely(b'<!DOCTYPE NOTICE SYSTEM "http://127.0.0.1:9/fr.dtd"><NOTICE/>')
    assert root.tag == "NOTICE"


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (b"<P>Antidumping&mdash;AD</P>", "Antidumping\u2014AD"),
        (b"<P>A&ndash;570&ndash;148</P>", "A\u2013570\u2013148"),
        (b"<P>M&uuml;ller &amp; Co.</P>", "M\u00fcller & Co."),
        (b"<P>&sect; 351.303</P>", "\u00a7 351.303"),
        (b"<P>x&zzunknown;y</P>", "x[zzunknown]y"),
    ],
    ids=["mdash", "ndash", "uuml-and-amp", "sect", "unknown-kept-visible"],
)
def test_gpo_character_entities_are_read(data: bytes, text: str) -> None:
    assert parse_xml_safely(data).text == text


def test_utf16_input_is_read() -> None:
    data = '<?xml version="1.0" encoding="UTF-16"?><P>é</P>'.encode("utf-16")
    assert parse_xml_safely(data).text == "é"
