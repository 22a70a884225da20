"""The Funding review's downloads say when they were made, not when the page cached the pack.

Issue 13: the pack the page draws is cached (`pages.review_reads.review_pack`), and
the files were rendered from it as it was, so a download made an hour later said it was
generated at the time of the first visit. The cached pack now carries no time; the
download callable (`pages.views.review.render_download`) stamps each file as it builds it.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from exports.json_writer import render_json
from pages import review_reads
from pages.views import review as review_views
from tests.exports.pack_fixture import make_pack


def test_a_download_is_stamped_when_it_is_built() -> None:
    cached = make_pack()  # stamped 2026-11-23T09:00:00+00:00, as a cache filled then would be
    before = datetime.now(UTC).replace(microsecond=0)
    data = review_views.render_download(render_json, cached)  # type: ignore[arg-type]
    after = datetime.now(UTC)
    made = datetime.fromisoformat(json.loads(data)["generated_at"])
    assert before <= made <= after
    assert cached["generated_at"] == "2026-11-23T09:00:00+00:00"  # the cache is not changed


def test_the_cached_pack_carries_no_time(seeded_url: str) -> None:
    pack = review_reads.review_pack(2026, date(2026, 11, 23), ("LinkedIn Learning",), None)
    assert pack["generated_at"] is None
    assert [p["product"] for p in pack["products"]] == ["LinkedIn Learning"]
    made = json.loads(review_views.render_download(render_json, pack))["generated_at"]
    assert made is not None and datetime.fromisoformat(made).tzinfo is not None
