"""The links emails carry to the pages (worker.outbox.mail_links.MailLinks), signed with the link tokens."""

from __future__ import annotations

from worker.storage.models import Subscriber
from worker.web.calendar_feed import calendar_path
from worker.web.tokens import LinkTokens


class EmailLinks:
    """`/u/TOKEN` (one kind, no expiry, revocable) and `/p/TOKEN` (expires after ADCVD_LINK_DAYS)."""

    def __init__(self, tokens: LinkTokens, public_url: str) -> None:
        self.tokens = tokens
        self.public_url = public_url.rstrip("/")

    def unsubscribe(self, subscriber: Subscriber, kind: str) -> str:
        assert subscriber.id is not None
        token = self.tokens.sign("unsubscribe", subscriber.id, subscriber.token_version, kind=kind)
        return f"{self.public_url}/u/{token}"

    def preferences(self, subscriber: Subscriber) -> str:
        assert subscriber.id is not None
        token = self.tokens.sign("preferences", subscriber.id, subscriber.token_version)
        return f"{self.public_url}/p/{token}"

    def calendar(self, subscriber: Subscriber) -> str:
        assert subscriber.id is not None
        return self.public_url + calendar_path(self.tokens, subscriber.id, subscriber.token_version)
