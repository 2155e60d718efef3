"""Market shares: each brand's share of its market in each window, and changes between windows."""

from __future__ import annotations

from numbers import Real

import numpy as np
import pandas as pd

from analysis.structure import _share_engine as engine
from analysis.structure._select import only_windows, parse_window, rows_of
from analysis.structure._share_engine import check_same_metric
from marketdata import schema as s
from marketdata.errors import DataError

SHARE_PP = "share_pp"


def market_share(
    figures: pd.DataFrame,
    *,
    market_size: float | pd.DataFrame | None = None,
    others: str = s.OTHERS,
    overcount: str = "raise",
    tolerance: float | None = None,
) -> pd.DataFrame:
    """Each brand's share of its market in each (market, start, end) window.

    The denominator of a window is its market size when there is one (a row with brand
    NA, or ``market_size=``), else the sum of its rows. When the market size exceeds the
    listed brands, the remainder becomes an explicit ``others`` row (added to the window's
    own ``others`` row if it has one). Share data (a ``share`` column, no ``units``) passes
    through, with an ``others`` row for ``1 - sum``.

    Parameters
    ----------
    figures : DataFrame
        A figures frame (``units``, or ``share`` for share data). Not modified.
    market_size : float or DataFrame, optional
        The market size: one number for every window, or market-size rows (brand NA)
        matched to windows by market, start and end exactly. This is how a size measured
        differently (metric ``demand``, or a survey) is combined on purpose: a size row
        inside ``figures`` whose metric differs from its brands' is refused. With share
        data it converts shares to ``units`` (see :func:`shares_to_units`).
    others : str, default "Others"
        Name of the residual row. Residual rows (``Others``, ``Unknown``) are kept but
        never ranked as brands.
    overcount : {"raise", "warn"}
        When a window's listed brands add up to more than its market size (a double
        count): raise a ``DataError`` naming the rows, or warn (``DoubleCountWarning``) and
        use the listed sum as the market.
    tolerance : float, optional
        How far a window's sum may exceed 1 (shares) or its market size (units) before it
        is refused or called a double count. Default: the rounding the figures carry,
        half a unit of the last digit given times the number of rows (StatCounter's ~40
        shares to two decimals of a percent may sum to 100 +/- 0.2%). Shares within it
        are kept as given. ``0`` for exact sums; a fraction for shares, units for units.

    Returns
    -------
    DataFrame
        Columns ``market, start, end, brand, units, share, market_units, metric,
        double_count`` (and ``source`` when the figures have one), one row per brand and
        window, sorted by market, window, share (largest first), residuals last.
        ``market_units`` is the denominator; ``double_count`` is True for windows that
        list more units than their market size (with ``overcount="warn"``).

    Raises
    ------
    DataError
        Negative, missing or non-finite figures, shares above 1, a window's shares summing
        above 1 beyond their rounding (naming market, window and sum) or all zero, a brand
        twice in one window, mixed metrics (usage, installed base, shipments, sales) or
        bases in one window, overlapping windows in one market (a quarter with its year),
        listed units above the market size (unless ``overcount="warn"``). Each names the
        rows.

    Warns
    -----
    DoubleCountWarning
        With ``overcount="warn"``; or when notes mention a double count in a window with no
        market size to check it against (the notes are a hint, the arithmetic decides).
    DataWarning
        When a window lists every unit (it has a residual row) yet falls short of its
        market size (``Total``) beyond rounding: both numbers are named.

    Examples
    --------
    >>> import pandas as pd
    >>> from analysis import market_share
    >>> figures = pd.DataFrame({
    ...     "brand": ["A", "B", pd.NA], "market": "TW",
    ...     "start": pd.Timestamp("2012-01-01"), "end": pd.Timestamp("2012-12-31"),
    ...     "units": [3e6, 1e6, 5e6], "metric": "shipments"})
    >>> market_share(figures)[["brand", "units", "share"]]
        brand      units  share
    0       A  3000000.0    0.6
    1       B  1000000.0    0.2
    2  Others  1000000.0    0.2
    """
    table = engine.share_table(
        figures, market_size=market_size, others=others, overcount=overcount, tolerance=tolerance
    )
    return table.frame


