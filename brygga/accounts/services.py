"""Writes for staff accounts."""

from __future__ import annotations

from django.db import transaction

from brygga.accounts.models import Department, User


def _sync_admin_flags(user: User) -> None:
    # Django admin is for administrators only; the role is the single source.
    is_admin = user.role == User.Role.ADMIN
    user.is_staff = is_admin
    user.is_superuser = is_admin


@transaction.atomic
def user_create(
    *,
    email: str,
    full_name: str,
    role: str,
    password: str | None = None,
    department: Department | None = None,
    title: str = "",
    phone: str = "",
) -> User:
    user = User(
        email=User.objects.normalize_email(email).lower(),
        full_name=full_name,
        role=role,
        department=department,
        title=title,
        phone=phone,
    )
    _sync_admin_flags(user)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    return user


@transaction.atomic
def user_set_role(*, user: User, role: str, department: Department | None = None) -> User:
    user.role = role
    user.department = department
    _sync_admin_flags(user)
    user.full_clean(exclude=["password"])
    user.save(update_fields=["role", "department", "is_staff", "is_superuser"])
    return user
