"""Builds worker/demo_data/ (and the matching test fixtures) from the real notices in ../shared/corpus/raw.

The full-text XML is copied byte for byte. The documents.json search response is CONSTRUCTED in the
real API envelope (fields as in raw/fr_api_document_2025-05887_24D_prc_final_cvd.json) from facts
read in the notice itself: title (SUBJECT), docket ids (DEPDOC), publication date and first page
(the daily issue's header and CNTNTS), URLs in the site's patterns.
Run: .venv/bin/python scripts/build_demo_data.py [CORPUS_RAW_DIR]
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
RAW = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "corpus" / "raw"
TARGETS = (ROOT / "worker" / "demo_data", ROOT / "tests" / "fixtures" / "fr_api")

# Read by hand from fr_daily_issue_2024-02-12.*.xml: Vol. 89 No. 29, Monday February 12, 2024;
# the CNTNTS entry for FR Doc 2024-02902 gives pages 9834-9838.
DOCUMENTS = [
    {
        "xml": "fr_xml_2024-02902_pressure_washers_prc_ad_cvd_orders.xml",
        "document_number": "2024-02902",
        "publication_date": "2024-02-12",
        "start_page": 9834,
        "end_page": 9838,
        "volume": 89,
    },
]

AGENCIES = [
    {
        "raw_name": "DEPARTMENT OF COMMERCE",
        "name": "Commerce Department",
        "id": 54,
        "url": "https://www.federalregister.gov/agencies/commerce-department",
        "json_url": "https://www.federalregister.gov/api/v1/agencies/54",
        "parent_id": None,
        "slug": "commerce-department",
    },
    {
        "raw_name": "International Trade Administration",
        "name": "International Trade Administration",
        "id": 261,
        "url": "https://www.federalregister.gov/agencies/international-trade-administration",
        "json_url": "https://www.federalregister.gov/api/v1/agencies/261",
        "parent_id": 54,
        "slug": "international-trade-administration",
    },
]


def slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:100]


def result_for(spec: dict[str, object], xml: bytes) -> dict[str, object]:
    root = etree.fromstring(xml)
    title = " ".join((root.findtext(".//SUBJECT") or "").split())
    depdoc = (root.findtext(".//DEPDOC") or "").strip("[] ")
    dockets = [d.strip().replace("\u2013", "-") for d in depdoc.split(",") if d.strip()]
    dates = " ".join("".join(root.find(".//DATES/P").itertext()).split())  # type: ignore[union-attr]
    abstract = " ".join("".join(root.find(".//SUM/P").itertext()).split())  # type: ignore[union-attr]
    number, day = str(spec["document_number"]), str(spec["publication_date"])
    y, m, d = day.split("-")
    return {
        "abstract": abstract,
        "action": None,
        "agencies": AGENCIES,
        "body_html_url": f"https://www.federalregister.gov/documents/full_text/html/{y}/{m}/{d}/{number}.html",
        "citation": f"{spec['volume']} FR {spec['start_page']}",
        "dates": dates,
        "docket_ids": dockets,
        "document_number": number,
        "full_text_xml_url": f"https://www.federalregister.gov/documents/full_text/xml/{y}/{m}/{d}/{number}.xml",
        "html_url": f"https://www.federalregister.gov/documents/{y}/{m}/{d}/{number}/{slug(title)}",
        "pdf_url": f"https://www.govinfo.gov/content/pkg/FR-{day}/pdf/{number}.pdf",
        "publication_date": day,
        "title": title,
        "type": "Notice",
    }


def main() -> None:
    results = []
    for spec in DOCUMENTS:
        xml = (RAW / str(spec["xml"])).read_bytes()
        results.append(result_for(spec, xml))
        for target in TARGETS:
            target.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(RAW / str(spec["xml"]), target / f"{spec['document_number']}.xml")
            shutil.copyfile(
                RAW / f"{spec['xml']}.source.txt", target / f"{spec['document_number']}.xml.source.txt"
            )
    envelope = {
        "description": "Documents published on or after 02/09/2024 from International Trade Administration",
        "count": len(results),
        "total_pages": 1,
        "results": results,
    }
    note = (
        "CONSTRUCTED by scripts/build_demo_data.py in the real FR API documents.json envelope "
        "(see corpus raw/fr_api_search_newest_page*_2024_cursor.json and the single-document response "
        "raw/fr_api_document_2025-05887_24D_prc_final_cvd.json for the field shapes). Each result's "
        "values are read from the real notice XML beside it (title=SUBJECT, docket_ids=DEPDOC, "
        "dates=DATES, abstract=SUMMARY) and from the daily issue header (publication date, pages); "
        "URLs follow the site's patterns. The agencies objects are copied from the real "
        "2025-05887 response.\n"
    )
    for target in TARGETS:
        (target / "search_ita_2024-02-09.json").write_text(json.dumps(envelope, indent=1) + "\n")
        (target / "search_ita_2024-02-09.json.source.txt").write_text(note)


if __name__ == "__main__":
    main()
