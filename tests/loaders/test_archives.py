""".zip and .gz uploads: each file imported on its own, within limits, junk skipped."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import os
import random
import struct
import subprocess
import sys
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import Engine

from loaders import import_file, import_paths
from loaders.archives import MIB, Limits, Member, unpack, upload_kind
from loaders.pipeline import import_upload
from loaders.result import ImportResult
from models.access import NotAllowedError
from tests.actors import EDITOR, VIEWER
from tests.loaders.conftest import PRODUCTS_CSV, counts
from tests.loaders.factories import linkedin_csv
from tests.loaders.workbooks import workbook

ROOT = Path(__file__).resolve().parents[2]
LINKEDIN = linkedin_csv(3).encode()
USAGE = (
    b"product,learner,content_title,date,minutes\n"
    b"Leadership Academy,ana@acme.example,Module 1,2026-02-03,45\n"
    b"Leadership Academy,ben@acme.example,Module 2,2026-02-04,20\n"
)
BAD = b"product,category\nX,not-a-category\n"


def zipped(*files: tuple[str, bytes]) -> bytes:
    """A zip of `files` (a name ending in "/" is a folder), deflated as zip tools do."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files:
            archive.writestr(name, content)
    return out.getvalue()


def gzipped(content: bytes) -> bytes:
    return gzip.compress(content, mtime=0)


def with_password_flag(data: bytes, name: str) -> bytes:
    """`data` with `name` marked encrypted (flag bit 0), as a zip tool with a password writes it."""
    out = bytearray(data)
    # (signature, offset of the flags, offset of the name length, offset of the name)
    for sig, flags, length, start in ((b"PK\x03\x04", 6, 26, 30), (b"PK\x01\x02", 8, 28, 46)):
        at = out.find(sig)
        while at >= 0:
            (n,) = struct.unpack_from("<H", out, at + length)
            if out[at + start : at + start + n] == name.encode():
                out[at + flags] |= 1
            at = out.find(sig, at + 4)
    return bytes(out)


def upload(engine: Engine, data: bytes, name: str = "exports.zip") -> list[ImportResult]:
    return list(import_upload(data, file_name=name, engine=engine, actor=EDITOR))


def messages(result: ImportResult) -> list[str]:
    return [str(e["message"]) for e in result.errors]


def test_a_zip_of_three_files_gives_three_results_and_a_refusal_stops_no_other(
    portfolio: Engine,
) -> None:
    sheet = workbook(("Usage", [["Usage for February"], None, *_usage_rows()]))
    data = zipped(("linkedin.csv", LINKEDIN), ("bad.csv", BAD), ("usage.xlsx", sheet))
    before = counts(portfolio)
    results = upload(portfolio, data)
    assert [(r.file, r.status) for r in results] == [
        ("exports.zip › linkedin.csv", "imported"),
        ("exports.zip › bad.csv", "rejected"),
        ("exports.zip › usage.xlsx", "imported"),  # a workbook in a zip is read, not unpacked
    ]
    assert [(r.rows_read, r.rows_imported) for r in results] == [(3, 3), (1, 0), (2, 2)]
    assert "not-a-category" in messages(results[1])[0]
    assert all(r.decisions[0]["message"] == "unpacked from exports.zip" for r in results)
    assert counts(portfolio)["data_import"] == before["data_import"] + 2
    # Each file was recorded under its own name and its own content hash: a re-import of the
    # zip is a duplicate file by file (the bad file is refused again) and changes nothing.
    again = counts(portfolio)
    repeat = upload(portfolio, data, name="exports (1).zip")
    assert [r.status for r in repeat] == ["duplicate", "rejected", "duplicate"]
    assert [r.duplicate_of for r in repeat] == [results[0].import_id, None, results[2].import_id]
    assert counts(portfolio) == again


def _usage_rows() -> list[list[object]]:
    return [
        ["product", "learner", "content_title", "date", "minutes"],
        ["Leadership Academy", "cy@acme.example", "Module 3", dt.date(2026, 2, 5), 30],
        ["Leadership Academy", "di@acme.example", "Module 3", dt.date(2026, 2, 6), 15.5],
    ]


