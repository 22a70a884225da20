"""Detection by normalised header subsets only: never the file name or column positions."""

from __future__ import annotations

import random

import pytest

from loaders.errors import Rejected
from loaders.formats import FORMATS, Format, UsageMap, detect
from loaders.reading import normalise_header
from models.enums import Grain, ImportKind
from tests.loaders.factories import CSOD_HEADER, LINKEDIN_HEADER, UDEMY_HEADER


def pick(headers: list[str], *, vendor: str | None = None, formats=FORMATS) -> str:
    return detect(
        [normalise_header(h) for h in headers], formats=formats, vendor=vendor
    ).format.name


@pytest.mark.parametrize(
    ("headers", "name"),
    [
        (LINKEDIN_HEADER, "linkedin_learning_learner_detail"),
        (UDEMY_HEADER, "udemy_user_course_progress"),
        (CSOD_HEADER, "cornerstone_transcript"),
        (["product", "category", "vendor", "owner"], "products"),
        (["product", "month", "cost_category", "plan", "actual"], "budgets"),
        (["product", "vendor", "start", "end", "seats", "price_per_seat", "currency"], "contracts"),
        (["product", "period", "level", "measure", "value", "n"], "outcomes"),
        (["product", "learner", "content_title", "date", "minutes"], "usage"),
    ],
)
def test_each_format_is_detected(headers: list[str], name: str) -> None:
    assert pick(headers) == name


@pytest.mark.parametrize("header", [LINKEDIN_HEADER, UDEMY_HEADER, CSOD_HEADER])
def test_order_case_spacing_and_extra_columns_do_not_matter(header: list[str]) -> None:
    name = pick(header)
    shuffled = [f"  {h.upper()} " for h in header] + ["Cost Centre", "Manager Email"]
    random.Random(7).shuffle(shuffled)
    assert pick(shuffled) == name


def test_minimal_linkedin_header() -> None:
    assert pick(["Email", "Content Title", "Percent Completed", "Content Hours Viewed"]) == (
        "linkedin_learning_learner_detail"
    )


def test_spanish_cornerstone_headers() -> None:
    headers = ["Identificación de usuario", "Nombre completo del usuario",
               "Título de la capacitación", "Estado del expediente",
               "Fecha de finalización de expediente"]  # fmt: skip
    assert pick(headers) == "cornerstone_transcript"


def test_missing_required_column_names_it() -> None:
    headers = [h for h in LINKEDIN_HEADER if h != "Percent Completed"]
    with pytest.raises(Rejected) as exc:
        pick(headers)
    message = exc.value.errors.first()[0].message
    assert "missing required column 'percent completed'" in message
    assert "LinkedIn Learning learner detail" in message


def test_unknown_columns_list_the_known_formats() -> None:
    with pytest.raises(Rejected) as exc:
        pick(["foo", "bar"])
    assert "match no known format" in exc.value.errors.first()[0].message


def _twin(name: str, vendor: str) -> Format:
    return Format(name=name, title=name, kind=ImportKind.usage, vendor=vendor, aliases=(vendor,),
                  grain=Grain.event, required=("learner id", "course"),
                  usage=UsageMap(user_id="learner id", content_title="course"))  # fmt: skip


def test_equal_matches_need_vendor() -> None:
    formats = (_twin("a_report", "Acme"), _twin("b_report", "Beta"))
    with pytest.raises(Rejected, match="error"):
        pick(["Learner ID", "Course"], formats=formats)
    assert pick(["Learner ID", "Course"], formats=formats, vendor="beta") == "b_report"


def test_most_specific_format_wins() -> None:
    broad = _twin("broad", "Acme")
    narrow = Format(name="narrow", title="narrow", kind=ImportKind.usage, vendor="Acme",
                    required=("learner id", "course", "score"),
                    usage=UsageMap(user_id="learner id", content_title="course"))  # fmt: skip
    assert pick(["Learner ID", "Course", "Score"], formats=(broad, narrow)) == "narrow"
    assert pick(["Learner ID", "Course"], formats=(broad, narrow)) == "broad"


def test_vendor_aliases_and_display_name() -> None:
    headers = [normalise_header(h) for h in CSOD_HEADER]
    found = detect(headers, formats=FORMATS, vendor="csod")
    assert found.vendor == "Cornerstone"
    assert found.format.serves("Cornerstone-OnDemand")
