"""Large files streamed (`loaders.streaming`): the same outcome as the whole-file import.

The threshold is lowered to 0 and the chunk size to a few hundred bytes, so
small files go through the streamed path and are cut into many chunks.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, text

import loaders.streaming as streaming
from loaders import import_file, undo_import
from loaders.pipeline import import_paths
from tests.actors import EDITOR
from tests.loaders.conftest import counts, fk_violations

HEADER = (
    "First Name,Last Name,Email,Unique User ID,Groups,Content Title,Content Type,Content ID,"
    "Content Provider,Percent Completed,Completion Date,Last Viewed Date,Content Hours Viewed\n"
)


def _rows(n: int) -> str:
    out = []
    for i in range(n):
        done = i % 3 == 0
        title = f'"Excel, part {i % 7}\nwith a line break"' if i % 11 == 0 else f"SQL {i % 5}"
        out.append(
            f'Ana{i % 13},Lee,USER{i % 17}@Acme.example,,"Sales, EMEA",{title},Course,'
            f"{100 + i % 9},LinkedIn,{100 if done else i % 100},"
            f"{'03/04/2026' if done else ''},04/{1 + i % 28:02d}/2026,{i % 5}:{i % 60:02d}:07\n"
        )
        if i % 40 == 39:
            out.append("\n\n\n")  # a run of blank lines
    return "".join(out)


def _facts(engine: Engine) -> list[tuple[object, ...]]:
    sql = (
        "SELECT l.key, c.external_id, c.title, u.activity_date, u.minutes, u.progress_pct,"
        " u.completed, u.completed_date, l.org_unit"
        " FROM usage_record u JOIN learner l ON l.id = u.learner_id"
        " JOIN content_item c ON c.id = u.content_item_id ORDER BY 1, 2, 4"
    )
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql))]


def _comparable(result: object) -> dict[str, object]:
    out = result.to_json()  # type: ignore[attr-defined]
    out.pop("import_id")
    return out


@pytest.fixture
def streamed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(streaming, "STREAM_BYTES", 0)
    monkeypatch.setattr(streaming, "CHUNK_BYTES", 700)


def test_streamed_import_matches_the_whole_file_import(
    portfolio: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, streamed: None
) -> None:
    path = tmp_path / "detail.csv"
    path.write_text("LinkedIn Learning report\n" + HEADER + _rows(300), encoding="utf-8")
    (result,) = import_paths([path], engine=portfolio, actor=EDITOR)
    assert result.status == "imported", result.errors
    facts = _facts(portfolio)
    undo_import(result.import_id, engine=portfolio, actor=EDITOR)
    monkeypatch.setattr(streaming, "STREAM_BYTES", 2**40)  # now the whole-file path
    whole = import_file(path.read_bytes(), file_name=path.name, engine=portfolio, actor=EDITOR)
    assert _comparable(result) == _comparable(whole)
    assert _facts(portfolio) == facts
    assert fk_violations(portfolio) == []


def test_streamed_import_is_all_or_nothing_and_says_duplicate(
    portfolio: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, streamed: None
) -> None:
    bad = tmp_path / "bad.csv"
    body = HEADER + _rows(200)
    bad.write_text(body.replace("04/15/2026", "04/35/2026"), encoding="utf-8")
    before = counts(portfolio)
    (rejected,) = import_paths([bad], engine=portfolio, actor=EDITOR)
    assert rejected.status == "rejected"
    assert counts(portfolio) == before
    monkeypatch.setattr(streaming, "STREAM_BYTES", 2**40)
    whole = import_file(bad.read_bytes(), file_name=bad.name, engine=portfolio, actor=EDITOR)
    assert _comparable(rejected) == _comparable(whole)
    assert rejected.errors[0]["column"] == "Last Viewed Date"
    monkeypatch.setattr(streaming, "STREAM_BYTES", 0)
    good = tmp_path / "good.csv"
    good.write_text(body, encoding="utf-8")
    (first,) = import_paths([good], engine=portfolio, actor=EDITOR)
    (again,) = import_paths([good], engine=portfolio, actor=EDITOR)
    assert (first.status, again.status) == ("imported", "duplicate")
    assert again.duplicate_of == first.import_id


def test_files_the_stream_does_not_read_go_whole(
    portfolio: Engine, tmp_path: Path, streamed: None
) -> None:
    path = tmp_path / "cp1252.csv"
    path.write_bytes((HEADER + _rows(20)).replace("Ana", "Zoë").encode("cp1252"))
    assert streaming.import_large_file(path, engine=portfolio, actor=EDITOR) is None
    (result,) = import_paths([path], engine=portfolio, actor=EDITOR)
    assert result.status == "imported", result.errors


USAGE_HEADER = (
    "product,learner,content_id,content_title,date,minutes,progress_pct,completed,"
    "completed_date,org_unit\n"
)
_PRODUCTS = ("Linked Library", " udemy seats ", "Leadership Academy")


def _usage_rows(n: int, *, unknown_at: int | None = None) -> str:
    out = []
    for i in range(n):
        product = "Nowhere Academy" if i == unknown_at else _PRODUCTS[i % 3]
        done = i % 4 == 0
        out.append(
            f"{product},person{i % 19}@acme.example,C{i % 6},Course {i % 6},"
            f"2026-03-{1 + i % 28:02d},{i % 50},{100 if done else i % 90},"
            f"{'yes' if done else 'no'},{'2026-03-30' if done else ''},Team {i % 4}\n"
        )
    return "".join(out)


def test_a_product_per_row_is_streamed_with_the_same_outcome(
    portfolio: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, streamed: None
) -> None:
    """The generic usage template names a product per row (the pages bench's 10M-row file)."""
    path = tmp_path / "usage.csv"
    path.write_text(USAGE_HEADER + _usage_rows(240), encoding="utf-8")
    entered: list[Path] = []
    real = streaming._read
    monkeypatch.setattr(streaming, "_read", lambda p, plan: entered.append(p) or real(p, plan))
    (result,) = import_paths([path], engine=portfolio, actor=EDITOR)
    assert entered == [path]  # streamed, not handed over
    assert result.status == "imported", result.errors
    assert sorted(result.products) == ["Leadership Academy", "Linked Library", "Udemy Seats"]
    facts = _facts(portfolio)
    undo_import(result.import_id, engine=portfolio, actor=EDITOR)
    monkeypatch.setattr(streaming, "STREAM_BYTES", 2**40)
    whole = import_file(path.read_bytes(), file_name=path.name, engine=portfolio, actor=EDITOR)
    assert _comparable(result) == _comparable(whole)
    assert _facts(portfolio) == facts
    assert fk_violations(portfolio) == []


def test_an_unknown_product_in_a_streamed_file_rejects_it_as_whole(
    portfolio: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, streamed: None
) -> None:
    path = tmp_path / "usage.csv"
    path.write_text(USAGE_HEADER + _usage_rows(240, unknown_at=200), encoding="utf-8")
    before = counts(portfolio)
    (rejected,) = import_paths([path], engine=portfolio, actor=EDITOR)
    assert rejected.status == "rejected"
    assert counts(portfolio) == before
    assert rejected.errors[0]["row"] == 202  # the header is row 1
    assert rejected.errors[0]["column"] == "product"
    monkeypatch.setattr(streaming, "STREAM_BYTES", 2**40)
    whole = import_file(path.read_bytes(), file_name=path.name, engine=portfolio, actor=EDITOR)
    assert _comparable(rejected) == _comparable(whole)
