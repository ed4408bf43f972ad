"""What reaches a real SMTP server: folded subjects without a leading space, QP lines of 76 at most."""

from __future__ import annotations

import mailbox
from datetime import UTC, datetime
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from notifier.build import Envelope, build_message
from notifier.mailer import MaildirMailer, SmtpMailer, parse_smtp_url
from notifier.render import RenderedMessage
from tests.support.mail import SmtpServer

# 76 characters: Python's folder moved this subject whole onto a continuation line (a leading space).
SUBJECTS = [
    "[AD/CVD HIGH] Order issued: A-570-148, C-570-149 reaches 2 of your products",
    "[AD/CVD HIGH] Order issued: Gas Powered Pressure Washers from China (A-570-148, C-570-149), "
    "2 of your products, total deposit 275.02%",
    "[AD/CVD weekly] Dé Outdoor Power Société, week of March 4, 2024: 3 events, 2 deadlines — résumé",
    "x" * 120 + " tail",
]
LONG_TEXT = "Deposit " + "rate " * 400 + "end\n" + "é" * 300 + "\n"
LONG_HTML = "<p>" + "<strong>275.02%</strong> " * 200 + "</p>"


def message(subject: str) -> RenderedMessage:
    return RenderedMessage(subject=subject, text=LONG_TEXT, html=LONG_HTML)


def envelope() -> Envelope:
    return Envelope(
        sender="adcvd-watch <alerts@example.com>",
        recipient="counsel@example.com",
        message_id="<wire@adcvd-watch>",
        date=datetime(2024, 3, 4, 12, tzinfo=UTC),
    )


def body_lines(raw: bytes) -> list[bytes]:
    return raw.partition(b"\r\n\r\n")[2].split(b"\r\n")


@pytest.mark.parametrize("subject", SUBJECTS, ids=["76-chars", "long-ascii", "non-ascii", "one-long-word"])
async def test_subject_arrives_whole_and_folded(smtp: SmtpServer, subject: str) -> None:
    await SmtpMailer(parse_smtp_url(smtp.url)).send(build_message(message(subject), envelope()))
    raw = smtp.sink.raw[0]
    head = raw.partition(b"\r\n\r\n")[0].decode("ascii")
    after = ("\r\n" + head).split("\r\nSubject:")[1].split("\r\n")
    folded = 1 + next((i for i, line in enumerate(after[1:]) if not line.startswith(" ")), len(after) - 1)
    subject_lines = after[:folded]
    first = subject_lines[0]
    assert first.strip(), "the subject's first word must stay on the Subject: line"
    continuation = [line for line in subject_lines[1:] if line.startswith(" ")]
    if subject != SUBJECTS[3]:
        assert all(len(line) <= 78 for line in ["Subject:" + first, *continuation])
    parsed = message_from_bytes(raw, policy=policy.default)
    assert str(parsed["Subject"]) == subject


async def test_bodies_are_quoted_printable_within_76_characters(smtp: SmtpServer) -> None:
    await SmtpMailer(parse_smtp_url(smtp.url)).send(build_message(message(SUBJECTS[0]), envelope()))
    raw = smtp.sink.raw[0]
    assert raw.count(b"Content-Transfer-Encoding: quoted-printable") == 2
    assert max(len(line) for line in body_lines(raw)) <= 76
    parsed = smtp.sink.messages[0]
    plain, html = parsed.get_body(("plain",)), parsed.get_body(("html",))
    assert plain is not None and html is not None
    assert plain.get_content().replace("\r\n", "\n") == LONG_TEXT
    assert html.get_content().replace("\r\n", "\n").rstrip("\n") == LONG_HTML


async def test_maildir_file_has_the_same_folding(tmp_path: Path) -> None:
    await MaildirMailer(tmp_path / "outbox").send(build_message(message(SUBJECTS[0]), envelope()))
    (stored,) = list(mailbox.Maildir(tmp_path / "outbox", create=False))
    raw = stored.as_bytes()
    assert b"\nSubject: [AD/CVD HIGH] Order issued:" in b"\n" + raw
    assert max(len(line) for line in raw.partition(b"\n\n")[2].split(b"\n")) <= 76
