"""Kept for the tests that still import it: the figures live in :mod:`tests.factories`."""

from tests.factories import Q1, Q2, Y2012, figures

__all__ = ["Q1", "Q2", "Y2012", "figures"]
