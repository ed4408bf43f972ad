"""Whether a From address can be sent through a real SMTP server (not a .localhost placeholder)."""

from __future__ import annotations

from email.headerregistry import Address
from email.utils import parseaddr

# RFC 6761 special-use names: no mail server accepts (or can verify) a sender in these domains.
UNDELIVERABLE_SUFFIXES = (".localhost", ".invalid", ".test", ".local")


def sender_problem(mail_from: str) -> str | None:
    """Why `mail_from` will be refused by a real server, or None when it looks sendable."""
    _name, address = parseaddr(mail_from)
    if not address or address.count("@") != 1:
        return f"ADCVD_MAIL_FROM {mail_from!r} is not an email address"
    try:
        domain = Address(addr_spec=address).domain.lower().rstrip(".")
    except (ValueError, IndexError):
        return f"ADCVD_MAIL_FROM {mail_from!r} is not an email address"
    if domain == "localhost" or "." not in domain or domain.endswith(UNDELIVERABLE_SUFFIXES):
        return (
            f"ADCVD_MAIL_FROM is {address}, which mail servers refuse ({domain} is not a real domain); "
            "set ADCVD_MAIL_FROM to an address of your own domain, e.g. 'adcvd-watch <alerts@example.com>'"
        )
    return None
