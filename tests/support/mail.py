"""A real SMTP server (aiosmtpd) on 127.0.0.1 that keeps what it accepted and can be told to fail."""

from __future__ import annotations

import socket
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class MailSink:
    """Collects accepted messages; `reply` (e.g. '451 4.3.0 try later') makes DATA fail instead."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.raw: list[bytes] = []  # the bytes of each accepted message, as they came over the wire
        self.reply: str | None = None
        self.replies: list[str] = []  # consumed one per message before `reply`
        self.refuse_login = False  # with SmtpServer(auth=True): AUTH answers 535 while set
        self.logins = 0

    def authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        self.logins += 1
        return AuthResult(success=not self.refuse_login, handled=False)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.replies:
            return self.replies.pop(0)
        if self.reply:
            return self.reply
        self.raw.append(bytes(envelope.content))
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        return "250 OK"

    def by_dedupe_key(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for message in self.messages:
            key = str(message.get("X-ADCVD-Dedupe-Key", ""))
            counts[key] = counts.get(key, 0) + 1
        return counts


class SmtpServer:
    """Start and stop a sink on a fixed port, so 'server down, then back' can be tested."""

    def __init__(self, *, auth: bool = False) -> None:
        self.port = free_port()
        self.sink = MailSink()
        self.auth = auth  # offer AUTH over plain SMTP; the client logs in (refused while sink.refuse_login)
        self._controller: Controller | None = None

    @property
    def url(self) -> str:
        credentials = "alerts:secret@" if self.auth else ""
        return f"smtp://{credentials}127.0.0.1:{self.port}"

    def start(self) -> None:
        options: dict[str, Any] = {}
        if self.auth:
            options = {
                "authenticator": self.sink.authenticate,
                "auth_require_tls": False,
            }
        self._controller = Controller(self.sink, hostname="127.0.0.1", port=self.port, **options)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


def text_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def html_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("html",))
    assert part is not None
    return str(part.get_content())
