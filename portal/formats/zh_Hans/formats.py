"""Dates on Chinese pages in Chinese form (2026年3月5日), as official documents write them; the pages
use SHORT_DATE_FORMAT / SHORT_DATETIME_FORMAT so the English pages keep the compact ISO form."""

DATE_FORMAT = "Y年n月j日"
SHORT_DATE_FORMAT = "Y年n月j日"
DATETIME_FORMAT = "Y年n月j日 H:i"
SHORT_DATETIME_FORMAT = "Y年n月j日 H:i"
MONTH_DAY_FORMAT = "n月j日"
