"""The value of a Chinese numeral: ``三億六千六百七十萬``, ``3億6670万``, ``1.2万亿``.

Run in Python on the *distinct* numerals of a column only (a handful), by a scan that is
linear in the length of the numeral.
"""

from __future__ import annotations

import re
from decimal import Decimal, localcontext

from marketdata.units._words import CN_DIGITS, CN_GROUPS, CN_PLACES

__all__ = ["cjk_value"]

_CN_TOKEN = re.compile(r"\d[\d.,]*|.")  # linear: no nested quantifier


def _cjk_digits(token: str, decimal: str) -> Decimal | None:
    """An Arabic-digit token of a CJK numeral ("6670", "4,673", "1.2"), else None."""
    d, g = (".", ",") if decimal == "." else (",", ".")
    whole, _, frac = token.partition(d)
    if g in whole:
        head, *groups = whole.split(g)
        if not (1 <= len(head) <= 3 and all(len(x) == 3 for x in groups)):
            return None
        whole = head + "".join(groups)
    if not whole.isdigit() or (frac and not frac.isdigit()) or g in frac or d in frac:
        return None
    return Decimal(whole + ("." + frac if frac else ""))


def cjk_value(text: str, decimal: str) -> str | None:
    """The value of a CJK numeral as a decimal string, or None if malformed or ambiguous.

    Groups of four digits are counted in 万/萬 (10**4) and 亿/億 (10**8); within a
    group 千 (1000), 百 (100) and 十 (10) count the digit before them, written in
    Chinese (三, 两) or Arabic digits ("3億6670万" = 3 * 10**8 + 6670 * 10**4). A
    larger group word after a smaller one multiplies everything before it ("1.2万亿" =
    1.2 * 10**4 * 10**8). A bare digit after a place is refused where speech drops a
    zero ("一百五" is 150 in speech, 105 by the place rule; "三万五" is 35,000 or
    30,005): write 一百五十, 一百零五 or 3万5000.
    """
    tokens = _CN_TOKEN.findall(text)
    with localcontext() as context:
        context.prec = len(text) + 40  # exact for any number of digits
        total, section = Decimal(0), Decimal(0)
        digit: Decimal | None = None
        place, group = 5, None  # last place in this group; exponent of the last group
        zero = fraction = False
        width = 0  # Arabic digits of the pending digit token
        for token in tokens:
            if token[0].isdigit():
                if digit is not None or fraction:
                    return None
                digit = _cjk_digits(token, decimal)
                if digit is None:
                    return None
                if digit != digit.to_integral_value():
                    if total or section:
                        return None  # "1億2.5万": a fraction after a part of the number
                    fraction = True  # and nothing may follow but places and groups
                width = len(token)
            elif token in ("零", "〇"):
                if digit is not None:
                    return None
                zero = True
            elif token in CN_DIGITS:
                if digit is not None or fraction:
                    return None
                digit, width = Decimal(CN_DIGITS[token]), 0
            elif token in CN_PLACES:
                p = CN_PLACES[token]
                if p >= place:
                    return None
                if digit is None:
                    if section:  # only a group's first place stands alone: 十五, 百万
                        return None
                    digit = Decimal(1)
                section += digit * 10**p
                digit, place, zero = None, p, False
            elif token in CN_GROUPS:
                e = CN_GROUPS[token]
                if digit is None and not section:
                    if group is None or e <= group or not total:
                        return None  # "万" alone, "万万"
                    total, group = total * Decimal(10) ** e, group + e  # 万亿 = 10**12
                    continue
                if digit is not None:
                    if section and not _complete(place, zero):
                        return None
                    section += digit
                if group is not None and e >= group:
                    total, group = (total + section) * Decimal(10) ** e, group + e
                else:
                    total, group = total + section * Decimal(10) ** e, e
                section, digit, place, zero = Decimal(0), None, 5, False
            else:
                return None
        if digit is not None:
            if section:
                if not _complete(place, zero):
                    return None
            elif group is not None and not zero and width != group:
                return None  # "3万5": 35,000 or 30,005? ("1万2345" is 12,345)
            section += digit
        total += section
        return format(total, "f")


def _complete(place: int, zero: bool) -> bool:
    """Whether a bare digit after ``place`` is unambiguous: after 十, or after a 零."""
    return place == 1 or zero
