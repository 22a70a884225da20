"""Usage imports: the three vendor formats and usage.csv, messy files, routing, periods."""

from __future__ import annotations

import codecs
from datetime import date

import polars as pl
import pytest
from sqlalchemy import Engine, text

from loaders import import_file
from loaders.identity import learner_key
from loaders.pseudonym import pseudonym_secret
from models.frames import usage_frame
from settings import get_settings
from tests.actors import EDITOR
from tests.loaders.conftest import counts, fk_violations
from tests.loaders.factories import (
    CSOD_HEADER,
    LINKEDIN_HEADER,
    UDEMY_HEADER,
    csod_rows,
    linkedin_csv,
    linkedin_rows,
    to_csv,
    udemy_rows,
)


def imp(engine: Engine, data: bytes | str, name: str = "report.csv", **kwargs: object):
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return import_file(raw, file_name=name, engine=engine, actor=EDITOR, **kwargs)


def usage(engine: Engine) -> pl.DataFrame:
    with engine.connect() as conn:
        return usage_frame(conn)


def topics(result) -> dict[str, dict]:
    return {(d["topic"], d["column"]): d for d in result.decisions}


def test_linkedin_messy_file(portfolio: Engine) -> None:
    # BOM, reordered and extra columns, N/A cells, a blank line and a trailing total row.
    header = [*reversed(LINKEDIN_HEADER), "Manager"]
    rows = [[*reversed(r), "Boss"] for r in linkedin_rows(4)]
    rows[1][list(reversed(LINKEDIN_HEADER)).index("Email")] = "N/A"  # falls back to the user id
    body = to_csv([header, *rows[:2]]) + "\n" + to_csv(rows[2:]) + "Total,,,,,,,,,,,,,\n"
    result = imp(portfolio, codecs.BOM_UTF8 + body.encode(), name="whatever.txt")
    assert result.status == "imported", result.errors
    assert (result.format, result.vendor, result.product) == (
        "linkedin_learning_learner_detail", "LinkedIn Learning", "Linked Library",
    )  # fmt: skip
    assert (result.rows_read, result.rows_imported, result.grain) == (4, 4, "snapshot")
    assert (result.period_start, result.period_end) == (date(2026, 10, 14), date(2026, 10, 14))
    found = topics(result)
    assert found[("duration_unit", "Content Hours Viewed")]["shapes"] == ["H:MM:SS"]
    assert found[("date_order", "Last Viewed Date")]["ambiguous"] is False  # 10/14 decides it
    assert found[("summary_rows", None)]["rows"] == [7]
    df = usage(portfolio).sort("minutes")  # learner i viewed i:(7i):30
    assert df["minutes"].to_list() == pytest.approx([0.5, 67.5, 134.5, 201.5])
    assert df["completed"].to_list() == [True, False, False, True]  # learners 0 and 3: 100%
    assert df["date"].to_list() == [date(2026, 10, 14)] * 4
    with portfolio.connect() as conn:
        kinds = conn.execute(text("SELECT key_kind, email, org_unit FROM learner ORDER BY id"))
        rows_ = kinds.all()
    assert sorted(r[0] for r in rows_) == ["email", "email", "email", "user_id"]
    assert all(r[1] is None for r in rows_)  # identities not stored by default
    assert rows_[0][2] == "Sales, EMEA"
    assert fk_violations(portfolio) == []


def test_learner_key_is_the_keyed_hash(portfolio: Engine) -> None:
    imp(portfolio, linkedin_csv(1))
    secret = pseudonym_secret(get_settings())
    with portfolio.connect() as conn:
        key = conn.execute(text("SELECT key FROM learner")).scalar_one()
    assert key == learner_key("email", "learner0@acme.example", secret=secret)


