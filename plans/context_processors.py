from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from plans.permissions import allowed

# What the navigation shows, and whether pages may link to item pages (a secretary may
# not open them); asked of the permission module only when a page renders it.
NAV_PERMISSIONS = ("review", "manage_plan", "import_plan", "view_item")


def municipality(request: HttpRequest) -> dict[str, Any]:
    return {
        "MUNICIPALITY_NAME": settings.MUNICIPALITY_NAME,
        "MUNICIPALITY_LOGO": settings.MUNICIPALITY_LOGO,
    }


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)

    def decide() -> dict[str, bool]:
        if user is None or not user.is_authenticated:
            return dict.fromkeys(NAV_PERMISSIONS, False)
        return {name: allowed(user, f"plans.{name}") for name in NAV_PERMISSIONS}

    return {"nav_can": SimpleLazyObject(decide)}
