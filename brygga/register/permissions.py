"""Who may do what in the company register. The one place these rules live."""

from __future__ import annotations

from enum import StrEnum

from brygga.accounts.models import User
from brygga.core.permissions import register_rules

R = User.Role


class RegisterPerm(StrEnum):
    VIEW = "register.view"  # company list and pages
    VIEW_PERSONAL_NUMBER = "register.view_personal_number"  # unmasked personnummer
    VIEW_CONTACTS = "register.view_contacts"
    EDIT = "register.edit"  # companies and contacts
    ADD_NOTE = "register.add_note"
    EXPORT = "register.export"
    IMPORT = "register.import"
    MANAGE_SEGMENTS = "register.manage_segments"
    REVIEW_CORRECTIONS = "register.review_corrections"
    SEND_CORRECTION_LINK = "register.send_correction_link"
    VIEW_HISTORY = "register.view_history"


ALL_STAFF = frozenset({R.ADMIN, R.DEVELOPER, R.CASE_OFFICER, R.READER})
OFFICE = frozenset({R.ADMIN, R.DEVELOPER})

RULES: dict[RegisterPerm, frozenset[str]] = {
    RegisterPerm.VIEW: ALL_STAFF,
    RegisterPerm.VIEW_PERSONAL_NUMBER: OFFICE,
    RegisterPerm.VIEW_CONTACTS: frozenset({R.ADMIN, R.DEVELOPER, R.CASE_OFFICER}),
    RegisterPerm.EDIT: OFFICE,
    RegisterPerm.ADD_NOTE: frozenset({R.ADMIN, R.DEVELOPER, R.CASE_OFFICER}),
    RegisterPerm.EXPORT: OFFICE,
    RegisterPerm.IMPORT: OFFICE,
    RegisterPerm.MANAGE_SEGMENTS: OFFICE,
    RegisterPerm.REVIEW_CORRECTIONS: OFFICE,
    RegisterPerm.SEND_CORRECTION_LINK: OFFICE,
    RegisterPerm.VIEW_HISTORY: frozenset({R.ADMIN, R.DEVELOPER, R.CASE_OFFICER}),
}

register_rules(RULES)
