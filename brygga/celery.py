"""The Celery application: Redis in production, a file-system broker for the demo."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "brygga.settings")

app = Celery("brygga")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
