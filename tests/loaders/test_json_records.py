"""JSON learning records (DESIGN.md, "xAPI and tracking logs"): xAPI statements as an array,
an LRS page, JSON lines or one statement; Open edX tracking logs; pandas' dotted xAPI CSVs.
Counts are hand-computed from the samples (tests/fixtures/vendor_samples/README.md)."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import Engine

from loaders import import_file
from loaders.errors import Rejected
from loaders.json_records import read_json_table
from tests.actors import EDITOR
from tests.loaders.conftest import counts
from tests.loaders.vendor_helpers import add_products, imp, learners, topics, usage

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "vendor_samples"


def _statements() -> list[dict]:
    """xapi_statements.json: 01 Ada progressed data-101 on 2 Mar (25m30s); 02 Ada completed
    data-101 on 9 Mar (1h05); 03 account u-20417 passed safety-2026 on 11 Apr; 04 a
    mbox_sha1sum actor experienced a video on 12 Apr (4m); 99 Ada voids statement 01."""
    return json.loads((SAMPLES / "xapi_statements.json").read_text())


def _facts(engine: Engine) -> list[tuple[str, float | None, bool | None]]:
    df = usage(engine).sort("date")
    return [(f"{d:%m-%d}", m, c) for d, m, c in df.select("date", "minutes", "completed").rows()]


def test_an_xapi_array_is_read_as_statements_and_voiding_is_honoured(
    portfolio: Engine, tmp_path: Path
) -> None:
    add_products(portfolio)
    data = (SAMPLES / "xapi_statements.json").read_bytes()
    result = imp(portfolio, tmp_path, data, name="statements.json", product="Induction xAPI")
    assert result.status == "imported", result.errors
    assert (result.format, result.rows_read) == ("xapi_statements", 5)  # statements
    # 01 is voided by 99; neither counts: 02 (65 min, completed), 03 (passed), 04 (4 min).
    assert _facts(portfolio) == [("03-09", 65.0, True), ("04-11", None, True),
                                 ("04-12", 4.0, False)]  # fmt: skip
    assert learners(portfolio) == ["email", "user_id", "user_id"]  # mbox, account, sha1
    found = topics(result)
    assert found[("voided", None)]["value"] == 1
    assert "a JSON array" in found[("json", None)]["message"]


def test_overlapping_dumps_never_count_a_statement_twice(portfolio: Engine, tmp_path: Path) -> None:
    add_products(portfolio)
    statements = _statements()
    first = "\n".join(json.dumps(s) for s in statements[:3])  # 01, 02, 03
    later = "\n".join(json.dumps(s) for s in statements)  # all five, 01 voided by 99
    a = imp(portfolio, tmp_path, first, name="a.jsonl", product="Induction xAPI")
    assert (a.status, a.rows_read) == ("imported", 3)
    b = imp(portfolio, tmp_path, later, name="b.jsonl", product="Induction xAPI")
    assert (b.status, b.rows_read) == ("imported", 5)
    again = imp(portfolio, tmp_path, later, name="b (1).jsonl", product="Induction xAPI")
    assert again.status == "duplicate"
    # The later dump replaces the days it covers: 2 Mar's statement 01 is voided there, but
    # the first dump's 2 Mar fact stays (voiding reaches the file it is in, module docstring).
    days = [d for d, _, _ in _facts(portfolio)]
    assert days.count("03-09") == 1 and days.count("04-11") == 1


def test_an_lrs_page_reports_its_more_link_and_one_statement_reads_too(
    portfolio: Engine, tmp_path: Path
) -> None:
    add_products(portfolio)
    page = (SAMPLES / "xapi_lrs_statements_page.json").read_bytes()
    result = imp(portfolio, tmp_path, page, name="page.json", product="Induction xAPI")
    assert (result.status, result.rows_read) == ("imported", 2)
    assert "more=" in topics(result)[("more", None)]["message"]
    one = json.dumps(_statements()[1], indent=2)  # a single statement, pretty-printed
    single = imp(portfolio, tmp_path, one, name="one.json", product="Induction xAPI")
    assert (single.status, single.rows_read) == ("imported", 1), single.errors


def test_a_tracking_log_is_usage_of_the_course_and_anonymous_events_are_skipped(
    portfolio: Engine, tmp_path: Path
) -> None:
    add_products(portfolio)
    log = (SAMPLES / "openedx_tracking.log").read_bytes()
    # ada.byrne's session on 2 Mar goes on: 09:15:03.512345 (the sample's) -> 09:20:00 (4 min
    # 56.487655 s later, same session) -> 10:30:00 (70 min later: a new session, adds 0).
    more = [
        {"username": "ada.byrne", "event_type": "seek_video", "time": t, "event_source": "browser",
         "context": {"course_id": "course-v1:Acme+DATA101+2026_T1", "user_id": 20417}}
        for t in ("2026-03-02T09:20:00+00:00", "2026-03-02T10:30:00+00:00")
    ]  # fmt: skip
    log = log.rstrip(b"\n") + b"\n" + b"\n".join(json.dumps(e).encode() for e in more)
    # A log rotated while written starts with a run of NUL bytes: skipped, said.
    data = b"\x00" * 4096 + log
    result = imp(portfolio, tmp_path, data, name="tracking.log", product="Induction xAPI")
    assert result.status == "imported", result.errors
    assert (result.format, result.rows_read) == ("openedx_tracking", 7)
    found = topics(result)
    assert found[("no_user", None)]["value"] == 1  # the anonymous page view
    assert found[("no_user", None)]["message"].startswith("1 event with no user")
    assert found[("nul_bytes", None)]["value"] == 4096
    # ada.byrne on 2, 5 and 9 Mar, sam.okafor on 6 Mar: four learner x course x day facts;
    # only 2 Mar has a session with two events: 296.487655 s = 4.941 min; completion untracked.
    facts = usage(portfolio).sort("date")
    assert [f"{d:%m-%d}" for d in facts["date"]] == ["03-02", "03-05", "03-06", "03-09"]
    assert facts["minutes"].round(3).to_list() == [4.941, 0.0, 0.0, 0.0]
    assert facts["completed"].null_count() == 4
    assert learners(portfolio) == ["user_id", "user_id"]


def test_pandas_dotted_xapi_csv_with_its_index_column_is_recognised(
    portfolio: Engine, tmp_path: Path
) -> None:
    add_products(portfolio)
    rows = [s for s in _statements() if s["verb"]["id"].endswith(("completed", "experienced"))]
    flat = pl.json_normalize(rows, separator=".").with_row_index("")
    csv = flat.select(pl.all().cast(pl.String)).write_csv()
    assert "actor.mbox" in csv.splitlines()[0] and "verb.display.en-US" in csv.splitlines()[0]
    result = imp(portfolio, tmp_path, csv, name="flattened.csv", product="Induction xAPI")
    assert result.status == "imported", result.errors
    assert (result.format, result.rows_read) == ("xapi_statements", 2)
    assert _facts(portfolio) == [("03-09", 65.0, True), ("04-12", 4.0, False)]


def test_damaged_json_is_refused_naming_the_line_and_nothing_changes(portfolio: Engine) -> None:
    before = counts(portfolio)
    whole = (SAMPLES / "xapi_statements.json").read_bytes()
    cut = import_file(whole[: len(whole) // 2], file_name="cut.json", engine=portfolio,
                      actor=EDITOR, product="Leadership Academy")  # fmt: skip
    assert cut.status == "rejected"
    message = cut.errors[0]["message"]
    assert message.startswith("an xAPI statement file, but it is cut off or damaged at line")
    assert "Expecting" not in message and "char" not in message  # no parser internals
    lines = [json.dumps(s) for s in _statements()]
    lines[2] = lines[2][:40]
    broken = import_file("\n".join(lines).encode(), file_name="b.jsonl", engine=portfolio,
                         actor=EDITOR, product="Leadership Academy")  # fmt: skip
    assert broken.status == "rejected"
    assert "damaged at line 3" in broken.errors[0]["message"]
    assert counts(portfolio) == before


def test_json_that_is_not_learning_records_says_what_it_holds(portfolio: Engine) -> None:
    data = json.dumps([{"name": "Ann", "score": 3}, {"name": "Bo", "score": 4}]).encode()
    result = import_file(data, file_name="x.json", engine=portfolio, actor=EDITOR)
    assert result.status == "rejected"
    message = result.errors[0]["message"]
    assert message.startswith("a JSON file, but neither xAPI statements")
    assert "name, score" in message


def test_nul_filler_in_a_csv_is_skipped_and_said_not_a_refusal(portfolio: Engine) -> None:
    rows = "".join(
        f"Leadership Academy,p{i}@x.example,m1,2026-03-{1 + i % 28:02d},10,,no\n" for i in range(40)
    )
    body = ("product,learner,content_id,date,minutes,progress_pct,completed\n" + rows).encode()
    # A run left by log rotation at the start, and two stray NULs (2 bytes in ~2,500).
    data = b"\x00" * 512 + body[:300] + b"\x00" + body[300:900] + b"\x00" + body[900:]
    result = import_file(data, file_name="usage.csv", engine=portfolio, actor=EDITOR)
    assert (result.status, result.rows_imported) == ("imported", 40), result.errors
    assert topics(result)[("nul_bytes", None)]["value"] == 514


def test_a_server_event_with_no_user_and_no_course_still_counts_as_read(
    portfolio: Engine, tmp_path: Path
) -> None:
    # As edX writes them (TU Delft's ELAT documents the record): a browser event, then a
    # server request with an empty username and an empty course: read, skipped, counted.
    add_products(portfolio)
    events = [
        {"username": "SAMPLE_USER", "event_source": "browser", "event_type": "play_video",
         "time": "2025-10-15T16:15:36.283878+00:00", "event": "{\"currentTime\": 1}",
         "context": {"user_id": 999999, "org_id": "DelftX",
                     "course_id": "course-v1:DelftX+FP101x+3T2015", "path": "/event"}},
        {"username": "", "event_source": "server", "event_type": "/",
         "time": "2025-10-15T16:21:00+00:00", "event": {"GET": {}, "POST": {}},
         "context": {"user_id": "", "org_id": "", "course_id": "", "path": "/"}},
    ]  # fmt: skip
    body = "\n".join(json.dumps(e) for e in events)
    result = imp(portfolio, tmp_path, body, name="edx.log", product="Induction xAPI")
    assert (result.status, result.rows_read, result.rows_imported) == ("imported", 2, 1)


def test_json_lines_with_accents_are_read_by_line_not_by_byte(portfolio: Engine) -> None:
    # Found by the fuzz: the parser counts characters, the file is bytes; with "ç" and "ã"
    # before the first line's end, cutting the bytes at its character count broke the record.
    line = json.dumps([["Conclusão", "Início", "Avaliação"], ["1", "2", "3"]], ensure_ascii=False)
    data = "\n".join([line] * 3).encode()
    result = import_file(data, file_name="rows.jsonl", engine=portfolio, actor=EDITOR)
    assert result.status == "rejected"
    assert result.errors[0]["message"].startswith("a JSON file, but neither xAPI statements")


def test_utf16_json_as_windows_tools_write_it_is_read_and_a_cut_one_refused(
    portfolio: Engine,
) -> None:
    # PowerShell's Out-File writes UTF-16 (RFC 7159 allowed it); with and without the byte
    # order mark, little- and big-endian, the same five statements as the UTF-8 test above.
    add_products(portfolio)
    text = (SAMPLES / "xapi_statements.json").read_text()
    for encoding in ("utf-16", "utf-16-le", "utf-16-be"):
        data = text.encode(encoding)
        result = import_file(data, file_name=f"{encoding}.json", engine=portfolio, actor=EDITOR,
                             product="Induction xAPI")  # fmt: skip
        assert (result.status, result.rows_read) in {("imported", 5), ("duplicate", 0)}, result
    assert _facts(portfolio) == [("03-09", 65.0, True), ("04-11", None, True),
                                 ("04-12", 4.0, False)]  # fmt: skip
    before = counts(portfolio)
    cut = text.encode("utf-16-le")[:-1]  # a download stopped mid-character
    result = import_file(cut, file_name="cut.json", engine=portfolio, actor=EDITOR,
                         product="Induction xAPI")  # fmt: skip
    assert result.status == "rejected"
    assert "UTF-16-LE text but damaged" in result.errors[0]["message"]
    assert counts(portfolio) == before


def test_json_lines_are_known_by_their_first_line_without_parsing_the_whole_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # An LRS dump of a million statements is 600 MB: parsing it as one document to learn
    # that it is not one decoded and copied all of it (0.75 s). Only its first line is read
    # by the json module now; polars reads the lines.
    lines = [json.dumps(s) for s in _statements()] * 200
    data = ("\n".join(lines) + "\n").encode()
    parsed: list[int] = []
    loads = json.loads

    def spy(text: str | bytes, **kwargs: object) -> object:
        parsed.append(len(text))
        return loads(text, **kwargs)

    monkeypatch.setattr(json, "loads", spy)
    table = read_json_table(data)
    assert table.frame.height == 1_000
    assert parsed and max(parsed) < 1_000  # the first line, never the file
    assert "JSON lines" in table.notes[0]["message"]


@pytest.mark.parametrize(
    ("text", "rows"),
    [
        pytest.param(json.dumps(_statements()[1]), 1, id="one statement on one line"),
        pytest.param(json.dumps(_statements()[1]) + "\n\n", 1, id="one line, then blank ones"),
        pytest.param(json.dumps(_statements()[1], indent=2), 1, id="one statement, indented"),
        pytest.param(json.dumps(_statements(), indent=1), 5, id="an array, indented"),
        pytest.param("\r\n".join(json.dumps(s) for s in _statements()), 5, id="lines, CRLF"),
        pytest.param(
            "  \n" + "\n".join(json.dumps(s) for s in _statements()), 5, id="lines, blank first"
        ),
    ],
)
def test_every_shape_of_json_reads_as_it_did(text: str, rows: int) -> None:
    assert read_json_table(text.encode()).frame.height == rows


def test_damaged_json_lines_are_refused_naming_the_first_or_a_later_line() -> None:
    lines = [json.dumps(s) for s in _statements()]
    for broken, line in ((0, 1), (1, 2)):
        cut = list(lines)
        cut[broken] = cut[broken][:30]
        with pytest.raises(Rejected) as refused:
            read_json_table("\n".join(cut).encode())
        assert f"damaged at line {line}:" in refused.value.errors.first()[0].message
