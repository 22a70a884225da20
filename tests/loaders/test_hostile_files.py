"""Hostile and careless files (issue 14, "Never crash"): each class that crashed, now refused
with its row and column or imported where a reading is safe; a fault in one file of a batch
is that file's `rejected` line and the batch goes on; blank-line floods cost no memory.

Every test goes through the real `import_file` on a SQLite file database.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from loaders import import_file, import_paths
from tests.actors import EDITOR
from tests.loaders.conftest import counts, fk_violations

ROOT = Path(__file__).resolve().parents[2]
PRODUCTS_HEADER = b"product,category,owner\n"
CONTRACTS_HEADER = b"product,vendor,start,end,seats,price_per_seat\n"
BUDGETS_HEADER = b"product,month,cost_category,plan,actual\n"


def scalar(engine: Engine, sql: str, **params: object) -> object:
    with engine.connect() as conn:
        return conn.execute(text(sql), params).scalar()


def rows(engine: Engine, sql: str) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql)).fetchall()]


def only_error(result) -> dict[str, object]:
    assert result.status == "rejected", result
    assert result.errors, "a refusal always says why"
    return result.errors[0]


# --- line ends and long lines -------------------------------------------------------------


def test_lone_cr_ending_the_header(engine: Engine) -> None:
    # polars ended lines at \n only, the csv module at \r too: SchemaError (3 != 5 columns).
    data = b"product,category,owner\rAlpha,academy,Ana\nBeta,academy,Ben\n"
    result = import_file(data, file_name="products.csv", engine=engine, actor=EDITOR)
    assert result.status == "imported", result.errors
    assert rows(engine, "SELECT name, owner FROM product ORDER BY name") == [
        ("Alpha", "Ana"),
        ("Beta", "Ben"),
    ]


def test_mixed_line_ends_keep_every_row_and_its_number(engine: Engine) -> None:
    # Rows ended by \r were glued to the next row and cut (5,000 rows read as 3,334).
    ends = [b"\r\n", b"\r", b"\n"]
    body = b"".join(f"P{i},academy,o{i}".encode() + ends[i % 3] for i in range(300))
    result = import_file(
        PRODUCTS_HEADER + body, file_name="products.csv", engine=engine, actor=EDITOR
    )
    assert result.status == "imported", result.errors
    assert result.rows_imported == 300
    assert scalar(engine, "SELECT owner FROM product WHERE name = 'P299'") == "o299"
    # The same file with a bad category last: the header is row 1, so P299 is row 301.
    bad = body.replace(b"P299,academy", b"P299,nonsense")
    refused = import_file(PRODUCTS_HEADER + bad, file_name="p2.csv", engine=engine, actor=EDITOR)
    error = only_error(refused)
    assert (error["row"], error["column"]) == (301, "category")


def test_header_line_over_the_64_kib_sample(engine: Engine) -> None:
    # 9,000 extra columns make the header ~80 KiB: the sample used to cut it (SchemaError).
    extra = ",".join(f"extra{i}" for i in range(9000)).encode()
    data = b"product,category,owner," + extra + b"\nAlpha,academy,Ana\n"
    assert len(data) > 64 * 1024
    result = import_file(data, file_name="products.csv", engine=engine, actor=EDITOR)
    assert result.status == "imported", result.errors
    assert scalar(engine, "SELECT owner FROM product WHERE name = 'Alpha'") == "Ana"


def test_title_line_over_the_64_kib_sample(engine: Engine) -> None:
    data = b"Report " + b"x" * 70_000 + b"\n" + PRODUCTS_HEADER + b"Alpha,academy,Ana\n"
    result = import_file(data, file_name="products.csv", engine=engine, actor=EDITOR)
    assert result.status == "imported", result.errors
    header = next(d for d in result.decisions if d["topic"] == "header_row")
    assert header["value"] == 2


def test_header_wider_than_a_spreadsheet_is_refused(engine: Engine) -> None:
    data = b"product,category," + b",".join(b"c%d" % i for i in range(20_000)) + b"\nA,academy\n"
    error = only_error(import_file(data, file_name="products.csv", engine=engine, actor=EDITOR))
    assert error["message"] == (
        "row 1, the header, has 20,002 columns; a spreadsheet holds at most 16,384, "
        "so this is not a report"
    )


def test_first_line_without_a_break_is_refused(engine: Engine) -> None:
    data = b"a," * (3 * 1024 * 1024)  # 6 MiB, no line end
    before = counts(engine)
    result = import_file(data, file_name="blob.csv", engine=engine, actor=EDITOR)
    assert "without a line break" in str(only_error(result)["message"])
    assert counts(engine) == before


# --- digits of other scripts, numbers beyond what can be stored ----------------------------


def test_full_width_and_arabic_indic_digits_are_read(portfolio: Engine) -> None:
    contracts = CONTRACTS_HEADER + (
        "Linked Library,LinkedIn,２０２６-０１-０１,2026-12-31,１２３,٤٠\n".encode()
    )
    result = import_file(contracts, file_name="contracts.csv", engine=portfolio, actor=EDITOR)
    assert result.status == "imported", result.errors
    got = rows(portfolio, "SELECT seats, price_per_seat_minor, start FROM contract")
    # Computed by hand: １２３ = 123 seats; ٤٠ = 40 pounds = 4,000 pence.
    assert got == [(123, 4000, "2026-01-01")]
    noted = {d["column"]: d for d in result.decisions if "digits" in d.get("message", "")}
    assert set(noted) == {"seats", "price_per_seat"}


def test_digit_like_characters_are_not_digits(portfolio: Engine) -> None:
    data = CONTRACTS_HEADER + "Linked Library,LinkedIn,2026-01-01,2026-12-31,10²,40\n".encode()
    error = only_error(import_file(data, file_name="contracts.csv", engine=portfolio, actor=EDITOR))
    assert (error["row"], error["column"]) == (2, "seats")
    assert "is not a number" in str(error["message"])


@pytest.mark.parametrize(
    ("header", "line", "column", "words"),
    [
        (
            CONTRACTS_HEADER,
            b"Linked Library,LinkedIn,2026-01-01,2026-12-31,99999999999999999999999,10",
            "seats",
            "whole numbers up to 2,147,483,647 are allowed",
        ),
        (
            CONTRACTS_HEADER,
            b"Linked Library,LinkedIn,2026-01-01,2026-12-31,10,99999999999999999999999",
            "price_per_seat",
            "amounts from 0 to 9,999,999,999,999.99 are allowed",
        ),
        (
            BUDGETS_HEADER,
            b"Linked Library,2026-01,licence,1" + b"0" * 400 + b",5",
            "plan",
            "amounts from 0 to 9,999,999,999,999.99 are allowed",
        ),
        (
            b"product,period,level,measure,value,n\n",
            b"Linked Library,2026-01,4,hours saved,5,2147483648",
            "n",
            "whole numbers up to 2,147,483,647 are allowed",
        ),
        (
            b"product,period,level,measure,value,n\n",
            b"Linked Library,2026-01,4,hours saved," + b"9" * 400 + b",5",
            "value",
            "is too large to be read as a number",
        ),
    ],
)
def test_numbers_beyond_what_can_be_stored_are_refused(
    portfolio: Engine, header: bytes, line: bytes, column: str, words: str
) -> None:
    # Today: TypeError (Int128) for money, NOT NULL on contract.seats, a silently empty n.
    before = counts(portfolio)
    result = import_file(header + line + b"\n", file_name="x.csv", engine=portfolio, actor=EDITOR)
    error = only_error(result)
    assert (error["row"], error["column"]) == (2, column)
    assert words in str(error["message"])
    assert counts(portfolio) == before


# --- quoting ------------------------------------------------------------------------------


def test_bad_quoting_after_64_kib_of_invalid_utf8(engine: Engine) -> None:
    # 8,000 rows of cp1252 "é" (invalid UTF-8) send polars to the legacy decoder, which then
    # met the unclosed quote and crashed with a ComputeError.
    data = PRODUCTS_HEADER + b"P,academy,\xe9\xe9\n" * 8000 + b'Q,academy,"unclosed\nR,academy,x\n'
    before = counts(engine)
    error = only_error(import_file(data, file_name="products.csv", engine=engine, actor=EDITOR))
    # Header row 1, 8,000 rows (2..8001): the unclosed quote opens on row 8002.
    assert (error["row"], error["column"]) == (8002, "owner")
    assert "quotes do not pair up" in str(error["message"])
    assert counts(engine) == before


def test_quote_inside_an_unquoted_value_is_read_as_written(engine: Engine) -> None:
    # polars calls this chunk malformed ("expected 0 rows, actual 1"); the csv module reads it.
    data = PRODUCTS_HEADER + b'Monitor 27" screen,academy,Ana\nDesk,academy,"Ben, Jr."\n'
    result = import_file(data, file_name="products.csv", engine=engine, actor=EDITOR)
    assert result.status == "imported", result.errors
    assert rows(engine, "SELECT name, owner FROM product ORDER BY name") == [
        ("Desk", "Ben, Jr."),
        ('Monitor 27" screen', "Ana"),
    ]


def test_stray_quotes_after_a_line_end_change_are_read(engine: Engine) -> None:
    # 2,000 rows ended by \n with quoted owners, then 2,000 ended by \r\n with a quote inside
    # an unquoted owner: polars split the file into chunks and called one malformed
    # ("expected 997 rows, actual 1450 rows"), refusing a file the csv module reads.
    lf = b"".join(b'Q%d,academy,"o, %d"\n' % (i, i) for i in range(2000))
    crlf = b"".join(b'P%d,academy,o"x %d\r\n' % (i, i) for i in range(2000))
    data = b"product,category,owner\r\n" + lf + crlf
    result = import_file(data, file_name="products.csv", engine=engine, actor=EDITOR)
    assert result.status == "imported", result.errors
    assert result.rows_imported == 4000
    got = rows(engine, "SELECT name, owner FROM product WHERE name IN ('Q1999', 'P1999')")
    assert sorted(got) == [("P1999", 'o"x 1999'), ("Q1999", "o, 1999")]


# --- invisible characters in names --------------------------------------------------------


def test_bidi_controls_and_bom_are_stripped_from_names(portfolio: Engine) -> None:
    # U+202E would show "evil" as "live"; a BOM inside a row named a look-alike product.
    data = "product,category,owner,sponsor\n\u202eevil,academy,A\u200bna,\u2066CFO\u2069\n"
    result = import_file(data.encode(), file_name="products.csv", engine=portfolio, actor=EDITOR)
    assert result.status == "imported", result.errors
    got = rows(portfolio, "SELECT owner, sponsor FROM product WHERE name = 'evil'")
    assert got == [("Ana", "CFO")]
    budgets = BUDGETS_HEADER + "\ufeffLinked Library,2026-01,licence,100,\n".encode()
    result = import_file(budgets, file_name="budgets.csv", engine=portfolio, actor=EDITOR)
    assert result.status == "imported", result.errors
    names = [r[0] for r in rows(portfolio, "SELECT name FROM product")]
    assert not [n for n in names if "\ufeff" in n or "\u202e" in n]
    assert len(names) == 5  # the portfolio's four and "evil"; no look-alike Linked Library


def test_joiners_kept_in_scripts_that_need_them(engine: Engine) -> None:
    persian = "می\u200cخواهم"  # the zero-width non-joiner is part of the spelling
    data = f"product,category\n{persian},academy\nPro\u200dduct,academy\n".encode()
    result = import_file(data, file_name="products.csv", engine=engine, actor=EDITOR)
    assert result.status == "imported", result.errors
    names = sorted(r[0] for r in rows(engine, "SELECT name FROM product"))
    assert names == sorted([persian, "Product"])


# --- blank lines --------------------------------------------------------------------------


def test_blank_line_runs_keep_row_numbers(engine: Engine) -> None:
    data = PRODUCTS_HEADER + b"A,academy,x\n\n\n \n,,\nB,academy,y\n\n\n\nC,nonsense,z\n"
    error = only_error(import_file(data, file_name="products.csv", engine=engine, actor=EDITOR))
    # Computed by hand: header 1, A 2, four blank rows 3-6, B 7, three blank rows 8-10, C 11.
    assert (error["row"], error["column"]) == (11, "category")
    fixed = data.replace(b"nonsense", b"academy")
    result = import_file(fixed, file_name="products.csv", engine=engine, actor=EDITOR)
    assert result.status == "imported", result.errors
    blank = next(d for d in result.decisions if d["topic"] == "blank_rows")
    assert blank["value"] == 7


def test_blank_lines_inside_a_quoted_cell_are_the_cell(engine: Engine) -> None:
    data = PRODUCTS_HEADER + b'A,academy,"line one\n\n\n\nline two"\nB,nonsense,y\n'
    error = only_error(import_file(data, file_name="products.csv", engine=engine, actor=EDITOR))
    assert (error["row"], error["column"]) == (3, "category")


def test_blank_lines_then_a_long_row_budgets(portfolio: Engine) -> None:
    # Found by the fuzz test: polars read the blank-run marker as a chunk of its own (the
    # 100 KB row after it starts the next); dropping the marker left an empty chunk, and the
    # month parser's polars call panicked ("assertion failed: i < self.len()").
    months = b"".join(
        b"Linked Library,%d-%02d,licence,100,90\n" % (2020 + i // 12, i % 12 + 1) for i in range(40)
    )
    long = b"Linked Library,2019-01,licence,100,90,note " + b"x" * 100_000 + b"\n"
    data = BUDGETS_HEADER + b"\n\n\n" + long + months
    result = import_file(data, file_name="budgets.csv", engine=portfolio, actor=EDITOR)
    assert result.status == "imported", result.errors
    assert result.rows_imported == 41  # the long row and 40 months, 2020-01..2023-04
    got = rows(portfolio, "SELECT MIN(month), MAX(month), COUNT(*) FROM budget_line")
    assert got == [("2019-01-01", "2023-04-01", 41)]
    # The same shape with the long row's product missing: refused naming row 5 (header 1,
    # blank rows 2-4), not a crash.
    bad = BUDGETS_HEADER + b"\n\n\n" + b",a" * 50_000 + b"\n" + months
    error = only_error(import_file(bad, file_name="budgets2.csv", engine=portfolio, actor=EDITOR))
    assert (error["row"], error["column"], error["message"]) == (
        5,
        "product",
        "is empty; a value is required",
    )


def test_blank_lines_then_a_long_row_usage_dates(portfolio: Engine) -> None:
    # The same empty chunk met the date parser (a column of mixed shapes): a panic before.
    head = (
        b"product,learner,content_id,content_title,date,minutes,progress_pct,completed,"
        b"completed_date,org_unit\n"
    )
    long = b"Leadership Academy,l@x.example,C2," + b"T" * 100_000 + b",3 Mar 2026,5,10,no,,S\n"
    row = b"Leadership Academy,a%d@x.example,C1,Intro,2026-03-02,12,50,yes,2026-03-02,Sales\n"
    data = head + b"\n\n\n" + long + b"".join(row % i for i in range(40))
    result = import_file(data, file_name="usage.csv", engine=portfolio, actor=EDITOR)
    assert result.status == "imported", result.errors
    assert result.rows_imported == 41
    got = rows(portfolio, "SELECT MIN(activity_date), MAX(activity_date) FROM usage_record")
    assert got == [("2026-03-02", "2026-03-03")]


_MEMORY_CHILD = r"""
import os, resource, sys
sys.path.insert(0, os.getcwd())
from models import make_engine
from loaders import import_file
from tests.actors import EDITOR
from tests.loaders.conftest import PRODUCTS_CSV
engine = make_engine("sqlite:///" + sys.argv[1])
products = import_file(PRODUCTS_CSV, file_name="p.csv", engine=engine, actor=EDITOR)
assert products.status == "imported"
head = (b"product,learner,content_id,content_title,date,minutes,progress_pct,completed,"
        b"completed_date,org_unit\n")
