"""The admin fully in Danish. Django writes the default permissions' names in English into
the database ("Can add access attempt"); after every migrate they are renamed here from
the models' Danish names ("Kan tilføje log ind-forsøg"). The third-party apps' own
strings (django-axes, django-simple-history) are translated in udmoentning/third_party_locale."""

from __future__ import annotations

from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib.auth.models import Permission
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

VERBS = {
    "add": _("Kan tilføje %(name)s"),
    "change": _("Kan ændre %(name)s"),
    "delete": _("Kan slette %(name)s"),
    "view": _("Kan se %(name)s"),
}


def danish_app_names() -> None:
    """django-axes has no Danish app name, and its records name themselves in English
    f-strings ("Access Log for anders @ ..."), which the admin shows as page titles."""
    apps.get_app_config("axes").verbose_name = _("Log ind-spærring")

    def attempt(self: Any) -> str:
        return str(_("Log ind-forsøg %(when)s") % {"when": _when(self.attempt_time)})

    def log(self: Any) -> str:
        return str(
            _("Log ind for %(user)s %(when)s")
            % {"user": self.username, "when": _when(self.attempt_time)}
        )

    def failure(self: Any) -> str:
        return str(
            _("Mislykket log ind for %(user)s %(when)s fra %(ip)s")
            % {"user": self.username, "when": _when(self.attempt_time), "ip": self.ip_address}
        )

    AccessAttempt.__str__ = attempt  # type: ignore[method-assign,assignment]
    AccessLog.__str__ = log  # type: ignore[method-assign,assignment]
    AccessFailureLog.__str__ = failure  # type: ignore[method-assign,assignment]


def _when(moment: Any) -> str:
    return timezone.localtime(moment).strftime("%d-%m-%Y kl. %H:%M") if moment else ""


def danish_permission_names(using: str = "default", **kwargs: Any) -> None:
    with translation.override("da"):
        for permission in Permission.objects.using(using).select_related("content_type"):
            action, _sep, model_name = permission.codename.partition("_")
            model = permission.content_type.model_class()
            if action not in VERBS or model is None or model_name != model._meta.model_name:
                continue  # a permission of the application's own, already named in Danish
            name = str(VERBS[action] % {"name": model._meta.verbose_name})[:255]
            if permission.name != name:
                Permission.objects.using(using).filter(pk=permission.pk).update(name=name)
