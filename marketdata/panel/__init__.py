"""Sell-through panels: reduce store x SKU x week rows to a figures frame, in an engine."""

from marketdata.panel.read import PanelLoaded, read_panel

__all__ = ["PanelLoaded", "read_panel"]
