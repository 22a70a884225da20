"""How long each page's script run takes on a large portfolio, cold and warm.

Builds (deterministically) a SQLite database of `--products` products (default
200) and `--rows` usage records (default 1,000,000) through the real import
path, then runs every page of the app with streamlit's AppTest, twice: cold
(caches cleared) and warm (the second run, caches filled). Before the pages it
times the floor a cold page is held to: reading the year's usage facts once
(`models.frames.usage_frame`) and grouping them once. The last lines are the
floor, the load average, one line per page and the slowest page. A page's
`peak_rss_mb` is this process's peak so far (the floor's read included), so
the first page that raises it is the one that needs that much:

    floor read_s=0.98 group_s=0.03 floor_s=1.01
    page=overview cold_s=1.90 warm_s=0.08 floor_ratio=1.88 peak_rss_mb=1450
    slowest page=suppliers cold_s=1.95 floor_ratio=1.93

Targets: floor_ratio <= 2 and warm_s <= 1 s for every page. Usage: `python
bench/pages_bench.py [--products N] [--rows N] [--keep DIR] [--reuse DIR]
[--pages NAME,...] [--pack N,N... [--repeat N]] [--database-url URL [--database-url URL]]`.
`--database-url` times the pages on that database (PostgreSQL or SQLite),
building the bench portfolio there when it is empty; given twice, both are
timed in one run and each page's cold time compared (`compare page=…
postgresql/sqlite cold_ratio=…`). `--reuse DIR` builds the database in DIR on the first run
and times the pages on it, unbuilt, on later runs (the build takes about 20 s
at 1M rows).

`--pack 200,2000` times the JSON funding pack alone instead of the pages: for
each product count, in one run, it builds a database of that many products
and `--rows` usage rows (in `--reuse DIR`/pack-N when given, reused on later
runs), then `--repeat` times (default 3), the sizes in turn, reads the pack's
frames (`models.frames.pack_frames`) and builds the pack
(`exports.build.pack_for`, then the JSON writer) from them, with no cache;
it prints each size's fastest read and build and the growth against the
first size:

    pack products=200 rows=1000000 read_s=3.52 cold_s=1.86
    pack products=2000 rows=1000000 read_s=3.66 cold_s=5.20
    pack growth products=2000/200 cold_ratio=2.79
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

AS_OF = "2026-11-23"
YEAR = 2026
SEED = 20261123
CATEGORIES = ("content_library", "academy", "programme", "compliance", "coaching", "platform")
STAGES = ("pilot", "growth", "mature", "decline", "retiring")
# Page file, as registered in app.py, and the name printed for it.
PAGES = (
    ("pages/overview.py", "overview"),
    ("pages/product.py", "product"),
    ("pages/plan_actual.py", "plan_actual"),
    ("pages/suppliers.py", "suppliers"),
    ("pages/prioritise.py", "prioritise"),
    ("pages/funding_review.py", "funding_review"),
    ("pages/import_data.py", "import_data"),
)


def _portfolio_files(folder: Path, n_products: int, rows: int) -> list[Path]:
    """Write products, contracts, budgets, outcomes and a usage.csv of `rows` rows."""
    rng = np.random.default_rng(SEED)
    names = [f"Product {i:03d}" for i in range(n_products)]
    licensed = names[: n_products // 4]
    pl.DataFrame(
        {
            "product": names,
            "category": [CATEGORIES[i % len(CATEGORIES)] for i in range(n_products)],
            "vendor": [f"Vendor {i:03d}" if n in licensed else None for i, n in enumerate(names)],
            "owner": ["L&D"] * n_products,
            "sponsor": ["COO"] * n_products,
            "target_audience": ["Staff"] * n_products,
            "lifecycle_stage": [STAGES[i % len(STAGES)] for i in range(n_products)],
            "business_goal": ["Productivity"] * n_products,
            "strategic_fit": rng.integers(1, 6, n_products).tolist(),
            "target_audience_size": rng.integers(200, 20_000, n_products).tolist(),
        }
    ).write_csv(folder / "products.csv")
    pl.DataFrame(
        {
            "product": licensed,
            "vendor": [f"Vendor {names.index(n):03d}" for n in licensed],
            "start": [f"{YEAR}-01-01"] * len(licensed),
            "end": [f"{YEAR}-12-31"] * len(licensed),
            "seats": rng.integers(100, 5_000, len(licensed)).tolist(),
            "price_per_seat": [f"{p:.2f}" for p in rng.uniform(20, 300, len(licensed))],
            "currency": ["GBP"] * len(licensed),
        }
    ).write_csv(folder / "contracts.csv")
    months = [f"{y}-{m:02d}" for y in (YEAR - 1, YEAR) for m in range(1, 13)]
    budget = (
        pl.DataFrame({"product": names})
        .join(pl.DataFrame({"month": months}), how="cross")
        .join(pl.DataFrame({"cost_category": ["licence", "delivery", "overhead"]}), how="cross")
    )
    plan = rng.uniform(100, 20_000, budget.height)
    past = budget["month"] < "2026-11"
    budget = budget.with_columns(
        plan=pl.Series([f"{p:.2f}" for p in plan]),
        actual=pl.when(past).then(pl.Series([f"{p * 1.05:.2f}" for p in plan])),
    )
    budget.write_csv(folder / "budgets.csv")
    levels = pl.DataFrame(
        {
            "product": names,
            "period": [f"{YEAR}-06"] * n_products,
            "level": [4] * n_products,
            "measure": ["Errors avoided"] * n_products,
            "value": rng.uniform(50, 200, n_products).round(1).tolist(),
            "n": rng.integers(20, 400, n_products).tolist(),
            "baseline": [40.0] * n_products,
            "unit_value": ["150.00"] * n_products,
            "attribution_pct": [50] * n_products,
            "confidence_pct": [70] * n_products,
        }
    )
    levels.write_csv(folder / "outcomes.csv")
    learners = rng.integers(0, 60_000, rows)
    content = rng.integers(0, 40, rows)
    product = rng.integers(0, n_products, rows)
    start = date(YEAR - 1, 12, 1)
    days = rng.integers(0, (date(YEAR, 10, 31) - start).days, rows)
    usage = (
        pl.DataFrame(
            {
                "p": product,
                "l": learners,
                "c": content,
                "d": days,
                "minutes": rng.integers(0, 120, rows),
                "progress_pct": rng.integers(0, 101, rows),
            }
        )
        .select(
            product=pl.format("Product {}", pl.col("p").cast(pl.String).str.zfill(3)),
            learner=pl.format("person{}@bench.example", "l"),
            content_id=pl.format("C{}-{}", "p", "c"),
            content_title=pl.format("Course {}", "c"),
            date=pl.lit(start) + pl.duration(days=pl.col("d")),
            minutes="minutes",
            progress_pct="progress_pct",
        )
        .with_columns(
            completed=pl.when(pl.col("progress_pct") == 100)
            .then(pl.lit("yes"))
            .otherwise(pl.lit("no")),
        )
    )
    usage = usage.unique(subset=["product", "learner", "content_id", "date"], keep="first")
    usage.write_csv(folder / "usage.csv", date_format="%Y-%m-%d")
    return [
        folder / f
        for f in ("products.csv", "contracts.csv", "budgets.csv", "outcomes.csv", "usage.csv")
    ]


def build_database(folder: Path, n_products: int, rows: int, url: str | None = None) -> str:
    """A database (`url`, else a SQLite file in `folder`) filled through the real import.

    Returns its URL. `folder` holds the generated files either way.
    """
    from loaders import import_paths
    from models import make_engine
    from models.access import command_line_actor
    from settings import get_settings

    url = url or f"sqlite:///{folder / 'bench.sqlite'}"
    os.environ["DATABASE_URL"] = url
    os.environ["LP_AS_OF"] = AS_OF
    get_settings.cache_clear()
    engine = make_engine(url)
    files = _portfolio_files(folder, n_products, rows)
    started = time.perf_counter()
    for result in import_paths(files, engine=engine, actor=command_line_actor(read_only=False)):
        if result.status != "imported":
            msg = f"{result.file}: {result.status} {result.errors[:3]}"
            raise SystemExit(msg)
    print(f"built: products={n_products} usage_rows={rows} in {time.perf_counter() - started:.1f}s")
    engine.dispose()
    return url


def reuse_database(folder: Path, n_products: int, rows: int) -> str:
    """The database built earlier in `folder` for the same sizes, else build it there."""
    stamp = folder / "bench.built"
    wanted = f"products={n_products} rows={rows}"
    url = f"sqlite:///{folder / 'bench.sqlite'}"
    if stamp.exists() and stamp.read_text() == wanted and (folder / "bench.sqlite").exists():
        os.environ["DATABASE_URL"] = url
        os.environ["LP_AS_OF"] = AS_OF
        from settings import get_settings

        get_settings.cache_clear()
        print(f"reused: {wanted} from {folder}")
        return url
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("bench.sqlite", "bench.sqlite-wal", "bench.sqlite-shm", "bench.built"):
        (folder / name).unlink(missing_ok=True)
    url = build_database(folder, n_products, rows)
    stamp.write_text(wanted)
    return url


def use_database(url: str, n_products: int, rows: int) -> str:
    """`url` as the bench database: reused when it holds the bench portfolio, built when empty.

    A database that holds anything else is refused rather than added to.
    """
    from sqlalchemy import text

    from models import make_engine
    from settings import get_settings

    engine = make_engine(url)
    with engine.connect() as conn:
        products = conn.execute(text("SELECT count(*) FROM product")).scalar_one()
        usage = conn.execute(text("SELECT count(*) FROM usage_record")).scalar_one()
        named = conn.execute(
            text("SELECT count(*) FROM product WHERE name LIKE 'Product %'")
        ).scalar_one()
    engine.dispose()
    shown = _shown(url)
    if products == 0:
        folder = Path(tempfile.mkdtemp(prefix="lp-pages-bench-"))
        try:
            return build_database(folder, n_products, rows, url)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    if products != n_products or named != products or usage == 0:
        msg = (
            f"{shown} holds {products} products and {usage} usage rows, not the bench's"
            f" {n_products}: give an empty database or the one built for these sizes"
        )
        raise SystemExit(msg)
    os.environ["DATABASE_URL"] = url
    os.environ["LP_AS_OF"] = AS_OF
    get_settings.cache_clear()
    print(f"reused: products={n_products} usage_rows={usage} from {shown}")
    return url


def _shown(url: str) -> str:
    """`url` without its password, for printing."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def time_floor(url: str) -> tuple[float, float]:
    """Seconds to read the year's usage facts once (as the pages read them) and group them once.

    The floor a cold page is measured against: `models.frames.usage_frame`
    for the calendar year, then one `group_by` per product of distinct
    learners, minutes and completions. A cold page reads more than this (its
    contracts' terms, budgets, outcomes) and computes more, so its time over
    the floor says how much it costs beyond the unavoidable read.
    """
    import polars as pl
    from sqlalchemy import create_engine

    from models.frames import usage_frame

    engine = create_engine(url)
    started = time.perf_counter()
    with engine.connect() as conn:
        usage = usage_frame(conn, start=date(YEAR, 1, 1), end=date(YEAR, 12, 31))
    read = time.perf_counter() - started
    engine.dispose()
    started = time.perf_counter()
    usage.group_by("product_id").agg(
        pl.col("learner_id").n_unique(), pl.col("minutes").sum(), pl.col("completed").sum()
    )
    return read, time.perf_counter() - started


