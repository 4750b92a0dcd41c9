from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "brygga.insights"
    label = "insights"
    verbose_name = _("Uppföljning och mätning")

    def ready(self) -> None:
        from brygga.core.versions import data_changed
        from brygga.insights import permissions  # noqa: F401  (registers the rules)
        from brygga.insights.tasks import visit_figures_warm_later

        data_changed.connect(visit_figures_warm_later, dispatch_uid="insights.warm")
