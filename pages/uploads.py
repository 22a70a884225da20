"""The Import page's uploads as files to import: each file of a `.zip`/`.gz` on its own.

Why a module: the page previews, maps and imports file by file, and an
archive is many files. Unpacking (`loaders.archives.unpack`, in memory,
within its limits) is done once per upload and kept in the session while
the upload is on the page, since Streamlit reruns the page on every click
and inflating a large archive each time would be slow.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from loaders.archives import Member, unpack, upload_kind

__all__ = ["ToImport", "to_import"]

_CACHE = "import.unpacked"


@dataclass(frozen=True)
class ToImport:
    """One file the page previews and imports.

    `key` is the upload's id for a file uploaded as it is (so its preview
    and mapping form keep their keys), and ``<upload id>/<n>`` for the n-th
    file of an archive.
    """

    key: str
    member: Member


def to_import(files: Sequence[UploadedFile]) -> list[ToImport]:
    """Every file on the page, archives unpacked, in upload order then archive order."""
    cache: dict[str, list[Member]] = st.session_state.setdefault(_CACHE, {})
    on_page = {f.file_id for f in files}
    for gone in [k for k in cache if k not in on_page]:
        del cache[gone]
    out: list[ToImport] = []
    for f in files:
        data = f.getvalue()
        if upload_kind(data) not in ("zip", "gzip"):
            out.append(ToImport(f.file_id, Member(f.name, data)))
            continue
        if f.file_id not in cache:
            cache[f.file_id] = list(unpack(f.name, data))
        out.extend(ToImport(f"{f.file_id}/{i}", m) for i, m in enumerate(cache[f.file_id]))
    return out
