"""Reading tables into figures frames: :func:`read`, :func:`from_frame` and their options.

- :mod:`marketdata.read.options`: :class:`ReadOptions`, one set of checked options shared
  by ``read``, ``from_frame`` and the command line.
- :mod:`marketdata.read.steps`: the loader's steps (place columns, parse fields,
  defaults, duplicates, the rejected frame) on :mod:`marketdata.read.candidates`;
  :mod:`marketdata.read.windows`: checks of whole windows (totals, one brand's wide
  columns, percent, all-zero windows).
- :mod:`marketdata.read.stated`: the unit a table states in its title or figures
  header ("(in million units)", ``單位：萬台``), applied when ``scale=`` is not given.
- :mod:`marketdata.read.load`: ``read``, ``from_frame`` and ``Loaded``.
"""

from marketdata.read.load import Loaded, frame_with, from_frame, read, read_with
from marketdata.read.options import ReadOptions

__all__ = ["Loaded", "ReadOptions", "frame_with", "from_frame", "read", "read_with"]
