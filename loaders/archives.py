"""What an upload's bytes are, and `.zip`/`.gz` uploads unpacked in memory, file by file.

Admins download reports from vendor portals as archives: a `.zip` of
monthly CSVs, a `.csv.gz`. Each file in an archive is imported as a file
of its own (its own result, its own content hash so a re-import is a
duplicate, its refusal stopping no other), named ``exports.zip › a.csv``.

The bytes decide what a file is, never its name: a gzip starts with the
bytes 1f 8b, a zip with 50 4b 03 04 ("PK"). An `.xlsx` workbook is a zip
too; it is told apart by its parts (``xl/workbook.xml``) and read as a
workbook, not unpacked.

An archive is hostile until unpacked: `Limits` bounds what one may hold,
checked against the sizes the archive declares first and again while each
file is inflated (declared sizes can lie), so a zip bomb is refused once
10 MiB of it are out, never unpacked in full.
"""

from __future__ import annotations

import gzip
import io
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any, Literal

from loaders.result import ImportResult, decision

__all__ = [
    "LIMITS",
    "SEPARATOR",
    "Limits",
    "Member",
    "UploadKind",
    "unpack",
    "upload_kind",
]

MIB = 1024 * 1024
SEPARATOR = " › "
"""Between an archive's name and a file's path in it: ``exports.zip › linkedin.csv``."""

UploadKind = Literal["text", "workbook", "document", "zip", "gzip"]


@dataclass(frozen=True)
class Limits:
    """What one archive may hold; past any limit the file (or the archive) is refused.

    Why these numbers: the upload page takes at most 250 MiB (its
    `server.maxUploadSize`) and holds uploads in memory, so an archive may
    unpack to a few times that, never to what fills the machine.

    Attributes
    ----------
    files
        Files to import from one archive (200: a year of monthly reports
        from a dozen vendors, with room to spare).
    entries
        Entries of every kind (folders and skipped files included), read
        from the archive's end record before its directory is parsed: a zip
        of a million empty entries costs memory just to list.
    file_bytes
        One file unpacked (512 MiB: twice the largest CSV the page takes).
    total_bytes
        All files of one archive unpacked (1 GiB).
    ratio, ratio_from
        A file that has unpacked more than `ratio_from` bytes (10 MiB) at
        more than `ratio` times its compressed size (200:1) is a zip bomb:
        real CSV exports compress 5 to 50 times; 50 MiB of zeros, 1,000.
    """

    files: int = 200
    entries: int = 1_000
    file_bytes: int = 512 * MIB
    total_bytes: int = 1024 * MIB
    ratio: int = 200
    ratio_from: int = 10 * MIB


LIMITS = Limits()

_ZIP = b"PK\x03\x04"
_GZIP = b"\x1f\x8b"
_BOM = b"\xef\xbb\xbf"  # an editor's or a mail client's mark put before a gzip spoils it
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and any Office file saved with a password
_END = b"PK\x05\x06"  # a zip's end-of-central-directory record
_END64_LOCATOR = b"PK\x06\x07"
_END64 = b"PK\x06\x06"
_CHUNK = MIB
_HEAD = 64 * 1024
_WORKBOOK = "xl/workbook.xml"
_OFFICE_PARTS = ("[Content_Types].xml", "mimetype")  # every OOXML and OpenDocument package
_JUNK_NAMES = frozenset({"thumbs.db", "ehthumbs.db", "desktop.ini"})
DOCUMENT = (
    "the file is an Office or OpenDocument file but not an Excel .xlsx or .xls workbook "
    "(a Word or PowerPoint file, an .xlsb or .ods workbook); save the data as .xlsx or CSV"
)
_DAMAGED_ZIP = (
    "this zip archive could not be opened: it is damaged or incomplete; download it again"
)
_DAMAGED_GZIP = (
    "this gzip file could not be unpacked: it is damaged or incomplete; download it again"
)


