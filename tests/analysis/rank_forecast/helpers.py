"""Shared helpers for the rank-forecast tests (figures built by hand)."""

import math

import pandas as pd

START = pd.Timestamp("2013-01-01")
END = pd.Timestamp("2013-12-31")


def figures(units: dict, *, size=None, share=False, others=None, market="TW"):
    """A figures frame of one window: brand rows, optional market size and Others row."""
    rows = [{"brand": b, "value": v} for b, v in units.items()]
    if others is not None:
        rows.append({"brand": "Others", "value": others})
    frame = pd.DataFrame(rows, columns=["brand", "value"])
    column = "share" if share else "units"
    out = pd.DataFrame(
        {
            "brand": frame["brand"].astype("string"),
            "market": market,
            "start": START,
            "end": END,
            column: frame["value"].astype(float),
            "basis": "period",
            "status": "actual",
            "metric": "shipments",
            "source": "hand-made test figures",
        }
    )
    if size is not None:
        size_row = pd.DataFrame(
            {
                "brand": pd.array([pd.NA], dtype="string"),
                "market": market,
                "start": START,
                "end": END,
                "units": [float(size)],
                "basis": "period",
                "status": "actual",
                "metric": "shipments",
                "source": "hand-made market size",
            }
        )
        out = pd.concat([out, size_row], ignore_index=True)
    return out


def phi(x: float) -> float:
    """Standard normal CDF from the error function (independent of scipy)."""
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


def lognormal_cdf(x: float, cv: float) -> float:
    """P(F <= x) for a log-normal F with mean 1 and coefficient of variation cv:
    log F ~ N(-s^2/2, s^2) with s^2 = log(1 + cv^2)."""
    s = math.sqrt(math.log1p(cv * cv))
    return phi((math.log(x) + s * s / 2) / s)


def mc_tolerance(p: float, n: int, k: float = 4.0) -> float:
    """k Monte Carlo standard errors of a proportion p estimated from n draws."""
    return k * math.sqrt(max(p * (1 - p), 1e-12) / n)
