"""Computing from figures: shares, ranks, concentration, exposure, projections, rank
forecasts and entry scenarios; charts (``analysis.plots``) and the report builder."""

__all__: list[str] = []