def _entry_count(data: bytes) -> int | None:
    """Entries the zip's end record declares (zip64 included); None without a readable one."""
    at = data.rfind(_END, max(0, len(data) - 65_557))  # the record (22) and its comment (64 KiB)
    if at < 0 or len(data) < at + 22:
        return None
    (count,) = struct.unpack_from("<H", data, at + 10)
    if count != 0xFFFF:
        return count
    locator = at - 20
    if locator < 0 or data[locator : locator + 4] != _END64_LOCATOR:
        return None
    (offset,) = struct.unpack_from("<Q", data, locator + 8)
    if data[offset : offset + 4] != _END64 or len(data) < offset + 40:
        return None
    (count64,) = struct.unpack_from("<Q", data, offset + 32)
    return int(count64)


def _open_zip(data: bytes) -> zipfile.ZipFile | None:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    # A damaged directory raises what zipfile's reading of it meets: an unknown version
    # (NotImplementedError), a short record (struct.error), a bad name (a ValueError)...
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        NotImplementedError,
        struct.error,
        OSError,
        ValueError,
        EOFError,
    ):
        return None


def upload_kind(data: bytes, *, limits: Limits = LIMITS) -> UploadKind:
    """What `data` is, from its bytes: text (CSV, JSON), a workbook, an Office document, an archive.

    A zip is a workbook when it holds ``xl/workbook.xml``, another Office
    document when it holds a package's parts, else an archive of files. A
    zip too damaged to list is a workbook when its first parts (read from
    its start) are a package's: it is then refused as a damaged workbook.
    An OLE2 file is an `.xls` workbook or a password-protected one.
    """
    if data.startswith(_GZIP) or data.startswith(_BOM + _GZIP):  # a BOM before it: damaged
        return "gzip"
    if data.startswith(_OLE2):
        return "workbook"
    if not data.startswith(_ZIP):
        return "text"
    count = _entry_count(data)
    if count is not None and count > limits.entries:
        return "zip"  # refused as too many entries by `unpack`, never listed here
    archive = _open_zip(data) if count is not None else None
    if archive is None:
        head = data[:_HEAD]
        return "workbook" if any(p.encode() in head for p in _OFFICE_PARTS) else "zip"
    names = set(archive.namelist())
    if _WORKBOOK in names:
        return "workbook"
    return "document" if any(p in names for p in _OFFICE_PARTS) else "zip"


@dataclass(frozen=True)
class Member:
    """One file to import: an upload as it is, or one file unpacked from an archive.

    `refusal` says why it is not imported (a limit passed, a password, an
    archive inside the archive); `notes` are decisions added to its result
    ("unpacked from exports.zip", the entries skipped).
    """

    name: str
    data: bytes = b""
    refusal: str | None = None
    notes: tuple[dict[str, Any], ...] = ()

    def rejected(self) -> ImportResult:
        """The result of a refused member: rejected with its reason, nothing imported."""
        result = ImportResult(file=self.name, status="rejected")
        result.errors = [{"row": None, "column": None, "message": self.refusal or ""}]
        result.errors_total = 1
        result.decisions = list(self.notes)
        return result

    def annotate(self, result: ImportResult) -> ImportResult:
        """`result` with this member's notes first among its decisions."""
        result.decisions[:0] = self.notes
        return result


class _TooBig(Exception):  # noqa: N818  (a refusal carried out of the inflate loop)
    """A limit passed; `whole_archive` when it is the archive's total, which ends the unpacking."""

    def __init__(self, message: str, *, whole_archive: bool = False) -> None:
        super().__init__(message)
        self.whole_archive = whole_archive


class _Unreadable(Exception):  # noqa: N818  (a refusal carried out of the zip reader)
    """A file in a zip that cannot be read: a password, an unknown method, damage."""


def _mib(n: int) -> str:
    """A limit in MiB or GiB, as people read them: "512 MiB", "1 GiB", "1.5 MiB"."""
    unit, size = ("GiB", n / (1024 * MIB)) if n >= 1024 * MIB else ("MiB", n / MIB)
    return f"{size:,.0f} {unit}" if size == int(size) else f"{size:,.1f} {unit}"


def _too_big_file(limits: Limits) -> _TooBig:
    return _TooBig(f"it unpacks to more than {_mib(limits.file_bytes)}, the most one file may")


