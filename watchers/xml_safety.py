"""Safe parsing of untrusted Federal Register XML: no DTDs, no entity expansion, clear errors."""

from __future__ import annotations

import html.entities
import re
from typing import Any

from lxml import etree

# The five entities XML predefines; every other named entity needs a DTD, which we never load.
_XML_PREDEFINED = frozenset({"amp", "lt", "gt", "quot", "apos"})
_ENTITY_REF = re.compile(rb"&([A-Za-z][A-Za-z0-9]{0,31});")
_DOCTYPE = re.compile(rb"<!DOCTYPE\b", re.IGNORECASE)
_ENTITY_DECL = re.compile(rb"<!ENTITY\b", re.IGNORECASE)
_FIRST_ELEMENT = re.compile(rb"<[A-Za-z_]")
_ENCODING_DECL = re.compile(rb"^(<\?xml[^>]*?)\s+encoding=[\"'][^\"']*[\"']")

# GPO's SGML-derived names that HTML does not define; the rest come from html.entities.
_GPO_ENTITIES: dict[str, str] = {
    "squ": "\u25a1",
    "bull": "\u2022",
    "ensp": " ",
    "emsp": " ",
    "thinsp": " ",
    "hyphen": "-",
    "dash": "\u2013",
}


class XmlError(ValueError):
    """Base of the two refusals below."""


class UnsafeXmlError(XmlError):
    """The document declares entities (billion laughs, external entities): refused unread."""


class MalformedXmlError(XmlError):
    """The document is not well-formed XML (often a truncated download)."""


def _entity_char(name: str) -> str | None:
    if name in _GPO_ENTITIES:
        return _GPO_ENTITIES[name]
    codepoint = html.entities.name2codepoint.get(name)
    return chr(codepoint) if codepoint is not None else None


def _replace_character_entities(data: bytes) -> bytes:
    """Turn GPO/HTML character entities (&mdash;, &uuml;) into numeric references.

    Without their DTD lxml would reject them as undefined; an unknown name is kept visible as
    GPO's text rendition does it ('[name]') rather than dropped.
    """

    def substitute(match: re.Match[bytes]) -> bytes:
        name = match.group(1).decode("ascii")
        if name in _XML_PREDEFINED:
            return match.group(0)
        char = _entity_char(name)
        if char is None:
            return f"[{name}]".encode("ascii")
        return f"&#{ord(char)};".encode("ascii")

    return _ENTITY_REF.sub(substitute, data)


def _as_utf8(data: bytes) -> bytes:
    """Re-encode UTF-16 input so the byte-level checks below see ASCII markup."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
        return _ENCODING_DECL.sub(rb"\1", text.encode("utf-8"), count=1)
    return data


def _refuse_entity_declarations(data: bytes) -> None:
    first = _FIRST_ELEMENT.search(data)
    prolog = data[: first.start()] if first else data
    if _DOCTYPE.search(prolog) and _ENTITY_DECL.search(data):
        raise UnsafeXmlError("XML declares entities in a DOCTYPE; refused without expanding them")


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        recover=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse_xml_safely(data: bytes) -> etree._Element:
    """Parse untrusted XML bytes; raise UnsafeXmlError or MalformedXmlError, never expand."""
    if not data or not data.strip():
        raise MalformedXmlError("empty document")
    data = _as_utf8(data)
    _refuse_entity_declarations(data)
    if b"&" in data:
        data = _replace_character_entities(data)
    try:
        root = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as exc:
        raise MalformedXmlError(f"malformed or truncated XML: {exc}") from exc
    docinfo = root.getroottree().docinfo
    dtd: Any = docinfo.internalDTD  # lxml-stubs lacks DTD.iterentities
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise UnsafeXmlError("XML declares entities in its internal DTD subset; refused")
    return root
