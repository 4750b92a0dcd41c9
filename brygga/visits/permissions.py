"""Who may do what with visits, feedback, follow-ups and targets. The one place these
rules live.

Readers see the office's visits and figures. A case officer (who belongs to a
department) sees the feedback on the topics of their own department, and the
follow-ups they own; see :func:`brygga.visits.selectors_feedback.feedback_visible_to`.
"""

from __future__ import annotations

from enum import StrEnum

from brygga.accounts.models import User
from brygga.core.permissions import register_rules

R = User.Role


class VisitPerm(StrEnum):
    VIEW = "visits.view"  # visits, their notes, follow-ups and the figures
    LOG = "visits.log"  # log, edit and plan visits, feedback and follow-ups
    IMPORT = "visits.import"  # upload historic visit logs
    MANAGE_LISTS = "visits.manage_lists"  # kinds, topics and yearly targets
    VIEW_FEEDBACK = "visits.view_feedback"  # the feedback pages (scoped for case officers)
    EXPORT_FEEDBACK = "visits.export_feedback"
    WORK_FOLLOW_UPS = "visits.work_follow_ups"  # close one's own follow-ups


OFFICE = frozenset({R.ADMIN, R.DEVELOPER})

RULES: dict[VisitPerm, frozenset[str]] = {
    VisitPerm.VIEW: frozenset({R.ADMIN, R.DEVELOPER, R.READER}),
    VisitPerm.LOG: OFFICE,
    VisitPerm.IMPORT: OFFICE,
    VisitPerm.MANAGE_LISTS: OFFICE,
    VisitPerm.VIEW_FEEDBACK: frozenset({R.ADMIN, R.DEVELOPER, R.CASE_OFFICER, R.READER}),
    VisitPerm.EXPORT_FEEDBACK: frozenset({R.ADMIN, R.DEVELOPER, R.CASE_OFFICER}),
    VisitPerm.WORK_FOLLOW_UPS: frozenset({R.ADMIN, R.DEVELOPER, R.CASE_OFFICER}),
}

register_rules(RULES)
