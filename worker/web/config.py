"""What the web room reads of the settings: a protocol worker.app.settings.Settings satisfies."""

from __future__ import annotations

from typing import Protocol


class WebSettings(Protocol):
    """The settings the pages use (the web room sits below `app`, so it names them, not the class).

    A page that needs another setting adds it here; `Settings` has every one of them.
    """

    @property
    def public_url(self) -> str | None: ...
    @property
    def link_days(self) -> int: ...
    @property
    def web_max_body_bytes(self) -> int: ...
    @property
    def mail_from(self) -> str: ...
    @property
    def time_zone(self) -> str: ...
    @property
    def source_failure_alert_after(self) -> int: ...
    @property
    def name_match_threshold(self) -> int: ...

    def secret_key_value(self) -> str | None: ...
