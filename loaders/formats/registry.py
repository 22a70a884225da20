"""Choosing the format of a file from its header, and nothing else.

Every registered `Format` whose required headers are all present is a
candidate; the one with the most required headers wins (it is the most
specific), then the one using the most optional headers. `--vendor` prefers
that vendor's formats. When nothing matches, the closest format names the
columns it is missing, so "missing required column" reads as a precise
message rather than "unknown format".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from loaders.errors import ErrorLog, Rejected
from loaders.formats.base import Format, Header, flatten
from loaders.reading import HeaderTest

__all__ = ["Detection", "detect", "header_test", "vendor_display_name"]


@dataclass(frozen=True)
class Detection:
    """The chosen format and the vendor the import is recorded under (None: no vendor)."""

    format: Format
    vendor: str | None


def _score(fmt: Format, headers: set[str]) -> tuple[int, int]:
    optional = sum(1 for h in fmt.optional if h in headers)
    return (len(fmt.required), optional)


def vendor_display_name(vendor: str, formats: Sequence[Format]) -> str:
    """The registered display name for a vendor alias ("csod" -> "Cornerstone"), else as given."""
    for fmt in formats:
        if fmt.vendor and fmt.serves(vendor):
            return fmt.vendor
    return vendor.strip()


def _describe(header: Header) -> str:
    options = flatten([header])
    if len(options) == 1:
        return f"missing required column '{options[0]}'"
    return "missing a required column: one of " + ", ".join(f"'{o}'" for o in options)


def _no_match(headers: set[str], formats: Sequence[Format], what: str) -> Rejected:
    """Reject with the closest format's missing columns, else an "unknown format" message."""
    best: tuple[float, Format] | None = None
    for fmt in formats:
        present = len(fmt.required) - len(fmt.missing(headers))
        share = present / len(fmt.required)
        if present >= 2 and share >= 0.5 and (best is None or share > best[0]):
            best = (share, fmt)
    log = ErrorLog()
    if best is not None:
        fmt = best[1]
        for header in fmt.missing(headers):
            log.add(f"{_describe(header)} (the file looks like a {fmt.title})")
        return Rejected(log)
    shown = ", ".join(sorted(headers)[:12]) or "none"
    more = f" and {len(headers) - 12} more" if len(headers) > 12 else ""
    known = "; ".join(f.title for f in formats)
    log.add(
        f"{what} whose columns ({shown}{more}) match no known format. If it is a vendor's "
        "report, map its columns once on the Import page (it is recognised from then on); if "
        f"it is a template, give it the template's headers. Known formats: {known}"
    )
    log.unrecognised = True
    return Rejected(log)


def detect(
    headers: Sequence[str],
    *,
    formats: Sequence[Format],
    vendor: str | None = None,
    what: str = "a file",
) -> Detection:
    """Pick the format for a file's normalised headers.

    Parameters
    ----------
    headers
        The header row, normalised (`reading.normalise_header`).
    formats
        The registry (plus any user-saved mappings).
    vendor
        The user's `--vendor`: prefers that vendor's formats among the
        candidates, and becomes the import's vendor (used for routing), even
        for a format declared by another vendor (a reseller's copy of it).
    what
        What the file looks like ("a CSV file"), for the message when no
        format matches.

    Raises
    ------
    Rejected
        When no format matches, or two match equally well and `--vendor`
        does not tell them apart.
    """
    present = set(headers)
    candidates = [f for f in formats if not f.missing(present)]
    if not candidates:
        raise _no_match(present, formats, what)
    if vendor:
        own = [f for f in candidates if f.serves(vendor)]
        candidates = own or candidates
    candidates.sort(key=lambda f: _score(f, present), reverse=True)
    best = candidates[0]
    ties = [f for f in candidates[1:] if _score(f, present) == _score(best, present)]
    if ties:
        names = " and ".join(f.title for f in [best, *ties])
        msg = f"the columns match {names} equally well; pass --vendor to choose"
        raise Rejected.single(msg)
    if vendor:
        # Forced: routing then looks for products naming this vendor (DESIGN.md, "Routing").
        return Detection(best, vendor_display_name(vendor, formats))
    return Detection(best, best.vendor)


def header_test(formats: Sequence[Format]) -> HeaderTest:
    """Build the header test `reading.read_table` uses to skip title lines."""

    def is_header(cells: Sequence[str]) -> bool:
        present = set(cells)
        return any(not f.missing(present) for f in formats)

    return is_header
