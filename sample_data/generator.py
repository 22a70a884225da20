"""Generate the sample portfolio's files: templates first, then vendor reports.

`generate(as_of)` builds Northwind Group's staff list, runs every product's
story over the 24 months ending in the as-of month, and writes the portfolio
templates (products, contracts, budgets, outcomes, usage, and the people
roster) and the vendor reports (LinkedIn Learning, Udemy Business,
Cornerstone), one per vendor and calendar year. Each part draws from its
own seeded random stream, so the same as-of date and seed always give
byte-identical files.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from loaders.formats.generic import USAGE_TEMPLATE
from loaders.formats.portfolio import BUDGETS, CONTRACTS, OUTCOMES, PEOPLE, PRODUCTS
from metrics.currency import check_currency
from sample_data import portfolio as pf
from sample_data.budgets import budget_rows
from sample_data.catalogues import LINKEDIN_CATALOGUE, UDEMY_CATALOGUE
from sample_data.compliance import campaign
from sample_data.libraries import LibraryRecord, library_year, seat_holders
from sample_data.money import SAMPLE_CURRENCY, written
from sample_data.outcomes import Reach, outcome_rows
from sample_data.people import people_rows
from sample_data.programmes import PROGRAMMES, coaching_app
from sample_data.reports import write_csod, write_csv, write_linkedin, write_udemy
from sample_data.staff import Person, make_staff
from sample_data.timeline import Timeline
from sample_data.usage import Event, usage_rows

__all__ = [
    "DEFAULT_SEED",
    "FILES_DIR",
    "SAMPLE_AS_OF",
    "SAMPLE_DIR",
    "TEMPLATE_FILES",
    "WrittenFile",
    "generate",
    "seed_files",
]

SAMPLE_DIR = Path(__file__).resolve().parent
FILES_DIR = SAMPLE_DIR / "files"
DEFAULT_SEED = 7
SAMPLE_AS_OF = date(2026, 11, 23)
"""The as-of date of the committed files (`make sample`); seeding in another currency uses it."""
TEMPLATE_FILES = (
    "products.csv",
    "contracts.csv",
    "budgets.csv",
    "outcomes.csv",
    "usage.csv",
    "people.csv",
)
REPORT_PATTERN = re.compile(
    r"^(linkedin_learning_learner_detail|udemy_user_course_progress|csod_transcript_report)"
    r"_(\d{4})\.csv$"
)

# The sample files use exactly the columns of the downloadable templates.
PRODUCT_COLUMNS = PRODUCTS.template
CONTRACT_COLUMNS = CONTRACTS.template

# Seat-holder weights by org unit: LinkedIn seats went to office staff, Udemy's to engineers.
_LINKEDIN_UNITS = {"Operations": 0.7, "Customer Service": 0.7}
_LINKEDIN_OFFICE = 3.0
_UDEMY_UNITS = {"Engineering": 10.0, "Finance": 0.6, "Marketing": 0.6, "Operations": 0.3}


@dataclass(frozen=True)
class WrittenFile:
    """A file the generator wrote, with its data rows (title lines and header excluded)."""

    path: Path
    rows: int

    @property
    def size(self) -> int:
        """Size on disk in bytes."""
        return self.path.stat().st_size


def _rng(seed: int, part: str) -> random.Random:
    """An independent, reproducible stream per part (string seeds hash with SHA-512)."""
    return random.Random(f"{seed}:{part}")


def _products(specs: list[pf.ProductSpec]) -> list[dict[str, str | None]]:
    """Rows of products.csv."""
    return [
        {
            "product": s.product,
            "category": s.category,
            "vendor": s.vendor or None,
            "owner": s.owner,
            "sponsor": s.sponsor,
            "target_audience": s.target_audience,
            "lifecycle_stage": s.lifecycle_stage,
            "business_goal": s.business_goal,
            "strategic_fit": str(s.strategic_fit),
            "target_audience_size": str(s.target_audience_size),
            "business_problem": s.business_problem,
            "core": "yes" if s.core else "no",
        }
        for s in specs
    ]


def _contracts(terms: list[pf.ContractTerm], currency: str) -> list[dict[str, str | None]]:
    """Rows of contracts.csv: calendar-year terms, price of a seat for the term, in `currency`."""
    return [
        {
            "product": t.product,
            "vendor": t.vendor,
            "start": f"{t.year}-01-01",
            "end": f"{t.year}-12-31",
            "seats": str(t.seats),
            "price_per_seat": written(t.price_per_seat_pence, currency),
            "currency": currency,
        }
        for t in terms
    ]


def _seats(terms: list[pf.ContractTerm], product: str) -> tuple[int, int]:
    """Seats of `product` in the two budget years."""
    seats = [t.seats for t in terms if t.product == product]
    return seats[0], seats[1]


def _library(
    seed: int,
    name: str,
    staff: list[Person],
    tl: Timeline,
    seats: tuple[int, int],
    unit_weights: dict[str, float],
    **behaviour: float,
) -> list[list[LibraryRecord]]:
    """A library's records per budget year (seat holders carried over between years)."""
    rng = _rng(seed, name)
    taken: set[tuple[str, str]] = set()
    holders: list[Person] = []
    years = []
    for i, year in enumerate(tl.years):
        span = tl.year_span(year)
        holders = seat_holders(rng, staff, unit_weights, holders, seats[i], span[0])
        share = behaviour["active_first"] if i == 0 else behaviour["active_second"]
        years.append(
            library_year(
                rng,
                holders,
                LINKEDIN_CATALOGUE if name == pf.LINKEDIN else UDEMY_CATALOGUE,
                span,
                active_share=share,
                items_mean=behaviour["items_mean"],
                complete_share=behaviour["complete_share"],
                taken=taken,
            )
        )
    return years


