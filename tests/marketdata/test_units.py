"""Tests of marketdata.units: parse_units, format_units, try_parse_units."""

import math

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marketdata import DataError, format_units, parse_units
from marketdata.units import STYLES, parse_units_codes, try_parse_units

# (text, expected units, expected qualifier). Each value is worked out by hand from the
# meaning of the words: M/million = 10**6, k/thousand = 10**3, bn/billion = 10**9,
# 萬/万 = 10**4, 億/亿 = 10**8, 百萬/百万 = 100 * 10**4 = 10**6, 千萬 = 1000 * 10**4 = 10**7.
FORMS = [
    # suffixes, words, digit grouping and CJK units
    ("3M", 3_000_000, None),  # 3 * 10**6
    ("3 million", 3_000_000, None),
    ("over three million", 3_000_000, "over"),
    ("7,000,000", 7_000_000, None),  # commas group thousands
    ("300k", 300_000, None),  # 300 * 10**3
    ("1.2 bn", 1_200_000_000, None),  # 1.2 * 10**9
    ("700萬", 7_000_000, None),  # 700 * 10**4
    ("3百万", 3_000_000, None),  # 3 * 100 * 10**4
    ("1.2億", 120_000_000, None),  # 1.2 * 10**8
    ("3000000", 3_000_000, None),  # a bare number is units
    ("42", 42, None),
    # abbreviations, decimal commas, counters (台), full-width digits
    ("3.2 mln", 3_200_000, None),
    ("3,2 Mio.", 3_200_000, None),  # German decimal comma: 3.2 * 10**6
    ("7百萬台", 7_000_000, None),  # 7 * 100 * 10**4, 台 = units of machines
    ("30 万台", 300_000, None),  # 30 * 10**4
    ("over 3 million", 3_000_000, "over"),
    ("~5M", 5_000_000, "approx"),
    ("5M+", 5_000_000, "over"),
    ("３００萬", 3_000_000, None),  # full-width digits: 300 * 10**4
    # qualifiers
    ("more than 5M", 5_000_000, "over"),
    ("at least 2m", 2_000_000, "over"),
    ("nearly 1M", 1_000_000, "under"),
    ("under 3M", 3_000_000, "under"),
    ("less than 4k", 4_000, "under"),
    ("about 5M", 5_000_000, "approx"),
    ("approximately 5 million", 5_000_000, "approx"),
    ("約500萬", 5_000_000, "approx"),  # 500 * 10**4
    ("约500万", 5_000_000, "approx"),
    ("近300万", 3_000_000, "under"),  # 近 = nearly
    ("超過700萬", 7_000_000, "over"),
    ("超过700万", 7_000_000, "over"),
    ("逾700萬", 7_000_000, "over"),
    ("突破 30 万台", 300_000, "over"),  # 突破 = broke through
    ("30多万", 300_000, "over"),  # "30-odd ten-thousands": more than 300,000
    ("5M+ units", 5_000_000, "over"),
    ("5 million or more", 5_000_000, "over"),
    ("500萬以上", 5_000_000, "over"),
    ("500萬左右", 5_000_000, "approx"),
    # multipliers and number words
    ("3千", 3_000, None),
    ("1千萬", 10_000_000, None),  # 1 * 1000 * 10**4
    ("three hundred thousand", 300_000, None),  # 3 * 100 * 1000
    ("twenty-five million", 25_000_000, None),
    ("twenty five million", 25_000_000, None),
    ("a million", 1_000_000, None),
    ("twelve thousand", 12_000, None),
    ("nineteen billion", 19_000_000_000, None),
    ("三百万", 3_000_000, None),  # 3 * 100 * 10**4
    ("三十万台", 300_000, None),  # 30 * 10**4
    ("九十九万", 990_000, None),  # 99 * 10**4
    ("一百二十万", 1_200_000, None),  # (100 + 20) * 10**4
    ("一千二百零五万", 12_050_000, None),  # (1000 + 200 + 5) * 10**4
    ("两千万台", 20_000_000, None),  # 2 * 1000 * 10**4
    ("突破百万", 1_000_000, "over"),  # 百万 alone: a million
    ("十万", 100_000, None),  # 10 * 10**4
    ("5 lakh", 500_000, None),  # 5 * 10**5
    ("2 crore", 20_000_000, None),  # 2 * 10**7
    ("3 Tsd.", 3_000, None),
    ("1.5 Mrd.", 1_500_000_000, None),
    ("2MM", 2_000_000, None),
    ("4 thousand units", 4_000, None),
    ("4.5 million smartphones", 4_500_000, None),
    # digits
    ("1.234.567", 1_234_567, None),  # dots twice: grouping
    ("1.234,5", 1_234.5, None),  # German grouping and decimal comma
    ("7 000 000", 7_000_000, None),  # space grouping
    ("7'000'000", 7_000_000, None),  # Swiss grouping
    ("1,234", 1_234, None),  # a comma before exactly three digits groups thousands
    ("1,234 Mio.", 1_234_000, None),  # a German word makes the comma decimal: 1.234 * 10**6
    ("1.234 Mio.", 1_234_000_000, None),  # ... and the point a grouping: 1234 * 10**6
    ("2,5 Tsd.", 2_500, None),  # 2.5 * 10**3
    ("3e+6", 3_000_000, None),  # signed exponents: 3 * 10**6
    ("3E+06", 3_000_000, None),
    ("3.2e-1 k", 320, None),  # 0.32 * 10**3
    # compound CJK numerals: groups of four digits counted in 万 (10**4) and 億 (10**8)
    ("3億6670万台", 366_700_000, None),  # 3 * 10**8 + 6670 * 10**4
    ("1億2千万", 120_000_000, None),  # 10**8 + 2 * 1000 * 10**4
    ("三億六千六百七十萬", 366_700_000, None),  # 3 * 10**8 + (6000 + 600 + 70) * 10**4
    ("4,673万台", 46_730_000, None),  # 4673 * 10**4
    ("1.2万亿", 1_200_000_000_000, None),  # 1.2 * 10**4 * 10**8 (万亿 = 10**12)
    ("一万二千", 12_000, None),  # 10**4 + 2000
    ("十二万三千四百五十六", 123_456, None),  # 12 * 10**4 + 3456
    ("一万零五", 10_005, None),  # 10**4 + 5 (零 marks the empty places)
    ("1万2345", 12_345, None),  # 10**4 + 2345
    ("3千5百万", 35_000_000, None),  # (3000 + 500) * 10**4
    ("一万二千亿", 1_200_000_000_000, None),  # (10**4 + 2000) * 10**8
    ("約1億2千万台", 120_000_000, "approx"),
    ("3億6670万台以上", 366_700_000, "over"),
    ("1e6", 1_000_000, None),
    (".5M", 500_000, None),  # 0.5 * 10**6
    ("0", 0, None),
    ("  3M  ", 3_000_000, None),
    ("3\u00a0M", 3_000_000, None),  # no-break space
    ("ＯＶＥＲ　３Ｍ", 3_000_000, "over"),  # full-width letters and space
]


