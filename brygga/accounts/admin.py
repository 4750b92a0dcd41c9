from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from brygga.accounts.models import Department, User


def _admins_only(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and getattr(user, "role", None) == User.Role.ADMIN)


# Django admin stays, for administrators only, whatever is_staff says.
admin.site.has_permission = _admins_only  # type: ignore[method-assign]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin[Department]):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(User)
class UserAdmin(admin.ModelAdmin[User]):
    list_display = ["email", "full_name", "role", "department", "is_active"]
    list_filter = ["role", "department", "is_active"]
    search_fields = ["email", "full_name"]
    exclude = ["password", "groups", "user_permissions", "last_login"]
    readonly_fields = ["date_joined"]
