"""The funding pack as a PDF: the HTML pack laid out as A4 landscape pages, printed by Chromium.

Why Chromium: it is already the browser the static charts need (plotly's
kaleido drives it, DESIGN "Pitfalls"), and it shapes right-to-left text,
emoji and quotes exactly as the HTML pack shows them. The document is
`exports.html_writer.build_document` with ``layout="print"``: the same
content as the HTML file, each section one page, the charts drawn static
by the inline plotly.js and printed as vector graphics (crisp on paper,
black-and-white readable: see `exports.charts`).

Why not one kaleido image per chart: kaleido 1.5 reloads plotly.js in its
tab after every figure, about 0.6 s per chart on these machines (plus 7 s
to start), i.e. about 25 s for the 33 charts of the 15-product sample
portfolio; drawing them in the page that is printed costs one Chromium run
(about 5 s in all).

Pages (`page_count`): the portfolio takes 4 pages (cover with the headline
figures and spend by product; the products table; value delivered and idle
spend; the TDRp report and the assumptions), then, once a roster is
imported, one page of reach by org unit per 28 units
(`exports.html_writer.reach_pages`), the suppliers and renewals page (vendors
compared, renewals to decide, seats to reclaim: one page for the sample
portfolio, more when the rows need them; `exports.html_suppliers.supplier_pages`),
one more when the pack carries a what-if scenario, then one page per product
in pack order. A product whose
texts are unusually long may run over onto a second page.

Fonts: the page asks for DejaVu Sans or Noto Sans (Debian's defaults;
DejaVu covers Latin, Greek, Cyrillic, Hebrew and Arabic) and any other
installed font fills in per character. A symbol that no installed font
can draw (an emoji such as 🚀 without fonts-noto-color-emoji) would print
as an empty box, so it is written as its Unicode name in brackets,
"[rocket]", in the PDF only; fontconfig's `fc-list` says what is covered,
and without it the text is left as it is.

Chromium is the one the caller passes (the `chromium_path` setting,
LP_CHROMIUM), else /usr/bin/chromium, else ``chromium`` on the PATH; this
module reads no environment variable. Without one, `render_pdf` raises
`PdfUnavailableError`; a failed print raises `PdfError`.
"""

from __future__ import annotations

import bisect
import functools
import os
import shutil
import subprocess
import tempfile
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

from exports.html_suppliers import supplier_pages
from exports.html_writer import build_document, reach_pages

__all__ = [
    "PORTFOLIO_PAGES",
    "PdfError",
    "PdfUnavailableError",
    "chromium_path",
    "page_count",
    "print_seconds",
    "render_pdf",
]

PORTFOLIO_PAGES: Final = 4
"""Pages before the first product, without a scenario (see the module notes)."""

_DEFAULT_CHROMIUM: Final = "/usr/bin/chromium"
_TIMEOUT_SECONDS: Final = 180


def print_seconds(pages: int) -> float:
    """About how long Chromium takes to print a pack of `pages` pages on these machines.

    Why: the time grows faster than the pages (Chromium lays the whole document out and
    prints it at once, two charts a product page). Measured on two shared cores since the
    charts are drawn after the document is read (`exports.chart_drawing`): 239 pages
    17-18 s, 641 pages 59 s, 2,062 pages 399 s (before: 205 pages 20 s, 540 pages 71 s,
    2,010 pages 680 s), which 0.06 s a page plus 0.000066 s a page squared follows.
    Chromium is given 180 s plus twice this, so a 2,000-product pack, refused at a fixed
    180 s, prints.

    >>> round(print_seconds(641)), round(print_seconds(2_062))
    (66, 404)
    """
    return 0.06 * pages + 0.000066 * pages**2


_CHROMIUM_FLAGS: Final[tuple[str, ...]] = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--no-first-run",
    "--no-default-browser-check",
    "--mute-audio",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--no-pdf-header-footer",
)


class PdfError(RuntimeError):
    """The PDF could not be made (the message says why, in words for the user)."""


class PdfUnavailableError(PdfError):
    """No Chromium to print the PDF with."""


def chromium_path(configured: str | None) -> str | None:
    """The Chromium to print with: `configured`, else /usr/bin/chromium, else `chromium` on PATH.

    Parameters
    ----------
    configured
        The `chromium_path` setting (LP_CHROMIUM): a path or a name on the
        PATH; None to look in the usual places.

    Returns
    -------
    str or None
        An executable path, or None when none is installed. A `configured`
        browser that is not an executable gives None too (no silent
        fallback to another browser).
    """
    if configured:
        found = shutil.which(configured)
        return found if found else None
    if os.access(_DEFAULT_CHROMIUM, os.X_OK):
        return _DEFAULT_CHROMIUM
    return shutil.which("chromium") or shutil.which("chromium-browser")


