"""Compatibility names: text encodings live in :mod:`marketdata.io.encodings`."""

from marketdata.io.encodings import decode, ordinariness

__all__ = ["decode", "ordinariness"]
