"""Absolute links for e-mails: the site's address plus a path, and the token links."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from brygga.actionplan.models import Subscriber, Subscription


def absolute(path_or_object: str | models.Model) -> str:
    if isinstance(path_or_object, models.Model):
        path = path_or_object.get_absolute_url()  # type: ignore[attr-defined]
    else:
        path = path_or_object
    return settings.SITE_URL + path


def confirm_url(subscriber: Subscriber) -> str:
    return absolute(reverse("actionplan:subscription_confirm", kwargs={"token": subscriber.token}))


def manage_url(subscriber: Subscriber) -> str:
    return absolute(reverse("actionplan:subscription_manage", kwargs={"token": subscriber.token}))


def unsubscribe_url(subscription: Subscription) -> str:
    return absolute(reverse("actionplan:unsubscribe", kwargs={"token": subscription.token}))


def unsubscribe_all_url(subscriber: Subscriber) -> str:
    return absolute(reverse("actionplan:unsubscribe_all", kwargs={"token": subscriber.token}))


def list_domain() -> str:
    """The host name of SITE_URL, for List-Id headers."""
    return settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
