"""What people told the audit: answers to interview questions, waivers and notes."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

# A single answer value. ``None`` is an explicit "I don't know".
AnswerValue = bool | int | float | str | list[str] | None


class Answer(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    value: AnswerValue
    answered_at: datetime | None = None
    by: str | None = None
    prefilled_from: str | None = None  # the fact that suggested it, when it was pre-filled


class Waiver(BaseModel):
    """A check deliberately accepted as it is, for a reason, until a date."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    reason: str = Field(min_length=1)
    expires: date
    by: str | None = None


class Note(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    text: str
    check_id: str | None = None  # None: a note about the whole site
    at: datetime | None = None
    by: str | None = None