@pytest.mark.parametrize(("text", "units", "qualifier"), FORMS)
def test_every_form(text, units, qualifier):
    assert parse_units(text) == units
    assert parse_units(text, qualifier=True) == (units, qualifier)


def test_forms_as_one_series_match_the_scalars():
    texts = pd.Series([f[0] for f in FORMS], index=range(100, 100 + len(FORMS)), name="u")
    out = parse_units(texts, qualifier=True)
    assert list(out.columns) == ["units", "qualifier"]
    assert out.index.equals(texts.index)
    assert out["units"].tolist() == [f[1] for f in FORMS]
    assert [None if pd.isna(q) else q for q in out["qualifier"]] == [f[2] for f in FORMS]
    plain = parse_units(texts)
    assert plain.dtype == np.float64 and plain.name == "u"


@pytest.mark.parametrize(
    ("text", "units"),
    [
        ("3,2", 3.2),  # decimal comma
        ("3.25", 3.25),  # a point before other than three digits is still a point
        ("7.000.000", 7_000_000),  # dots group thousands
        ("1.234", 1_234),  # a dot before exactly three digits groups thousands
        ("1.234,56", 1_234.56),
        ("7,000,000", 7_000_000),  # commas twice: grouping even with decimal=","
        ("3,2 Mio.", 3_200_000),
        ("1,234 Mio.", 1_234_000),  # 1.234 * 10**6
    ],
)
def test_decimal_comma(text, units):
    assert parse_units(text, decimal=",") == units


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("lots", "not a form"),
        ("3 4", "malformed"),
        ("1,2,3", "malformed"),
        ("1.2.3", "malformed"),
        ("-5", "negative"),
        ("-5M", "negative"),
        ("1e999", "too large"),
        ("1e300 bn", "too large"),
        ("over 5M or less", "contradict"),
        ("三三万", "Chinese numeral"),  # not a numeral
        ("二十十万", "Chinese numeral"),
        ("3,25", "pass decimal=','"),  # a decimal comma, or a misplaced thousands comma?
        ("12,34", "pass decimal=','"),
        ("3,2M", "pass decimal=','"),
        ("一百五", "ambiguous"),  # 150 in speech, 105 by the place rule
        ("三万五", "ambiguous"),  # 35,000 in speech, 30,005 by the place rule
        ("3万5", "ambiguous"),
        ("1億2.5万", "Chinese numeral"),  # a fraction inside a compound numeral
        ("万", "Chinese numeral"),
        ("1e+400", "too large"),
        ("1e99999999999999999999", "too large"),
        ("3M3", "not a form"),
        ("M", "not a form"),
        ("over", "not a form"),
    ],
)
def test_unreadable_text_raises_a_data_error_naming_it(text, why):
    with pytest.raises(DataError) as info:
        parse_units(text)
    assert repr(text) in str(info.value)
    assert why in str(info.value)
    assert info.value.value == text
    assert info.value.hint


