"""Countries: ISO codes, name variants, Commerce case-number country codes and NME status."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from watchers.dashes import DASH

COUNTRY_NAMES: dict[str, str] = {
    "AE": "United Arab Emirates", "AM": "Armenia", "AR": "Argentina", "AT": "Austria",
    "AU": "Australia", "AZ": "Azerbaijan", "BA": "Bosnia and Herzegovina", "BD": "Bangladesh",
    "BE": "Belgium", "BG": "Bulgaria", "BH": "Bahrain", "BR": "Brazil", "BS": "Bahamas",
    "BY": "Belarus", "CA": "Canada", "CH": "Switzerland", "CL": "Chile", "CN": "China",
    "CO": "Colombia", "CR": "Costa Rica", "CZ": "Czech Republic", "DE": "Germany",
    "DK": "Denmark", "DO": "Dominican Republic", "EC": "Ecuador", "EE": "Estonia",
    "EG": "Egypt", "ES": "Spain", "FI": "Finland", "FJ": "Fiji", "FR": "France",
    "GB": "United Kingdom", "GE": "Georgia", "GR": "Greece", "GT": "Guatemala",
    "HK": "Hong Kong", "HR": "Croatia", "HU": "Hungary", "ID": "Indonesia", "IE": "Ireland",
    "IL": "Israel", "IN": "India", "IR": "Iran", "IS": "Iceland", "IT": "Italy",
    "JO": "Jordan", "JP": "Japan", "KG": "Kyrgyzstan", "KH": "Cambodia", "KR": "South Korea",
    "KZ": "Kazakhstan", "LA": "Laos", "LK": "Sri Lanka", "LT": "Lithuania", "LU": "Luxembourg",
    "LV": "Latvia", "MA": "Morocco", "MD": "Moldova", "MM": "Myanmar", "MX": "Mexico",
    "MY": "Malaysia", "NL": "Netherlands", "NO": "Norway", "NZ": "New Zealand", "OM": "Oman",
    "PE": "Peru", "PH": "Philippines", "PK": "Pakistan", "PL": "Poland", "PT": "Portugal",
    "QA": "Qatar", "RO": "Romania", "RS": "Serbia", "RU": "Russia", "SA": "Saudi Arabia",
    "SE": "Sweden", "SG": "Singapore", "SI": "Slovenia", "SK": "Slovakia", "TH": "Thailand",
    "TJ": "Tajikistan", "TM": "Turkmenistan", "TN": "Tunisia", "TR": "Türkiye",
    "TT": "Trinidad and Tobago", "TW": "Taiwan", "UA": "Ukraine", "US": "United States",
    "UY": "Uruguay", "UZ": "Uzbekistan", "VE": "Venezuela", "VN": "Vietnam",
    "YU": "Yugoslavia", "ZA": "South Africa",
}  # fmt: skip

# Variants seen in the ITA ACCESS case list, the USITC and ITC-style order lists, the WTO I-TIP
# export and Federal Register titles, keyed by their folded form (see _fold).
_VARIANTS: dict[str, str] = {
    "peoples republic of china": "CN", "people republic of china": "CN", "prc": "CN",
    "mainland china": "CN", "china prc": "CN",
    "korea": "KR", "korea republic of": "KR", "republic of korea": "KR", "south korea": "KR",
    "korea south": "KR", "rok": "KR",
    "taiwan": "TW", "chinese taipei": "TW", "republic of china": "TW", "taiwan roc": "TW",
    "turkey": "TR", "turkiye": "TR", "republic of turkiye": "TR", "republic of turkey": "TR",
    "viet nam": "VN", "vietnam": "VN", "socialist republic of vietnam": "VN",
    "socialist republic of viet nam": "VN",
    "uk": "GB", "u k": "GB", "united kingdom": "GB", "great britain": "GB", "britain": "GB",
    "england": "GB",
    "usa": "US", "u s": "US", "u s a": "US", "united states of america": "US",
    "uae": "AE", "u a e": "AE",
    "russian federation": "RU", "russia": "RU",
    "hong kong china": "HK", "hong kong sar": "HK", "hong kong sar china": "HK",
    "iran islamic republic of": "IR", "islamic republic of iran": "IR",
    "venezuela bolivarian republic of": "VE", "bolivarian republic of venezuela": "VE",
    "moldova republic of": "MD", "republic of moldova": "MD",
    "saudi arabia kingdom of": "SA", "kingdom of saudi arabia": "SA",
    "kyrgyz republic": "KG", "czechia": "CZ", "slovak republic": "SK",
    "trinidad tobago": "TT", "trinidad": "TT", "lao pdr": "LA",
    "lao peoples democratic republic": "LA", "burma": "MM", "holland": "NL",
    "the netherlands": "NL", "yugoslavia socialist federal republic of": "YU",
    "republic of india": "IN", "republic of indonesia": "ID", "kingdom of thailand": "TH",
    "republic of armenia": "AM", "republic of azerbaijan": "AZ", "republic of belarus": "BY",
    "republic of tajikistan": "TJ", "republic of uzbekistan": "UZ",
    # misspellings in the USITC and ITC-style order lists
    "belguim": "BE", "columbia": "CO",
    "ivory coast": "CI", "cote divoire": "CI", "macau": "MO", "macao sar": "MO", "swaziland": "SZ",
    "cape verde": "CV", "east timor": "TL", "vatican": "VA", "holy see": "VA", "north korea": "KP",
    "korea north": "KP", "dprk": "KP", "palestine": "PS", "kosovo": "XK",
}  # fmt: skip

# Commerce case-number country codes (the middle group of A-570-148), built by
# scripts/derive_case_country_codes.py from the real case lists in scripts/seed_sources/
# (ITA ACCESS 'X From <Country>' titles, the USITC orders-in-place list and the ITC-style orders
# list): each code takes the country named by most rows of the three lists, kept when it has at
# least twice the votes of the next (C-507-997 'China' is a typo for C-570-997).
# ACCESS test codes (000, 022, 111, 123) and typos (A-60-2807, C-53-878) were dropped.
# A few rows name a country other than their code's (A-533-988 Hungary in ACCESS; rows shifted
# in the hand-kept lists); the catalog keeps each case's own country, this table is the default.
CASE_COUNTRY_CODES: dict[str, str] = {
    "122": "CA", "201": "MX", "274": "TT", "301": "CO", "307": "VE", "331": "EC",
    "337": "CL", "351": "BR", "357": "AR", "400": "IS", "401": "SE", "403": "NO",
    "405": "FI", "409": "DK", "412": "GB", "421": "NL", "423": "BE", "427": "FR",
    "428": "DE", "433": "AT", "437": "HU", "441": "CH", "449": "LV", "455": "PL",
    "457": "LT", "469": "ES", "471": "PT", "475": "IT", "479": "HR", "484": "GR",
    "485": "RO", "489": "TR", "499": "LV", "507": "IR", "508": "IL", "517": "SA",
    "520": "AE", "522": "VN", "523": "OM", "525": "BH", "533": "IN", "535": "PK",
    "542": "LK", "549": "TH", "552": "VN", "553": "VN", "555": "KH", "557": "MY",
    "559": "SG", "560": "ID", "565": "PH", "570": "CN", "580": "KR", "582": "HK",
    "583": "TW", "588": "JP", "602": "AU", "614": "NZ", "714": "MA", "723": "TN",
    "729": "EG", "791": "ZA", "801": "RS", "821": "RU", "822": "BY", "823": "UA",
    "834": "KZ", "841": "MD", "851": "CZ", "856": "SI", "891": "HR", "893": "BA",
}  # fmt: skip

# Commerce's list of non-market economy countries, https://www.trade.gov/nme-countries-list
# (section 771(18) of the Tariff Act, 19 U.S.C. 1677(18)): Armenia, Azerbaijan, Belarus, Georgia,
# Kyrgyz Republic, Moldova, Tajikistan, Turkmenistan, Uzbekistan (57 FR 23380), China
# (82 FR 50858), Russia (87 FR 69002), Vietnam (68 FR 37116).
NON_MARKET_ECONOMIES: frozenset[str] = frozenset(
    {"AM", "AZ", "BY", "CN", "GE", "KG", "MD", "RU", "TJ", "TM", "UZ", "VN"}
)

_CASE_NUMBER = re.compile(rf"^\s*([AC])\s*{DASH}+\s*(\d{{3}})\s*{DASH}+\s*(\d{{3}})\s*$")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.replace("ı", "i"))
    ascii_text = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    ascii_text = ascii_text.replace("&", " ").replace("'", "").replace("\u2019", "")
    ascii_text = re.sub(r"[^a-z0-9]+", " ", ascii_text).strip()
    return re.sub(r"^the ", "", ascii_text)


@cache
def _iso_names() -> tuple[dict[str, str], dict[str, str]]:
    """(alpha-2 -> display name, folded name or code -> alpha-2): ISO 3166-1 from pycountry, with the
    names above (as Commerce and the USITC write them) taking precedence."""
    import pycountry

    names: dict[str, str] = {"XK": "Kosovo"}  # a user-assigned code CBP and Commerce use
    by_name: dict[str, str] = {}
    for country in pycountry.countries:
        code = str(country.alpha_2)
        names[code] = str(getattr(country, "common_name", None) or country.name)
        by_name[_fold(str(country.alpha_3))] = code
        for attribute in ("name", "official_name", "common_name"):
            value = getattr(country, attribute, None)
            if value:
                by_name[_fold(str(value))] = code
    names.update(COUNTRY_NAMES)
    by_name.update({_fold(name): iso for iso, name in COUNTRY_NAMES.items()})
    by_name.update(_VARIANTS)
    return names, by_name


def normalize_country(text: str) -> str:
    """An ISO 3166-1 alpha-2 code from a code (CN, CHN) or a name ('PRC', 'Korea, Republic of', 'Türkiye')."""
    names, by_name = _iso_names()
    stripped = text.strip()
    if len(stripped) == 2 and stripped.isalpha() and stripped.upper() in names:
        return stripped.upper()
    iso = by_name.get(_fold(stripped)) if len(stripped) != 2 else None
    if iso is None:
        raise ValueError(f"unknown country: {text!r} (give an ISO code such as CN or a name such as China)")
    return iso


def country_name(iso2: str) -> str:
    """The display name for an ISO alpha-2 code."""
    try:
        return _iso_names()[0][iso2.strip().upper()]
    except KeyError:
        raise ValueError(f"unknown country code: {iso2!r}") from None


def parse_case_number(case_number: str) -> tuple[str, str, str]:
    """'A-570-148' (any dash) -> ('A', '570', '148'); ValueError otherwise."""
    match = _CASE_NUMBER.match(case_number)
    if match is None:
        raise ValueError(f"not a Commerce case number: {case_number!r} (expected e.g. A-570-148)")
    prefix, country_code, serial = match.groups()
    return prefix, country_code, serial


def normalize_case_number(case_number: str) -> str:
    """'A–570–148' (en dashes, spaces) -> 'A-570-148'."""
    return "-".join(parse_case_number(case_number))


def country_of_case(case_number: str) -> str | None:
    """The country a case number's middle group stands for (A-570 China), None if unknown.

    Circumvention and third-country proceedings can keep another country's number, so the
    catalog's own country for a case wins over this default.
    """
    try:
        _, code, _ = parse_case_number(case_number)
    except ValueError:
        return None
    return CASE_COUNTRY_CODES.get(code)


def is_non_market_economy(iso2: str) -> bool:
    """Whether Commerce treats the country as a non-market economy.

    Source: Commerce's NME countries list, https://www.trade.gov/nme-countries-list, under
    section 771(18) of the Tariff Act of 1930 (19 U.S.C. 1677(18)).
    """
    return iso2.strip().upper() in NON_MARKET_ECONOMIES
