"""The public action plan pages: the start page, a program, an area, an activity, and
the site's start page. What each shows, and what it hides (drafts, unconfirmed and
pending comments and ideas). Query counts and hostile text: test_public_queries.py."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from brygga.accounts.models import User
from brygga.actionplan.models import Activity, Comment, Idea
from brygga.actionplan.tests.factories import make_activity, make_area, make_program
from brygga.actionplan.tests.public_factory import (
    Plan,
    between,
    html,
    make_public_plan,
    text_of,
)

pytestmark = pytest.mark.django_db

DASH = "\N{EN DASH}"  # between two dates, and in page titles


@pytest.fixture
def plan(developer: User) -> Plan:
    return make_public_plan(developer)


# ---------------------------------------------------------------- start page


def test_it_shows_the_published_programs_and_latest_updates_on_the_start_page(
    client: Client, plan: Plan
) -> None:
    page = html(client, reverse("actionplan:start"))
    text = text_of(page)
    assert "<title>Handlingsplan för ett bättre företagsklimat" in page
    assert "Det här gör Strängnäs kommun för företagen" in text
    assert f'href="{plan.program.get_absolute_url()}">Topp 50-2017</a>' in page
    assert f"1 januari 2014{DASH}31 december 2017" in text
    assert "Femtio förbättringar för företagen till 2017." in text
    # 3 published activities of which 2 are done; the draft is not counted.
    assert "1 förbättringsområde, 3 aktiviteter, 2 avklarade (67 %)" in text
    assert "Näringslivsstrategi i utkast" not in page
    assert 'role="search"' in page
    assert f'action="{reverse("actionplan:search")}"' in page


def test_it_lists_the_latest_timeline_entries_newest_first_on_the_start_page(
    client: Client, plan: Plan
) -> None:
    latest = between(html(client, reverse("actionplan:start")), 'id="latest-heading"', "</ol>")
    text = text_of(latest)
    update = plan.visits.updates.get(kind="update")
    assert f'href="{plan.visits.get_absolute_url()}#handelse-{update.pk}"' in latest
    assert f'<time datetime="{update.at.astimezone().isoformat()}' in latest
    assert text.index("Vi summerar året") < text.index("Ny status: Avklarad")
    assert "Aktiviteten är avklarad och det sista besöket är gjort." in text
    assert "Ny aktivitet" in text
    assert "Hemlig aktivitet" not in text


# ---------------------------------------------------------------- program page


def test_it_shows_the_program_with_its_goals_areas_and_counts(client: Client, plan: Plan) -> None:
    page = html(client, plan.program.get_absolute_url())
    text = text_of(page)
    assert f"<title>Topp 50-2017 {DASH} Handlingsplan" in page
    assert re.search(r"<h1>Topp 50-2017</h1>", page)
    assert "Undersökning bland företagen: Företagarundersökning 2013" in text
    assert f"1 januari 2014{DASH}31 december 2017" in text
    # The description is plain text: paragraphs, and the address a link.
    assert "<p>Programmet bygger på en undersökning.</p>" in page
    assert '<a href="https://www.example.se/topp50"' in page
    assert "Mål 1" in text and "Mätbart mål: Mätbart mål 2" in text
    areas = text_of(between(page, 'id="areas-heading"', "</section>"))
    assert "3 aktiviteter" in areas
    assert "Utredning 1" in areas and "Avklarad 2" in areas
    assert "Område i utkast" not in page
    assert "Vi summerar året på frukostmötet." in text_of(
        between(page, 'id="latest-heading"', "</section>")
    )


def test_it_offers_the_program_feed_and_subscription(client: Client, plan: Plan) -> None:
    page = html(client, plan.program.get_absolute_url())
    feed = reverse("actionplan:program_feed", kwargs={"program": plan.program.slug})
    head = between(page, "<head>", "</head>")
    assert re.search(
        rf'<link rel="alternate" type="application/atom\+xml" title="[^"]+" href="{feed}">', head
    )
    assert f'<a href="{feed}" type="application/atom+xml">' in page
    subscribe = reverse("actionplan:program_subscribe", kwargs={"program": plan.program.slug})
    assert f'action="{subscribe}"' in page
    assert 'type="email" name="prenumeration-email"' in page
    assert "”Topp 50-2017”" in text_of(between(page, 'id="subscribe-heading"', "</form>"))


def test_it_has_breadcrumbs_on_the_program_area_and_activity_pages(
    client: Client, plan: Plan
) -> None:
    for url, trail in [
        (plan.program.get_absolute_url(), ["Handlingsplan", "Topp 50-2017"]),
        (plan.area.get_absolute_url(), ["Handlingsplan", "Topp 50-2017", plan.area.title]),
        (
            plan.visits.get_absolute_url(),
            ["Handlingsplan", "Topp 50-2017", plan.area.title, plan.visits.title],
        ),
    ]:
        crumbs = between(html(client, url), '<nav aria-label="Du är här"', "</nav>")
        items = [text_of(li) for li in re.findall(r"<li[^>]*>(.*?)</li>", crumbs, re.S)]
        assert items == trail
        assert crumbs.count('aria-current="page"') == 1


# ---------------------------------------------------------------- area page


def test_it_groups_the_area_activities_by_status_with_counts(client: Client, plan: Plan) -> None:
    page = html(client, plan.area.get_absolute_url())
    text = text_of(page)
    assert f"<h1>{plan.area.title}</h1>" in page
    assert "En förutsättning för ett bra företagsklimat" in text
    assert "Aktiviteter (3)" in text
    # Groups in the statuses' order: Utredning before Avklarad.
    assert text.index("Utredning (1)") < text.index("Avklarad (2)")
    done = text_of(between(page, "Avklarad (2)", "</section>"))
    assert "Frukostmöten på olika tider" in done
    assert "Vi har haft möten både på morgonen och vid lunch." in done
    assert plan.visits.title in done
    assert plan.procurement.title not in done
    assert f'href="{plan.procurement.get_absolute_url()}"' in page
    assert "Hemlig aktivitet i utkast" not in page


def test_it_shows_the_seed_area_as_fourteen_done_and_six_investigated(client: Client) -> None:
    area = make_area(make_program())
    for n in range(20):
        make_activity(
            area,
            title=f"Aktivitet {n + 1}",
            status="done" if n < 14 else "investigating",
            status_text="Aktiviteten är avklarad." if n < 14 else "Aktiviteten utreds.",
        )
    text = text_of(html(client, area.get_absolute_url()))
    assert "Aktiviteter (20)" in text
    assert "Avklarad (14)" in text and "Utredning (6)" in text
    assert text.count("Aktiviteten är avklarad.") == 14


def test_it_shows_the_area_ideas_with_their_public_status(client: Client, plan: Plan) -> None:
    page = html(client, plan.area.get_absolute_url())
    ideas = between(page, 'id="ideas-heading"', 'id="dela-ide"')
    text = text_of(ideas)
    assert "Idéer från företagare" in text
    became = Idea.objects.get(title="Företagarlunch varje kvartal")
    assert f'id="ide-{became.pk}"' in ideas
    assert "Omar Haddad" in text and "Blev en aktivitet" in text
    assert f'Idén blev aktiviteten <a href="{plan.visits.get_absolute_url()}">' in ideas
    declined = text_of(between(ideas, "Gratis parkering för alla", "</article>"))
    assert "Genomförs inte" in declined
    assert "Parkeringen ägs inte av kommunen." in declined
    assert "Mingel efter mötena" in text and "Mottagen" in text
    # A hidden idea: the reason only, nothing of what was written.
    assert "Dold av moderator: Kränkande innehåll." in text
    assert "Olämplig" not in text and "Troll" not in text
    assert "Idé som inte är bekräftad" not in page


def test_it_does_not_link_an_idea_to_an_activity_that_is_no_longer_public(
    client: Client, plan: Plan
) -> None:
    Activity.objects.filter(pk=plan.visits.pk).update(published=False)
    ideas = between(html(client, plan.area.get_absolute_url()), 'id="ideas-heading"', "dela-ide")
    assert "Blev en aktivitet" in text_of(ideas)
    assert plan.visits.title not in ideas


def test_it_offers_the_idea_form_subscription_and_feed_on_the_area_page(
    client: Client, plan: Plan
) -> None:
    page = html(client, plan.area.get_absolute_url())
    kwargs = {"program": plan.program.slug, "area": plan.area.slug}
    assert 'href="#dela-ide">Dela en idé</a>' in page
    assert f'action="{reverse("actionplan:idea_create", kwargs=kwargs)}"' in page
    assert 'name="ide-title"' in page
    assert f'action="{reverse("actionplan:area_subscribe", kwargs=kwargs)}"' in page
    feed = reverse("actionplan:area_feed", kwargs=kwargs)
    assert re.search(
        rf'<link rel="alternate" type="application/atom\+xml" title="[^"]+" href="{feed}">',
        between(page, "<head>", "</head>"),
    )
    assert f'<a href="{feed}" type="application/atom+xml">' in page


# ---------------------------------------------------------------- activity page


def test_it_shows_the_activity_texts_status_dates_and_contact(client: Client, plan: Plan) -> None:
    page = html(client, plan.visits.get_absolute_url())
    text = text_of(page)
    assert f"<title>{plan.visits.title} {DASH} {plan.area.title}" in page
    assert '<span class="ap-status ap-status-done">Avklarad</span>' in page
    assert "Aktiviteten är avklarad och det sista besöket är gjort." in text
    assert "Syftet med företagsbesök är att skapa närmare kontakt." in text
    assert "Ytterligare information Ring oss så bokar vi en tid." in text
    assert "Startdatum 15 januari 2014" in text and "Slutdatum 19 december 2014" in text
    contact = text_of(between(page, 'id="contact-heading"', "</section>"))
    assert "<strong>Gunilla Malm</strong>, Näringslivsutvecklare" in page
    assert '<a href="mailto:gunilla.malm@example.se">' in page
    assert "0152-291 60" in contact


def test_it_says_when_an_activity_has_no_contact(client: Client, plan: Plan) -> None:
    page = html(client, plan.breakfast.get_absolute_url())
    assert "Ingen kontaktperson angiven" in text_of(page)
    assert "mailto:" not in page
    assert "Startdatum" not in page


def test_it_shows_the_whole_timeline_newest_first(client: Client, plan: Plan) -> None:
    page = html(client, plan.visits.get_absolute_url())
    timeline = between(page, 'id="timeline-heading"', "</ol>")
    entries = list(plan.visits.updates.order_by("-at"))
    assert [e.kind for e in entries] == ["update", "status", "added"]
    ids = re.findall(r'<li id="handelse-(\d+)">', timeline)
    assert ids == [str(e.pk) for e in entries]
    for entry in entries:
        assert f'<time datetime="{entry.at.astimezone().isoformat()}">' in timeline
    text = text_of(timeline)
    assert "Ny status: Utredning → Avklarad" in text
    assert text.index("Uppdatering") < text.index("Ny status") < text.index("Ny aktivitet")
    assert "Vi planerar besöken." in text  # the text it was added with


def test_it_shows_the_public_comments_with_replies_and_hidden_placeholders(
    client: Client, plan: Plan
) -> None:
    page = html(client, plan.visits.get_absolute_url())
    comments = between(page, 'id="comments-heading"', 'id="comment-form-heading"')
    text = text_of(comments)
    assert "Kommentarer (3)" in text
    assert "<p>Bra initiativ!</p><p>Besök oss gärna.</p>" in comments
    assert text.index("Sara Lind") < text.index("Per Persson")  # oldest first
    assert "Svar från kommunen" in text and "Vi kommer i maj." in text
    assert "Kommentaren är dold av moderator: Reklam." in text
    assert "Köp billigt" not in text and "Spammaren" not in text
    assert "Ej bekräftad" not in page
    hidden = Comment.objects.get(name="Spammaren")
    assert f'id="kommentar-{hidden.pk}"' in comments


def test_it_links_the_ideas_that_became_the_activity(client: Client, plan: Plan) -> None:
    page = html(client, plan.visits.get_absolute_url())
    idea = Idea.objects.get(title="Företagarlunch varje kvartal")
    assert f'href="{plan.area.get_absolute_url()}#ide-{idea.pk}">Företagarlunch varje kvartal' in (
        page
    )


def test_it_offers_the_comment_form_on_the_activity_page(client: Client, plan: Plan) -> None:
    page = html(client, plan.visits.get_absolute_url())
    action = reverse(
        "actionplan:comment_create",
        kwargs={
            "program": plan.program.slug,
            "area": plan.area.slug,
            "activity": plan.visits.slug,
        },
    )
    form = between(page, f'action="{action}"', "</form>")
    assert 'name="kommentar-name"' in form and 'name="kommentar-text"' in form
    assert 'name="csrfmiddlewaretoken"' in form


# ---------------------------------------------------------------- what is not public


def test_it_answers_404_for_unknown_and_unpublished_pages(client: Client, plan: Plan) -> None:
    p, a = plan.program.slug, plan.area.slug
    hidden_program_area = make_area(plan.other_program, title="Område")
    in_draft_area = make_activity(plan.draft_area, title="I ett utkastområde")
    urls = [
        reverse("actionplan:program", kwargs={"program": "finns-inte"}),
        plan.other_program.get_absolute_url(),
        reverse("actionplan:area", kwargs={"program": p, "area": "finns-inte"}),
        plan.draft_area.get_absolute_url(),
        hidden_program_area.get_absolute_url(),
        reverse("actionplan:activity", kwargs={"program": p, "area": a, "activity": "finns-inte"}),
        plan.draft.get_absolute_url(),
        in_draft_area.get_absolute_url(),
        # A real activity under another area's address.
        reverse(
            "actionplan:activity",
            kwargs={"program": p, "area": plan.draft_area.slug, "activity": plan.visits.slug},
        ),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url


def test_it_shows_staff_nothing_more_than_the_public(
    client_for: Any, plan: Plan, developer: User
) -> None:
    assert client_for(developer).get(plan.draft.get_absolute_url()).status_code == 404


def test_it_hides_the_drafts_of_a_published_program_everywhere(client: Client, plan: Plan) -> None:
    for url in [
        reverse("actionplan:start"),
        plan.program.get_absolute_url(),
        plan.area.get_absolute_url(),
        reverse("core:home"),
    ]:
        page = html(client, url)
        assert "Hemlig aktivitet i utkast" not in page
        assert "Område i utkast" not in page


# ---------------------------------------------------------------- the site's start page


def test_it_shows_what_we_do_for_companies_on_the_site_home(client: Client, plan: Plan) -> None:
    page = html(client, reverse("core:home"))
    section = between(page, 'id="actionplan-heading"', "</section>")
    text = text_of(section)
    assert "Vad gör vi för näringslivet?" in text
    assert f'href="{plan.program.get_absolute_url()}">Topp 50-2017</a>' in section
    assert f'href="{reverse("actionplan:start")}"' in section
    assert len(re.findall(r'href="[^"]+#handelse-\d+"', section)) == 3
    assert "Näringslivsstrategi i utkast" not in section
    # The self-service section is still there.
    assert "Stämmer ditt företags uppgifter?" in text_of(page)
    assert reverse("register:correction_request") in page


def test_it_shows_the_site_home_without_any_plan(client: Client) -> None:
    page = html(client, reverse("core:home"))
    assert "Vad gör vi för näringslivet?" in text_of(page)
    assert f'href="{reverse("actionplan:start")}"' in page


def test_it_tells_when_the_plan_is_empty(client: Client) -> None:
    text = text_of(html(client, reverse("actionplan:start")))
    assert "Inga program är publicerade ännu." in text
    assert "Inget har hänt ännu." in text
