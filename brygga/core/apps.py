from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "brygga.core"
    label = "core"
    verbose_name = _("Gemensamt")

    def ready(self) -> None:
        from brygga.core.outbox_privacy import OutboxHolder
        from brygga.core.permissions import _core_rules
        from brygga.core.privacy import register_holder

        _core_rules()
        register_holder(OutboxHolder())
