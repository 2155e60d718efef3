"""Small figures frames for the market-structure tests (illustrative numbers)."""

import pandas as pd

Y2012 = (pd.Timestamp("2012-01-01"), pd.Timestamp("2012-12-31"))
Q1 = (pd.Timestamp("2012-01-01"), pd.Timestamp("2012-03-31"))
Q2 = (pd.Timestamp("2012-04-01"), pd.Timestamp("2012-06-30"))


def figures(brands, units, *, market="TW", window=Y2012, metric="shipments", column="units"):
    """One window of figures; a brand of None is the market-size row."""
    return pd.DataFrame(
        {
            "brand": pd.array(brands, dtype="string"),
            "market": market,
            "start": window[0],
            "end": window[1],
            column: [float(u) for u in units],
            "basis": "period",
            "status": "actual",
            "metric": metric,
            "source": "test",
        }
    )
