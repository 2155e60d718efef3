"""The forms ``parse_period`` reads, and those it refuses as ambiguous: data.

Each form is a small regular expression over normalised text (lower case, ASCII digits,
single spaces), run by pyarrow's RE2 engine: linear in the text, whatever the pattern.
"""

from __future__ import annotations

__all__ = [
    "AMBIGUOUS",
    "CN_NUMBER",
    "FORMS",
    "HALF",
    "HINT",
    "MISSING",
    "MONTHS",
    "UNKNOWN",
]

MISSING = "the value is missing"
UNKNOWN = "not a form of period this parser knows"
HINT = (
    "write a quarter (2012Q2), a half (H1 2012), a month (2012-06), a day (2012-06-12), "
    "a year (2012), a fiscal year (FY2012) or a range (2012-01-01..2012-03-15)"
)

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MON = "(?P<mon>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
CN_NUMBER = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
HALF = {"上": 1, "下": 2, "1": 1, "2": 2}
_Y = r"(?P<y>\d{4})"
_YY = r"(?P<yy>\d{2})"
_ISO = r"\d{4}-\d{1,2}-\d{1,2}"

# (kind, pattern). Kinds: Q quarter, H half, M month, D day, Y year, FY fiscal year,
# FQ fiscal quarter, R range of two ISO days (start may be empty: to date). Patterns see normalised text:
# lower case, ASCII digits, single spaces.
FORMS = [
    ("Q", rf"^{_Y} ?-? ?q(?P<q>[1-4])$"),  # 2012Q2, 2012 Q4, 2012-Q2
    ("Q", rf"^q(?P<q>[1-4]) ?[-/ ]? ?{_Y}$"),  # Q2 2012, Q2-2012
    ("Q", rf"^q(?P<q>[1-4]) ?(?:' ?|’ ?| ){_YY}$"),  # Q4 '09, Q2' 17, Q4 09
    ("Q", rf"^(?P<q>[1-4]) ?q ?'?(?:{_YY}|{_Y})$"),  # 2Q12, 4Q2012, 2Q '12
    ("Q", rf"^{_Y} ?年 ?(?:第 ?)?(?P<q>[一二三四1-4]) ?季(?:度)?$"),  # 2012年第二季
    ("Q", rf"^{_Y} ?年 ?q(?P<q>[1-4])$"),  # 2012年Q2
    ("H", rf"^h(?P<h>[12]) ?[-/ ]? ?{_Y}$"),  # H1 2012
    ("H", rf"^h(?P<h>[12]) ?(?:' ?|’ ?| ){_YY}$"),  # H1 '12
    ("H", rf"^(?P<h>[12]) ?h ?'?(?:{_YY}|{_Y})$"),  # 1H12, 1H2012
    ("H", rf"^{_Y} ?-? ?h(?P<h>[12])$"),  # 2012H1, 2012 H1
    ("H", rf"^{_Y} ?年 ?(?P<h>[上下])半年?$"),  # 2012年上半年
    ("M", rf"^{_Y}[-/.](?P<m>\d{{1,2}})$"),  # 2012-06, 2012/06
    ("M", rf"^(?P<m>\d{{1,2}})[-/.]{_Y}$"),  # 06/2012
    ("M", rf"^{_MON}(?:,|-|/)? ?{_Y}$"),  # June 2012, Jun. 2012, Jun-2012
    ("M", rf"^{_Y}[- ]{_MON}$"),  # 2012-Jun
    ("M", rf"^{_Y} ?年 ?(?P<m>\d{{1,2}}) ?月份?$"),  # 2012年6月
    ("D", rf"^{_Y}-(?P<m>\d{{1,2}})-(?P<d>\d{{1,2}})$"),  # 2012-06-12
    ("D", rf"^{_Y}/(?P<m>\d{{1,2}})/(?P<d>\d{{1,2}})$"),  # 2012/06/12
    ("D", rf"^{_Y}\.(?P<m>\d{{1,2}})\.(?P<d>\d{{1,2}})$"),  # 2012.06.12
    ("D", rf"^{_MON} ?(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,? ?{_Y}$"),  # June 12, 2012
    ("D", rf"^(?P<d>\d{{1,2}})(?:st|nd|rd|th)? ?(?:of )?{_MON},? ?{_Y}$"),  # 12 June 2012
    ("D", rf"^{_Y} ?年 ?(?P<m>\d{{1,2}}) ?月 ?(?P<d>\d{{1,2}}) ?[日号號]$"),  # 2012年6月12日
    ("Y", rf"^(?:cy ?)?{_Y}(?: ?年(?:度|全年)?)?$"),  # 2012, CY2012, 2012年
    ("FY", rf"^fy ?'?(?:{_Y}|{_YY})$"),  # FY2012, FY12, FY '12
    ("FY", rf"^{_Y} ?(?:财年|財年|财政年度|財政年度|会计年度|會計年度)$"),
    ("FQ", rf"^q(?P<q>[1-4]) ?[-/ ]? ?fy ?'?(?:{_Y}|{_YY})$"),  # Q2 FY2012, Q2 FY12
    ("FQ", rf"^fy ?'?(?:{_Y}|{_YY}) ?[-/ ]? ?q(?P<q>[1-4])$"),  # FY2012 Q2, FY12-Q2
    ("R", rf"^(?P<a>{_ISO})? ?\.\. ?(?P<b>{_ISO})$"),  # 2012-01-01..2012-03-15, ..2012-06-12
]
# Forms refused because they could mean two things: (pattern, why, what to write).
AMBIGUOUS = [
    (
        rf"^{_MON} ?['’/-]? ?(?P<n>\d{{1,2}})$",
        "it could be a month of a two-digit year or a day with no year",
        "write 2012-06 for the month or 2012-06-12 for the day",
    ),
    (
        rf"^(?P<n>\d{{1,2}}) ?['’/-]? ?{_MON}$",
        "it could be a day with no year or a month of a two-digit year",
        "write 2012-06 for the month or 2012-06-12 for the day",
    ),
    (
        r"^\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})$",
        "the order of day and month differs between countries (06/12/2012 is 6 December or "
        "June 12)",
        "write the day as 2012-06-12 (ISO: year-month-day)",
    ),
    (
        r"^\d{4}-\d{2}-\d{2} ?(?:-|to|–|—) ?\d{4}-\d{2}-\d{2}$",
        "a range is written with '..' so that it is not read as one date",
        "write 2012-01-01..2012-03-15",
    ),
]
