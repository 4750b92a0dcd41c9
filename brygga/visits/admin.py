"""Django admin for visits (administrators only; see ``accounts.admin``).

The staff pages are the way to work with visits: they go through the services and
write the audit log. The admin is for looking things up and for repairs; companies
are chosen by id (``raw_id_fields``), as the register holds hundreds of thousands.
"""

from __future__ import annotations

from django.contrib import admin

from brygga.visits.models import (
    Feedback,
    FollowUp,
    Topic,
    Visit,
    VisitCompany,
    VisitKind,
    VisitTarget,
)


@admin.register(VisitKind)
class VisitKindAdmin(admin.ModelAdmin[VisitKind]):
    list_display = ["label", "key", "position", "active"]
    list_editable = ["position", "active"]
    list_filter = ["active"]
    search_fields = ["label", "key"]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin[Topic]):
    list_display = ["label", "key", "department", "position", "active"]
    list_editable = ["position", "active"]
    list_filter = ["active", "department"]
    list_select_related = ["department"]
    search_fields = ["label", "key"]


class VisitCompanyInline(admin.TabularInline[VisitCompany, Visit]):
    model = VisitCompany
    raw_id_fields = ["company"]
    extra = 0


class FeedbackInline(admin.StackedInline[Feedback, Visit]):
    model = Feedback
    raw_id_fields = ["company", "area", "activity"]
    extra = 0


class FollowUpInline(admin.TabularInline[FollowUp, Visit]):
    model = FollowUp
    fields = ["title", "owner", "due_on", "status", "outcome", "done_at"]
    extra = 0


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin[Visit]):
    list_display = ["date", "kind", "status", "rating", "imported", "created_by"]
    list_filter = ["status", "kind", "imported"]
    list_select_related = ["kind", "created_by"]
    date_hierarchy = "date"
    search_fields = ["companies__name", "companies__identity", "notes", "politicians"]
    filter_horizontal = ["staff"]
    raw_id_fields = ["created_by"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [VisitCompanyInline, FeedbackInline, FollowUpInline]


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin[Feedback]):
    list_display = ["visit", "topic", "sentiment", "company", "area", "activity"]
    list_filter = ["sentiment", "topic"]
    list_select_related = ["visit__kind", "topic", "company", "area", "activity"]
    search_fields = ["text"]
    raw_id_fields = ["visit", "company", "area", "activity"]


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin[FollowUp]):
    list_display = ["title", "owner", "due_on", "status", "reminded_for", "done_at"]
    list_filter = ["status", "owner"]
    list_select_related = ["owner"]
    date_hierarchy = "due_on"
    search_fields = ["title", "outcome"]
    raw_id_fields = ["visit"]
    readonly_fields = ["reminded_for", "created_at", "updated_at"]


@admin.register(VisitTarget)
class VisitTargetAdmin(admin.ModelAdmin[VisitTarget]):
    list_display = ["year", "visits", "coverage_percent", "note"]
