"""Packaged real data with provenance: ``names()`` and ``load(name)``. See SOURCES.md."""

from marketdata.datasets.catalog import load, names, raw_file

__all__ = ["load", "names", "raw_file"]