def test_a_gz_holds_one_file_whose_bytes_are_the_ones_imported(portfolio: Engine) -> None:
    (result,) = upload(portfolio, gzipped(LINKEDIN), name="linkedin.csv.gz")
    assert (result.file, result.status, result.rows_imported) == (
        "linkedin.csv.gz › linkedin.csv", "imported", 3,
    )  # fmt: skip
    (plain,) = upload(portfolio, LINKEDIN, name="linkedin.csv")  # the same file, not gzipped
    assert (plain.status, plain.duplicate_of) == ("duplicate", result.import_id)


def test_a_gzip_spoilt_by_a_mark_before_it_or_inside_it_is_refused_saying_so(
    portfolio: Engine,
) -> None:
    # Found by the fuzz: a byte-order mark put before a gzip made it "text", and polars'
    # CSV reader then unpacked it itself and failed on the checksum: a catch-all refusal.
    packed = gzipped(LINKEDIN)
    before = counts(portfolio)
    (marked,) = upload(portfolio, b"\xef\xbb\xbf" + packed, name="linkedin.csv.gz")
    assert marked.status == "rejected"
    assert "gzip file could not be unpacked" in marked.errors[0]["message"]
    spoilt = b"\xef\xbb\xbf" + packed[:20] + b"\xef\xbb\xbf" + packed[20:]
    result = import_file(spoilt[3:], file_name="report.csv", engine=portfolio, actor=EDITOR)
    assert result.status == "rejected"
    text = b"\xef\xbb\xbf" + gzip.compress(b"x")[:-1] + b"\n"  # "text" polars would unpack
    result = import_file(text, file_name="report.csv", engine=portfolio, actor=EDITOR)
    assert result.status == "rejected"
    assert not result.errors[0]["message"].startswith("could not read this file")
    assert counts(portfolio) == before


def test_archives_are_known_by_their_bytes_not_their_names() -> None:
    assert upload_kind(zipped(("a.csv", USAGE))) == "zip"
    assert upload_kind(gzipped(USAGE)) == "gzip"
    assert upload_kind(workbook(("S", [["a", "b"], ["1", "2"]]))) == "workbook"
    assert upload_kind(USAGE) == "text"
    (member,) = unpack("report.csv", gzipped(USAGE))  # no .gz in its name: still unpacked
    assert (member.name, member.data) == ("report.csv › report.csv", USAGE)


def test_system_files_and_folders_are_skipped_with_a_note(portfolio: Engine) -> None:
    data = zipped(
        ("reports/", b""),
        ("__MACOSX/reports/._linkedin.csv", b"\x00\x05\x16\x07 resource fork"),
        ("reports/.DS_Store", b"\x00\x00\x00\x01Bud1"),
        ("reports/Thumbs.db", b"\xd0\xcf\x11\xe0 thumbnails"),
        ("reports/linkedin.csv", LINKEDIN),
    )
    (result,) = upload(portfolio, data)
    assert (result.file, result.status) == ("exports.zip › reports/linkedin.csv", "imported")
    skipped = next(d for d in result.decisions if d["topic"] == "archive_skipped")
    assert skipped["skipped"] == [
        "__MACOSX/reports/._linkedin.csv", "reports/.DS_Store", "reports/Thumbs.db",
    ]  # fmt: skip
    assert skipped["message"].startswith("skipped 3 system file(s) in exports.zip, not reports")
    (only_junk,) = upload(portfolio, zipped(("__MACOSX/._a.csv", b"x"), (".DS_Store", b"x")))
    assert (only_junk.file, only_junk.status) == ("exports.zip", "rejected")
    assert messages(only_junk)[0].startswith("the archive holds no files to import")


def test_a_password_protected_file_is_refused_and_the_others_imported(portfolio: Engine) -> None:
    data = with_password_flag(
        zipped(("linkedin.csv", LINKEDIN), ("usage.csv", USAGE)), "linkedin.csv"
    )
    locked, usage = upload(portfolio, data)
    assert locked.status == "rejected"
    assert messages(locked) == [
        "it is password-protected inside the archive; unpack it with its password and import "
        "the file itself"
    ]
    assert (usage.status, usage.rows_imported) == ("imported", 2)