def test_udemy_semicolon_decimal_comma_cp1252(portfolio: Engine, monkeypatch) -> None:
    monkeypatch.setenv("LP_STORE_IDENTITIES", "1")
    get_settings.cache_clear()
    rows = udemy_rows()
    rows[0][9] = "1234,5"  # minutes with a decimal comma
    rows[1][9] = "61,25"
    body = to_csv([UDEMY_HEADER, *rows], delimiter=";", eol="\r\n").encode("cp1252")
    result = imp(portfolio, body, vendor="udemy")
    assert result.status == "imported", result.errors
    assert (result.vendor, result.product) == ("Udemy Business", "Udemy Seats")
    df = usage(portfolio).sort("minutes")
    assert df["minutes"].to_list() == [0.0, 61.25, 1234.5]
    assert df["completed"].to_list() == [False, False, True]
    assert df["progress_pct"].to_list() == [0.0, 22.0, 100.0]
    with portfolio.connect() as conn:
        stored = conn.execute(text("SELECT email, display_name, key_kind FROM learner ORDER BY id"))
        people = stored.all()
    assert ("zoe.mueller@acme.example", "Zoë Müller", "email") in people
    assert (None, "Chi Wu", "user_id") in people  # no e-mail: the external id


def test_udemy_thousands_commas_utf16(portfolio: Engine) -> None:
    body = codecs.BOM_UTF16_LE + to_csv([UDEMY_HEADER, *udemy_rows()]).encode("utf-16-le")
    result = imp(portfolio, body)
    assert result.status == "imported", result.errors
    assert sorted(usage(portfolio)["minutes"].to_list()) == [0.0, 61.25, 1234.5]


def test_cornerstone_with_title_lines(portfolio: Engine) -> None:
    body = (
        "Compliance Training Transcript Status Report\n"
        "Report run: 1/20/2026 8:02 AM (UTC)\n,,,,,,\n"
        + to_csv([CSOD_HEADER, *csod_rows()])
        + ",,,,,,\n"
    )
    result = imp(portfolio, body.encode("cp1252"))
    assert result.status == "imported", result.errors
    assert (result.vendor, result.product, result.rows_read) == ("Cornerstone", "Compliance Hub", 3)
    assert (result.period_start, result.period_end) == (date(2026, 1, 19), date(2026, 1, 19))
    df = usage(portfolio).sort("completed", descending=True)
    assert df["completed"].to_list() == [True, False, False]
    assert df["date"].to_list() == [date(2026, 1, 19), None, None]  # no date: report period
    with portfolio.connect() as conn:
        items = conn.execute(text("SELECT external_id, title, content_type FROM content_item"))
        assert ("Fire Safety | Classroom", "Fire Safety", "Classroom") in items.all()


def test_generic_usage_template(portfolio: Engine) -> None:
    csv = (
        "product,learner,content_id,content_title,date,minutes,progress_pct,completed,"
        "completed_date,org_unit\n"
        "Leadership Academy,ana@acme.example,M1,Module 1,03/02/2026,45,100%,yes,03/02/2026,HR\n"
        "Leadership Academy,E-77,M1,Module 1,04/02/2026,1h 30m,50%,no,,HR\n"
        "leadership academy,E-77,M1,Module 1,04/02/2026,PT1H,60%,no,,HR\n"
        "Udemy Seats,ana@acme.example,,Intro,2026-02-05,10,0.5,0,,HR\n"
    )
    result = imp(portfolio, csv, name="usage.csv")
    assert result.status == "imported", result.errors
    assert (result.format, result.grain, result.rows_read, result.rows_imported) == (
        "usage", "event", 4, 3,
    )  # fmt: skip
    assert result.products == ["Leadership Academy", "Udemy Seats"] and result.product is None
    repeated = topics(result)[("repeated_keys", None)]
    assert repeated["value"] == 1 and repeated["different"] == 1 and repeated["rows"] == [3]
    assert topics(result)[("date_order", "date")]["ambiguous"] is True  # dmy: the default
    df = usage(portfolio).sort("date")
    assert df["date"].to_list() == [date(2026, 2, 3), date(2026, 2, 4), date(2026, 2, 5)]
    assert df["minutes"].to_list() == [45.0, 60.0, 10.0]  # the repeated key kept its last row
    assert df["completed"].to_list() == [True, False, False]