row = b"Leadership Academy,a%d@x.example,C1,Intro,2026-03-02,12,50,yes,2026-03-02,Sales\n"
data = head + b"".join(row % i for i in range(200))
flood = int(sys.argv[2])
data += b"\n" * flood + b"".join(row % i for i in range(200, 210))
result = import_file(data, file_name="usage.csv", engine=engine, actor=EDITOR)
assert result.status == "imported", result.errors
assert result.rows_imported == 210, result.rows_imported
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def _peak_kib(tmp_path: Path, name: str, flood: int) -> int:
    env = {**os.environ, "LP_AS_OF": "2026-11-23"}
    done = subprocess.run(
        [sys.executable, "-c", _MEMORY_CHILD, str(tmp_path / f"{name}.sqlite"), str(flood)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return int(done.stdout.split()[-1])


def test_blank_line_flood_memory_follows_the_data(tmp_path: Path) -> None:
    # Before: 0.43 KB per blank line, so these 5 MB of newlines took about 2.3 GB.
    # Each child reports its own peak (RUSAGE_SELF): RUSAGE_CHILDREN in this process would
    # hold the largest child any earlier test started.
    plain = _peak_kib(tmp_path, "plain", 0)
    flooded = _peak_kib(tmp_path, "flooded", 5 * 1024 * 1024)
    assert flooded - plain < 100 * 1024, (plain, flooded)


# --- a fault in one file of a batch -------------------------------------------------------

GOOD_1 = b"product,category\nAlpha,academy\n"
CRASHING = b"product,category\nAlpha Two,academy\nBoom,academy\n"
GOOD_2 = b"product,category\nGamma,academy\n"


@pytest.fixture
def faulty_db(engine: Engine) -> Engine:
    """A database that fails any insert of a product named Boom, as a real fault would.

    No loader rule refuses "Boom", so the insert reaches SQLite and fails there:
    the same path as a full disk or a constraint the loader does not know. A
    trigger is used because every crash class found so far is fixed; it is a
    real database error at the real seam, not a patched function.
    """
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "CREATE TRIGGER boom BEFORE INSERT ON product WHEN NEW.name = 'Boom' "
            "BEGIN SELECT RAISE(ABORT, 'simulated disk failure'); END"
        )
    return engine


def _batch(tmp_path: Path) -> list[Path]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    paths = [tmp_path / "good1.csv", tmp_path / "crash.csv", tmp_path / "good2.csv"]
    for path, data in zip(paths, (GOOD_1, CRASHING, GOOD_2), strict=True):
        path.write_bytes(data)
    return paths


def test_a_crash_is_that_files_rejection_and_the_batch_goes_on(
    faulty_db: Engine, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="loaders.pipeline"):
        results = import_paths(_batch(tmp_path), engine=faulty_db, actor=EDITOR)
    assert [r.status for r in results] == ["imported", "rejected", "imported"]
    message = str(only_error(results[1])["message"])
    assert message.startswith("could not read this file: ")
    assert "simulated disk failure" in message
    assert message.endswith("; nothing was imported")
    assert "Traceback" not in message
    names = sorted(r[0] for r in rows(faulty_db, "SELECT name FROM product"))
    assert names == ["Alpha", "Gamma"]  # "Alpha Two" was rolled back with the failed file
    assert scalar(faulty_db, "SELECT COUNT(*) FROM data_import") == 2
    assert fk_violations(faulty_db) == []
    logged = [r for r in caplog.records if r.exc_info]
    assert logged and "crash.csv" in logged[0].getMessage()


def _cli(tmp_path: Path, engine: Engine, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": str(engine.url), "LP_AS_OF": "2026-11-23"}
    return subprocess.run(
        [sys.executable, "-m", "loaders", *map(str, _batch(tmp_path)), *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def test_cli_reports_the_crash_and_imports_the_rest(faulty_db: Engine, tmp_path: Path) -> None:
    # `python -m loaders` as a user runs it: a real process on the real SQLite file.
    done = _cli(tmp_path, faulty_db, "--json")
    assert done.returncode == 1, done.stderr  # a rejected file: exit 1, as for any refusal
    assert "Traceback" not in done.stdout + done.stderr
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert [(o["file"], o["status"]) for o in out] == [
        ("good1.csv", "imported"),
        ("crash.csv", "rejected"),
        ("good2.csv", "imported"),
    ]
    message = out[1]["errors"][0]["message"]
    assert message.startswith("could not read this file: ")
    assert "simulated disk failure" in message
    names = sorted(r[0] for r in rows(faulty_db, "SELECT name FROM product"))
    assert names == ["Alpha", "Gamma"]
    assert fk_violations(faulty_db) == []


def test_cli_readable_output_names_the_crashed_file(faulty_db: Engine, tmp_path: Path) -> None:
    done = _cli(tmp_path, faulty_db)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    lines = done.stdout.splitlines()
    # Computed by hand: one line per file, the rejected one followed by its message, indented.
    assert lines[0].startswith("good1.csv: imported, 1 of 1 rows")
    assert lines[1] == "crash.csv: rejected; not imported, nothing changed  [products]"
    assert lines[2].startswith("  could not read this file: ")
    assert "simulated disk failure" in lines[2]
    assert lines[3].startswith("good2.csv: imported, 1 of 1 rows")
    # stderr: one line naming the file; the traceback only with --debug.
    assert done.stderr.splitlines() == [
        "python -m loaders: importing crash.csv failed; nothing was imported (--debug shows where)"
    ]
    debug = _cli(tmp_path / "again", faulty_db, "--debug")
    assert "Traceback" in debug.stderr and "simulated disk failure" in debug.stderr


def test_unreadable_path_in_a_batch(engine: Engine, tmp_path: Path) -> None:
    folder = tmp_path / "not a file.csv"
    folder.mkdir()
    good = tmp_path / "good.csv"
    good.write_bytes(GOOD_1)
    results = import_paths([folder, good], engine=engine, actor=EDITOR)
    assert [r.status for r in results] == ["rejected", "imported"]
    assert str(only_error(results[0])["message"]).startswith("could not read this file: ")


def test_a_period_written_null_is_refused_not_a_crash(portfolio: Engine) -> None:
    # Found by the fuzz test: "NULL" reads as missing, so the row had no period start and
    # the insert failed on NOT NULL (a traceback) instead of a refusal naming the cell.
    data = (
        b"Start Day (PST/PDT),End Day (PST/PDT),People Logged In,Unique Viewers,Hours Viewed,"
        b"Course Views\n1/1/2024,1/31/2024,412,305,1284:12:55,977\n"
        b"NULL,2/29/2024,398,290,1190:03:41,904\n"
    )
    result = import_file(
        data, file_name="org.csv", engine=portfolio, product="Linked Library", actor=EDITOR
    )
    assert result.status == "rejected"
    assert result.errors[0]["row"] == 3 and result.errors[0]["column"] == "Start Day (PST/PDT)"
    assert "is empty" in result.errors[0]["message"]


def test_a_vendor_name_longer_than_its_column_is_found_again(db_engine: Engine) -> None:
    engine = db_engine
    # The stored key was cut to 200 characters but looked up whole, so the second file naming
    # the vendor inserted it again: UNIQUE failed on vendor.name_key, every time after.
    vendor = "Very Long Vendor Name " * 15  # 330 characters
    for i, name in enumerate(("Alpha Academy", "Beta Academy")):
        data = f"product,category,vendor\n{name},academy,{vendor}\n".encode()
        result = import_file(data, file_name=f"products{i}.csv", engine=engine, actor=EDITOR)
        assert result.status == "imported", result.errors
    assert scalar(engine, "SELECT COUNT(*) FROM vendor") == 1
    assert scalar(engine, "SELECT COUNT(DISTINCT vendor_id) FROM product") == 1
