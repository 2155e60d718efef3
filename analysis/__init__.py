"""Computing from figures: shares, ranks, concentration, exposure, projections, rank
forecasts and entry scenarios; charts (``analysis.plots``) and the report builder."""

from analysis.projection import Projection, fit

__all__: list[str] = []
__all__ += ["Projection", "fit"]
