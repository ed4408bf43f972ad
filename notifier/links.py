"""Links from sources reach an email only as https URLs on the sources' own hosts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

# The hosts of the default ADCVD_FEDERAL_REGISTER_URL and ADCVD_TRADE_GOV_URL, and the official
# pages their documents link to (FederalRegister.gov document pages, trade.gov, ACCESS, GovInfo PDFs).
SOURCE_LINK_HOSTS = frozenset(
    {"www.federalregister.gov", "federalregister.gov", "www.trade.gov", "trade.gov", "access.trade.gov",
     "www.govinfo.gov", "public-inspection.federalregister.gov"}
)  # fmt: skip
_UNSAFE_CHARACTERS = frozenset(" \"'<>`\\") | {chr(c) for c in range(32)} | {chr(127)}


def safe_link(url: str, hosts: frozenset[str] = SOURCE_LINK_HOSTS) -> str:
    """`url` when it is https on one of `hosts` (default port, no credentials); otherwise ''.

    A `javascript:` or `data:` URL, plain http, another host, another port or a URL with
    characters that could break out of an attribute never reaches a link.
    """
    candidate = url.strip()
    if not candidate or any(ch in _UNSAFE_CHARACTERS for ch in candidate):
        return ""
    try:
        parts = urlsplit(candidate)
        port = parts.port
    except ValueError:
        return ""
    if parts.scheme.lower() != "https" or parts.username or parts.password or port not in (None, 443):
        return ""
    if (parts.hostname or "").rstrip(".") not in hosts:
        return ""
    return candidate


def safe_links(view: Any, hosts: frozenset[str] = SOURCE_LINK_HOSTS) -> Any:
    """A copy of a template view in which every value under a key ending in `url` is safe_link'ed."""
    if isinstance(view, Mapping):
        return {
            key: safe_link(value, hosts) if str(key).endswith("url") and isinstance(value, str)
            else safe_links(value, hosts)
            for key, value in view.items()
        }  # fmt: skip
    if isinstance(view, list | tuple):
        return [safe_links(item, hosts) for item in view]
    return view