def test_missing_values_raise_unless_kept():
    for missing in (None, math.nan, pd.NA, "", "   "):
        with pytest.raises(DataError, match="missing"):
            parse_units(missing)
        assert math.isnan(parse_units(missing, na="keep"))
    assert parse_units(None, na="keep", qualifier=True)[1] is None


def test_series_error_names_positions_labels_and_values():
    values = pd.Series(["3M", None, "lots", "4"], index=["a", "b", "c", "d"], name="units")
    with pytest.raises(DataError) as info:
        parse_units(values)
    message = str(info.value)
    assert "column 'units'" in message
    missing = values.iloc[1]  # None, or nan where pandas infers a str dtype
    assert f"position 1, index 'b': {missing!r} (the value is missing)" in message
    assert "position 2, index 'c': 'lots'" in message
    assert info.value.positions == [1, 2]
    # na="keep" keeps the missing row, but 'lots' is still an error
    with pytest.raises(DataError) as info:
        parse_units(values, na="keep")
    assert info.value.positions == [2]
    kept = parse_units(values.drop("c"), na="keep")
    assert kept["a"] == 3_000_000 and math.isnan(kept["b"]) and kept["d"] == 4


def test_series_error_lists_five_rows_and_counts_the_rest():
    values = pd.Series(["x"] * 8)
    with pytest.raises(DataError, match="and 3 more") as info:
        parse_units(values)
    assert info.value.positions == list(range(8))


def test_try_parse_units_collects_reasons_without_raising():
    out = try_parse_units(pd.Series(["3M", "lots", None, "-1"]))
    assert out["units"].iloc[0] == 3_000_000
    assert out["units"].iloc[1:].isna().all()
    assert out["reason"].tolist()[1:] == [
        "not a form of number this parser knows",
        "the value is missing",
        "a number of units cannot be negative",
    ]
    assert pd.isna(out["reason"].iloc[0])


def test_numeric_object_and_categorical_series():
    assert parse_units(pd.Series([3, 4.5])).tolist() == [3.0, 4.5]
    mixed = pd.Series([3, "4M", 2.5], dtype=object)
    assert parse_units(mixed).tolist() == [3.0, 4_000_000.0, 2.5]
    cat = pd.Series(["3M", "700萬", "3M", None], dtype="category")
    out = parse_units(cat, na="keep")
    assert out.tolist()[:3] == [3_000_000, 7_000_000, 3_000_000] and math.isnan(out.iloc[3])
    with pytest.raises(DataError, match="negative"):
        parse_units(pd.Series([1.0, -2.0]))
    with pytest.raises(DataError, match="missing"):
        parse_units(pd.Series([1.0, np.nan]))


