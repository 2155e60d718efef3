"""Small cached examples for the doctests (packaged data only)."""

from __future__ import annotations

import functools


@functools.cache
def founding():
    """Run-rate projection of Xiaomi's 2011-2012 milestones (packaged ``xiaomi_2011_2012``)."""
    from marketdata import datasets

    from .project import fit

    return fit(datasets.load("xiaomi_2011_2012"), "runrate", brand="Xiaomi")
