"""trade.gov's watcher hands back finished records: only new announcements, pages to retry, validators."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from tests.support.fixtures import fixture_bytes
from watchers.http import Fetcher, Validators
from watchers.records import Agency, CaseType, NoticeKind
from watchers.trade_gov_records import announcement_number, classification_of, read_announcements

BASE = "https://www.trade.gov"
AD_PATH = "/preliminary-affirmative-determination-antidumping-duty-investigation-active-anode-material-china"
CVD_PATH = "/preliminary-determinations-countervailing-duty-investigations-active-anode-material-china"
AD_NUMBER = "trade.gov" + AD_PATH
CVD_NUMBER = "trade.gov" + CVD_PATH


async def no_sleep(seconds: float) -> None:
    return None


def fetcher_for(handler: Callable[[httpx.Request], httpx.Response]) -> Fetcher:
    client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    return Fetcher(client=client, allowed_hosts=frozenset({"www.trade.gov"}), max_retries=0, sleep=no_sleep)


def site(asked: list[str]) -> Callable[[httpx.Request], httpx.Response]:
    """The recorded listing (two announcements) with an ETag; the AD page recorded, the CVD page missing."""

    def handler(request: httpx.Request) -> httpx.Response:
        asked.append(request.url.path)
        if request.url.path == "/ec-adcvd-case-announcements":
            body = fixture_bytes("trade_gov", "case_announcements_listing.html")
            return httpx.Response(200, content=body, headers={"content-type": "text/html", "etag": '"v1"'})
        if request.url.path == AD_PATH:
            body = fixture_bytes("trade_gov", "announcement_active_anode_material_prelim_ad.html")
            return httpx.Response(200, content=body, headers={"content-type": "text/html"})
        return httpx.Response(404, content=b"not found", headers={"content-type": "text/html"})

    return handler


async def test_new_announcements_read_and_a_missing_page_named_for_the_next_poll() -> None:
    asked: list[str] = []
    new = await read_announcements(
        fetcher_for(site(asked)), base_url=BASE, validators=None, known=lambda numbers: set()
    )
    assert new.seen == 2 and not new.not_modified
    assert [announcement_number(a.url) for a in new.announcements] == [AD_NUMBER]
    assert new.announcements[0].case_numbers == ("A-570-194",)
    assert list(new.not_fetched) == [CVD_NUMBER]
    assert new.validators == Validators()  # a page still to read: no 304 may hide the listing next time
    ad = classification_of(new.announcements[0])
    assert (ad.kind, ad.agency, ad.case_types) == (
        NoticeKind.PRELIMINARY_DETERMINATION,
        Agency.ITA,
        (CaseType.AD,),
    )


async def test_known_announcements_are_not_fetched_again_and_the_listing_validators_are_kept() -> None:
    asked: list[str] = []
    new = await read_announcements(
        fetcher_for(site(asked)),
        base_url=BASE,
        validators=None,
        known=lambda numbers: {n for n in numbers if n == CVD_NUMBER},
    )
    assert CVD_PATH not in asked
    assert [announcement_number(a.url) for a in new.announcements] == [AD_NUMBER]
    assert new.not_fetched == {}
    assert new.validators == Validators('"v1"', None)
