"""Tests of marketdata.periods: parse_period, period_label, try_parse_period."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marketdata import DataError, parse_period, period_label
from marketdata.periods import try_parse_period

T = pd.Timestamp

# (text, first day, last day), by hand from the calendar: Q2 = April..June (30 days in
# June), H1 = January..June, 2012 is a leap year (29 February).
FORMS = [
    ("2012Q2", "2012-04-01", "2012-06-30"),
    ("Q2 2012", "2012-04-01", "2012-06-30"),
    ("2Q12", "2012-04-01", "2012-06-30"),
    ("Q4 '09", "2009-10-01", "2009-12-31"),
    ("Q2' 17", "2017-04-01", "2017-06-30"),
    ("4Q2012", "2012-10-01", "2012-12-31"),
    ("2012 Q4", "2012-10-01", "2012-12-31"),
    ("2012-Q1", "2012-01-01", "2012-03-31"),
    ("q3 2012", "2012-07-01", "2012-09-30"),
    ("H1 2012", "2012-01-01", "2012-06-30"),
    ("1H12", "2012-01-01", "2012-06-30"),
    ("2H12", "2012-07-01", "2012-12-31"),
    ("2012H1", "2012-01-01", "2012-06-30"),
    ("2012 H2", "2012-07-01", "2012-12-31"),
    ("2012-06", "2012-06-01", "2012-06-30"),
    ("2012-02", "2012-02-01", "2012-02-29"),  # leap year
    ("2011-02", "2011-02-01", "2011-02-28"),
    ("06/2012", "2012-06-01", "2012-06-30"),
    ("June 2012", "2012-06-01", "2012-06-30"),
    ("Jun 2012", "2012-06-01", "2012-06-30"),
    ("Sept. 2012", "2012-09-01", "2012-09-30"),
    ("Jun-2012", "2012-06-01", "2012-06-30"),
    ("2012-Jun", "2012-06-01", "2012-06-30"),
    ("2012.06.12", "2012-06-12", "2012-06-12"),
    ("June 12, 2012", "2012-06-12", "2012-06-12"),
    ("12 June 2012", "2012-06-12", "2012-06-12"),
    ("1st March 2012", "2012-03-01", "2012-03-01"),
    ("2012-06-12", "2012-06-12", "2012-06-12"),
    ("2012/6/12", "2012-06-12", "2012-06-12"),
    ("2012-02-29", "2012-02-29", "2012-02-29"),
    ("2012", "2012-01-01", "2012-12-31"),
    ("CY2012", "2012-01-01", "2012-12-31"),
    ("FY2012", "2012-01-01", "2012-12-31"),  # fiscal_year_start=1: the calendar year
    ("FY12", "2012-01-01", "2012-12-31"),
    ("2012年第二季", "2012-04-01", "2012-06-30"),
    ("2012年第2季度", "2012-04-01", "2012-06-30"),
    ("2012年第四季度", "2012-10-01", "2012-12-31"),
    ("2012年Q3", "2012-07-01", "2012-09-30"),
    ("2012年6月", "2012-06-01", "2012-06-30"),
    ("2012年6月12日", "2012-06-12", "2012-06-12"),
    ("2012年上半年", "2012-01-01", "2012-06-30"),
    ("2012年下半年", "2012-07-01", "2012-12-31"),
    ("2012年", "2012-01-01", "2012-12-31"),
    ("２０１２Ｑ２", "2012-04-01", "2012-06-30"),  # full width
    ("  2012q2 ", "2012-04-01", "2012-06-30"),
    ("2012-01-01..2012-03-15", "2012-01-01", "2012-03-15"),
    ("Q4 '99", "1999-10-01", "1999-12-31"),  # 69-99 are 1900s
    ("Q4 '68", "2068-10-01", "2068-12-31"),  # 00-68 are 2000s
]


@pytest.mark.parametrize(("text", "start", "end"), FORMS)
def test_every_form(text, start, end):
    assert parse_period(text) == (T(start), T(end))


def test_forms_as_one_series_match():
    texts = pd.Series([f[0] for f in FORMS], index=range(10, 10 + len(FORMS)))
    out = parse_period(texts)
    assert list(out.columns) == ["start", "end"]
    assert out.index.equals(texts.index)
    assert out["start"].dtype == "datetime64[ns]"
    assert out["start"].tolist() == [T(f[1]) for f in FORMS]
    assert out["end"].tolist() == [T(f[2]) for f in FORMS]


def test_to_date_range_has_no_start():
    start, end = parse_period("..2012-06-12")
    assert start is pd.NaT and end == T("2012-06-12")


@pytest.mark.parametrize(
    ("text", "fiscal_year_start", "start", "end"),
    [
        ("Q2 FY2012", 1, "2012-04-01", "2012-06-30"),  # calendar fiscal year: 2012Q2
        ("Q1 FY2012", 10, "2011-10-01", "2011-12-31"),  # Apple's FY2012 starts Oct 2011
        ("Q2 FY2012", 10, "2012-01-01", "2012-03-31"),  # its second three months
        ("FY12 Q4", 10, "2012-07-01", "2012-09-30"),
        ("fy2012-q3", 4, "2011-10-01", "2011-12-31"),  # FY2012 = 2011-04..2012-03; Q3 = Oct-Dec
        ("Q4 FY '12", 4, "2012-01-01", "2012-03-31"),
    ],
)
def test_fiscal_quarters(text, fiscal_year_start, start, end):
    assert parse_period(text, fiscal_year_start=fiscal_year_start) == (T(start), T(end))


@pytest.mark.parametrize(
    ("fiscal_year_start", "start", "end"),
    [
        (1, "2012-01-01", "2012-12-31"),
        (4, "2011-04-01", "2012-03-31"),  # named for the year it ends in
        (10, "2011-10-01", "2012-09-30"),  # Apple's FY2012
        (7, "2011-07-01", "2012-06-30"),
        (12, "2011-12-01", "2012-11-30"),
    ],
)
def test_fiscal_years(fiscal_year_start, start, end):
    assert parse_period("FY2012", fiscal_year_start=fiscal_year_start) == (T(start), T(end))
    # a calendar year is not affected by the fiscal year
    assert parse_period("2012", fiscal_year_start=fiscal_year_start) == (
        T("2012-01-01"),
        T("2012-12-31"),
    )


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("Jun-12", "ambiguous"),
        ("Jun 12", "ambiguous"),
        ("12-Jun", "ambiguous"),
        ("June '12", "ambiguous"),
        ("06/12/2012", "ambiguous"),
        ("12.06.2012", "ambiguous"),
        ("2012-01-01 - 2012-03-01", "ambiguous"),
    ],
)
def test_ambiguous_text_is_refused_with_what_to_write(text, needle):
    with pytest.raises(DataError) as info:
        parse_period(text)
    message = str(info.value)
    assert needle in message and repr(text) in message
    assert "write" in message


def test_jun_12_message_says_why_and_what_to_write():
    with pytest.raises(DataError) as info:
        parse_period("Jun-12")
    message = str(info.value)
    assert "two-digit year" in message and "no year" in message
    assert "2012-06" in message and "2012-06-12" in message


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("2012Q5", "not a form"),
        ("2012-13", "month"),
        ("2012-00", "month"),
        ("2012-02-30", "no such day"),
        ("2011-02-29", "no such day"),  # not a leap year
        ("2012-03-01..2012-01-01", "starts after it ends"),
        ("2012-01-01..2012-13-01", "no such day"),
        ("9999", "1678-2261"),
        ("soon", "not a form"),
        ("Q2", "not a form"),
    ],
)
def test_unreadable_text_raises_a_data_error(text, needle):
    with pytest.raises(DataError, match=needle) as info:
        parse_period(text)
    assert info.value.value == text


def test_missing_values():
    for missing in (None, np.nan, pd.NA, pd.NaT, ""):
        with pytest.raises(DataError, match="missing"):
            parse_period(missing)
        assert parse_period(missing, na="keep") == (pd.NaT, pd.NaT)
    values = pd.Series(["2012Q2", None, "nonsense"], name="period")
    with pytest.raises(DataError) as info:
        parse_period(values)
    assert info.value.positions == [1, 2]
    assert "position 2: 'nonsense'" in str(info.value)
    out = parse_period(values.iloc[:2], na="keep")
    assert out["start"].iloc[0] == T("2012-04-01") and pd.isna(out["start"].iloc[1])


def test_try_parse_period_collects_reasons_without_raising():
    out = try_parse_period(pd.Series(["2012Q2", "Jun-12", None, "2012-02-30"]))
    assert out["start"].iloc[0] == T("2012-04-01") and out["start"].iloc[1:].isna().all()
    reasons = out["reason"].tolist()
    assert pd.isna(reasons[0]) and reasons[1].startswith("ambiguous")
    assert reasons[2:] == ["the value is missing", "there is no such day in that month"]


def test_other_input_types():
    assert parse_period(2012) == (T("2012-01-01"), T("2012-12-31"))
    assert parse_period(pd.Period("2012Q3")) == (T("2012-07-01"), T("2012-09-30"))
    assert parse_period(pd.Period("2012-06", freq="M")) == (T("2012-06-01"), T("2012-06-30"))
    assert parse_period(dt.date(2012, 6, 12)) == (T("2012-06-12"), T("2012-06-12"))
    assert parse_period(T("2012-06-12 15:30")) == (T("2012-06-12"), T("2012-06-12"))
    years = parse_period(pd.Series([2011, 2012]))
    assert years["end"].tolist() == [T("2011-12-31"), T("2012-12-31")]
    periods = parse_period(pd.Series(pd.period_range("2012Q1", periods=2, freq="Q")))
    assert periods["end"].tolist() == [T("2012-03-31"), T("2012-06-30")]
    days = parse_period(pd.Series(pd.to_datetime(["2012-06-12"])))
    assert days.iloc[0].tolist() == [T("2012-06-12"), T("2012-06-12")]
    cat = parse_period(pd.Series(["2012Q2", "2012Q2"], dtype="category"))
    assert cat["start"].tolist() == [T("2012-04-01")] * 2
    with pytest.raises(DataError, match="whole year"):
        parse_period(pd.Series([2012.5]))


def test_bad_arguments():
    with pytest.raises(ValueError, match="fiscal_year_start"):
        parse_period("FY2012", fiscal_year_start=13)
    with pytest.raises(TypeError, match="fiscal_year_start"):
        parse_period("FY2012", fiscal_year_start="April")
    with pytest.raises(ValueError, match="na"):
        parse_period("2012", na="drop")
    with pytest.raises(TypeError):
        parse_period(2012.0)
    with pytest.raises(TypeError):
        parse_period(True)
    with pytest.raises(TypeError):
        parse_period(pd.DataFrame({"p": ["2012"]}))


# --- period_label ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "label"),
    [
        ("2012-04-01", "2012-06-30", "2012Q2"),
        ("2012-01-01", "2012-12-31", "2012"),
        ("2012-06-01", "2012-06-30", "2012-06"),
        ("2012-01-01", "2012-06-30", "H1 2012"),
        ("2012-07-01", "2012-12-31", "H2 2012"),
        ("2012-06-12", "2012-06-12", "2012-06-12"),
        ("2012-01-01", "2012-03-15", "2012-01-01..2012-03-15"),
        ("2012-02-01", "2012-04-30", "2012-02-01..2012-04-30"),  # three months, not a quarter
        ("2011-04-01", "2012-03-31", "2011-04-01..2012-03-31"),  # a fiscal year
        (None, "2012-06-12", "..2012-06-12"),
    ],
)
def test_period_label(start, end, label):
    assert period_label(start, end) == label
    if start is not None:
        assert parse_period(label) == (T(start), T(end))


def test_period_label_series_and_errors():
    frame = parse_period(pd.Series(["2012Q2", "H1 2012", "2012Q2"], index=[7, 8, 9]))
    labels = period_label(frame["start"], frame["end"])
    assert labels.tolist() == ["2012Q2", "H1 2012", "2012Q2"]
    assert list(labels.index) == [7, 8, 9]
    to_date = parse_period(pd.Series(["..2012-06-12", "2012Q2", "..2012-06-12"]))
    assert period_label(to_date["start"], to_date["end"]).tolist() == [
        "..2012-06-12",
        "2012Q2",
        "..2012-06-12",
    ]
    assert period_label(pd.Series([pd.NaT]), pd.Series([pd.NaT])).isna().all()
    with pytest.raises(ValueError, match="end"):
        period_label(None, None)
    with pytest.raises(ValueError, match="after"):
        period_label("2012-06-30", "2012-04-01")
    with pytest.raises(TypeError):
        period_label(frame["start"], "2012-06-30")
    with pytest.raises(ValueError, match="length"):
        period_label(frame["start"], frame["end"].iloc[:2])


# --- properties -----------------------------------------------------------------------

SETTINGS = settings(max_examples=60, deadline=None)
years = st.integers(min_value=1970, max_value=2068)


@st.composite
def periods(draw):
    """A (text, start, end) triple in a random form; dates computed with pandas Periods."""
    year = draw(years)
    kind = draw(st.sampled_from(["Q", "H", "M", "D", "Y"]))
    if kind == "Q":
        q = draw(st.integers(1, 4))
        p = pd.Period(f"{year}Q{q}", freq="Q")
        text = draw(
            st.sampled_from(
                [f"{year}Q{q}", f"Q{q} {year}", f"{q}Q{year % 100:02d}", f"{year}年第{q}季"]
            )
        )
    elif kind == "H":
        h = draw(st.integers(1, 2))
        p = pd.Period(f"{year}-{6 * h - 5:02d}", freq="M")
        start, end = p.start_time, (p + 5).end_time
        text = draw(st.sampled_from([f"H{h} {year}", f"{h}H{year % 100:02d}", f"{year}H{h}"]))
        return text, start.normalize(), end.normalize()
    elif kind == "M":
        m = draw(st.integers(1, 12))
        p = pd.Period(f"{year}-{m:02d}", freq="M")
        text = draw(st.sampled_from([f"{year}-{m:02d}", p.strftime("%B %Y"), f"{year}年{m}月"]))
    elif kind == "D":
        day = draw(st.dates(dt.date(1970, 1, 1), dt.date(2068, 12, 31)))
        p = pd.Period(day, freq="D")
        text = draw(
            st.sampled_from(
                [day.isoformat(), f"{day:%B} {day.day}, {day.year}", f"{day.day} {day:%B %Y}"]
            )
        )
    else:
        p = pd.Period(str(year), freq="Y")
        text = draw(st.sampled_from([str(year), f"{year}年", f"FY{year}"]))
    return text, p.start_time.normalize(), p.end_time.normalize()


@SETTINGS
@given(period=periods())
def test_generated_periods_parse_and_label_round_trip(period):
    text, start, end = period
    assert parse_period(text) == (start, end)
    assert parse_period(period_label(start, end)) == (start, end)


@settings(max_examples=30, deadline=None)
@given(items=st.lists(periods(), min_size=1, max_size=10))
def test_series_equals_scalars(items):
    texts = pd.Series([t for t, _, _ in items])
    out = parse_period(texts)
    for i, (text, _, _) in enumerate(items):
        assert (out["start"].iloc[i], out["end"].iloc[i]) == parse_period(text)
    labels = period_label(out["start"], out["end"])
    assert labels.tolist() == [
        period_label(a, b) for a, b in zip(out["start"], out["end"], strict=True)
    ]


ALPHABET = list("0123456789 -/.'QqHhFYy年月日第季度上下半") + ["June", "Jun", "..", "FY", "20"]


@SETTINGS
@given(text=st.one_of(st.text(max_size=20), st.lists(st.sampled_from(ALPHABET)).map("".join)))
def test_random_text_raises_only_data_error(text):
    try:
        start, end = parse_period(text)
    except DataError:
        return
    assert end is not pd.NaT and (start is pd.NaT or start <= end)


@SETTINGS
@given(texts=st.lists(st.lists(st.sampled_from(ALPHABET), max_size=6).map("".join), max_size=8))
def test_series_equals_scalars_on_random_text(texts):
    out = try_parse_period(pd.Series(texts, dtype=object))
    for i, text in enumerate(texts):
        try:
            expected = parse_period(text)
        except DataError as exc:
            assert pd.isna(out["end"].iloc[i])
            assert out["reason"].iloc[i] in str(exc)
        else:
            got = (out["start"].iloc[i], out["end"].iloc[i])
            assert all(
                a == b or (pd.isna(a) and pd.isna(b)) for a, b in zip(got, expected, strict=True)
            )
            assert pd.isna(out["reason"].iloc[i])


# --- out of range, hostile and adversarial input ----------------------------------------


def test_datetimes_outside_pandas_years_are_refused_not_wrapped():
    # Regression: datetime64[s] 3000-01-05 became a day in 1830 when cast to nanoseconds.
    values = pd.Series(np.array(["3000-01-05", "2012-01-05", "1500-06-01"], "datetime64[s]"))
    out = try_parse_period(values)
    assert out["reason"].tolist()[0] == out["reason"].tolist()[2]
    assert "outside the years 1678-2261" in out["reason"].iloc[0]
    assert out["start"].iloc[1] == T("2012-01-05") and out["start"].isna().tolist() == [
        True,
        False,
        True,
    ]
    with pytest.raises(DataError, match="1678-2261") as info:
        parse_period(values)
    assert info.value.positions == [0, 2]


@pytest.mark.parametrize(
    "value",
    [
        pd.Period("3000Q1", "Q"),
        dt.date(3000, 1, 1),
        np.datetime64("1200-05-01"),
        "3000Q1",
        "FY2262",
        "2262-01-01..2262-02-01",
    ],
)
def test_periods_outside_pandas_years_raise_a_data_error(value):
    with pytest.raises(DataError, match="1678-2261"):
        parse_period(value)


def test_period_series_outside_pandas_years_is_a_data_error():
    # Regression: Period('3000-01') raised pandas' OutOfBoundsDatetime.
    values = pd.Series([pd.Period("3000-01", "M"), pd.Period("2012-02", "M")])
    out = try_parse_period(values)
    assert "1678-2261" in out["reason"].iloc[0]
    assert (out["start"].iloc[1], out["end"].iloc[1]) == (T("2012-02-01"), T("2012-02-29"))


@pytest.mark.parametrize("word", ["today", "now", "yesterday", "YTD", "this month", "current"])
def test_words_relative_to_today_are_refused(word):
    # A period must not depend on the day the file is read.
    with pytest.raises(DataError, match="not a form of period"):
        parse_period(word)


@SETTINGS
@given(
    text=st.one_of(
        st.text(max_size=40),  # lone surrogates and NUL included
        st.integers(min_value=10**20, max_value=10**4000).map(str),
        st.integers().map(lambda y: f"{y}Q1"),
        st.integers(min_value=0, max_value=9999).map(lambda y: f"{y:04d}-01-01"),
    )
)
def test_any_text_gives_a_period_or_a_data_error(text):
    try:
        start, end = parse_period(text)
    except DataError:
        pass
    else:
        assert T("1678-01-01") <= start <= end <= T("2261-12-31")
    out = try_parse_period(pd.Series([text, "2012Q2"], dtype=object))
    assert out["end"].iloc[1] == T("2012-06-30")


ADVERSARIAL = [
    "2012" + "q" * 100_000,
    "q1 " * 30_000 + "2012",
    "1" * 100_000,
    "2012-" * 20_000,
    "june " * 20_000 + "2012",
    "2012年" * 30_000,
    " " * 100_000 + "x",
    "2012-01-01 .." * 10_000,
    "1/" * 50_000 + "2012",
    "fy" + "'" * 100_000,
    "\u3000" * 50_000 + "２０１２",
]


def test_adversarial_texts_finish_quickly():
    # As in test_units: a subprocess killed after 120 s parses texts of 10**4-10**5
    # characters; linear patterns take milliseconds, a backtracking one would never end.
    import json
    import subprocess
    import sys

    code = (
        "import json, sys\n"
        "from marketdata import DataError, parse_period\n"
        "texts = json.loads(sys.stdin.read())\n"
        "for t in texts:\n"
        "    try:\n"
        "        parse_period(t)\n"
        "    except DataError:\n"
        "        pass\n"
        "print('done', len(texts))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        input=json.dumps(ADVERSARIAL),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == f"done {len(ADVERSARIAL)}"


def test_cells_that_are_no_period_at_all_are_data_errors():
    for values in (
        pd.Series([10**5000, 2012], dtype=object),  # beyond str(): 4,300 digits
        pd.Series([[2012], 2012], dtype=object),  # unhashable
        pd.Series([np.datetime64("30000-01-01"), 2012], dtype=object),  # a five-digit year
    ):
        with pytest.raises(DataError) as info:
            parse_period(values)
        assert info.value.positions == [0]


def test_parse_period_and_period_label_are_typed_by_overloads():
    import typing

    returns = [f.__annotations__["return"] for f in typing.get_overloads(parse_period)]
    assert returns == ["pd.DataFrame", "tuple[pd.Timestamp, pd.Timestamp]"]
    returns = [f.__annotations__["return"] for f in typing.get_overloads(period_label)]
    assert returns == ["pd.Series", "str"]
