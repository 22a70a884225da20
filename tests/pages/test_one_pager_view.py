"""The Funding review's one-pager view on a hand-built pack: missing figures read "not tracked".

Defects of issue 13, each failing before the fix: a missing audience size
read "not tracked people", and a product without risk rows read
"low / no signal" on the page while the pack's writers said "not tracked".
"""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.exports.pack_fixture import UNTRACKED


def _view(product: str, *, drop_risks: bool) -> AppTest:
    def script(product: str, drop_risks: bool) -> None:
        import streamlit as st

        from pages.views.one_pager import one_pager
        from tests.exports.pack_fixture import make_pack

        pack = make_pack(scenario=False)
        if drop_risks:
            for p in pack["products"]:
                p["risks"] = []
        st.session_state["review.product"] = product
        one_pager(pack)

    at = AppTest.from_function(script, args=(product, drop_risks), default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_missing_audience_size_reads_not_tracked_without_a_unit() -> None:
    # The untracked product of the fixture has no target_audience_size.
    text = " ".join(m.value for m in _view(UNTRACKED, drop_risks=False).markdown)
    assert "**Users (learners):** not recorded — not tracked" in text
    assert "not tracked people" not in text


def test_a_missing_risk_reads_not_tracked_as_in_the_pack() -> None:
    at = _view(UNTRACKED, drop_risks=True)
    text = " ".join(m.value for m in at.markdown)
    for title in ("Value", "Usability", "Feasibility", "Viability"):
        assert f"**{title}** :gray-badge[not tracked]" in text
    shown = [w.value for w in at.markdown if "no signal" in w.value or "[low]" in w.value]
    assert shown == []
