"""A bad date in a column the format does not read is a warning: the file is still imported."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import Engine, text

from loaders import import_file
from loaders.mappings import MappingSpec, all_formats, save_mapping
from loaders.preview import preview_file
from tests.actors import EDITOR
from tests.loaders.test_cli import run

# The usage template plus a "Last login" column it does not read; row 3 holds no date.
USAGE = (
    b"product,learner,content_title,date,minutes,Last login,Notes\n"
    b"Linked Library,ann@x.example,Excel basics,05/03/2026,30,2026-03-01,fine\n"
    b"Linked Library,bob@x.example,Excel basics,06/03/2026,15,not a date,late\n"
    b"Linked Library,cy@x.example,Excel basics,07/03/2026,10,,\n"
)


def test_bad_date_in_unused_column_is_a_warning_and_rows_are_imported(portfolio: Engine) -> None:
    result = import_file(USAGE, file_name="usage.csv", engine=portfolio, actor=EDITOR)
    assert result.status == "imported", result.errors
    assert result.rows_imported == 3  # all three rows: the warning rejects nothing
    assert result.errors == []
    # Row 3 of the spreadsheet (header is row 1) holds "not a date"; the blank on row 4 is fine,
    # and "Notes" (free text, no date in it) is not a date column at all.
    assert result.warnings_total == 1
    assert [(w["row"], w["column"]) for w in result.warnings] == [(3, "Last login")]
    assert "'not a date' is not a date" in str(result.warnings[0]["message"])
    assert result.to_json()["warnings"] == result.warnings
    assert result.warning_lines()[0].startswith("row 3, column Last login: 'not a date'")


def test_a_column_the_format_reads_still_rejects(portfolio: Engine) -> None:
    bad = USAGE.replace(b"06/03/2026", b"someday")
    result = import_file(bad, file_name="usage.csv", engine=portfolio, actor=EDITOR)
    assert result.status == "rejected"
    assert [(e["row"], e["column"]) for e in result.errors] == [(3, "date")]


def test_saved_mapping_reading_only_completed_on_warns_about_last_login(portfolio: Engine) -> None:
    report = (
        b"Mail,Module,Completed on,Last login\n"
        b"ann@x.example,Fire safety,2026-03-02,2026-03-05\n"
        b"bob@x.example,Fire safety,2026-03-04,not a date\n"
    )
    spec = MappingSpec(
        name="Vendor X",
        columns={"learner": "Mail", "content_title": "Module", "completed_date": "Completed on"},
        vendor="LinkedIn",
    )
    save_mapping(spec, engine=portfolio, actor=EDITOR)
    formats = all_formats(engine=portfolio)
    preview = preview_file(
        report, file_name="x.csv", engine=portfolio, formats=formats, actor=EDITOR
    )
    assert preview.result.status == "imported"
    assert [(w["row"], w["column"]) for w in preview.result.warnings] == [(3, "Last login")]
    result = import_file(report, file_name="x.csv", engine=portfolio, formats=formats, actor=EDITOR)
    assert result.status == "imported" and result.rows_imported == 2
    assert [(w["row"], w["column"]) for w in result.warnings] == [(3, "Last login")]
    with portfolio.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM usage_record")).scalar_one() == 2


def test_cli_prints_the_warning_in_text_and_json(tmp_path: Path) -> None:
    products = tmp_path / "products.csv"
    products.write_bytes(b"product,category,vendor\nLinked Library,content_library,LinkedIn\n")
    usage = tmp_path / "usage.csv"
    usage.write_bytes(USAGE)
    done = run(tmp_path, str(products), str(usage), "--json")
    assert done.returncode == 0, done.stderr
    line = json.loads(done.stdout.splitlines()[1])
    assert line["status"] == "imported" and line["warnings_total"] == 1
    assert line["warnings"][0]["row"] == 3 and line["warnings"][0]["column"] == "Last login"
    usage.write_bytes(USAGE.replace(b"fine", b"fine again"))  # new bytes: not a duplicate
    text_out = run(tmp_path, str(usage))
    assert text_out.returncode == 0, text_out.stderr
    assert "  warning: row 3, column Last login: 'not a date' is not a date" in text_out.stdout
