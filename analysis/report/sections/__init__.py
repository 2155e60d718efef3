"""The report's sections: each one runs a piece of the analysis and puts it into words.

Each builder takes the report's :class:`~analysis.report.inputs.Inputs` and returns a
:class:`~analysis.report.content.Section`. A section whose data is missing comes back
*omitted*, with the reason, which the report states on its pages; nothing is ever filled
with placeholder numbers.
"""

from analysis.report.sections._common import TOP
from analysis.report.sections.exposure import exposure_section
from analysis.report.sections.market import entry_section, market_section
from analysis.report.sections.projection import projection_section
from analysis.report.sections.rank import INCUMBENT_CV, rank_section

#: The report's sections, in page order.
BUILDERS = (projection_section, market_section, entry_section, rank_section, exposure_section)

__all__ = [
    "BUILDERS",
    "INCUMBENT_CV",
    "TOP",
    "entry_section",
    "exposure_section",
    "market_section",
    "projection_section",
    "rank_section",
]
