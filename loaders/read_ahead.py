"""A command's first file, read while the rest of the program loads.

Why: `python -m loaders FILE` spends about half a second loading SQLAlchemy,
SQLModel and the tables before it can ask the database anything, and reading
a million-row report (its bytes, their SHA-256, the CSV parse) takes about as
long again and needs none of them. `start` reads the file in a thread, begun
before those modules load; the command hands what it read to
`loaders.pipeline.import_upload`, which uses it only where it is what the
import would have read itself (`ReadAhead.table_for`) and reads the file
again otherwise. So what is imported never depends on this module, only
how soon.

Only the standard library, polars and the readers (`loaders.sniff`, the
formats' header test) may be imported here: a test checks that loading this
module loads neither SQLAlchemy nor SQLModel.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from polars.exceptions import PanicException

from loaders.archives import upload_kind
from loaders.formats import FORMATS, Format, header_test
from loaders.lines import STREAM_BYTES
from loaders.reading import Table
from loaders.sniff import read_upload

__all__ = ["Pending", "ReadAhead", "start"]


@dataclass(frozen=True)
class ReadAhead:
    """One file as read ahead: its bytes, their SHA-256 and, when it parsed, its table.

    `table` is None for an archive (its files are hashed and read one by
    one as it is unpacked) and for a file the reader refused: the import
    reads it again and refuses it with its own message.
    """

    data: bytes
    digest: str
    formats: tuple[Format, ...]
    table: Table | None

    def table_for(self, formats: Sequence[Format]) -> Table | None:
        """The table, when its header was looked for with the test of exactly `formats`.

        Why: the header row is the first that some format's columns fill
        (`loaders.formats.header_test`), and a user's saved column mappings
        add formats; read with fewer, the header might have been another row.
        """
        same = len(formats) == len(self.formats) and all(
            a is b for a, b in zip(formats, self.formats, strict=True)
        )
        return self.table if same else None


class Pending:
    """A file being read in a thread; `take()` waits for it."""

    def __init__(self, path: Path) -> None:
        self._result: ReadAhead | None = None
        # A daemon: a command that stops early (bad settings) does not wait for the read.
        self._thread = threading.Thread(
            target=self._run, args=(path,), name="read-ahead", daemon=True
        )
        self._thread.start()

    def take(self) -> ReadAhead | None:
        """What was read, handed over once; None when nothing was read (see `start`).

        Why once: the caller's import holds the bytes and the table as long as
        it needs them, and this object must not keep them for the files after.
        """
        self._thread.join()
        result, self._result = self._result, None
        return result

    def _run(self, path: Path) -> None:
        try:
            self._result = _read(path)
        except Exception:  # nothing read ahead: the import reads the file and says what failed
            self._result = None


def start(path: Path) -> Pending:
    """Begin reading `path` in a thread, for `import_upload(..., read_ahead=...)`.

    Nothing is read (the result is None) when the file is not a regular
    file, is large enough to be streamed (`loaders.lines.STREAM_BYTES`), or
    cannot be opened: the import then does what it always does.
    """
    return Pending(path)


def _read(path: Path) -> ReadAhead | None:
    try:
        if not path.is_file() or path.stat().st_size >= STREAM_BYTES:
            return None
        data = path.read_bytes()
    except OSError:
        return None
    # hashlib lets go of the GIL over a large buffer: the hash runs beside the parse.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="read-ahead-hash") as pool:
        digest = pool.submit(_sha256, data)
        table = None if upload_kind(data) in ("zip", "gzip") else _table(data)
    return ReadAhead(data, digest.result(), FORMATS, table)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _table(data: bytes) -> Table | None:
    """The file read as `import_file` reads it with the built-in formats; None if it fails."""
    try:
        return read_upload(data, is_header=header_test(FORMATS))
    except (Exception, PanicException):  # any refusal or fault is the import's to report
        return None
