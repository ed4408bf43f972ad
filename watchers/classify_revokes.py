"""What a notice does to an order (revokes none, in part or in full), and the wordings that revoke nothing."""

from __future__ import annotations

import re

from watchers.records import Revokes

# Revocation words that revoke nothing: an intent or a consideration (not yet), a determination or
# intent NOT to revoke (a refusal), a request for revocation (the monthly initiation notices' "and
# Requests for Revocation in Part"), and a sunset finding that revocation "would be likely" to lead to
# dumping. Text must be normalised (watchers.classify_rules.normalise).
NOT_REVOKING = re.compile(
    r"(?:preliminary )?intent(?:ion)? to revoke[^;]*|consideration of (?:the )?revocation[^;]*"
    r"|revocation of (?:the )?[^;]*?would (?:not )?(?:be )?likely[^;]*"
    r"|\b(?:determination|decision|intent(?:ion)?|notice of intent)s? not to revoke[^;]*|\bnot to revoke[^;]*"
    r"|\brequests? (?:for|to) (?:the )?revo\w*[^;]*|\brequested (?:the )?revocation[^;]*"
    r"|\bintends? to revoke[^.;]*|\b(?:whether|if) to revoke[^.;]*"
)

# A regulation about revocation (or any) procedure is a rule, not a notice that revokes: the FR API's
# document type says so, and without it the title does ("Modification to Regulation Concerning the
# Revocation of ...", "Procedures for Conducting Five-year (Sunset) Reviews ...", "Rules of Practice").
RULE_DOCUMENT_TYPES = frozenset({"rule", "proposed rule"})
RULEMAKING_TITLE = re.compile(
    r"\bregulations?\b|^procedures for\b|^rules of\b|\brules of (?:practice|general application)\b"
    r"|^(?:antidumping|countervailing) duties; (?:antidumping|countervailing) duties\b"
    r"|\bproposed rule\b|\binterim final rule\b"
)


def is_rule(title_n: str, document_type: str | None) -> bool:
    """A rule or proposed rule: from the FR document type when given, else from the (normalised) title."""
    if document_type and document_type.strip().lower() in RULE_DOCUMENT_TYPES:
        return True
    return bool(RULEMAKING_TITLE.search(title_n))


def revocation_withheld(title_n: str, document_type: str | None = None) -> bool:
    """Whether a notice's revocation words revoke nothing: a rule, or only an intent, a consideration,
    a request or a refusal to revoke (normalised title). The catalog reads this besides `revokes`."""
    if is_rule(title_n, document_type):
        return True
    if not re.search(r"revo(?:c|k)", title_n):
        return False
    return not re.search(r"revo(?:c|k)", NOT_REVOKING.sub(" ", title_n))


def revokes_from(subject: str, summary: str) -> Revokes:
    """What the notice does to an order, from its title subject and any summary text (normalised).

    "Intent to revoke", "consideration of revocation", "not to revoke" and "requests for revocation"
    revoke nothing (docs/notice_kinds.md); a sunset finding that "revocation ... would be likely to
    lead to" dumping revokes nothing.
    """
    for text in (subject, summary):
        cleaned = NOT_REVOKING.sub(" ", text)
        if text is summary:
            # A summary counts only when it states the act ("should be revoked" is a proposal).
            m = re.search(
                r"\b(?:is|are) (?:hereby )?revok\w*[^.;]*|\bhereby revok\w*[^.;]*"
                r"|notice of (?:partial )?revocation[^.;]*",
                cleaned,
            )
        else:
            m = re.search(r"(?:partial )?revocations?\b[^;]*|\brevok\w*[^;]*", cleaned)
        if m:
            clause = m.group(0)
            if re.search(r"\bin part\b|\bpartial\b", clause) or re.search(r"partial revocation", cleaned):
                return Revokes.PARTIAL
            return Revokes.FULL
    return Revokes.NONE
