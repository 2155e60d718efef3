"""Read numbers of units written the way people write them: ``"3M"``, ``"700萬台"``, ...

A column is parsed with pyarrow compute kernels, never a Python loop per row. The common
forms ("1,234,567", "3.2M", "700萬") are split into digits and a suffix by trimming
character sets; everything else goes through one regular expression, compiled once and run
by pyarrow's RE2 engine, that splits a text into a qualifier (``"over"``, ``"under"``,
``"approx"``), a number (digits, English words or Chinese numerals), multipliers
(``k``, ``million``, ``萬``, ``億`` ...) and a unit word. Python only looks at the few
distinct suffixes and words. Every multiplier is a power of ten, so the value is read as
one decimal string (``"3.2e6"``) by pyarrow's correctly rounding parser: the result is the
float nearest to what was written, with no double rounding.

Conventions (see :func:`parse_units`):

- With ``decimal="."`` (the default) a comma followed by exactly three digits groups
  thousands (``"1,234"`` is 1234); a German multiplier word (``Tsd.``, ``Mio.``,
  ``Mrd.``) makes its number German (``"1,234 Mio."`` is 1,234,000, as
  :func:`format_units` writes it); tokens that can only be German are read that way
  (``"1.234.567"``, ``"1.234,5"``); any other decimal comma (``"3,25"``) is refused as
  ambiguous. ``decimal=","`` swaps the roles of the two separators.
- Chinese numerals count groups of four digits in 万/萬 and 亿/億 (``"3億6670万"``);
  a bare digit after a place (``一百五``, ``三万五``) is refused, as speech drops zeros.
- Blank text and NA are *missing*: an error unless ``na="keep"``.

Layout: ``_words`` (the word tables, data), ``_patterns`` (regexes built from them),
``_chinese`` (Chinese numerals), ``_kernel`` (arrow arrays in, values and codes out),
``parse`` (the public parsers and their errors) and ``formatting`` (``format_units``).
"""

from marketdata.units.formatting import STYLES, format_units
from marketdata.units.parse import parse_units, parse_units_codes, try_parse_units

__all__ = ["STYLES", "format_units", "parse_units", "parse_units_codes", "try_parse_units"]