def test_an_archive_inside_an_archive_is_refused(portfolio: Engine) -> None:
    data = zipped(("inner.zip", zipped(("a.csv", USAGE))), ("old.csv.gz", gzipped(USAGE)))
    inner, old = upload(portfolio, data, name="outer.zip")
    assert inner.status == old.status == "rejected"
    assert messages(inner) == [
        "an archive inside an archive is not unpacked: take 'inner.zip' out of 'outer.zip' and "
        "import it on its own"
    ]


def test_a_damaged_archive_is_refused_under_its_own_name(portfolio: Engine) -> None:
    data = zipped(("linkedin.csv", LINKEDIN), ("usage.csv", USAGE))
    before = counts(portfolio)
    (cut,) = upload(portfolio, data[: len(data) // 2])
    assert (cut.file, cut.status) == ("exports.zip", "rejected")
    assert messages(cut) == [
        "this zip archive could not be opened: it is damaged or incomplete; download it again"
    ]
    (gz,) = upload(portfolio, gzipped(LINKEDIN)[:-30], name="linkedin.csv.gz")
    assert messages(gz) == [
        "this gzip file could not be unpacked: it is damaged or incomplete; download it again"
    ]
    assert counts(portfolio) == before


def _zeros_zip(mib: int) -> bytes:
    """A zip holding `mib` MiB of zeros, written a MiB at a time (it compresses ~1,000:1)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("report.csv", "w") as member,
    ):
        for _ in range(mib):
            member.write(bytes(MIB))
    return out.getvalue()


def _zeros_gz(mib: int) -> bytes:
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=0) as packed:
        for _ in range(mib):
            packed.write(bytes(MIB))
    return out.getvalue()


def _unpacked_with_peak(name: str, data: bytes) -> tuple[list[Member], int]:
    tracemalloc.start()
    try:
        members = list(unpack(name, data))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return members, peak


@pytest.mark.parametrize(("name", "build"), [("bomb.zip", _zeros_zip), ("bomb.csv.gz", _zeros_gz)])
def test_a_zip_bomb_is_refused_without_being_unpacked(name: str, build: object) -> None:
    data = build(64)  # type: ignore[operator]
    assert len(data) < 200_000  # 64 MiB of zeros packs to about 64 KB
    (member,) = unpack(name, data)
    assert member.data == b""
    assert member.refusal == (
        "it unpacks to more than 200 times its compressed size once past 10 MiB: a zip bomb, "
        "not a report"
    )
    # The zip is refused on the sizes it declares; a gzip declares none, so it is read until
    # the ratio is passed: about 10 MiB (and one chunk), never the 64 MiB it holds.
    _, peak = _unpacked_with_peak(name, data)
    assert peak < 24 * MIB, peak


def test_each_size_limit_is_enforced_and_named() -> None:
    noise = random.Random(7).randbytes  # incompressible, so no ratio limit applies
    small = Limits(file_bytes=MIB, total_bytes=MIB + MIB // 2)
    big, ok = unpack("a.zip", zipped(("big.csv", noise(2 * MIB)), ("ok.csv", USAGE)), limits=small)
    assert big.refusal == "it unpacks to more than 1 MiB, the most one file may"
    assert ok.refusal is None and ok.data == USAGE
    parts = [(f"p{i}.csv", noise(600 * 1024)) for i in range(3)] + [("last.csv", USAGE)]
    first, second, third, last = unpack("b.zip", zipped(*parts), limits=small)
    assert first.refusal is None and second.refusal is None  # 1.2 MiB so far
    total = (
        "the archive unpacks to more than 1.5 MiB in all, the most one archive may; this file "
        "and those after it are not imported"
    )
    assert third.refusal == last.refusal == total
    (too_many,) = unpack("c.zip", zipped(*parts), limits=Limits(files=3))
    assert too_many.refusal == (
        "the archive holds 4 files; at most 3 are imported from one archive: split it"
    )
    junk = [(f"__MACOSX/._{i}", b"") for i in range(5)]
    (entries,) = unpack("d.zip", zipped(("a.csv", USAGE), *junk), limits=Limits(entries=5))
    assert entries.refusal is not None and entries.refusal.startswith(
        "the archive holds 6 entries; at most 5 are read from one archive"
    )


def test_a_gz_larger_than_the_file_limit_is_refused() -> None:
    noise = random.Random(3).randbytes(3 * MIB)
    (member,) = unpack("big.csv.gz", gzipped(noise), limits=Limits(file_bytes=2 * MIB))
    assert member.refusal == "it unpacks to more than 2 MiB, the most one file may"


def test_a_viewer_is_refused_before_anything_is_unpacked(portfolio: Engine) -> None:
    before = counts(portfolio)
    with pytest.raises(NotAllowedError):
        list(
            import_upload(
                zipped(("a.csv", USAGE)), file_name="a.zip", engine=portfolio, actor=VIEWER
            )
        )
    assert counts(portfolio) == before


def test_import_paths_imports_each_file_of_an_archive(portfolio: Engine, tmp_path: Path) -> None:
    path = tmp_path / "exports.zip"
    path.write_bytes(zipped(("linkedin.csv", LINKEDIN), ("bad.csv", BAD)))
    results = import_paths([path], engine=portfolio, actor=EDITOR)
    assert [(r.file, r.status) for r in results] == [
        ("exports.zip › linkedin.csv", "imported"),
        ("exports.zip › bad.csv", "rejected"),
    ]


def _cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite'}",
        "LP_AS_OF": "2026-11-23",
    }
    return subprocess.run(
        [sys.executable, "-m", "loaders", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip


def test_the_command_line_imports_each_file_of_a_zip(tmp_path: Path) -> None:
    products = tmp_path / "products.csv"
    products.write_bytes(PRODUCTS_CSV)
    archive = tmp_path / "exports.zip"
    archive.write_bytes(
        zipped(
            ("linkedin.csv", LINKEDIN), (".DS_Store", b"x"), ("bad.csv", BAD), ("usage.csv", USAGE)
        )
    )
    done = _cli(tmp_path, str(products), str(archive), "--json")
    assert done.returncode == 1, done.stderr  # one file of the zip was rejected
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [(x["file"], x["status"]) for x in lines] == [
        ("products.csv", "imported"),
        ("exports.zip › linkedin.csv", "imported"),
        ("exports.zip › bad.csv", "rejected"),
        ("exports.zip › usage.csv", "imported"),
    ]
    assert [x["rows_imported"] for x in lines] == [4, 3, 0, 2]
    again = _cli(tmp_path, str(archive))  # readable lines; the imported files are duplicates
    assert again.returncode == 1
    out = again.stdout
    assert "exports.zip › linkedin.csv: duplicate of import 2; nothing changed" in out
    assert "exports.zip › usage.csv: duplicate of import 3; nothing changed" in out
    assert "note: skipped 1 system file(s) in exports.zip, not reports: .DS_Store" in out


def test_an_archive_given_to_import_file_itself_says_where_to_send_it(engine: Engine) -> None:
    data = zipped(("a.csv", USAGE))
    whole = import_file(data, file_name="a.zip", engine=engine, actor=EDITOR)
    assert messages(whole) == [
        "the file is a zip archive; import it on the Import data page or with "
        "`python -m loaders`, which unpack it and import each file in it"
    ]
    cut = import_file(data[:20], file_name="a.zip", engine=engine, actor=EDITOR)
    assert messages(cut) == [
        "this file could not be opened: it is a damaged or incomplete zip archive or Excel "
        "workbook; download or export it again"
    ]


def test_a_zip_whose_directory_names_an_unknown_version_is_refused_not_a_crash(
    portfolio: Engine,
) -> None:
    # Found by the fuzz (a flipped byte): zipfile raises NotImplementedError("zip file version
    # 25.4") while listing; the upload is a damaged archive, refused in words.
    data = bytearray(zipped(("report.csv", PRODUCTS_CSV)))
    directory = data.rfind(b"PK\x01\x02")
    data[directory + 6] = 254  # "version needed to extract": 25.4
    before = counts(portfolio)
    (result,) = import_upload(bytes(data), file_name="x.zip", engine=portfolio, actor=EDITOR)
    assert result.status == "rejected"
    assert "damaged or incomplete" in result.errors[0]["message"]
    assert counts(portfolio) == before
