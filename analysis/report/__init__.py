"""The report builder: ``build_report`` writes a multi-page PDF, one PNG per chart and an
Excel workbook of every table and chart's data.

``marketshare report`` (see :mod:`analysis.cli`) calls it. Matplotlib and openpyxl are
imported only when a report is built.
"""

from analysis.report.builder import Report, build_report, prepare
from analysis.report.workbook import write_workbook
from analysis.report.writing import slugify

__all__ = ["Report", "build_report", "prepare", "slugify", "write_workbook"]
