from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from plans.db_guards import install_insert_only_triggers


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("Udmøntningsplaner")

    def ready(self) -> None:
        # Imported here: it reads axes' models, which the app registry must load first.
        from plans.admin_danish import danish_app_names, danish_permission_names  # noqa: PLC0415

        post_migrate.connect(install_insert_only_triggers, sender=self)
        post_migrate.connect(danish_permission_names, dispatch_uid="danish_permission_names")
        danish_app_names()