def _clear(out: Path) -> None:
    """Remove files an earlier run wrote (another as-of leaves other years' reports)."""
    for path in out.glob("*.csv"):
        if path.name in TEMPLATE_FILES or REPORT_PATTERN.match(path.name):
            path.unlink()


def generate(
    as_of: date,
    out: Path = FILES_DIR,
    seed: int = DEFAULT_SEED,
    *,
    currency: str = SAMPLE_CURRENCY,
) -> list[WrittenFile]:
    """Write the sample portfolio as of `as_of` into `out`.

    Parameters
    ----------
    as_of
        The day the sample is "run": 24 months of history end in its month,
        and no file holds a later date.
    out
        Folder to write to (created if needed). Earlier sample files in it are
        replaced; other files are left alone.
    seed
        Seed of every random stream; the same `as_of` and `seed` give
        byte-identical files.
    currency
        ISO 4217 code the contracts and every amount are written in: the same
        figures with that currency's decimals (`sample_data.money`), so that
        a deployment in any reporting currency can import the sample.

    Returns
    -------
    list[WrittenFile]
        The files in the order they must be imported (see `seed_files`).

    Examples
    --------
    >>> files = generate(date(2026, 11, 23), Path("/tmp/sample"))  # doctest: +SKIP
    >>> [f.path.name for f in files][:2]  # doctest: +SKIP
    ['products.csv', 'contracts.csv']
    """
    currency = check_currency(currency)
    tl = Timeline(as_of)
    out.mkdir(parents=True, exist_ok=True)
    _clear(out)
    staff = make_staff(_rng(seed, "staff"), tl)
    terms = pf.contract_terms(tl)

    events: list[Event] = []
    for product, programme in PROGRAMMES.items():
        events += programme(_rng(seed, f"usage:{product}"), staff, tl)
    coaching_seats = _seats(terms, pf.COACHING)
    events += coaching_app(_rng(seed, f"usage:{pf.COACHING}"), staff, tl, coaching_seats)

    weights = {u: _LINKEDIN_UNITS.get(u, _LINKEDIN_OFFICE) for u in {p.org_unit for p in staff}}
    linkedin = _library(
        seed, pf.LINKEDIN, staff, tl, _seats(terms, pf.LINKEDIN), weights,
        active_first=0.31, active_second=0.27, items_mean=2.6, complete_share=0.3,
    )  # fmt: skip
    udemy = _library(
        seed, pf.TECH_LIBRARY, staff, tl, _seats(terms, pf.TECH_LIBRARY), _UDEMY_UNITS,
        active_first=0.86, active_second=0.83, items_mean=3.0, complete_share=0.33,
    )  # fmt: skip
    csod_rng = _rng(seed, pf.COMPLIANCE)
    transcripts = [campaign(csod_rng, staff, tl, year) for year in tl.years]

    touches: dict[str, list[tuple[str, date]]] = defaultdict(list)
    for e in events:
        touches[e.product].append((e.person.email, e.day))
    for product, years in ((pf.LINKEDIN, linkedin), (pf.TECH_LIBRARY, udemy)):
        for records in years:
            touches[product] += [(r.person.email, r.last_seen) for r in records if r.last_seen]
    for year_rows in transcripts:
        touches[pf.COMPLIANCE] += [(t.person.email, t.completed) for t in year_rows if t.completed]

    written: list[WrittenFile] = []

    def template(name: str, columns: tuple[str, ...], rows: list[dict[str, str | None]]) -> None:
        write_csv(out / name, columns, rows)
        written.append(WrittenFile(out / name, len(rows)))

    template("products.csv", PRODUCT_COLUMNS, _products(pf.product_specs(staff, tl)))
    template("contracts.csv", CONTRACT_COLUMNS, _contracts(terms, currency))
    budgets = budget_rows(_rng(seed, "budgets"), tl, terms, currency)
    template("budgets.csv", BUDGETS.template, budgets)
    outcomes = outcome_rows(tl, Reach(dict(touches)), seed, currency)
    template("outcomes.csv", OUTCOMES.template, outcomes)
    template("usage.csv", USAGE_TEMPLATE.template, usage_rows(events))
    template("people.csv", PEOPLE.template, people_rows(_rng(seed, "people"), staff))

    for i, year in enumerate(tl.years):
        run_on = min(date(year + 1, 1, 5), tl.as_of)
        path = out / f"csod_transcript_report_{year}.csv"
        written.append(WrittenFile(path, write_csod(path, transcripts[i], run_on)))
        path = out / f"linkedin_learning_learner_detail_{year}.csv"
        written.append(WrittenFile(path, write_linkedin(path, linkedin[i])))
        path = out / f"udemy_user_course_progress_{year}.csv"
        written.append(WrittenFile(path, write_udemy(path, udemy[i], tl.year_span(year)[1])))
    return written


def _report_key(path: Path) -> tuple[int, str]:
    """Sort vendor reports by the year in their name, then by name."""
    match = re.search(r"(\d{4})", path.name)
    return (int(match.group(1)) if match else 0, path.name)


def seed_files(folder: Path = FILES_DIR) -> list[Path]:
    """The sample files in `folder`, in the order they must be imported.

    Templates first (products, contracts, budgets, outcomes, usage: a product
    must exist before anything refers to it; then the people roster, which
    names no product and is matched to learners by key whatever the order),
    then the vendor reports, oldest first, so that each snapshot supersedes
    the one before it.

    Returns
    -------
    list[Path]
        Only files that exist; empty when the folder holds none.
    """
    templates = [folder / name for name in TEMPLATE_FILES if (folder / name).is_file()]
    reports = sorted(
        (p for p in folder.glob("*.csv") if p.name not in TEMPLATE_FILES),
        key=_report_key,
    )
    return templates + reports
