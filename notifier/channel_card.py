"""One alert as a chat card (title, explanation, facts, lines, link), from the view its email renders."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from notifier.formatting import format_date, format_hts, format_percent, format_usd
from notifier.links import SOURCE_LINK_HOSTS, safe_link
from notifier.summary import alert_summary, product_summary

MAX_EXPLANATION_LINES = 10  # event lines in the explanation (a notice about many cases lists the first)


@dataclass(frozen=True)
class Card:
    """What Slack and Teams show: each renderer lays it out and applies its own size limits."""

    title: str
    explanation: str
    facts: tuple[tuple[str, str], ...]  # label, value: case, rate, deadline, exposure
    lines: tuple[str, ...]  # one per product (or deadline, or event in a digest)
    left_out: int  # lines the alert did not list (an alert lists at most 25 products of many)
    noun: str  # what a line is: "product", "deadline", "event"
    link: str  # an https link on a source's host, or ''
    link_label: str


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _case_fact(cases: Sequence[Mapping[str, Any]]) -> str:
    if not cases:
        return ""
    first = cases[0]
    numbers = ", ".join(f"{c['case_number']} ({c['case_type']})" for c in cases)
    return f"{numbers}: {first.get('product', '')}, {first.get('country_name', '')}"


def _deadline_fact(deadlines: Sequence[Mapping[str, Any]]) -> str:
    if not deadlines:
        return ""
    first = sorted(deadlines, key=lambda d: str(d["due"]))[0]
    more = f" (+{len(deadlines) - 1} more)" if len(deadlines) > 1 else ""
    return f"{first['label']}: due {format_date(first['due'])}{more}"


def _rate_facts(products: Sequence[Mapping[str, Any]]) -> tuple[tuple[str, str], ...]:
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


def product_line(product: Mapping[str, Any]) -> str:
    """SKU, description, HTS and origin, then why it matched and the deposit that applies."""
    head = f'{product["sku"]} "{product.get("description", "")}", HTS {format_hts(product["hts"])}'
    head += f", origin {product.get('country', '')}"
    matches = product.get("matches") or ()
    if not matches:  # a reminder lists the products a deadline reaches, without rates
        standing = f"; match {product['standing']}" if "standing" in product else ""
        return f"{head}{standing}"
    why = "; ".join(
        f"{m['case_number']} {m['standing']} ({m['confidence']}) at {format_percent(m['rate'])}"
        for m in matches
    )
    summary = product_summary(product)
    total = f"; total {format_percent(summary['rate'])}" if len(matches) > 1 else ""
    return f"{head}: {why}{total}; exposure {format_usd(summary['exposure'])}"


def _alert_card(title: str, view: Mapping[str, Any], link_hosts: frozenset[str]) -> Card:
    events = list(view.get("events") or ())
    said = [f"{e['case_number']}: {e['summary']}" for e in events[:MAX_EXPLANATION_LINES]]
    if len(events) > MAX_EXPLANATION_LINES:
        said.append(f"and {len(events) - MAX_EXPLANATION_LINES} more")
    notice = view.get("notice") or {}
    cited = " · ".join(
        x for x in (notice.get("citation"), f"FR Doc {notice.get('document_number', '')}") if x
    )
    explanation = "\n".join([notice.get("title", ""), cited, "", *said]).strip()
    products = list(view.get("products") or ())
    facts = [("Case", _case_fact(view.get("cases") or ())), *_rate_facts(products)]
    facts.append(("Deadline", _deadline_fact(view.get("deadlines") or ())))
    count = int(view.get("product_count") or len(products))
    return Card(
        title=title,
        explanation=explanation,
        facts=tuple((k, v) for k, v in facts if v),
        lines=tuple(product_line(p) for p in products),
        left_out=max(count - len(products), 0),
        noun="product",
        link=safe_link(str(notice.get("html_url", "")), link_hosts),
        link_label="Read the notice",
    )


def _reminder_card(title: str, view: Mapping[str, Any], link_hosts: frozenset[str]) -> Card:
    deadline = view["deadline"]
    explanation = f'"{deadline["sentence"]}"\n\n{deadline["advice"]}'
    days = int(deadline["business_days_left"])
    left = "today" if days == 0 else f"in {_plural(days, 'business day')}"
    facts = (
        ("Case", f"{deadline['case_number']}: {deadline['case_product']}, {deadline['country_name']}"),
        ("Deadline", f"{deadline['label']}: due {format_date(deadline['due'])} ({left})"),
        ("Rule", str(deadline.get("citation") or "")),
    )
    return Card(
        title=title,
        explanation=explanation,
        facts=tuple((k, v) for k, v in facts if v),
        lines=tuple(product_line(p) for p in deadline.get("products") or ()),
        left_out=0,
        noun="product",
        link=safe_link(str(deadline.get("notice_url", "")), link_hosts),
        link_label="Read the notice",
    )


def _deadline_line(deadline: Mapping[str, Any]) -> str:
    case = f"{deadline['case_number']} {deadline['case_product']}"
    return f"{format_date(deadline['due'])}: {deadline['label']} ({case})"


def _digest_card(title: str, view: Mapping[str, Any]) -> Card:
    events = list(view.get("events") or ())
    deadlines = list(view.get("deadlines") or ())
    total = view.get("total_exposure") or {}
    unknown = int(total.get("unknown_rate_products") or 0)
    exposure = format_usd(total.get("known")) + (
        f" known; {_plural(unknown, 'product')} with unknown rate" if unknown else ""
    )
    facts = (
        ("Events", f"{len(events)} ({view.get('high_events', 0)} high)"),
        ("Deadlines", f"{len(deadlines)} in the next {view.get('deadline_days', 30)} days"),
        ("Exposure", f"{exposure} a year (estimate)"),
    )
    lines = [f"{e['case_number']}: {e['summary']}" for e in events]
    lines += [_deadline_line(d) for d in deadlines]
    return Card(
        title=title,
        explanation=f"{view.get('importer', '')}: the week's AD/CVD events and the deadlines ahead.",
        facts=facts,
        lines=tuple(lines),
        left_out=0,
        noun="line",
        link="",
        link_label="",
    )


def _baseline_card(title: str, view: Mapping[str, Any]) -> Card:
    products = list(view.get("products") or ())
    cases = list(view.get("cases") or ())
    facts = (("Cases", ", ".join(c["case_number"] for c in cases)), *_rate_facts(products))
    facts += (("Deadline", _deadline_fact(view.get("deadlines") or ())),)
    return Card(
        title=title,
        explanation=(
            f"What already reaches {view.get('importer', '')}'s products today; "
            "from now on only what changes is announced."
        ),
        facts=tuple((k, v) for k, v in facts if v),
        lines=tuple(product_line(p) for p in products),
        left_out=max(int((view.get("products_csv") or {}).get("rows") or 0) - len(products), 0),
        noun="product",
        link="",
        link_label="",
    )


def card_for(
    template: str, view: Mapping[str, Any], *, title: str, link_hosts: frozenset[str] = SOURCE_LINK_HOSTS
) -> Card:
    """The card of an alert whose email is `template` (alert_*, reminder, digest, baseline, operator)."""
    if template.startswith("alert"):
        return _alert_card(title, view, link_hosts)
    if template == "reminder":
        return _reminder_card(title, view, link_hosts)
    if template == "digest":
        return _digest_card(title, view)
    if template == "baseline":
        return _baseline_card(title, view)
    lines = tuple(str(line) for line in view.get("lines") or ())
    return Card(title, "\n".join(lines), (), (), 0, "line", "", "")
