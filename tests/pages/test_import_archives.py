"""The Import data page with a .zip and an .xlsx: each file of the zip previewed and imported."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from sqlalchemy import create_engine, text
from streamlit.testing.v1 import AppTest

from pages.safe_text import shown_text
from tests.loaders.workbooks import workbook

ROOT = Path(__file__).resolve().parents[2]

HEADER = [
    "First Name", "Last Name", "Email", "Unique User ID", "Groups", "Content Title",
    "Content Type", "Content ID", "Content Provider", "Percent Completed", "Completion Date",
    "Last Viewed Date", "Content Hours Viewed",
]  # fmt: skip
LINKEDIN = (
    ",".join(HEADER).encode() + b"\n"
    b"Zoe,Moss,zoe.moss9@northwind.example,,Finance,Archive Skills,Course,Z1,LinkedIn,100,"
    b"11/02/2026,11/02/2026,1:10:00\n"
    b"Ian,Ross,ian.ross7@northwind.example,,Sales,Archive Skills,Course,Z1,LinkedIn,35,,"
    b"11/05/2026,0:40:00\n"
)
BAD_BUDGETS = b"product,month,cost_category,plan,actual\nLinkedIn Learning,2026-12,licence,abc,\n"


def _zip(*files: tuple[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files:
            archive.writestr(name, content)
    return out.getvalue()


def _count(url: str, sql: str) -> int:
    eng = create_engine(url)
    with eng.connect() as conn:
        value = conn.execute(text(sql)).scalar_one()
    eng.dispose()
    return int(value)


def _page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("pages/import_data.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_zip_is_previewed_and_imported_file_by_file(seeded_url: str) -> None:
    data = _zip(
        ("li_nov.csv", LINKEDIN),
        ("__MACOSX/._li_nov.csv", b"\x00\x05\x16\x07"),
        ("budgets.csv", BAD_BUDGETS),
        ("inner.zip", _zip(("a.csv", LINKEDIN))),
    )
    before = _count(seeded_url, "SELECT COUNT(*) FROM data_import")
    at = _page()
    at.file_uploader(key="import.files").set_value(("exports.zip", data, "application/zip")).run()
    assert not at.exception, [e.value for e in at.exception]
    ok = [shown_text(s.value) for s in at.success]
    assert len(ok) == 1 and ok[0].startswith("**exports.zip › li_nov.csv**: LinkedIn Learning")
    refused = [shown_text(e.value) for e in at.error]
    assert refused == [
        "**exports.zip › budgets.csv** would be rejected:",
        "**exports.zip › inner.zip** would be rejected:",
    ]
    notes = " ".join(shown_text(c.value) for c in at.caption)
    assert "unpacked from exports.zip" in notes
    assert "skipped 1 system file(s) in exports.zip, not reports: __MACOSX/._li_nov.csv" in notes
    problems = [
        shown_text(p) for d in at.dataframe if "Problem" in d.value for p in d.value["Problem"]
    ]
    assert any("an archive inside an archive is not unpacked" in p for p in problems), problems
    run = at.button(key="import.run")
    assert run.label == "Import 1 file(s)"
    run.click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert _count(seeded_url, "SELECT COUNT(*) FROM data_import") == before + 1
    assert (
        _count(
            seeded_url,
            "SELECT COUNT(*) FROM data_import WHERE file_name = 'exports.zip › li_nov.csv'",
        )
        == 1
    )
    result = next(d.value for d in at.dataframe if "Rows read" in d.value)
    assert result["File"].tolist() == ["exports.zip › li_nov.csv"]
    assert result["Imported"].tolist() == [2]
    # Uploaded again (a new upload of the same zip): the imported file is a duplicate now.
    at.file_uploader(key="import.files").set_value([]).run()
    at.file_uploader(key="import.files").set_value(("exports.zip", data, "application/zip")).run()
    assert any("already imported" in shown_text(i.value) for i in at.info)
    assert at.button(key="import.run").disabled


def test_a_workbook_is_previewed_from_its_first_sheet_with_data(seeded_url: str) -> None:
    lines = LINKEDIN.decode().splitlines()[1:]  # text cells, as a portal's sheet holds them
    rows = [["Learner detail, November"], None, HEADER, *[line.split(",") for line in lines]]
    data = workbook(("Summary", []), ("Learners", rows))
    at = _page()
    at.file_uploader(key="import.files").set_value(("li_nov.xlsx", data, "application/x")).run()
    assert not at.exception, [e.value for e in at.exception]
    ok = [shown_text(s.value) for s in at.success]
    assert any("feeds **LinkedIn Learning**" in s and "2 rows" in s for s in ok), ok
    notes = " ".join(shown_text(c.value) for c in at.caption)
    assert "read sheet 'Learners' (2nd of 2 sheets; 'Summary' is empty)" in notes
    preview = at.dataframe[0].value
    assert sorted(preview["Minutes"].tolist()) == [40.0, 70.0]  # 0:40:00 and 1:10:00


TRACKING = b"\n".join(
    json.dumps(e).encode()
    for e in (
        {"username": "zoe.moss9", "event_type": "play_video", "time": "2026-11-02T09:00:00+00:00",
         "context": {"course_id": "course-v1:North+DATA1+2026"}},
        {"username": "zoe.moss9", "event_type": "problem_check",
         "time": "2026-11-02T09:12:30+00:00",
         "context": {"course_id": "course-v1:North+DATA1+2026"}},
        {"username": "", "event_type": "/", "time": "2026-11-02T09:13:00+00:00",
         "context": {"course_id": ""}},
    )
)  # fmt: skip


def test_a_tracking_log_is_read_as_json_on_the_page(seeded_url: str) -> None:
    before = _count(seeded_url, "SELECT COUNT(*) FROM data_import")
    at = _page()
    at.selectbox(key="import.product").set_value("LinkedIn Learning")
    at.file_uploader(key="import.files").set_value(("tracking.log", TRACKING, "text/plain")).run()
    assert not at.exception, [e.value for e in at.exception]
    ok = [shown_text(s.value) for s in at.success]
    assert any("Open edX tracking log" in s for s in ok), ok
    notes = " ".join(shown_text(c.value) for c in at.caption)
    assert "read as JSON (JSON lines): an Open edX tracking log of 3 records" in notes
    assert "1 event with no user (anonymous or system): skipped" in notes
    at.button(key="import.run").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert _count(seeded_url, "SELECT COUNT(*) FROM data_import") == before + 1
    # One learner-day: a 12.5-minute session (09:00:00 -> 09:12:30).
    minutes = _count(
        seeded_url,
        "SELECT CAST(ROUND(SUM(u.minutes) * 10) AS INTEGER) FROM usage_record u JOIN data_import i"
        " ON i.id = u.import_id WHERE i.format = 'openedx_tracking'",
    )
    assert minutes == 125
