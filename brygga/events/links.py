"""Absolute links for e-mails and calendars: the site's address plus a path."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from brygga.events.models import Event, Invitation, Registration, Series


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def event_url(event: Event) -> str:
    return absolute(event.get_absolute_url())


def event_ics_url(event: Event) -> str:
    return absolute(reverse("events:event_ics", kwargs={"pk": event.pk}))


def series_ics_url(series: Series) -> str:
    return absolute(reverse("events:series_ics", kwargs={"pk": series.pk}))


def manage_url(registration: Registration) -> str:
    """The registered person's own page: their status and the button to cancel."""
    return absolute(reverse("events:registration", kwargs={"token": registration.token}))


def evaluation_url(registration: Registration) -> str:
    return absolute(reverse("events:evaluate", kwargs={"token": registration.token}))


def invitation_url(invitation: Invitation) -> str:
    return absolute(reverse("events:invitation", kwargs={"token": invitation.token}))


def feed_url() -> str:
    return absolute(reverse("events:feed"))


def webcal_url() -> str:
    """The feed as ``webcal:``, which calendar programs open as a subscription."""
    return "webcal:" + feed_url().split(":", 1)[1]


def uid_domain() -> str:
    """The host name of SITE_URL, the right-hand side of the calendar UIDs."""
    return settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
