"""How far the real import is from the floor, on a LinkedIn Learning learner-detail report.

Generates a deterministic report of `--rows` rows (default 1,000,000) and, in
the same run, times:

* the floor: polars `read_csv` of the file plus a plain `sqlite3`
  `executemany` of all its rows (all 13 columns) into an empty table of a
  fresh SQLite file, committed;
* the import: `python -m loaders FILE --json` as a child process with
  `DATABASE_URL` set to a fresh SQLite file (products.csv, naming the vendor,
  is imported into it first, untimed), and the child's peak resident memory.

The last line is what the issue asks for:

    import: rows=1000000 floor_s=8.22 import_s=11.46 ratio=1.39 peak_rss_mb=1063

The line before it compares the import with the same floor run as a command
(`bench/floor_work.py`, timed from outside as the import is: Python's start and
polars' import paid) into a database with the app's SQLite settings (WAL: each page
written to the log, then copied into the file), and says what starting
`python -c "import polars, sqlite3"` alone takes:

    command floor: rows=1000000 startup_s=0.16 floor_s=4.00 import_s=3.84 ratio=0.96

With `--xapi`, the report is instead `--rows` xAPI statements as JSON lines (an LRS
dump: mbox actors, six verbs, durations, statement ids), the import is `python -m loaders
FILE --product ... --json`, and the floor is polars' own `read_ndjson` of the same file
(no schema given: what reading it once costs):

    xapi: statements=1000000 read_ndjson_s=2.10 import_s=9.80 ratio=4.67 peak_rss_mb=2900

The child loads compiled modules from a private bytecode cache, as Python
does by default (these machines set PYTHONDONTWRITEBYTECODE=1, which would
add half a second of compiling to every run; `--no-bytecode-cache` keeps it).

With `--database-url URL` (a PostgreSQL server; the URL's database is only connected to),
the import goes into a fresh database made on that server for each run, and the floor is
polars `read_csv` plus a `COPY` of every row (all 13 columns, as text) into a plain table
of another fresh database, committed: PostgreSQL's fastest bulk path, as executemany is
SQLite's:

    import: database=postgresql rows=1000000 floor_s=2.90 import_s=8.10 ratio=2.79 ...

Usage: `python bench/import_bench.py [--rows N] [--keep DIR] [--read] [--repeat N] [--xapi]
[--database-url URL]`;
with `--repeat N` both are timed N times, alternately, and the fastest of
each is reported (the peak memory is the highest of the imports').
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl
from floor_work import write_rows

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the app's modules, imported where a run needs them
HEADER = (
    "First Name", "Last Name", "Email", "Unique User ID", "Groups", "Content Title",
    "Content Type", "Content ID", "Content Provider", "Percent Completed", "Completion Date",
    "Last Viewed Date", "Content Hours Viewed",
)  # fmt: skip
PRODUCT = "LinkedIn Library"
PRODUCTS_CSV = (
    "product,category,vendor,owner,sponsor,target_audience,lifecycle_stage,business_goal,"
    "strategic_fit\n"
    f"{PRODUCT},content_library,LinkedIn Learning,Ana,CFO,All staff,mature,Skills,4\n"
)
# The report covers one year ending on PERIOD_END; the import runs "as of" AS_OF
# (the loaders reject dates after today, so the bench must not depend on the clock).
PERIOD_END = date(2026, 10, 31)
YEAR_START = date(2025, 11, 1)
AS_OF = "2026-11-23"
SEED = 20261123

_FIRST = (
    "Alex", "Sam", "Yuki", "Priya", "Jonas", "Maria", "Chen", "Fatima", "Liam", "Zoë",
    "Noah", "Aisha", "Mateo", "Ingrid", "Kofi", "Elena", "Ravi", "Sofia", "Tomás", "Mei",
)  # fmt: skip
_LAST = (
    "Khan", "Lee", "Berg", "Okafor", "Müller", "Garcia", "Smith", "Novak", "Tanaka", "Silva",
    "O'Brien", "Jensen", "Rossi", "Dubois", "Nowak", "Haddad", "Kim", "Patel", "Lopez", "Ivanova",
)  # fmt: skip
_GROUPS = tuple(
    f"{unit}, {site}"
    for unit in ("Sales", "Finance", "Engineering", "HR", "Operations", "Legal", "Marketing")
    for site in ("EMEA", "Americas", "APAC", "London", "Berlin", "Austin")
)
_TOPICS = (
    "Excel", "Leadership", "Python", "Negotiation", "Project Management", "SQL", "Coaching",
    "Agile", "Public Speaking", "Cloud", "Security", "Design Thinking", "Finance", "Writing",
)  # fmt: skip
_TYPES = ("Course", "Video", "Learning Path", "Audio", "Book")


def _pick(rng: np.random.Generator, values: tuple[str, ...], n: int) -> pl.Series:
    return pl.Series(values, dtype=pl.String).gather(rng.integers(0, len(values), n))


def _pairs(rng: np.random.Generator, rows: int, learners: int, items: int) -> np.ndarray:
    """`rows` distinct (learner, content) pairs: popular content is watched more."""
    keys = np.empty(0, dtype=np.int64)
    while keys.size < rows:
        n = int(rows * 1.3) + 100
        learner = rng.integers(0, learners, n, dtype=np.int64)
        content = np.minimum(rng.pareto(1.2, n) * items / 40, items - 1).astype(np.int64)
        drawn = np.concatenate([keys, learner * items + content])
        _, first = np.unique(drawn, return_index=True)
        keys = drawn[np.sort(first)]
    return keys[:rows]


def generate(path: Path, rows: int) -> None:
    """Write a LinkedIn Learning learner-detail report of `rows` distinct learner x content rows.

    About one learner per 8 rows (125,000 for a million), 5,000 content
    items, MM/DD/YYYY dates within one year, H:MM:SS time viewed, a
    completion date where the percent completed is 100, and rows in no
    particular order. Same `rows`, same bytes.
    """
    rng = np.random.default_rng(SEED)
    learners = max(rows // 8, 10)
    items = min(5_000, max(rows // 4, 10))
    keys = _pairs(rng, rows, learners, items)
    learner, content = keys // items, keys % items

    people = pl.DataFrame(
        {
            "First Name": _pick(rng, _FIRST, learners),
            "Last Name": _pick(rng, _LAST, learners),
            "Groups": _pick(rng, _GROUPS, learners),
            "no_email": rng.random(learners) < 0.02,  # these have only a user id
            "capital": rng.random(learners) < 0.1,  # e-mail as the HR system spells it
        }
    ).with_row_index("learner")
    local = pl.format(
        "{}.{}{}",
        pl.col("First Name").str.to_lowercase(),
        pl.col("Last Name").str.to_lowercase().str.replace_all(r"[^a-z]", ""),
        pl.col("learner"),
    )
    email = pl.concat_str(
        pl.when(pl.col("capital")).then(local.str.to_uppercase()).otherwise(local),
        pl.lit("@acme.example"),
    )
    people = people.select(
        "learner",
        "First Name",
        "Last Name",
        pl.when(~pl.col("no_email")).then(email).alias("Email"),
        pl.when(pl.col("no_email"))
        .then(pl.format("urn:li:member:{}", pl.col("learner") + 7_000_000))
        .alias("Unique User ID"),
        "Groups",
    )
    catalogue = pl.DataFrame(
        {
            "topic": _pick(rng, _TOPICS, items),
            "Content Type": pl.Series(_TYPES).gather(
                rng.choice(len(_TYPES), items, p=[0.6, 0.3, 0.05, 0.03, 0.02])
            ),
        }
    ).with_row_index("content")
    catalogue = catalogue.select(
        "content",
        pl.format("{}: tips, tricks and practice {}", pl.col("topic"), pl.col("content")).alias(
            "Content Title"
        ),
        "Content Type",
        (pl.col("content") + 100_000).cast(pl.String).alias("Content ID"),
        pl.lit("LinkedIn").alias("Content Provider"),
    )

    span = PERIOD_END.toordinal() - YEAR_START.toordinal() + 1
    done = rng.random(rows) < 0.3
    percent = np.where(done, 100, rng.integers(0, 100, rows))
    viewed = rng.integers(0, span, rows)
    completed = viewed - (rng.random(rows) * 0.2 * viewed).astype(np.int64)
    seconds = (rng.lognormal(7.5, 1.2, rows)).astype(np.int64) % 40_000
    with path.open("wb") as out:  # in slices: a 10M-row report is never held whole
        for start in range(0, rows, _GENERATE_ROWS):
            part = slice(start, min(start + _GENERATE_ROWS, rows))
            report = _report_rows(
                people,
                catalogue,
                learner=learner[part],
                content=content[part],
                percent=percent[part],
                completed=completed[part],
                viewed=viewed[part],
                done=done[part],
                seconds=seconds[part],
            )
            report.write_csv(out, include_header=start == 0)


_GENERATE_ROWS = 1_000_000


def _report_rows(
    people: pl.DataFrame, catalogue: pl.DataFrame, **columns: np.ndarray
) -> pl.DataFrame:
    """Report rows (HEADER's columns) for a slice of the drawn facts."""
    to_day = pl.lit(YEAR_START)
    mdy = "%m/%d/%Y"
    facts = pl.DataFrame(
        {
            "learner": pl.Series(columns["learner"], dtype=pl.UInt32),
            "content": pl.Series(columns["content"], dtype=pl.UInt32),
            "Percent Completed": columns["percent"],
            "completed": columns["completed"],
            "viewed": columns["viewed"],
            "done": columns["done"],
            "seconds": columns["seconds"],
        }
    ).select(
        "learner",
        "content",
        "Percent Completed",
        pl.when(pl.col("done"))
        .then((to_day + pl.duration(days=pl.col("completed"))).dt.strftime(mdy))
        .alias("Completion Date"),
        (to_day + pl.duration(days=pl.col("viewed"))).dt.strftime(mdy).alias("Last Viewed Date"),
        pl.format(
            "{}:{}:{}",
            pl.col("seconds") // 3600,
            (pl.col("seconds") // 60 % 60).cast(pl.String).str.zfill(2),
            (pl.col("seconds") % 60).cast(pl.String).str.zfill(2),
        ).alias("Content Hours Viewed"),
    )
    return (
        facts.join(people, on="learner", how="left", maintain_order="left")
        .join(catalogue, on="content", how="left", maintain_order="left")
        .select(HEADER)
    )


XAPI_PRODUCT = "xAPI Academy"
_VERBS = ("experienced", "progressed", "attempted", "completed", "passed", "failed")
_ADL = "http://adlnet.gov/expapi/verbs/"


def generate_statements(path: Path, rows: int) -> None:
    """`rows` xAPI statements as JSON lines, deterministic, in the shape an LRS dumps them."""
    rng = np.random.default_rng(SEED)
    learners = max(rows // 40, 1)
    people = rng.integers(0, learners, rows)
    objects = rng.integers(0, max(rows // 500, 1), rows)
    verbs = rng.integers(0, len(_VERBS), rows)
    days = rng.integers(0, (PERIOD_END - YEAR_START).days + 1, rows)
    seconds = rng.integers(30, 5400, rows)
    with path.open("w", encoding="utf-8") as out:
        for i in range(rows):
            verb = _VERBS[verbs[i]]
            day = YEAR_START.toordinal() + int(days[i])
            when = date.fromordinal(day).isoformat()
            s = int(seconds[i])
            out.write(
                json.dumps(
                    {
                        "id": f"00000000-0000-4000-8000-{i:012d}",
                        "actor": {
                            "objectType": "Agent",
                            "name": f"Learner {people[i]}",
                            "mbox": f"mailto:learner{people[i]}@acme.example",
                        },
                        "verb": {"id": _ADL + verb, "display": {"en-US": verb}},
                        "object": {
                            "id": f"https://lms.acme.example/activity/{objects[i]}",
                            "objectType": "Activity",
                            "definition": {
                                "name": {"en-US": f"Activity {objects[i]}"},
                                "type": "http://adlnet.gov/expapi/activities/lesson",
                            },
                        },
                        "timestamp": f"{when}T{s % 24:02d}:{s % 60:02d}:00Z",
                        "stored": f"{when}T{s % 24:02d}:{s % 60:02d}:01.000Z",
                        "result": {
                            "duration": f"PT{s // 60}M{s % 60}S",
                            "completion": verb in ("completed", "passed"),
                        },
                        "context": {"platform": "Acme LMS", "language": "en-US"},
                    }
                )
            )
            out.write("\n")


def floor_command(path: Path, db: Path, rows: int, bytecode: Path | None) -> float:
    """Seconds for the floor's work run as a command, into a database with the app's settings.

    `python bench/floor_work.py`, timed from outside as the import is: Python's start,
    polars' import and the write-ahead log's copy into the file (WAL, as the app's
    database) are paid, as `python -m loaders` pays them.
    """
    from models.db import SQLITE_PRAGMAS

    _fresh(db)
    command = [sys.executable, str(ROOT / "bench" / "floor_work.py"), str(path), str(db)]
    env = _child_env(db, bytecode)
    start = time.perf_counter()
    done = subprocess.run([*command, *SQLITE_PRAGMAS], cwd=ROOT, env=env, capture_output=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0 or int(done.stdout) != rows:
        raise SystemExit(f"the command floor failed: {done.stderr.decode()[-2000:]}")
    return elapsed


def startup(db: Path, bytecode: Path | None) -> float:
    """Seconds for `python -c "import polars, sqlite3"`: what any such command pays first."""
    command = [sys.executable, "-c", "import polars, sqlite3"]
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=_child_env(db, bytecode), check=True)
    return time.perf_counter() - start


def _fresh_postgresql(server: str, name: str) -> str:
    """A new, empty database `name` on the server of `server` (dropped first); its URL."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return make_url(server).set(database=name).render_as_string(hide_password=False)


def floor_postgresql(path: Path, url: str) -> tuple[float, int, str]:
    """Seconds for read_csv + COPY of every row (as text) into a plain table, committed."""
    import psycopg
    from sqlalchemy.engine import make_url

    plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    start = time.perf_counter()
    frame = pl.read_csv(path)
    read = time.perf_counter()
    columns = ", ".join(f'"{c}"' for c in frame.columns)
    with psycopg.connect(plain) as conn:
        typed = ", ".join(f'"{c}" text' for c in frame.columns)
        conn.execute(f"CREATE TABLE report ({typed})")
        with conn.cursor().copy(f"COPY report ({columns}) FROM STDIN (FORMAT csv)") as copy:
            for chunk in frame.iter_slices(50_000):
                copy.write(chunk.write_csv(include_header=False))
        inserted = time.perf_counter()
        conn.commit()
        end = time.perf_counter()
        written = conn.execute("SELECT COUNT(*) FROM report").fetchone()[0]  # type: ignore[index]
    parts = f"read {read - start:.2f} + copy {inserted - read:.2f} + commit {end - inserted:.2f}"
    return end - start, written, parts


def _child_env(db: Path | str, bytecode: Path | None) -> dict[str, str]:
    env = dict(os.environ)
    url = db if isinstance(db, str) else f"sqlite:///{db}"
    env.update(DATABASE_URL=url, LP_AS_OF=AS_OF, PYTHONPATH=str(ROOT))
    env.pop("LP_STORE_IDENTITIES", None)
    if bytecode is not None:
        # Python's default: modules compiled once, then loaded from cache. A private
        # cache keeps the repository clean; the untimed products.csv import fills it.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(bytecode)
    return env


def run_import(
    path: Path, db: Path | str, bytecode: Path | None = None, *options: str
) -> tuple[float, float, dict[str, object]]:
    """Run `python -m loaders PATH --json`; wall seconds, the child's peak RSS (MB), its JSON."""
    command = [sys.executable, "-m", "loaders", str(path), *options, "--json"]
    env = _child_env(db, bytecode)
    start = time.perf_counter()
    child = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE)
    assert child.stdout is not None
    out = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)  # this child's own rusage, not all children's
    elapsed = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    child.stdout.close()
    if child.returncode != 0:
        msg = f"the import exited with {child.returncode}: {out.decode()[:2000]}"
        raise SystemExit(msg)
    result = json.loads(out.decode().strip().splitlines()[-1])
    return elapsed, usage.ru_maxrss / 1024, result  # ru_maxrss is in KiB on Linux


def read_back(db: Path) -> tuple[float, int]:
    """Seconds for the pages' read of the report's year (`models.frames.usage_frame`)."""
    from models.db import make_engine
    from models.frames import usage_frame

    engine = make_engine(f"sqlite:///{db}")
    try:
        with engine.connect() as conn:
            start = time.perf_counter()
            frame = usage_frame(conn, start=YEAR_START, end=PERIOD_END)
            return time.perf_counter() - start, frame.height
    finally:
        engine.dispose()


def _fresh(db: Path) -> None:
    for stale in (db, Path(f"{db}-wal"), Path(f"{db}-shm"), Path(f"{db}-journal")):
        stale.unlink(missing_ok=True)


def timed_import(
    report: Path, products: Path, db: Path | str, rows: int, bytecode: Path | None
) -> tuple[float, float]:
    """Seed a fresh database with products.csv (untimed), then time the report's import.

    `db` is a SQLite file, or the URL of a fresh PostgreSQL database.
    """
    if isinstance(db, Path):
        _fresh(db)
    _, _, seeded = run_import(products, db, bytecode)
    assert seeded["status"] == "imported", seeded
    os.sync()
    import_s, rss, result = run_import(report, db, bytecode)
    if result["status"] != "imported" or result["rows_imported"] != rows:
        shown = {k: result.get(k) for k in ("status", "rows_imported", "errors")}
        raise SystemExit(f"the import did not import every row: {shown}")
    os.sync()
    return import_s, rss


def xapi_bench(work: Path, rows: int, repeat: int, no_cache: bool) -> int:
    """Time `python -m loaders statements.jsonl` against polars' read_ndjson of the file."""
    report = work / f"xapi_statements_{rows}.jsonl"
    products = work / "products.csv"
    db = work / "import.sqlite"
    bytecode = None if no_cache else work / "pycache"
    start = time.perf_counter()
    generate_statements(report, rows)
    products.write_text(f"product,category,owner\n{XAPI_PRODUCT},academy,Ana\n", encoding="utf-8")
    size = report.stat().st_size / 2**20
    print(f"generated: {report} ({size:.0f} MB) in {time.perf_counter() - start:.1f} s")
    os.sync()
    floors, imports, peaks = [], [], []
    for run in range(1, repeat + 1):
        start = time.perf_counter()
        height = pl.read_ndjson(report).height
        floor_s = time.perf_counter() - start
        assert height == rows, height
        _fresh(db)
        _, _, seeded = run_import(products, db, bytecode)
        assert seeded["status"] == "imported", seeded
        os.sync()
        import_s, rss, result = run_import(report, db, bytecode, "--product", XAPI_PRODUCT)
        if result["status"] != "imported" or result["rows_read"] != rows:
            shown = {k: result.get(k) for k in ("status", "rows_read", "errors")}
            raise SystemExit(f"the import did not read every statement: {shown}")
        floors.append(floor_s)
        imports.append(import_s)
        peaks.append(rss)
        print(
            f"run {run}: read_ndjson {floor_s:.2f} s, import (python -m loaders) {import_s:.2f} s "
            f"({result['rows_imported']:,} learner x activity x day facts), peak RSS {rss:.0f} MB"
        )
    load = os.getloadavg()[0]
    print(f"load average (1 min): {load:.2f} on {os.cpu_count()} cores")
    floor_s, import_s, rss = min(floors), min(imports), max(peaks)
    print(
        f"xapi: statements={rows} read_ndjson_s={floor_s:.2f} import_s={import_s:.2f} "
        f"ratio={import_s / floor_s:.2f} peak_rss_mb={rss:.0f}"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows in the report")
    parser.add_argument("--keep", type=Path, help="write the report and databases here, keep them")
    parser.add_argument("--read", action="store_true", help="also time usage_frame on the result")
    parser.add_argument(
        "--repeat", type=int, default=1, help="time both N times, alternately; keep the fastest"
    )
    parser.add_argument(
        "--xapi",
        action="store_true",
        help="import xAPI statements as JSON lines instead; the floor is polars' read_ndjson",
    )
    parser.add_argument(
        "--no-bytecode-cache",
        action="store_true",
        help="let the import compile the project's modules on every run, as it does when "
        "PYTHONDONTWRITEBYTECODE is set (about half a second more)",
    )
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL server (SQLAlchemy URL): import into fresh databases made there, "
        "against a floor of read_csv + COPY",
    )
    args = parser.parse_args(argv)
    if args.database_url and (args.xapi or args.read):
        parser.error("--database-url times the LinkedIn report's import only")
    if args.rows < 1 or args.repeat < 1:
        parser.error("--rows and --repeat must be at least 1")
    work = args.keep or Path(tempfile.mkdtemp(prefix="import_bench_"))
    work.mkdir(parents=True, exist_ok=True)
    if args.xapi:
        try:
            return xapi_bench(work, args.rows, args.repeat, args.no_bytecode_cache)
        finally:
            if args.keep is None:
                shutil.rmtree(work, ignore_errors=True)
    try:
        report = work / f"linkedin_learner_detail_{args.rows}.csv"
        products = work / "products.csv"
        floor_db, import_db = work / "floor.sqlite", work / "import.sqlite"
        bytecode = None if args.no_bytecode_cache else work / "pycache"

        start = time.perf_counter()
        generate(report, args.rows)
        products.write_text(PRODUCTS_CSV, encoding="utf-8")
        size = report.stat().st_size / 2**20
        print(f"generated: {report} ({size:.0f} MB) in {time.perf_counter() - start:.1f} s")
        os.sync()  # neither timed part should pay for writing out the other's files

        floors, imports, peaks, commands, starts = [], [], [], [], []
        server = args.database_url
        if not server:
            startup(floor_db, bytecode)  # untimed: fills the bytecode cache, as the seeding does
        for run in range(1, args.repeat + 1):
            as_command = ""
            if server:
                floor_s, written, parts = floor_postgresql(
                    report, _fresh_postgresql(server, "import_bench_floor")
                )
                target: Path | str = _fresh_postgresql(server, "import_bench_import")
            else:
                _fresh(floor_db)
                floor_s, written, parts = write_rows(report, floor_db)  # the floor, in this process
                target = import_db
                os.sync()
                starts.append(startup(floor_db, bytecode))
                commands.append(floor_command(report, floor_db, args.rows, bytecode))
                as_command = f", as a command {commands[-1]:.2f} s (start-up {starts[-1]:.2f})"
            assert written == args.rows, written
            os.sync()
            import_s, rss = timed_import(report, products, target, args.rows, bytecode)
            floors.append(floor_s)
            imports.append(import_s)
            peaks.append(rss)
            print(
                f"run {run}: floor {floor_s:.2f} s ({parts}){as_command}, "
                f"import (python -m loaders) {import_s:.2f} s, peak RSS {rss:.0f} MB"
            )
        if args.read:
            read_s, height = read_back(import_db)
            print(f"read: usage_frame rows={height} s={read_s:.2f}")
        load = os.getloadavg()[0]
        print(f"load average (1 min): {load:.2f} on {os.cpu_count()} cores")
        floor_s, import_s, rss = min(floors), min(imports), max(peaks)
        if commands:
            print(
                f"command floor: rows={args.rows} startup_s={min(starts):.2f} "
                f"floor_s={min(commands):.2f} import_s={import_s:.2f} "
                f"ratio={import_s / min(commands):.2f}"
            )
        where = "database=postgresql " if server else ""
        print(
            f"import: {where}rows={args.rows} floor_s={floor_s:.2f} import_s={import_s:.2f} "
            f"ratio={import_s / floor_s:.2f} peak_rss_mb={rss:.0f}"
        )
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
