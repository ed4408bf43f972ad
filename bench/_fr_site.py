"""A constructed Federal Register for benches and tests: ITA notices served by a RecordedSite hook.

CONSTRUCTED, not recorded: search pages follow the documents.json envelope of the recorded
tests/fixtures/fr_api bodies (count, total_pages, next_page_url, results with the fields the watcher asks
for, `order=oldest`, the 10,000 count cap); each notice body is a small GPO-XML "Final Results of
Antidumping Duty Administrative Review" in the element names of tests/fixtures/fr_xml (DEPDOC, SUBJECT,
GPOTABLE with CHED/ROW/ENT, FRDOC, BILCOD), with invented products, companies and rates.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

from worker.app.recorded_site import Route

SEARCH_PATH = "/api/v1/documents.json"
XML_PREFIX = "/documents/full_text/xml/"
CANONICAL = "https://www.federalregister.gov"
COUNT_CAP = 10_000
ITA_AGENCIES = [
    {"raw_name": "DEPARTMENT OF COMMERCE", "name": "Commerce Department", "id": 54,
     "url": f"{CANONICAL}/agencies/commerce-department", "json_url": f"{CANONICAL}/api/v1/agencies/54",
     "parent_id": None, "slug": "commerce-department"},
    {"raw_name": "International Trade Administration", "name": "International Trade Administration",
     "id": 261, "url": f"{CANONICAL}/agencies/international-trade-administration",
     "json_url": f"{CANONICAL}/api/v1/agencies/261", "parent_id": 54,
     "slug": "international-trade-administration"},
]  # fmt: skip
COUNTRIES = [
    ("570", "the People's Republic of China"),
    ("552", "the Socialist Republic of Vietnam"),
    ("580", "the Republic of Korea"),
    ("533", "India"),
    ("489", "the Republic of Turkey"),
]
PRODUCTS = [
    "Steel Wire Garment Hangers",
    "Hydrofluorocarbon Blends",
    "Aluminum Wire and Cable",
    "Circular Welded Carbon Steel Pipes and Tubes",
    "Polyethylene Terephthalate Resin",
    "Wooden Bedroom Furniture",
    "Crystalline Silicon Photovoltaic Cells",
    "Steel Nails",
    "Multilayered Wood Flooring",
    "Chlorinated Isocyanurates",
]
HTS = [
    "7326.20.0020",
    "3824.78.0020",
    "8544.49.9000",
    "7306.30.5025",
    "3907.61.0000",
    "9403.50.9045",
    "8541.42.0010",
    "7317.00.5502",
    "4412.33.0620",
    "2933.69.6015",
]


@dataclass(frozen=True)
class ConstructedNotice:
    document_number: str
    publication_date: date
    title: str
    docket_ids: tuple[str, ...]
    xml: bytes
    abstract: str = ""

    @property
    def xml_path(self) -> str:
        return f"{XML_PREFIX}{self.publication_date:%Y/%m/%d}/{self.document_number}.xml"

    def search_result(self) -> dict[str, object]:
        d = self.publication_date
        return {
            "abstract": self.abstract or None, "action": "Notice.", "agencies": ITA_AGENCIES,
            "body_html_url": f"{CANONICAL}/documents/full_text/html/{d:%Y/%m/%d}/{self.document_number}.html",
            "citation": None, "dates": f"Applicable {d:%B} {d.day}, {d.year}.",
            "docket_ids": list(self.docket_ids), "document_number": self.document_number,
            "full_text_xml_url": CANONICAL + self.xml_path,
            "html_url": f"{CANONICAL}/documents/{d:%Y/%m/%d}/{self.document_number}/notice",
            "pdf_url": f"https://www.govinfo.gov/content/pkg/FR-{d.isoformat()}/pdf/{self.document_number}.pdf",
            "publication_date": d.isoformat(), "title": self.title, "type": "Notice",
        }  # fmt: skip


def notice_xml(
    *,
    document_number: str,
    case_number: str,
    product: str,
    country: str,
    hts: str,
    companies: list[tuple[str, str]],
    published: date,
) -> bytes:
    rows = "".join(f'<ROW><ENT I="01">{name}</ENT><ENT>{rate}</ENT></ROW>' for name, rate in companies)
    year = published.year
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<NOTICE><PREAMB>'
        '<AGENCY TYPE="S">DEPARTMENT OF COMMERCE</AGENCY><SUBAGY>International Trade Administration</SUBAGY>'
        f"<DEPDOC>[{case_number}]</DEPDOC>"
        f"<SUBJECT>{product} From {country}: Final Results of Antidumping Duty Administrative Review; "
        f"{year - 2}-{year - 1}</SUBJECT>"
        '<AGY><HD SOURCE="HED">AGENCY:</HD><P>Enforcement and Compliance, International Trade '
        "Administration, Department of Commerce.</P></AGY>"
        '<SUM><HD SOURCE="HED">SUMMARY:</HD><P>The Department of Commerce determines that '
        f"{product.lower()} from {country} were sold at less than normal value.</P></SUM>"
        '<DATES><HD SOURCE="HED">DATES:</HD>'
        f"<P>Applicable {published:%B} {published.day}, {year}.</P></DATES>"
        '</PREAMB><SUPLINF><HD SOURCE="HED">SUPPLEMENTARY INFORMATION:</HD>'
        '<HD SOURCE="HD1">Scope of the Order</HD><P>The merchandise is currently classified under '
        f"HTSUS subheading {hts}. The HTSUS subheading is provided for convenience and customs purposes; "
        "the written description of the scope is dispositive.</P>"
        '<HD SOURCE="HD1">Final Results of Review</HD><P>The following weighted-average dumping margins '
        'exist:</P><GPOTABLE COLS="2" OPTS="L2,i1" CDEF="s100,15"><BOXHD>'
        '<CHED H="1">Producer/exporter</CHED>'
        '<CHED H="1">Weighted-<LI>average dumping</LI><LI>margin</LI><LI>(percent)</LI></CHED>'
        f"</BOXHD>{rows}</GPOTABLE></SUPLINF>"
        f"<FRDOC>[FR Doc. {document_number} Filed {published:%m-%d-%y}; 8:45 am]</FRDOC>"
        "<BILCOD>BILLING CODE 3510-DS-P</BILCOD></NOTICE>\n"
    ).encode()


def constructed_notices(
    count: int, *, since: date, until: date, seed: int = 20240212
) -> list[ConstructedNotice]:
    """`count` notices spread over the business weekdays of [since, until], a few a day."""
    rng = random.Random(seed)
    days = [since + timedelta(days=i) for i in range((until - since).days + 1)]
    days = [d for d in days if d.weekday() < 5]
    notices = []
    for i in range(count):
        published = days[i * len(days) // count]
        code, country = COUNTRIES[i % len(COUNTRIES)]
        product_index = rng.randrange(len(PRODUCTS))
        case_number = f"A-{code}-{800 + i % 200:03d}"
        number = f"{published.year}-{10000 + i:05d}"
        companies = [(f"Example Exporter {i}-{k} Co., Ltd.", f"{rng.uniform(0, 90):.2f}") for k in range(3)]
        product = PRODUCTS[product_index]
        xml = notice_xml(
            document_number=number,
            case_number=case_number,
            product=product,
            country=country,
            hts=HTS[product_index],
            companies=companies,
            published=published,
        )
        title = (
            f"{product} From {country[0].upper() + country[1:]}: Final Results of Antidumping Duty "
            f"Administrative Review; {published.year - 2}-{published.year - 1}"
        )
        notices.append(ConstructedNotice(number, published, title, (case_number,), xml))
    return notices


def real_pressure_washers_notice(fixtures: Path) -> ConstructedNotice:
    """FR Doc 2024-02902 with its real XML (tests/fixtures/fr_api/2024-02902.xml)."""
    meta = json.loads((fixtures / "fr_api" / "search_ita_2024-02-09.json").read_bytes())["results"][0]
    xml = (fixtures / "fr_api" / "2024-02902.xml").read_bytes()
    published = date.fromisoformat(meta["publication_date"])
    dockets = tuple(meta["docket_ids"])
    return ConstructedNotice(
        meta["document_number"], published, meta["title"], dockets, xml, abstract=meta["abstract"]
    )


class ConstructedRegister:
    """Answers documents.json for any publication-date window (paged, oldest first) and each notice's XML."""

    def __init__(self, notices: list[ConstructedNotice]) -> None:
        self.notices = sorted(notices, key=lambda n: (n.publication_date, n.document_number))
        self.by_path = {n.xml_path: n for n in self.notices}

    def search(self, query: dict[str, str]) -> bytes:
        since = date.fromisoformat(query.get("conditions[publication_date][gte]", "1994-01-01"))
        until = date.fromisoformat(query.get("conditions[publication_date][lte]", "2100-01-01"))
        per_page = int(query.get("per_page", "20"))
        page = int(query.get("page", "1"))
        hits = [n for n in self.notices if since <= n.publication_date <= until]
        chunk = hits[(page - 1) * per_page : page * per_page]
        body: dict[str, object] = {
            "description": f"Documents published from {since:%m/%d/%Y} to {until:%m/%d/%Y} "
            "from International Trade Administration",
            "count": min(len(hits), COUNT_CAP),
        }
        if hits:
            body["total_pages"] = min(50, -(-len(hits) // per_page))
            body["results"] = [n.search_result() for n in chunk]
        if page * per_page < len(hits):
            body["next_page_url"] = f"{CANONICAL}{SEARCH_PATH}?" + urlencode({**query, "page": str(page + 1)})
        return json.dumps(body).encode()

    def hook(self, path: str, query: dict[str, str]) -> Route | None:
        if path == SEARCH_PATH:
            return Route(path, self.search(query), etag=False)
        notice = self.by_path.get(path)
        if notice is not None:
            return Route(path, notice.xml, content_type="application/xml", etag=False)
        return None


SHARED_CACHE_MAX_AGE_SECONDS = 104 * 60  # the oldest `age` seen from the API's shared cache


class StaleSharedCache:
    """A look-alike of the API's shared cache in front of an origin: a URL already asked (path and
    query) gets the copy stored when it was first asked, until that copy is `max_age` old, whatever
    the origin serves now. The clock is the caller's (seconds), so a bench can run hours of polls."""

    def __init__(
        self, path: str, clock: Callable[[], float], *, max_age: float = SHARED_CACHE_MAX_AGE_SECONDS
    ):
        self.path = path
        self.clock = clock
        self.max_age = max_age
        self.origin = b'{"count": 0, "results": []}'
        self.stored: dict[str, tuple[float, bytes]] = {}
        self.origin_requests = 0

    def hook(self, path: str, query: dict[str, str]) -> Route | None:
        if path != self.path:
            return None
        key = json.dumps(sorted(query.items()))
        now = self.clock()
        kept = self.stored.get(key)
        if kept is None or now - kept[0] >= self.max_age:
            self.origin_requests += 1
            kept = (now, self.origin)
            self.stored[key] = kept
        age = str(int(now - kept[0]))
        headers = {"cache-control": "no-store, no-cache, must-revalidate, private", "age": age}
        return Route(path, kept[1], "application/json; charset=utf-8", headers=headers, etag=False)
