"""One alert as a chat card (title, explanation, facts, lines, link), from the view its email renders."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from notifier.entry_views import EntryAssessmentView, EntryRowView
from notifier.formatting import format_date, format_hts, format_percent, format_usd, format_usd_cents
from notifier.links import SOURCE_LINK_HOSTS, safe_link
from notifier.message_views import MessageView
from notifier.report_views import (
    BaselineView,
    DeadlineItemView,
    DeadlineProductView,
    DigestView,
    OperatorView,
    ReminderView,
)
from notifier.summary import alert_summary, product_summary
from notifier.views import AlertView, CaseView, DeadlineView, ProductView

MAX_EXPLANATION_LINES = 10  # event lines in the explanation (a notice about many cases lists the first)


@dataclass(frozen=True)
class Card:
    """What Slack and Teams show: each renderer lays it out and applies its own size limits."""

    title: str
    explanation: str
    facts: tuple[tuple[str, str], ...]  # label, value: case, rate, deadline, exposure
    lines: tuple[str, ...]  # one per product (or deadline, or event in a digest)
    left_out: int  # lines the alert did not list (an alert lists at most 25 products of many)
    noun: str  # what a line is: "product" or "line"
    link: str  # an https link on a source's host, or ''
    link_label: str

    def more_note(self, unplaced: int) -> str:
        """'and N more products' for the lines a renderer had no room for plus those left out; '' if none."""
        more = unplaced + self.left_out
        return f"and {_plural(more, 'more ' + self.noun)}" if more else ""


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _kept(facts: Sequence[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    return tuple((label, value) for label, value in facts if value)


def _case_fact(cases: Sequence[CaseView]) -> str:
    if not cases:
        return ""
    numbers = ", ".join(f"{c['case_number']} ({c['case_type']})" for c in cases)
    return f"{numbers}: {cases[0]['product']}, {cases[0]['country_name']}"


def _deadline_fact(deadlines: Sequence[DeadlineView]) -> str:
    if not deadlines:
        return ""
    first = min(deadlines, key=lambda d: d["due"])
    more = f" (+{len(deadlines) - 1} more)" if len(deadlines) > 1 else ""
    return f"{first['label']}: due {format_date(first['due'])}{more}"


def _rate_facts(products: Sequence[ProductView]) -> tuple[tuple[str, str], ...]:
    summary = alert_summary(products)
    rows = summary["products"]
    if not rows:
        return ()
    rates = "; ".join(
        f"{row['sku']}: {format_percent(row['rate'])}{' (AD + CVD)' if row['stacked'] else ''}"
        for row in rows[:3]
    )
    if len(rows) > 3:
        rates += f"; and {len(rows) - 3} more"
    if summary["exposure"] is not None:
        exposure = f"{format_usd(summary['exposure'])} a year (estimate)"
    else:
        exposure = f"{format_usd(summary['known_exposure'])} known; {summary['unknown_exposure']} unknown"
    return (("Deposit rate", rates), ("Exposure", exposure))


def product_line(product: ProductView) -> str:
    """SKU, description, HTS and origin, then why each case reaches it, its deposit and the exposure."""
    head = f'{product["sku"]} "{product["description"]}", HTS {format_hts(product["hts"])}'
    head += f", origin {product['country']}"
    matches = product["matches"]
    why = "; ".join(
        f"{m['case_number']} {m['standing']} ({m['confidence']}) at {format_percent(m['rate'])}"
        for m in matches
    )
    summary = product_summary(product)
    total = f"; total {format_percent(summary['rate'])}" if len(matches) > 1 else ""
    return f"{head}: {why}{total}; exposure {format_usd(summary['exposure'])}"


def deadline_product_line(product: DeadlineProductView) -> str:
    """A product a deadline concerns, and how sure the match is (a reminder carries no rates)."""
    head = f'{product["sku"]} "{product["description"]}", HTS {format_hts(product["hts"])}'
    return f"{head}, origin {product['country']}; match {product['standing']} ({product['confidence']})"


def _alert_card(title: str, view: AlertView, link_hosts: frozenset[str]) -> Card:
    events = view["events"]
    said = [f"{e['case_number']}: {e['summary']}" for e in events[:MAX_EXPLANATION_LINES]]
    if len(events) > MAX_EXPLANATION_LINES:
        said.append(f"and {len(events) - MAX_EXPLANATION_LINES} more")
    notice = view["notice"]
    cited = " · ".join(x for x in (notice["citation"], f"FR Doc {notice['document_number']}") if x)
    explanation = "\n".join([notice["title"], cited, "", *said]).strip()
    products = view["products"]
    facts = [("Case", _case_fact(view["cases"])), *_rate_facts(products)]
    facts.append(("Deadline", _deadline_fact(view["deadlines"])))
    return Card(
        title=title,
        explanation=explanation,
        facts=_kept(facts),
        lines=tuple(product_line(p) for p in products),
        left_out=max(view["product_count"] - len(products), 0),
        noun="product",
        link=safe_link(notice["html_url"], link_hosts),
        link_label="Read the notice",
    )


def _reminder_card(title: str, view: ReminderView, link_hosts: frozenset[str]) -> Card:
    deadline = view["deadline"]
    days = deadline["business_days_left"]
    left = "today" if days == 0 else f"in {_plural(days, 'business day')}"
    facts = (
        ("Case", f"{deadline['case_number']}: {deadline['case_product']}, {deadline['country_name']}"),
        ("Deadline", f"{deadline['label']}: due {format_date(deadline['due'])} ({left})"),
        ("Rule", deadline["citation"]),
    )
    return Card(
        title=title,
        explanation=f'"{deadline["sentence"]}"\n\n{deadline["advice"]}',
        facts=_kept(facts),
        lines=tuple(deadline_product_line(p) for p in deadline["products"]),
        left_out=0,
        noun="product",
        link=safe_link(deadline["notice_url"], link_hosts),
        link_label="Read the notice",
    )


def _deadline_line(deadline: DeadlineItemView) -> str:
    case = f"{deadline['case_number']} {deadline['case_product']}"
    return f"{format_date(deadline['due'])}: {deadline['label']} ({case})"


def _digest_card(title: str, view: DigestView) -> Card:
    events = view["events"]
    deadlines = view["deadlines"]
    total = view["total_exposure"]
    unknown = total["unknown_rate_products"]
    exposure = format_usd(total["known"])
    if unknown:
        exposure += f" known; {_plural(unknown, 'product')} with unknown rate"
    facts = (
        ("Events", f"{len(events)} ({view['high_events']} high)"),
        ("Deadlines", f"{len(deadlines)} in the next {view['deadline_days']} days"),
        ("Exposure", f"{exposure} a year (estimate)"),
    )
    lines = [f"{e['case_number']}: {e['summary']}" for e in events]
    lines += [_deadline_line(d) for d in deadlines]
    return Card(
        title=title,
        explanation=f"{view['importer']}: the week's AD/CVD events and the deadlines ahead.",
        facts=facts,
        lines=tuple(lines),
        left_out=0,
        noun="line",
        link="",
        link_label="",
    )


def _baseline_card(title: str, view: BaselineView) -> Card:
    products = view["products"]
    facts = [("Cases", ", ".join(c["case_number"] for c in view["cases"])), *_rate_facts(products)]
    facts.append(("Deadline", _deadline_fact(view["deadlines"])))
    reached = view.get("reached_count", len(products))
    return Card(
        title=title,
        explanation=(
            f"What already reaches {view['importer']}'s products today; from now on only what changes "
            "is announced."
        ),
        facts=_kept(facts),
        lines=tuple(product_line(p) for p in products),
        left_out=max(reached - len(products), 0),
        noun="product",
        link="",
        link_label="",
    )


def entry_line(entry: EntryRowView) -> str:
    cents = format_usd_cents
    return (
        f"{entry['entry_number']} of {entry['entry_date']}, {entry['company'] or entry['sku']}: deposit "
        f"{cents(entry['deposit_paid'])}, assessed {entry['rate']}% ({entry['rate_which']}) = "
        f"{cents(entry['assessed_duty'])}; difference {cents(entry['difference'])}, interest "
        f"{cents(entry['interest'])}, total {cents(entry['total'])}"
        + (f" ({entry['order_dates']})" if entry["order_dates"] else "")
    )


def _net_fact(view: EntryAssessmentView) -> str:
    totals = view["totals"]
    if totals["direction"] == "owed":
        said = f"{format_usd_cents(totals['net'])} more duty with interest"
    elif totals["direction"] == "refund":
        said = f"{format_usd_cents(totals['net']).lstrip('-')} refund with interest"
    else:
        said = "no change"
    return said + (f" (through {view['interest_through']})" if view["interest_through"] else "")


def _entry_card(title: str, view: EntryAssessmentView, link_hosts: frozenset[str]) -> Card:
    notice = view["notice"]
    cited = " · ".join(x for x in (notice["citation"], f"FR Doc {notice['document_number']}") if x)
    period = (
        f"period of review {view['period_start'] or 'not stated'} to {view['period_end'] or 'not stated'}"
    )
    projection = "PROJECTION from preliminary results, not an assessment." if view["projection"] else ""
    explanation = "\n".join(x for x in (projection, notice["title"], cited, period) if x)
    windows = [w for w in view["windows"] if w["latest"]]
    facts = [("Case", view["case_number"]), ("Net", _net_fact(view))]
    if windows:
        facts.append(("Liquidation", f"{windows[-1]['label']}: by {windows[-1]['latest']}"))
    return Card(
        title=title,
        explanation=explanation,
        facts=_kept(facts),
        lines=tuple(entry_line(e) for e in view["entries"]),
        left_out=max(view["entry_count"] - len(view["entries"]), 0),
        noun="entry line",
        link=safe_link(notice["html_url"], link_hosts),
        link_label="Read the notice",
    )


def card_for(view: MessageView, *, title: str, link_hosts: frozenset[str] = SOURCE_LINK_HOSTS) -> Card:
    """The card of an alert by its template: alert_* (event kinds), reminder, digest, baseline,
    entry_assessment, operator."""
    template = view["template"]
    if template.startswith("alert"):
        return _alert_card(title, cast(AlertView, view), link_hosts)
    if template == "reminder":
        return _reminder_card(title, cast(ReminderView, view), link_hosts)
    if template == "digest":
        return _digest_card(title, cast(DigestView, view))
    if template == "baseline":
        return _baseline_card(title, cast(BaselineView, view))
    if template == "entry_assessment":
        return _entry_card(title, cast(EntryAssessmentView, view), link_hosts)
    operator = cast(OperatorView, view)
    return Card(title, "\n".join(operator["lines"]), (), (), 0, "line", "", "")