def _too_big_archive(limits: Limits) -> _TooBig:
    msg = (
        f"the archive unpacks to more than {_mib(limits.total_bytes)} in all, the most one "
        "archive may; this file and those after it are not imported"
    )
    return _TooBig(msg, whole_archive=True)


def _zip_bomb(limits: Limits) -> _TooBig:
    msg = (
        f"it unpacks to more than {limits.ratio} times its compressed size once past "
        f"{_mib(limits.ratio_from)}: a zip bomb, not a report"
    )
    return _TooBig(msg)


def _inflate(stream: IO[bytes], *, packed: int, budget: int, limits: Limits) -> bytes:
    """Read `stream` to its end in chunks, refusing the moment a limit is passed.

    `packed` is the compressed size the ratio is taken against; `budget` the
    bytes the archive may still unpack in all. At most one chunk (1 MiB)
    past a limit is ever read, so a bomb costs the memory of `ratio_from`.
    """
    out = io.BytesIO()  # getvalue() hands its buffer over without a copy
    size = 0
    while chunk := stream.read(_CHUNK):
        size += len(chunk)
        if size > limits.file_bytes:
            raise _too_big_file(limits)
        if size > budget:
            raise _too_big_archive(limits)
        if size > limits.ratio_from and size > limits.ratio * max(packed, 1):
            raise _zip_bomb(limits)
        out.write(chunk)
    return out.getvalue()


def _is_junk(path: str) -> bool:
    """System files zip tools add: `__MACOSX/`, dot-files (`.DS_Store`), `Thumbs.db`."""
    parts = [p for p in path.replace("\\", "/").split("/") if p]
    return any(p.startswith(".") or p == "__MACOSX" for p in parts) or (
        bool(parts) and parts[-1].casefold() in _JUNK_NAMES
    )


def _nested(data: bytes) -> bool:
    """An archive (zip, gzip, tar) rather than a file to import."""
    return upload_kind(data) in ("zip", "gzip") or data[257:262] == b"ustar"


def _nested_refusal(archive: str, inner: str) -> str:
    return (
        f"an archive inside an archive is not unpacked: take '{inner}' out of '{archive}' "
        "and import it on its own"
    )


def _skipped_note(archive: str, junk: list[str]) -> dict[str, Any]:
    shown = ", ".join(junk[:10]) + (f" and {len(junk) - 10} more" if len(junk) > 10 else "")
    return decision(
        "archive_skipped",
        f"skipped {len(junk)} system file(s) in {archive}, not reports: {shown}",
        value=len(junk),
        skipped=junk[:50],
    )


def _zip_file(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    *,
    spent: int,
    archive_size: int,
    limits: Limits,
) -> bytes:
    """One file of `archive`, inflated within the limits (`spent`: bytes unpacked before it)."""
    if info.flag_bits & 0x1:
        msg = (
            "it is password-protected inside the archive; unpack it with its password and "
            "import the file itself"
        )
        raise _Unreadable(msg)
    # Refused on the sizes the archive declares, before anything is inflated ...
    if info.file_size > limits.file_bytes:
        raise _too_big_file(limits)
    if spent + info.file_size > limits.total_bytes:
        raise _too_big_archive(limits)
    packed = min(info.compress_size, archive_size)  # no honest file is packed larger
    if info.file_size > limits.ratio_from and info.file_size > limits.ratio * max(packed, 1):
        raise _zip_bomb(limits)
    # ... and again while inflating, since declared sizes can lie.
    try:
        with archive.open(info) as stream:
            return _inflate(stream, packed=packed, budget=limits.total_bytes - spent, limits=limits)
    except NotImplementedError:
        msg = (
            "it is compressed in a way this importer cannot unpack; zip it again with "
            "ordinary (deflate) compression"
        )
        raise _Unreadable(msg) from None
    except (zipfile.BadZipFile, zlib.error, struct.error, OSError, EOFError, ValueError):
        raise _Unreadable("it is damaged inside the archive; zip the file again") from None