def test_input_is_not_modified():
    values = pd.Series(["3M", "4k"])
    before = values.copy()
    parse_units(values)
    pd.testing.assert_series_equal(values, before)


def test_bad_arguments():
    with pytest.raises(ValueError, match="decimal"):
        parse_units("3", decimal=";")
    with pytest.raises(ValueError, match="na"):
        parse_units("3", na="drop")
    with pytest.raises(TypeError):
        parse_units(True)
    with pytest.raises(TypeError):
        parse_units(pd.Series([True, False]))
    with pytest.raises(TypeError):
        parse_units(pd.DataFrame({"a": ["3M"]}))
    with pytest.raises(TypeError):
        parse_units([1, 2])


# --- format_units ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("x", "style", "text"),
    [
        (3_200_000, "plain", "3200000"),
        (3_200_000, "comma", "3,200,000"),
        (1_234.5, "comma", "1,234.5"),
        (3_200_000, "k", "3200k"),
        (3_200_000, "M", "3.2M"),
        (3_000_000, "M", "3M"),
        (3_200_000, "million", "3.2 million"),
        (3_200_000, "mln", "3.2 mln"),
        (1_200_000_000, "bn", "1.2 bn"),
        (1_200_000_000, "billion", "1.2 billion"),
        (3_200_000, "de", "3,2 Mio."),
        (7_000_000, "萬", "700萬"),
        (7_000_000, "万", "700万"),
        (7_000_000, "萬台", "700萬台"),
        (3_000_000, "百万", "3百万"),
        (120_000_000, "億", "1.2億"),
        (120_000_000, "亿", "1.2亿"),
        (3_000_000, "fullwidth", "３００萬"),
        (3_000_000, "words", "three million"),
        (25_000, "words", "twenty-five thousand"),
        (0, "words", "zero"),
    ],
)
def test_format_units(x, style, text):
    assert format_units(x, style) == text


def test_format_units_qualifier_and_series():
    assert format_units(3_000_000, "words", qualifier="over") == "over three million"
    assert format_units(5_000_000, "M", qualifier="approx") == "about 5M"
    out = format_units(pd.Series([3e6, 7e6, 3e6], index=[5, 6, 7]), "萬")
    assert out.tolist() == ["300萬", "700萬", "300萬"] and list(out.index) == [5, 6, 7]


def test_format_units_bad_arguments():
    with pytest.raises(ValueError, match="style"):
        format_units(1, "furlongs")
    with pytest.raises(ValueError, match="words"):
        format_units(123_456, "words")
    with pytest.raises(ValueError):
        format_units(-1, "M")
    with pytest.raises(ValueError):
        format_units(math.inf, "M")
    with pytest.raises(ValueError, match="qualifier"):
        format_units(1, "M", qualifier="more")
    with pytest.raises(TypeError):
        format_units("3M", "M")


# --- properties -----------------------------------------------------------------------

SETTINGS = settings(max_examples=60, deadline=None)
NUMBER_STYLES = [s for s in STYLES if s != "words"]
units_values = st.one_of(
    st.integers(min_value=0, max_value=10**13).map(float),
    st.floats(min_value=0, max_value=1e15, allow_nan=False, allow_infinity=False),
)


@SETTINGS
@given(x=units_values, style=st.sampled_from(NUMBER_STYLES))
def test_round_trip_is_exact(x, style):
    # Every style, "de" included, reads back with the default decimal="." (regression:
    # "1,234 Mio." was read as 1.234 billion, failing for 45% of values).
    assert parse_units(format_units(x, style)) == x


def test_german_round_trip_regression():
    # 1,234,000 = 1.234 * 10**6 is written "1,234 Mio." and read back as such.
    assert format_units(1_234_000, "de") == "1,234 Mio."
    assert parse_units("1,234 Mio.") == 1_234_000
    assert parse_units(format_units(1_234_567_000, "de")) == 1_234_567_000  # "1234,567 Mio."


@SETTINGS
@given(
    n=st.integers(min_value=1, max_value=99),
    power=st.sampled_from([0, 3, 6, 9]),
    qualifier=st.sampled_from([None, "over", "under", "approx"]),
)
def test_round_trip_in_words(n, power, qualifier):
    x = float(n * 10**power)
    text = format_units(x, "words", qualifier=qualifier)
    assert parse_units(text, qualifier=True) == (x, qualifier)


