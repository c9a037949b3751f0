from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from plans.models import (
    BudgetPlan,
    Heading,
    Item,
    ItemAmount,
    ObsEvent,
    ObsPoint,
    PendingImport,
    PublishedReport,
    ReadToken,
    ReminderSent,
    StatusReport,
    Theme,
)


class ReadOnlyAdminMixin:
    """For the insert-only records: visible, never changed or deleted from the admin."""

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(BudgetPlan)
class BudgetPlanAdmin(SimpleHistoryAdmin):
    list_display = [
        "slug",
        "title",
        "first_year",
        "last_year",
        "case_number",
        "state",
        "round_scope",
    ]
    list_filter = ["state", "round_scope"]
    search_fields = ["slug", "title", "case_number"]


@admin.register(Heading)
class HeadingAdmin(admin.ModelAdmin):
    list_display = ["name", "plan", "order"]
    list_filter = ["plan"]
    search_fields = ["name"]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "plan", "order"]
    list_filter = ["plan"]
    search_fields = ["name", "description"]


class ItemAmountInline(admin.TabularInline):
    model = ItemAmount
    extra = 0


@admin.register(Item)
class ItemAdmin(SimpleHistoryAdmin):
    list_display = [
        "number",
        "title",
        "kind",
        "committee",
        "cross_cutting",
        "completed",
        "responsible_name",
        "plan",
    ]
    list_filter = ["plan", "kind", "committee", "cross_cutting", "completed", "public"]
    search_fields = ["number", "title", "description", "responsible_name"]
    list_select_related = ["committee", "plan"]
    autocomplete_fields = ["responsible", "heading", "origin"]
    filter_horizontal = ["also_committees", "themes"]
    inlines = [ItemAmountInline]
    list_per_page = 100


@admin.register(StatusReport)
class StatusReportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["item", "period", "colour", "obs", "author_name", "created_at"]
    list_filter = ["colour", "obs", "period", "source"]
    search_fields = ["item__number", "item__title", "comment", "obs_text"]
    list_select_related = ["item"]
    autocomplete_fields = ["item", "author"]


class ObsEventInline(admin.TabularInline):
    model = ObsEvent
    extra = 0
    can_delete = False
    fields = ("kind", "month", "text", "follow_up_by", "due", "author_name", "created_at")
    readonly_fields = ("kind", "month", "text", "follow_up_by", "due", "author_name", "created_at")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ObsPoint)
class ObsPointAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["item", "month", "text", "opened_by_name", "opened_at"]
    list_filter = ["month"]
    search_fields = ["item__number", "item__title", "text"]
    list_select_related = ["item"]
    inlines = [ObsEventInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Raised through Item.open_obs (one open point per item), never typed in here.
        return False


@admin.register(PublishedReport)
class PublishedReportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "plan",
        "kind",
        "period",
        "meeting_date",
        "sha256",
        "published_by",
        "published_at",
    ]
    list_filter = ["plan", "kind"]
    exclude = ["pdf"]
    search_fields = ["sha256"]


@admin.register(ReadToken)
class ReadTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "created_by", "created_at", "revoked"]
    readonly_fields = ["key_hash", "created_by"]
    search_fields = ["name"]


@admin.register(PendingImport)
class PendingImportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["filename", "plan_slug", "uploaded_by", "created_at"]
    exclude = ["content"]
    search_fields = ["filename"]


@admin.register(ReminderSent)
class ReminderSentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["user", "plan", "period", "day", "sent_at"]
    list_filter = ["plan", "period"]
