from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "brygga.events"
    label = "events"
    verbose_name = _("Möten och evenemang")

    def ready(self) -> None:
        from brygga.core.privacy import register_holder
        from brygga.events import permissions  # noqa: F401  (registers the rules)
        from brygga.events.privacy import EventsHolder

        register_holder(EventsHolder())
