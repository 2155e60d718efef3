"""Read the periods figures are reported for (``"2012Q2"``, ``"H1 2012"``, ``"2012年6月"``).

A period is two dates, ``start`` and ``end`` (the last day, inclusive). Each accepted
form is a small regular expression run by pyarrow's RE2 engine over the *distinct* texts
of a column; dates are then computed with numpy, so a million rows cost a factorisation
and a few array operations.

Conventions (see :func:`parse_period`):

- Two-digit years: 00-68 are 2000-2068, 69-99 are 1969-1999 (as POSIX ``strptime %y``).
- ``FY2012`` with ``fiscal_year_start=m`` (m > 1) is the twelve months that *end* in
  calendar 2012: with m=4, 2011-04-01..2012-03-31; with m=10 (Apple), 2011-10-01..
  2012-09-30. Companies that name a year for the calendar year it *starts* in (many
  Japanese firms: "FY2012" = April 2012-March 2013) must be written as the year it ends
  in (FY2013) or as dates.
- Texts that could mean two things are refused, never guessed: ``"Jun-12"`` (June 2012 or
  12 June?), ``"06/12/2012"`` (6 December or June 12?).

Layout: ``_forms`` (the accepted and the ambiguous forms, data), ``_kernel`` (texts to
days), ``parse`` (``parse_period``, ``try_parse_period``) and ``labels``
(``period_label``).
"""

from marketdata.periods.labels import period_label
from marketdata.periods.parse import parse_period, try_parse_period

__all__ = ["parse_period", "period_label", "try_parse_period"]
