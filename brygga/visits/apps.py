from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    name = "brygga.visits"
    label = "visits"
    verbose_name = _("Företagsbesök")

    def ready(self) -> None:
        from brygga.visits import permissions  # noqa: F401  (registers the rules)
