from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
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
from plans.tokens import hash_key, new_key


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
    """Administrators make a token here (the key is shown once, in the message after saving;
    only its SHA-256 is kept) and revoke it (the action, or the box on the token)."""

    list_display = ["name", "created_by", "created_at", "expires_at", "revoked"]
    list_filter = ["revoked"]
    readonly_fields = ["key_hash", "created_by", "created_at"]
    search_fields = ["name"]
    actions = ["revoke"]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ["name", "expires_at"]
        return ["name", "key_hash", "created_by", "created_at", "expires_at", "revoked"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [] if obj is None else self.readonly_fields

    def save_model(self, request: HttpRequest, obj: ReadToken, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        key = new_key()
        obj.key_hash = hash_key(key)
        obj.created_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)
        messages.warning(
            request,
            _(
                "Læsenøglen «%(name)s» er oprettet. Kopiér nøglen nu; den vises kun denne ene "
                "gang: %(key)s"
            )
            % {"name": obj.name, "key": key},
        )

    @admin.action(description=gettext_lazy("Tilbagekald valgte læsenøgler"))
    def revoke(self, request: HttpRequest, queryset: Any) -> None:
        count = queryset.filter(revoked=False).update(revoked=True)
        messages.success(
            request,
            ngettext(
                "%(count)d læsenøgle er tilbagekaldt.",
                "%(count)d læsenøgler er tilbagekaldt.",
                count,
            )
            % {"count": count},
        )


@admin.register(PendingImport)
class PendingImportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["filename", "plan_slug", "uploaded_by", "created_at"]
    exclude = ["content"]
    search_fields = ["filename"]


@admin.register(ReminderSent)
class ReminderSentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["user", "plan", "period", "day", "sent_at"]
    list_filter = ["plan", "period"]
