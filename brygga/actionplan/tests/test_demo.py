"""``manage.py load_demo``: the action plan's part — seed 000 recreated, with fictional people."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from brygga.accounts.models import User
from brygga.actionplan.models import (
    Activity,
    ActivityStatus,
    ActivityUpdate,
    Area,
    Comment,
    Goal,
    Idea,
    Program,
    Subscriber,
)
from brygga.core.models import AuditEntry, OutboxMessage
from brygga.register.demo import load_demo as load_register_demo
from brygga.register.models import Company

SEEDS = Path(os.environ.get("BRYGGA_SEEDS_DIR", Path(settings.BASE_DIR).parent / "shared/seeds"))

AREA_TITLE = "Förbättra dialogen mellan företagare och politiker/tjänstemän"
DONE_TITLES = [
    "Arbeta aktivt med att koppla ihop eldsjälar och relevanta resurser/samarbetspartners",
    "Arrangera Näringslivskontorets frukostmöten på olika tider för att nå fler företagare",
    "Dialog med näringslivet i Stallarholmen angående fördjupad översiktsplan",
    "Inför återkommande upphandlingsmöte med SEVAB, SFAB och Strängnäs kommun",
    "Införa mer tid för dialog och nätverkande på frukostmöten",
    "Införande av utvärderingsrutin för anbudsgivare vid upphandling",
    "Marknadsföringsmöte angående marknadsföringsinsatser för besöksnäringen 2014",
    "Näringslivskontoret genomför 250 företagsbesök 2014",
    "Näringslivskontoret genomför 300 företagsbesök 2015",
    "Näringslivskontoret startar Facebooksida",
    "Näringslivslunch med företagare och politiker en gång i månaden",
    "Smartare användning av kommunens företagsregister vid kontakt med företagare",
    "Starta dialogmöten mellan tjänstemän och företagare 4 gånger/per år",
    "Workshop med berörda tjänstemän om företagsklimatet i Strängnäs kommun",
]
INVESTIGATING_TITLES = [
    "Erbjuda utbildning i sociala medier för politiker",
    "Förbättra informationen om hur handläggningsprocessen/politiska processen fungerar",
    'Förbättra informationen om vad politikerna gör i "vardagen"',
    'Politiker/tjänstemän erbjuds "Prao" hos utvalda företag (vice versa)',
    "Skapa en gemensam vision och samverkansarbete med kommunala skolor/friskolor",
    "Utbildning/rollspelsövning för att skapa insikt om företagarens villkor och verklighet",
]
TITLES = DONE_TITLES + INVESTIGATING_TITLES

# Real people in the seed (its contacts and the entrepreneurs in its texts), their
# one-person firms, and the patterns of its e-mail addresses and phone numbers.
REAL_PEOPLE = [
    "Gunilla Malm",
    "Oskar Mineur",
    "Krister Widström",
    "Anette Lilja",
    "Patrik Wirsenius",
    "Anna Kahlbom",
    "Pernilla Eriksson",
    "Cia Eriksson",
    "Viktoria Ericsson",
    "Victoria Ericsson",
    "Tommy Engström",
    "Catarina Berglund",
    "Emma Hjelm",
    "Anders Ericson",
    "Stefan Seidel",
]
REAL_FIRMS = [
    "Cia Eriksson Sweden",
    "Loppberga trasmattor",
    "Värdshuset Gripen",
    "Skäggesta Gård & Maskin",
    "Drömfabriken",
]
REAL_SURNAMES = [
    *("Malm", "Mineur", "Widström", "Lilja", "Wirsenius", "Kahlbom"),
    *("Eriksson", "Ericsson", "Ericson", "Engström", "Berglund", "Hjelm", "Seidel"),
]
# The seed's numbers are all written "0152-…" (spaces around the hyphen vary); the
# look-behind keeps random tokens and ids ("…x0152-9…") from matching by chance.
REAL_PATTERNS = [r"@strang[an]+s\.se", r"(?<![\w-])0152\s*-\s*\d"]


def _load(*args: str) -> str:
    out = io.StringIO()
    call_command("load_demo", "--companies", "5", *args, stdout=out)
    return out.getvalue()


def _seed() -> str:
    files = sorted(SEEDS.glob("000_*.txt"))
    if not files:
        pytest.skip(f"seed 000 is not at {SEEDS} (set BRYGGA_SEEDS_DIR)")
    # The page has non-breaking spaces here and there; the demo stores plain ones.
    return files[0].read_text(encoding="utf-8").replace("\xa0", " ")


def _plan_text() -> str:
    """Every value the action plan holds, its contacts' and its history's included."""
    values: list[Any] = []
    for model in apps.get_app_config("actionplan").get_models():
        for row in model._default_manager.values():
            values.extend(row.values())
    people = User.objects.filter(actionplan_activities__isnull=False).distinct()
    values.extend(v for row in people.values() for v in row.values())
    audit = AuditEntry.objects.filter(subject_type__startswith="actionplan.")
    values.extend(v for row in audit.values() for v in row.values())
    values.extend(v for row in OutboxMessage.objects.values() for v in row.values())
    return "\n".join(str(v) for v in values)


@pytest.fixture
def demo(settings: Any) -> str:
    settings.DEBUG = True
    return _load()


def _area() -> Area:
    return Area.objects.select_related("program").get(title=AREA_TITLE)


@pytest.mark.django_db
def test_it_recreates_the_seed_area_with_all_twenty_activities_in_order(demo):
    area = _area()
    program = area.program
    assert program.title == "Topp 50-2017"
    assert program.source == Program.Source.SURVEY
    assert (program.period_start, program.period_end) == (
        dt.date(2014, 1, 1),
        dt.date(2017, 12, 31),
    )
    assert program.published and area.published
    assert area.description.startswith("En förutsättning för ett bra företagsklimat är att")
    assert "Läs mer om detta under Delta och påverka." in area.description
    activities = list(area.activities.select_related("status").order_by("position"))
    assert [a.title for a in activities] == TITLES
    assert all(a.published for a in activities)
    assert [a.status.key for a in activities] == ["done"] * 14 + ["investigating"] * 6
    assert {a.status.label for a in activities} == {"Avklarad", "Utredning"}


@pytest.mark.django_db
def test_it_keeps_the_seeds_texts_lists_and_links(demo):
    by_title = {a.title: a for a in _area().activities.all()}
    meeting = by_title["Inför återkommande upphandlingsmöte med SEVAB, SFAB och Strängnäs kommun"]
    assert meeting.status_text.startswith(
        "Aktiviteten är avklarad och ett första ägde rum den 25 september 2015 på "
        "Mötesplats Stallarholmen."
    )
    assert "inköpsansvariga på Strängnäs kommun, ESEM och SFAB" in meeting.description
    marketing = by_title[
        "Marknadsföringsmöte angående marknadsföringsinsatser för besöksnäringen 2014"
    ]
    assert (
        "följande:\n\n- fokus på den svenska marknaden\n- delta på mässor i Tyskland\n"
        in marketing.further_info
    )
    assert "- företagen inom besöksnäringen ska ”sälja varandra” i större utsträckning" in (
        marketing.further_info
    )
    routine = by_title["Införande av utvärderingsrutin för anbudsgivare vid upphandling"]
    assert (
        "här:\n\nhttp://www.strangnas.se/sv/Naringsliv--arbete/Upphandling-och-inkop/\n\n"
        in routine.further_info
    )
    visits = by_title["Näringslivskontoret genomför 300 företagsbesök 2015"]
    assert visits.status_text == (
        "Aktiviteten är avklarad och hittills under 2015 har vi genomfört 426 företagsbesök/möten."
    )
    dialogue = by_title["Starta dialogmöten mellan tjänstemän och företagare 4 gånger/per år"]
    assert "exempelvis:\n\n1. 2 dialogmöten angående parkeringsmöjligheter" in (
        dialogue.status_text
    )
    assert "\n4. Byggdialog med byggbranschen" in dialogue.status_text
    facebook = by_title["Näringslivskontoret startar Facebooksida"]
    assert facebook.status_text == "Finns på Facebook."
    prao = by_title['Politiker/tjänstemän erbjuds "Prao" hos utvalda företag (vice versa)']
    assert prao.status_text.startswith("Förslaget behöver förankras hos politiker")
    assert (prao.description, prao.further_info) == ("", "")


@pytest.mark.django_db
def test_it_gives_every_activity_a_fictional_staff_contact(demo):
    activities = list(_area().activities.select_related("contact"))
    contacts = {a.contact for a in activities}
    assert len(contacts) == 7
    for user in contacts:
        assert user is not None
        assert user.email.endswith("@demo.brygga.se")
        assert re.fullmatch(r"08-465 004 \d\d", user.phone), user.phone
        assert user.title
        assert not user.has_usable_password()
    procurement = next(a for a in activities if "anbudsgivare" in a.title)
    contact = procurement.contact
    assert contact is not None
    assert contact.title == "Inköpschef"
    # The contact named in a text is the activity's contact.
    assert f"Kontakta Inköpschef {contact.full_name} om" in procurement.further_info


@pytest.mark.django_db
def test_it_dates_the_timeline_from_2014(demo):
    for activity in _area().activities.select_related("status"):
        entries = list(activity.updates.select_related("status").order_by("at"))
        added, *changes = entries
        assert added.kind == ActivityUpdate.Kind.ADDED
        assert added.at.year == 2014
        assert activity.published_at == added.at
        if activity.status.key == "done":
            assert added.status is not None and added.status.key == "ongoing"
            assert [(e.kind, e.status_id) for e in changes] == [("status", activity.status_id)]
            assert changes[0].text == activity.status_text
            assert changes[0].at > added.at
        else:
            assert changes == []
            assert added.status == activity.status
    meeting = Activity.objects.get(title__startswith="Inför återkommande upphandlingsmöte")
    done = meeting.updates.get(kind=ActivityUpdate.Kind.STATUS)
    assert done.at.date() > dt.date(2015, 9, 25)
    assert not ActivityUpdate.objects.filter(notify=True).exists()


@pytest.mark.django_db
def test_it_leaves_out_every_real_name_address_and_number(demo):
    data = _plan_text()
    assert "Karin Sjöberg" in data  # the dump holds what the pages show
    for name in REAL_PEOPLE + REAL_FIRMS:
        assert name.casefold() not in data.casefold(), name
    for surname in REAL_SURNAMES:
        assert not re.search(rf"\b{surname}\b", data), surname
    for pattern in REAL_PATTERNS:
        assert not re.search(pattern, data), pattern


def test_it_checks_every_person_address_and_number_the_seed_holds():
    seed = _seed()
    for name in REAL_PEOPLE + REAL_FIRMS:
        assert name in seed, name
    contacts = re.findall(r"Kontakt:\n(.+)", seed)
    assert len(contacts) == 20
    for line in contacts:
        name = re.split(r",| [a-z.]+@", line.removeprefix("Inköpschef "))[0].strip()
        assert name in REAL_PEOPLE, line
    addresses = re.findall(r"[\w.-]+@[\w.-]+", seed)
    assert len(addresses) == 21
    assert all(re.search(REAL_PATTERNS[0], a) for a in addresses), addresses
    numbers = re.findall(r"\b0\d{2,3}\s*-\s*\d[\d ]+", seed)
    assert len(numbers) == 22
    assert all(re.search(REAL_PATTERNS[1], n) for n in numbers), numbers


@pytest.mark.django_db
def test_it_builds_the_strategy_program_with_goals_and_every_status(demo):
    program = Program.objects.get(slug="naringslivsstrategi-2017-2025")
    assert program.title == "Näringslivsstrategi 2017\N{EN DASH}2025"
    assert program.source == Program.Source.DECISION
    goals = list(program.goals.order_by("position"))
    assert [g.title for g in goals] == ["Inflytande", "Kreativitet", "Hållbarhet"]
    assert goals[0].target == "Topp 5 i Svenskt Näringslivs ranking under mandatperioden"
    assert all(g.target and g.description for g in goals)
    assert all(g.areas.filter(published=True).exists() for g in goals)
    activities = Activity.objects.filter(area__program=program, published=True)
    assert set(activities.values_list("status__key", flat=True)) == {
        "planned",
        "ongoing",
        "investigating",
        "done",
        "cancelled",
    }
    assert activities.count() == 9
    cancelled = activities.get(status__key="cancelled")
    assert list(cancelled.updates.order_by("at").values_list("kind", "status__key")) == [
        ("added", "investigating"),
        ("status", "cancelled"),
    ]


@pytest.mark.django_db
def test_it_adds_published_comments_and_ideas_with_answers(demo):
    comments = list(Comment.objects.select_related("reply_by"))
    assert len(comments) == 3
    assert all(c.state == Comment.State.PUBLISHED and c.verified_at for c in comments)
    assert all(c.email.endswith("@example.se") for c in comments)
    answered = [c for c in comments if c.reply_text]
    assert len(answered) == 1
    reply_by = answered[0].reply_by
    assert reply_by is not None and reply_by.email.endswith("@demo.brygga.se")
    ideas = {i.status: i for i in Idea.objects.select_related("activity")}
    assert set(ideas) == {Idea.Status.ACTIVITY, Idea.Status.DECLINED, Idea.Status.CONSIDERING}
    assert all(i.state == Idea.State.PUBLISHED for i in ideas.values())
    became = ideas[Idea.Status.ACTIVITY].activity
    assert became is not None
    assert became.title == "En väg in för den som vill starta eller utveckla företag"
    assert "kommunallagen" in ideas[Idea.Status.DECLINED].status_reason
    assert not Subscriber.objects.exists()


@pytest.mark.django_db
def test_it_queues_no_mail(demo):
    assert Comment.objects.exists() and Idea.objects.exists()
    assert not OutboxMessage.objects.exists()


def _counts() -> tuple[int, ...]:
    models = (Program, Goal, Area, Activity, ActivityUpdate, Comment, Idea, User, Company)
    return tuple(m.objects.count() for m in models)


@pytest.mark.django_db
def test_it_duplicates_nothing_when_run_again(demo):
    before = _counts()
    output = _load("--if-empty")
    assert "Handlingsplanen innehåller redan program" in output
    assert _counts() == before
    with pytest.raises(CommandError, match="redan"):
        _load()
    assert _counts() == before


@pytest.mark.django_db
def test_it_adds_the_action_plan_to_a_database_that_has_only_the_register(settings):
    settings.DEBUG = True
    load_register_demo(companies=5)
    companies = Company.objects.count()
    output = _load("--if-empty")
    assert "Företagsregistret innehåller redan företag" in output
    assert "Handlingsplanen laddad" in output
    assert Company.objects.count() == companies
    assert Activity.objects.filter(area__title=AREA_TITLE).count() == 20


@pytest.mark.django_db
def test_it_makes_again_a_default_status_the_office_had_removed(settings: Any):
    settings.DEBUG = True
    ActivityStatus.objects.filter(key="cancelled").delete()
    ActivityStatus.objects.filter(key="done").update(label="Klar")
    _load()
    assert ActivityStatus.objects.get(key="cancelled").label == "Avbruten"
    assert ActivityStatus.objects.get(key="done").label == "Klar"  # the office's own name stays
    assert Activity.objects.filter(status__key="cancelled").exists()
