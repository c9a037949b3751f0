from typing import Any

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from committees.models import (
    AgendaTemplate,
    Committee,
    CommitteeNote,
    Meeting,
    Membership,
    MembershipRole,
)
from plans.permissions import Role


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


# --- a user's role and committees on one page ---------------------------------------


class UserMembershipInline(admin.TabularInline):
    """The user's committees (director of the area, head of department, secretary)."""

    model = Membership
    fk_name = "user"
    extra = 1
    autocomplete_fields = ["committee"]
    verbose_name = _("udvalg")
    verbose_name_plural = _("udvalg (direktør for området, fagchef, sekretær)")


# The membership a role needs before the user sees any items.
ROLE_MEMBERSHIPS = {
    Role.DIRECTOR: MembershipRole.DIRECTOR,
    Role.HEAD: MembershipRole.HEAD,
}


def missing_committee_warnings(user: Any) -> list[str]:
    """A director or head of department without a committee of that kind sees «Du har
    ingen punkter»: one warning per such role."""
    if user is None or user.pk is None:
        return []
    roles = set(user.groups.values_list("name", flat=True))
    kinds = set(user.memberships.values_list("role", flat=True))
    warnings = []
    for role, membership in ROLE_MEMBERSHIPS.items():
        if role in roles and membership not in kinds:
            warnings.append(
                _(
                    "%(name)s har rollen %(role)s, men intet udvalg som «%(membership)s»: "
                    "tilføj udvalget under «Udvalg» nedenfor, ellers ser brugeren ingen punkter."
                )
                % {
                    "name": user.get_full_name() or user.get_username(),
                    "role": role,
                    "membership": MembershipRole(membership).label,
                }
            )
    return warnings


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class UserWithCommitteesAdmin(DjangoUserAdmin):
    """Django's user page with the role (group) near the top and the committees inline,
    so a new director is set up on one page."""

    inlines = [UserMembershipInline]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Navn og e-mail"), {"fields": ("first_name", "last_name", "email")}),
        (
            _("Rolle"),
            {
                "fields": ("groups",),
                "description": _(
                    "Direktører og fagchefer skal også have deres udvalg under «Udvalg» nedenfor."
                ),
            },
        ),
        (
            _("Adgang"),
            {"fields": ("is_active", "is_staff", "is_superuser", "user_permissions")},
        ),
        (_("Datoer"), {"fields": ("last_login", "date_joined")}),
    )

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Any | None = None,
    ) -> HttpResponse:
        if change and request.method == "GET":
            for warning in missing_committee_warnings(obj):
                messages.warning(request, warning)
        return super().render_change_form(request, context, add, change, form_url, obj)
