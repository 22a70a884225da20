"""Reading bytes: encodings, header row, delimiter, quoting, blank and total rows."""

from __future__ import annotations

import codecs

import pytest

from loaders.errors import ROW, Rejected
from loaders.formats import FORMATS, header_test
from loaders.reading import drop_summary_rows, normalise_header, read_table
from tests.loaders.factories import CSOD_HEADER, LINKEDIN_HEADER, csod_rows, to_csv

IS_HEADER = header_test(FORMATS)


def read(data: bytes):
    return read_table(data, is_header=IS_HEADER)


def test_header_normalisation() -> None:
    assert normalise_header("\ufeff  Content   Hours\tViewed ") == "content hours viewed"
    assert normalise_header("% Marked COMPLETED") == "% marked completed"


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [
        ("utf-8", b""),
        ("utf-8", codecs.BOM_UTF8),
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
        ("utf-16-le", b""),  # Moodle's "Excel" CSV without a BOM
        ("cp1252", b""),
    ],
)
def test_encodings(encoding: str, prefix: bytes) -> None:
    text = to_csv([["User ID", "User Full Name", "Training Title", "Transcript Status"],
                   ["E1", "Zoë Müller", "Sécurité – niveau 1", "Completed"]])  # fmt: skip
    table = read(prefix + text.encode(encoding))
    assert table.headers[0] == "User ID"
    row = table.frame.row(0, named=True)
    assert row["User Full Name"] == "Zoë Müller"
    assert row["Training Title"] == "Sécurité – niveau 1"


def test_cp1252_detected_not_a_neighbour() -> None:
    # charset-normalizer alone calls this cp1250 and turns "Ñúñez" into "Ńúńez".
    text = (
        "User ID,User Full Name,Training Title,Transcript Status\nE1,José Ñúñez,Ética,Completed\n"
    )
    table = read(text.encode("cp1252"))
    assert table.frame.row(0, named=True)["User Full Name"] == "José Ñúñez"
    assert table.encoding == "cp1252"


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"\r\n\r\n  \n", "empty"),
        (b"\xef\xbb\xbf" + b" \r\n" * 40_000, "empty"),  # blanks past the 64 KiB head too
        (b"PK\x03\x04\x14\x00\x06\x00rest of an xlsx", "Excel"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old xls", "Excel"),
        (b"%PDF-1.7\n...", "PDF"),
        (b"a,b\n\x00\x01\x02\x03\x00\x00\x07\x08,\x00\n" * 5, "binary"),
        (bytes(range(256)) * 20, "binary"),
    ],
)
def test_unreadable_files_are_rejected(data: bytes, words: str) -> None:
    with pytest.raises(Rejected) as exc:
        read(data)
    assert words in exc.value.errors.first()[0].message


def test_header_only_is_rejected() -> None:
    with pytest.raises(Rejected) as exc:
        read(b"product,category\n")
    assert exc.value.errors.first()[0].message == "the file has a header row but no data rows"


def test_title_lines_skipped_and_row_numbers_kept() -> None:
    text = (
        "Compliance Transcript Report\n"
        '"Report run: 11/20/2026, 8:02 AM (UTC)"\n'
        ",,,,,,\n"
        "\n" + to_csv([CSOD_HEADER, *csod_rows()])
    )
    table = read(text.encode())
    assert table.header_row == 5
    assert table.frame.get_column(ROW).to_list() == [6, 7, 8]
    assert table.frame.row(0, named=True)["User Full Name"] == "Müller, Zoë"


def test_unknown_header_is_the_fullest_row() -> None:
    table = read(b"My export\nalpha,beta,gamma\n1,2,3\n")
    assert table.headers == ("alpha", "beta", "gamma")
    assert table.header_row == 2


@pytest.mark.parametrize("delimiter", [";", "\t", "|"])
def test_delimiters_sniffed(delimiter: str) -> None:
    rows = [["product", "learner", "content_title", "minutes"],
            ["Academy", "a@x.example", "Intro, part 1", "12,5"]]  # fmt: skip
    table = read(to_csv(rows, delimiter=delimiter).encode())
    assert table.delimiter == delimiter
    assert table.frame.row(0, named=True)["content_title"] == "Intro, part 1"


def test_quoted_commas_and_line_breaks_are_one_row() -> None:
    text = to_csv([CSOD_HEADER,
                   ["E1", "Doe, Jane", "Safety\nlevel 2", "Online", "Completed", "", ""],
                   ["E2", "Roe, Rich", "Ethics", "Online", "Completed", "", ""]])  # fmt: skip
    table = read(text.encode())
    assert table.frame.height == 2
    assert table.frame.row(0, named=True)["Training Title"] == "Safety\nlevel 2"
    # A spreadsheet shows the quoted line break inside one cell: row numbers 2 and 3.
    assert table.frame.get_column(ROW).to_list() == [2, 3]


def test_blank_lines_skipped_but_counted_as_rows() -> None:
    text = to_csv([LINKEDIN_HEADER[:4], ["A", "B", "a@x", "1"]]) + "\n  \n" + "C,D,c@x,2\n"
    table = read(text.encode())
    assert table.frame.get_column(ROW).to_list() == [2, 5]
    assert table.blank_rows == 2


def test_crlf_and_whitespace_cells() -> None:
    table = read(b"User ID ,Training Title,Transcript Status\r\n  E1 , Ethics ,  \r\n")
    row = table.frame.row(0, named=True)
    assert table.headers == ("User ID", "Training Title", "Transcript Status")
    assert row["User ID"] == "E1"
    assert row["Transcript Status"] is None


def test_total_and_empty_key_rows_dropped() -> None:
    text = to_csv([CSOD_HEADER, *csod_rows(),
                   ["Total", None, None, None, "3", None, None],
                   [None, None, None, "Online Course", None, None, None],
                   ["Grand total:", None, None, None, None, None, None]])  # fmt: skip
    table = read(text.encode())
    kept, skipped = drop_summary_rows(table, ["User ID", "Training Title"])
    assert kept.frame.height == 3
    assert skipped == [5, 6, 7]


def test_ragged_short_rows_are_padded() -> None:
    table = read(b"User ID,Training Title,Transcript Status\nE1,Ethics\n")
    assert table.frame.row(0, named=True)["Transcript Status"] is None


def test_repeated_header_names_are_kept_apart() -> None:
    table = read(b"Email,Email,Training Title\na@x,b@x,Ethics\n")
    assert table.headers == ("Email", "Email (2)", "Training Title")


def test_invalid_utf8_after_the_sample_falls_back_to_cp1252() -> None:
    head = "User ID,User Full Name,Training Title,Transcript Status\n"
    filler = "".join(f"E{i},Name {i},Ethics,Completed\n" for i in range(4000))  # > 64 KB
    data = (head + filler).encode() + "E9,Zoë Müller,Ethics,Completed\n".encode("cp1252")
    table = read(data)
    assert table.encoding == "cp1252"
    assert table.frame.row(-1, named=True)["User Full Name"] == "Zoë Müller"


def test_a_report_after_a_long_run_of_blank_lines_is_read() -> None:
    # The emptiness check looks at the head first; a head of blanks is not an empty file.
    table = read(b"\r\n" * 40_000 + b"product,category\nAcme Academy,academy\n")
    assert table.frame.height == 1