def shares_to_units(
    figures: pd.DataFrame,
    market_size: float | pd.DataFrame,
    *,
    others: str | None = s.OTHERS,
) -> pd.DataFrame:
    """Convert share figures to units against a market size.

    Parameters
    ----------
    figures : DataFrame
        A figures frame with a ``share`` column (fractions 0-1). Not modified.
    market_size : float or DataFrame
        One number of units for every window, or market-size rows (brand NA) matched to
        the shares' windows by market, start and end *exactly*. A size measured for a
        different window (Taiwan's 7M for 2012 against 2013 shares) is refused: pass the
        number to apply it deliberately. A size's metric (e.g. ``demand``) may differ from
        the shares': passing it here is the explicit choice to combine them.
    others : str or None, default "Others"
        Add a residual row with ``1 - sum(shares)`` of the market under this name; None
        adds none.

    Returns
    -------
    DataFrame
        A new figures frame: the share rows with ``units = share * market size`` and
        ``status="estimate"`` (derived figures), the ``others`` rows, the ``share`` kept,
        the size's ``qualifier`` carried (an "over 7M" market gives "over" units), and a
        ``note`` saying how each figure was derived.

    Raises
    ------
    DataError
        Shares that are not fractions or sum above 1 in a window; a window without a size.

    Examples
    --------
    >>> from marketdata import datasets
    >>> from analysis import shares_to_units
    >>> tw = datasets.load("taiwan_vendor_share")
    >>> tw2013 = tw[tw["end"] == "2013-12-31"]
    >>> shares_to_units(tw2013, 7_000_000)[["brand", "share", "units"]]
         brand  share      units
    0  Samsung   0.28  1960000.0
    1      HTC   0.21  1470000.0
    2     Sony   0.16  1120000.0
    3    Apple   0.13   910000.0
    4       LG   0.03   210000.0
    5   Others   0.19  1330000.0
    """
    if s.SHARE not in figures.columns:
        raise DataError(
            "shares_to_units needs a 'share' column",
            hint="load share data (e.g. datasets.load('taiwan_vendor_share'))",
        )
    if s.UNITS in figures.columns:
        raise DataError(
            "the shares frame already has a 'units' column",
            hint="drop it, or use market_share on the units",
        )
    if market_size is None:
        raise ValueError("shares_to_units needs a market_size (a number or a frame)")
    table = engine.share_table(figures, market_size=market_size, others=others or s.OTHERS)
    frame = table.frame
    if others is None:
        listed = frame[s.BRAND].isin(figures[s.BRAND].dropna().unique()).to_numpy(dtype=bool)
        frame = frame[listed].reset_index(drop=True)

    # bring back the figures columns of the share rows (basis, status, source, ...)
    extra = [
        c
        for c in figures.columns
        if c not in (s.MARKET, s.START, s.END, s.BRAND, s.SHARE, s.METRIC, s.SOURCE)
    ]
    key = [s.MARKET, s.START, s.END, s.BRAND]
    left = figures[key + extra].copy()
    left[s.MARKET] = left[s.MARKET].astype("string")
    # text dates, as share_table read (and checked) them
    left[s.START] = pd.to_datetime(left[s.START]).astype("datetime64[ns]")
    left[s.END] = pd.to_datetime(left[s.END]).astype("datetime64[ns]")
    left[s.BRAND] = left[s.BRAND].astype("string")
    out = frame.drop(columns=[engine.MARKET_UNITS, engine.DOUBLE_COUNT]).merge(
        left, on=key, how="left"
    )
    if s.BASIS in out.columns:
        out[s.BASIS] = (
            out[s.BASIS].fillna(s.PERIOD)
            if out[s.BASIS].dtype != "category"
            else out[s.BASIS].astype("string").fillna(s.PERIOD)
        )
    out[s.STATUS] = s.ESTIMATE
    size_text = _matched(market_size, frame, s.SOURCE, "given as a number")
    out[s.NOTE] = [
        f"units = share x market size {m:,.0f} ({text})"
        for m, text in zip(frame[engine.MARKET_UNITS], size_text, strict=True)
    ]
    qualifier = _matched(market_size, frame, s.QUALIFIER, None)
    if not pd.isna(qualifier).all():
        out[s.QUALIFIER] = qualifier
    if s.SOURCE in out.columns:
        out[s.SOURCE] = (
            out[s.SOURCE].fillna("").astype("string") + "; market size: " + list(size_text)
        )
    first = [c for c in s.COLUMNS if c in out.columns] + [s.SHARE]
    return out[first + [c for c in out.columns if c not in first]]


