"""When entries decided by final results liquidate: CBP instructions, appeals, deemed liquidation (1504(d)).

Commerce's final results state that it intends to issue assessment instructions to CBP no earlier
than 35 days after publication (the time for a summons to the Court of International Trade, 28
U.S.C. 2636(c), and for an injunction); an appeal keeps liquidation suspended until the court's
decision is final (19 U.S.C. 1516a(c)(2), (e)). Once the suspension is lifted, CBP must liquidate
within six months of receiving notice of it, or the entry is deemed liquidated at the rate asserted
at entry, i.e. the deposit (19 U.S.C. 1504(d)); publication of unappealed final results is notice
to CBP (International Trading Co. v. United States, 281 F.3d 1268 (Fed. Cir. 2002); again
412 F.3d 1303 (Fed. Cir. 2005)).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

WINDOW_KINDS = ("instructions", "liquidation", "deemed_liquidation", "suspended_by_appeal")
INSTRUCTIONS_AFTER_DAYS = 35  # "no earlier than 35 days after the date of publication of the final results"
INSTRUCTIONS_WITHIN_DAYS = 90  # the injunction window those notices name; instructions usually follow by then
DEEMED_LIQUIDATION_MONTHS = 6  # 19 U.S.C. 1504(d)

RULE_INSTRUCTIONS = (
    "final results: Commerce issues assessment instructions to CBP no earlier than 35 days after "
    "publication; with a timely summons, CBP may not liquidate until the injunction window (90 days) ends"
)
RULE_LIQUIDATION = (
    "CBP liquidates after the instructions and at the latest within six months of notice that the "
    "suspension is lifted (19 U.S.C. 1504(d))"
)
RULE_DEEMED = (
    "19 U.S.C. 1504(d): not liquidated within six months of CBP's notice that the suspension is lifted, "
    "the entry is deemed liquidated at the rate asserted at entry (the deposit)"
)
RULE_NOTICE_PUBLICATION = (
    "CBP's notice taken as the publication of the final results "
    "(International Trading Co. v. United States, 281 F.3d 1268 (Fed. Cir. 2002))"
)
RULE_APPEAL = (
    "appealed to the Court of International Trade: liquidation stays suspended until the court's "
    "decision is final and its notice published (19 U.S.C. 1516a(c)(2), (e))"
)
RULE_INTEREST_UNTIL = "interest projected to the deemed-liquidation deadline: an upper bound"
RULE_AUTOMATIC = (
    "19 CFR 351.212(c): no review requested in the anniversary month, so Commerce instructs CBP, without "
    "further notice, to assess at the deposit rate at entry; the date of those instructions is not published"
)


@dataclass(frozen=True)
class DatedWindow:
    """A dated span with its rule: earliest..latest (inclusive); latest is a deadline when set."""

    kind: str  # one of WINDOW_KINDS
    earliest: date | None
    latest: date | None
    rule: str


@dataclass(frozen=True)
class LiquidationOutlook:
    """The expected windows after final results and the date interest is projected to."""

    windows: tuple[DatedWindow, ...]
    suspended: bool  # True while an appeal keeps liquidation suspended with no end date known
    interest_until: date | None  # the last day CBP can liquidate before deemed liquidation
    rule: str

    def window(self, kind: str) -> DatedWindow | None:
        return next((w for w in self.windows if w.kind == kind), None)


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's last day (Aug 31 + 6 -> Feb 28/29)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def liquidation_outlook(
    results_published: date,
    *,
    appealed: bool = False,
    court_decision_published: date | None = None,
    cbp_notice_date: date | None = None,
) -> LiquidationOutlook:
    """Windows for entries decided by final results (or a rescission) published on results_published.

    Not appealed: instructions from results_published + 35 days (within ~90); liquidation from
    then until the deemed-liquidation deadline, six months after CBP's notice (cbp_notice_date when
    known, else the publication, per International Trading Co.). Appealed: suspended with no date
    until court_decision_published (the notice of the final court decision, 19 U.S.C. 1516a(e)),
    after which the same windows run from that notice. interest_until is the deemed-liquidation
    deadline: the latest liquidation date, so projected interest is an upper bound.
    """
    if court_decision_published is not None and court_decision_published < results_published:
        raise ValueError("the court decision's notice cannot precede the final results it decides on")
    if appealed and court_decision_published is None:
        window = DatedWindow("suspended_by_appeal", results_published, None, RULE_APPEAL)
        return LiquidationOutlook(windows=(window,), suspended=True, interest_until=None, rule=RULE_APPEAL)
    lifted = court_decision_published if appealed and court_decision_published else results_published
    notice = cbp_notice_date or lifted
    notice_rule = (
        "CBP's notice of the lifted suspension given" if cbp_notice_date else RULE_NOTICE_PUBLICATION
    )
    if appealed:
        notice_rule = f"{RULE_APPEAL}; {notice_rule if cbp_notice_date else 'notice: the court decision'}"
    instructions = DatedWindow(
        "instructions",
        lifted + timedelta(days=INSTRUCTIONS_AFTER_DAYS),
        lifted + timedelta(days=INSTRUCTIONS_WITHIN_DAYS),
        RULE_INSTRUCTIONS,
    )
    deadline = add_months(notice, DEEMED_LIQUIDATION_MONTHS)
    liquidation = DatedWindow("liquidation", instructions.earliest, deadline, RULE_LIQUIDATION)
    deemed = DatedWindow("deemed_liquidation", deadline, deadline, f"{RULE_DEEMED}; {notice_rule}")
    return LiquidationOutlook(
        windows=(instructions, liquidation, deemed),
        suspended=False,
        interest_until=deadline,
        rule=f"{RULE_LIQUIDATION}; {RULE_INTEREST_UNTIL}",
    )


def automatic_assessment_outlook(
    anniversary_month_end: date, *, cbp_notice_date: date | None = None
) -> LiquidationOutlook:
    """Windows for a period no one asked to review: instructions after the anniversary month ends.

    The deemed-liquidation deadline is six months after CBP receives the instructions
    (19 U.S.C. 1504(d)); without that date (Commerce does not publish it) there is none.
    """
    instructions = DatedWindow(
        "instructions", anniversary_month_end + timedelta(days=1), None, RULE_AUTOMATIC
    )
    if cbp_notice_date is None:
        return LiquidationOutlook(
            windows=(instructions,), suspended=False, interest_until=None, rule=RULE_AUTOMATIC
        )
    deadline = add_months(cbp_notice_date, DEEMED_LIQUIDATION_MONTHS)
    liquidation = DatedWindow("liquidation", instructions.earliest, deadline, RULE_LIQUIDATION)
    deemed = DatedWindow("deemed_liquidation", deadline, deadline, RULE_DEEMED)
    return LiquidationOutlook(
        windows=(instructions, liquidation, deemed),
        suspended=False,
        interest_until=deadline,
        rule=f"{RULE_AUTOMATIC}; {RULE_LIQUIDATION}",
    )