def test_same_email_is_the_same_learner_across_vendors(portfolio: Engine) -> None:
    imp(portfolio, to_csv([UDEMY_HEADER, *udemy_rows()]))
    usage_csv = (
        "product,learner,content_title,date\nLeadership Academy,BEN@acme.example ,X,2026-03-01\n"
    )
    imp(portfolio, usage_csv)
    with portfolio.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM learner")).scalar_one() == 3


def test_product_option_and_contract_vendor_routing(engine: Engine) -> None:
    imp(engine, "product,category\nLibrary A,content_library\nLibrary B,content_library\n")
    csv = linkedin_csv(2)
    assert "no product names the vendor LinkedIn Learning" in imp(engine, csv).errors[0]["message"]
    contract = (
        "product,vendor,start,end,seats,price_per_seat\n"
        "Library B,Linked-In Learning!,2026-01-01,2026-12-31,10,5\n"
    )
    assert imp(engine, contract).status == "imported"
    assert imp(engine, csv).product == "Library B"  # the contract names the vendor
    assert imp(engine, linkedin_csv(3), product="library a").product == "Library A"


def test_several_products_naming_a_vendor_need_product(portfolio: Engine) -> None:
    imp(portfolio, "product,category,vendor\nUdemy Extra,content_library,Udemy Business\n")
    before = counts(portfolio)
    result = imp(portfolio, to_csv([UDEMY_HEADER, *udemy_rows()]))
    assert result.status == "rejected"
    assert (
        "several products name the vendor Udemy Business (Udemy Extra, Udemy Seats)"
        in (result.errors[0]["message"])
    )
    assert "--product" in result.errors[0]["message"]
    assert result.rows_rejected == 3
    assert counts(portfolio) == before
    assert imp(portfolio, to_csv([UDEMY_HEADER, *udemy_rows()]), product="Udemy Extra").status == (
        "imported"
    )


def test_period_option_and_dates_after_its_end(portfolio: Engine) -> None:
    ok = imp(portfolio, linkedin_csv(2), period="2026-10")
    assert (ok.period_start, ok.period_end) == (date(2026, 10, 1), date(2026, 10, 31))
    before = counts(portfolio)
    late = imp(portfolio, linkedin_csv(2, viewed="11/03/2026"), period="2026-01..2026-10")
    assert late.status == "rejected"
    assert late.errors[0] == {
        "row": 2,
        "column": "Last Viewed Date",
        "message": "'11/03/2026' (2026-11-03) is after the report period end 2026-10-31",
    }
    assert counts(portfolio) == before


USAGE_REJECTIONS = [
    pytest.param(linkedin_csv(3, viewed="01/03/2027"), {}, "Last Viewed Date",
                 "'01/03/2027' (2027-01-03) is after today (2026-11-23)", id="future-date"),
    pytest.param(linkedin_csv(2).replace("Percent Completed", "Pct"), {}, None,
                 "missing required column 'percent completed'", id="missing-column"),
    pytest.param(linkedin_csv(2).replace(",35,", ",lots,"), {}, "Percent Completed",
                 "'lots' is not a number", id="bad-percent"),
    pytest.param(linkedin_csv(2).replace("10/14/2026", "31/31/2026"), {}, "Last Viewed Date",
                 "'31/31/2026' is not a date", id="bad-date"),
    pytest.param(linkedin_csv(2), {"product": "Nope"}, None,
                 "product 'Nope' does not exist", id="unknown-product-option"),
    pytest.param("product,learner,content_title\nNope,a@x.example,Intro\n", {}, "product",
                 "product 'Nope' does not exist; add it with products.csv first",
                 id="unknown-product-column"),
    pytest.param("product,learner,content_title\nLeadership Academy,a@x.example,Intro\n", {},
                 None, "no dates and no period; pass --period", id="no-dates-no-period"),
    pytest.param("product,learner,content_title,date\nLeadership Academy,,Intro,2026-01-01\n",
                 {}, "learner", "no learner", id="no-learner"),
    pytest.param(to_csv([["Email", "Content Title", "Percent Completed", "Content Hours Viewed",
                          "Last Viewed Date"], ["a@x", "Intro", "10", "0:10:00", "13/01/2026"],
                         ["b@x", "Intro", "10", "0:10:00", "01/13/2026"]]), {},
                 "Last Viewed Date", "mixes day-first", id="conflicting-date-order"),
]  # fmt: skip


