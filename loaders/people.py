"""people.csv: the HR roster, stored as learner keys, never as identities.

DESIGN.md ("People roster"): one row per person, `learner` an e-mail or an
employee id matched by the learner-key rule (trimmed, case-folded e-mail,
else the id), with the org unit, manager, cost centre and the dates the
person is in post. The newest roster import is the roster (a snapshot):
importing a new one replaces it whole, and undoing it brings the previous
one back (`models.frames.people_frame`).

The person and their manager are stored as the keyed hash the usage
imports give learners (`loaders.identity.learner_keys`), so the roster joins
the usage it explains and the database still holds no name or e-mail.
"""

from __future__ import annotations

import polars as pl
from sqlmodel import Session

from loaders.checks import repeated_keys
from loaders.errors import Rejected
from loaders.facts import _Sheet
from loaders.identity import learner_identity, learner_keys
from loaders.job import Job
from loaders.pseudonym import checked_secret
from loaders.result import decision
from loaders.values import blank_missing
from loaders.writer import insert_frame

__all__ = ["run_people"]


def _identity(column: pl.Series) -> pl.DataFrame:
    """`key_kind` and `ident` of an e-mail-or-id column (an "@" makes it an e-mail)."""
    text = pl.col("text")
    is_mail = text.str.contains("@", literal=True)
    return (
        pl.DataFrame({"text": blank_missing(column).str.strip_chars()})
        .select(
            pl.when(is_mail).then(text).alias("email"),
            pl.when(~is_mail).then(text).alias("user_id"),
            pl.lit(None, pl.String).alias("name"),
        )
        .select(learner_identity())
    )


def _keys(identity: pl.DataFrame, secret: str) -> pl.Series:
    """The learner key of each row (null where the identity is)."""
    present = identity.filter(pl.col("ident").is_not_null())
    keys = learner_keys(list(present.iter_rows()), secret=secret)
    found = present.with_columns(pl.Series("key", keys, dtype=pl.String)).unique(
        ["key_kind", "ident"]
    )
    return identity.join(found, on=["key_kind", "ident"], how="left", maintain_order="left")["key"]


def run_people(job: Job, *, session: Session) -> None:
    """Check every row (row and column named), then store the roster as this import's people."""
    sheet = _Sheet(job, session, product=False)
    raw = sheet.raw
    who = _identity(raw.get_column("learner"))
    dates = sheet.dates(["start_date", "end_date"])
    start = dates.get("start_date", pl.Series("start_date", [None] * raw.height, pl.Date))
    end = dates.get("end_date", pl.Series("end_date", [None] * raw.height, pl.Date))
    unit = blank_missing(raw.get_column("org_unit")).str.strip_chars().str.slice(0, 300)
    checked = pl.DataFrame([sheet.rows, start, end])
    backwards = checked.filter(pl.col("end_date") < pl.col("start_date"))
    if "end_date" in sheet.src:
        sheet.errors.add_rows(
            backwards,
            column=sheet.src["end_date"],
            message=lambda r: f"ends ({r['end_date']}) before it starts ({r['start_date']})",
        )
    named = who.with_columns(sheet.rows, learner=blank_missing(raw.get_column("learner")))
    repeated_keys(sheet.errors, named, ["key_kind", "ident"], "person", shown=["learner"])
    if sheet.errors:
        raise Rejected(sheet.errors)
    secret = checked_secret(session, job.settings)
    manager = (
        _keys(_identity(raw.get_column("manager")), secret)
        if sheet.has("manager")
        else pl.Series([None] * raw.height, dtype=pl.String)
    )
    cost_centre = (
        blank_missing(raw.get_column("cost_centre")).str.strip_chars().str.slice(0, 100)
        if sheet.has("cost_centre")
        else pl.Series([None] * raw.height, dtype=pl.String)
    )
    import_id = job.record(session=session)
    people = pl.DataFrame(
        {
            "import_id": pl.Series([import_id] * raw.height, dtype=pl.Int64),
            "learner_key": _keys(who, secret),
            "key_kind": who.get_column("key_kind"),
            "org_unit": unit,
            "manager_key": manager,
            "cost_centre": cost_centre,
            "start_date": start,
            "end_date": end,
        }
    )
    inserted = insert_frame(session.connection(), "person", people)
    units = unit.n_unique()
    job.note(
        decision(
            "roster",
            f"{inserted:,} people in {units:,} org units: this roster replaces the previous one "
            "(undo brings that back); people are stored as learner keys, not names or e-mails",
            value=inserted,
        )
    )
    job.finish(inserted)
