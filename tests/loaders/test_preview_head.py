"""The upload preview reads only the head of a file: bounded memory, same answers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from sqlalchemy import Engine

from loaders import import_file
from loaders.preview import HEAD_SLACK, file_head, preview_file
from tests.actors import EDITOR
from tests.loaders.factories import linkedin_csv

ROOT = Path(__file__).resolve().parents[2]


def _lines(n: int) -> bytes:
    return b"a,b\n" + b"".join(b"%d,x\n" % i for i in range(n))


def test_a_small_file_is_read_whole() -> None:
    assert file_head(_lines(20 + HEAD_SLACK - 1), rows=20) is None


def test_a_big_file_is_cut_after_a_whole_line() -> None:
    data = _lines(10_000)
    head = file_head(data, rows=20)
    assert head is not None and head.endswith(b"\n")
    assert head.count(b"\n") == 20 + HEAD_SLACK  # the header line and 219 data lines
    assert data.startswith(head)


def test_a_quoted_field_spanning_lines_is_never_cut() -> None:
    # Line 219 opens a quoted field that closes 3 lines later: the cut waits for it.
    body = [b"%d,x\n" % i for i in range(10_000)]
    body[218] = b'218,"one\ntwo\nthree\nfour"\n'
    data = b"a,b\n" + b"".join(body)
    head = file_head(data, rows=20)
    assert head is not None and head.endswith(b'four"\n')
    assert head.count(b'"') % 2 == 0


def test_utf16_is_cut_on_whole_code_units() -> None:
    text = "Name,Kurs\n" + "".join(f"Zoë {i},Übung\n" for i in range(5_000))
    data = b"\xff\xfe" + text.encode("utf-16-le")
    head = file_head(data, rows=20)
    assert head is not None and len(head) % 2 == 0
    assert head[2:].decode("utf-16-le").splitlines()[-1] == f"Zoë {20 + HEAD_SLACK - 2},Übung"


def test_classic_mac_line_ends_are_cut_too() -> None:
    data = _lines(10_000).replace(b"\n", b"\r")
    head = file_head(data, rows=20)
    assert head is not None and head.count(b"\r") == 20 + HEAD_SLACK


def test_preview_of_a_big_file_shows_its_first_rows_and_knows_a_duplicate(
    portfolio: Engine,
) -> None:
    data = linkedin_csv(3_000).encode()
    shown = preview_file(data, file_name="big.csv", engine=portfolio, limit=20, actor=EDITOR)
    assert shown.partial and shown.result.status == "imported", shown.result.errors
    assert shown.rows is not None and shown.rows.height == 20
    assert shown.result.product == "Linked Library"
    assert (
        import_file(data, file_name="big.csv", engine=portfolio, actor=EDITOR).rows_imported
        == 3_000
    )
    again = preview_file(data, file_name="big.csv", engine=portfolio, limit=20, actor=EDITOR)
    assert again.result.status == "duplicate"  # the whole file's hash, not the head's


_MEASURE = """
import json, resource, sys
from loaders import import_file
from loaders.preview import preview_file
from models import make_engine
from tests.loaders.conftest import PRODUCTS_CSV
from tests.loaders.factories import LINKEDIN_HEADER, to_csv
from tests.actors import EDITOR

engine = make_engine(sys.argv[1])
import_file(PRODUCTS_CSV, file_name="products.csv", engine=engine, actor=EDITOR)
header = to_csv([LINKEDIN_HEADER]).encode()
row = b"L%d,T,l%d@acme.example,U%d,Sales,Negotiation,Course,LL1,LinkedIn,35,,10/14/2026,0:30:00\\n"
data = header + b"".join(row % (i, i, i) for i in range(int(sys.argv[2])))
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
shown = preview_file(data, file_name="huge.csv", engine=engine, actor=EDITOR, limit=20)
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"mb": len(data) / 1e6, "growth_mb": (after - before) / 1024,
                  "status": shown.result.status, "rows": shown.rows.height}))
"""


def test_previewing_a_100_mb_file_takes_memory_for_its_head_only(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-c", _MEASURE, f"sqlite:///{tmp_path / 'db.sqlite'}", "1250000"],
        cwd=ROOT, capture_output=True, text=True, check=True, timeout=300,
    )  # fmt: skip
    measured = json.loads(out.stdout.strip().splitlines()[-1])
    assert measured["mb"] > 100 and (measured["status"], measured["rows"]) == ("imported", 20)
    # The file's bytes are held before the baseline; parsing all of it took several times more.
    assert measured["growth_mb"] < 50, measured