ALPHABET = list("0123456789.,' +-~kKmMbBeE萬万億亿百千十一二三台多以上約近超逾") + [
    "million",
    "over",
    "about",
    "twenty",
    "five",
    "mln",
    "Mio.",
    " ",
]


@SETTINGS
@given(text=st.one_of(st.text(max_size=20), st.lists(st.sampled_from(ALPHABET)).map("".join)))
def test_random_text_raises_only_data_error(text):
    try:
        value = parse_units(text)
    except DataError:
        return
    assert isinstance(value, float) and math.isfinite(value) and value >= 0


@SETTINGS
@given(texts=st.lists(st.sampled_from(ALPHABET), max_size=5).map("".join).map(lambda t: [t]))
def test_series_equals_scalars_on_random_text(texts):
    out = try_parse_units(pd.Series(texts))
    for text, units in zip(texts, out["units"], strict=True):
        try:
            expected = parse_units(text)
        except DataError:
            assert math.isnan(units)
        else:
            assert units == expected


@SETTINGS
@given(
    values=st.lists(
        st.tuples(units_values, st.sampled_from(NUMBER_STYLES[:-1] + ["words"])),
        min_size=1,
        max_size=20,
    )
)
def test_series_equals_scalars(values):
    texts = []
    for x, style in values:
        try:
            texts.append(format_units(x, "de" if style == "de" else style))
        except ValueError:  # words cannot write this number
            texts.append(format_units(x, "M"))
    series = parse_units(pd.Series(texts, dtype="str"))
    assert series.tolist() == [parse_units(t) for t in texts]


def test_bare_marks_numbers_written_without_a_multiplier():
    texts = ["3.2", "3.2M", "about 3", "700萬", "1e6", "three", "7,000,000", None, "3 units"]
    out = try_parse_units(pd.Series(texts))
    assert out["bare"].tolist() == [True, False, True, False, False, True, True, False, True]
    cat = try_parse_units(pd.Series(["3.2", "3M", None], dtype="category"))
    assert cat["bare"].tolist() == [True, False, False]
    assert cat["reason"].tolist()[2] == "the value is missing"
    assert try_parse_units(pd.Series([1.5, 2.0]))["bare"].all()


def test_long_columns_with_repeats_are_parsed_once_per_text_with_the_same_result():
    # Over 20,000 rows with few distinct texts take the distinct-texts path.
    texts = ["3.2M", "700萬", "over 3 million", None]
    expected = [3_200_000.0, 7_000_000.0, 3_000_000.0]  # 3.2 * 10**6, 700 * 10**4, 3 * 10**6
    values = pd.Series(texts * 6_000)
    out = try_parse_units(values)
    assert out["units"].iloc[:3].tolist() == expected
    assert out["units"].iloc[4:7].tolist() == expected
    assert out["qualifier"].iloc[2] == "over" and out["reason"].iloc[3] == "the value is missing"
    assert out["units"].isna().sum() == 6_000
    bad = values.copy()
    bad.iloc[20_001] = "lots"
    with pytest.raises(DataError) as info:
        parse_units(bad, na="keep")
    assert info.value.positions == [20_001]


def test_fast_split_is_not_spoiled_by_a_text_with_digits_in_its_rest():
    # "over 3 million" has the rest "over 3 million" (it starts with a letter); its "3"
    # once joined the characters trimmed from every text, so no text took the fast path.
    from marketdata.units._kernel import _normalise, _split_fast

    texts = pd.Series(["1,234,567", "3.2M", "700萬", "over 3 million"], dtype="string")
    ok, _ = _split_fast(_normalise(pa.array(texts.array)))
    assert ok.tolist() == [True, True, True, False]
    # 1,234,567; 3.2 * 10**6; 700 * 10**4; 3 * 10**6
    assert parse_units(texts).tolist() == [1_234_567.0, 3_200_000.0, 7_000_000.0, 3_000_000.0]