def _peak_rss_mb() -> float:
    """This process's peak resident memory so far, in MB (Linux reports kilobytes)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def time_pages(only: set[str] | None = None) -> Iterator[tuple[str, float, float]]:
    """Cold and warm script-run seconds per page, through app.py like a browser session."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    for path, name in PAGES:
        if not (ROOT / path).exists() or (only is not None and name not in only):
            continue
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
        at.run()
        st.cache_data.clear()
        started = time.perf_counter()
        at.switch_page(path).run()
        cold = time.perf_counter() - started
        if at.exception:
            raise SystemExit(f"{name}: {[e.value for e in at.exception]}")
        started = time.perf_counter()
        at.run()
        warm = time.perf_counter() - started
        yield name, cold, warm


def time_pack(url: str) -> tuple[float, float]:
    """Seconds to read the pack's frames from `url`, and to build its JSON once from them.

    The modules are imported before the clock starts; the pack keeps no cache, so
    every build is a cold one.
    """
    from sqlalchemy import create_engine

    from exports.build import pack_for
    from exports.formats import writer_for
    from models.frames import pack_frames
    from settings import get_settings

    get_settings.cache_clear()
    settings = get_settings()
    engine = create_engine(url)
    started = time.perf_counter()
    with engine.connect() as conn:
        frames = pack_frames(conn, year=YEAR, currency=settings.reporting_currency)
    read = time.perf_counter() - started
    engine.dispose()
    started = time.perf_counter()
    pack = pack_for(
        frames, settings=settings, year=YEAR, as_of=date.fromisoformat(AS_OF), generated_at=None
    )
    writer_for("json", settings=settings)(pack)
    return read, time.perf_counter() - started


