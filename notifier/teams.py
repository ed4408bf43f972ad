"""A chat card as a Microsoft Teams Workflows webhook message: one Adaptive Card (1.4)."""

from __future__ import annotations

from typing import Any

from notifier.channel_card import Card

ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"
CARD_VERSION = "1.4"
CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
MAX_LINES_TEXT = 20_000  # characters of product lines: Teams refuses a message over about 28 KB


def _text(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": text, "wrap": True, **style}


def _listed(lines: tuple[str, ...]) -> tuple[list[str], int]:
    """The lines that fit in MAX_LINES_TEXT, and how many did not."""
    kept: list[str] = []
    used = 0
    for line in lines:
        if used + len(line) + 3 > MAX_LINES_TEXT:
            break
        kept.append(line)
        used += len(line) + 3
    return kept, len(lines) - len(kept)


def teams_message(card: Card) -> dict[str, Any]:
    """`{"type": "message", "attachments": [Adaptive Card]}`, as a Workflows webhook takes it."""
    body: list[dict[str, Any]] = [_text(card.title, size="Medium", weight="Bolder", style="heading")]
    if card.explanation:
        body.append(_text(card.explanation))
    if card.facts:
        body.append({"type": "FactSet", "facts": [{"title": k, "value": v} for k, v in card.facts]})
    kept, unplaced = _listed(card.lines)
    if kept:
        body.append(_text("\n".join(f"- {line}" for line in kept), separator=True))
    if more := card.more_note(unplaced):
        body.append(_text(more, isSubtle=True))
    content: dict[str, Any] = {
        "$schema": CARD_SCHEMA,
        "type": "AdaptiveCard",
        "version": CARD_VERSION,
        "body": body,
        "msteams": {"width": "Full"},
    }
    if card.link:
        content["actions"] = [{"type": "Action.OpenUrl", "title": card.link_label, "url": card.link}]
    return {
        "type": "message",
        "attachments": [{"contentType": ADAPTIVE_CARD, "contentUrl": None, "content": content}],
    }
