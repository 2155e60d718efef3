"""Read one market window out of a figures frame: the listed brands, the residual and the
market size, with notes on anything the analyst should know (mismatched windows, "over"
qualifiers, a market size of a different metric)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis._format import window_label
from marketdata import schema as s
from marketdata.errors import DataError

__all__ = ["MarketWindow", "read_window"]


@dataclass(frozen=True)
class MarketWindow:
    """The figures of one market and window, ready for simulation.

    ``values`` holds units for rows with units and fractions for rows with shares
    (``is_share`` says which); ``market_size`` is the units of a brand-NA row, if any;
    ``residual`` is the units (or share, ``residual_is_share``) of an ``Others`` row.
    """

    market: str | None
    start: pd.Timestamp
    end: pd.Timestamp
    names: tuple[str, ...]
    values: np.ndarray
    is_share: np.ndarray
    market_size: float | None
    residual: float | None
    residual_is_share: bool
    sources: tuple[str, ...]
    notes: tuple[str, ...] = field(default=())


def _refused(problem: str, i: int, column: str, value: object, hint: str) -> DataError:
    return DataError(problem, row=i + 1, column=column, value=value, hint=hint)


def _row_value(frame: pd.DataFrame, i: int) -> tuple[float, bool]:
    """(value, is_share) of row position ``i``: units where given, else the share."""
    row = frame.iloc[i]
    if s.UNITS in frame.columns and pd.notna(row[s.UNITS]):
        column, is_share = s.UNITS, False
    elif s.SHARE in frame.columns and pd.notna(row[s.SHARE]):
        column, is_share = s.SHARE, True
    else:
        raise _refused(
            "the row has neither units nor a share",
            i,
            s.UNITS,
            None,
            "give the brand's units or its share (a fraction 0-1), or drop the row",
        )
    try:
        value = float(row[column])
    except (TypeError, ValueError):
        raise _refused(
            f"{column} is not a number",
            i,
            column,
            row[column],
            "parse text with marketdata.parse_units",
        ) from None
    if not np.isfinite(value) or value < 0:
        raise _refused(
            f"{column} must be a finite number >= 0",
            i,
            column,
            row[column],
            "volumes and shares are never negative; fix or drop the row",
        )
    if is_share and value > 1:
        raise _refused(
            "share is above 1",
            i,
            column,
            row[column],
            "shares are fractions 0-1: divide percentages by 100",
        )
    return value, is_share


def read_window(figures: pd.DataFrame, *, market: str | None = None, end=None) -> MarketWindow:
    """Pick the single market window of ``figures`` (see :func:`project_rank`)."""
    if not isinstance(figures, pd.DataFrame):
        raise TypeError(
            f"figures must be a pandas DataFrame (a figures frame), got {type(figures).__name__}"
        )
    missing = [c for c in (s.BRAND, s.MARKET, s.END) if c not in figures.columns]
    if missing or not ({s.UNITS, s.SHARE} & set(figures.columns)):
        raise DataError(
            f"the market figures lack the column(s) {missing or [s.UNITS + ' or ' + s.SHARE]}",
            hint="pass a figures frame (marketdata.read / marketdata.datasets.load)",
        )
    frame = figures.reset_index(drop=True)
    if s.START not in frame.columns:
        frame = frame.assign(**{s.START: pd.NaT})
    if len(frame) == 0:
        raise DataError(
            "the market is empty: the figures frame has no rows",
            hint="pass the figures of one market and window (brands and/or a market size)",
        )
    positions = np.arange(len(frame))
    markets = frame[s.MARKET].astype("string")
    if market is not None:
        keep = (markets == market).to_numpy(dtype=bool, na_value=False)
        if not keep.any():
            raise DataError(
                f"no figures for market {market!r}",
                column=s.MARKET,
                value=market,
                hint=f"choose one of {sorted(markets.dropna().unique().tolist())}",
            )
        positions = positions[keep]
    brand = frame[s.BRAND].astype("string")
    is_size = brand.isna().to_numpy()
    is_residual = brand.isin(s.RESIDUAL_BRANDS).to_numpy(dtype=bool, na_value=False)
    brand_pos = positions[~is_size[positions] & ~is_residual[positions]]
    if end is not None:
        wanted = pd.Timestamp(end)
        brand_pos = brand_pos[(frame[s.END].iloc[brand_pos] == wanted).to_numpy()]
        if len(brand_pos) == 0:
            raise DataError(
                f"no brand figures end on {wanted.date()}",
                column=s.END,
                value=end,
                hint="choose an end date the brand rows have",
            )
    notes: list[str] = []

    if len(brand_pos):
        brand_markets = markets.iloc[brand_pos].unique().tolist()
        if len(brand_markets) > 1:
            raise DataError(
                f"the brand figures cover several markets {brand_markets}",
                column=s.MARKET,
                value=brand_markets,
                hint="filter the frame to one market, or pass market=",
            )
        windows = frame.iloc[brand_pos][[s.START, s.END]].drop_duplicates()
        if len(windows) > 1:
            shown = [window_label(a, b) for a, b in windows.itertuples(index=False)][:6]
            raise DataError(
                f"the brand figures cover {len(windows)} windows ({', '.join(shown)})",
                column=s.END,
                hint="rank within one window: filter the frame, e.g. "
                "figures[figures['end'] == '2013-12-31'], or pass end=",
            )
        the_market = brand_markets[0]
        start, stop = windows.iloc[0][s.START], windows.iloc[0][s.END]
    else:
        the_market, start, stop = None, pd.NaT, pd.NaT

    if s.METRIC in frame.columns and len(brand_pos):
        metrics = frame[s.METRIC].astype("string").iloc[brand_pos]
        if metrics.nunique(dropna=False) > 1:
            rows = ", ".join(str(int(i) + 1) for i in brand_pos[:5])
            raise DataError(
                f"the brand figures mix metrics {sorted(metrics.dropna().unique().tolist())} "
                f"(rows {rows})",
                row=int(brand_pos[0]) + 1,
                column=s.METRIC,
                value=metrics.iloc[0],
                hint="rank like with like: select one metric (shipments or sales) first",
            )

    names = brand.iloc[brand_pos].tolist()
    dup = pd.Series(names).duplicated()
    if dup.any():
        name = names[int(np.flatnonzero(dup)[0])]
        raise DataError(
            f"brand {name!r} has several figures in the window",
            row=int(brand_pos[int(np.flatnonzero(dup)[0])]) + 1,
            column=s.BRAND,
            value=name,
            hint="keep one figure per brand (sum sub-brands first, or drop duplicates)",
        )
    pairs = [_row_value(frame, int(i)) for i in brand_pos]
    values = np.array([v for v, _ in pairs], dtype=float)
    is_share = np.array([sh for _, sh in pairs], dtype=bool)

    def in_market(pos):
        if the_market is None:
            return pos
        return pos[(markets.iloc[pos] == the_market).to_numpy(dtype=bool, na_value=False)]

    def same_window(pos):
        if not len(pos) or the_market is None:
            return pos
        st = frame[s.START].iloc[pos]
        en = frame[s.END].iloc[pos]
        match = ((st == start) | (st.isna() & pd.isna(start))) & (en == stop)
        return pos[match.to_numpy(dtype=bool)]

    size_pos = in_market(positions[is_size[positions]])
    market_size = None
    if len(size_pos):
        exact = same_window(size_pos)
        if len(exact) == 1:
            chosen = int(exact[0])
        elif len(size_pos) == 1:
            chosen = int(size_pos[0])
            if the_market is not None:
                notes.append(
                    f"the market size covers {window_label(frame[s.START].iloc[chosen], frame[s.END].iloc[chosen])}"
                    f" but the brand figures cover {window_label(start, stop)}; used as it is"
                )
        else:
            raise DataError(
                f"{len(size_pos)} market sizes (brand NA rows) could apply",
                column=s.BRAND,
                hint="keep one market-size row for the window, or pass market_size=",
            )
        value, share_row = _row_value(frame, chosen)
        if share_row:
            raise DataError(
                "the market-size row (brand NA) holds a share, not units",
                row=chosen + 1,
                column=s.SHARE,
                hint="give the market size in units",
            )
        market_size = value
        if s.QUALIFIER in frame.columns and pd.notna(frame[s.QUALIFIER].iloc[chosen]):
            qual = str(frame[s.QUALIFIER].iloc[chosen])
            notes.append(
                f"the market size is qualified {qual!r} ({value:,.0f}); a range such as "
                f"market_size=(low, base, high) says that"
            )
        if s.METRIC in frame.columns and len(brand_pos):
            size_metric = frame[s.METRIC].iloc[chosen]
            brand_metrics = set(frame[s.METRIC].iloc[brand_pos].astype("string").dropna())
            if pd.notna(size_metric) and brand_metrics and {str(size_metric)} != brand_metrics:
                notes.append(
                    f"the market size is {size_metric} while the brand figures are "
                    f"{', '.join(sorted(brand_metrics))}"
                )

    residual_pos = same_window(in_market(positions[is_residual[positions]]))
    residual, residual_is_share = None, False
    if len(residual_pos) > 1:
        raise DataError(
            f"{len(residual_pos)} residual rows ({', '.join(s.RESIDUAL_BRANDS)}) in the window",
            row=int(residual_pos[1]) + 1,
            column=s.BRAND,
            hint="keep one residual row per window",
        )
    if len(residual_pos) == 1:
        residual, residual_is_share = _row_value(frame, int(residual_pos[0]))

    used = np.concatenate([brand_pos, size_pos, residual_pos]).astype(int)
    sources = ()
    if s.SOURCE in frame.columns and len(used):
        sources = tuple(dict.fromkeys(frame[s.SOURCE].iloc[used].dropna().astype(str)))
    return MarketWindow(
        market=the_market if the_market is not None else (market or None),
        start=start,
        end=stop,
        names=tuple(str(n) for n in names),
        values=values,
        is_share=is_share,
        market_size=market_size,
        residual=residual,
        residual_is_share=residual_is_share,
        sources=sources,
        notes=tuple(notes),
    )
