"""The pseudonym key: per install, private, never a published one, the same for every server."""

from __future__ import annotations

import multiprocessing
import stat
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import Engine, text

from loaders import import_file
from loaders.identity import learner_keys
from loaders.pseudonym import KEY_CHECK_STATE, install_key, key_check, pseudonym_secret
from models import make_engine
from sample_data.seed import seed_files
from settings import Settings, get_settings
from tests.actors import EDITOR
from tests.loaders.conftest import PRODUCTS_CSV, counts
from tests.loaders.factories import linkedin_csv

# The key every install used before keys were generated per install: published with the code,
# so an attacker with a staff list has it too.
PUBLISHED_KEY = "local-development-key-change-me"
SAMPLE_LINKEDIN = "linkedin_learning_learner_detail_2026.csv"


def use_key_file(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    monkeypatch.delenv("LP_PSEUDONYM_KEY", raising=False)
    monkeypatch.setenv("LP_PSEUDONYM_KEY_FILE", str(path))
    get_settings.cache_clear()


def learner_key_set(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        return {r[0] for r in conn.execute(text("SELECT key FROM learner"))}


def test_a_fresh_install_generates_a_private_random_key(tmp_path: Path) -> None:
    first, second = tmp_path / "a" / "pseudonym.key", tmp_path / "b" / "pseudonym.key"
    key = install_key(first)
    assert len(key) == 64 and int(key, 16) >= 0  # 256 random bits, hex
    assert stat.S_IMODE(first.stat().st_mode) == 0o600  # readable only by the app's user
    assert install_key(first) == key  # kept: the same key every time after
    assert install_key(second) != key  # another install, another key
    assert [p.name for p in first.parent.iterdir()] == ["pseudonym.key"]  # no temp file left


def test_lp_pseudonym_key_wins_and_no_file_is_written(tmp_path: Path) -> None:
    settings = Settings(pseudonym_key="team-secret", pseudonym_key_file=str(tmp_path / "k"))
    assert pseudonym_secret(settings) == "team-secret"
    assert not (tmp_path / "k").exists()


def test_a_key_file_others_can_read_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "pseudonym.key"
    install_key(path)
    path.chmod(0o644)
    with pytest.raises(ValueError, match=r"can be read by other users; .*chmod 600"):
        install_key(path)


def test_an_emptied_key_file_is_refused_not_replaced(tmp_path: Path) -> None:
    path = tmp_path / "pseudonym.key"
    install_key(path)
    path.write_text("\n")
    with pytest.raises(ValueError, match="holds no usable key"):
        install_key(path)
    assert path.read_text() == "\n"  # never silently regenerated: that would re-key everyone


def _install(path: str) -> str:
    return install_key(Path(path))


def test_processes_starting_together_agree_on_one_key(tmp_path: Path) -> None:
    path = str(tmp_path / "pseudonym.key")
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        keys = pool.map(_install, [path] * 8)
    assert len(set(keys)) == 1 and keys[0] == install_key(Path(path))


def test_sample_learners_cannot_be_reidentified_with_the_published_key(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The attack the issue describes: hash a staff list (here, every e-mail in the sample's
    # LinkedIn export) with the published key and look the hashes up in the learner table.
    use_key_file(monkeypatch, tmp_path / "pseudonym.key")
    sample = next(p for p in seed_files() if p.name == SAMPLE_LINKEDIN)
    assert (
        import_file(PRODUCTS_CSV, file_name="products.csv", engine=engine, actor=EDITOR).status
        == "imported"
    )
    result = import_file(
        sample.read_bytes(),
        file_name=sample.name,
        engine=engine,
        product="Linked Library",
        actor=EDITOR,
    )
    assert result.status == "imported", result.errors
    emails = pl.read_csv(sample, infer_schema=False)["Email"].drop_nulls().str.strip_chars()
    staff = [("email", e.casefold()) for e in emails.unique().to_list()]
    stored = learner_key_set(engine)
    assert len(staff) > 100
    assert stored.isdisjoint(learner_keys(staff, secret=PUBLISHED_KEY))
    own = learner_keys(staff, secret=install_key(tmp_path / "pseudonym.key"))
    assert len(stored & set(own)) == len(staff)  # the install's own key does find them all


def test_a_database_refuses_a_second_key(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Server A keys learners; server B, started with its own generated key file on the same
    # database, would key the same people differently and count them twice.
    use_key_file(monkeypatch, tmp_path / "a.key")
    assert (
        import_file(PRODUCTS_CSV, file_name="products.csv", engine=engine, actor=EDITOR).status
        == "imported"
    )
    first = import_file(
        linkedin_csv(3).encode(), file_name="week1.csv", engine=engine, actor=EDITOR
    )
    assert first.status == "imported", first.errors
    with engine.connect() as conn:
        recorded = conn.execute(
            text("SELECT value FROM app_state WHERE key = :k"), {"k": KEY_CHECK_STATE}
        ).scalar_one()
    assert recorded == key_check(install_key(tmp_path / "a.key"))
    before = counts(engine)

    use_key_file(monkeypatch, tmp_path / "b.key")
    second = import_file(
        linkedin_csv(5).encode(), file_name="week2.csv", engine=engine, actor=EDITOR
    )
    assert second.status == "rejected"
    message = second.errors[0]["message"]
    assert "keyed with a different pseudonym key" in message and "count the same people" in message
    assert counts(engine) == before  # nothing written
    assert install_key(tmp_path / "b.key") not in message  # the key itself is never shown

    use_key_file(monkeypatch, tmp_path / "a.key")  # the original key imports again
    assert import_file(
        linkedin_csv(5).encode(), file_name="week2.csv", engine=engine, actor=EDITOR
    ).status == ("imported")
    assert len(learner_key_set(engine)) == 5  # learners 0-2 matched, 3-4 added


def test_the_key_check_reveals_nothing_of_the_key(tmp_path: Path) -> None:
    key = install_key(tmp_path / "k")
    check = key_check(key)
    assert 0 <= check < 2**60 and format(check, "x") not in key
    assert key_check(key) == check and key_check(key + "x") != check


def test_make_engine_alone_writes_no_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    use_key_file(monkeypatch, tmp_path / "never.key")
    make_engine(f"sqlite:///{tmp_path / 'db.sqlite'}").dispose()
    assert not (tmp_path / "never.key").exists()  # generated at the first learner, not before
