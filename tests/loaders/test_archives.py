""".zip and .gz uploads unpacked in memory: what the bytes are, the limits, zip bombs."""

from __future__ import annotations

import gzip
import io
import random
import tracemalloc
import zipfile

import pytest

from loaders.archives import MIB, Limits, Member, unpack, upload_kind
from tests.loaders.workbooks import workbook

USAGE = (
    b"product,learner,content_title,date,minutes\n"
    b"Leadership Academy,ana@acme.example,Module 1,2026-02-03,45\n"
    b"Leadership Academy,ben@acme.example,Module 2,2026-02-04,20\n"
)


def zipped(*files: tuple[str, bytes]) -> bytes:
    """A zip of `files` (a name ending in "/" is a folder), deflated as zip tools do."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files:
            archive.writestr(name, content)
    return out.getvalue()


def gzipped(content: bytes) -> bytes:
    return gzip.compress(content, mtime=0)


def test_archives_are_known_by_their_bytes_not_their_names() -> None:
    assert upload_kind(zipped(("a.csv", USAGE))) == "zip"
    assert upload_kind(gzipped(USAGE)) == "gzip"
    assert upload_kind(workbook(("S", [["a", "b"], ["1", "2"]]))) == "workbook"
    assert upload_kind(USAGE) == "text"
    (member,) = unpack("report.csv", gzipped(USAGE))  # no .gz in its name: still unpacked
    assert (member.name, member.data) == ("report.csv › report.csv", USAGE)


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