def test_parse_units_codes_agrees_with_parse_units():
    texts = ["over 3M", "lots", "3", "about 1,234", "3,2 Mio.", "1.234.567", None, "-5"]
    units, qualifier, failed, bare = parse_units_codes(pd.Series(texts))
    assert failed.tolist() == [False, True, False, False, False, False, True, True]
    for text, u, q, bad in zip(texts, units, qualifier, failed, strict=True):
        if bad:
            with pytest.raises(DataError):
                parse_units(text)
            assert np.isnan(u) and q == -1
        else:
            value, word = parse_units(text, qualifier=True)
            assert u == value
            assert q == (-1 if word is None else ("over", "under", "approx").index(word))
    # 3 * 10**6 over; 3; 1234 approx; 3.2 * 10**6 (decimal comma); 1234567 (German grouping)
    assert units[[0, 2, 3, 4, 5]].tolist() == [3e6, 3.0, 1234.0, 3.2e6, 1_234_567.0]
    assert bare.tolist()[:4] == [False, False, True, True]


# --- compound CJK numerals --------------------------------------------------------------

_CN = "零一二三四五六七八九"


def _group_in_chinese(n: int, lead_zero: bool) -> str:
    """1 <= n <= 9999 in Chinese place notation; 零 for every run of empty places."""
    out, pending_zero = [], lead_zero
    for place, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // place % 10
        if digit:
            if pending_zero and out or (pending_zero and lead_zero):
                out.append("零")
            out.append(_CN[digit] + unit)
            pending_zero = False
        elif out or lead_zero:
            pending_zero = True
    return "".join(out)


