"""Build worker/data/seed_catalog.json from the real case lists kept in scripts/seed_sources/.

Run: .venv/bin/python scripts/build_seed_catalog.py
Sources (each with its .source.txt beside it): the ITA ACCESS case list, the USITC orders-in-place
list, the ITC-style orders list, the ITA ADCVD Orders API sample (HTS lists) and the WTO I-TIP
list of US anti-dumping measures (HS codes, no case numbers: matched to cases here).
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import sys
from collections import defaultdict
from datetime import date, datetime
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from worker.rules.countries import (  # noqa: E402
    case_type_of,
    country_name,
    country_of_case,
    normalize_case_number,
    normalize_country,
)
from worker.rules.hts import normalize_hts  # noqa: E402

SOURCES = ROOT / "scripts" / "seed_sources"
OUT = ROOT / "worker" / "data" / "seed_catalog.json"
TEST_CODES = {"000", "022", "111", "123"}

ACCESS = "ita_access_case_list_2020.csv"
ITC_STYLE = "us_adcvd_orders_list_itc_style_2020.csv"
USITC = "usitc_adcvd_orders_in_place_edis.csv"
WTO = "wto_itip_us_antidumping_measures_hs.csv"
ITA_API = "ita_adcvd_orders_api_search_paper_2019.json"

# ACCESS has no dates; its .source.txt says the data was gathered about September 2020. The
# first of that month is used so the seed never claims to be newer than it is.
ACCESS_AS_OF = date(2020, 9, 1)
WTO_AS_OF = date(2020, 9, 10)  # the I-TIP export date named in its .source.txt


def parse_date(text: str) -> date | None:
    text = text.strip().split(" ")[0]
    for fmt in ("%Y/%m/%d", "%m/%d/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def case_number_or_none(raw: str) -> str | None:
    try:
        number = normalize_case_number(raw.replace("--", "-"))
    except ValueError:
        return None
    return None if number.split("-")[1] in TEST_CODES else number


def country_or_none(raw: str) -> str | None:
    try:
        return normalize_country(re.sub(r"\s*\(.*\)\s*$", "", raw))
    except ValueError:
        return None


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_access() -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    with (SOURCES / ACCESS).open(encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            number = case_number_or_none(row["Case Number"])
            title = row["Case Title"].strip()
            if number is None or " From " not in title:
                continue
            product, country = title.rsplit(" From ", 1)
            out[number] = {"product": product.strip(), "country": country_or_none(country)}
    return out


def read_order_list(name: str, number_col: str, date_col: str) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    with (SOURCES / name).open(encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            number = case_number_or_none(row[number_col])
            if number is None:
                continue
            country_text = (row["Country"] or "").strip() or (row.get("Column2") or "").strip()
            out[number] = {
                "product": re.sub(r"\s+", " ", row["Product"]).strip(),
                "country": country_or_none(country_text),
                "order_date": parse_date(row[date_col]),
                "active": (row.get("active") or "1").strip() != "0",
                "group": (
                    row.get("ReviewSequenceGroupNo") or row.get("Review Sequence Group No.") or ""
                ).strip(),
            }
    return out


def list_as_of(name: str) -> date:
    """The newest date any row of a list carries: the list is at least that recent."""
    newest = date.min
    with (SOURCES / name).open(encoding="utf-8-sig") as f:
        for row in csv.reader(f):
            for cell in row:
                found = parse_date(cell)
                if found is not None and found <= date(2021, 12, 31):
                    newest = max(newest, found)
    return newest


def merge_cases(
    access: dict[str, dict[str, Any]],
    itc_style: dict[str, dict[str, Any]],
    usitc: dict[str, dict[str, Any]],
    as_of: dict[str, date],
) -> dict[str, dict[str, Any]]:
    cases: dict[str, dict[str, Any]] = {}
    for number in sorted(set(access) | set(itc_style) | set(usitc)):
        a, s, u = access.get(number), itc_style.get(number), usitc.get(number)
        # The hand-kept order lists have shifted rows (A-570-024 'Oman'): ACCESS titles, then the
        # case number's own country code, then the lists.
        country = (a or {}).get("country") or country_of_case(number)
        country = country or (u or {}).get("country") or (s or {}).get("country")
        if country is None:
            continue
        product = (a or {}).get("product") or (u or {}).get("product") or (s or {}).get("product")
        if u is not None:
            status, source = "order", USITC
        elif s is not None:
            status, source = ("order" if s["active"] else "revoked"), ITC_STYLE
        else:
            status, source = "unknown", ACCESS
        sources = [name for name, row in ((USITC, u), (ITC_STYLE, s), (ACCESS, a)) if row]
        order_date = (u or {}).get("order_date") or (s or {}).get("order_date")
        cases[number] = {
            "case_number": number,
            "case_type": case_type_of(number),
            "country": country,
            "country_name": country_name(country),
            "product": product or "",
            "status": status,
            "order_date": order_date.isoformat() if order_date else None,
            "source": "+".join(n.removesuffix(".csv") for n in sources),
            "as_of": as_of[source].isoformat(),
            "_group": (s or u or {}).get("group", ""),
        }
    return cases


def split_partners(text: str) -> list[str]:
    """'China, Korea, Republic of' -> ['CN', 'KR'] (WTO names contain commas themselves)."""
    parts = [p.strip() for p in text.split(",")]
    out: list[str] = []
    i = 0
    while i < len(parts):
        for width in (3, 2, 1):
            iso = country_or_none(", ".join(parts[i : i + width]))
            if iso is not None:
                out.append(iso)
                i += width
                break
        else:
            i += 1
    return out


def product_key(text: str) -> str:
    text = re.sub(r"\b(certain|the|from|of|and|products?)\b", " ", text.lower())
    return " ".join(sorted(re.sub(r"[^a-z0-9]+", " ", text).split()))


def match_wto(cases: dict[str, dict[str, Any]]) -> tuple[list[dict[str, Any]], list[str]]:
    """Attach WTO measures to AD case numbers: same country, and the order date or the name."""
    by_country: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for case in cases.values():
        if case["case_type"] == "AD":
            by_country[case["country"]].append(case)
    links: list[dict[str, Any]] = []
    unmatched: list[str] = []
    with (SOURCES / WTO).open(encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            codes = sorted({normalize_hts(c) for c in row["HS"].split(",") if c.strip()})
            in_force = parse_date(row["In force"])
            product = row["Product description"].strip()
            for iso in split_partners(row["Partner affected"]):
                scored = []
                for case in by_country.get(iso, []):
                    name_score = fuzz.token_sort_ratio(product_key(product), product_key(case["product"]))
                    order_date = date.fromisoformat(case["order_date"]) if case["order_date"] else None
                    # In-force dates are often the order's publication, days after the order date.
                    near = (
                        in_force is not None
                        and order_date is not None
                        and abs((in_force - order_date).days) <= 15
                    )
                    undated = in_force is None or order_date is None
                    scored.append((near, name_score, undated, case["case_number"]))
                scored.sort(reverse=True)
                best = scored[0] if scored else None
                runner = scored[1] if len(scored) > 1 else None
                by_date = best is not None and best[0] and best[1] >= 60
                by_name = (
                    best is not None
                    and not best[0]
                    and best[2]
                    and best[1] >= 95
                    and (runner is None or runner[1] < best[1])
                )
                if codes and best is not None and (by_date or by_name):
                    method = "order date and product name" if by_date else "product name"
                    links.append(
                        {
                            "case_number": best[3],
                            "codes": codes,
                            "method": method,
                            "wto_product": product,
                            "name_score": best[1],
                        }
                    )
                else:
                    unmatched.append(f"{iso} {product} (in force {in_force})")
    return links, unmatched


def build() -> dict[str, Any]:
    as_of = {USITC: list_as_of(USITC), ITC_STYLE: list_as_of(ITC_STYLE), ACCESS: ACCESS_AS_OF}
    access = read_access()
    itc_style = read_order_list(ITC_STYLE, "DOCNo", "Orderdate")
    usitc = read_order_list(USITC, "DOC case No.", "Order date")
    cases = merge_cases(access, itc_style, usitc, as_of)

    hts: dict[str, dict[str, Any]] = {}
    api = json.loads((SOURCES / ITA_API).read_text(encoding="utf-8"))
    api_as_of = api["sources_used"][0]["source_last_updated"][:10]
    for result in api["results"]:
        number = normalize_case_number(result["case_number"])
        if number in cases:
            hts[number] = {
                "case_number": number,
                "source": ITA_API.removesuffix(".json"),
                "as_of": api_as_of,
                "method": "listed in the ITA ADCVD Orders API",
                "codes": sorted(normalize_hts(c) for c in result["hts_numbers"]),
            }

    links, unmatched = match_wto(cases)
    for link in links:
        entry = hts.setdefault(
            link["case_number"],
            {
                "case_number": link["case_number"],
                "source": WTO.removesuffix(".csv"),
                "as_of": WTO_AS_OF.isoformat(),
                "codes": [],
                "method": f"WTO measure '{link['wto_product']}' matched by {link['method']}",
            },
        )
        if entry["source"] == WTO.removesuffix(".csv"):
            entry["codes"] = sorted(set(entry["codes"]) | set(link["codes"]))

    # A CVD case inherits the HTS list of its companion AD case: same country, same product
    # name and same order date (the two orders of one petition share one scope).
    companions = 0
    for number, case in cases.items():
        if case["case_type"] != "CVD" or number in hts or not case["order_date"]:
            continue
        for other in cases.values():
            if (
                other["case_type"] == "AD"
                and other["country"] == case["country"]
                and other["order_date"] == case["order_date"]
                and product_key(other["product"]) == product_key(case["product"])
                and other["case_number"] in hts
            ):
                ad = hts[other["case_number"]]
                hts[number] = {
                    "case_number": number,
                    "source": ad["source"],
                    "as_of": ad["as_of"],
                    "codes": ad["codes"],
                    "method": f"HTS list of companion AD case {other['case_number']}"
                    " (same country, product and order date)",
                }
                companions += 1
                break

    for case in cases.values():
        case.pop("_group")
    source_files = [ACCESS, USITC, ITC_STYLE, ITA_API, WTO]
    return {
        "provenance": {
            "built_by": "scripts/build_seed_catalog.py",
            "sources": [
                {
                    "file": f"scripts/seed_sources/{name}",
                    "sha256": sha256(SOURCES / name),
                    "about": (SOURCES / f"{name}.source.txt").read_text(encoding="utf-8").split("\n")[0],
                }
                for name in source_files
            ],
            "as_of": {name: d.isoformat() for name, d in as_of.items()}
            | {ITA_API: api_as_of, WTO: WTO_AS_OF.isoformat()},
            "counts": {
                "cases": len(cases),
                "cases_with_hts": len(hts),
                "hts_codes": sum(len(h["codes"]) for h in hts.values()),
                "wto_measures_matched": len(links),
                "wto_measures_unmatched": len(unmatched),
                "cvd_lists_from_companion_ad": companions,
            },
            "limits": [
                "No rates: none of the sources carries company or country-wide rates.",
                "HTS lists only from the ITA API sample (10 paper cases) and the WTO I-TIP list "
                "(AD measures, HS 4-10 digits, matched to case numbers by country, in-force date "
                "and product name); CVD cases only through their companion AD case.",
                "Status: 'order' when on the USITC in-place list or active in the ITC-style list, "
                "'revoked' when inactive there, 'unknown' for ACCESS-only cases; all as of 2020.",
                "HTS lists are advisory; the written scope of each order governs.",
            ],
        },
        "cases": sorted(cases.values(), key=lambda c: c["case_number"]),
        "hts": sorted(hts.values(), key=lambda h: h["case_number"]),
        "wto_unmatched": sorted(set(unmatched)),
    }


def main() -> int:
    catalog = build()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(catalog, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(catalog["provenance"]["counts"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
