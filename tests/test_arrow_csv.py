"""Arrow's CSV path gives exactly the table the row-by-row reader gives, or steps aside.

For every text, :func:`layers.arrow_csv.split` either returns None (the caller
then reads row by row) or the same frame, row numbers, HXL tags and row count as
``split_header(csv_rows(...))``; where the row-by-row reader refuses the text,
the Arrow path must step aside so that its message is the one users see.
"""

from __future__ import annotations

import random

import pandas as pd
import pytest

from layers import arrow_csv
from layers.hxl import TableError, csv_rows, split_header

# Characters that make CSV hard: delimiters, quotes, line breaks, white space
# Python and Arrow may disagree on, HXL hashes, NUL, and some letters.
ALPHABET = [",", ";", '"', '"', "\n", "\r\n", "\r", " ", "\t", "\x1c", "\x1f", "\x85", "\xa0",
            "\u2028", "\u3000", "\u200b", "#", "+", "a", "b", "Ж", "1", "", "\x00", "é"]  # fmt: skip


def _slow(text: str, delimiter: str, max_rows: int | None):
    try:
        rows = csv_rows(text, delimiter, max_rows)
        frame, numbers, tags = split_header(rows, "the file")
    except TableError:
        return None
    return len(rows), frame, numbers, tags


def _agree(text: str, delimiter: str = ",", max_rows: int | None = None) -> bool:
    """Assert the two paths agree; return whether the Arrow path took the text."""
    fast = arrow_csv.split(text, delimiter, max_rows)
    if len(delimiter) == 1 and delimiter.isascii() and text.isascii() is not None:
        # The UTF-8 bytes alone are read alike (files decoded as UTF-8 are read so).
        from_bytes = arrow_csv.split(None, delimiter, max_rows, utf8=text.encode("utf-8"))
        assert (from_bytes is None) == (fast is None), text
        if fast is not None:
            assert from_bytes[0] == fast[0] and from_bytes[2:] == fast[2:], text
            pd.testing.assert_frame_equal(from_bytes[1], fast[1])
    if fast is None:
        return False
    slow = _slow(text, delimiter, max_rows)
    assert slow is not None, f"Arrow read what Python refuses: {text!r}"
    assert fast[0] == slow[0], text
    pd.testing.assert_frame_equal(fast[1], slow[1])
    assert fast[2:] == slow[2:], text
    return True


CASES = [
    "a,b\n1,2\n",
    "a,b\n1,2",
    "a,b\r\n1,2\r\n",
    "a,b\r1,2\r",
    'a,b\n"x,1",2\n',
    'a,b\n"x\ny",2\n3,4\n',
    'a,b\n"a""b",2\n',
    'a,b\n"",2\n',
    "a,b\n\n1,2\n\n\n",
    "a,b\n,\n1,2\n , \n",
    "\n\na,b\n1,2\n",
    "a,b\n#x,#y\n1,2\n",
    "#x,#y\n1,2\n",
    "a,\n#x,#y\n1,2\n",
    "a,\n1,\n",
    "a,\n1,2\n",
    "a,a\n1,2\n",
    "a,b\n",
    "a,b\n#x,#y\n",
    "a,b\n1\n",
    "a,b\n1,2,3\n",
    'a,b\n"ab"c,2\n',
    'a,b\na"b,2\n',
    'a,b\n"open,2\n',
    "a,b\n 1 , 2 \n",
    "a,b\n\u3000,\xa0\n1,2\n",
    "a,b\n\x1c,\x1f\n1,2\n",
    "a,b\n1,\x00\n",
    "Oblast,Area\n#adm1+name,#area\nKharkiv,4\n",
]


@pytest.mark.parametrize("text", CASES)
def test_edge_cases(text):
    _agree(text)


def test_plain_files_take_the_arrow_path():
    assert _agree('record_id,place,value\nr1,Kharkiv,4\nr2,"Donetsk, city",5\n')
    assert _agree("a;b\n1;2\n", ";")
    assert _agree("a\tb\n1\t2\n", "\t")


def test_row_limit_counts_as_the_row_reader_does():
    text = "a,b\n" + "".join(f"{i},x\n" for i in range(10))
    for limit in (1, 2, 3, 5, 11, 12, 50):
        _agree(text, ",", limit)


