from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from plans.db_guards import install_insert_only_triggers


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("Udmøntningsplaner")

    def ready(self) -> None:
        post_migrate.connect(install_insert_only_triggers, sender=self)
