"""Hand-written expected facts of the labelled notices (read from the documents, not the parser)."""

from __future__ import annotations

from datetime import date

# fixture name -> (publication date, expected facts). Rates are (exporter or basis, rate) pairs;
# deadlines (kind, due ISO date or None).
LABELS: dict[str, tuple[date, dict[str, set[str]]]] = {
    "fr_xml_2024-02902_pressure_washers_prc_ad_cvd_orders.xml": (
        date(2024, 2, 12),
        {
            "cases": {"A-570-148", "C-570-149"},
            "hts": {"8424309000", "8424909040"},
            "rates": {
                "Jiangsu Jianghuai Engine Co., Ltd|274.37", "Sumec Hardware and Tools Co., Ltd|179.88",
                "Zhejiang Danau Machine Co., Ltd|179.88", "country_wide|274.37",
                "Jiangsu Jianghuai Engine Co., Ltd.|11.19",
                "Chongqing Dajiang Power Equipment Co., Ltd|206.57",
                "China GTL Tools Group, Ltd|206.57", "Loncin Motor Co., Ltd|206.57",
                "Maxworld Home Co., Ltd|206.57",
                "Ningbo Jugang Machinery Manufacturing Co., Ltd|206.57",
                "Powerful Machinery & Electronics Technology Developing Co., Ltd|206.57",
                "Pinghu Biyi Cleaning Equipment Co., Ltd|206.57",
                "Senci Electric Machinery Co., Ltd|206.57", "Taizhou Bison Machinery Co., Ltd|206.57",
                "Taizhou Longfa Machinery Co., Ltd|206.57",
                "Taizhou Newland Machinery Co., Ltd|206.57",
                "Zhejiang Anlu Cleaning Machinery Co., Ltd|206.57",
                "Zhejiang Constant Power Machinery Co., Ltd|206.57",
                "Zhejiang Lingben Machinery & Electronics Co., Ltd|206.57",
                "Zhejiang Xinchang Bigyao Power Tool Co., Ltd|206.57",
                "Zhejiang Zhinanche Cleaning Equipment Co., Ltd|206.57", "all_others|11.19",
            },
            "deadlines": {"annual_inquiry_service_list|2024-03-13"},
        },
    ),
    "fr_xml_2016-08229_glycine_prc_prelim_ar.xml": (
        date(2016, 4, 15),
        {
            "cases": {"A-570-836"},
            "hts": {"2922494020"},
            "rates": {"country_wide|453.79"},
            "deadlines": {"case_brief|2016-05-16", "rebuttal_brief|2016-05-23",
                          "hearing_request|2016-05-16"},
        },
    ),
    "fr_xml_2016-08787_silicomanganese_ukraine_rescission_ar.xml": (
        date(2016, 4, 15),
        {"cases": {"A-823-805"}, "hts": set(), "rates": set(), "deadlines": set()},
    ),
    "fr_xml_2016-08650_itc_hot_rolled_steel_final_phase_scheduling.xml": (
        date(2016, 4, 15),
        {
            "cases": set(),
            "hts": {c.replace(".", "") for c in (
                 "7208.10.15", "7208.10.30", "7208.10.60", "7208.25.30", "7208.25.60",
                 "7208.26.00", "7208.27.00", "7208.36.00", "7208.37.00", "7208.38.00",
                 "7208.39.00", "7208.40.60", "7208.53.00", "7208.54.00", "7208.90.00",
                 "7210.70.30", "7210.90.90", "7211.14.00", "7211.19.15", "7211.19.20",
                 "7211.19.30", "7211.19.45", "7211.19.60", "7211.19.75", "7211.90.00",
                 "7212.40.10", "7212.40.50", "7212.50.00", "7214.91.00", "7214.99.00",
                 "7215.90.50", "7225.11.00", "7225.19.00", "7225.30.30", "7225.30.70",
                 "7225.40.70", "7225.99.00", "7226.11.10", "7226.11.90", "7226.19.10",
                 "7226.19.90", "7226.91.50", "7226.91.70", "7226.91.80", "7226.99.01",
                 "7228.60.60",
            )},
            "rates": set(),
            "deadlines": {"entry_of_appearance|2016-07-14", "apo_application|2016-07-14",
                          "hearing_request|2016-07-29", "in_camera_request|2016-07-26",
                          "prehearing_brief|2016-07-28", "posthearing_brief|2016-08-11",
                          "written_statement|2016-08-11", "final_comments|2016-08-31"},
        },
    ),
    "constructed_prelim_results_cvd_tubing_india.xml": (
        date(2024, 12, 2),
        {
            "cases": {"C-533-874"},
            "hts": {"7304313000", "7304316050", "7304511000", "7306505030", "7306305015"},
            "rates": {"Goodluck India Limited|4.65", "Tube Investments of India Limited|0.45",
                      "Heavy Metal & Tubes (India) Private Limited|4.65"},
            "deadlines": {"case_brief|2025-01-02", "rebuttal_brief|2025-01-07",
                          "hearing_request|2025-01-02"},
        },
    ),
    "constructed_review_initiation_2024-03.xml": (
        date(2024, 3, 29),
        {
            "cases": {"A-533-840", "A-570-010", "C-533-874"},
            "hts": set(),
            "rates": set(),
            "deadlines": {"no_shipment_statement|2024-04-29", "separate_rate_certification|2024-04-12",
                          "separate_rate_application|2024-04-12",
                          "review_request_withdrawal|2024-06-27",
                          "respondent_selection_comments|None"},
        },
    ),
}  # fmt: skip

# Which set each labelled notice belongs to; the rule and the moves are in bench/labels/README.md.
# A notice not named here is "tuning". The corpus holds no unseen real AD/CVD notice yet.
HELD_OUT: frozenset[str] = frozenset()


def set_of(name: str) -> str:
    """'held_out' or 'tuning'."""
    return "held_out" if name in HELD_OUT else "tuning"
