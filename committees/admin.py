from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from committees.models import AgendaTemplate, Committee, CommitteeNote, Meeting, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Committee)
class CommitteeAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "kind", "order"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "committee", "role"]
    list_filter = ["role", "committee"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "committee__code"]
    autocomplete_fields = ["user", "committee"]


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["date", "body", "title", "plan", "case_number"]
    list_filter = ["body", "plan"]
    search_fields = ["title", "case_number"]
    date_hierarchy = "date"
    filter_horizontal = ["invited"]


@admin.register(CommitteeNote)
class CommitteeNoteAdmin(SimpleHistoryAdmin):
    list_display = ["date", "committee", "item", "public"]
    list_filter = ["committee", "public"]
    search_fields = ["text", "item__number", "item__title"]
    autocomplete_fields = ["item", "committee", "meeting"]


@admin.register(AgendaTemplate)
class AgendaTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "updated_at"]
