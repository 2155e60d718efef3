"""Compatibility names: the file-format layer lives in :mod:`marketdata.io`."""

from marketdata.io import Table, as_objects, dictionary_parts, read_table

__all__ = ["Table", "as_objects", "dictionary_parts", "read_table"]
