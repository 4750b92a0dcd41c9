"""Atom feeds of a program's and an area's public timeline (Django's syndication
framework writes the XML).

An entry is one timeline entry: its link is the activity's page at the entry
(``#handelse-<id>``), its id a tag URI that stays the same if the page moves, its
summary the entry's text as the pages show it (escaped, links made safe).
"""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.urls import path, reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from brygga.actionplan.links import list_domain
from brygga.actionplan.models import ActivityUpdate, Area, Program
from brygga.actionplan.selectors import latest_updates, public_areas, public_programs
from brygga.core.text import plain_text_html

FEED_LIMIT = 50
Target = TypeVar("Target", Program, Area)
Kind = ActivityUpdate.Kind


def entry_title(entry: ActivityUpdate) -> str:
    """ "Ny status för <activity>: Avklarad", and the like for the other kinds."""
    title = entry.activity.title
    if entry.kind == Kind.STATUS and entry.status is not None:
        return _("Ny status för %(activity)s: %(status)s") % {
            "activity": title,
            "status": entry.status.label,
        }
    if entry.kind == Kind.ADDED:
        return _("Ny aktivitet: %(activity)s") % {"activity": title}
    return _("Uppdatering av %(activity)s") % {"activity": title}


def entry_anchor(entry: ActivityUpdate) -> str:
    return f"handelse-{entry.pk}"


class _TimelineFeed(Feed[ActivityUpdate, Target]):
    feed_type = Atom1Feed

    def item_title(self, item: ActivityUpdate) -> str:
        return entry_title(item)

    def item_description(self, item: ActivityUpdate) -> str:
        if item.text:
            return plain_text_html(item.text)
        if item.status is not None:
            return plain_text_html(_("Status: %(status)s") % {"status": item.status.label})
        return ""

    def item_link(self, item: ActivityUpdate) -> str:
        return f"{item.activity.get_absolute_url()}#{entry_anchor(item)}"

    def item_guid(self, item: ActivityUpdate) -> str:
        # A tag URI (RFC 4151): unique and permanent, whatever happens to the slugs.
        return f"tag:{list_domain()},{item.at:%Y-%m-%d}:handlingsplan/handelse/{item.pk}"

    def item_guid_is_permalink(self, item: ActivityUpdate) -> bool:
        return False

    def item_pubdate(self, item: ActivityUpdate) -> dt.datetime:
        return item.at

    def item_updateddate(self, item: ActivityUpdate) -> dt.datetime:
        return item.at


class ProgramFeed(_TimelineFeed[Program]):
    def get_object(self, request: HttpRequest, program: str) -> Program:
        found = public_programs().filter(slug=program).first()
        if found is None:
            raise Http404
        return found

    def title(self, obj: Program) -> str:
        return _("Handlingsplanen: %(program)s") % {"program": obj.title}

    def subtitle(self, obj: Program) -> str:
        return _("Nya aktiviteter, statusändringar och uppdateringar i %(program)s.") % {
            "program": obj.title
        }

    def link(self, obj: Program) -> str:
        return obj.get_absolute_url()

    def feed_url(self, obj: Program) -> str:
        return reverse("actionplan:program_feed", kwargs={"program": obj.slug})

    def items(self, obj: Program) -> list[ActivityUpdate]:
        return latest_updates(program=obj, limit=FEED_LIMIT)


class AreaFeed(_TimelineFeed[Area]):
    def get_object(self, request: HttpRequest, program: str, area: str) -> Area:
        found = public_areas().filter(program__slug=program, slug=area).select_related("program")
        first = found.first()
        if first is None:
            raise Http404
        return first

    def title(self, obj: Area) -> str:
        return _("Handlingsplanen: %(area)s") % {"area": obj.title}

    def subtitle(self, obj: Area) -> str:
        return _("Nya aktiviteter, statusändringar och uppdateringar i %(area)s (%(program)s).") % {
            "area": obj.title,
            "program": obj.program.title,
        }

    def link(self, obj: Area) -> str:
        return obj.get_absolute_url()

    def feed_url(self, obj: Area) -> str:
        return reverse(
            "actionplan:area_feed", kwargs={"program": obj.program.slug, "area": obj.slug}
        )

    def items(self, obj: Area) -> list[ActivityUpdate]:
        return latest_updates(area=obj, limit=FEED_LIMIT)


urlpatterns = [
    path("handlingsplan/<slug:program>/flode/", ProgramFeed(), name="program_feed"),
    path("handlingsplan/<slug:program>/<slug:area>/flode/", AreaFeed(), name="area_feed"),
]