@pytest.mark.parametrize(("body", "options", "column", "words"), USAGE_REJECTIONS)
def test_usage_rejections_change_nothing(
    portfolio: Engine, body: str, options: dict, column: str | None, words: str
) -> None:
    before = counts(portfolio)
    result = imp(portfolio, body, **options)
    assert result.status == "rejected"
    assert result.rows_imported == 0 and result.rows_rejected >= 1
    assert any(words in e["message"] for e in result.errors), result.errors
    if column is not None:
        assert any(e["column"] == column for e in result.errors)
    assert counts(portfolio) == before


def test_date_order_option(portfolio: Engine) -> None:
    csv = "product,learner,content_title,date\nLeadership Academy,a@x.example,Intro,03/02/2026\n"
    result = imp(portfolio, csv, date_order="mdy")
    assert usage(portfolio)["date"].to_list() == [date(2026, 3, 2)]
    assert topics(result)[("date_order", "date")]["message"].endswith("(--date-order)")


def test_duplicate_changes_nothing_and_undone_content_imports_again(portfolio: Engine) -> None:
    from loaders import undo_import

    first = imp(portfolio, linkedin_csv(3), name="a.csv")
    before = counts(portfolio)
    again = imp(portfolio, linkedin_csv(3), name="renamed.csv")
    assert (again.status, again.duplicate_of, again.product) == ("duplicate", first.import_id,
                                                                 "Linked Library")  # fmt: skip
    assert again.rows_imported == 0 and again.import_id is None
    assert counts(portfolio) == before
    undo_import(first.import_id, engine=portfolio, actor=EDITOR)
    third = imp(portfolio, linkedin_csv(3), name="b.csv")
    assert third.status == "imported" and third.rows_imported == 3


def test_overlapping_snapshots_count_each_pair_once(portfolio: Engine) -> None:
    # Jan-Jun: learners 0-3; Apr-Sep (imported first, on purpose): learners 2-5, newer values.
    jan_jun = linkedin_csv(4, viewed="05/20/2026")
    apr_sep = to_csv([LINKEDIN_HEADER, *linkedin_rows(4, start=2, viewed="08/30/2026")])
    apr_sep = apr_sep.replace(",35,", ",80,")
    newer = imp(portfolio, apr_sep, period="2026-04..2026-09")
    older = imp(portfolio, jan_jun, period="2026-01..2026-06")
    assert newer.status == older.status == "imported"
    df = usage(portfolio)
    assert df.height == 6  # 4 + 4 pairs, 2 overlapping, each counted once
    assert df.select("learner_id", "content_id").is_unique().all()
    overlap = df.filter(pl.col("period_end") == date(2026, 9, 30)).height
    assert overlap == 4  # the newer report (latest period end) wins the shared pairs
    with portfolio.connect() as conn:
        window = usage_frame(conn, start=date(2026, 1, 1), end=date(2026, 12, 31))
    assert window.height == 6


def test_completion_not_tracked_is_null(portfolio: Engine) -> None:
    csv = (
        "product,learner,content_title,date,minutes\n"
        "Leadership Academy,a@x.example,Intro,2026-03-01,5\n"
    )
    assert imp(portfolio, csv).status == "imported"
    assert usage(portfolio)["completed"].to_list() == [None]


def test_vendor_option_forces_the_vendor(portfolio: Engine) -> None:
    imp(portfolio, "product,category,vendor\nReseller Library,content_library,Acme Reseller\n")
    result = imp(portfolio, linkedin_csv(2), vendor="ACME reseller")
    assert (result.status, result.vendor, result.product) == (
        "imported", "ACME reseller", "Reseller Library",
    )  # fmt: skip


