"""Who may do what in the action plan. The one place these rules live.

The public pages need no login; everything here is about staff.
"""

from __future__ import annotations

from enum import StrEnum

from brygga.accounts.models import User
from brygga.core.permissions import register_rules

R = User.Role


class ActionPlanPerm(StrEnum):
    VIEW = "actionplan.view"  # the staff pages: drafts, counts, the moderation queue
    MANAGE = "actionplan.manage"  # programs, goals, areas, activities, statuses
    SET_STATUS = "actionplan.set_status"  # status changes and public updates
    MODERATE = "actionplan.moderate"  # publish, hide and answer comments and ideas
    VIEW_SUBSCRIBERS = "actionplan.view_subscribers"  # e-mail addresses of subscribers


OFFICE = frozenset({R.ADMIN, R.DEVELOPER})

RULES: dict[ActionPlanPerm, frozenset[str]] = {
    ActionPlanPerm.VIEW: frozenset({R.ADMIN, R.DEVELOPER, R.CASE_OFFICER, R.READER}),
    ActionPlanPerm.MANAGE: OFFICE,
    ActionPlanPerm.SET_STATUS: OFFICE,
    ActionPlanPerm.MODERATE: OFFICE,
    ActionPlanPerm.VIEW_SUBSCRIBERS: OFFICE,
}

register_rules(RULES)
