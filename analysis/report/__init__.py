"""The report builder: ``build_report`` writes a multi-page PDF and one PNG per chart.

``marketshare report`` (see :mod:`analysis.cli`) calls it. Matplotlib is imported only
when a report is built.
"""

from analysis.report.builder import Report, build_report, prepare
from analysis.report.writing import slugify

__all__ = ["Report", "build_report", "prepare", "slugify"]