def bench_packs(sizes: list[int], rows: int, *, repeat: int, reuse: Path | None) -> None:
    """One `pack` line per product count (a database built for each), then the growth.

    With `repeat` > 1 the sizes are timed in turn, `repeat` rounds, and each
    size's fastest read and build are kept: the growth is then measured under the
    same load for both, not one size in a quiet minute and the other in a busy one.
    """
    folders = {
        n: (reuse / f"pack-{n}") if reuse else Path(tempfile.mkdtemp(prefix="lp-pack-bench-"))
        for n in sizes
    }
    try:
        urls = {
            n: reuse_database(folders[n], n, rows) if reuse else build_database(folders[n], n, rows)
            for n in sizes
        }
        best: dict[int, tuple[float, float]] = {}
        for _ in range(repeat):
            for n_products in sizes:
                read, built = time_pack(urls[n_products])
                was = best.get(n_products, (read, built))
                best[n_products] = (min(was[0], read), min(was[1], built))
    finally:
        if reuse is None:
            for folder in folders.values():
                shutil.rmtree(folder, ignore_errors=True)
    for n_products in sizes:
        read, built = best[n_products]
        print(f"pack products={n_products} rows={rows} read_s={read:.2f} cold_s={built:.2f}")
    print("load average: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    first = best[sizes[0]][1]
    for n_products in sizes[1:]:
        ratio = best[n_products][1] / first if first else float("nan")
        print(f"pack growth products={n_products}/{sizes[0]} cold_ratio={ratio:.2f}")


def bench_pages(url: str, only: set[str] | None) -> list[tuple[str, float, float]]:
    """The floor, then every page, on the database at `url`; prints and returns the pages."""
    read, group = time_floor(url)
    floor = read + group
    print(f"database: {_shown(url)}")
    print(f"floor read_s={read:.2f} group_s={group:.2f} floor_s={floor:.2f}")
    print("load average: " + " ".join(f"{x:.2f}" for x in os.getloadavg()), flush=True)
    results = []
    for name, cold, warm in time_pages(only):
        ratio = cold / floor if floor else float("nan")
        print(
            f"page={name} cold_s={cold:.2f} warm_s={warm:.2f} floor_ratio={ratio:.2f}"
            f" peak_rss_mb={_peak_rss_mb():.0f}",
            flush=True,
        )
        results.append((name, cold, warm))
    if results:
        name, cold, _ = max(results, key=lambda result: result[1])
        print(f"slowest page={name} cold_s={cold:.2f} floor_ratio={cold / floor:.2f}")
    return results


def _compare(names: list[str], runs: list[list[tuple[str, float, float]]]) -> None:
    """Each later database's cold time per page over the first's, measured in this run."""
    first = {name: cold for name, cold, _ in runs[0]}
    for shown, results in zip(names[1:], runs[1:], strict=True):
        for name, cold, _ in results:
            ratio = cold / first[name] if first.get(name) else float("nan")
            print(f"compare page={name} {shown}/{names[0]} cold_ratio={ratio:.2f}")


def make_dialect(url: str) -> str:
    """The database kind of `url` ("sqlite", "postgresql"), as the comparison names it."""
    from sqlalchemy.engine import make_url

    return make_url(url).get_backend_name()


def _settings_changed() -> None:
    """Make the next page run read DATABASE_URL again."""
    from settings import get_settings

    get_settings.cache_clear()


def main() -> None:
    # A page's own cold run is what is timed: the app's warm-up (`pages.warm_up`, started by
    # app.py) would compute the pages in a thread beside it, fill the caches the bench has
    # just cleared and take a core. It hides cold runs from people; it is timed end to end.
    os.environ["LP_WARM_UP"] = "false"
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--products", type=int, default=200)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, help="keep the database and files in this folder")
    parser.add_argument(
        "--reuse", type=Path, help="build the database in this folder once, reuse it afterwards"
    )
    parser.add_argument("--pages", help="comma-separated page names to time (default: all)")
    parser.add_argument(
        "--pack", help="comma-separated product counts: time the JSON pack alone for each"
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="with --pack: time the sizes in turn this many times, keep each one's fastest",
    )
    parser.add_argument(
        "--database-url",
        action="append",
        help="time the pages on this database (built there when empty, reused when it holds"
        " the bench portfolio); give it twice to compare two databases in one run",
    )
    args = parser.parse_args()
    if args.pack:
        sizes = [int(n) for n in args.pack.split(",")]
        bench_packs(sizes, args.rows, repeat=args.repeat, reuse=args.reuse)
        return
    only = set(args.pages.split(",")) if args.pages else None
    if args.database_url:
        urls = [use_database(url, args.products, args.rows) for url in args.database_url]
        runs = []
        for url in urls:
            os.environ["DATABASE_URL"] = url
            _settings_changed()
            runs.append(bench_pages(url, only))
        _compare([make_dialect(url) for url in urls], runs)
        return
    if args.reuse:
        url = reuse_database(args.reuse, args.products, args.rows)
        bench_pages(url, only)
        return
    folder = Path(tempfile.mkdtemp(prefix="lp-pages-bench-"))
    try:
        url = build_database(folder, args.products, args.rows)
        bench_pages(url, only)
    finally:
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            for item in folder.iterdir():
                shutil.move(str(item), args.keep / item.name)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
