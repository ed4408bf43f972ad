"""Which agency published a notice: the FR API's agency slugs, else the words of its title and summary."""

from __future__ import annotations

import re
from collections.abc import Sequence

from watchers.records import Agency

_AGENCY_SLUGS = {
    "international-trade-administration": Agency.ITA,
    "international-trade-commission": Agency.USITC,
}
# The FR API lists the parent department alongside ITA; it decides nothing by itself.
_NEUTRAL_SLUGS = {"commerce-department", "trade-representative-office-of-united-states"}
# An agency the FR API gives by name only (`name`, or `raw_name` on older documents), as its slug.
_NAME_SLUGS = {
    "department-of-commerce": "commerce-department",
    "import-administration": "international-trade-administration",  # ITA's AD/CVD unit until 2013
    "united-states-international-trade-commission": "international-trade-commission",
    "us-international-trade-commission": "international-trade-commission",
    "usitc": "international-trade-commission",
    "office-of-the-united-states-trade-representative": "trade-representative-office-of-united-states",
}


def agency_slug(agency: str) -> str:
    """An FR API agency slug, or a name ("International Trade Administration", "DEPARTMENT OF
    COMMERCE") as the slug it stands for."""
    slug = re.sub(r"[^a-z0-9]+", "-", agency.lower().replace("u.s.", "us")).strip("-")
    return _NAME_SLUGS.get(slug, slug)


_ITC_WORDS = re.compile(
    r"investigations? nos?\.|\b70[15]-ta-|\b731-ta-|\bthe commission\b|international trade commission"
    r"|\binstitution of\b|scheduling of (?:the )?(?:final|preliminary)|supplemental schedule"
    r"|cancellation of hearing|revised schedule|; determinations?\.?$|\bcommission determinations?\b"
    r"|\((?:\w+ )?review\)"
    r"|(?<!initiation of )(?<!results of )\bfive-year reviews?\b(?!.*\bcommerce\b)"
)
_ITA_WORDS = re.compile(r"\bcommerce\b|enforcement and compliance|international trade administration")
_ADCVD_WORDS = re.compile(
    r"antidumping|countervailing|less than fair value|scope ruling|new shipper"
    r"|changed circumstances|agreement suspending|suspension agreement on|circumvention inquir"
    r"|determination of circumvention|anti-circumvention|sunset review of|from [a-z' ]+[:;]"
    # Sunset reviews named first, in the wordings of 1998-2005 ("Final Results of Expedited Sunset
    # Review: Brass Sheet and Strip From Germany", "October 1999 Sunset Reviews; Final Results ..."),
    # but not another agency's "2023 and 2024 Sunset Review" of organic substances.
    r"|\(sunset\)|results of (?:the )?(?:\w+ )?(?:sunset|five-year)|(?:expedited|full|five-year) sunset"
    r"|sunset reviews?[:;]|(?<!\d )\bsunset reviews?\b(?! and substance)|five-year reviews?"
    r"|\bnotice of court decision|not in harmony|pursuant to court|court of international trade"
)


def agency_from(agencies: Sequence[str], title: str, abstract: str) -> Agency:
    """The agency from the FR API's agencies (slugs or names), else from the words of the title and
    abstract (normalised)."""
    slugs = [agency_slug(agency) for agency in agencies if agency.strip()]
    for slug in slugs:
        if slug in _AGENCY_SLUGS:
            return _AGENCY_SLUGS[slug]
    if any(slug not in _NEUTRAL_SLUGS for slug in slugs):
        return Agency.OTHER
    if _ITC_WORDS.search(title):
        return Agency.USITC
    if (
        abstract
        and re.search(r"\bthe commission\b|international trade commission \(commission\)", abstract)
        and not _ITA_WORDS.search(abstract[:200])
    ):
        return Agency.USITC
    if _ITA_WORDS.search(abstract[:300]):
        return Agency.ITA
    # "Product From Country: Subject" is how Commerce titles its case notices.
    if re.search(r"\bfrom\b[^:;]*:", title) and _ADCVD_WORDS.search(title):
        return Agency.ITA
    if abstract and _OTHER_AGENCY_WORDS.search(abstract[:300]):
        return Agency.OTHER
    if _ADCVD_WORDS.search(title):
        return Agency.ITA
    return Agency.OTHER


_OTHER_AGENCY_WORDS = re.compile(
    r"\b(?:copyright office|homeland security|agriculture|occ|pbgc|trade representative"
    r"|customs and border protection)\b"
)
