"""Tell the text encoding of a file: UTF-8 (with or without BOM), Big5/cp950 or GB18030.

The rule, in order:

1. A UTF-16 byte-order mark means UTF-16.
2. Bytes that decode as UTF-8 (a BOM is dropped) are UTF-8. Chinese text in Big5 or GB
   practically never forms valid UTF-8, so this test is safe.
3. Otherwise the bytes are decoded as cp950 (Microsoft's Big5) and as GB18030. A
   candidate that fails to decode is out. GB18030 decodes almost any byte string, so
   when both decode, each candidate is scored by how *ordinary* its characters are: the
   share of its non-ASCII characters (weighted by how often they occur) that are in the
   codec's own block of frequent characters -- GB2312 level 1 (lead bytes 0xB0-0xD7)
   for GB18030, Big5's frequent hanzi (0xA440-0xC67E) for cp950 -- or in its row of
   punctuation and full-width forms. Text decoded with the wrong codec turns into rare
   characters, kana, Greek or private-use symbols, and scores low. The higher score
   wins; a tie goes to GB18030.
4. If nothing decodes, ``DataError`` names the line of the first bad byte and asks for
   ``encoding=``.
"""

from __future__ import annotations

import codecs
import re
from collections import Counter

from marketdata.errors import DataError

__all__ = ["decode", "line_of", "newline_of", "ordinariness"]

_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _common_gb(char: str) -> bool:
    try:
        code = char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return len(code) == 2 and (0xB0 <= code[0] <= 0xD7 or 0xA1 <= code[0] <= 0xA3)


def _common_big5(char: str) -> bool:
    try:
        code = char.encode("cp950")
    except UnicodeEncodeError:
        return False
    if len(code) != 2:
        return False
    value = code[0] << 8 | code[1]
    return 0xA440 <= value <= 0xC67E or 0xA140 <= value <= 0xA3BF


_COMMON = {"gb18030": _common_gb, "cp950": _common_big5}


def ordinariness(text: str, codec: str) -> float:
    """Share of the non-ASCII characters of ``text`` that are frequent ones in ``codec``.

    Examples
    --------
    >>> round(ordinariness("小米 700萬", "cp950"), 2)
    1.0
    >>> raw = "小米 700萬".encode("cp950")
    >>> ordinariness(raw.decode("gb18030"), "gb18030") < 0.5
    True
    """
    weights: Counter[str] = Counter()
    for run, count in Counter(_NON_ASCII.findall(text)).items():
        for char in run:
            weights[char] += count
    total = sum(weights.values())
    if not total:
        return 1.0
    common = _COMMON[codec]
    return sum(n for char, n in weights.items() if common(char)) / total


def line_of(data: bytes | str, offset: int) -> int:
    """The line (1 = first) holding ``data[offset]``.

    Lines end with ``\\n`` (or ``\\r\\n``); in a file with no ``\\n`` at all, an old Mac
    file, with a bare ``\\r``.

    Examples
    --------
    >>> line_of(b"a\\r\\nb\\nc", 5), line_of("a\\rb\\rc", 4)
    (3, 3)
    """
    newline = newline_of(data)
    return data.count(newline, 0, offset) + 1


def newline_of(data: bytes | str) -> bytes | str:
    """What ends a line in ``data``: ``\\n``, or ``\\r`` if it has no ``\\n`` but a ``\\r``.

    Examples
    --------
    >>> newline_of(b"a\\r\\nb"), newline_of("a\\rb")
    (b'\\n', '\\r')
    """
    lf, cr = ("\n", "\r") if isinstance(data, str) else (b"\n", b"\r")
    return cr if lf not in data and cr in data else lf


def decode(data: bytes, *, encoding: str | None = None, file: str | None = None) -> tuple[str, str]:
    """Decode ``data``; return ``(text, encoding used)``. See the module notes for the rule.

    Parameters
    ----------
    data : bytes
    encoding : str, optional
        Use this codec (strictly) instead of detecting one.
    file : str, optional
        For error messages.

    Raises
    ------
    DataError
        If the bytes do not decode, naming the line of the first bad byte.
    ValueError
        If ``encoding`` is not a codec Python knows.

    Examples
    --------
    >>> decode("小米,700萬".encode("big5"))[1]
    'cp950'
    >>> decode("小米,700万".encode("gb18030"))[1]
    'gb18030'
    >>> decode(b"\\xef\\xbb\\xbfbrand")
    ('brand', 'utf-8-sig')
    """
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise ValueError(
                f"unknown encoding {encoding!r}; try 'utf-8', 'cp950' or 'gb18030'"
            ) from None
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as exc:
            raise DataError(
                f"the bytes on line {line_of(data, exc.start)} (offset {exc.start}) do not "
                f"decode as {encoding}",
                file=file,
                line=line_of(data, exc.start),
                row=None,
                value=data[exc.start : exc.start + 4],
                hint="check the encoding, or leave encoding= out to detect it",
            ) from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode(data, encoding="utf-16", file=file)
    try:
        return data.decode("utf-8-sig"), "utf-8-sig"
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    candidates = {}
    for codec in ("cp950", "gb18030"):
        try:
            candidates[codec] = data.decode(codec)
        except UnicodeDecodeError:
            continue
    if not candidates:
        raise DataError(
            "the file is not UTF-8, Big5 (cp950) or GB18030 text",
            file=file,
            hint=f"the first byte that is not UTF-8 is on line {line_of(data, first_bad)}; "
            "pass encoding= if you know the file's encoding",
        )
    if len(candidates) == 1:
        (codec, text), *_ = candidates.items()
        return text, codec
    scores = {codec: ordinariness(text, codec) for codec, text in candidates.items()}
    codec = "cp950" if scores["cp950"] > scores["gb18030"] else "gb18030"
    return candidates[codec], codec
