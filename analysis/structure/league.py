"""The league table of a tracker's press release: top brands of a window against a year ago.

IDC, Canalys and Counterpoint publish one table per quarter: the top five vendors by
volume, their units and share, the same a year earlier, the growth and the change in
share; the rest is ``Others`` (everything outside this window's top five, in both years)
and the last row is the market total. :func:`league_table` computes that table from a
figures frame.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from analysis._format import percent_label, pp_label, units_label, window_label
from analysis._summary import Summary
from analysis._validation import check_integer, check_option
from analysis.structure._select import Window, only_windows, parse_window, rows_of
from analysis.structure._share_engine import DOUBLE_COUNT, MARKET_UNITS, check_same_metric
from analysis.structure.shares import market_share
from marketdata import schema as s

__all__ = ["COMPARE", "LeagueTable", "league_table"]

COMPARE = ("year", "previous")
TOTAL = "Total"
_COLUMNS = [
    s.MARKET,
    "rank",
    s.BRAND,
    s.UNITS,
    s.SHARE,
    "units_compare",
    "share_compare",
    "growth",
    "share_pp",
]


@dataclass(frozen=True, repr=False)
class LeagueTable:
    """A league table (see :func:`league_table`).

    Methods
    -------
    frame()
        ``market, rank, brand, units, share, units_compare, share_compare, growth,
        share_pp``: the top brands, then ``Others`` and ``Total`` (rank NA). ``growth`` is
        a fraction (0.38 = +38%), ``share_pp`` percentage points.
    summary(), style()
        The table formatted as the charts format numbers (a Summary; a pandas Styler).
    plot(ax=None, **kwargs)
        :func:`analysis.plots.plot_league_table`.
    """

    table: pd.DataFrame
    market: str
    window: Window
    compare_window: Window
    compare: str
    metric: str
    notes: tuple[str, ...] = field(default_factory=tuple)
    source: tuple[str, ...] = field(default_factory=tuple)

    @property
    def label(self) -> str:
        """The window's label (``2013Q4``)."""
        return window_label(*self.window)

    @property
    def compare_label(self) -> str:
        """The compared window's label (``2012Q4``)."""
        return window_label(*self.compare_window)

    def frame(self) -> pd.DataFrame:
        """The table as raw numbers (a copy)."""
        return self.table.copy()

    def _display(self) -> pd.DataFrame:
        """Column names as a press release prints them, values still numbers."""
        now, then = self.label, self.compare_label
        change = "growth (year on year)" if self.compare == "year" else "growth"
        out = self.table.drop(columns=[s.MARKET]).rename(
            columns={
                s.UNITS: f"units {now}",
                s.SHARE: f"share {now}",
                "units_compare": f"units {then}",
                "share_compare": f"share {then}",
                "growth": change,
                "share_pp": "share change",
            }
        )
        empty = [c for c in out.columns if out[c].isna().all()]  # share data: no units
        return out.drop(columns=empty)

    def _kinds(self) -> dict[str, str]:
        now, then = self.label, self.compare_label
        kinds = {f"units {c}": "units" for c in (now, then)}
        kinds.update({f"share {c}": "share" for c in (now, then)})
        kinds.update({"growth (year on year)": "share", "growth": "share"})
        kinds["share change"] = "share_pp"
        return kinds

    def summary(self) -> Summary:
        """The table with units as 6.93M, shares as 27%, changes as +2.1 pp."""
        return Summary(
            f"Top {int(self.table['rank'].notna().sum())} {self.metric} in {self.market} "
            f"{self.label} (against {self.compare_label})",
            tables=[("", self._display())],
            notes=[*self.notes, *(f"Source: {x}" for x in self.source)],
            kinds=self._kinds(),
        )

    def style(self):
        """A pandas Styler with the numbers formatted (for notebooks and HTML reports)."""
        display = self._display()
        formats = {}
        kinds = {c: k for c, k in self._kinds().items() if c in display.columns}
        for column, kind in kinds.items():
            if kind == "units":
                formats[column] = units_label
            elif column.startswith("growth"):  # a change: signed, as press releases print it
                formats[column] = lambda x: "–" if pd.isna(x) else f"{100 * x:+.1f}%"
            elif kind == "share":
                formats[column] = lambda x: percent_label(x, decimals=1)
            else:
                formats[column] = pp_label
        styler = display.style.format(formats, na_rep="–").hide(axis="index")
        return styler.set_caption(self.summary().title)

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """The table as a chart: :func:`analysis.plots.plot_league_table`."""
        from analysis import plots  # not at the top: `import analysis` leaves analysis.plots out

        return plots.plot_league_table(self, ax=ax, **kwargs)

    def __repr__(self) -> str:
        return self.summary().as_text()

    def _repr_html_(self) -> str:
        return self.summary().as_html()


