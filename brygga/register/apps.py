from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegisterConfig(AppConfig):
    name = "brygga.register"
    label = "register"
    verbose_name = _("Företagsregister")

    def ready(self) -> None:
        from brygga.register import permissions  # noqa: F401  (registers the rules)
