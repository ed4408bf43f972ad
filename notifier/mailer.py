"""Sends built messages: SMTP through aiosmtplib, or a local Maildir when no SMTP server is configured."""

from __future__ import annotations

import mailbox
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

import aiosmtplib


class DeliveryError(Exception):
    """Sending failed; `permanent` says whether retrying can help (SMTP 5xx) or not."""

    def __init__(self, message: str, *, permanent: bool) -> None:
        super().__init__(message)
        self.permanent = permanent


class Mailer(Protocol):
    description: str

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
        target = self.target
        try:
            await aiosmtplib.send(
                message,
                hostname=target.host,
                port=target.port,
                username=target.username,
                password=target.password,
                use_tls=target.implicit_tls,
                start_tls=True if target.starttls else None,
                timeout=self.timeout,
            )
        except aiosmtplib.SMTPRecipientsRefused as exc:
            codes = [refusal.code for refusal in exc.recipients]
            permanent = bool(codes) and all(500 <= code < 600 for code in codes)
            detail = "; ".join(f"{r.code} {r.message}" for r in exc.recipients)
            problem = f"{self.description} refused the recipient: {detail}"
            raise DeliveryError(problem, permanent=permanent) from None
        except aiosmtplib.SMTPResponseException as exc:
            permanent = 500 <= exc.code < 600
            raise DeliveryError(
                f"{self.description} answered {exc.code} {exc.message}", permanent=permanent
            ) from None
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            raise DeliveryError(
                f"{self.description} unreachable: {type(exc).__name__}", permanent=False
            ) from None


class MaildirMailer:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.description = f"Maildir {directory}"

    async def send(self, message: EmailMessage) -> None:
        try:
            box = mailbox.Maildir(self.directory, create=True)
            box.add(message)
        except OSError as exc:
            raise DeliveryError(f"{self.description}: {exc.strerror}", permanent=False) from None


def make_mailer(*, smtp_url: str | None, outbox_dir: Path, timeout: float = 30.0) -> Mailer:
    if smtp_url:
        return SmtpMailer(parse_smtp_url(smtp_url), timeout=timeout)
    return MaildirMailer(outbox_dir)
