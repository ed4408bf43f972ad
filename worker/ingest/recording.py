"""Saves every raw response a poll fetched, with a provenance note, in the tests/fixtures layout."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from watchers.http import FetchResult

MAX_STEM = 150  # file names stay well under the usual 255-byte limit, .source.txt included


def fixture_name(url: str, content_type: str) -> str:
    """A readable file name for a URL's response; a long one is cut and ends in a hash of the whole URL,
    so two search pages that differ only late in their query never share a name."""
    parts = urlsplit(url)
    stem = re.sub(
        r"[^A-Za-z0-9._-]+", "_", (parts.path.strip("/") + ("_" + parts.query if parts.query else ""))
    )
    stem = stem.strip("_")
    if len(stem) > MAX_STEM:
        digest = hashlib.sha256(f"{parts.path}?{parts.query}".encode()).hexdigest()[:16]
        stem = stem[: MAX_STEM - len(digest) - 1].rstrip("_") + "_" + digest
    stem = stem or "response"
    if "json" in content_type and not stem.endswith(".json"):
        stem += ".json"
    elif "xml" in content_type and not stem.endswith(".xml"):
        stem += ".xml"
    elif "html" in content_type and not stem.endswith(".html"):
        stem += ".html"
    return stem


class Recorder:
    """One file per response under DIR/<host>/, each with NAME.source.txt saying where it came from."""

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)

    def save(self, result: FetchResult) -> Path | None:
        if result.body is None:
            return None
        host = urlsplit(result.url).hostname or "unknown-host"
        folder = self.directory / host
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / fixture_name(result.url, result.content_type)
        path.write_bytes(result.body)
        recorded_at = datetime.now(UTC).isoformat(timespec="seconds")
        headers = result.headers
        note = (
            f"Source: recorded live by `adcvd poll --record` on {recorded_at}\n"
            f"URL: {result.url}\nHTTP status: {result.status}\nContent-Type: {result.content_type}\n"
            f"ETag: {headers.get('etag', '')}\nLast-Modified: {headers.get('last-modified', '')}\n"
            "What: the raw response body, byte for byte.\n"
        )
        path.with_name(path.name + ".source.txt").write_text(note, encoding="utf-8")
        return path
