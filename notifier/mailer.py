"""Sends built messages: SMTP through aiosmtplib, or a local Maildir when no SMTP server is configured."""

from __future__ import annotations

import mailbox
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

import aiosmtplib
from aiosmtplib.email import extract_recipients, extract_sender

from notifier.build import wire_bytes


class DeliveryError(Exception):
    """Sending failed; `permanent` says whether retrying can help (SMTP 5xx) or not.

    `server_fault` says the server, not the message, failed (login refused, unreachable, closing):
    every message would fail alike, so delivery waits for the server instead of failing messages.
    """

    def __init__(self, message: str, *, permanent: bool, server_fault: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent and not server_fault
        self.server_fault = server_fault


# Replies that speak about the session or the server, not the message: authentication required or
# refused (530, 534, 535, 538, 454) and "service not available, closing" (421).
SERVER_FAULT_CODES = frozenset({421, 454, 530, 534, 535, 538})


class Mailer(Protocol):
    description: str

    async def send(self, message: EmailMessage) -> None: ...

    def connection(self) -> AbstractAsyncContextManager[Sender]:
        """One connection for a batch: each send returns as soon as the server accepted the message."""
        ...


class Sender(Protocol):
    async def send(self, message: EmailMessage) -> None: ...


@dataclass(frozen=True)
class SmtpTarget:
    host: str
    port: int
    username: str | None
    password: str | None
    implicit_tls: bool
    starttls: bool

    @property
    def description(self) -> str:
        # Never the credentials: this string reaches logs and CLI output.
        return f"smtp{'s' if self.implicit_tls else ''}://{self.host}:{self.port}"


def parse_smtp_url(url: str) -> SmtpTarget:
    """smtp://user:pass@host:port (STARTTLS when offered with ?starttls=1), smtps://… for implicit TLS."""
    parts = urlsplit(url)
    if parts.scheme not in {"smtp", "smtps"} or not parts.hostname:
        raise ValueError("ADCVD_SMTP_URL must look like smtp://user:pass@host:port or smtps://host:port")
    implicit = parts.scheme == "smtps"
    return SmtpTarget(
        host=parts.hostname,
        port=parts.port or (465 if implicit else 25),
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        implicit_tls=implicit,
        starttls="starttls=1" in parts.query,
    )


class SmtpMailer:
    def __init__(self, target: SmtpTarget, *, timeout: float = 30.0) -> None:
        self.target = target
        self.timeout = timeout
        self.description = target.description

    async def send(self, message: EmailMessage) -> None:
        async with self.connection() as connection:
            await connection.send(message)

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[Sender]:
        batch = SmtpBatch(self)
        try:
            yield batch
        finally:
            await batch.close()

    def client(self) -> aiosmtplib.SMTP:
        target = self.target
        return aiosmtplib.SMTP(
            hostname=target.host,
            port=target.port,
            username=target.username,
            password=target.password,
            use_tls=target.implicit_tls,
            start_tls=True if target.starttls else None,
            timeout=self.timeout,
        )

    def translate(self, exc: Exception) -> DeliveryError:
        """An SMTP failure as delivery needs it: temporary (retry later) or permanent (5xx)."""
        if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
            codes = [refusal.code for refusal in exc.recipients]
            permanent = bool(codes) and all(500 <= code < 600 for code in codes)
            detail = "; ".join(f"{r.code} {r.message}" for r in exc.recipients)
            return DeliveryError(f"{self.description} refused the recipient: {detail}", permanent=permanent)
        if isinstance(exc, aiosmtplib.SMTPResponseException) and exc.code in SERVER_FAULT_CODES:
            return DeliveryError(
                f"{self.description} answered {exc.code} {exc.message}", permanent=False, server_fault=True
            )
        if isinstance(exc, aiosmtplib.SMTPResponseException):
            permanent = 500 <= exc.code < 600
            return DeliveryError(f"{self.description} answered {exc.code} {exc.message}", permanent=permanent)
        return DeliveryError(
            f"{self.description} unreachable: {type(exc).__name__}", permanent=False, server_fault=True
        )


class SmtpBatch:
    """Sends over one connection, opened on first use and again after a failure; QUIT at the end.

    sendmail returns when the server has answered 250 to the DATA: the caller records the
    message as sent right then, which keeps the window in which a crash could resend it small.
    """

    def __init__(self, mailer: SmtpMailer) -> None:
        self.mailer = mailer
        self._client: aiosmtplib.SMTP | None = None

    async def send(self, message: EmailMessage) -> None:
        try:
            if self._client is None:
                client = self.mailer.client()
                await client.connect()
                self._client = client
            sender = extract_sender(message)
            if sender is None:
                raise DeliveryError("the message has no From address", permanent=True)
            # Our own serialisation (not aiosmtplib's): subjects folded by WirePolicy, QP bodies as built.
            await self._client.sendmail(sender, extract_recipients(message), wire_bytes(message))
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            await self.close()  # the session state is unknown after a failure: start afresh
            raise self.mailer.translate(exc) from None

    async def close(self) -> None:
        client, self._client = self._client, None
        if client is None:
            return
        try:
            await client.quit()
        except (aiosmtplib.SMTPException, OSError, TimeoutError):
            client.close()


class MaildirMailer:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.description = f"Maildir {directory}"

    async def send(self, message: EmailMessage) -> None:
        try:
            # An outbox folder made by hand (or emptied) lacks the Maildir's own folders: make them.
            for folder in ("tmp", "new", "cur"):
                (self.directory / folder).mkdir(parents=True, exist_ok=True)
            box = mailbox.Maildir(self.directory, create=True)
            box.add(wire_bytes(message, linesep="\n"))
        except OSError as exc:
            raise DeliveryError(
                f"{self.description}: {exc.strerror}", permanent=False, server_fault=True
            ) from None

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[Sender]:
        yield self


def make_mailer(*, smtp_url: str | None, outbox_dir: Path, timeout: float = 30.0) -> Mailer:
    if smtp_url:
        return SmtpMailer(parse_smtp_url(smtp_url), timeout=timeout)
    return MaildirMailer(outbox_dir)