def _compare_window(window: Window, compare: str) -> Window:
    """The window a year earlier, or the one just before (of the same calendar length)."""
    start, end = window
    label = window_label(start, end)
    try:
        period = pd.Period(label)
    except ValueError:
        period = None
    if period is not None and period.start_time.normalize() == start:
        step = {"Y": 1, "Q": 4, "M": 12}.get(period.freqstr[0], None)
        earlier = period - (step if compare == "year" else 1) if step else None
        if earlier is not None:
            return earlier.start_time.normalize(), earlier.end_time.normalize()
    if compare == "year":
        one = pd.DateOffset(years=1)
        return start - one, (end + pd.Timedelta(days=1)) - one - pd.Timedelta(days=1)
    length = end - start + pd.Timedelta(days=1)
    return start - length, start - pd.Timedelta(days=1)


def _one_market(figures: pd.DataFrame, market: str | None) -> tuple[pd.DataFrame, str]:
    markets = figures[s.MARKET].astype("string").dropna().unique()
    if market is None:
        if len(markets) != 1:
            raise ValueError(
                f"the figures hold {len(markets)} markets ({', '.join(map(str, markets[:5]))}); "
                "pass market= to choose one"
            )
        return figures, str(markets[0])
    rows = (figures[s.MARKET].astype("string") == market).to_numpy(dtype=bool, na_value=False)
    if not rows.any():
        raise ValueError(
            f"market={market!r} is not in the figures ({', '.join(map(str, markets))})"
        )
    return figures[rows], market


def _lines(now: pd.DataFrame, then: pd.DataFrame, top: int, others: str):
    """The top brands' rows, Others and Total, for the window and the compared one."""
    residual = now[s.BRAND].isin(list(s.RESIDUAL_BRANDS) + [others]).to_numpy()
    leaders = now[~residual].head(top)  # market_share sorts named brands largest first
    value = s.UNITS if now[s.UNITS].notna().all() else s.SHARE
    before = then.set_index(s.BRAND)
    units_then = before[s.UNITS].reindex(leaders[s.BRAND]).to_numpy()
    share_then = before[s.SHARE].reindex(leaders[s.BRAND]).to_numpy()
    total_now, total_then = _total(now, value), _total(then, value)
    units = leaders[s.UNITS].to_numpy()
    share = leaders[s.SHARE].to_numpy()
    out = pd.DataFrame(
        {
            "rank": pd.array(list(range(1, len(leaders) + 1)) + [None, None], dtype="Int64"),
            s.BRAND: [*leaders[s.BRAND], others, TOTAL],
            s.UNITS: [*units, total_now[0] - np.nansum(units), total_now[0]],
            s.SHARE: [*share, total_now[1] - share.sum(), total_now[1]],
            "units_compare": [
                *units_then,
                total_then[0] - np.nansum(units_then),
                total_then[0],
            ],
            "share_compare": [
                *share_then,
                total_then[1] - np.nansum(share_then),
                total_then[1],
            ],
        }
    )
    missing = [str(b) for b, x in zip(leaders[s.BRAND], share_then, strict=True) if np.isnan(x)]
    return out, missing


def _total(rows: pd.DataFrame, value: str) -> tuple[float, float]:
    """The window's market units (NaN for share data) and total share (1 when complete)."""
    units = float(rows[MARKET_UNITS].iloc[0]) if value == s.UNITS else np.nan
    return units, float(rows[s.SHARE].sum()) if value == s.SHARE else 1.0