def _in_cjk(n: int, arabic: bool, traditional: bool) -> str:
    """n (1 <= n < 10**12) written with 億/亿 and 萬/万, independently of the parser."""
    wan, yi = ("萬", "億") if traditional else ("万", "亿")
    groups = [(n // 10**8, yi, 8), (n // 10**4 % 10**4, wan, 4), (n % 10**4, "", 0)]
    out, higher = [], False
    for value, word, _ in groups:
        if value == 0:
            continue
        if arabic:
            # A last group after a higher one is written with all its places (1萬0005):
            # "1萬5" would be ambiguous (15,000 in speech).
            width = 4 if (higher and not word) else 0
            if higher and not word and out[-1].endswith(yi):
                width = 8  # after 億 with no 萬 group: eight places
            out.append(str(value).zfill(width) + word)
        else:
            gap = higher and (value < 1000 or out[-1].endswith(yi) and word == "")
            out.append(_group_in_chinese(value, lead_zero=gap) + word)
        higher = True
    return "".join(out)


@SETTINGS
@given(
    n=st.integers(min_value=1, max_value=10**12 - 1),
    arabic=st.booleans(),
    traditional=st.booleans(),
    unit=st.sampled_from(["", "台", "部"]),
)
def test_cjk_numerals_round_trip(n, arabic, traditional, unit):
    text = _in_cjk(n, arabic, traditional) + unit
    assert parse_units(text) == n, text


def test_cjk_writer_of_the_test_is_right():
    # The test's writer, checked by hand against the examples.
    assert _in_cjk(366_700_000, arabic=False, traditional=True) == "三億六千六百七十萬"
    assert _in_cjk(366_700_000, arabic=True, traditional=True) == "3億6670萬"
    assert _in_cjk(10_005, arabic=False, traditional=False) == "一万零五"
    assert _in_cjk(100_000_005, arabic=False, traditional=False) == "一亿零五"
    assert _in_cjk(100_000_005, arabic=True, traditional=False) == "1亿00000005"
    assert _in_cjk(105_000, arabic=False, traditional=False) == "十万五千".replace("十", "一十")


# --- hostile input ----------------------------------------------------------------------

HOSTILE = st.one_of(
    st.text(max_size=40),  # any code point, lone surrogates and NUL included
    st.lists(st.sampled_from(ALPHABET + ["\ud800", "\x00", "e+", "e-", "e400"])).map("".join),
    st.integers(min_value=10**300, max_value=10**4000).map(str),  # up to 4,000 digits
    st.integers(min_value=300, max_value=10**30).map(lambda k: f"1e{k}"),
    st.integers(min_value=300, max_value=10**30).map(lambda k: f"3.2e+{k} M"),
)


@SETTINGS
@given(text=HOSTILE)
def test_any_text_gives_a_number_or_a_data_error(text):
    # No input raises anything but DataError (regression: "3e+6" raised ArrowInvalid,
    # which aborted errors="collect" for a whole file), and no input gives infinity.
    try:
        value = parse_units(text)
    except DataError:
        pass
    else:
        assert isinstance(value, float) and math.isfinite(value) and value >= 0
    out = try_parse_units(pd.Series([text, "3M"], dtype=object))  # never raises
    assert out["units"].iloc[1] == 3_000_000
    assert out["reason"].isna().iloc[0] == math.isfinite(out["units"].iloc[0])


def test_huge_numbers_are_refused_not_infinite():
    for text in ["1e400", "9" * 5000, "1e+99999999999999999999", "9" * 400 + "億"]:
        with pytest.raises(DataError, match="too large"):
            parse_units(text)


def test_lone_surrogates_and_nul_are_data_errors_naming_the_value():
    for text in ["\ud800", "3\udfffM", "3\x00M"]:
        with pytest.raises(DataError) as info:
            parse_units(text)
        assert info.value.value == text
    with pytest.raises(DataError) as info:
        parse_units(pd.Series(["3M", "\ud800"]))
    assert info.value.positions == [1]


def test_long_values_are_cut_in_messages():
    with pytest.raises(DataError) as info:
        parse_units("x" * 100_000)
    assert "(100,002 characters)" in str(info.value) and len(str(info.value)) < 600


# Long adversarial texts (10**4 to 10**5 characters) aimed at every pattern: runs of
# multipliers that split many ways ("mm" or "m" twice: the 21 s backtracking case at
# just 34 characters), digits with separators, spaces, qualifiers and CJK numerals.
ADVERSARIAL = [
    "3" + "m" * 34 + "x",
    "3" + "m" * 100_000 + "x",
    "3" + " m" * 50_000 + "x",
    "3" + "mm " * 30_000 + "x",
    "3" + "1," * 50_000 + "x",
    "1" * 50_000 + "." + "1" * 50_000 + "x",
    "3" + " " * 100_000 + "x",
    "over " * 20_000 + "3",
    "3" + "萬" * 100_000 + "x",
    "一" * 100_000,
    "三千" * 50_000,
    "3億" * 50_000 + "台",
    "3e" + "1" * 100_000,
    "1" * 100_000 + "e-99999",
    "3" + "million " * 10_000 + "x",
]


def test_adversarial_texts_finish_quickly():
    # A time bound without a timed assertion: the texts are parsed in a subprocess that
    # is killed after 120 s. Each parse is linear and takes milliseconds (the whole run
    # about a second after imports), so only a super-linear pattern can reach the bound,
    # and one does by orders of magnitude: backtracking doubles with every character
    # (21 s at 34 characters), and these texts have 10**4 to 10**5.
    import subprocess
    import sys

    code = (
        "import json, sys\n"
        "from marketdata import DataError, parse_units\n"
        "import pandas as pd\n"
        "texts = json.loads(sys.stdin.read())\n"
        "for t in texts:\n"
        "    try:\n"
        "        parse_units(t)\n"
        "    except DataError:\n"
        "        pass\n"
        "from marketdata.units import try_parse_units\n"
        "assert try_parse_units(pd.Series(texts))['reason'].notna().sum() > 0\n"
        "print('done', len(texts))\n"
    )
    import json

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


def test_parse_units_is_typed_by_overloads():
    import typing

    returns = [f.__annotations__["return"] for f in typing.get_overloads(parse_units)]
    assert returns == ["pd.Series", "pd.DataFrame", "float", "tuple[float, str | None]"]


def test_numbers_beyond_str_and_float_are_data_errors():
    # A 5,000-digit int is beyond str() (4,300 digits) and float(): too large, not a crash.
    huge = 10**5000
    with pytest.raises(DataError, match="too large") as info:
        parse_units(huge)
    assert "about 5,000 digits" in str(info.value)
    with pytest.raises(DataError, match="too large") as info:
        parse_units(pd.Series([3, huge], dtype=object))
    assert info.value.positions == [1]
    assert parse_units(-0.0) == 0  # minus zero is zero, not a negative number
