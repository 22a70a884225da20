"""The Import data page through app.py: upload, preview, import, map an unknown format, undo."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, text
from streamlit.testing.v1 import AppTest

from loaders import TEMPLATE_NAMES
from pages.safe_text import shown_text

ROOT = Path(__file__).resolve().parents[2]

LINKEDIN = (
    b"First Name,Last Name,Email,Unique User ID,Groups,Content Title,Content Type,Content ID,"
    b"Content Provider,Percent Completed,Completion Date,Last Viewed Date,Content Hours Viewed\n"
    b"Zoe,Moss,zoe.moss9@northwind.example,,Finance,Excel Essentials,Course,C1,LinkedIn,100,"
    b"11/02/2026,11/02/2026,1:10:00\n"
    b"Ian,Ross,ian.ross7@northwind.example,,Sales,Negotiation,Course,C2,LinkedIn,35,,11/05/2026,"
    b"0:40:00\n"
)

# A report no built-in detector knows (an in-house LMS export).
UNKNOWN = (
    b"Employee Mail;Module;When;Time Spent (min);Status\n"
    b"zoe.moss9@northwind.example;Fire safety;03/11/2026;25;Passed\n"
    b"ian.ross7@northwind.example;Fire safety;04/11/2026;10;In progress\n"
)

BAD_BUDGETS = b"product,month,cost_category,plan,actual\nLinkedIn Learning,2026-12,licence,abc,\n"


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
    assert at.title[0].value == "Import data"
    return at


def test_upload_preview_and_import_a_vendor_report(seeded_url: str) -> None:
    before = _count(seeded_url, "SELECT COUNT(*) FROM data_import")
    at = _page()
    at.file_uploader(key="import.files").set_value(("li_nov.csv", LINKEDIN, "text/csv")).run()
    assert not at.exception
    ok = [s.value for s in at.success]
    assert any("LinkedIn Learning learner detail" in s or "linkedin" in s for s in ok), ok
    assert any("feeds **LinkedIn Learning**" in s for s in ok)
    preview = at.dataframe[0].value
    assert len(preview) == 2 and set(preview["Content ID"]) == {"C1", "C2"}
    at.button(key="import.run").click().run()
    assert not at.exception
    assert _count(seeded_url, "SELECT COUNT(*) FROM data_import") == before + 1
    assert (
        _count(
            seeded_url,
            "SELECT COUNT(*) FROM usage_record u JOIN content_item c "
            "ON c.id = u.content_item_id WHERE c.external_id = 'C1'",
        )
        >= 1
    )


def test_a_bad_file_is_rejected_with_row_and_column_and_nothing_changes(seeded_url: str) -> None:
    before = _count(seeded_url, "SELECT COUNT(*) FROM budget_line")
    at = _page()
    at.file_uploader(key="import.files").set_value(("budgets.csv", BAD_BUDGETS, "text/csv")).run()
    assert any("would be rejected" in e.value for e in at.error)
    problems = at.dataframe[0].value
    assert problems["Row"].tolist() == [2] and problems["Column"].tolist() == ["plan"]
    # Nothing to import, so the button is disabled; the database is unchanged.
    assert at.button(key="import.run").disabled
    assert _count(seeded_url, "SELECT COUNT(*) FROM budget_line") == before


def test_an_unknown_format_is_mapped_once_then_detected(seeded_url: str) -> None:
    at = _page()
    at.selectbox(key="import.product").set_value("Code of Conduct & Data Protection")
    at.file_uploader(key="import.files").set_value(("lms.csv", UNKNOWN, "text/csv")).run()
    assert any("no built-in format knows these columns" in w.value for w in at.warning)
    key = next(s.key for s in at.selectbox if s.key and s.key.endswith(".usage.learner"))
    base = key.removesuffix(".usage.learner")
    prefix = f"{base}.usage"
    at.selectbox(key=f"{prefix}.learner").set_value("Employee Mail")
    at.selectbox(key=f"{prefix}.content_title").set_value("Module")
    at.selectbox(key=f"{prefix}.activity_date").set_value("When")
    at.selectbox(key=f"{prefix}.minutes").set_value("Time Spent (min)")
    at.selectbox(key=f"{prefix}.completed").set_value("Status")
    for field in (
        "name",
        "org_unit",
        "product",
        "content_id",
        "content_type",
        "progress",
        "completed_date",
    ):
        at.selectbox(key=f"{prefix}.{field}").set_value("—")
    at.text_input(key=f"{base}.title").set_value("In-house LMS")
    at.text_input(key=f"{base}.done").set_value("Passed")
    at.button(key="FormSubmitter:" + f"{base}.form.usage-Save mapping").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert _count(seeded_url, "SELECT COUNT(*) FROM column_mapping") == 1
    # The mapping's name is user text: escaped in the Markdown, read as typed.
    shown = [shown_text(s.value) for s in at.success] + [e.value for e in at.error]
    assert any("saved mapping 'In-house LMS'" in s for s in shown), shown
    at.button(key="import.run").click().run()
    assert not at.exception
    assert (
        _count(seeded_url, "SELECT COUNT(*) FROM data_import WHERE format = 'mapping:In-house LMS'")
        == 1
    )
    # "Passed" is the completion status: one of the two rows completed.
    assert (
        _count(
            seeded_url,
            "SELECT COUNT(*) FROM usage_record u JOIN data_import i ON "
            "i.id = u.import_id WHERE i.format = 'mapping:In-house LMS' "
            "AND u.completed",
        )
        == 1
    )


def test_undo_from_the_history(seeded_url: str) -> None:
    at = _page()
    latest = _count(seeded_url, "SELECT MAX(id) FROM data_import")
    rows = _count(seeded_url, f"SELECT COUNT(*) FROM usage_record WHERE import_id = {latest}")
    choice = next(o for o in at.selectbox(key="import.undo").options if o.startswith(f"#{latest} "))
    at.selectbox(key="import.undo").set_value(choice).run()
    assert any(f"{rows:,} usage rows" in m.value for m in at.markdown), [
        m.value for m in at.markdown
    ]
    at.button(key="import.undo.ask").click().run()  # asks first: nothing removed yet
    assert _count(seeded_url, f"SELECT COUNT(*) FROM usage_record WHERE import_id = {latest}") == (
        rows
    )
    assert f"{rows:,} usage rows" in at.warning[0].value and r"Undo \#" in at.warning[0].value
    at.button(key="import.undo.cancel").click().run()  # Cancel keeps everything
    assert len(at.warning) == 0 and at.button(key="import.undo.ask")
    assert _count(seeded_url, f"SELECT COUNT(*) FROM usage_record WHERE import_id = {latest}") == (
        rows
    )
    at.button(key="import.undo.ask").click().run()
    at.button(key="import.undo.confirm").click().run()
    assert not at.exception
    assert any("undone" in s.value for s in at.success)
    assert _count(seeded_url, f"SELECT COUNT(*) FROM usage_record WHERE import_id = {latest}") == 0
    assert (
        _count(
            seeded_url,
            f"SELECT COUNT(*) FROM data_import WHERE id = {latest} AND status = 'undone'",
        )
        == 1
    )


def test_every_template_can_be_downloaded(seeded_url: str) -> None:
    at = _page()
    labels = {b.label for b in at.get("download_button")}
    assert set(TEMPLATE_NAMES) <= labels
    # The closed columns list the values they take: every lifecycle stage and its synonyms.
    captions = [c.value for c in at.caption]
    stages = next(c for c in captions if c.startswith("`lifecycle_stage`: "))
    assert stages.startswith(
        "`lifecycle_stage`: discovery, pilot, growth, mature, decline, retiring"
    )
    assert "idea, exploration → discovery" in stages


def test_the_preview_cache_holds_every_file_on_the_page_and_no_other(seeded_url: str) -> None:
    # It used to keep one preview, so with two files on the page each rerun previewed again.
    at = _page()
    uploader = at.file_uploader(key="import.files")
    uploader.set_value([("li.csv", LINKEDIN, "text/csv"), ("b.csv", BAD_BUDGETS, "text/csv")])
    at.run()
    first = dict(at.session_state["import.previews"])
    assert sorted(p.result.file for p in first.values()) == ["b.csv", "li.csv"]
    at.text_input(key="import.period").set_value("").run()  # any rerun: nothing previewed again
    again = at.session_state["import.previews"]
    assert all(again[k] is first[k] for k in first) and len(again) == 2
    at.file_uploader(key="import.files").set_value([("li.csv", LINKEDIN, "text/csv")]).run()
    assert [p.result.file for p in at.session_state["import.previews"].values()] == ["li.csv"]


def test_a_big_upload_is_previewed_from_its_head(seeded_url: str) -> None:
    rows = b"".join(
        b"P%d,Q,p%d@northwind.example,,Sales,Negotiation,Course,C2,LinkedIn,35,,11/05/2026,"
        b"0:40:00\n" % (i, i)
        for i in range(12_000)
    )
    data = LINKEDIN + rows  # about 1.2 MB
    at = _page()
    at.file_uploader(key="import.files").set_value([("big.csv", data, "text/csv")]).run()
    assert not at.exception
    ok = " ".join(s.value for s in at.success)
    # 20 = the preview limit, and the table below shows those 20 rows
    assert f"first 20 rows of a {len(data) / 1e6:,.1f} MB file (the import reads all of it)" in ok
    assert len(at.dataframe[0].value) == 20


def test_the_preview_speaks_the_files_column_names_and_shows_blanks(seeded_url: str) -> None:
    at = _page()
    at.file_uploader(key="import.files").set_value(("li_nov.csv", LINKEDIN, "text/csv")).run()
    table = at.dataframe[0]
    columns = list(table.value.columns)
    # The file's own headers, or a plain label where the file has none (the learner's key)
    for internal in ("learner_known_by", "content_id", "progress_pct", "completed_date"):
        assert internal not in columns, columns
    assert {"Content ID", "Content Title", "Percent Completed", "Completion Date"} <= set(columns)
    assert "Learner identified by" in columns
    assert set(table.value["Learner identified by"]) == {"e-mail"}
    # Hours in the file, minutes stored: the column is "Minutes" and its help names the source.
    # 1:10:00 is 70 minutes, 0:40:00 is 40.
    minutes = "Minutes"
    assert "Content Hours Viewed" not in columns
    (shown,) = at.session_state["import.previews"].values()
    assert shown.sources == {"minutes": "Content Hours Viewed"}  # the column's help text
    assert sorted(table.value[minutes].tolist()) == [40.0, 70.0]
    assert table.value[minutes].dtype.kind == "f"  # a number, sortable as one
    # Ian's row has no completion date: the cell is blank, not "None"
    assert table.value["Completion Date"].isna().sum() == 1
    assert table.proto.placeholder == ""


def test_a_budget_preview_names_cost_categories_in_words(seeded_url: str) -> None:
    budgets = (
        b"product,month,cost_category,plan,actual\n"
        b"LinkedIn Learning,2026-12,design_development,1200,\n"
    )
    at = _page()
    at.file_uploader(key="import.files").set_value(("b.csv", budgets, "text/csv")).run()
    assert not at.exception
    table = at.dataframe[0].value
    assert table["cost_category"].tolist() == ["Design & development"]
    assert table["plan"].tolist() == [1200.0]  # numeric, formatted by the column config
    assert table["actual"].isna().all()  # blank in the file, blank on screen


def test_the_previous_files_result_does_not_linger(seeded_url: str) -> None:
    at = _page()
    at.file_uploader(key="import.files").set_value(("li_nov.csv", LINKEDIN, "text/csv")).run()
    at.button(key="import.run").click().run()
    assert [h.value for h in at.subheader] == ["Result"]
    # Another file: the earlier file's result is gone, only the new preview is shown.
    at.file_uploader(key="import.files").set_value(("b.csv", BAD_BUDGETS, "text/csv")).run()
    assert "Result" not in [h.value for h in at.subheader]
    assert all("Rows read" not in d.value.columns for d in at.dataframe)  # no result table
    # Import another file, then remove the upload: its result goes with it.
    other = LINKEDIN.replace(b"Negotiation", b"Negotiation II")
    at.file_uploader(key="import.files").set_value(("li_dec.csv", other, "text/csv")).run()
    at.button(key="import.run").click().run()
    assert [h.value for h in at.subheader] == ["Result"]
    at.file_uploader(key="import.files").set_value([]).run()
    assert "Result" not in [h.value for h in at.subheader]
    assert "import.results" not in at.session_state


COURSES = (
    b"Coursename,Participant,Team,Finished,Spent\n"
    b"Fire safety,Zoe Moss,Finance,2026-03-02,25\n"
    b"Fire safety,Ian Ross,Sales,2026-03-04,10\n"
    b"Fire safety,Ann Lee,Finance,2026-03-04,15\n"
    b"Data protection,Zoe Moss,Finance,2026-03-05,40\n"
)


def test_the_suggested_mapping_reads_values_not_only_names(seeded_url: str) -> None:
    at = _page()
    at.file_uploader(key="import.files").set_value(("courses.csv", COURSES, "text/csv")).run()
    key = next(s.key for s in at.selectbox if s.key and s.key.endswith(".learner"))
    prefix = key.removesuffix(".learner")
    assert prefix.endswith(".usage")  # taken for a usage report
    assert at.selectbox(key=f"{prefix}.name").value == "Participant"
    assert at.selectbox(key=f"{prefix}.content_title").value == "Coursename"
    assert at.selectbox(key=f"{prefix}.minutes").value == "Spent"
    assert at.selectbox(key=f"{prefix}.learner").value == "—"  # no e-mail or id column
    assert at.selectbox(key=f"{prefix}.progress").value == "—"


FORMS_SURVEY = (
    b"ID,Start time,Completion time,Email,Name,How likely are you to recommend this course?,"
    b"How relevant was it to your job?,Have you applied what you learned?\n"
    b"1,3/2/2026 9:01,3/2/2026 9:04,ann@x.example,Ann Lee,10 - Extremely likely,4,Yes\n"
    b"2,3/3/2026 9:01,3/3/2026 9:05,bob@x.example,Bob Ray,6,2,No\n"
)


def test_a_survey_tools_export_is_mapped_onto_survey_csv_and_imported(seeded_url: str) -> None:
    at = _page()
    at.selectbox(key="import.product").set_value("Code of Conduct & Data Protection")
    at.selectbox(key="import.order").set_value("mdy")  # Microsoft Forms' US dates
    upload = ("forms.csv", FORMS_SURVEY, "text/csv")
    at.file_uploader(key="import.files").set_value(upload).run()
    radio = next(r for r in at.radio if r.key and r.key.endswith(".target"))
    assert radio.value == "survey"  # guessed from the 0-10 and yes/no answers
    base = radio.key.removesuffix(".target")
    assert at.selectbox(key=f"{base}.survey.recommend").value.startswith("How likely")
    assert at.selectbox(key=f"{base}.survey.date").value == "Completion time"
    at.text_input(key=f"{base}.title").set_value("Forms feedback")
    at.button(key="FormSubmitter:" + f"{base}.form.survey-Save mapping").click().run()
    assert not at.exception, [e.value for e in at.exception]
    at.button(key="import.run").click().run()
    assert not at.exception
    sql = (
        "SELECT COUNT(*) FROM outcome_measure o JOIN data_import i ON i.id = o.import_id "
        "WHERE i.format = 'mapping:Forms feedback' AND i.kind = 'survey'"
    )
    assert _count(seeded_url, sql) == 3  # March's NPS, relevance and application rate


def test_a_bad_date_in_an_unread_column_is_a_warning_on_the_page(seeded_url: str) -> None:
    usage = (
        b"product,learner,content_title,date,minutes,Last login\n"
        b"LinkedIn Learning,zoe.moss9@northwind.example,Excel,05/11/2026,30,2026-11-01\n"
        b"LinkedIn Learning,ian.ross7@northwind.example,Excel,06/11/2026,15,not a date\n"
    )
    at = _page()
    at.file_uploader(key="import.files").set_value(("usage.csv", usage, "text/csv")).run()
    assert not at.exception
    warned = [shown_text(w.value) for w in at.warning]
    assert any("1 warning in columns this format does not read" in w for w in warned), warned
    problems = at.dataframe[0].value
    assert problems["Row"].tolist() == [3] and problems["Column"].tolist() == ["Last login"]
    assert not at.button(key="import.run").disabled  # a warning does not stop the import
    at.button(key="import.run").click().run()
    results = next(d.value for d in at.dataframe if "Rows read" in d.value.columns)
    assert results["Imported"].tolist() == [2] and results["Warnings"].tolist() == [1]
    said = [d.value for d in at.dataframe if "Column" in d.value.columns]
    assert ["Last login"] in [t["Column"].tolist() for t in said]  # the result says it too