def _matched(market_size, frame: pd.DataFrame, column: str, default) -> np.ndarray:
    """``column`` of the market-size row matched to each row's window (default if none)."""
    if isinstance(market_size, Real) or column not in market_size.columns:
        return np.full(len(frame), default, dtype=object)
    sizes = market_size[market_size[s.BRAND].isna()] if s.BRAND in market_size else market_size
    sizes = pd.DataFrame(
        {
            s.MARKET: sizes[s.MARKET].astype("string").to_numpy(dtype=object),
            s.START: pd.to_datetime(sizes[s.START]).to_numpy(dtype="datetime64[ns]"),
            s.END: pd.to_datetime(sizes[s.END]).to_numpy(dtype="datetime64[ns]"),
            "_value": sizes[column].astype(object).to_numpy(),
        }
    )
    keys = pd.DataFrame(
        {
            s.MARKET: frame[s.MARKET].to_numpy(dtype=object),
            s.START: frame[s.START].to_numpy(),
            s.END: frame[s.END].to_numpy(),
        }
    )
    merged = keys.merge(sizes, on=[s.MARKET, s.START, s.END], how="left")
    values = merged["_value"].astype(object).to_numpy()
    if default is not None:
        values = np.where(pd.isna(values), default, values)
    return values


def share_change(
    figures: pd.DataFrame,
    *,
    from_: str | pd.Period | tuple,
    to: str | pd.Period | tuple,
    market_size: float | pd.DataFrame | None = None,
    others: str = s.OTHERS,
    overcount: str = "raise",
    tolerance: float | None = None,
) -> pd.DataFrame:
    """Each brand's change in share between two windows, in percentage points.

    Parameters
    ----------
    figures : DataFrame
        A figures frame holding both windows (units or shares).
    from_, to : str, Period or (start, end)
        The windows: ``"2013Q1"``, ``"2013"``, ``"2013-06"``, a ``pd.Period`` or a pair
        of dates. Each must match a window of the figures exactly.
    market_size, others, overcount, tolerance
        As in :func:`market_share`.

    Returns
    -------
    DataFrame
        Columns ``market, brand, metric, from_start, from_end, to_start, to_end,
        share_from, share_to, share_pp`` (``share_pp = 100 * (share_to - share_from)``).
        A brand listed in only one window has NaN for the other and for ``share_pp``:
        absent is not zero.

    Raises
    ------
    ValueError
        A window not in the figures.
    DataError
        The two windows measure different metrics (shipments against sales).

    Examples
    --------
    >>> from marketdata import datasets
    >>> from analysis import share_change
    >>> ww = datasets.load("worldwide_quarterly_shipments_by_vendor")
    >>> change = share_change(ww, from_="2023Q4", to="2024Q1")
    >>> change.loc[change["brand"] == "Apple", ["share_from", "share_to", "share_pp"]].round(3)
       share_from  share_to  share_pp
    1       0.247     0.173    -7.382
    """
    windows = {name: parse_window(spec, name) for name, spec in (("from_", from_), ("to", to))}
    table = market_share(
        only_windows(figures, list(windows.values())),
        market_size=market_size,
        others=others,
        overcount=overcount,
        tolerance=tolerance,
    )
    a, b = (rows_of(table, windows[name], name, figures) for name in ("from_", "to"))
    check_same_metric(pd.concat([a[s.METRIC], b[s.METRIC]]), "the two windows")
    key = [s.MARKET, s.BRAND]
    a = a[key + [s.METRIC, s.START, s.END, s.SHARE]].rename(
        columns={s.START: "from_start", s.END: "from_end", s.SHARE: "share_from"}
    )
    b = b[key + [s.METRIC, s.START, s.END, s.SHARE]].rename(
        columns={s.START: "to_start", s.END: "to_end", s.SHARE: "share_to"}
    )
    out = a.merge(b, on=key + [s.METRIC], how="outer", sort=False)
    for column, (start, end) in (("from", windows["from_"]), ("to", windows["to"])):
        out[f"{column}_start"] = start
        out[f"{column}_end"] = end
    out[SHARE_PP] = 100.0 * (out["share_to"] - out["share_from"])
    residual = out[s.BRAND].isin(list(s.RESIDUAL_BRANDS) + [others]).to_numpy(dtype=bool)
    out = out.assign(_r=residual, _k=-out["share_to"].fillna(-1.0))
    out = out.sort_values([s.MARKET, "_r", "_k"], kind="stable").drop(columns=["_r", "_k"])
    columns = [
        s.MARKET,
        s.BRAND,
        s.METRIC,
        "from_start",
        "from_end",
        "to_start",
        "to_end",
        "share_from",
        "share_to",
        SHARE_PP,
    ]
    return out[columns].reset_index(drop=True)


__all__ = ["SHARE_PP", "market_share", "share_change", "shares_to_units"]
