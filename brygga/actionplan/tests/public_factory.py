"""A public action plan with something of everything the public pages show, and small
helpers to read the pages, for the tests of the public pages."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.test import Client
from django.utils import timezone

from brygga.accounts.models import User
from brygga.actionplan.models import Activity, Area, Idea, Program
from brygga.actionplan.tests.factories import (
    make_activity,
    make_area,
    make_comment,
    make_contact,
    make_idea,
    make_program,
    make_status_change,
    make_update,
)

DAY = dt.timedelta(days=1)


def html(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return response.content.decode()


def text_of(page: str) -> str:
    """The page's visible text with tags removed and white space collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


def between(page: str, start: str, end: str) -> str:
    """The part of ``page`` from ``start`` up to ``end`` (both must be there)."""
    first = page.index(start)
    return page[first : page.index(end, first)]


@dataclass
class Plan:
    program: Program
    area: Area
    visits: Activity  # investigating → done, a contact, dates, comments, ideas
    breakfast: Activity  # done, no contact
    procurement: Activity  # investigating
    draft: Activity
    draft_area: Area
    other_program: Program
    contact: User
    moderator: User


def make_public_plan(moderator: User) -> Plan:
    """One published area with three published activities (one with a contact, dates,
    a status change, an update, comments in every public state and ideas in every
    status), a draft activity, a draft area and an unpublished program."""
    program = make_program(
        title="Topp 50-2017",
        summary="Femtio förbättringar för företagen till 2017.",
        description="Programmet bygger på en undersökning.\n\nLäs mer på https://www.example.se/topp50.",
        period_start=dt.date(2014, 1, 1),
        period_end=dt.date(2017, 12, 31),
        source=Program.Source.SURVEY,
        source_detail="Företagarundersökning 2013",
        goals=2,
    )
    area = make_area(
        program,
        description="En förutsättning för ett bra företagsklimat är ett bra samtalsklimat.",
    )
    contact = make_contact()
    start = timezone.now() - 30 * DAY
    visits = make_activity(
        area,
        title="Näringslivskontoret genomför 250 företagsbesök",
        status="investigating",
        status_text="Vi planerar besöken.",
        description="Syftet med företagsbesök är att skapa närmare kontakt.",
        further_info="Ring oss så bokar vi en tid.",
        contact=contact,
        start_date=dt.date(2014, 1, 15),
        end_date=dt.date(2014, 12, 19),
        at=start,
    )
    make_status_change(
        visits,
        "done",
        "Aktiviteten är avklarad och det sista besöket är gjort.",
        at=start + 10 * DAY,
    )
    make_update(visits, "Vi summerar året på frukostmötet.", at=start + 20 * DAY)
    breakfast = make_activity(
        area,
        title="Frukostmöten på olika tider",
        status="done",
        status_text="Vi har haft möten både på morgonen och vid lunch.",
        at=start + DAY,
    )
    procurement = make_activity(
        area,
        title="Återkommande upphandlingsmöte",
        status="investigating",
        status_text="Vi utreder formen för mötena.",
        at=start + 2 * DAY,
    )
    draft = make_activity(area, title="Hemlig aktivitet i utkast", published=False)
    draft_area = make_area(program, title="Område i utkast", published=False)
    other_program = make_program(title="Näringslivsstrategi i utkast", published=False)
    make_comment(visits, name="Sara Lind", text="Bra initiativ!\n\nBesök oss gärna.")
    make_comment(
        visits,
        name="Per Persson",
        text="När kommer ni till Åker?",
        reply="Vi kommer i maj.",
        moderator=moderator,
    )
    make_comment(
        visits, name="Spammaren", text="Köp billigt!", hidden="Reklam.", moderator=moderator
    )
    make_comment(visits, name="Obekräftad Olsson", text="Ej bekräftad.", verified=False)
    make_idea(
        area,
        title="Företagarlunch varje kvartal",
        name="Omar Haddad",
        status=Idea.Status.ACTIVITY,
        activity=visits,
        moderator=moderator,
    )
    make_idea(
        area,
        title="Gratis parkering för alla",
        name="Lena Ek",
        status=Idea.Status.DECLINED,
        reason="Parkeringen ägs inte av kommunen.",
        moderator=moderator,
    )
    make_idea(area, title="Mingel efter mötena", name="Ali Demir")
    make_idea(
        area,
        title="Olämplig idé",
        text="Olämplig text",
        name="Troll",
        hidden="Kränkande innehåll.",
        moderator=moderator,
    )
    make_idea(area, title="Idé som inte är bekräftad", verified=False)
    return Plan(
        program,
        area,
        visits,
        breakfast,
        procurement,
        draft,
        draft_area,
        other_program,
        contact,
        moderator,
    )
