"""Messages are built safely and the two mailers report success and failure as delivery needs."""

from __future__ import annotations

import mailbox
from datetime import UTC, datetime
from pathlib import Path

import pytest

from notifier.build import Envelope, build_message
from notifier.mailer import DeliveryError, MaildirMailer, SmtpMailer, parse_smtp_url
from notifier.render import RenderedMessage
from tests.support.mail import SmtpServer, text_of

WHEN = datetime(2024, 2, 12, 12, 0, tzinfo=UTC)


def sample(subject: str = "Order: A-570-148") -> RenderedMessage:
    return RenderedMessage(subject=subject, text="plain body\n", html="<p>html body</p>")


def envelope(**changes: object) -> Envelope:
    values: dict[str, object] = {
        "sender": "adcvd-watch <alerts@example.com>",
        "recipient": "buyer@example.com",
        "message_id": "<alert-1.abc@adcvd-watch.localhost>",
        "date": WHEN,
    }
    values.update(changes)
    return Envelope(**values)  # type: ignore[arg-type]


def test_subject_with_line_breaks_cannot_inject_headers() -> None:
    message = build_message(sample("Rate change\r\nBcc: victim@example.com"), envelope())
    assert message["Bcc"] is None
    assert "\n" not in str(message["Subject"])
    raw = message.as_string()
    assert "\nBcc:" not in raw


def test_follow_up_threads_under_first_message() -> None:
    message = build_message(sample(), envelope(in_reply_to="<alert-1.x@h>", message_id="<alert-2.y@h>"))
    assert message["In-Reply-To"] == "<alert-1.x@h>" and message["References"] == "<alert-1.x@h>"


def test_text_and_html_alternatives_and_list_unsubscribe() -> None:
    message = build_message(
        sample(), envelope(list_unsubscribe="mailto:alerts@example.com?subject=unsubscribe")
    )
    assert message.get_body(("plain",)) is not None and message.get_body(("html",)) is not None
    assert message["List-Unsubscribe"] == "<mailto:alerts@example.com?subject=unsubscribe>"


async def test_maildir_mailer_writes_one_file(tmp_path: Path) -> None:
    await MaildirMailer(tmp_path / "outbox").send(build_message(sample(), envelope()))
    box = mailbox.Maildir(tmp_path / "outbox", create=False)
    assert len(box) == 1


async def test_maildir_mailer_writes_into_an_outbox_folder_made_by_hand(tmp_path: Path) -> None:
    """An operator who makes `outbox/` themselves (no new/cur/tmp inside) still gets the mail."""
    (tmp_path / "outbox").mkdir()
    await MaildirMailer(tmp_path / "outbox").send(build_message(sample(), envelope()))
    assert len(list((tmp_path / "outbox" / "new").iterdir())) == 1


async def test_smtp_accepts_message(smtp: SmtpServer) -> None:
    await SmtpMailer(parse_smtp_url(smtp.url)).send(build_message(sample(), envelope()))
    assert len(smtp.sink.messages) == 1 and text_of(smtp.sink.messages[0]).strip() == "plain body"


@pytest.mark.parametrize(
    ("reply", "permanent"),
    [("451 4.3.0 Try again later", False), ("554 5.7.1 Message rejected", True)],
    ids=["4xx-temporary", "5xx-permanent"],
)
async def test_smtp_reply_classifies_failure(smtp: SmtpServer, reply: str, permanent: bool) -> None:
    smtp.sink.reply = reply
    with pytest.raises(DeliveryError) as caught:
        await SmtpMailer(parse_smtp_url(smtp.url)).send(build_message(sample(), envelope()))
    assert caught.value.permanent is permanent
    assert reply.split()[0] in str(caught.value)


async def test_server_down_is_temporary_and_hides_credentials() -> None:
    from tests.support.mail import free_port

    target = parse_smtp_url(f"smtp://alice:s3cr3t-pw@127.0.0.1:{free_port()}")
    with pytest.raises(DeliveryError) as caught:
        await SmtpMailer(target, timeout=5).send(build_message(sample(), envelope()))
    assert not caught.value.permanent
    assert "s3cr3t-pw" not in str(caught.value) and "alice" not in str(caught.value)


def test_smtp_url_forms() -> None:
    plain = parse_smtp_url("smtp://user%40corp:p%3Ass@mail.example.com:587?starttls=1")
    assert (plain.host, plain.port, plain.username, plain.password, plain.starttls) == (
        "mail.example.com",
        587,
        "user@corp",
        "p:ss",
        True,
    )
    assert parse_smtp_url("smtps://mail.example.com").port == 465
    with pytest.raises(ValueError, match="ADCVD_SMTP_URL"):
        parse_smtp_url("http://mail.example.com")


async def test_batch_sends_over_one_connection_and_recovers_after_a_refusal(smtp: SmtpServer) -> None:
    mailer = SmtpMailer(parse_smtp_url(smtp.url))
    smtp.sink.replies = ["451 4.3.0 Try again later"]  # the first message is refused once
    async with mailer.connection() as connection:
        with pytest.raises(DeliveryError) as refused:
            await connection.send(build_message(sample("first"), envelope(message_id="<m1@h>")))
        assert not refused.value.permanent
        await connection.send(build_message(sample("second"), envelope(message_id="<m2@h>")))
        await connection.send(build_message(sample("third"), envelope(message_id="<m3@h>")))
    assert [str(m["Subject"]) for m in smtp.sink.messages] == ["second", "third"]
