"""Small cached examples for the doctests (packaged data only)."""

from __future__ import annotations

import functools

from marketdata import datasets

from .project import fit


@functools.cache
def founding():
    """Run-rate projection of Xiaomi's 2011-2012 milestones (packaged ``xiaomi_2011_2012``)."""
    return fit(datasets.load("xiaomi_2011_2012"), "runrate", brand="Xiaomi")
