import io

import pytest

from marketdata import DataError
from marketdata.io import read_table
from marketdata.io.encodings import decode, line_of, ordinariness

TRADITIONAL = "廠牌,出貨量\n宏達電,700萬\n華碩,3百萬\n蘋果,1.2億\n臺灣大哥大,30萬台\n"
SIMPLIFIED = "厂牌,出货量\n宏达电,700万\n华硕,3百万\n苹果,1.2亿\n小米,30万台\n"


def test_utf8_with_and_without_bom():
    assert decode(TRADITIONAL.encode("utf-8")) == (TRADITIONAL, "utf-8-sig")
    assert decode(b"\xef\xbb\xbf" + SIMPLIFIED.encode()) == (SIMPLIFIED, "utf-8-sig")


def test_big5_and_gb18030_are_told_apart_by_ordinary_characters():
    assert decode(TRADITIONAL.encode("big5")) == (TRADITIONAL, "cp950")
    assert decode(SIMPLIFIED.encode("gb18030")) == (SIMPLIFIED, "gb18030")
    # read with the wrong codec, the same bytes turn into rarely used characters
    big5 = TRADITIONAL.encode("big5")
    assert ordinariness(big5.decode("cp950"), "cp950") == 1.0
    assert ordinariness(big5.decode("gb18030"), "gb18030") < 0.5


def test_ascii_only_text_is_ordinary_in_any_codec():
    assert ordinariness("brand,units\nHTC,3M\n", "cp950") == 1.0


def test_given_encoding_is_used_strictly_and_unknown_codecs_are_refused():
    assert decode("小米".encode("gb18030"), encoding="gb18030")[0] == "小米"
    with pytest.raises(DataError, match="line 2") as err:
        decode(b"ok\n\xff\xfe\xfd", encoding="utf-8", file="x.csv")
    assert err.value.line == 2
    with pytest.raises(ValueError, match="unknown encoding"):
        decode(b"x", encoding="klingon")


def test_undecodable_bytes_name_the_first_bad_line():
    # 0x80 alone is not UTF-8, and 0x80 0xFF is neither Big5 nor GB18030
    with pytest.raises(DataError, match="first byte that is not UTF-8 is on line 3"):
        decode(b"a\nb\n\x80\xff\n")


@pytest.mark.parametrize(
    ("head", "kind"),
    [(b"PK\x03\x04rest", "xlsx"), (b"PAR1rest", "parquet"), (b"  [oops", "json")],
)
def test_a_buffer_without_a_name_is_sniffed(head, kind):
    # each is a broken file of that kind: the error says which reader refused it
    with pytest.raises(DataError) as err:
        read_table(io.BytesIO(head))
    words = {"xlsx": "Excel", "parquet": "Parquet", "json": "JSON"}
    assert words[kind] in str(err.value)


def test_bad_bytes_name_their_line_in_old_mac_files():
    # lines end with a bare \r when the file has no \n: the bad byte is on line 3
    with pytest.raises(DataError, match="on line 3"):
        decode(b"a\rb\r\x80\xff\r")
    assert line_of(b"a\r\nb\r\nc", 6) == 3  # \r\n counts once
