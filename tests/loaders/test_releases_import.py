"""releases.csv: imported, refused with row and column, undone; each release's reception in the
JSON pack, hand-counted (DESIGN.md, Releases: 28 days before and from the date)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from loaders import import_file, undo_import
from models.frames import releases_frame
from tests.actors import EDITOR
from tests.loaders.conftest import assert_refused_at, year_pack_of

RELEASES = (
    b"product,date,title,kind\n"
    b"Leadership Academy,01/03/2026,New module,content\n"
    b"Leadership Academy,05/11/2026,Reminder campaign,campaign\n"
)
# Active learners of Leadership Academy around 1 Mar 2026 (window before: 1-28 Feb; from:
# 1-28 Mar): a@ on 1 Feb and 2 Mar, b@ on 28 Feb, c@ on 28 Mar, d@ on 29 Mar (outside), e@ on
# 31 Jan (outside), f@ on 10 Mar with 0 minutes and no progress (not active).
# before = {a, b} = 2; after = {a, c} = 2.
USAGE = (
    b"product,learner,content_id,date,minutes,progress_pct,completed\n"
    b"Leadership Academy,a@x.example,m1,2026-02-01,10,,no\n"
    b"Leadership Academy,a@x.example,m1,2026-03-02,10,,no\n"
    b"Leadership Academy,b@x.example,m1,2026-02-28,10,,no\n"
    b"Leadership Academy,c@x.example,m1,2026-03-28,10,,no\n"
    b"Leadership Academy,d@x.example,m1,2026-03-29,10,,no\n"
    b"Leadership Academy,e@x.example,m1,2026-01-31,10,,no\n"
    b"Leadership Academy,f@x.example,m1,2026-03-10,0,0,no\n"
    b"Leadership Academy,g@x.example,m1,2026-11-06,15,,no\n"
)


def test_releases_import_and_their_reception_is_counted(portfolio: Engine) -> None:
    assert import_file(USAGE, file_name="usage.csv", engine=portfolio, actor=EDITOR).status == (
        "imported"
    )
    result = import_file(RELEASES, file_name="releases.csv", engine=portfolio, actor=EDITOR)
    assert (result.status, result.format, result.rows_imported) == ("imported", "releases", 2)
    product = year_pack_of(portfolio, "Leadership Academy")
    assert product["releases"] == [
        {"date": "2026-03-01", "title": "New module", "kind": "content",
         "active_before": 2, "active_after": 2},
        # 18 days before as_of (23 Nov): too early to tell
        {"date": "2026-11-05", "title": "Reminder campaign", "kind": "campaign",
         "active_before": 0, "active_after": None},
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (b"Leadership Academy,31/02/2026,X,content\n", "date", "not a date"),
        (b"Leadership Academy,01/03/2026,X,launch\n", "kind", "is not one of"),
        (b"Nowhere,01/03/2026,X,fix\n", "product", "does not exist"),
        (b"Leadership Academy,01/03/2026,,fix\n", "title", ""),
    ],
)
def test_a_bad_release_is_refused_with_row_and_column(
    portfolio: Engine, row: bytes, column: str, message: str
) -> None:
    header = b"product,date,title,kind\n"
    assert_refused_at(portfolio, header + row, row=2, column=column, message=message)


def test_undo_takes_the_releases_out(portfolio: Engine) -> None:
    result = import_file(RELEASES, file_name="releases.csv", engine=portfolio, actor=EDITOR)
    with portfolio.connect() as conn:
        assert releases_frame(conn).height == 2
    undo_import(result.import_id or 0, engine=portfolio, actor=EDITOR)
    with portfolio.connect() as conn:
        assert releases_frame(conn).is_empty()


def test_the_excel_and_html_packs_show_releases(portfolio: Engine) -> None:
    import io

    from openpyxl import load_workbook

    from exports.html_writer import render_html
    from exports.xlsx_writer import render_xlsx

    import_file(USAGE, file_name="usage.csv", engine=portfolio, actor=EDITOR)
    import_file(RELEASES, file_name="releases.csv", engine=portfolio, actor=EDITOR)
    pack = year_pack_of(portfolio, "Leadership Academy")["_pack"]
    book = load_workbook(io.BytesIO(render_xlsx(pack)))
    sheet = book[next(n for n in book.sheetnames if n.startswith("Leadership"))]
    cells = [[c.value for c in row][:5] for row in sheet.iter_rows()]
    assert ["2026-03-01", "New module", "content", 2, 2] in cells
    assert ["2026-11-05", "Reminder campaign", "campaign", 0, "too early to tell"] in cells
    html = render_html(pack).decode("utf-8")
    assert "2026-03-01 · New module (content): 2 active learners in the 28 days before" in html