def _zip_members(name: str, data: bytes, limits: Limits) -> Iterator[Member]:
    count = _entry_count(data)
    archive = _open_zip(data) if count is not None else None
    if archive is None or count is None:
        yield Member(name, refusal=_DAMAGED_ZIP)
        return
    if count > limits.entries:
        msg = (
            f"the archive holds {count:,} entries; at most {limits.entries:,} are read from "
            "one archive (folders and system files included): split it"
        )
        yield Member(name, refusal=msg)
        return
    infos = [i for i in archive.infolist() if not i.is_dir()]
    junk = [i.filename for i in infos if _is_junk(i.filename)]
    files = [i for i in infos if not _is_junk(i.filename)]
    if not files:
        extra = f" (only system files: {', '.join(junk[:10])})" if junk else ""
        yield Member(name, refusal=f"the archive holds no files to import{extra}")
        return
    if len(files) > limits.files:
        msg = (
            f"the archive holds {len(files):,} files; at most {limits.files:,} are imported "
            "from one archive: split it"
        )
        yield Member(name, refusal=msg)
        return
    spent = 0
    over: str | None = None  # the archive's total passed: the files after it are refused too
    for i, info in enumerate(files):
        label = f"{name}{SEPARATOR}{info.filename}"
        notes = [decision("archive", f"unpacked from {name}", archive=name, path=info.filename)]
        if i == 0 and junk:
            notes.append(_skipped_note(name, junk))
        if over is not None:
            yield Member(label, refusal=over, notes=tuple(notes))
            continue
        try:
            body = _zip_file(archive, info, spent=spent, archive_size=len(data), limits=limits)
        except _TooBig as exc:
            over = str(exc) if exc.whole_archive else None
            yield Member(label, refusal=str(exc), notes=tuple(notes))
            continue
        except _Unreadable as exc:
            yield Member(label, refusal=str(exc), notes=tuple(notes))
            continue
        spent += len(body)
        if _nested(body):
            yield Member(label, refusal=_nested_refusal(name, info.filename), notes=tuple(notes))
            continue
        yield Member(label, body, notes=tuple(notes))


def _inner_name(name: str) -> str:
    """The name of the file a gzip holds: its own name without `.gz` (a `.tgz` holds a `.tar`)."""
    lower = name.casefold()
    if lower.endswith(".tgz"):
        return name[:-4] + ".tar"
    if lower.endswith(".gz"):
        return name[:-3]
    return name


def _gzip_member(name: str, data: bytes, limits: Limits) -> Member:
    inner = _inner_name(name)
    label = f"{name}{SEPARATOR}{inner}"
    notes = (decision("archive", f"unpacked from {name}", archive=name, path=inner),)
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            body = _inflate(stream, packed=len(data), budget=limits.total_bytes, limits=limits)
    except _TooBig as exc:
        return Member(label, refusal=str(exc), notes=notes)
    except (OSError, EOFError, zlib.error):  # gzip.BadGzipFile is an OSError
        return Member(label, refusal=_DAMAGED_GZIP, notes=notes)
    if _nested(body):
        return Member(label, refusal=_nested_refusal(name, inner), notes=notes)
    return Member(label, body, notes=notes)


def unpack(name: str, data: bytes, *, limits: Limits = LIMITS) -> Iterator[Member]:
    """The files to import in one upload: itself, or each file of a `.zip` or `.gz`.

    Files are unpacked one at a time as the iterator is read, so a caller
    that imports each before asking for the next holds one file in memory
    besides the archive. A refusal (a limit, a password, an archive inside
    the archive) is that file's `Member.refusal`; a damaged or over-full
    archive is one refused member named after the archive. Folders and
    system files (`__MACOSX/`, `.DS_Store`, `Thumbs.db`) are skipped, and
    the first file's notes say so. An archive in an archive is refused,
    not unpacked: one level is what export tools produce.
    """
    kind = upload_kind(data, limits=limits)
    if kind == "zip":
        yield from _zip_members(name, data, limits)
    elif kind == "gzip":
        yield _gzip_member(name, data, limits)
    else:
        yield Member(name, data)
