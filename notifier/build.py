"""Builds the email.message.EmailMessage for a rendered alert: headers, alternatives, attachments."""

from __future__ import annotations

import base64
import gzip
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from email.generator import BytesGenerator
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from io import BytesIO
from typing import Any

from notifier.headers import WirePolicy
from notifier.render import RenderedMessage

# 76: quoted-printable lines may not be longer (RFC 2045 6.7); headers fold well under 78 (RFC 5322).
MESSAGE_POLICY = WirePolicy(max_line_length=76)


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    maintype: str
    subtype: str


def products_csv_attachment(stored: Mapping[str, Any]) -> Attachment:
    """The full product list an alert stores gzip-compressed (worker.alerts.alert_products), as text/csv."""
    content = gzip.decompress(base64.b64decode(str(stored["gzip_base64"])))
    return Attachment(str(stored.get("filename") or "adcvd-products.csv"), content, "text", "csv")


@dataclass(frozen=True)
class Envelope:
    sender: str
    recipient: str
    message_id: str
    date: datetime
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    list_unsubscribe: str | None = None  # a mailto: URI
    one_click_unsubscribe: str | None = None  # an https URI that unsubscribes on POST (RFC 8058)
    extra_headers: tuple[tuple[str, str], ...] = field(default_factory=tuple)


def _single_line(value: str) -> str:
    # Header injection: no CR/LF may reach a header from data.
    return " ".join(value.replace("\r", " ").replace("\n", " ").split())


def build_message(
    rendered: RenderedMessage, envelope: Envelope, attachments: tuple[Attachment, ...] = ()
) -> EmailMessage:
    message = EmailMessage(policy=MESSAGE_POLICY)
    message["Subject"] = _single_line(rendered.subject)
    message["From"] = _single_line(envelope.sender)
    message["To"] = Address(addr_spec=_single_line(envelope.recipient))
    message["Date"] = format_datetime(envelope.date)
    message["Message-ID"] = envelope.message_id
    if envelope.in_reply_to:
        message["In-Reply-To"] = envelope.in_reply_to
        message["References"] = " ".join(envelope.references or (envelope.in_reply_to,))
    unsubscribe = [
        f"<{_single_line(u)}>" for u in (envelope.one_click_unsubscribe, envelope.list_unsubscribe) if u
    ]
    if unsubscribe:
        message["List-Unsubscribe"] = ", ".join(unsubscribe)
    if envelope.one_click_unsubscribe:
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    for name, value in envelope.extra_headers:
        message[name] = _single_line(value)
    # Quoted-printable always: a long line is soft-broken at 76 characters, never sent as is.
    message.set_content(rendered.text, cte="quoted-printable")
    message.add_alternative(rendered.html, subtype="html", cte="quoted-printable")
    for item in attachments:
        message.add_attachment(
            item.content, maintype=item.maintype, subtype=item.subtype, filename=item.filename
        )
    return message


def wire_bytes(message: EmailMessage, *, linesep: str = "\r\n") -> bytes:
    """The message as sent: headers folded by WirePolicy (subjects included), CRLF for SMTP."""
    buffer = BytesIO()
    BytesGenerator(buffer, policy=MESSAGE_POLICY.clone(linesep=linesep)).flatten(message)
    return buffer.getvalue()