def page_count(pack: Mapping[str, Any]) -> int:
    """The number of pages `render_pdf` lays the pack out on.

    Notes
    -----
    ``PORTFOLIO_PAGES`` (4), plus the pages of reach by org unit (none
    without a roster, else one per 28 org units), plus the suppliers and
    renewals pages (none without a vendor, a renewal to decide or seats to
    reclaim, else as many as its rows need: `exports.html_suppliers.supplier_pages`),
    plus 1 when the pack has a scenario, plus one page per product, as long
    as every product's texts fit its one-pager.

    Examples
    --------
    The sample portfolio (16 products, a roster of 8 org units, 7 vendors,
    no scenario): 4 + 1 + 1 + 16 = 22 pages.
    """
    scenario = 1 if pack.get("scenario") else 0
    products = len(pack.get("products") or [])
    return PORTFOLIO_PAGES + reach_pages(pack) + supplier_pages(pack) + scenario + products


def render_pdf(pack: Mapping[str, Any], *, chromium: str | None) -> bytes:
    """The funding pack as a PDF (A4 landscape), printed by headless Chromium.

    Parameters
    ----------
    pack
        A funding pack (`exports.payload.funding_pack`).
    chromium
        The `chromium_path` setting (LP_CHROMIUM), or None: see
        `chromium_path`.

    Returns
    -------
    bytes
        The PDF file.

    Raises
    ------
    PdfUnavailableError
        When no Chromium is installed (see `chromium_path`).
    PdfError
        When Chromium fails, times out or writes no PDF.
    """
    browser = chromium_path(chromium)
    if browser is None:
        where = f" (LP_CHROMIUM={chromium!r} is not an executable)" if chromium else ""
        msg = f"PDF export needs Chromium: install Debian's chromium package{where}"
        raise PdfUnavailableError(msg)
    document = build_document(_printable(pack), layout="print")
    pages = page_count(pack)
    timeout = _TIMEOUT_SECONDS + 2 * print_seconds(pages)
    with tempfile.TemporaryDirectory(prefix="lp-pdf-") as folder:
        work = Path(folder)
        source, target = work / "pack.html", work / "pack.pdf"
        source.write_text(document, encoding="utf-8")
        command = [
            browser,
            *_CHROMIUM_FLAGS,
            f"--user-data-dir={work / 'profile'}",
            f"--crash-dumps-dir={work / 'crashes'}",
            f"--print-to-pdf={target}",
            source.as_uri(),
        ]
        try:
            done = subprocess.run(
                command,
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
                env={**os.environ, "HOME": folder},
            )
        except subprocess.TimeoutExpired as exc:
            msg = f"Chromium did not print the PDF's {pages:,} pages within {timeout:.0f} s"
            raise PdfError(msg) from exc
        except OSError as exc:
            msg = f"Chromium could not start ({browser}): {exc.strerror or exc}"
            raise PdfError(msg) from exc
        if done.returncode != 0 or not target.is_file() or target.stat().st_size == 0:
            last = [line for line in done.stderr.splitlines() if line.strip()][-1:]
            detail = f": {last[0]}" if last else ""
            msg = f"Chromium could not print the PDF (exit {done.returncode}){detail}"
            raise PdfError(msg)
        return target.read_bytes()


_JOINERS: Final = frozenset({0x200D, 0xFE0E, 0xFE0F})
"""Zero-width joiner and variation selectors: parts of an emoji sequence."""


@functools.cache
def _font_coverage() -> tuple[tuple[int, ...], tuple[int, ...]] | None:
    """Code point ranges that some installed font covers, as (starts, ends); None if unknown."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    try:
        done = subprocess.run(
            [fc_list, "--format", "%{charset}\\n"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    ranges: list[tuple[int, int]] = []
    for token in done.stdout.split():
        low, _, high = token.partition("-")
        try:
            ranges.append((int(low, 16), int(high or low, 16)))
        except ValueError:
            continue
    if not ranges:
        return None
    merged: list[list[int]] = []
    for low, high in sorted(ranges):
        if merged and low <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], high)
        else:
            merged.append([low, high])
    return tuple(r[0] for r in merged), tuple(r[1] for r in merged)


def _drawable(char: str, coverage: tuple[tuple[int, ...], tuple[int, ...]]) -> bool:
    starts, ends = coverage
    point = ord(char)
    i = bisect.bisect_right(starts, point) - 1
    return i >= 0 and point <= ends[i]


def _printable_text(text: str) -> str:
    """`text` with each symbol no installed font can draw written as "[its name]"."""
    coverage = _font_coverage()
    if coverage is None or text.isascii():
        return text
    out: list[str] = []
    after_symbol = False
    for char in text:
        point = ord(char)
        if after_symbol and (point in _JOINERS or 0x1F3FB <= point <= 0x1F3FF):
            continue  # the rest of an emoji sequence whose symbol was named
        if unicodedata.category(char) == "So" and not _drawable(char, coverage):
            out.append(f"[{unicodedata.name(char, 'symbol').lower()}]")
            after_symbol = True
            continue
        out.append(char)
        after_symbol = False
    return "".join(out)


def _printable(value: Any) -> Any:
    """The pack with `_printable_text` applied to every string value (keys kept)."""
    if isinstance(value, str):
        return _printable_text(value)
    if isinstance(value, Mapping):
        return {k: _printable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_printable(v) for v in value]
    return value
