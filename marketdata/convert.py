"""Convert between per-period flows and cumulative-to-date figures.

``to_cumulative`` adds up a series of per-period figures; ``to_periods`` turns cumulative
milestones ("3M shipped by June 12") into per-period flows. A *series* is the figures of
one ``brand``, ``market``, ``metric`` and ``status``.

How ``to_periods`` interpolates
-------------------------------
The cumulative count is taken to grow linearly in time (per day) between two milestones.
A period's flow is the count at its last day minus the count at the day before its first
day. A series counted from a known ``start`` (not NaT) is 0 on the day before it. Only
periods that lie wholly between the first and the last milestone are made:
nothing is extrapolated before the first milestone or after the last one. A flow whose
two ends both fall on milestones is exact and keeps the milestones' status; any other flow
depends on the straight-line assumption, gets ``status="interpolated"`` and an
``InterpolationWarning`` is issued.

Qualifiers ("over 3 million") follow the arithmetic: a running total is "over" once an
"over" flow is in it (``"approx"`` when over and under mix); a flow between two milestones
takes "over"/"under" only when exactly one end is qualified (flipped when it is the
start), has none when neither is, and is ``"approx"`` otherwise. ``text`` and ``note``
of a flow are those of the milestones at its two ends.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from marketdata import schema as s
from marketdata.errors import DataError, InterpolationWarning
from marketdata.validate import validate

SERIES = [s.BRAND, s.MARKET, s.METRIC, s.STATUS]
_DAY = np.timedelta64(1, "D")


def _checked(figures: pd.DataFrame) -> pd.DataFrame:
    frame = validate(figures)
    if s.UNITS not in frame.columns:
        raise DataError(
            "these figures are shares, not units",
            column=s.SHARE,
            hint="convert shares to units against a market size first",
        )
    unclear = (frame[s.BASIS] == s.UNCLEAR).to_numpy()
    if unclear.any():
        row = int(np.flatnonzero(unclear)[0])
        raise DataError(
            "the basis of this figure is unclear (per period or to date?)",
            row=row + 1,
            column=s.BASIS,
            value=s.UNCLEAR,
            hint="decide and set basis to 'period' or 'cumulative', or filter the row out",
        )
    return frame.reset_index(drop=True)


def _groups(frame: pd.DataFrame):
    keys = frame[SERIES].astype("string").fillna("\x00NA")
    for _, index in keys.groupby(SERIES, sort=False, dropna=False).groups.items():
        yield frame.loc[index]


def _mixed(group: pd.DataFrame) -> None:
    if group[s.BASIS].nunique() > 1:
        first = group.iloc[0]
        raise DataError(
            f"the series {first[s.BRAND]!s}/{first[s.MARKET]} ({first[s.METRIC]}, "
            f"{first[s.STATUS]}) mixes per-period and cumulative figures",
            row=int(group.index[0]) + 1,
            column=s.BASIS,
            hint="convert or drop one kind first, so nothing is counted twice",
        )


def to_cumulative(figures: pd.DataFrame) -> pd.DataFrame:
    """Turn per-period flows into cumulative-to-date figures.

    Each series' periods are sorted and added up. Because units before the first
    period are not known, the cumulative figures count *from the first period's start*:
    their ``start`` is that day (not NaT, which would mean "since launch").
    Figures that are already cumulative are returned as they are.

    Parameters
    ----------
    figures : DataFrame
        A figures frame with ``units``. Not modified.

    Returns
    -------
    DataFrame
        A new figures frame, ``basis="cumulative"`` throughout.

    Raises
    ------
    DataError
        If periods of one series overlap or leave a gap, a series mixes per-period and
        cumulative rows, a basis is ``"unclear"``, or the figures are shares.

    Examples
    --------
    >>> import pandas as pd
    >>> q = pd.DataFrame({"brand": "Xiaomi", "market": "CN",
    ...     "start": pd.to_datetime(["2012-01-01", "2012-04-01"]),
    ...     "end": pd.to_datetime(["2012-03-31", "2012-06-30"]),
    ...     "units": [1e6, 2e6], "basis": "period", "status": "actual",
    ...     "metric": "shipments", "source": "example"})
    >>> to_cumulative(q)[["start", "end", "units", "basis"]]
           start        end      units       basis
    0 2012-01-01 2012-03-31  1000000.0  cumulative
    1 2012-01-01 2012-06-30  3000000.0  cumulative
    """
    frame = _checked(figures)
    parts = []
    for group in _groups(frame):
        _mixed(group)
        if (group[s.BASIS] == s.CUMULATIVE).all():
            parts.append(group)
            continue
        group = group.sort_values([s.START, s.END], kind="stable")
        starts = group[s.START].to_numpy()
        ends = group[s.END].to_numpy()
        following = starts[1:]
        expected = ends[:-1] + _DAY
        bad = np.flatnonzero(following != expected)
        if bad.size:
            i = int(bad[0])
            kind = "overlaps" if following[i] < expected[i] else "leaves a gap after"
            raise DataError(
                f"the period starting {pd.Timestamp(following[i]).date()} {kind} the "
                f"period ending {pd.Timestamp(ends[i]).date()}",
                row=int(group.index[i + 1]) + 1,
                column=s.START,
                value=pd.Timestamp(following[i]),
                hint="a running total needs back-to-back periods: fill the gap or remove "
                "the overlapping figure",
            )
        out = group.copy()
        out[s.UNITS] = group[s.UNITS].cumsum()
        if s.QUALIFIER in group.columns:
            out[s.QUALIFIER] = _running_qualifier(group[s.QUALIFIER])
        out[s.START] = group[s.START].iloc[0]
        out[s.BASIS] = s.CUMULATIVE
        parts.append(out)
    return validate(pd.concat(parts).sort_index().reset_index(drop=True))


def _running_qualifier(quals: pd.Series) -> pd.Series:
    """The qualifier of a running total: none while every flow so far is unqualified;
    "over" (or "under") while the qualified flows so far all say so; else "approx"."""
    q = quals.to_numpy(dtype=object, na_value=None)
    over = np.maximum.accumulate(q == "over")
    under = np.maximum.accumulate(q == "under")
    approx = np.maximum.accumulate(q == "approx")
    out = np.select([approx | (over & under), over, under], ["approx", "over", "under"], default="")
    return pd.Series(out, index=quals.index, dtype="string").replace("", pd.NA)


def _milestones(group: pd.DataFrame) -> pd.DataFrame:
    group = group.sort_values(s.END, kind="stable")
    starts = group[s.START].astype("string").fillna("")
    if starts.nunique() > 1:
        raise DataError(
            "the cumulative figures of one series count from different start dates",
            row=int(group.index[0]) + 1,
            column=s.START,
            hint="give every milestone of a series the same start (NaT: since launch)",
        )
    ends = group[s.END].to_numpy()
    same = np.flatnonzero(ends[1:] == ends[:-1])
    if same.size:
        i = int(same[0]) + 1
        raise DataError(
            f"two cumulative figures for the same day {pd.Timestamp(ends[i]).date()}",
            row=int(group.index[i]) + 1,
            column=s.END,
            value=pd.Timestamp(ends[i]),
            hint="keep one figure per day",
        )
    units = group[s.UNITS].to_numpy()
    down = np.flatnonzero(np.diff(units) < 0)
    if down.size:
        i = int(down[0]) + 1
        raise DataError(
            f"the cumulative count falls from {units[i - 1]:,.0f} to {units[i]:,.0f} by "
            f"{pd.Timestamp(ends[i]).date()}",
            row=int(group.index[i]) + 1,
            column=s.UNITS,
            value=units[i],
            hint="a running total cannot decrease: check whether one figure is per period",
        )
    return group


def _flows(group: pd.DataFrame, freq: str) -> pd.DataFrame:
    ends = group[s.END].to_numpy().astype("datetime64[D]")
    units = group[s.UNITS].to_numpy()
    origin = group[s.START].iloc[0]
    origin_row = not pd.isna(origin)
    if origin_row:
        # counted from a known day: the count is 0 at the end of the day before it
        ends = np.concatenate([[np.datetime64(origin, "D") - _DAY], ends])
        units = np.concatenate([[0.0], units])
        group = pd.concat([group.iloc[:1], group])
    first, last = ends[0], ends[-1]
    periods = pd.period_range(pd.Timestamp(first), pd.Timestamp(last), freq=freq)
    p_start = periods.start_time.normalize().to_numpy().astype("datetime64[D]")
    p_end = periods.end_time.normalize().to_numpy().astype("datetime64[D]")
    before = p_start - np.timedelta64(1, "D")
    keep = (before >= first) & (p_end <= last)
    if not keep.any():
        return group.iloc[:0]
    before, p_start, p_end = before[keep], p_start[keep], p_end[keep]
    day = ends.astype("int64")
    cum_end = np.interp(p_end.astype("int64"), day, units)
    cum_before = np.interp(before.astype("int64"), day, units)
    exact = np.isin(p_end, ends) & np.isin(before, ends)
    statuses = group[s.STATUS].astype("string")
    sources = group[s.SOURCE].astype("string")
    left = np.searchsorted(ends, before, side="right") - 1
    right = np.minimum(np.searchsorted(ends, p_end, side="left"), len(ends) - 1)
    source = _joined(sources, left, right)
    template = group.iloc[[-1] * len(p_end)].reset_index(drop=True)
    template[s.START] = pd.to_datetime(p_start).astype("datetime64[ns]")
    template[s.END] = pd.to_datetime(p_end).astype("datetime64[ns]")
    template[s.UNITS] = cum_end - cum_before
    template[s.BASIS] = s.PERIOD
    template[s.STATUS] = np.where(exact, statuses.iloc[-1], s.INTERPOLATED)
    template[s.SOURCE] = source
    # the text a flow rests on is that of the milestones at its two ends, not the last one's
    for column in (s.TEXT, s.NOTE):
        if column in group.columns:
            text = group[column].astype("string").reset_index(drop=True)
            if origin_row:
                text.iloc[0] = pd.NA  # the day-0 count comes from no sentence
            template[column] = _joined(text, left, right)
    if s.QUALIFIER in group.columns:
        quals = group[s.QUALIFIER].astype("string").reset_index(drop=True)
        if origin_row:
            quals.iloc[0] = pd.NA  # the count before a known start is exactly 0
        template[s.QUALIFIER] = _flow_qualifier(quals, left, right, exact)
    return template


def _joined(values: pd.Series, left: np.ndarray, right: np.ndarray) -> list:
    """The value of the milestones at both ends of each flow (once if they agree)."""
    out = []
    for a, b in zip(left, right, strict=True):
        va, vb = values.iloc[a], values.iloc[b]
        if pd.isna(va) or pd.isna(vb) or va == vb:
            out.append(vb if pd.isna(va) else va if pd.isna(vb) else va)
        else:
            out.append(f"{va}; {vb}")
    return out


def _flow_qualifier(quals: pd.Series, left, right, exact) -> pd.Series:
    """How the source's qualifiers carry to a flow (end count minus start count).

    No qualified milestone from the flow's first to its last: none. Exact flows whose one
    end alone is qualified: "over X" minus an exact count is over, an exact count minus
    "over Y" is under (and the other way round). Anything else: "approx".
    """
    flip = {"over": "under", "under": "over", "approx": "approx"}
    q = quals.to_numpy(dtype=object, na_value=None)
    out = []
    for a, b, whole in zip(left, right, exact, strict=True):
        marked = [i for i in range(a, b + 1) if q[i] is not None]
        if not marked:
            out.append(pd.NA)
        elif whole and marked == [b] and a != b:
            out.append(q[b])
        elif whole and marked == [a] and a != b:
            out.append(flip[q[a]])
        else:
            out.append("approx")
    return pd.Series(out, dtype="string")


def to_periods(figures: pd.DataFrame, freq: str = "Q") -> pd.DataFrame:
    """Turn cumulative milestones into per-period flows, interpolating between them.

    The cumulative count is assumed to grow linearly in time between milestones (see
    the module notes); periods not wholly between the first and last milestone of a
    series are not made. Figures that are already per period are returned as they are.

    Parameters
    ----------
    figures : DataFrame
        A figures frame with ``units``. Not modified.
    freq : str, default "Q"
        A pandas period frequency: ``"M"``, ``"Q"``, ``"Y"`` ...

    Returns
    -------
    DataFrame
        A new figures frame, ``basis="period"``; interpolated flows have
        ``status="interpolated"``.

    Raises
    ------
    DataError
        If a cumulative series decreases, has two figures for one day, counts from
        different start dates, mixes bases, has an ``"unclear"`` basis, or holds shares.

    Warns
    -----
    InterpolationWarning
        When any flow was interpolated.

    Examples
    --------
    >>> import pandas as pd, warnings
    >>> m = pd.DataFrame({"brand": "Xiaomi", "market": "CN", "start": pd.NaT,
    ...     "end": pd.to_datetime(["2011-12-31", "2012-03-31", "2012-06-30"]),
    ...     "units": [0.3e6, 1.2e6, 3.0e6], "basis": "cumulative", "status": "actual",
    ...     "metric": "shipments", "source": "example"})
    >>> to_periods(m, freq="Q")[["start", "end", "units", "status"]]
           start        end      units  status
    0 2012-01-01 2012-03-31   900000.0  actual
    1 2012-04-01 2012-06-30  1800000.0  actual
    """
    frame = _checked(figures)
    parts = []
    interpolated = 0
    for group in _groups(frame):
        _mixed(group)
        if (group[s.BASIS] == s.PERIOD).all():
            parts.append(group.reset_index(drop=True))
            continue
        flows = _flows(_milestones(group), freq)
        interpolated += int((flows[s.STATUS] == s.INTERPOLATED).sum())
        parts.append(flows)
    if interpolated:
        warnings.warn(
            f"{interpolated} per-period figure(s) were interpolated linearly between "
            "cumulative milestones; their status is 'interpolated'",
            InterpolationWarning,
            stacklevel=2,
        )
    columns = list(frame.columns)
    if not parts:
        return validate(frame.iloc[:0])
    return validate(pd.concat(parts, ignore_index=True)[columns])
