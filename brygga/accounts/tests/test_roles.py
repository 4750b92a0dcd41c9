"""Roles: the administrator role alone opens Django admin; a case officer has a department."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from brygga.accounts.models import Department, User
from brygga.accounts.services import user_create, user_set_role


def _flags(user: User) -> tuple[bool, bool]:
    user.refresh_from_db()
    return user.is_staff, user.is_superuser


@pytest.mark.parametrize(
    "role,flags",
    [
        (User.Role.ADMIN, (True, True)),
        (User.Role.DEVELOPER, (False, False)),
        (User.Role.READER, (False, False)),
    ],
)
def test_it_creates_users_with_admin_flags_from_the_role(db: None, role: str, flags):
    user = user_create(email="Ny.Person@Example.SE", full_name="Ny Person", role=role)
    assert _flags(user) == flags
    assert user.email == "ny.person@example.se"
    # No password given: the person sets one through the reset link.
    assert not user.has_usable_password()


def test_it_gives_and_takes_admin_rights_with_the_role(
    developer: User, department_miljo: Department
):
    user_set_role(user=developer, role=User.Role.ADMIN)
    assert _flags(developer) == (True, True)
    user_set_role(user=developer, role=User.Role.CASE_OFFICER, department=department_miljo)
    assert _flags(developer) == (False, False)
    assert developer.department == department_miljo
    user_set_role(user=developer, role=User.Role.READER)
    assert _flags(developer) == (False, False)
    assert developer.department is None


def test_it_refuses_a_case_officer_without_a_department(db: None):
    with pytest.raises(ValidationError):
        user_create(email="x@example.se", full_name="X", role=User.Role.CASE_OFFICER)
    assert not User.objects.exists()


def test_it_refuses_to_move_someone_to_case_officer_without_a_department(developer: User):
    with pytest.raises(ValidationError):
        user_set_role(user=developer, role=User.Role.CASE_OFFICER)
    assert User.objects.get(pk=developer.pk).role == User.Role.DEVELOPER


def test_it_enforces_the_department_rule_in_the_database(case_officer: User):
    # Code that skips the service (a bulk update, raw SQL) still hits the constraint.
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=case_officer.pk).update(department=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(email="y@example.se", full_name="Y", role=User.Role.CASE_OFFICER)


def test_it_refuses_an_address_already_taken_whatever_the_case(developer: User):
    with pytest.raises(ValidationError):
        user_create(email="NILS.UTVECKLARE@example.se", full_name="Kopia", role=User.Role.READER)
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(email="Nils.Utvecklare@Example.se", full_name="Kopia")


def test_it_knows_each_persona_by_role(admin_user, developer, case_officer, reader):
    assert admin_user.has_role(User.Role.ADMIN)
    assert developer.has_role(User.Role.DEVELOPER, User.Role.ADMIN)
    assert not reader.has_role(User.Role.DEVELOPER, User.Role.ADMIN)
    assert case_officer.department.slug == "bygglov"
    case_officer.is_active = False
    assert not case_officer.has_role(User.Role.CASE_OFFICER)
