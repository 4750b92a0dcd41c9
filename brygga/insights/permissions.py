"""Who may see the office's figures. The one place these rules live."""

from __future__ import annotations

from enum import StrEnum

from brygga.accounts.models import User
from brygga.core.permissions import register_rules

R = User.Role


class InsightsPerm(StrEnum):
    VIEW = "insights.view"  # the staff start page: pace, coverage, representativeness
    SUGGESTIONS = "insights.suggestions"  # whom to visit next


RULES: dict[InsightsPerm, frozenset[str]] = {
    InsightsPerm.VIEW: frozenset({R.ADMIN, R.DEVELOPER, R.CASE_OFFICER, R.READER}),
    InsightsPerm.SUGGESTIONS: frozenset({R.ADMIN, R.DEVELOPER, R.READER}),
}

register_rules(RULES)
