"""Which From addresses real mail servers refuse."""

from __future__ import annotations

import pytest

from notifier.sender import sender_problem


@pytest.mark.parametrize(
    "mail_from",
    [
        "adcvd-watch <alerts@adcvd-watch.localhost>",
        "alerts@localhost",
        "alerts@mailhost",
        "alerts@adcvd.invalid",
        "ops@printer.local",
        "not an address",
        "a@b@c.com",
    ],
)
def test_unsendable_senders_are_named(mail_from: str) -> None:
    problem = sender_problem(mail_from)
    assert problem is not None and "ADCVD_MAIL_FROM" in problem and "\n" not in problem


@pytest.mark.parametrize(
    "mail_from", ["adcvd-watch <alerts@acme-imports.com>", "alerts@trade.acme.co.uk", "Ops <OPS@Example.COM>"]
)
def test_real_domains_pass(mail_from: str) -> None:
    assert sender_problem(mail_from) is None
