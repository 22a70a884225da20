"""`loaders.read_ahead`: the command's first file read while the program loads.

What is imported must never depend on it: the same file imported by the command
line (read ahead) and by `import_file` (read in the import) stores the same rows,
and a table read with fewer formats than the import detects from is read again.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from loaders import import_file, read_ahead
from loaders.cli import main as loaders_main
from loaders.formats import FORMATS
from loaders.mappings import all_formats, save_mapping
from models.db import make_engine
from settings import get_settings
from tests.actors import EDITOR
from tests.loaders.conftest import PRODUCTS_CSV
from tests.loaders.factories import linkedin_csv
from tests.loaders.test_mappings_preview import PRODUCTS as ACME_PRODUCTS
from tests.loaders.test_mappings_preview import SPEC as ACME_LMS

_FACTS = (
    "SELECT p.name, l.key, c.external_id, u.activity_date, u.minutes, u.progress_pct,"
    " u.completed, u.completed_date FROM usage_record u JOIN product p ON p.id = u.product_id"
    " JOIN learner l ON l.id = u.learner_id JOIN content_item c ON c.id = u.content_item_id"
    " ORDER BY l.key, c.external_id"
)


def _command(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], url: str, *files: Path
) -> list[dict[str, object]]:
    """`python -m loaders FILE... --json`, run in this process against `url`; its JSON lines."""
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    capsys.readouterr()
    assert loaders_main([*map(str, files), "--json"]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def _stored(engine: Engine) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    with engine.connect() as conn:
        facts = [tuple(r) for r in conn.execute(text(_FACTS))]
        imports = conn.execute(
            text("SELECT file_name, content_hash, rows_read, rows_imported FROM data_import")
        )
        return facts, [tuple(r) for r in imports]


def test_the_command_stores_what_import_file_stores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    products = tmp_path / "products.csv"
    products.write_bytes(PRODUCTS_CSV)
    report = tmp_path / "linkedin.csv"
    report.write_text("LinkedIn Learning export\n\n" + linkedin_csv(40), encoding="utf-8")

    by_command = tmp_path / "command.sqlite"
    lines = _command(monkeypatch, capsys, f"sqlite:///{by_command}", products, report)
    assert [line["status"] for line in lines] == ["imported", "imported"]

    direct = make_engine(f"sqlite:///{tmp_path / 'direct.sqlite'}")
    for path in (products, report):
        result = import_file(path.read_bytes(), file_name=path.name, engine=direct, actor=EDITOR)
        assert result.status == "imported", result.errors
    last = result.to_json()
    assert {k: v for k, v in lines[1].items() if k != "import_id"} == {
        k: v for k, v in last.items() if k != "import_id"
    }
    assert lines[1]["rows_imported"] == 40
    assert _stored(make_engine(f"sqlite:///{by_command}")) == _stored(direct)


# A saved mapping's report under a preamble line wider than its header: with the built-in
# formats alone the preamble is the fullest record, so it would be taken for the header.
_MAPPED = (
    b"Acme,LMS,monthly,export,for,March,2026,all,sites\n"
    b"Mail,Module,Day,Minutes spent,Result\n"
    b"ann@x.example,Fire safety,2026-03-02,25,Passed\n"
    b"bob@x.example,Fire safety,2026-03-04,10,Started\n"
)


def test_a_saved_mapping_s_header_is_looked_for_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'mapped.sqlite'}"
    engine = make_engine(url)
    import_file(ACME_PRODUCTS, file_name="products.csv", engine=engine, actor=EDITOR)
    save_mapping(ACME_LMS, engine=engine, actor=EDITOR)
    report = tmp_path / "march.csv"
    report.write_bytes(_MAPPED)

    ahead = read_ahead.start(report).take()
    assert ahead is not None and ahead.table is not None
    assert ahead.table.header_row == 1  # the preamble, read with the built-in formats
    assert ahead.table_for(FORMATS) is ahead.table
    assert ahead.table_for(all_formats(engine=engine)) is None  # so the import reads again

    [line] = _command(monkeypatch, capsys, url, report)
    assert line["status"] == "imported", line["errors"]
    assert line["format"] == "mapping:Acme LMS export"
    assert line["rows_imported"] == 2


def test_only_a_plain_file_read_whole_is_read_ahead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = linkedin_csv(3).encode()
    packed = tmp_path / "report.csv.gz"
    packed.write_bytes(gzip.compress(data))
    ahead = read_ahead.start(packed).take()
    assert ahead is not None
    assert ahead.table is None  # each file of an archive is read as it is unpacked
    assert ahead.digest == hashlib.sha256(packed.read_bytes()).hexdigest()

    assert read_ahead.start(tmp_path / "missing.csv").take() is None
    assert read_ahead.start(tmp_path).take() is None  # a folder

    plain = tmp_path / "report.csv"
    plain.write_bytes(data)
    pending = read_ahead.start(plain)
    first = pending.take()
    assert first is not None and first.table is not None
    assert first.table.frame.height == 3
    assert pending.take() is None  # handed over once, not kept for the files after

    monkeypatch.setattr(read_ahead, "STREAM_BYTES", len(data))  # now a streamed size
    assert read_ahead.start(plain).take() is None


def test_a_refused_file_is_left_to_the_import_to_refuse(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"\n\n  \n")
    ahead = read_ahead.start(empty).take()
    assert ahead is not None and ahead.table is None


def test_import_file_ignores_a_read_ahead_of_other_bytes(engine: Engine) -> None:
    data = PRODUCTS_CSV
    other = read_ahead.ReadAhead(bytes(bytearray(data)), "0" * 64, FORMATS, table=None)
    assert other.data is not data
    result = import_file(
        data, file_name="products.csv", engine=engine, actor=EDITOR, read_ahead=other
    )
    assert result.status == "imported", result.errors
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT content_hash FROM data_import")).scalar_one()
    assert stored == hashlib.sha256(data).hexdigest()


def test_a_fault_in_the_thread_reads_nothing_ahead_and_prints_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    def broken(path: Path) -> None:
        raise MemoryError

    monkeypatch.setattr(read_ahead, "_read", broken)
    assert read_ahead.start(tmp_path / "report.csv").take() is None
    assert capfd.readouterr().err == ""  # no "Exception in thread" traceback