def test_spanish_cornerstone_transcript(portfolio: Engine) -> None:
    header = ["Identificación de usuario", "Nombre completo del usuario",
              "Título de la capacitación", "Estado del expediente",
              "Fecha de finalización de expediente"]  # fmt: skip
    rows = [["E1", "Zoë Müller", "Ética", "Terminado", "15/01/2026"],
            ["E2", "Ben Ode", "Ética", "En Progreso", None]]  # fmt: skip
    result = imp(portfolio, to_csv([header, *rows]).encode("cp1252"))
    assert (result.status, result.product) == ("imported", "Compliance Hub"), result.errors
    df = usage(portfolio).sort("completed")
    assert df["completed"].to_list() == [False, True]
    assert df["completed_date"].to_list() == [None, date(2026, 1, 15)]  # 15 > 12: day first


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00", "Excel"),
        (b"\x00\x01\x02binary\x00\xff" * 40, "binary"),
        (b"Email;Content Title\n\n", "no data rows"),
    ],
)
def test_unreadable_files_change_nothing(portfolio: Engine, data: bytes, words: str) -> None:
    before = counts(portfolio)
    result = imp(portfolio, data, name="report.csv")
    assert result.status == "rejected" and words in result.errors[0]["message"]
    assert counts(portfolio) == before


def test_no_product_names_the_vendor_changes_nothing(engine: Engine) -> None:
    imp(engine, "product,category\nSomething,other\n")
    before = counts(engine)
    result = imp(engine, linkedin_csv(3))
    assert result.status == "rejected" and result.rows_rejected == 3
    assert result.errors[0]["message"].startswith("no product names the vendor LinkedIn Learning")
    assert counts(engine) == before


def test_report_period_columns_of_a_format(portfolio: Engine) -> None:
    from loaders.formats import FORMATS, Format, UsageMap
    from models.enums import Grain, ImportKind

    summary = Format(
        name="acme_period_report", title="Acme report", kind=ImportKind.usage, vendor="LinkedIn",
        aliases=("LinkedIn",), grain=Grain.snapshot, required=("who", "what", "from", "to"),
        period_columns=("from", "to"), usage=UsageMap(email="who", content_title="what"),
    )  # fmt: skip
    csv = "who,what,from,to\na@x.example,Intro,2026-01-01,2026-03-31\n"
    result = imp(portfolio, csv, formats=(*FORMATS, summary))
    assert (result.period_start, result.period_end) == (date(2026, 1, 1), date(2026, 3, 31))
    assert usage(portfolio)["date"].to_list() == [None]


def test_import_paths_in_order_and_json(tmp_path, engine: Engine) -> None:
    from loaders import import_paths
    from tests.loaders.conftest import PRODUCTS_CSV

    (tmp_path / "b.csv").write_bytes(PRODUCTS_CSV)
    (tmp_path / "a.csv").write_text(linkedin_csv(2))
    results = import_paths([tmp_path / "b.csv", tmp_path / "a.csv"], engine=engine, actor=EDITOR)
    assert [r.status for r in results] == ["imported", "imported"]
    assert [r.file for r in results] == ["b.csv", "a.csv"]
    payload = results[1].to_json()
    assert {"file", "vendor", "status", "rows_read", "rows_imported", "rows_rejected",
            "errors"} <= set(payload)  # fmt: skip
    assert payload["period_start"] == "2026-10-14"


def test_batch_learner_keys_equal_hmac() -> None:
    from loaders.identity import learner_keys

    pairs = [("email", "a@x.example"), ("name", "Zoë Müller"), ("user_id", "e-77")]
    for secret in ("short", "k" * 100):  # a key longer than SHA-256's block is hashed first
        expected = [learner_key(kind, value, secret=secret) for kind, value in pairs]
        assert learner_keys(pairs, secret=secret) == expected
