from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionPlanConfig(AppConfig):
    name = "brygga.actionplan"
    label = "actionplan"
    verbose_name = _("Handlingsplan")

    def ready(self) -> None:
        from brygga.actionplan import permissions  # noqa: F401  (registers the rules)
        from brygga.actionplan.privacy import ActionPlanHolder
        from brygga.core.privacy import register_holder

        register_holder(ActionPlanHolder())
