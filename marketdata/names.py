"""Canonical brand names and market codes from the many ways sources write them.

The alias tables are data, not code: ``marketdata/aliases/brands.csv`` and
``markets.csv`` (columns ``alias,canonical``), read once with :mod:`importlib.resources`
and never written. Users add their own aliases in memory with :func:`register_aliases`;
theirs take precedence over the packaged tables.

Names are compared by a *key*: Unicode NFKC (full-width letters become ASCII), case
folded, legal suffixes dropped from brands ("Inc.", "Co., Ltd.", "Corporation", "有限公司"
...), then every character that is not a letter or digit removed. So ``"XIAOMI Inc."``,
``"Xiaomi Corporation"`` and ``"ｘｉａｏｍｉ"`` all have the key ``"xiaomi"``.

Decisions recorded in the tables:

- ``"Nokia (HMD Global)"`` and ``"HMD"`` are ``"HMD Global"``, the company that has made
  Nokia-branded phones since 2017, kept apart from ``"Nokia"`` (Nokia Corporation, to
  2014) so that two companies' series are not spliced. Register
  ``{"Nokia (HMD Global)": "Nokia"}`` to count them as one brand.
- ``"RIM"`` and ``"Research In Motion"`` are ``"BlackBerry"`` (the company's name since
  2013); ``"Sony Ericsson"`` is ``"Sony"`` (Sony Mobile continued it).
- ``"Motorola"`` stays itself; ``"Lenovo"`` is Lenovo as the source counted it (with or
  without Motorola after 2014: see the dataset notes).
- Sub-brands stay themselves: ``"Redmi"``, ``"POCO"``, ``"Honor"``, ``"Tecno"``,
  ``"Infinix"``, ``"itel"``.
- ``"Other"``, ``"其他"`` ... are ``"Others"`` (:data:`marketdata.schema.OTHERS`).
"""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
import warnings
from collections.abc import Mapping
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

from marketdata.errors import UnknownNameWarning

__all__ = ["brand_name", "market_code", "register_aliases", "reset_aliases", "name_key"]

_KINDS = {"brand": "brands.csv", "market": "markets.csv"}
_LEGAL = {
    "inc", "incorporated", "co", "company", "corp", "corporation", "ltd", "limited", "plc",
    "llc", "gmbh", "ag", "oyj", "sa", "nv", "bv", "kk", "holdings", "group",
}  # fmt: skip
_LEGAL_CJK = re.compile(r"(?:股份有限公司|有限公司|有限責任公司|有限责任公司|公司|集團|集团)$")
_USER: dict[str, dict[str, str]] = {"brand": {}, "market": {}}
_MARKET_CODE = re.compile(r"^[A-Z]{2}$")


def name_key(text: str, *, kind: str = "brand") -> str:
    """The comparison key of a name: width-, case-, spacing- and punctuation-free.

    Parameters
    ----------
    text : str
        A brand or market name.
    kind : {"brand", "market"}
        Brands also lose legal suffixes ("Inc.", "Co., Ltd.", "有限公司").

    Returns
    -------
    str

    Examples
    --------
    >>> name_key("XIAOMI Inc."), name_key("Samsung Electronics Co., Ltd.")
    ('xiaomi', 'samsungelectronics')
    >>> name_key("ＨＴＣ"), name_key("U.S.", kind="market")
    ('htc', 'us')
    """
    folded = unicodedata.normalize("NFKC", text).casefold().replace("&", " and ")
    words = [w for w in re.split(r"[\W_]+", folded) if w]
    if kind == "brand":
        while len(words) > 1 and words[-1] in _LEGAL:
            words.pop()
        if words:
            stripped = _LEGAL_CJK.sub("", words[-1])
            if stripped or len(words) > 1:
                words[-1] = stripped
    return "".join(words)


def _check_kind(kind: str) -> None:
    if kind not in _KINDS:
        raise ValueError(f"kind must be 'brand' or 'market', got {kind!r}")


