"""Who may do what with meetings, registrations, invitations and evaluations. The one
place these rules live.

The public registers, cancels and evaluates through personal links without logging
in; everything here is for staff.
"""

from __future__ import annotations

from enum import StrEnum

from brygga.accounts.models import User
from brygga.core.permissions import register_rules

R = User.Role


class EventPerm(StrEnum):
    VIEW = "events.view"  # the staff list, an event's figures and the evaluation results
    MANAGE = "events.manage"  # create, edit, cancel events and series; their questions
    VIEW_PEOPLE = "events.view_people"  # who registered (names, addresses, answers)
    INVITE = "events.invite"  # send invitations to a segment, tag or locality
    CHECK_IN = "events.check_in"  # mark attendance on the day
    MANAGE_KINDS = "events.manage_kinds"  # the managed list of kinds


OFFICE = frozenset({R.ADMIN, R.DEVELOPER})

RULES: dict[EventPerm, frozenset[str]] = {
    EventPerm.VIEW: frozenset({R.ADMIN, R.DEVELOPER, R.CASE_OFFICER, R.READER}),
    EventPerm.MANAGE: OFFICE,
    EventPerm.VIEW_PEOPLE: frozenset({R.ADMIN, R.DEVELOPER, R.CASE_OFFICER}),
    EventPerm.INVITE: OFFICE,
    # Officials from the departments take part in dialogue meetings and may take the list.
    EventPerm.CHECK_IN: frozenset({R.ADMIN, R.DEVELOPER, R.CASE_OFFICER}),
    EventPerm.MANAGE_KINDS: OFFICE,
}

register_rules(RULES)
