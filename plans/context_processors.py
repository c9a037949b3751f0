from typing import Any

from django.conf import settings
from django.http import HttpRequest


def municipality(request: HttpRequest) -> dict[str, Any]:
    return {
        "MUNICIPALITY_NAME": settings.MUNICIPALITY_NAME,
        "MUNICIPALITY_LOGO": settings.MUNICIPALITY_LOGO,
    }
