"""Header folding that keeps a subject's first word on the Subject line (RFC 5322 2.2.3, RFC 2047)."""

from __future__ import annotations

from email.header import Header
from email.policy import EmailPolicy
from typing import Any

FOLD_AT = 78  # RFC 5322 2.1.1: lines SHOULD be no longer than 78 characters


def fold_subject(value: str, *, linesep: str = "\r\n", name: str = "Subject") -> str:
    """`Subject: …` folded at spaces, each continuation line starting with one space.

    Python's own folder moves a subject of 70-odd characters whole onto a continuation line,
    leaving `Subject:` empty; readers then show the subject with a leading space. Here the first
    word always stays on the first line (a word longer than the line is kept whole: RFC 5322
    allows 998). Non-ASCII subjects become RFC 2047 encoded words, folded between words.
    """
    if not value.isascii():
        encoded = Header(value, charset="utf-8", header_name=name, maxlinelen=FOLD_AT).encode(linesep=linesep)
        return f"{name}: {encoded}{linesep}"
    lines: list[str] = []
    current = f"{name}:"
    for word in value.split():
        if current != f"{name}:" and len(current) + 1 + len(word) > FOLD_AT:
            lines.append(current)
            current = ""
        current += " " + word
    lines.append(current)
    return linesep.join(lines) + linesep


# Folded at spaces only: Python's folder turns a URL longer than a line into RFC 2047 encoded words,
# which no mail provider reads back as a List-Unsubscribe URL (RFC 2369 wants the <URL> as is).
FOLDED_AT_SPACES = frozenset({"subject", "list-unsubscribe"})


class WirePolicy(EmailPolicy):
    """email.policy.default, but with fold_subject for the Subject and List-Unsubscribe headers."""

    def fold(self, name: str, value: Any) -> str:
        if name.lower() in FOLDED_AT_SPACES:
            return fold_subject(str(value), linesep=self.linesep, name=name)
        return str(super().fold(name, value))

    def fold_binary(self, name: str, value: Any) -> bytes:
        if name.lower() in FOLDED_AT_SPACES:
            return fold_subject(str(value), linesep=self.linesep, name=name).encode("ascii")
        return bytes(super().fold_binary(name, value))
