import numpy as np
import pandas as pd
import pytest

from marketdata import duplicates
from marketdata.duplicates import find


def _figures(categorical: bool) -> pd.DataFrame:
    q2, q3 = pd.Timestamp("2012-06-30"), pd.Timestamp("2012-09-30")
    frame = pd.DataFrame(
        {
            "brand": ["HTC", "HTC", "HTC", None, None, "HTC", "Apple"],
            "market": "TW",
            "start": [pd.Timestamp("2012-04-01")] * 3
            + [pd.NaT, pd.NaT]
            + [pd.Timestamp("2012-07-01")] * 2,
            "end": [q2, q2, q2, q2, q2, q3, q3],
            "basis": ["period"] * 3 + ["cumulative"] * 2 + ["period"] * 2,
            "metric": "shipments",
            "status": "actual",
            "units": [1.0, 1.0, 2.0, 5.0, 5.0, 3.0, 3.0],
        }
    )
    if categorical:
        for column in ("brand", "market", "basis", "metric", "status"):
            frame[column] = frame[column].astype("category")
    return frame


@pytest.mark.parametrize("categorical", [False, True])
@pytest.mark.parametrize("countable", [duplicates._COUNTABLE, 1])  # 1: hashing only
def test_conflicts_and_repeats(monkeypatch, categorical, countable):
    monkeypatch.setattr(duplicates, "_COUNTABLE", countable)
    conflict, repeat, reason = find(_figures(categorical), "units", np.arange(2, 9))
    # rows 0-2: one key, values 1, 1, 2 -> all three conflict (never summed);
    # rows 3-4: missing brand and start count as equal, same value -> row 4 repeats row 3;
    # rows 5-6: different brands -> different keys.
    assert conflict.tolist() == [True, True, True, False, False, False, False]
    assert repeat.tolist() == [False, False, False, False, True, False, False]
    assert reason[0] == ("figures with the same key disagree: line 2 (1), line 3 (1), line 4 (2)")
    assert duplicates.CONFLICT_HINT == "keep one (they are not summed)"
    assert reason[4] == "exact duplicate of line 5"


def test_group_ids_number_each_distinct_key_once(monkeypatch):
    frame = _figures(categorical=True)
    ids, keys = duplicates._group_ids(frame)
    assert keys == 4  # (HTC, Q2), (NA, to Q2), (HTC, Q3), (Apple, Q3)
    assert ids.tolist()[:5] == [ids[0]] * 3 + [ids[3]] * 2
    assert len({ids[0], ids[3], ids[5], ids[6]}) == 4
    monkeypatch.setattr(duplicates, "_COUNTABLE", 1)
    hashed, keys_hashed = duplicates._group_ids(frame)
    assert keys_hashed == 4
    assert pd.factorize(hashed)[0].tolist() == pd.factorize(ids)[0].tolist()


@pytest.mark.parametrize("categorical", [False, True])
def test_same_number_with_another_qualifier_is_a_conflict_not_a_repeat(categorical):
    # "over 3M" and "3M" for one key were called exact duplicates and the second dropped
    f = _figures(categorical)
    f["qualifier"] = pd.Series([None, "over", None, "approx", "approx", None, None], dtype="string")
    conflict, repeat, reason = find(f, "units", np.arange(2, 9))
    # rows 0-2: 1, over 1, 2 -> conflict as before; rows 3-4: approx 5 twice -> a repeat
    assert conflict.tolist() == [True, True, True, False, False, False, False]
    assert repeat.tolist() == [False, False, False, False, True, False, False]
    assert "line 3 (over 1)" in reason[0]
    g = f.iloc[[3, 4]].copy()
    g["qualifier"] = pd.Series(["approx", None], dtype="string").to_numpy()
    conflict, repeat, _ = find(g.reset_index(drop=True), "units", np.array([5, 6]))
    # approx 5 and 5: not the same claim
    assert conflict.tolist() == [True, True] and repeat.tolist() == [False, False]