def league_table(
    figures: pd.DataFrame,
    window,
    *,
    compare: str = "year",
    top: int = 5,
    market: str | None = None,
    market_size: float | pd.DataFrame | None = None,
    others: str = s.OTHERS,
    overcount: str = "raise",
    tolerance: float | None = None,
) -> LeagueTable:
    """Top ``top`` brands of a window with units, share, the same for the compared window,
    growth and share change, then ``Others`` and the total: a tracker's press-release table.

    Parameters
    ----------
    figures : DataFrame
        Figures holding both windows (units or shares). Not modified.
    window : str, Period or (start, end)
        ``"2013Q4"``, ``"2013"``, ``"2013-06"``, a ``pd.Period`` or a pair of dates.
    compare : {"year", "previous"}
        Against the same window a year earlier (2012Q4), or the window just before it
        (2013Q3).
    top : int, default 5
        How many brands are listed; the rest is ``Others`` (in both windows: everything
        outside this window's top brands).
    market : str, optional
        The market, when the figures hold several.
    market_size, others, overcount, tolerance
        As in :func:`analysis.market_share`.

    Returns
    -------
    LeagueTable
        ``.frame()``: ``market, rank, brand, units, share, units_compare, share_compare,
        growth, share_pp``; ``growth = units / units_compare - 1``, ``share_pp =
        100 * (share - share_compare)``. A brand not listed in the compared window has
        NaN there (it is inside that window's Others), and a note says so.

    Raises
    ------
    ValueError
        A window not in the figures, several markets without ``market=``.
    DataError
        The two windows measure different metrics, and as :func:`analysis.market_share`.

    Examples
    --------
    >>> from marketdata import datasets
    >>> from analysis import league_table
    >>> ww = datasets.load("worldwide_quarterly_shipments_by_vendor")
    >>> table = league_table(ww, "2024Q1", top=2).frame()
    >>> table[["rank", "brand", "units", "units_compare", "growth"]].round(3)
       rank    brand        units  units_compare  growth
    0     1  Samsung   60100000.0     60500000.0  -0.007
    1     2    Apple   50100000.0     55200000.0  -0.092
    2  <NA>   Others  179200000.0    152900000.0   0.172
    3  <NA>    Total  289400000.0    268600000.0   0.077
    """
    check_option(compare, "compare", COMPARE)
    top = check_integer(top, "top", minimum=1)
    figures, market = _one_market(figures, market)
    now_w = parse_window(window, "window")
    then_w = _compare_window(now_w, compare)
    shares = market_share(
        only_windows(figures, [now_w, then_w]),
        market_size=market_size,
        others=others,
        overcount=overcount,
        tolerance=tolerance,
    )
    now = rows_of(shares, now_w, "window", figures)
    then = rows_of(
        shares, then_w, f"the {'year-ago' if compare == 'year' else 'previous'} window", figures
    )
    check_same_metric(pd.concat([now[s.METRIC], then[s.METRIC]]), "the two windows")
    table, missing = _lines(now, then, top, others)
    table["growth"] = table[s.UNITS] / table["units_compare"] - 1.0
    table["share_pp"] = 100.0 * (table[s.SHARE] - table["share_compare"])
    table.insert(0, s.MARKET, market)
    table[s.MARKET] = table[s.MARKET].astype("string")
    table[s.BRAND] = table[s.BRAND].astype("string")
    notes = []
    if missing:
        notes.append(
            f"{', '.join(missing)} not listed in {window_label(*then_w)}: the figure there is "
            "inside Others, so Others and its change are not like for like."
        )
    if shares[DOUBLE_COUNT].any():
        notes.append("A window lists more units than its market size (double count flagged).")
    given = only_windows(figures, [now_w])
    sources = tuple(
        str(x) for x in given.get(s.SOURCE, pd.Series(dtype="string")).dropna().unique()
    )
    return LeagueTable(
        table=table[_COLUMNS].reset_index(drop=True),
        market=market,
        window=now_w,
        compare_window=then_w,
        compare=compare,
        metric=str(now[s.METRIC].iloc[0]),
        notes=tuple(notes),
        source=sources,
    )