def test_random_texts():
    rng = random.Random(20261206)
    taken = 0
    for _ in range(3000):
        cells = rng.randint(1, 40)
        text = "".join(rng.choice(ALPHABET) for _ in range(cells))
        taken += _agree("h1,h2\n" + text + "\n" + text, ",")
        # Rectangular rows of random cells: most should take the Arrow path.
        rows = ["c1,c2,c3"] + [
            ",".join(
                "".join(rng.choice(ALPHABET[5:]) for _ in range(rng.randint(0, 4)))
                .replace("\n", "").replace("\r", "").replace("\u2028", "").replace("\x85", "")
                for _ in range(3)
            )
            for _ in range(rng.randint(1, 5))
        ]  # fmt: skip
        taken += _agree("\n".join(rows) + "\n")
    assert taken > 300  # the comparison was made, not skipped


def test_lines_split_as_stringio_does():
    """Delimiter sniffing reads lines lazily, exactly as io.StringIO(newline='') gives them."""
    import io

    from layers.hxl import _lines

    rng = random.Random(5)
    for _ in range(3000):
        pieces = ["a", ",", '"', "\n", "\r", "\r\n", " ", "\x00", "\u2028", "\x85"]
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 60)))
        assert list(_lines(text)) == list(io.StringIO(text, newline="")), repr(text)


#: A UCDP GED export as HDX serves it: the codebook's columns, 16 tagged on line 2.
UCDP_COLUMNS = [
    "id", "relid", "year", "active_year", "code_status", "type_of_violence", "conflict_dset_id",
    "conflict_new_id", "conflict_name", "dyad_dset_id", "dyad_new_id", "dyad_name",
    "side_a_dset_id", "side_a_new_id", "side_a", "side_b_dset_id", "side_b_new_id", "side_b",
    "number_of_sources", "source_article", "source_office", "source_date", "source_headline",
    "source_original", "where_prec", "where_coordinates", "where_description", "adm_1", "adm_2",
    "latitude", "longitude", "geom_wkt", "priogrid_gid", "country", "country_id", "region",
    "event_clarity", "date_prec", "date_start", "date_end", "deaths_a", "deaths_b",
    "deaths_civilians", "deaths_unknown", "best", "high", "low", "gwnoa", "gwnob",
]  # fmt: skip
UCDP_TAGS = {
    "id": "#event+id", "year": "#date+year", "conflict_name": "#event+name",
    "side_a": "#org+side_a", "side_b": "#org+side_b", "where_description": "#loc+name",
    "adm_1": "#adm1+name", "adm_2": "#adm2+name", "latitude": "#geo+lat",
    "longitude": "#geo+lon", "country": "#country+name", "region": "#region+name",
    "date_start": "#date+start", "date_end": "#date+end", "deaths_civilians": "#affected+killed",
    "best": "#affected+killed+best",
}  # fmt: skip


def test_an_hdx_file_tagging_a_third_of_its_columns_is_read_as_hxl():
    rows = [",".join(UCDP_COLUMNS), ",".join(UCDP_TAGS.get(c, "") for c in UCDP_COLUMNS)]
    for i in range(2):
        cell = {"id": f"24{i}", "adm_1": "Donetsk oblast", "country": "Ukraine",
                "latitude": "48.0159", "longitude": "37.8028",
                "date_start": "2014-07-22 00:00:00.000", "date_end": "2014-07-22 00:00:00.000",
                "where_description": '"Donetsk city, Donetsk oblast"', "best": "3"}  # fmt: skip
        rows.append(",".join(cell.get(c, "") for c in UCDP_COLUMNS))
    text = "\n".join(rows) + "\n"
    assert _agree(text)
    count, frame, numbers, tags = arrow_csv.split(text, ",")
    assert (count, numbers, len(frame.columns)) == (4, [3, 4], len(UCDP_COLUMNS))
    assert len(tags) == 16 and tags["adm_1"] == "#adm1+name" and tags["latitude"] == "#geo+lat"
    assert frame.loc[0, "where_description"] == "Donetsk city, Donetsk oblast"
