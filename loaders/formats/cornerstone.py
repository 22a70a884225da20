"""Cornerstone OnDemand (CSOD) reports.

Transcript: one row per user x training, with title and filter lines above
the header (snapshot grain). English and Spanish headers per
shared/research/vendor_report_formats.md section 6. A row's own date is its
completion date; rows without one belong to the report period. A training is
identified by its title and type (the report carries no id).
"""

from __future__ import annotations

from loaders.formats.base import Format, UsageMap
from models.enums import Grain, ImportKind

__all__ = ["TRANSCRIPT", "VENDOR", "VENDOR_ALIASES"]

VENDOR = "Cornerstone"
VENDOR_ALIASES = ("Cornerstone", "CSOD", "Cornerstone OnDemand")
_EMAIL = ("email", "user email", "email address", "user email address")
_USER_ID = ("user id", "identificación de usuario")
_NAME = ("user full name", "user name", "nombre completo del usuario")
_TITLE = ("training title", "título de la capacitación")
_STATUS = ("transcript status", "estado del expediente")
_COMPLETED = ("transcript completed date", "fecha de finalización de expediente")

TRANSCRIPT = Format(
    name="cornerstone_transcript",
    title="Cornerstone transcript",
    kind=ImportKind.usage,
    vendor=VENDOR,
    aliases=VENDOR_ALIASES,
    grain=Grain.snapshot,
    date_order="mdy",
    required=(_STATUS, _TITLE, (*_USER_ID, *_EMAIL, *_NAME)),
    optional=(
        "training type",
        "tipo de capacitación",
        "transcript assigned date",
        "fecha asignada del expediente",
        *_COMPLETED,
    ),
    key_headers=((*_USER_ID, *_EMAIL, *_NAME), _TITLE),
    usage=UsageMap(
        email=_EMAIL,
        user_id=_USER_ID,
        name=(_NAME,),
        content_title=_TITLE,
        content_type=("training type", "tipo de capacitación"),
        content_key_with_type=True,
        completed=_STATUS,
        completed_values=("completed", "complete", "terminado"),
        completed_date=_COMPLETED,
        activity_from_completion=True,
    ),
)
