"""A chat card as a Slack Block Kit message for an incoming webhook, within Slack's limits."""

from __future__ import annotations

from typing import Any

from notifier.channel_card import Card

MAX_BLOCKS = 50  # a message's blocks
MAX_TEXT = 3000  # a section's text
MAX_HEADER = 150  # a header's plain text
MAX_FIELDS = 10  # a section's fields
MAX_FIELD_TEXT = 2000
MAX_BUTTON_TEXT = 75
MAX_URL = 3000  # a button's url: a longer one would get the whole message refused


def clip(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, an ellipsis marking the cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def escape(text: str) -> str:
    """Slack mrkdwn treats &, < and > as control characters: data shows as written, links cannot be forged."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": text}


def _sections(lines: tuple[str, ...], room: int) -> tuple[list[dict[str, Any]], int]:
    """Sections of lines (at most MAX_TEXT characters each) in `room` blocks, and how many did not fit."""
    texts: list[list[str]] = []
    for line in lines:
        item = clip("• " + escape(line), MAX_TEXT)
        if texts and len("\n".join([*texts[-1], item])) <= MAX_TEXT:
            texts[-1].append(item)
        else:
            texts.append([item])
    kept = texts[: max(room, 0)]
    placed = sum(len(text) for text in kept)
    return [{"type": "section", "text": _mrkdwn("\n".join(text))} for text in kept], len(lines) - placed


def slack_message(card: Card) -> dict[str, Any]:
    """Header, the explanation, fields (case, rate, deadline), the lines, "and N more", a link button."""
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": clip(card.title, MAX_HEADER)}},
    ]
    if card.explanation:
        blocks.append({"type": "section", "text": _mrkdwn(clip(escape(card.explanation), MAX_TEXT))})
    if card.facts:
        fields = [
            _mrkdwn(clip(f"*{escape(label)}*\n{escape(value)}", MAX_FIELD_TEXT))
            for label, value in card.facts[:MAX_FIELDS]
        ]
        blocks.append({"type": "section", "fields": fields})
    tail: list[dict[str, Any]] = []
    if card.link and len(card.link) <= MAX_URL:
        button = {
            "type": "button",
            "text": {"type": "plain_text", "text": clip(card.link_label, MAX_BUTTON_TEXT)},
        }
        tail.append({"type": "actions", "elements": [{**button, "url": card.link}]})
    room = MAX_BLOCKS - len(blocks) - len(tail) - 1  # one block kept for "and N more"
    sections, unplaced = _sections(card.lines, room)
    blocks += sections
    if more := card.more_note(unplaced):
        blocks.append({"type": "context", "elements": [_mrkdwn(more)]})
    return {"text": clip(card.title, MAX_TEXT), "blocks": blocks + tail}
