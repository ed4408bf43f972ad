"""Every view a message is rendered from, and a stored payload read back as its view."""

from collections.abc import Mapping
from typing import Any, cast

from notifier.entry_views import EntryAssessmentView
from notifier.report_views import BaselineView, DigestView, OperatorView, PreferencesLinkView, ReminderView
from notifier.views import AlertView

# Every view a message is rendered from; the stored payload's `template` says which.
MessageView = (
    AlertView
    | ReminderView
    | DigestView
    | BaselineView
    | OperatorView
    | EntryAssessmentView
    | PreferencesLinkView
)


def stored_alert_view(payload: Mapping[str, Any]) -> AlertView:
    """A stored alert's payload (kinds other than reminder, digest, baseline, operator) as its view."""
    return cast(AlertView, dict(payload))


def stored_view(payload: Mapping[str, Any]) -> MessageView:
    """An outbox row's stored payload as the view it was built as (the one place payloads are read back).

    The worker built it typed (mypy checks every builder), and JSON keeps its shape, so no run-time
    check is made here; tests validate each builder's output against its view with pydantic.
    """
    return cast(MessageView, dict(payload))
