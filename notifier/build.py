"""Builds the email.message.EmailMessage for a rendered alert: headers, alternatives, attachments."""

from __future__ import annotations

import base64
import gzip
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

from notifier.render import RenderedMessage

# RFC 5322 allows 998 characters a line; folding at 78 made Python move a subject of 70-odd
# characters whole onto a continuation line, which readers then showed with a leading space.
MESSAGE_POLICY = policy.default.clone(max_line_length=998)


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    maintype: str
    subtype: str


def products_csv_attachment(stored: Mapping[str, Any]) -> Attachment:
    """The full product list an alert stores gzip-compressed (worker.alert_products) as a text/csv file."""
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
    list_unsubscribe: str | None = None
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
    if envelope.list_unsubscribe:
        message["List-Unsubscribe"] = f"<{_single_line(envelope.list_unsubscribe)}>"
    for name, value in envelope.extra_headers:
        message[name] = _single_line(value)
    message.set_content(rendered.text)
    message.add_alternative(rendered.html, subtype="html")
    for item in attachments:
        message.add_attachment(
            item.content, maintype=item.maintype, subtype=item.subtype, filename=item.filename
        )
    return message
