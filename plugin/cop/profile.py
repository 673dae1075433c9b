"""A member's intake profile: function, own question from practice, learning goals, practice or theory."""

from __future__ import annotations

from plugin.storage.models import Member
from plugin.storage.states import Orientation

MAX_FIELD = 1000
_PRACTICE = ("praktijk", "practice", "practitioner", "praktijkmens")
_THEORY = ("theorie", "theory", "onderzoek", "research", "wetenschap", "science")


def orientation_of(answer: str) -> Orientation | None:
    """Practice or theory from a free answer in Dutch or English; None when it says neither (or both)."""
    words = answer.lower()
    practice = any(word in words for word in _PRACTICE)
    theory = any(word in words for word in _THEORY)
    if practice == theory:
        return None
    return Orientation.PRACTICE if practice else Orientation.THEORY


def update_profile(member: Member, values: dict[str, str]) -> None:
    """Merge intake answers into the profile; an `orientation` answer also sets the member's orientation."""
    cleaned = {name: value.strip()[:MAX_FIELD] for name, value in values.items() if value.strip()}
    if "orientation" in cleaned:
        member.orientation = orientation_of(cleaned["orientation"]) or member.orientation
    member.profile = {**member.profile, **cleaned}