@functools.cache
def _table(kind: str) -> dict[str, str]:
    """The packaged aliases of one kind: key -> canonical (canonical names included)."""
    path = resources.files("marketdata").joinpath("aliases", _KINDS[kind])
    table: dict[str, str] = {}
    with path.open("r", encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            for text in (row["canonical"], row["alias"]):
                key = name_key(text, kind=kind)
                if table.get(key, row["canonical"]) != row["canonical"]:
                    raise RuntimeError(  # a broken package, not bad user data
                        f"aliases/{_KINDS[kind]} line {number}: {text!r} maps to both "
                        f"{table[key]!r} and {row['canonical']!r}"
                    )
                table[key] = row["canonical"]
    return table


def register_aliases(kind: str, mapping: Mapping[str, str]) -> None:
    """Add aliases for this session; they take precedence over the packaged tables.

    Parameters
    ----------
    kind : {"brand", "market"}
    mapping : mapping of str to str
        Alias -> canonical name (for markets, a two-letter upper-case code such as
        ``"TW"``). The canonical name becomes an alias of itself.

    Raises
    ------
    ValueError
        For an unknown kind, an empty name, or a market code that is not two upper-case
        letters.
    TypeError
        If the mapping does not map strings to strings.

    Examples
    --------
    >>> register_aliases("brand", {"Nokia (HMD Global)": "Nokia"})
    >>> brand_name("Nokia (HMD Global)")
    'Nokia'
    >>> reset_aliases()
    >>> brand_name("Nokia (HMD Global)")
    'HMD Global'
    """
    _check_kind(kind)
    if not isinstance(mapping, Mapping):
        raise TypeError(f"mapping must map aliases to names, got {type(mapping).__name__}")
    added = {}
    for alias, canonical in mapping.items():
        if not isinstance(alias, str) or not isinstance(canonical, str):
            raise TypeError(f"aliases and names must be str, got {alias!r}: {canonical!r}")
        if not name_key(alias, kind=kind) or not canonical.strip():
            raise ValueError(f"empty alias or name in {alias!r}: {canonical!r}")
        if kind == "market" and not _MARKET_CODE.match(canonical):
            raise ValueError(
                f"market codes are two upper-case letters (ISO 3166-1 alpha-2, or WW for "
                f"worldwide); got {canonical!r} for {alias!r}"
            )
        canonical = canonical.strip()
        added[name_key(alias, kind=kind)] = canonical
        added[name_key(canonical, kind=kind)] = canonical
    _USER[kind].update(added)


def reset_aliases(kind: str | None = None) -> None:
    """Forget the aliases added with :func:`register_aliases` (of one kind, or all).

    Examples
    --------
    >>> reset_aliases()
    """
    if kind is not None:
        _check_kind(kind)
    for k in _USER if kind is None else (kind,):
        _USER[k].clear()


def _canonical(kind: str, values: Any) -> Any:
    if isinstance(values, pd.DataFrame):
        raise TypeError(f"{kind} names come as a text or a Series (one column), not a DataFrame")
    if isinstance(values, pd.Series):
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        names = np.array(_lookup(kind, list(uniques)) + [pd.NA], dtype=object)
        out = pd.Series(names[codes], index=values.index, name=values.name, dtype="string")
        return out
    if values is None or values is pd.NA or (isinstance(values, float) and np.isnan(values)):
        return values
    return _lookup(kind, [values])[0]


def _lookup(kind: str, texts: list) -> list:
    """Canonical names of distinct texts; one warning naming all unknown ones."""
    table, user = _table(kind), _USER[kind]
    out, unknown = [], []
    for text in texts:
        if not isinstance(text, str):
            raise TypeError(f"{kind} names must be text, got {text!r} ({type(text).__name__})")
        key = name_key(text, kind=kind)
        name = user.get(key) or table.get(key)
        if name is None:
            name = text.strip()
            unknown.append(name)
        out.append(name)
    if unknown:
        shown = ", ".join(repr(u) for u in sorted(set(unknown)))
        warnings.warn(
            f"{len(set(unknown))} unknown {kind} name(s) kept as written: {shown}; if they "
            f"are spellings of known {kind}s, add them with marketdata.register_aliases("
            f"{kind!r}, {{{unknown[0]!r}: ...}})",
            UnknownNameWarning,
            stacklevel=4,
        )
    return out


def brand_name(text_or_series: Any) -> Any:
    """The canonical brand for a name: ``"XIAOMI Inc."``, ``"Mi"``, ``"小米"`` -> ``"Xiaomi"``.

    Case, full-width characters, spacing, punctuation and legal suffixes ("Inc.",
    "Co., Ltd.", "有限公司") do not matter. Unknown names are kept as written (stripped of
    surrounding spaces) and listed in one :class:`~marketdata.errors.UnknownNameWarning`
    per call; they are never guessed. NA stays NA (a figure for the whole market).

    Parameters
    ----------
    text_or_series : str or Series
        One name or a column of them.

    Returns
    -------
    str or Series
        For a Series, a ``string`` Series with the same index and name.

    Examples
    --------
    >>> brand_name("XIAOMI Inc."), brand_name("Mi"), brand_name("小米")
    ('Xiaomi', 'Xiaomi', 'Xiaomi')
    >>> brand_name("宏達電"), brand_name("RIM"), brand_name("其他")
    ('HTC', 'BlackBerry', 'Others')
    >>> import pandas as pd
    >>> brand_name(pd.Series(["Oppo", "維沃", "ASUSTeK Computer Inc."])).tolist()
    ['OPPO', 'vivo', 'Asus']
    """
    return _canonical("brand", text_or_series)


def market_code(text_or_series: Any) -> Any:
    """The market code for a name: ``"Taiwan"``, ``"ROC"``, ``"臺灣"`` -> ``"TW"``.

    Codes are ISO 3166-1 alpha-2 (``"CN"``, ``"US"``, ``"IN"``, ``"GB"``) and ``"WW"``
    for worldwide. Matching is as in :func:`brand_name` (without the legal suffixes);
    unknown names are kept as written and listed in one warning.

    Parameters
    ----------
    text_or_series : str or Series

    Returns
    -------
    str or Series

    Examples
    --------
    >>> market_code("Taiwan"), market_code("Mainland China"), market_code("U.S.")
    ('TW', 'CN', 'US')
    >>> market_code("Global"), market_code("中國"), market_code("uk")
    ('WW', 'CN', 'GB')
    """
    return _canonical("market", text_or_series)
